/**
 * Linear (dense, affine) layer `y = x @ w + b`, with `w: [in, out]` (the JAX/Flax layout; PyTorch stores
 * the transpose). Reference: equinox `nn.Linear`, Flax `nn.Dense`.
 */
import { describe, ValueError } from "../errors.js";
import { type Array, type DType, np } from "../jax.js";
import { type InitName, initWeights } from "./init.js";

/** Params of a linear layer: weight `w: [in, out]`, optional bias `b: [out]`. */
export type Linear = { w: Array; b?: Array };

/** Options for `linearInit`: weight initialiser (default "glorot"), bias (default true, zeros), dtype. */
export type LinearInitOptions = { init?: InitName; bias?: boolean; std?: number; dtype?: DType };

function checkDim(fn: string, name: string, d: number): void {
  if (!Number.isInteger(d) || d < 1)
    throw new ValueError(`${fn}: ${name} must be a positive integer, but got ${describe(d)}`);
}

/** Initialise a linear layer `[inDim] -> [outDim]`: weight by `opts.init`, bias zeros. */
export function linearInit(key: Array, inDim: number, outDim: number, opts: LinearInitOptions = {}): Linear {
  checkDim("linearInit", "inDim", inDim);
  checkDim("linearInit", "outDim", outDim);
  const dtype = opts.dtype ?? np.float32;
  const w = initWeights(key, [inDim, outDim], opts.init ?? "glorot", { std: opts.std, dtype });
  return opts.bias === false ? { w } : { w, b: np.zeros([outDim], { dtype }) };
}

/** Apply a linear layer: `x: [..., in] -> [..., out]`. Consumes `p` and `x`. */
export function linearApply(p: Linear, x: Array): Array {
  const inDim = p.w.shape[0];
  if (x.ndim < 1 || x.shape[x.ndim - 1] !== inDim)
    throw new ValueError(`linearApply: x must have shape [..., ${inDim}], but got [${x.shape.join(", ")}]`);
  const y = np.matmul(x, p.w);
  return p.b === undefined ? y : y.add(p.b);
}
