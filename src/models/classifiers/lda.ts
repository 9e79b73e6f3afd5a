/**
 * Linear discriminant analysis: each class a Gaussian `N(mean_c, Σ)` with one shared covariance,
 * classified by Bayes' rule, with scikit-learn 1.2's three solvers (`svd`, `lsqr`, `eigen`),
 * shrinkage (`"auto"` = Ledoit–Wolf, or a number), `transform` to at most C − 1 discriminant
 * directions, and the generative side scikit-learn lacks (`logJoint`, `logMarginal`, `sample`).
 * Reference: sklearn.discriminant_analysis.LinearDiscriminantAnalysis; Hastie, Tibshirani &
 * Friedman, The Elements of Statistical Learning (2nd ed.), §4.3.
 */
import { describe, NumericalError, ValueError } from "../../errors.js";
import type { Array as JaxArray } from "../../jax.js";
import {
  cholesky,
  choleskySolve,
  eighSym,
  gram,
  matmul,
  matmulTransposeB,
  solveLowerTriangular,
  solveUpperTriangular,
  svd,
  transpose,
} from "../../linalg/dense.js";
import { checkFinite, checkShape, type Matrix, zeros } from "../../linalg/matrix.js";
import { bayesRule } from "./bayes-rule.js";
import {
  argmaxLabels,
  binaryProba,
  classBlocks,
  gaussianFactor,
  logSoftmaxRows,
  resolvePriors,
  sampleClassGaussians,
  softmaxRows,
} from "./gaussian-sampling.js";
import { checkTrainingLabels, type Label } from "./labels.js";
import { autoShrunkCovariance, shrunkCovariance } from "./shrinkage.js";

/** The solver: `svd` (default; no covariance inverse), `lsqr` (solve Σ w = μ), `eigen` (generalised eigenproblem). */
export type LDASolver = "svd" | "lsqr" | "eigen";

/** Options of `LDA.fit` (scikit-learn's names, camelCased). */
export type LDAOptions = {
  /** Default `"svd"`. */
  solver?: LDASolver;
  /** `null` (default), `"auto"` (Ledoit–Wolf on standardised features) or a number in [0, 1]; lsqr and eigen only. */
  shrinkage?: null | "auto" | number;
  /** Class priors `[C]` summing to 1; default: the class frequencies. */
  priors?: ArrayLike<number> | null;
  /** svd solver: singular values below `tol` (of the standardised within-class data) are dropped. Default 1e-4. */
  tol?: number;
  /** Dimensions kept by `transform` (≤ min(C − 1, d)); default all. */
  nComponents?: number | null;
};

/**
 * A fitted LDA (plain object). `coef`/`intercept` have one row per class, or one row for two classes
 * (class 1 versus class 0), as scikit-learn. `covariance` is scikit-learn's `covariance_`:
 * `Σ_c priors_c · Cov_c` with each class's maximum-likelihood (1/n_c) covariance, shrunk when asked.
 * The generative methods use it for every solver (see `logJoint`).
 */
export type LDAFitted = {
  kind: "lda";
  classes: Label[];
  nFeatures: number;
  /** `[C]` */
  priors: Float64Array;
  /** `[C, d]` class means. */
  means: Matrix;
  /** `[d]` `priors @ means`. */
  xbar: Float64Array;
  /** `[C, d]`, or `[1, d]` for two classes. */
  coef: Matrix;
  /** `[C]`, or `[1]` for two classes. */
  intercept: Float64Array;
  /** `[d, d]` shared covariance. */
  covariance: Matrix;
  /** `[d, k]` discriminant directions (svd: k = rank; eigen: k = d; lsqr: k = 0). */
  scalings: Matrix;
  /** `[min(C − 1, d)]` variance ratio of each discriminant direction (empty for lsqr). */
  explainedVarianceRatio: Float64Array;
  /** Dimensions returned by `transform`. */
  nComponents: number;
  /** `[d, r]` with `whitening whiteningᵀ = covariance⁺` (r = rank of `covariance`). */
  whitening: Matrix;
  /** Pseudo-log-determinant of `covariance` (nats). */
  logPdet: number;
  options: {
    solver: LDASolver;
    shrinkage: null | "auto" | number;
    tol: number;
    priors: number[] | null;
    nComponents: number | null;
  };
};

/** Throw a NumericalError naming the rank when a covariance that must be inverted is singular. */
function checkInvertible(S: Matrix, fn: string, what: string, fix: string): void {
  const d = S.rows;
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const v = S.data[j * d + j];
    if (!(v > 0))
      throw new NumericalError(`${fn}: the ${what} is singular (feature ${j} has zero variance); ${fix}`);
    scale[j] = 1 / Math.sqrt(v);
  }
  const R = zeros(d, d);
  for (let j = 0; j < d; j++)
    for (let k = 0; k < d; k++) R.data[j * d + k] = S.data[j * d + k] * scale[j] * scale[k];
  const { values } = eighSym(R);
  const cut = 1e-12 * values[d - 1];
  if (values[0] <= cut) {
    const rank = values.reduce((r, v) => r + (v > cut ? 1 : 0), 0);
    throw new NumericalError(`${fn}: the ${what} is singular (rank ${rank} < ${d} features); ${fix}`);
  }
}

function validateOptions(fn: string, opts: LDAOptions): LDAFitted["options"] {
  const solver = opts.solver ?? "svd";
  if (solver !== "svd" && solver !== "lsqr" && solver !== "eigen")
    throw new ValueError(`${fn}: solver must be "svd", "lsqr" or "eigen", but got ${describe(solver)}`);
  const shrinkage = opts.shrinkage ?? null;
  if (
    shrinkage !== null &&
    shrinkage !== "auto" &&
    !(typeof shrinkage === "number" && shrinkage >= 0 && shrinkage <= 1)
  )
    throw new ValueError(
      `${fn}: shrinkage must be null, "auto" or a number in [0, 1], but got ${describe(shrinkage)}`,
    );
  if (solver === "svd" && shrinkage !== null)
    throw new ValueError(
      `${fn}: shrinkage must be null with solver "svd" (use "lsqr" or "eigen" to shrink), but got ${describe(shrinkage)}`,
    );
  const tol = opts.tol ?? 1e-4;
  if (!(typeof tol === "number" && tol >= 0 && Number.isFinite(tol)))
    throw new ValueError(`${fn}: tol must be a finite number ≥ 0, but got ${describe(tol)}`);
  const nComponents = opts.nComponents ?? null;
  if (nComponents !== null && !(Number.isInteger(nComponents) && nComponents >= 1))
    throw new ValueError(
      `${fn}: nComponents must be a positive integer or null, but got ${describe(nComponents)}`,
    );
  const priors = opts.priors == null ? null : Array.from(opts.priors as ArrayLike<number>);
  return { solver, shrinkage, tol, priors, nComponents };
}

/** Fit LDA to `X` `[n, d]` and labels `y` `[n]` (sklearn `LinearDiscriminantAnalysis.fit`). */
function fit(X: Matrix, y: ArrayLike<Label>, opts: LDAOptions = {}): LDAFitted {
  const fn = "LDA.fit";
  checkShape(X, fn, "X");
  checkFinite(X, "X", fn);
  const options = validateOptions(fn, opts);
  const { solver, shrinkage, tol } = options;
  const { classes, ids, counts } = checkTrainingLabels(fn, X.rows, y);
  const n = X.rows;
  const d = X.cols;
  const C = classes.length;
  if (n === C) throw new ValueError(`${fn}: X must have more samples than classes (${C}), but has ${n}`);
  const priors = resolvePriors(fn, options.priors, counts);
  const maxComponents = Math.min(C - 1, d);
  if (options.nComponents !== null && options.nComponents > maxComponents)
    throw new ValueError(
      `${fn}: nComponents must be at most min(classes − 1, features) = ${maxComponents}, but got ${options.nComponents}`,
    );
  const nComponents = options.nComponents ?? maxComponents;

  // 1. class means, class-centred blocks and their scatter matrices
  const { means, blocks } = classBlocks(X, ids, counts);
  const scatters = blocks.map((b) => gram(b));
  // 2. the shared covariance Σ_c π_c Cov_c (sklearn's `_class_cov`)
  const covariance = zeros(d, d);
  for (let c = 0; c < C; c++) {
    const S = zeros(d, d);
    for (let k = 0; k < S.data.length; k++) S.data[k] = scatters[c].data[k] / counts[c];
    let est = S;
    if (shrinkage === "auto")
      est = autoShrunkCovariance(blocks[c], {
        assumeCentered: true,
        empirical: S,
        means: means.data.subarray(c * d, (c + 1) * d),
      }).covariance;
    else if (typeof shrinkage === "number") est = shrunkCovariance(S, shrinkage);
    for (let k = 0; k < est.data.length; k++) covariance.data[k] += priors[c] * est.data[k];
  }
  const xbar = new Float64Array(d);
  for (let c = 0; c < C; c++) for (let j = 0; j < d; j++) xbar[j] += priors[c] * means.data[c * d + j];

  const fix = `use solver "svd" or shrinkage`;
  let coef: Matrix;
  let intercept: Float64Array;
  let scalings: Matrix;
  let explainedVarianceRatio: Float64Array;
  if (solver === "svd") {
    ({ coef, intercept, scalings, explainedVarianceRatio } = solveSvd(
      scatters,
      means,
      xbar,
      priors,
      n,
      tol,
      maxComponents,
    ));
  } else {
    checkInvertible(covariance, fn, "within-class covariance", fix);
    const L = choleskyOrThrow(covariance, fn, fix);
    if (solver === "lsqr") {
      // coef = Σ⁻¹ μ_c (sklearn solves by least squares; Σ is positive definite here)
      coef = transpose(choleskySolve(L, transpose(means)));
      scalings = zeros(d, 0);
      explainedVarianceRatio = new Float64Array(0);
    } else {
      const St = totalCovariance(X, scatters, means, counts, shrinkage);
      ({ coef, scalings, explainedVarianceRatio } = solveEigen(L, St, covariance, means, maxComponents));
    }
    intercept = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += means.data[c * d + j] * coef.data[c * d + j];
      intercept[c] = -0.5 * s + Math.log(priors[c]);
    }
  }
  if (C === 2) {
    const diff = zeros(1, d);
    for (let j = 0; j < d; j++) diff.data[j] = coef.data[d + j] - coef.data[j];
    coef = diff;
    intercept = Float64Array.of(intercept[1] - intercept[0]);
  }
  const { whitening, logPdet } = gaussianFactor(covariance);
  return {
    kind: "lda",
    classes,
    nFeatures: d,
    priors,
    means,
    xbar,
    coef,
    intercept,
    covariance,
    scalings,
    explainedVarianceRatio,
    nComponents,
    whitening,
    logPdet,
    options,
  };
}

function choleskyOrThrow(S: Matrix, fn: string, fix: string): Matrix {
  try {
    return cholesky(S, fn);
  } catch (e) {
    if (e instanceof NumericalError)
      throw new NumericalError(`${fn}: the within-class covariance is not positive definite; ${fix}`);
    throw e;
  }
}

/**
 * sklearn's `_solve_svd`: whiten the within-class scatter (standardised, divided by n − C), then find
 * the between-class directions by an SVD of the whitened, prior-weighted class centres. The SVD of the
 * `[n, d]` standardised within-class data is taken from the eigendecomposition of its Gram matrix
 * (its columns have unit variance, so singular values are accurate far below `tol`).
 */
function solveSvd(
  scatters: Matrix[],
  means: Matrix,
  xbar: Float64Array,
  priors: Float64Array,
  n: number,
  tol: number,
  maxComponents: number,
): { coef: Matrix; intercept: Float64Array; scalings: Matrix; explainedVarianceRatio: Float64Array } {
  const C = means.rows;
  const d = means.cols;
  const W = zeros(d, d);
  for (const S of scatters) for (let k = 0; k < W.data.length; k++) W.data[k] += S.data[k];
  // 1. within-class standard deviations (1 where zero) and the scaled Gram matrix
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(W.data[j * d + j] / n);
    std[j] = s === 0 ? 1 : s;
  }
  const G = zeros(d, d);
  for (let j = 0; j < d; j++)
    for (let k = 0; k < d; k++) G.data[j * d + k] = W.data[j * d + k] / (std[j] * std[k] * (n - C));
  // 2. singular values (descending) and right singular vectors; keep those above tol
  const { values, vectors } = eighSym(G);
  const S: number[] = [];
  const cols: number[] = [];
  for (let k = d - 1; k >= 0; k--) {
    const s = Math.sqrt(Math.max(values[k], 0));
    if (s > tol) {
      S.push(s);
      cols.push(k);
    }
  }
  const rank = S.length;
  const scale1 = zeros(d, rank); // V / std / S
  for (let j = 0; j < d; j++)
    for (let c = 0; c < rank; c++) scale1.data[j * rank + c] = vectors.data[j * d + cols[c]] / std[j] / S[c];
  // 3. between-class scaling: SVD of sqrt(n π_c / (C − 1)) (μ_c − x̄) in the whitened space
  const fac = C === 1 ? 1 : 1 / (C - 1);
  const centred = zeros(C, d);
  for (let c = 0; c < C; c++) {
    const w = Math.sqrt(n * priors[c] * fac);
    for (let j = 0; j < d; j++) centred.data[c * d + j] = w * (means.data[c * d + j] - xbar[j]);
  }
  let scalings = zeros(d, 0);
  let explainedVarianceRatio = new Float64Array(Math.min(maxComponents, Math.min(C, rank)));
  if (rank > 0) {
    const between = svd(matmul(centred, scale1));
    let total = 0;
    for (const s of between.s) total += s * s;
    if (total > 0)
      for (let k = 0; k < explainedVarianceRatio.length; k++)
        explainedVarianceRatio[k] = between.s[k] ** 2 / total;
    let rank2 = 0;
    for (const s of between.s) if (s > tol * between.s[0]) rank2++;
    const V2 = zeros(rank, rank2);
    for (let a = 0; a < rank; a++)
      for (let b = 0; b < rank2; b++) V2.data[a * rank2 + b] = between.vt.data[b * rank + a];
    scalings = matmul(scale1, V2);
  } else explainedVarianceRatio = new Float64Array(0);
  // 4. coefficients in the original space
  const k = scalings.cols;
  const centredMeans = zeros(C, d);
  for (let c = 0; c < C; c++)
    for (let j = 0; j < d; j++) centredMeans.data[c * d + j] = means.data[c * d + j] - xbar[j];
  const z = matmul(centredMeans, scalings); // [C, k]
  const intercept = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let a = 0; a < k; a++) s += z.data[c * k + a] ** 2;
    intercept[c] = -0.5 * s + Math.log(priors[c]);
  }
  const coef = matmulTransposeB(z, scalings); // [C, d]
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += xbar[j] * coef.data[c * d + j];
    intercept[c] -= s;
  }
  return { coef, intercept, scalings, explainedVarianceRatio };
}

/** The total covariance of `X` with the same shrinkage as the within-class one (eigen solver's `St`). */
function totalCovariance(
  X: Matrix,
  scatters: Matrix[],
  means: Matrix,
  counts: Int32Array,
  shrinkage: null | "auto" | number,
): Matrix {
  const { rows: n, cols: d } = X;
  const C = means.rows;
  const mean = new Float64Array(d);
  for (let c = 0; c < C; c++) for (let j = 0; j < d; j++) mean[j] += (counts[c] * means.data[c * d + j]) / n;
  // total scatter = within scatter + Σ_c n_c (μ_c − m)(μ_c − m)ᵀ
  const St = zeros(d, d);
  for (const S of scatters) for (let k = 0; k < St.data.length; k++) St.data[k] += S.data[k];
  for (let c = 0; c < C; c++)
    for (let j = 0; j < d; j++) {
      const a = counts[c] * (means.data[c * d + j] - mean[j]);
      for (let k = 0; k < d; k++) St.data[j * d + k] += a * (means.data[c * d + k] - mean[k]);
    }
  for (let k = 0; k < St.data.length; k++) St.data[k] /= n;
  if (shrinkage === "auto") return autoShrunkCovariance(X, { empirical: St }).covariance;
  if (typeof shrinkage === "number") return shrunkCovariance(St, shrinkage);
  return St;
}

/**
 * sklearn's `_solve_eigen`: the generalised eigenproblem `S_b v = λ S_w v` (S_b = S_t − S_w), reduced
 * to a symmetric one with the Cholesky factor of S_w; eigenvectors satisfy `Vᵀ S_w V = I`.
 */
function solveEigen(
  L: Matrix,
  St: Matrix,
  Sw: Matrix,
  means: Matrix,
  maxComponents: number,
): { coef: Matrix; scalings: Matrix; explainedVarianceRatio: Float64Array } {
  const d = Sw.rows;
  const Sb = zeros(d, d);
  for (let k = 0; k < Sb.data.length; k++) Sb.data[k] = St.data[k] - Sw.data[k];
  const M = solveLowerTriangular(L, transpose(solveLowerTriangular(L, Sb))); // L⁻¹ S_b L⁻ᵀ
  const { values, vectors } = eighSym(M);
  const evecs = solveUpperTriangular(transpose(L), vectors); // L⁻ᵀ W
  const scalings = zeros(d, d);
  let sum = 0;
  for (const v of values) sum += v;
  const ratios = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    const src = d - 1 - c;
    ratios[c] = values[src] / sum;
    for (let j = 0; j < d; j++) scalings.data[j * d + c] = evecs.data[j * d + src];
  }
  ratios.sort().reverse();
  const coef = matmulTransposeB(matmul(means, scalings), scalings);
  return { coef, scalings, explainedVarianceRatio: ratios.slice(0, maxComponents) };
}

function checkInput(fitted: LDAFitted, X: Matrix, fn: string): void {
  checkShape(X, fn, "X", fitted.nFeatures);
  checkFinite(X, "X", fn);
}

/** Decision function `X coefᵀ + intercept`: `[n, C]`, or `[n, 1]` (log-odds of class 1) for two classes. */
function decisionFunction(fitted: LDAFitted, X: Matrix): Matrix {
  checkInput(fitted, X, "LDA.decisionFunction");
  return decision(fitted, X);
}

function decision(fitted: LDAFitted, X: Matrix): Matrix {
  const out = matmulTransposeB(X, fitted.coef);
  const K = out.cols;
  for (let i = 0; i < out.rows; i++) for (let c = 0; c < K; c++) out.data[i * K + c] += fitted.intercept[c];
  return out;
}

/** Posterior class probabilities `[n, C]` (softmax of the decision function; logistic for two classes). */
function predictProba(fitted: LDAFitted, X: Matrix): Matrix {
  checkInput(fitted, X, "LDA.predictProba");
  const f = decision(fitted, X);
  return fitted.classes.length === 2 ? binaryProba(f.data) : softmaxRows(f);
}

/** Log posterior probabilities `[n, C]` (nats), computed stably (sklearn takes the log of `predict_proba`). */
function predictLogProba(fitted: LDAFitted, X: Matrix): Matrix {
  checkInput(fitted, X, "LDA.predictLogProba");
  const f = decision(fitted, X);
  if (fitted.classes.length !== 2) return logSoftmaxRows(f);
  const out = zeros(X.rows, 2);
  for (let i = 0; i < X.rows; i++) {
    const v = f.data[i];
    // log σ(v) = −log(1 + e^{−v})
    out.data[2 * i] = -softplus(v);
    out.data[2 * i + 1] = -softplus(-v);
  }
  return out;
}

function softplus(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/** Most probable class of each row (ties to the first class). */
function predict(fitted: LDAFitted, X: Matrix): Label[] {
  checkInput(fitted, X, "LDA.predict");
  const f = decision(fitted, X);
  if (fitted.classes.length === 2) return Array.from(f.data, (v) => fitted.classes[v > 0 ? 1 : 0]);
  return argmaxLabels(f, fitted.classes);
}

/**
 * Project onto the discriminant directions: `[n, d] -> [n, nComponents]` (svd: `(X − x̄) scalings`,
 * eigen: `X scalings`, as sklearn; the lsqr solver has no directions).
 */
function transform(fitted: LDAFitted, X: Matrix): Matrix {
  const fn = "LDA.transform";
  if (fitted.options.solver === "lsqr")
    throw new ValueError(
      `${fn}: fitted must use solver "svd" or "eigen" (lsqr finds no discriminant directions), but uses "lsqr"`,
    );
  checkInput(fitted, X, fn);
  const { scalings } = fitted;
  const k = Math.min(fitted.nComponents, scalings.cols);
  const d = fitted.nFeatures;
  const W = zeros(d, k);
  for (let j = 0; j < d; j++)
    for (let a = 0; a < k; a++) W.data[j * k + a] = scalings.data[j * scalings.cols + a];
  if (fitted.options.solver === "eigen") return matmul(X, W);
  const Xc = zeros(X.rows, d);
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < d; j++) Xc.data[i * d + j] = X.data[i * d + j] - fitted.xbar[j];
  return matmul(Xc, W);
}

function joint(fitted: LDAFitted, X: Matrix): Matrix {
  const { whitening: Wm, means, priors, xbar } = fitted;
  const d = fitted.nFeatures;
  const C = means.rows;
  const r = Wm.cols;
  const Xc = zeros(X.rows, d);
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < d; j++) Xc.data[i * d + j] = X.data[i * d + j] - xbar[j];
  const z = matmul(Xc, Wm); // [n, r]
  const mc = zeros(C, d);
  for (let c = 0; c < C; c++)
    for (let j = 0; j < d; j++) mc.data[c * d + j] = means.data[c * d + j] - xbar[j];
  const m = matmul(mc, Wm); // [C, r]
  const out = zeros(X.rows, C);
  const base = -0.5 * (r * Math.log(2 * Math.PI) + fitted.logPdet);
  for (let c = 0; c < C; c++) {
    const lp = Math.log(priors[c]) + base;
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let a = 0; a < r; a++) {
        const t = z.data[i * r + a] - m.data[c * r + a];
        s += t * t;
      }
      out.data[i * C + c] = lp - 0.5 * s;
    }
  }
  return out;
}

/**
 * Draw `n` labelled points from the model: `y ~ priors` (or the given class), `x ~ N(μ_y, Σ)` with
 * Σ = `fitted.covariance`. Consumes `key`. Returns `X` `[n, d]` and `y`.
 */
function sample(
  fitted: LDAFitted,
  key: JaxArray,
  n: number,
  opts: { class?: Label } = {},
): { X: Matrix; y: Label[] } {
  const A = matmul(fitted.covariance, fitted.whitening); // V √Λ: A Aᵀ = Σ
  const factors = fitted.classes.map(() => A);
  return sampleClassGaussians("LDA.sample", key, n, fitted, factors, opts.class);
}

const { logJoint, logJointAt, logMarginal } = bayesRule("LDA", joint);

/**
 * Linear discriminant analysis as a record of pure functions (see the module comment). Its posterior
 * comes from the decision function (scikit-learn's); the generative methods from Bayes' rule.
 */
export const LDA = {
  fit,
  predictProba,
  predictLogProba,
  predict,
  decisionFunction,
  transform,
  logJoint,
  logJointAt,
  logMarginal,
  sample,
};
