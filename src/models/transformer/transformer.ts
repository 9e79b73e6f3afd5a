/**
 * The transformer language model as one record of pure functions over a checked config (the
 * project's model shape: `init`, `apply`, `loss`, `logProb`, ...). The record keeps the jitted
 * scoring / generation code so that repeated calls do not recompile; `dispose()` frees it.
 * Reference: GPT-2 (Radford et al. 2019); nanoGPT `model.py`; makemore `Transformer`.
 */
import { type Array, tree } from "../../jax.js";
import type { Windows } from "./batches.js";
import { makeCompiled } from "./compiled.js";
import { type ResolvedConfig, resolveConfig, type TransformerConfig } from "./config.js";
import { makeLoss, type TokenBatch, tokenLogProbs } from "./loss.js";
import { type ApplyOptions, applyModel, initParams, type TransformerParams } from "./model.js";
import { type DisposableNextTokenModel, type NextTokenOptions, nextTokenModel } from "./next-token.js";
import { evalLoss, type ScoreOptions, type SequenceScores, scoreSequences } from "./score.js";
import { type TrainData, type TrainOptions, type TrainResult, trainModel } from "./train.js";

/** A transformer bound to its config. Every method consumes its array arguments (params included). */
export type Transformer = {
  config: ResolvedConfig;
  /** fresh params (GPT-2 init); consumes `key` */
  init(key: Array): TransformerParams;
  /** `tokens: [B, T]` int32, `T <= contextLength` -> logits `[B, T, V]` (see `ApplyOptions`) */
  apply(params: TransformerParams, tokens: Array, opts?: ApplyOptions): Array;
  /** mean next-token cross-entropy over `batch.mask`, nats; dropout on (`fit`'s loss signature) */
  loss(params: TransformerParams, key: Array, batch: TokenBatch): Array;
  /** `[B, T]` log p(targets | inputs so far), nats, dropout off (not jitted: wrap in `jit` if looping) */
  tokenLogProbs(params: TransformerParams, inputs: Array, targets: Array): Array;
  /** per-sequence and per-token log-probabilities of token-id sequences (first token = context) */
  logProb(
    params: TransformerParams,
    sequences: readonly ArrayLike<number>[],
    opts?: ScoreOptions,
  ): SequenceScores;
  /** `exp(mean NLL per token)` of `sequences` */
  perplexity(params: TransformerParams, sequences: readonly ArrayLike<number>[], opts?: ScoreOptions): number;
  /** mean NLL per scored token of prepared windows, nats (the held-out loss `train` reports) */
  evalLoss(params: TransformerParams, windows: Windows, opts?: { batchSize?: number }): number;
  /** params as a `NextTokenModel` for `generate` (causal configs); `dispose()` it when done */
  asNextTokenModel(params: TransformerParams, opts?: NextTokenOptions): DisposableNextTokenModel;
  /** train with AdamW + warm-up cosine + clipping through the shared `fit` loop */
  train(params: TransformerParams, key: Array, data: TrainData, opts: TrainOptions): Promise<TrainResult>;
  /** free the jitted code (params are the caller's) */
  dispose(): void;
};

/** Build a transformer for `config` (checked here: `ValueError` on a bad field). */
export function transformer(config: TransformerConfig): Transformer {
  const cfg = resolveConfig(config);
  const compiled = makeCompiled(cfg);
  return {
    config: cfg,
    init: (key) => initParams(key, cfg),
    apply: (params, tokens, opts) => applyModel(cfg, params, tokens, opts),
    loss: makeLoss(cfg),
    tokenLogProbs: (params, inputs, targets) => tokenLogProbs(cfg, params, inputs, targets),
    logProb: (params, sequences, opts) => scoreSequences(compiled, params, sequences, opts),
    perplexity: (params, sequences, opts) => scoreSequences(compiled, params, sequences, opts).perplexity,
    evalLoss: (params, windows, opts) => evalLoss(compiled, params, windows, opts),
    asNextTokenModel: (params, opts) => nextTokenModel(compiled, params, opts),
    train: (params, key, data, opts) => trainModel(compiled, params, key, data, opts),
    dispose: () => compiled.dispose(),
  };
}

/** Fresh params for `config` (GPT-2 init); consumes `key`. */
export function initTransformer(key: Array, config: TransformerConfig): TransformerParams {
  let cfg: ResolvedConfig;
  try {
    cfg = resolveConfig(config, "initTransformer");
  } catch (e) {
    key.dispose();
    throw e;
  }
  return initParams(key, cfg);
}

/**
 * Params (consumed) of a causal config as a standalone `NextTokenModel` for `generate`, with its own
 * jitted forward; `dispose()` frees both.
 */
export function asNextTokenModel(
  params: TransformerParams,
  config: TransformerConfig,
  opts: NextTokenOptions = {},
): DisposableNextTokenModel {
  let cfg: ResolvedConfig;
  try {
    cfg = resolveConfig(config, "asNextTokenModel");
  } catch (e) {
    tree.dispose(params);
    throw e;
  }
  return nextTokenModel(makeCompiled(cfg), params, { ...opts, ownsCompiled: true });
}
