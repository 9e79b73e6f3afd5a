/**
 * A pre-norm transformer block (GPT-2; Xiong et al. 2020 "On Layer Normalization in the Transformer
 * Architecture", Fig. 1b): `x = x + drop(attn(LN(x)))`, then `x = x + drop(MLP(LN(x)))` with a GELU MLP
 * `D -> dMlp -> D`. The attention mask is an argument, so the same block serves causal and
 * bidirectional models. Reference: nanoGPT `Block`.
 */
import { describe, ValueError } from "../../errors.js";
import { type Array, type DType, random } from "../../jax.js";
import { dropout } from "../../nn/dropout.js";
import { type LayerNorm, layerNormApply, layerNormInit } from "../../nn/layer-norm.js";
import { type Mlp, mlpApply, mlpInit } from "../../nn/mlp.js";
import { type Attention, attentionApply, attentionInit } from "./attention.js";

/** Block params: two layer norms, attention, and an MLP with `layers[0].w: [D, dMlp]`, `layers[1].w: [dMlp, D]`. */
export type Block = { ln1: LayerNorm; attn: Attention; ln2: LayerNorm; mlp: Mlp };

/** Options of `blockInit`: MLP width, init std (0.02) and `residualStd` for the two output projections. */
export type BlockInitOptions = { dMlp: number; std?: number; residualStd?: number; dtype?: DType };

/** Options of `blockApply`: heads, dropout rate and training mode. */
export type BlockApplyOptions = { nHeads: number; dropout?: number; training?: boolean };

/**
 * Initialise a block of width `dModel`. Weights `N(0, 0.02^2)`; the projections that write into the
 * residual stream use `residualStd` (GPT-2 uses `0.02 / sqrt(2 nLayers)`), biases zero, LN gain one.
 */
export function blockInit(key: Array, dModel: number, opts: BlockInitOptions): Block {
  const { dMlp, std = 0.02, dtype } = opts;
  const residualStd = opts.residualStd ?? std;
  for (const [name, v] of [
    ["dModel", dModel],
    ["dMlp", dMlp],
  ] as const)
    if (!Number.isInteger(v) || v < 1) {
      key.dispose();
      throw new ValueError(`blockInit: ${name} must be a positive integer, but got ${describe(v)}`);
    }
  const ks = random.split(key, 3);
  const attn = attentionInit(ks.ref.slice(0), dModel, { std, projStd: residualStd, dtype });
  const up = mlpInit(ks.ref.slice(1), [dModel, dMlp], { init: "normal", std, dtype });
  const down = mlpInit(ks.slice(2), [dMlp, dModel], { init: "normal", std: residualStd, dtype });
  return {
    ln1: layerNormInit(dModel, { dtype }),
    attn,
    ln2: layerNormInit(dModel, { dtype }),
    mlp: { layers: [up.layers[0], down.layers[0]] },
  };
}

/**
 * Apply a block: `x: [B, T, D] -> [B, T, D]` under the bool attention `mask` (see `attentionApply`).
 * `key` is needed only when training with dropout > 0. Consumes `p`, `key`, `x` and `mask`.
 */
export function blockApply(
  p: Block,
  key: Array | undefined,
  x: Array,
  mask: Array,
  opts: BlockApplyOptions,
): Array {
  const { dropout: rate = 0, training = false } = opts;
  const dropping = training && rate > 0;
  if (dropping && key === undefined) {
    x.dispose();
    mask.dispose();
    throw new ValueError("blockApply: key must be given when training with dropout > 0");
  }
  let kAttn: Array | undefined;
  let kRes1: Array | undefined;
  let kRes2: Array | undefined;
  if (dropping) {
    const ks = random.split(key as Array, 3);
    kAttn = ks.ref.slice(0);
    kRes1 = ks.ref.slice(1);
    kRes2 = ks.slice(2);
  } else key?.dispose();
  const drop = (k: Array | undefined, h: Array) =>
    k === undefined ? h : dropout(k, h, { rate, training: true });
  // 1. x + attention(LN(x))
  const a = attentionApply(p.attn, kAttn, layerNormApply(p.ln1, x.ref), mask, opts);
  x = x.add(drop(kRes1, a));
  // 2. x + MLP(LN(x)), GELU (tanh form, as GPT-2)
  const m = mlpApply(p.mlp, layerNormApply(p.ln2, x.ref), { activation: "gelu" });
  return x.add(drop(kRes2, m));
}
