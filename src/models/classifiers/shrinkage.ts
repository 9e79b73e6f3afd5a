/**
 * Covariance estimators for the discriminant analyses, as `sklearn.covariance`: the empirical
 * (maximum-likelihood, 1/n) covariance, fixed shrinkage towards a scaled identity, and Ledoit–Wolf's
 * optimal shrinkage (Ledoit & Wolf 2004, "A well-conditioned estimator for large-dimensional
 * covariance matrices", J. Multivar. Anal. 88(2), Lemma 3.2 / sklearn's `ledoit_wolf_shrinkage`).
 */
import { ValueError } from "../../errors.js";
import { gram } from "../../linalg/dense.js";
import { type Matrix, zeros } from "../../linalg/matrix.js";

/** Column means `[d]` of `X` `[n, d]`. */
export function columnMeans(X: Matrix): Float64Array {
  const { rows: n, cols: d, data } = X;
  const m = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) m[j] += data[i * d + j];
  for (let j = 0; j < d; j++) m[j] /= n;
  return m;
}

/** `X` minus its column means (a new matrix). */
export function centerColumns(X: Matrix, means = columnMeans(X)): Matrix {
  const { rows: n, cols: d, data } = X;
  const out = zeros(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out.data[i * d + j] = data[i * d + j] - means[j];
  return out;
}

/** The empirical covariance `[d, d]`, `(X − x̄)ᵀ(X − x̄) / n` (sklearn's `empirical_covariance`). */
export function empiricalCovariance(X: Matrix, opts: { assumeCentered?: boolean } = {}): Matrix {
  const Xc = opts.assumeCentered ? X : centerColumns(X);
  const S = gram(Xc);
  for (let k = 0; k < S.data.length; k++) S.data[k] /= X.rows;
  return S;
}

/** `(1 − s) S + s μ I` with `μ = tr(S) / d` (sklearn's `shrunk_covariance`); `s` in [0, 1]. */
export function shrunkCovariance(S: Matrix, shrinkage: number): Matrix {
  if (!(shrinkage >= 0 && shrinkage <= 1))
    throw new ValueError(`shrunkCovariance: shrinkage must be in [0, 1], but got ${shrinkage}`);
  const d = S.rows;
  let trace = 0;
  for (let j = 0; j < d; j++) trace += S.data[j * d + j];
  const out = zeros(d, d);
  for (let k = 0; k < S.data.length; k++) out.data[k] = (1 - shrinkage) * S.data[k];
  for (let j = 0; j < d; j++) out.data[j * d + j] += (shrinkage * trace) / d;
  return out;
}

/**
 * Ledoit–Wolf shrinkage intensity from the empirical covariance `S` of centred data, `Σ_i ‖x_i‖⁴`
 * and `n` (the closed form of sklearn's blocked `ledoit_wolf_shrinkage`).
 */
export function ledoitWolfFromMoments(S: Matrix, sumFourth: number, n: number): number {
  const d = S.rows;
  let trace = 0;
  let frob = 0;
  for (let j = 0; j < d; j++) trace += S.data[j * d + j];
  for (let k = 0; k < S.data.length; k++) frob += S.data[k] * S.data[k];
  const mu = trace / d;
  // β̄ = (1 / (d n)) (Σ_i ‖x_i‖⁴ / n − ‖S‖²_F); δ = ‖S − μ I‖²_F / d
  let beta = (sumFourth / n - frob) / (d * n);
  const delta = (frob - 2 * mu * trace + d * mu * mu) / d;
  beta = Math.min(beta, delta);
  return beta === 0 ? 0 : beta / delta;
}

/** Ledoit–Wolf shrinkage intensity in [0, 1] of `X` `[n, d]` (sklearn's `ledoit_wolf_shrinkage`). */
export function ledoitWolfShrinkage(X: Matrix, opts: { assumeCentered?: boolean } = {}): number {
  return ledoitWolf(X, opts).shrinkage;
}

/** The Ledoit–Wolf shrunk covariance `[d, d]` and its intensity (sklearn's `ledoit_wolf`). */
export function ledoitWolf(
  X: Matrix,
  opts: { assumeCentered?: boolean } = {},
): { covariance: Matrix; shrinkage: number } {
  const Xc = opts.assumeCentered ? X : centerColumns(X);
  const S = empiricalCovariance(Xc, { assumeCentered: true });
  if (X.cols === 1) return { covariance: S, shrinkage: 0 };
  const shrinkage = ledoitWolfFromMoments(S, sumFourthPowers(Xc), X.rows);
  return { covariance: shrunkCovariance(S, shrinkage), shrinkage };
}

function sumFourthPowers(Xc: Matrix, scale?: Float64Array): number {
  const { rows: n, cols: d, data } = Xc;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const z = scale ? data[i * d + j] / scale[j] : data[i * d + j];
      s += z * z;
    }
    total += s * s;
  }
  return total;
}

/**
 * scikit-learn's `shrinkage="auto"` covariance for LDA: standardise the features (zero-variance
 * features keep scale 1), apply Ledoit–Wolf, and scale back. With `assumeCentered`, `X` is already
 * centred and `means` may give the original column means (used only to detect constant features);
 * `empirical` may pass the already computed empirical covariance of `X`.
 */
export function autoShrunkCovariance(
  X: Matrix,
  opts: { assumeCentered?: boolean; empirical?: Matrix; means?: Float64Array } = {},
): { covariance: Matrix; shrinkage: number } {
  const d = X.cols;
  const Xc = opts.assumeCentered ? X : centerColumns(X);
  const S = opts.empirical ?? empiricalCovariance(Xc, { assumeCentered: true });
  // StandardScaler's scale: the standard deviation, or 1 for a (numerically) constant feature
  const n = X.rows;
  const means = opts.means ?? columnMeans(X);
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const v = S.data[j * d + j];
    const bound = n * Number.EPSILON * v + (n * means[j] * Number.EPSILON) ** 2;
    scale[j] = v <= bound ? 1 : Math.sqrt(v);
  }
  const R = zeros(d, d);
  for (let j = 0; j < d; j++)
    for (let k = 0; k < d; k++) R.data[j * d + k] = S.data[j * d + k] / (scale[j] * scale[k]);
  const shrinkage = d === 1 ? 0 : ledoitWolfFromMoments(R, sumFourthPowers(Xc, scale), X.rows);
  const shrunk = shrunkCovariance(R, shrinkage);
  for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) shrunk.data[j * d + k] *= scale[j] * scale[k];
  return { covariance: shrunk, shrinkage };
}
