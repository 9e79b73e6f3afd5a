/**
 * The transformer network: token embedding + learned position embedding, `nLayers` pre-norm blocks, a
 * final layer norm and an output head (optionally tied to the token embedding). `tokens: [B, T]` int32
 * with `T <= contextLength` -> logits `[B, T, V]`. Reference: GPT-2 (Radford et al. 2019, sec. 2.3),
 * nanoGPT `GPT.forward`.
 */
import { ValueError } from "../../errors.js";
import { type Array, np, random, tree } from "../../jax.js";
import { dropout } from "../../nn/dropout.js";
import { type Embedding, embeddingApply, embeddingInit } from "../../nn/embedding.js";
import { type LayerNorm, layerNormApply, layerNormInit } from "../../nn/layer-norm.js";
import { type Linear, linearApply, linearInit } from "../../nn/linear.js";
import { attentionMask } from "./attention.js";
import { type Block, blockApply, blockInit } from "./block.js";
import { paramDtype, type ResolvedConfig } from "./config.js";

/**
 * Transformer params: `tokenEmbedding.table: [V, D]`, `positionEmbedding.table: [contextLength, D]`,
 * `blocks`, `lnFinal`, and `head.w: [D, V]` unless the config ties weights.
 */
export type TransformerParams = {
  tokenEmbedding: Embedding;
  positionEmbedding: Embedding;
  blocks: Block[];
  lnFinal: LayerNorm;
  head?: Linear;
};

/** Options of `apply`: dropout key, training mode, and an explicit bool attention mask. */
export type ApplyOptions = {
  /** needed when `training` and `config.dropout > 0`; consumed */
  key?: Array;
  /** dropout on (default false) */
  training?: boolean;
  /**
   * bool mask broadcastable to `[B, T, T]` (`[T, T]`, `[1, T, T]` or `[B, T, T]`; true = query t may
   * attend key s), replacing the config's `maskKind` default (e.g. `attentionMask("bidirectional", T,
   * valid)` to hide padding). Consumed.
   */
  mask?: Array;
};

/** Initialise params: weights `N(0, 0.02^2)`, residual projections `N(0, (0.02 / sqrt(2 L))^2)` (GPT-2). */
export function initParams(key: Array, config: ResolvedConfig): TransformerParams {
  const { vocabSize: V, contextLength: C, dModel: D, nLayers: L, dMlp } = config;
  const dtype = paramDtype(config);
  const std = 0.02;
  const ks = random.split(key, L + 3);
  const tokenEmbedding = embeddingInit(ks.ref.slice(0), V, D, { std, dtype });
  const positionEmbedding = embeddingInit(ks.ref.slice(1), C, D, { std, dtype });
  const blocks: Block[] = [];
  for (let i = 0; i < L; i++)
    blocks.push(blockInit(ks.ref.slice(2 + i), D, { dMlp, std, residualStd: std / Math.sqrt(2 * L), dtype }));
  const lnFinal = layerNormInit(D, { dtype });
  if (config.tieWeights) {
    ks.dispose();
    return { tokenEmbedding, positionEmbedding, blocks, lnFinal };
  }
  const head = linearInit(ks.slice(L + 2), D, V, { init: "normal", std, bias: false, dtype });
  return { tokenEmbedding, positionEmbedding, blocks, lnFinal, head };
}

/** Check that `tokens` is an int32 `[B, T]` array with `1 <= T <= contextLength` (throws `ValueError`). */
export function checkTokens(fn: string, tokens: Array, config: ResolvedConfig): void {
  if (tokens.dtype !== np.int32 || tokens.ndim !== 2 || tokens.shape[1] < 1)
    throw new ValueError(
      `${fn}: tokens must be an int32 array of shape [batch, T], but got ${tokens.dtype} [${tokens.shape.join(", ")}]`,
    );
  if (tokens.shape[1] > config.contextLength)
    throw new ValueError(
      `${fn}: tokens must have at most contextLength = ${config.contextLength} positions, but got T = ${tokens.shape[1]}`,
    );
}

/**
 * Forward pass `tokens: [B, T]` int32 -> logits `[B, T, V]`. Token ids must lie in `0 .. V-1` (an
 * out-of-range id embeds as zeros; `batches.ts` checks ids at the boundary). Consumes `params`,
 * `tokens`, `opts.key` and `opts.mask`.
 */
export function applyModel(
  config: ResolvedConfig,
  params: TransformerParams,
  tokens: Array,
  opts: ApplyOptions = {},
): Array {
  const { training = false } = opts;
  const rate = config.dropout;
  const dropping = training && rate > 0;
  try {
    checkTokens("apply", tokens, config);
    if (dropping && opts.key === undefined)
      throw new ValueError("apply: opts.key must be given when training with config.dropout > 0");
    if ((params.head === undefined) !== config.tieWeights)
      throw new ValueError(
        `apply: params ${config.tieWeights ? "have a head, but config.tieWeights is true" : "lack a head, but config.tieWeights is false"}`,
      );
  } catch (e) {
    opts.key?.dispose();
    opts.mask?.dispose();
    tree.dispose([params, tokens]);
    throw e;
  }
  const [B, T] = tokens.shape;
  const L = config.nLayers;
  const keys = dropping ? random.split(opts.key as Array, L + 1) : undefined;
  if (!dropping) opts.key?.dispose();
  const keyAt = (i: number) => (keys === undefined ? undefined : keys.ref.slice(i));
  const mask = opts.mask ?? attentionMask(config.maskKind, T);
  // 1. token + position embeddings (ties keep the table for the head)
  const table = params.tokenEmbedding.table;
  const tok = embeddingApply({ table: config.tieWeights ? table.ref : table }, tokens); // [B, T, D]
  const pos = params.positionEmbedding.table.slice([0, T]); // [T, D]
  let x = tok.add(pos); // [B, T, D]
  const k0 = keyAt(0);
  if (k0 !== undefined) x = dropout(k0, x, { rate, training: true });
  // 2. blocks
  for (let i = 0; i < L; i++)
    x = blockApply(params.blocks[i], keyAt(i + 1), x, mask.ref, {
      nHeads: config.nHeads,
      dropout: rate,
      training,
    });
  mask.dispose();
  keys?.dispose();
  // 3. final norm and head
  x = layerNormApply(params.lnFinal, x); // [B, T, D]
  if (config.tieWeights) return np.matmul(x, table.transpose()); // [B, T, V]
  return linearApply(params.head as Linear, x).reshape([B, T, config.vocabSize]); // [B, T, V]
}
