/**
 * Multi-head scaled dot-product self-attention with an explicit boolean mask (Vaswani et al. 2017,
 * eq. 1 and sec. 3.2.2): `softmax(Q K^T / sqrt(d_head) + mask) V` per head, heads concatenated and
 * projected. The mask decides who sees whom, so the same layer serves a causal language model and a
 * bidirectional (masked-LM) encoder. Reference: nanoGPT `CausalSelfAttention`, Flax
 * `nn.MultiHeadDotProductAttention` (mask `true` = may attend).
 */
import { describe, ValueError } from "../../errors.js";
import { type Array, type DType, nn, np, random } from "../../jax.js";
import { dropout } from "../../nn/dropout.js";
import { type Linear, linearApply, linearInit } from "../../nn/linear.js";
import type { MaskKind } from "./config.js";

/** Attention params: fused input projection `qkv.w: [D, 3D]` (queries, keys, values) and `proj.w: [D, D]`. */
export type Attention = { qkv: Linear; proj: Linear };

/** Options of `attentionInit`: init std (default 0.02, GPT-2), a separate std for `proj`, dtype. */
export type AttentionInitOptions = { std?: number; projStd?: number; dtype?: DType };

/** Options of `attentionApply`: number of heads, dropout rate on the attention weights, training mode. */
export type AttentionApplyOptions = { nHeads: number; dropout?: number; training?: boolean };

/** Logit given to masked-out pairs: finite, so a row with nothing visible gives uniform weights, not NaN. */
export const MASKED_LOGIT = -1e9;

/** Initialise attention over width `dModel`: weights `N(0, std^2)`, biases zero. */
export function attentionInit(key: Array, dModel: number, opts: AttentionInitOptions = {}): Attention {
  if (!Number.isInteger(dModel) || dModel < 1) {
    key.dispose();
    throw new ValueError(`attentionInit: dModel must be a positive integer, but got ${describe(dModel)}`);
  }
  const std = opts.std ?? 0.02;
  const ks = random.split(key, 2);
  const qkv = linearInit(ks.ref.slice(0), dModel, 3 * dModel, { init: "normal", std, dtype: opts.dtype });
  const proj = linearInit(ks.slice(1), dModel, dModel, {
    init: "normal",
    std: opts.projStd ?? std,
    dtype: opts.dtype,
  });
  return { qkv, proj };
}

/**
 * A boolean attention mask `[1, T, T]` (`mask[0, t, s]`: query t may attend key s): lower-triangular
 * for "causal", all true for "bidirectional". With `valid: [B, T]` (bool, true = a real token, consumed)
 * padded keys are hidden too, giving `[B, T, T]`.
 */
export function attentionMask(kind: MaskKind, T: number, valid?: Array): Array {
  if (!Number.isInteger(T) || T < 1) {
    valid?.dispose();
    throw new ValueError(`attentionMask: T must be a positive integer, but got ${describe(T)}`);
  }
  if (kind !== "causal" && kind !== "bidirectional") {
    valid?.dispose();
    throw new ValueError(
      `attentionMask: kind must be "causal" or "bidirectional", but got ${describe(kind)}`,
    );
  }
  const base = kind === "causal" ? np.tri(T, T, 0, { dtype: np.bool }) : np.ones([T, T], { dtype: np.bool }); // [T, T]
  if (valid === undefined) return base.reshape([1, T, T]);
  if (valid.ndim !== 2 || valid.shape[1] !== T) {
    const shape = valid.shape;
    valid.dispose();
    base.dispose();
    throw new ValueError(`attentionMask: valid must have shape [batch, ${T}], but got [${shape.join(", ")}]`);
  }
  const keys = valid.astype(np.bool).reshape([valid.shape[0], 1, T]); // [B, 1, T]
  return np.logicalAnd(base.reshape([1, T, T]), keys); // [B, T, T]
}

/**
 * Self-attention `x: [B, T, D] -> [B, T, D]` under `mask` (bool, `[T, T]`, `[1, T, T]` or `[B, T, T]`,
 * true = may attend). `key` drives dropout on the attention weights when training with a rate > 0 and
 * may be undefined otherwise. Consumes `p`, `key`, `x` and `mask`.
 */
export function attentionApply(
  p: Attention,
  key: Array | undefined,
  x: Array,
  mask: Array,
  opts: AttentionApplyOptions,
): Array {
  const { nHeads, dropout: rate = 0, training = false } = opts;
  const fail = (msg: string) => {
    key?.dispose();
    mask.dispose();
    x.dispose();
    return new ValueError(`attentionApply: ${msg}`);
  };
  const D = p.proj.w.shape[0];
  if (x.ndim !== 3 || x.shape[2] !== D)
    throw fail(`x must have shape [batch, T, ${D}], but got [${x.shape.join(", ")}]`);
  const [B, T] = x.shape;
  if (!Number.isInteger(nHeads) || nHeads < 1 || D % nHeads !== 0)
    throw fail(`nHeads must be a positive divisor of ${D}, but got ${describe(nHeads)}`);
  const mb = mask.ndim === 3 ? mask.shape[0] : 1;
  if (
    mask.dtype !== np.bool ||
    mask.ndim < 2 ||
    mask.ndim > 3 ||
    mask.shape[mask.ndim - 1] !== T ||
    mask.shape[mask.ndim - 2] !== T ||
    (mb !== 1 && mb !== B)
  )
    throw fail(
      `mask must be a bool array of shape [${T}, ${T}], [1, ${T}, ${T}] or [${B}, ${T}, ${T}], but got ${mask.dtype} [${mask.shape.join(", ")}]`,
    );
  const dropping = training && rate > 0;
  if (dropping && key === undefined) throw fail("key must be given when training with dropout > 0");
  const H = nHeads;
  const dh = D / H;
  // 1. queries, keys and values per head
  const qkv = linearApply(p.qkv, x).reshape([B, T, 3, H, dh]).transpose([2, 0, 3, 1, 4]); // [3, B, H, T, dh]
  const q = qkv.ref.slice(0); // [B, H, T, dh]
  const k = qkv.ref.slice(1);
  const v = qkv.slice(2);
  // 2. scaled scores, masked, softmax over keys (eq. 1)
  const scores = np.matmul(q, k.transpose([0, 1, 3, 2])).mul(1 / Math.sqrt(dh)); // [B, H, T, T]
  const m = mask.reshape([mb, 1, T, T]);
  let weights = nn.softmax(np.where(m, scores, MASKED_LOGIT), -1); // [B, H, T, T]
  if (dropping) weights = dropout(key as Array, weights, { rate, training: true });
  else key?.dispose();
  // 3. weighted values, heads concatenated, output projection
  const heads = np.matmul(weights, v); // [B, H, T, dh]
  return linearApply(p.proj, heads.transpose([0, 2, 1, 3]).reshape([B, T, D])); // [B, T, D]
}
