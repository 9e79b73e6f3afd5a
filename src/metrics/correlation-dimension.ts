/**
 * Correlation dimension (Grassberger & Procaccia 1983, "Measuring the strangeness of strange
 * attractors", Physica D 9:189): the correlation sum
 *   C(r) = #{(i, j) : i a reference point, j != i, |i - j| > w, |x_i - x_j| <= r} / #{eligible pairs}
 * over log-spaced radii, and D2 = d log C / d log r in the scaling range. Pairs closer in time than
 * the Theiler window w are left out (Theiler 1986, Phys. Rev. A 34:2427) so that a sampled
 * trajectory's consecutive points do not pose as spatial neighbours; w = 0 leaves out only i = j.
 *
 * Counting: a dual-tree traversal (`countPairsWithinRadii`, k-d trees over the reference points and
 * over all points) resolves whole pairs of nodes for all radii at once, so the cost grows with the
 * number of radii, not with the number of neighbours, and memory is O(n·d). The Theiler pairs are counted and subtracted
 * exactly. Reference points may be subsampled (evenly spaced, or at random from a key): C(r) is then
 * an average over those references of their neighbour fractions among all n points.
 *
 * Choosing sizes (what the tests use, each well under a second on one core): the scaling range must
 * lie above the radii where few pairs make C(r) noisy and below the size of the attractor where C
 * saturates. Lorenz-63 (standardised, one point per 0.1 time units, w = 10): 20,000 points, 4,000
 * references, r in [0.05, 0.5] → 2.05–2.07. Hénon: 100,000 iterates, 10,000 references, r in
 * [1e-4, 1e-1] (three decades average out its log-periodic slope oscillations) → 1.20–1.21. Logistic
 * map at r∞: 10,000 iterates, r in [1e-5, 1e-2] → 0.50. More references lower the noise of C, more
 * points extend the range downwards; neither moves the estimate much once the range is right.
 */

import { NumericalError, ValueError } from "../errors.js";
import { hostUniforms } from "../host-random.js";
import type { Array } from "../jax.js";
import { type Matrix, takeRows } from "../linalg/matrix.js";
import { buildKdTree, countPairsWithinRadii } from "./neighbours.js";
import { asPoints, checkPositiveInt, type Points, sqDist } from "./points.js";

/** Radii as an ascending list, or `count` (default 40) log-spaced values from `min` to `max`. */
export type RadiiSpec = ArrayLike<number> | { min: number; max: number; count?: number };

/** Options of `correlationSum`. */
export type CorrelationSumOptions = {
  /** radii (default: 40 log-spaced from 1e-4·D to D, D the bounding-box diagonal) */
  radii?: RadiiSpec;
  /** Theiler window w >= 0: pairs with |i - j| <= w are excluded (default 0) */
  theiler?: number;
  /** number of reference points (default all n) */
  references?: number;
  /** with `references` < n: draw them at random (consumed; otherwise evenly spaced) */
  key?: Array;
  /** k-d tree leaf size (default 8, fastest for the dual-tree count on Lorenz data) */
  leafSize?: number;
};

/** A correlation sum C(r) over radii `[K]`. */
export type CorrelationSum = {
  radii: Float64Array;
  /** C(r_k) in [0, 1] */
  sum: Float64Array;
  /** number of (reference, point) pairs within r_k */
  pairs: Float64Array;
  /** number of eligible (reference, point) pairs, the denominator */
  totalPairs: number;
  /** the reference rows (ascending) */
  referenceRows: Int32Array;
  theiler: number;
};

/** Options of `fitCorrelationDimension`: an explicit range, or the automatic scaling range. */
export type DimensionFitOptions = {
  /** fit over radii in [rMin, rMax]; omitted: the automatic scaling range */
  range?: [number, number];
  /** automatic range: local slopes may spread by at most 2·tolerance (default 0.1) */
  tolerance?: number;
  /** automatic range: radii with fewer counted pairs are skipped (default 100) */
  minPairs?: number;
  /** automatic range: radii with C(r) above this are skipped (default 0.5) */
  maxSum?: number;
  /** automatic range: at least this many radii (default 5) */
  minRadii?: number;
};

/** A fitted dimension: the least-squares slope of log C against log r over [rMin, rMax]. */
export type DimensionFit = {
  dimension: number;
  /** intercept of log C(r) = intercept + dimension · log r */
  intercept: number;
  rMin: number;
  rMax: number;
  /** radii used in the fit */
  count: number;
  /** whether the range was chosen automatically */
  automatic: boolean;
};

/** Resolve a radii spec into ascending positive radii. */
function resolveRadii(spec: RadiiSpec | undefined, X: Matrix, fn: string): Float64Array {
  if (spec === undefined) {
    let diag2 = 0;
    for (let c = 0; c < X.cols; c++) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < X.rows; i++) {
        const v = X.data[i * X.cols + c];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      diag2 += (hi - lo) * (hi - lo);
    }
    const D = Math.sqrt(diag2);
    if (!(D > 0)) throw new ValueError(`${fn}: X must not be a single repeated point`);
    spec = { min: D * 1e-4, max: D, count: 40 };
  }
  if ("min" in spec && "max" in spec) {
    const { min, max, count = 40 } = spec;
    if (!(min > 0 && max > min && Number.isFinite(max)))
      throw new ValueError(`${fn}: radii must have 0 < min < max, but got min ${min}, max ${max}`);
    checkPositiveInt(count, fn, "radii.count", 2);
    const r = new Float64Array(count);
    const step = Math.log(max / min) / (count - 1);
    for (let k = 0; k < count; k++) r[k] = min * Math.exp(step * k);
    r[count - 1] = max;
    return r;
  }
  const r = Float64Array.from(spec as ArrayLike<number>);
  if (r.length < 2) throw new ValueError(`${fn}: radii must have at least 2 values, but got ${r.length}`);
  for (let k = 0; k < r.length; k++) {
    if (!(r[k] > 0 && Number.isFinite(r[k])) || (k > 0 && !(r[k] > r[k - 1])))
      throw new ValueError(
        `${fn}: radii must be positive, finite and increasing, but radii[${k}] is ${r[k]}`,
      );
  }
  return r;
}

/** Reference rows: all, evenly spaced, or a random subset (sorted) drawn with `key`. */
function chooseReferences(n: number, m: number, key: Array | undefined): Int32Array {
  const out = new Int32Array(m);
  if (m >= n) {
    key?.dispose();
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }
  if (key === undefined) {
    for (let k = 0; k < m; k++) out[k] = Math.floor(((k + 0.5) * n) / m);
    return out;
  }
  // partial Fisher–Yates over 0..n-1
  const u = hostUniforms(key, m);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let k = 0; k < m; k++) {
    const j = k + Math.floor(u[k] * (n - k));
    const t = perm[k];
    perm[k] = perm[j];
    perm[j] = t;
    out[k] = perm[k];
  }
  return out.sort();
}

/**
 * Correlation sum C(r) of points `X` `[n, d]` (Grassberger & Procaccia 1983, eq. 3 with a Theiler
 * window; "within r" is |x_i - x_j| <= r, as in scipy's cKDTree.count_neighbors); consumes `opts.key`.
 */
export function correlationSum(X: Points, opts: CorrelationSumOptions = {}): CorrelationSum {
  const fn = "correlationSum";
  const key = opts.key;
  try {
    const P = asPoints(X, fn, "X", 2);
    const n = P.rows;
    const d = P.cols;
    const w = opts.theiler ?? 0;
    checkPositiveInt(w, fn, "theiler", 0);
    const m = opts.references ?? n;
    checkPositiveInt(m, fn, "references");
    const radii = resolveRadii(opts.radii, P, fn);
    const K = radii.length;
    const r2 = radii.map((r) => r * r);
    const refs = chooseReferences(n, Math.min(m, n), key);
    // 1. all (reference, point) pairs within each radius, self-pairs included
    const leafSize = opts.leafSize ?? 8;
    const tree = buildKdTree(P, { leafSize });
    const refTree = refs.length === n ? tree : buildKdTree(takeRows(P, refs), { leafSize });
    const pairs = new Float64Array(K);
    countPairsWithinRadii(refTree, tree, r2, pairs);
    // 2. minus the pairs inside the Theiler window (i itself at lag 0)
    const theilerDiff = new Float64Array(K + 1);
    let totalPairs = 0;
    for (let k = 0; k < refs.length; k++) {
      const i = refs[k];
      const a = Math.max(0, i - w);
      const b = Math.min(n - 1, i + w);
      for (let j = a; j <= b; j++) {
        const s = sqDist(P.data, i, P.data, j, d);
        let lo = 0;
        let hi = K;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (r2[mid] >= s) hi = mid;
          else lo = mid + 1;
        }
        theilerDiff[lo]++;
      }
      totalPairs += n - (b - a + 1);
    }
    if (totalPairs <= 0)
      throw new ValueError(`${fn}: theiler must leave some pairs, but w = ${w} excludes all of n = ${n}`);
    let acc = 0;
    const sum = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      acc += theilerDiff[k];
      pairs[k] -= acc;
      sum[k] = pairs[k] / totalPairs;
    }
    return { radii, sum, pairs, totalPairs, referenceRows: refs, theiler: w };
  } catch (e) {
    if (key && key.refCount > 0) key.dispose();
    throw e;
  }
}

/** Local slopes d log C / d log r between consecutive radii `[K-1]`, at their geometric midpoints; NaN where C = 0. */
export function localSlopes(cs: CorrelationSum): { radii: Float64Array; slopes: Float64Array } {
  const K = cs.radii.length;
  const radii = new Float64Array(K - 1);
  const slopes = new Float64Array(K - 1);
  for (let k = 0; k + 1 < K; k++) {
    radii[k] = Math.sqrt(cs.radii[k] * cs.radii[k + 1]);
    const c0 = cs.sum[k];
    const c1 = cs.sum[k + 1];
    slopes[k] = c0 > 0 && c1 > 0 ? Math.log(c1 / c0) / Math.log(cs.radii[k + 1] / cs.radii[k]) : Number.NaN;
  }
  return { radii, slopes };
}

/** Least-squares line through (log r_k, log C_k), k in [a, b]. */
function lineFit(cs: CorrelationSum, a: number, b: number): { slope: number; intercept: number } {
  let sx = 0;
  let sy = 0;
  const m = b - a + 1;
  for (let k = a; k <= b; k++) {
    sx += Math.log(cs.radii[k]);
    sy += Math.log(cs.sum[k]);
  }
  const mx = sx / m;
  const my = sy / m;
  let sxx = 0;
  let sxy = 0;
  for (let k = a; k <= b; k++) {
    const dx = Math.log(cs.radii[k]) - mx;
    sxx += dx * dx;
    sxy += dx * (Math.log(cs.sum[k]) - my);
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/**
 * D2 from a correlation sum: the least-squares slope of log C on log r over `range`, or over the
 * automatic scaling range, the widest run of consecutive radii (widest in log r; ties: smallest
 * spread) with at least `minPairs` pairs and C <= `maxSum` whose local slopes stay within
 * 2·`tolerance` of each other (max - min). Throws NumericalError when no such run of `minRadii` exists.
 */
export function fitCorrelationDimension(cs: CorrelationSum, opts: DimensionFitOptions = {}): DimensionFit {
  const fn = "fitCorrelationDimension";
  const K = cs.radii.length;
  if (opts.range) {
    const [rMin, rMax] = opts.range;
    if (!(rMin > 0 && rMax > rMin))
      throw new ValueError(`${fn}: range must have 0 < rMin < rMax, but got [${rMin}, ${rMax}]`);
    let a = -1;
    let b = -1;
    for (let k = 0; k < K; k++) {
      const r = cs.radii[k];
      if (r >= rMin * (1 - 1e-12) && r <= rMax * (1 + 1e-12)) {
        if (!(cs.sum[k] > 0))
          throw new NumericalError(
            `${fn}: C(r) must be positive over the range, but C(${r}) = 0 (raise rMin)`,
          );
        if (a < 0) a = k;
        b = k;
      }
    }
    if (a < 0 || b - a < 1)
      throw new ValueError(
        `${fn}: range [${rMin}, ${rMax}] must contain at least 2 radii, but contains ${a < 0 ? 0 : 1}`,
      );
    const { slope, intercept } = lineFit(cs, a, b);
    return {
      dimension: slope,
      intercept,
      rMin: cs.radii[a],
      rMax: cs.radii[b],
      count: b - a + 1,
      automatic: false,
    };
  }
  const tolerance = opts.tolerance ?? 0.1;
  const minPairs = opts.minPairs ?? 100;
  const maxSum = opts.maxSum ?? 0.5;
  const minRadii = opts.minRadii ?? 5;
  checkPositiveInt(minRadii, fn, "minRadii", 2);
  const ok = (k: number) => cs.pairs[k] >= minPairs && cs.sum[k] > 0 && cs.sum[k] <= maxSum;
  const { slopes } = localSlopes(cs);
  let best: { a: number; b: number; width: number; spread: number } | null = null;
  for (let a = 0; a < K; a++) {
    if (!ok(a)) continue;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let b = a + 1; b < K && ok(b); b++) {
      const s = slopes[b - 1];
      if (s < lo) lo = s;
      if (s > hi) hi = s;
      if (hi - lo > 2 * tolerance) break;
      if (b - a + 1 < minRadii) continue;
      const width = Math.log(cs.radii[b] / cs.radii[a]);
      const spread = hi - lo;
      if (
        !best ||
        width > best.width * (1 + 1e-12) ||
        (width >= best.width * (1 - 1e-12) && spread < best.spread)
      )
        best = { a, b, width, spread };
    }
  }
  if (!best) {
    throw new NumericalError(
      `${fn}: no scaling range of ${minRadii} radii with local slopes within ±${tolerance} (and >= ${minPairs} pairs, C <= ${maxSum}); pass range or loosen tolerance`,
    );
  }
  const { slope, intercept } = lineFit(cs, best.a, best.b);
  return {
    dimension: slope,
    intercept,
    rMin: cs.radii[best.a],
    rMax: cs.radii[best.b],
    count: best.b - best.a + 1,
    automatic: true,
  };
}

/**
 * Correlation dimension D2 of points `X` `[n, d]` (Grassberger & Procaccia 1983): `correlationSum`
 * then `fitCorrelationDimension`; consumes `opts.key`. Returns the fit and the correlation sum.
 */
export function correlationDimension(
  X: Points,
  opts: CorrelationSumOptions & DimensionFitOptions = {},
): DimensionFit & { correlationSum: CorrelationSum } {
  const cs = correlationSum(X, opts);
  return { ...fitCorrelationDimension(cs, opts), correlationSum: cs };
}
