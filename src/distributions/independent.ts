/**
 * Reinterpret trailing batch axes of a distribution as event axes (distrax `Independent`): a
 * diagonal Gaussian over `[batch, d]` is `independent(Normal, 1)`; its `logProb` and `entropy`
 * sum over the last axis.
 */
import { describe, ValueError } from "../errors.js";
import type { Array } from "../jax.js";
import type { Distribution } from "./distribution.js";

function sumLast(x: Array, n: number): Array {
  if (n === 0) return x;
  const axes = globalThis.Array.from({ length: n }, (_, i) => x.ndim - 1 - i);
  return x.sum(axes);
}

/** `base` with its last `ndims` batch axes moved to the event shape. */
export function independent<P>(base: Distribution<P>, ndims: number): Distribution<P> {
  const name = `Independent(${base.name})`;
  if (!Number.isInteger(ndims) || ndims < 0) {
    throw new ValueError(`independent: ndims must be a non-negative integer, but got ${describe(ndims)}`);
  }
  const batchShape = (p: P): number[] => {
    const b = base.batchShape(p);
    if (b.length < ndims) {
      throw new ValueError(`${name}: batch shape must have at least ${ndims} axes, but got ${describe(b)}`);
    }
    return b.slice(0, b.length - ndims);
  };
  const d: Distribution<P> = {
    name,
    reparameterized: base.reparameterized,
    batchShape,
    eventShape: (p) => [...base.batchShape(p).slice(batchShape(p).length), ...base.eventShape(p)],
    logProb: (p, x) => sumLast(base.logProb(p, x), ndims),
    sample: (p, key, sampleShape = []) => base.sample(p, key, sampleShape),
    validate: (p) => base.validate(p),
  };
  if (base.mean) d.mean = base.mean;
  if (base.variance) d.variance = base.variance;
  if (base.entropy) {
    const entropy = base.entropy;
    d.entropy = (p) => sumLast(entropy(p), ndims);
  }
  return d;
}
