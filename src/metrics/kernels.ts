/**
 * Single-pass kernels over a strided slice `x[off + k*stride]`, k < n, of two probability vectors.
 * Each kernel validates as it goes (entries >= 0, not NaN; both sums within 1e-9 of 1) and returns
 * NaN when the slice is bad, so the caller can re-scan it for a precise message. Valid input never
 * yields NaN: every term is finite or +Infinity. No allocation, one loop, raw sums in nats.
 *
 * The terms follow SciPy 1.17's `scipy.special.rel_entr(x, y)` (xsf `convex_analysis.h`) branch
 * for branch, so results agree with SciPy to ~1e-15 even where p ≈ q: x·log1p((x - y)/y) when
 * 1/2 < x/y < 2, x·log(x/y) otherwise, x·(log x - log y) when x/y under- or overflows; 0 for x = 0;
 * +Infinity for x > 0 = y. Sums are sequential (NumPy sums pairwise; they agree to ~1e-16·sqrt(n)).
 */
import { SUM_TOLERANCE } from "./validate.js";

/** Kernel signature: raw value of a divergence over one strided slice, or NaN for invalid input. */
export type PairKernel = (
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  off: number,
  stride: number,
  n: number,
) => number;

const MIN_NORMAL = 2.2250738585072014e-308;

/** rel_entr(x, y) for x > 0, y >= 0, as SciPy computes it (+Infinity for y = 0). */
function relEntr(x: number, y: number): number {
  const r = x / y;
  if (r > 0.5 && r < 2) return x * Math.log1p((x - y) / y);
  if (r > MIN_NORMAL && r < Number.POSITIVE_INFINITY) return x * Math.log(r);
  return x * (Math.log(x) - Math.log(y));
}

function sumsOk(sp: number, sq: number): boolean {
  return Math.abs(sp - 1) <= SUM_TOLERANCE && Math.abs(sq - 1) <= SUM_TOLERANCE;
}

/**
 * `sum rel_entr(p, m) + sum rel_entr(q, m)` with m = (p+q)/2, i.e. 2·JSD in nats. Where the other
 * vector is 0 the term is p·ln 2 (what rel_entr(p, p/2) gives), taken directly: faster, and finite
 * even for subnormal p, where (p+0)/2 could round to 0.
 */
export const jsKernel: PairKernel = (p, q, off, stride, n) => {
  let left = 0;
  let right = 0;
  let sp = 0;
  let sq = 0;
  for (let k = 0, j = off; k < n; k++, j += stride) {
    const a = p[j];
    const b = q[j];
    if (!(a >= 0 && b >= 0)) return Number.NaN;
    sp += a;
    sq += b;
    if (a === 0) {
      if (b > 0) right += b * Math.LN2;
    } else if (b === 0) {
      left += a * Math.LN2;
    } else {
      const m = (a + b) / 2;
      left += relEntr(a, m);
      right += relEntr(b, m);
    }
  }
  return sumsOk(sp, sq) ? left + right : Number.NaN;
};

/** `sum rel_entr(p, q)` = KL(p || q) in nats; +Infinity where q = 0 < p. */
export const klKernel: PairKernel = (p, q, off, stride, n) => {
  let acc = 0;
  let sp = 0;
  let sq = 0;
  for (let k = 0, j = off; k < n; k++, j += stride) {
    const a = p[j];
    const b = q[j];
    if (!(a >= 0 && b >= 0)) return Number.NaN;
    sp += a;
    sq += b;
    if (a > 0) acc += relEntr(a, b);
  }
  return sumsOk(sp, sq) ? acc : Number.NaN;
};

/** `-sum p log q` = cross-entropy H(p, q) in nats; +Infinity where q = 0 < p. */
export const crossEntropyKernel: PairKernel = (p, q, off, stride, n) => {
  let acc = 0;
  let sp = 0;
  let sq = 0;
  for (let k = 0, j = off; k < n; k++, j += stride) {
    const a = p[j];
    const b = q[j];
    if (!(a >= 0 && b >= 0)) return Number.NaN;
    sp += a;
    sq += b;
    if (a > 0) acc -= a * Math.log(b);
  }
  return sumsOk(sp, sq) ? acc : Number.NaN;
};

/** `sum |p - q|` (twice the total variation). */
export const l1Kernel: PairKernel = (p, q, off, stride, n) => {
  let acc = 0;
  let sp = 0;
  let sq = 0;
  for (let k = 0, j = off; k < n; k++, j += stride) {
    const a = p[j];
    const b = q[j];
    if (!(a >= 0 && b >= 0)) return Number.NaN;
    sp += a;
    sq += b;
    acc += Math.abs(a - b);
  }
  return sumsOk(sp, sq) ? acc : Number.NaN;
};

/** `sum (sqrt p - sqrt q)^2` (twice the squared Hellinger distance); no cancellation, never < 0. */
export const hellingerKernel: PairKernel = (p, q, off, stride, n) => {
  let acc = 0;
  let sp = 0;
  let sq = 0;
  for (let k = 0, j = off; k < n; k++, j += stride) {
    const a = p[j];
    const b = q[j];
    if (!(a >= 0 && b >= 0)) return Number.NaN;
    sp += a;
    sq += b;
    const d = Math.sqrt(a) - Math.sqrt(b);
    acc += d * d;
  }
  return sumsOk(sp, sq) ? acc : Number.NaN;
};

/** `sum -p log p` = Shannon entropy H(p) in nats (`scipy.special.entr` summed), or NaN if invalid. */
export function entropyKernel(p: ArrayLike<number>, off: number, stride: number, n: number): number {
  let acc = 0;
  let sp = 0;
  for (let k = 0, j = off; k < n; k++, j += stride) {
    const a = p[j];
    if (!(a >= 0)) return Number.NaN;
    sp += a;
    if (a > 0) acc -= a * Math.log(a);
  }
  return Math.abs(sp - 1) <= SUM_TOLERANCE ? acc : Number.NaN;
}
