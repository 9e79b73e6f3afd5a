/**
 * Layer normalisation over the last axis: `(x - mean) / sqrt(var + eps) * gain + bias`, with the biased
 * variance (Ba, Kiros & Hinton 2016, eq. 4; PyTorch `nn.LayerNorm`, default `eps = 1e-5`).
 */
import { describe, ValueError } from "../errors.js";
import { type Array, type DType, np } from "../jax.js";

/** Params of a layer norm: `gain: [dim]` (init ones), `bias: [dim]` (init zeros). */
export type LayerNorm = { gain: Array; bias: Array };

/** Initialise a layer norm over a last axis of size `dim` (deterministic: no key). */
export function layerNormInit(dim: number, opts: { dtype?: DType } = {}): LayerNorm {
  if (!Number.isInteger(dim) || dim < 1)
    throw new ValueError(`layerNormInit: dim must be a positive integer, but got ${describe(dim)}`);
  const dtype = opts.dtype ?? np.float32;
  return { gain: np.ones([dim], { dtype }), bias: np.zeros([dim], { dtype }) };
}

/** Normalise `x: [..., dim]` over its last axis -> `[..., dim]`. Consumes `p` and `x`. */
export function layerNormApply(p: LayerNorm, x: Array, opts: { eps?: number } = {}): Array {
  const dim = p.gain.shape[0];
  if (x.ndim < 1 || x.shape[x.ndim - 1] !== dim)
    throw new ValueError(`layerNormApply: x must have shape [..., ${dim}], but got [${x.shape.join(", ")}]`);
  const eps = opts.eps ?? 1e-5;
  const centred = x.ref.sub(np.mean(x, -1, { keepdims: true })); // [..., dim]
  const variance = np.mean(np.square(centred.ref), -1, { keepdims: true }); // [..., 1]
  return centred
    .div(np.sqrt(variance.add(eps)))
    .mul(p.gain)
    .add(p.bias);
}
