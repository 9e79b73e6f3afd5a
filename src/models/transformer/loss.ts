/**
 * Next-token log-likelihood of a transformer on fixed-shape batches: per-token log-probabilities, the
 * masked mean cross-entropy used for training (nats per scored token), and the summed NLL with its
 * token count for evaluation over many batches. A mask lets a fixed `[B, T]` batch hold shorter
 * sequences (padding scores 0 and counts 0). Reference: nanoGPT `F.cross_entropy(..., ignore_index=-1)`;
 * Goodfellow et al. 2016, "Deep Learning", eq. 6.12 / 10.31 (chain rule of the sequence likelihood).
 */
import { log } from "../../distributions/elementary.js";
import { ValueError } from "../../errors.js";
import { type Array, lax, nn, np } from "../../jax.js";
import { paramDtype, type ResolvedConfig } from "./config.js";
import { type ApplyOptions, applyModel, checkTokens, type TransformerParams } from "./model.js";

/**
 * A fixed-shape batch of windows: `inputs[b, t]` is followed by `targets[b, t]`; `mask[b, t]` (float32,
 * 1 = scored, 0 = padding) says which targets count. All `[B, T]`; `inputs`/`targets` int32.
 */
export type TokenBatch = { inputs: Array; targets: Array; mask: Array };

/** Check a batch's shapes and dtypes against the config (throws `ValueError`). */
export function checkBatch(fn: string, batch: TokenBatch, config: ResolvedConfig): void {
  if (typeof batch !== "object" || batch === null || !batch.inputs || !batch.targets || !batch.mask)
    throw new ValueError(`${fn}: batch must be {inputs, targets, mask}, but got ${typeof batch}`);
  checkTokens(fn, batch.inputs, config);
  const shape = batch.inputs.shape;
  const same = (a: Array) => a.ndim === 2 && a.shape[0] === shape[0] && a.shape[1] === shape[1];
  if (batch.targets.dtype !== np.int32 || !same(batch.targets))
    throw new ValueError(
      `${fn}: batch.targets must be int32 [${shape.join(", ")}] like inputs, but got ${batch.targets.dtype} [${batch.targets.shape.join(", ")}]`,
    );
  if (!same(batch.mask))
    throw new ValueError(
      `${fn}: batch.mask must have shape [${shape.join(", ")}] like inputs, but got [${batch.mask.shape.join(", ")}]`,
    );
}

/**
 * `log p(targets[b, t] | inputs[b, 0..t])` in nats, `[B, T]` (param dtype): `z[target] - logsumexp(z)`
 * with the max subtracted first and the accurate `log` of `distributions/elementary.ts` (jax-js's
 * `nn.logsumexp` has a very slow gradient in 0.1.25, and its `log` is ~1e-5 off). Consumes `params`,
 * `inputs`, `targets` and the arrays in `opts`.
 */
export function tokenLogProbs(
  config: ResolvedConfig,
  params: TransformerParams,
  inputs: Array,
  targets: Array,
  opts: ApplyOptions = {},
): Array {
  const logits = applyModel(config, params, inputs, opts); // [B, T, V]
  const shifted = logits.ref.sub(lax.stopGradient(logits.max(-1, { keepdims: true }))); // [B, T, V]
  const lse = log(np.exp(shifted.ref).sum(-1)); // [B, T]
  const hot = nn.oneHot(targets, config.vocabSize).astype(shifted.dtype); // [B, T, V]
  return hot.mul(shifted).sum(-1).sub(lse); // [B, T]
}

function maskedNll(config: ResolvedConfig, params: TransformerParams, batch: TokenBatch, opts: ApplyOptions) {
  const lp = tokenLogProbs(config, params, batch.inputs, batch.targets, opts); // [B, T]
  // stopGradient first: jax-js 0.1.25 has no backward rule for a cast of a non-differentiated input
  const w = lax.stopGradient(batch.mask).astype(paramDtype(config)); // [B, T]
  return { sum: lp.mul(w.ref).sum().neg(), count: w.sum() };
}

/**
 * Training loss `(params, key, batch) -> scalar`: mean next-token cross-entropy over the masked tokens,
 * nats (dropout on when `config.dropout > 0`; the key is consumed either way). For `fit`.
 */
export function makeLoss(
  config: ResolvedConfig,
): (params: TransformerParams, key: Array, batch: TokenBatch) => Array {
  return (params, key, batch) => {
    const { sum, count } = maskedNll(config, params, batch, { key, training: true });
    return sum.div(np.maximum(count, 1)); // nats per scored token
  };
}

/**
 * `[sum of NLL over masked tokens (nats), number of masked tokens]`, both scalars, dropout off; for
 * evaluation over many batches. Consumes `params` and `batch`.
 */
export function nllSum(config: ResolvedConfig, params: TransformerParams, batch: TokenBatch): [Array, Array] {
  const { sum, count } = maskedNll(config, params, batch, { training: false });
  return [sum, count];
}
