/**
 * Host-side samplers in plain TypeScript (normal, log-normal, Gamma, chi-square, Poisson) over a
 * stream of uniforms drawn in blocks from a jax-js key, for simulators that need millions of draws
 * in well under a second. The same key gives the same numbers, in Node and in the browser.
 */
import { ValueError } from "../../errors.js";
import { hostUniforms } from "../../host-random.js";
import { type Array, np, random } from "../../jax.js";

/** A sequential source of host random numbers; call `dispose()` when done (it holds a key). */
export type UniformSource = {
  /** a uniform double in [0, 1) */
  uniform: () => number;
  /** a standard normal draw (Box–Muller, the second value of each pair kept for the next call) */
  normal: () => number;
  /** release the key still held */
  dispose: () => void;
};

/**
 * A stream of host uniforms from `key` (consumed), refilled `blockSize` at a time from successive
 * split keys, so that the numbers drawn do not depend on how far the consumer reads.
 */
export function uniformSource(key: Array, blockSize = 1 << 16): UniformSource {
  if (!Number.isInteger(blockSize) || blockSize < 1) {
    key.dispose();
    throw new ValueError(`uniformSource: blockSize must be a positive integer, but got ${blockSize}`);
  }
  let next: Array | null = key;
  let block: Float64Array = new Float64Array(0);
  let pos = 0;
  let spare = Number.NaN;
  const refill = () => {
    if (next === null) throw new ValueError("uniformSource: the source was disposed");
    const ks = np.unstack(random.split(next, 2));
    next = ks[1];
    block = hostUniforms(ks[0], blockSize);
    pos = 0;
  };
  const uniform = () => {
    if (pos >= block.length) refill();
    return block[pos++];
  };
  const normal = () => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = Number.NaN;
      return z;
    }
    // Box–Muller on (0, 1] x [0, 1)
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const theta = 2 * Math.PI * uniform();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
  const dispose = () => {
    next?.dispose();
    next = null;
  };
  return { uniform, normal, dispose };
}

/** A log-normal draw `exp(loc + scale z)`, z ~ N(0, 1). */
export function sampleLogNormal(src: UniformSource, loc: number, scale: number): number {
  return Math.exp(loc + scale * src.normal());
}

/**
 * A Gamma(shape, 1) draw by Marsaglia & Tsang (2000), ACM TOMS 26(3):363, with the boost
 * `G(a) = G(a + 1) U^(1/a)` for shape a < 1 (their section 6). Multiply by a scale for Gamma(a, θ).
 */
export function sampleStandardGamma(src: UniformSource, shape: number): number {
  if (shape < 1) {
    const g = sampleStandardGamma(src, shape + 1);
    return g * (1 - src.uniform()) ** (1 / shape);
  }
  // 1. d = a - 1/3, c = 1/sqrt(9d)
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    // 2. v = (1 + c x)^3 for x ~ N(0, 1); reject v <= 0
    const x = src.normal();
    let v = 1 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    // 3. squeeze, then the exact log test
    const u = 1 - src.uniform();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A chi-square draw with `df` degrees of freedom: `2 G(df / 2)`. */
export function sampleChiSquare(src: UniformSource, df: number): number {
  return 2 * sampleStandardGamma(src, df / 2);
}

const LOG_FACTORIAL = (() => {
  const t = new Float64Array(256);
  for (let k = 1; k < 256; k++) t[k] = t[k - 1] + Math.log(k);
  return t;
})();

/** log k! for integer k >= 0: a table below 256, Stirling's series (error < 1e-14) above. */
export function logFactorial(k: number): number {
  if (k < 256) return LOG_FACTORIAL[k];
  const n = k + 1;
  const inv = 1 / n;
  const inv2 = inv * inv;
  return (
    (n - 0.5) * Math.log(n) -
    n +
    0.5 * Math.log(2 * Math.PI) +
    inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
  );
}

/**
 * A Poisson(λ) draw: inversion by sequential search for λ < 10, otherwise Hörmann's PTRS
 * transformed rejection (Hörmann 1993, Insurance: Mathematics and Economics 12:39, as in numpy).
 */
export function samplePoisson(src: UniformSource, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda < 10) {
    // 1. inversion: walk the CDF from 0 (at most ~40 steps for λ < 10)
    const u = src.uniform();
    let p = Math.exp(-lambda);
    let cdf = p;
    let k = 0;
    while (u >= cdf && k < 1000) {
      k++;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }
  // 2. PTRS: candidate k from a transformed uniform, accepted against the exact log pmf
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = src.uniform() - 0.5;
    const v = src.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    const lhs = Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b);
    if (lhs <= -lambda + k * loglam - logFactorial(k)) return k;
  }
}
