/**
 * Energy distance between two samples (Székely & Rizzo 2013, "Energy statistics: a class of
 * statistics based on distances", J. Stat. Plan. Inference 143:1249, eq. 2.1):
 *   D² = 2 E|X - Y| - E|X - X'| - E|Y - Y'|,
 * with the expectations over all pairs of the empirical distributions (V-statistics, i = j included).
 * `energyDistance` returns D = sqrt(D²), SciPy's normalisation (`scipy.stats.energy_distance`, which
 * in 1-D computes sqrt(2 ∫ (F - G)²) = sqrt(D²)); `energyDistanceSquared` returns D² (as
 * `dcor.energy_distance`). Euclidean norms; O((n+m)²·d) time and O(1) extra memory for d > 1,
 * O((n+m) log(n+m)) from the CDFs for d = 1.
 */
import { asPoints, checkSameDim, type Points, sqDist } from "./points.js";

/** Σ over all ordered pairs of Euclidean distances between rows of a and b. */
function distanceSum(
  a: Float64Array,
  na: number,
  b: Float64Array,
  nb: number,
  d: number,
  same: boolean,
): number {
  let s = 0;
  if (same) {
    for (let i = 0; i < na; i++) for (let j = i + 1; j < na; j++) s += Math.sqrt(sqDist(a, i, a, j, d));
    return 2 * s;
  }
  for (let i = 0; i < na; i++) for (let j = 0; j < nb; j++) s += Math.sqrt(sqDist(a, i, b, j, d));
  return s;
}

/** 2 ∫ (F - G)² for 1-D samples, as SciPy's `_cdf_distance(2, u, v)` squared. */
function energy1d(u: Float64Array, v: Float64Array): number {
  const us = Float64Array.from(u).sort();
  const vs = Float64Array.from(v).sort();
  const n = us.length;
  const m = vs.length;
  let i = 0;
  let j = 0;
  let acc = 0;
  // walk the merged sorted values; between consecutive values the CDFs are i/n and j/m
  let prev = Math.min(us[0], vs[0]);
  while (i < n || j < m) {
    const next = j >= m || (i < n && us[i] <= vs[j]) ? us[i] : vs[j];
    const diff = i / n - j / m;
    acc += diff * diff * (next - prev);
    while (i < n && us[i] === next) i++;
    while (j < m && vs[j] === next) j++;
    prev = next;
  }
  return 2 * acc;
}

/**
 * Squared energy distance D² = 2E|X−Y| − E|X−X'| − E|Y−Y'| between samples `X` `[n, d]` and `Y`
 * `[m, d]` (Székely & Rizzo 2013, eq. 2.1, V-statistics); >= 0 up to rounding.
 */
export function energyDistanceSquared(X: Points, Y: Points): number {
  const fn = "energyDistanceSquared";
  const x = asPoints(X, fn, "X");
  const y = asPoints(Y, fn, "Y");
  checkSameDim(x, y, fn);
  const n = x.rows;
  const m = y.rows;
  const d = x.cols;
  if (d === 1) return energy1d(x.data, y.data);
  const xy = distanceSum(x.data, n, y.data, m, d, false);
  const xx = distanceSum(x.data, n, x.data, n, d, true);
  const yy = distanceSum(y.data, m, y.data, m, d, true);
  return (2 * xy) / (n * m) - xx / (n * n) - yy / (m * m);
}

/**
 * Energy distance sqrt(2E|X−Y| − E|X−X'| − E|Y−Y'|) between `X` `[n, d]` and `Y` `[m, d]`, SciPy's
 * normalisation (`scipy.stats.energy_distance` in 1-D); a rounding-negative D² gives 0.
 */
export function energyDistance(X: Points, Y: Points): number {
  return Math.sqrt(Math.max(0, energyDistanceSquared(X, Y)));
}
