/**
 * Maximum mean discrepancy between two samples with the Gaussian RBF kernel
 * k(x, y) = exp(-|x - y|² / (2σ²)) (Gretton, Borgwardt, Rasch, Schölkopf & Smola 2012, "A kernel
 * two-sample test", JMLR 13:723). Bandwidth σ: given, or the median heuristic (the median distance
 * between points of the pooled sample, Gretton et al. 2012 §8). O((n+m)²·d) time, O(1) extra memory:
 * the kernel sums are accumulated, no Gram matrix is stored.
 */
import { ValueError } from "../errors.js";
import { asPoints, checkSameDim, medianInPlace, type Points, sqDist } from "./points.js";

/** Options of `mmd2`. */
export type MmdOptions = {
  /** RBF bandwidth σ > 0, or "median" (default): the median heuristic on the pooled sample */
  bandwidth?: number | "median";
  /** "unbiased" U-statistic (default, eq. 3) or "biased" V-statistic (eq. 5) */
  estimator?: "unbiased" | "biased";
  /** median heuristic: at most this many pooled points (evenly spaced), default 2000 */
  medianPoints?: number;
};

/**
 * Median heuristic bandwidth: the median Euclidean distance over distinct pairs of the pooled sample
 * X ∪ Y (NumPy's median: the mean of the middle two for an even count). With more than `maxPoints`
 * pooled points (default 2000), the pooled rows at evenly spaced positions floor((k + 0.5)·N/maxPoints).
 */
export function medianBandwidth(X: Points, Y: Points, opts: { maxPoints?: number } = {}): number {
  const fn = "medianBandwidth";
  const x = asPoints(X, fn, "X");
  const y = asPoints(Y, fn, "Y");
  checkSameDim(x, y, fn);
  const maxPoints = opts.maxPoints ?? 2000;
  if (!Number.isInteger(maxPoints) || maxPoints < 2)
    throw new ValueError(`${fn}: maxPoints must be an integer >= 2, but got ${maxPoints}`);
  const d = x.cols;
  const N = x.rows + y.rows;
  const m = Math.min(N, maxPoints);
  const pool = new Float64Array(m * d);
  for (let k = 0; k < m; k++) {
    const r = m === N ? k : Math.floor(((k + 0.5) * N) / m);
    const src =
      r < x.rows
        ? x.data.subarray(r * d, r * d + d)
        : y.data.subarray((r - x.rows) * d, (r - x.rows) * d + d);
    pool.set(src, k * d);
  }
  const dist = new Float64Array((m * (m - 1)) / 2);
  let p = 0;
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++) dist[p++] = Math.sqrt(sqDist(pool, i, pool, j, d));
  const med = medianInPlace(dist);
  if (!(med > 0))
    throw new ValueError(
      `${fn}: the median pairwise distance must be positive, but is ${med} (pass bandwidth)`,
    );
  return med;
}

/** Σ k(a_i, b_j) over i, j (or over i != j within one sample when `same`), σ² as `2σ²` in `twoS2`. */
function kernelSum(
  a: Float64Array,
  na: number,
  b: Float64Array,
  nb: number,
  d: number,
  twoS2: number,
  same: boolean,
): number {
  let s = 0;
  if (same) {
    for (let i = 0; i < na; i++)
      for (let j = i + 1; j < na; j++) s += Math.exp(-sqDist(a, i, a, j, d) / twoS2);
    return 2 * s;
  }
  for (let i = 0; i < na; i++) for (let j = 0; j < nb; j++) s += Math.exp(-sqDist(a, i, b, j, d) / twoS2);
  return s;
}

/**
 * Squared MMD between samples `X` `[n, d]` and `Y` `[m, d]` with an RBF kernel: the unbiased
 * U-statistic (Gretton et al. 2012, eq. 3; may be slightly negative) or the biased V-statistic (eq. 5).
 */
export function mmd2(X: Points, Y: Points, opts: MmdOptions = {}): number {
  const fn = "mmd2";
  const estimator = opts.estimator ?? "unbiased";
  if (estimator !== "unbiased" && estimator !== "biased")
    throw new ValueError(`${fn}: estimator must be "unbiased" or "biased", but got ${String(estimator)}`);
  const minRows = estimator === "unbiased" ? 2 : 1;
  const x = asPoints(X, fn, "X", minRows);
  const y = asPoints(Y, fn, "Y", minRows);
  checkSameDim(x, y, fn);
  const bw = opts.bandwidth ?? "median";
  let sigma: number;
  if (bw === "median") sigma = medianBandwidth(x, y, { maxPoints: opts.medianPoints });
  else if (typeof bw === "number" && bw > 0 && Number.isFinite(bw)) sigma = bw;
  else throw new ValueError(`${fn}: bandwidth must be a positive number or "median", but got ${String(bw)}`);
  const twoS2 = 2 * sigma * sigma;
  const n = x.rows;
  const m = y.rows;
  const d = x.cols;
  const kxx = kernelSum(x.data, n, x.data, n, d, twoS2, true);
  const kyy = kernelSum(y.data, m, y.data, m, d, twoS2, true);
  const kxy = kernelSum(x.data, n, y.data, m, d, twoS2, false);
  if (estimator === "unbiased") return kxx / (n * (n - 1)) + kyy / (m * (m - 1)) - (2 * kxy) / (n * m);
  // the diagonal terms k(x, x) = 1
  return (kxx + n) / (n * n) + (kyy + m) / (m * m) - (2 * kxy) / (n * m);
}
