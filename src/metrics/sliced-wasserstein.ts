/**
 * Wasserstein distances through one-dimensional projections. In 1-D, W_p between two empirical
 * distributions (uniform weights, any sizes) is ( ∫_0^1 |F⁻¹(t) − G⁻¹(t)|^p dt )^{1/p}, exact from the
 * sorted samples; for p = 1 it equals `scipy.stats.wasserstein_distance`. The sliced distance
 * (Rabin, Peyré, Delon & Bernot 2011; Bonneel et al. 2015) averages W_p^p over directions θ uniform
 * on the sphere, SW_p = ( mean_θ W_p^p(θ·X, θ·Y) )^{1/p}, as POT's `ot.sliced_wasserstein_distance`.
 */
import { ValueError } from "../errors.js";
import { hostUniforms } from "../host-random.js";
import type { Array } from "../jax.js";
import type { Matrix } from "../linalg/matrix.js";
import { asPoints, checkPositiveInt, checkSameDim, type Points } from "./points.js";

function checkP(p: number, fn: string): void {
  if (!(p >= 1 && Number.isFinite(p)))
    throw new ValueError(`${fn}: p must be a finite number >= 1, but got ${p}`);
}

/** ∫ |F⁻¹ − G⁻¹|^p over [0, 1] for ascending `us` `[n]` and `vs` `[m]`; breakpoints k/n, l/m taken exactly. */
function wassersteinPowerSorted(us: Float64Array, vs: Float64Array, p: number): number {
  const n = us.length;
  const m = vs.length;
  // on [t, t') between consecutive breakpoints, in units of 1/(n m), the quantiles are us[i], vs[j]
  let i = 0;
  let j = 0;
  let t = 0;
  let acc = 0;
  const total = n * m;
  while (t < total) {
    const ti = (i + 1) * m;
    const tj = (j + 1) * n;
    const next = Math.min(ti, tj);
    const gap = Math.abs(us[i] - vs[j]);
    acc += (next - t) * (p === 1 ? gap : p === 2 ? gap * gap : gap ** p);
    t = next;
    if (ti === next) i++;
    if (tj === next) j++;
  }
  return acc / total;
}

/** W_p between 1-D samples `u` `[n]` and `v` `[m]` (p >= 1, default 1: `scipy.stats.wasserstein_distance`). */
export function wassersteinDistance1d(u: ArrayLike<number>, v: ArrayLike<number>, p = 1): number {
  const fn = "wassersteinDistance1d";
  checkP(p, fn);
  const a = asPoints(Float64Array.from(u), fn, "u");
  const b = asPoints(Float64Array.from(v), fn, "v");
  return wassersteinPowerSorted(a.data.sort(), b.data.sort(), p) ** (1 / p);
}

/**
 * `count` directions `[count, d]` uniform on the unit sphere S^{d-1} (normalised Box–Muller normals
 * from `hostUniforms`); consumes `key`, deterministic given it.
 */
export function randomDirections(key: Array, count: number, d: number): Matrix {
  const fn = "randomDirections";
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(d) || d < 1) {
    key.dispose();
    throw new ValueError(`${fn}: count and d must be integers >= 1, but got count ${count}, d ${d}`);
  }
  const u = hostUniforms(key, 2 * count * d);
  const out = new Float64Array(count * d);
  for (let l = 0; l < count; l++) {
    for (;;) {
      let norm2 = 0;
      for (let c = 0; c < d; c++) {
        const k = 2 * (l * d + c);
        const z = Math.sqrt(-2 * Math.log(1 - u[k])) * Math.cos(2 * Math.PI * u[k + 1]);
        out[l * d + c] = z;
        norm2 += z * z;
      }
      if (norm2 > 0) {
        const s = 1 / Math.sqrt(norm2);
        for (let c = 0; c < d; c++) out[l * d + c] *= s;
        break;
      }
      // all-zero draw (probability ~0): reuse the uniforms shifted
      for (let c = 0; c < d; c++) u[2 * (l * d + c) + 1] = (u[2 * (l * d + c) + 1] + 0.25) % 1;
    }
  }
  return { rows: count, cols: d, data: out };
}

/**
 * Sliced W_p of `X` `[n, d]` and `Y` `[m, d]` along the rows of `directions` `[L, d]` (used as given,
 * not normalised): ( mean_l W_p^p(X θ_l, Y θ_l) )^{1/p}.
 */
export function slicedWassersteinAlong(X: Points, Y: Points, directions: Matrix, p = 2): number {
  const fn = "slicedWassersteinAlong";
  checkP(p, fn);
  const x = asPoints(X, fn, "X");
  const y = asPoints(Y, fn, "Y");
  checkSameDim(x, y, fn);
  const dirs = asPoints(directions, fn, "directions");
  checkSameDim(x, dirs, fn, "X", "directions");
  const d = x.cols;
  const px = new Float64Array(x.rows);
  const py = new Float64Array(y.rows);
  let acc = 0;
  for (let l = 0; l < dirs.rows; l++) {
    const th = dirs.data.subarray(l * d, l * d + d);
    for (let i = 0; i < x.rows; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += x.data[i * d + c] * th[c];
      px[i] = s;
    }
    for (let i = 0; i < y.rows; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += y.data[i * d + c] * th[c];
      py[i] = s;
    }
    acc += wassersteinPowerSorted(px.sort(), py.sort(), p);
  }
  return (acc / dirs.rows) ** (1 / p);
}

/**
 * Sliced Wasserstein distance SW_p between `X` `[n, d]` and `Y` `[m, d]` over `projections`
 * (default 128) random directions from `key` (consumed); p defaults to 2. Same units as the data.
 */
export function slicedWasserstein(
  key: Array,
  X: Points,
  Y: Points,
  opts: { projections?: number; p?: number } = {},
): number {
  const fn = "slicedWasserstein";
  const projections = opts.projections ?? 128;
  let x: Matrix;
  let y: Matrix;
  try {
    checkPositiveInt(projections, fn, "projections");
    checkP(opts.p ?? 2, fn);
    x = asPoints(X, fn, "X");
    y = asPoints(Y, fn, "Y");
    checkSameDim(x, y, fn);
  } catch (e) {
    key.dispose();
    throw e;
  }
  return slicedWassersteinAlong(x, y, randomDirections(key, projections, x.cols), opts.p ?? 2);
}
