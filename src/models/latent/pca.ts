/**
 * Principal component analysis, as scikit-learn 1.2's `PCA`: centre, thin SVD `Xc = U S Vᵀ`, keep
 * the first k right singular vectors (signs by `svd_flip`), explained variances `S²/(n − 1)`, and
 * `noise_variance_` (the mean of the discarded ones). Solvers: "full" (exact Jacobi SVD for
 * min(n, d) ≤ 100, else the eigendecomposition of the scatter or Gram matrix by Householder
 * tridiagonalisation), "randomized" (Halko, Martinsson & Tropp 2011), and "auto" (scikit-learn's
 * rule). Reference: https://scikit-learn.org/1.2/modules/generated/sklearn.decomposition.PCA.html
 */
import { describe, ValueError } from "../../errors.js";
import { hostUniforms } from "../../host-random.js";
import type { Array as JaxArray } from "../../jax.js";
import { matmul } from "../../linalg/dense.js";
import { checkFinite, checkShape, type Matrix, zeros } from "../../linalg/matrix.js";
import {
  boxMuller,
  JACOBI_MAX,
  matmulNT,
  type SvdResult,
  seededUniforms,
  svdEigen,
  svdJacobi,
  svdRandomized,
} from "./pca-solvers.js";

/** The SVD solver: exact ("full"), randomized, or scikit-learn's choice between them ("auto"). */
export type PcaSolver = "full" | "randomized" | "auto";

/** Options of `pcaFit`. */
export type PcaOptions = {
  /** components to keep: an integer in [1, min(n, d)], or a fraction in (0, 1) of the variance to explain ("full" only); default min(n, d) */
  nComponents?: number;
  /** scale the scores to unit variance in `pcaTransform` (default false) */
  whiten?: boolean;
  /** default "auto": "full" when max(n, d) ≤ 500 or nComponents is a fraction, "randomized" when k < 0.8 min(n, d), else "full" */
  solver?: PcaSolver;
  /** PRNG key for the randomized solver's test matrix (consumed whatever the solver); without one a fixed seed is used */
  key?: JaxArray;
  /** randomized: extra columns of the test matrix (scikit-learn's `n_oversamples`, default 10) */
  nOversamples?: number;
  /** randomized: power iterations (scikit-learn's `iterated_power`; default 7 when k < 0.1 min(n, d), else 4) */
  nIter?: number;
};

/** A fitted PCA (the fields of scikit-learn's `PCA` after `fit`). */
export type PcaModel = {
  /** per-feature mean `[d]` */
  mean: Float64Array;
  /** principal axes `[k, d]`, unit-norm rows, signs as scikit-learn's `svd_flip` */
  components: Matrix;
  /** variance along each axis `[k]`: `S²/(n − 1)` */
  explainedVariance: Float64Array;
  /** `explainedVariance / total variance` `[k]` */
  explainedVarianceRatio: Float64Array;
  /** singular values of the centred data `[k]` */
  singularValues: Float64Array;
  /** mean explained variance of the discarded components (scikit-learn's `noise_variance_`; 0 when k = min(n, d)) */
  noiseVariance: number;
  nSamples: number;
  whiten: boolean;
  /** the solver that ran */
  solver: "full" | "randomized";
};

/** Column means `[d]` and the centred copy `X − mean` `[n, d]`. */
export function centre(X: Matrix): { mean: Float64Array; Xc: Matrix } {
  const { rows: n, cols: d, data } = X;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const Xc = zeros(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc.data[i * d + j] = data[i * d + j] - mean[j];
  return { mean, Xc };
}

/** Check `X` at a fit: a finite `[n, d]` Matrix with n ≥ 2 and d ≥ 1. */
export function checkFitData(X: Matrix, fn: string): void {
  checkShape(X, fn, "X", undefined, 2);
  if (X.cols < 1) throw new ValueError(`${fn}: X must have at least 1 column, but has 0`);
  checkFinite(X, "X", fn);
}

function resolveSolver(
  solver: unknown,
  n: number,
  d: number,
  k: number,
  fraction: boolean,
): "full" | "randomized" {
  if (solver !== "full" && solver !== "randomized" && solver !== "auto")
    throw new ValueError(
      `pcaFit: solver must be "full", "randomized" or "auto", but got ${describe(solver)}`,
    );
  if (solver === "randomized" && fraction)
    throw new ValueError(`pcaFit: nComponents must be an integer with solver "randomized", but got ${k}`);
  if (solver !== "auto") return solver;
  if (Math.max(n, d) <= 500 || fraction) return "full";
  return k < 0.8 * Math.min(n, d) ? "randomized" : "full";
}

/** The number of leading components whose cumulative explained-variance ratio first exceeds `fraction` (scikit-learn's `searchsorted(..., side="right") + 1`). */
function componentsForFraction(s: Float64Array, fraction: number): number {
  let total = 0;
  for (const v of s) total += v * v;
  let cum = 0;
  let below = 0;
  for (const v of s) {
    cum += (v * v) / total;
    if (cum <= fraction) below++;
  }
  return Math.min(below + 1, s.length);
}

/**
 * Fit PCA to `X` `[n, d]` (n ≥ 2): mean, components `[k, d]`, explained variances and ratios,
 * singular values and noise variance, matching scikit-learn's `PCA(n_components, whiten,
 * svd_solver).fit(X)` (components exactly, up to rounding, for the exact solvers).
 */
export function pcaFit(X: Matrix, opts: PcaOptions = {}): PcaModel {
  const key = opts.key;
  let solver: "full" | "randomized";
  let nIter: number;
  let nOversamples: number;
  let target: number;
  let fraction = false;
  const n = X?.rows;
  const d = X?.cols;
  try {
    checkFitData(X, "pcaFit");
    const r = Math.min(n, d);
    const nc = opts.nComponents ?? r;
    if (typeof nc === "number" && Number.isInteger(nc) && nc >= 1 && nc <= r) target = nc;
    else if (typeof nc === "number" && nc > 0 && nc < 1) {
      target = nc;
      fraction = true;
    } else
      throw new ValueError(
        `pcaFit: nComponents must be an integer in [1, ${r}] (min(n, d)) or a fraction in (0, 1), but got ${describe(nc)}`,
      );
    if (opts.whiten !== undefined && typeof opts.whiten !== "boolean")
      throw new ValueError(`pcaFit: whiten must be a boolean, but got ${describe(opts.whiten)}`);
    solver = resolveSolver(opts.solver ?? "auto", n, d, target, fraction);
    nOversamples = opts.nOversamples ?? 10;
    if (!Number.isInteger(nOversamples) || nOversamples < 0)
      throw new ValueError(
        `pcaFit: nOversamples must be a non-negative integer, but got ${describe(nOversamples)}`,
      );
    nIter = opts.nIter ?? (target < 0.1 * r ? 7 : 4);
    if (!Number.isInteger(nIter) || nIter < 0)
      throw new ValueError(`pcaFit: nIter must be a non-negative integer, but got ${describe(nIter)}`);
  } catch (e) {
    key?.dispose();
    throw e;
  }
  const { mean, Xc } = centre(X);
  let res: SvdResult;
  if (solver === "randomized") {
    const draw = (count: number) => {
      const even = count + (count % 2);
      return boxMuller(key ? hostUniforms(key, even) : seededUniforms(even), count);
    };
    res = svdRandomized(Xc, target, nOversamples, nIter, draw);
  } else {
    key?.dispose();
    const pick = (s: Float64Array) => (fraction ? componentsForFraction(s, target) : target);
    res = Math.min(n, d) <= JACOBI_MAX ? svdJacobi(Xc, pick) : svdEigen(Xc, pick);
  }
  return assemble(Xc, mean, res, solver, opts.whiten ?? false);
}

/** Variances, ratios and noise variance from the SVD, as scikit-learn's `_fit_full` / `_fit_truncated`. */
function assemble(
  Xc: Matrix,
  mean: Float64Array,
  res: SvdResult,
  solver: "full" | "randomized",
  whiten: boolean,
): PcaModel {
  const { rows: n, cols: d } = Xc;
  const { s, k } = res;
  const r = Math.min(n, d);
  const ev = Float64Array.from(s, (v) => (v * v) / (n - 1));
  let total = 0;
  let noise = 0;
  if (solver === "full") {
    for (const v of ev) total += v;
    if (k < r) {
      for (let j = k; j < r; j++) noise += ev[j];
      noise /= r - k;
    }
  } else {
    const colSq = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) colSq[j] += Xc.data[i * d + j] ** 2;
    for (const v of colSq) total += v / (n - 1);
    if (k < r) {
      let kept = 0;
      for (let j = 0; j < k; j++) kept += ev[j];
      noise = (total - kept) / (r - k);
    }
  }
  const explainedVariance = ev.slice(0, k);
  return {
    mean,
    components: { rows: k, cols: d, data: res.components },
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => v / total),
    singularValues: s.slice(0, k),
    noiseVariance: noise,
    nSamples: n,
    whiten,
    solver,
  };
}

/** Scores `[n, k]`: `(X − mean) componentsᵀ`, divided by √explainedVariance when whitening (scikit-learn's `transform`). */
export function pcaTransform(model: PcaModel, X: Matrix): Matrix {
  const { mean, components, explainedVariance, whiten } = model;
  const d = mean.length;
  const k = components.rows;
  checkShape(X, "pcaTransform", "X", d);
  const n = X.rows;
  const Xc = zeros(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc.data[i * d + j] = X.data[i * d + j] - mean[j];
  const Z = matmulNT(Xc.data, n, components.data, k, d);
  if (whiten) {
    const inv = explainedVariance.map((v) => 1 / Math.sqrt(v));
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) Z[i * k + j] *= inv[j];
  }
  return { rows: n, cols: k, data: Z };
}

/** Back to feature space `[n, d]`: `Z components + mean` (scores scaled by √explainedVariance first when whitening). */
export function pcaInverseTransform(model: PcaModel, Z: Matrix): Matrix {
  const { mean, components, explainedVariance, whiten } = model;
  const d = mean.length;
  const k = components.rows;
  if (!Z || !(Z.data instanceof Float64Array) || Z.data.length !== Z.rows * Z.cols || Z.cols !== k)
    throw new ValueError(
      `pcaInverseTransform: Z must be a Matrix with ${k} columns (components), but got ${Z?.cols}`,
    );
  let Zs = Z;
  if (whiten) {
    Zs = zeros(Z.rows, k);
    const sd = explainedVariance.map((v) => Math.sqrt(v));
    for (let i = 0; i < Z.rows; i++)
      for (let j = 0; j < k; j++) Zs.data[i * k + j] = Z.data[i * k + j] * sd[j];
  }
  const out = matmul(Zs, components);
  for (let i = 0; i < out.rows; i++) for (let j = 0; j < d; j++) out.data[i * d + j] += mean[j];
  return out;
}
