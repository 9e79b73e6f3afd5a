/**
 * Quadratic discriminant analysis: each class its own Gaussian `N(mean_c, Σ_c)`, classified by Bayes'
 * rule, with scikit-learn 1.2's regularisation `Σ_c = R_c ((1 − reg) S_c + reg I) R_cᵀ` in the principal
 * axes `R_c` of the class, and the generative side (`logJoint`, `logMarginal`, `sample`).
 * Reference: sklearn.discriminant_analysis.QuadraticDiscriminantAnalysis; Hastie, Tibshirani &
 * Friedman, The Elements of Statistical Learning (2nd ed.), eq. (4.12) and §4.3.1.
 */
import { describe, NumericalError, ValueError } from "../../errors.js";
import type { Array as JaxArray } from "../../jax.js";
import { cholesky, completeOrthonormalRows, eighSym, gram, svd } from "../../linalg/dense.js";
import { checkFinite, checkShape, type Matrix, zeros } from "../../linalg/matrix.js";
import { bayesRule } from "./bayes-rule.js";
import { classBlocks, resolvePriors, sampleClassGaussians } from "./gaussian-sampling.js";
import { checkTrainingLabels, type Label } from "./labels.js";

/** Options of `QDA.fit` (scikit-learn's names, camelCased). */
export type QDAOptions = {
  /** Shrinks each class covariance towards the identity in its principal axes, in [0, 1]. Default 0. */
  regParam?: number;
  /** Class priors `[C]` summing to 1; default: the class frequencies. */
  priors?: ArrayLike<number> | null;
  /** Singular values of a centred class below `tol` count as zero (rank check). Default 1e-4. */
  tol?: number;
};

/**
 * A fitted QDA (plain object). Class c's covariance is `rotations[c] diag(scalings[c]) rotations[c]ᵀ`
 * (scikit-learn's `rotations_` and regularised `scalings_`; when a class has fewer samples than
 * features the axes are completed to an orthonormal basis, with variance `regParam` along the new ones).
 */
export type QDAFitted = {
  kind: "qda";
  classes: Label[];
  nFeatures: number;
  /** `[C]` */
  priors: Float64Array;
  /** `[C, d]` class means. */
  means: Matrix;
  /** C matrices `[d, d]`, columns the principal axes of each class (variance descending). */
  rotations: Matrix[];
  /** `[C, d]` variances along the axes. */
  scalings: Matrix;
  options: { regParam: number; tol: number; priors: number[] | null };
};

function validateOptions(fn: string, opts: QDAOptions): QDAFitted["options"] {
  const regParam = opts.regParam ?? 0;
  if (!(typeof regParam === "number" && regParam >= 0 && regParam <= 1))
    throw new ValueError(`${fn}: regParam must be a number in [0, 1], but got ${describe(regParam)}`);
  const tol = opts.tol ?? 1e-4;
  if (!(typeof tol === "number" && tol >= 0 && Number.isFinite(tol)))
    throw new ValueError(`${fn}: tol must be a finite number ≥ 0, but got ${describe(tol)}`);
  const priors = opts.priors == null ? null : Array.from(opts.priors as ArrayLike<number>);
  return { regParam, tol, priors };
}

/** Fit QDA to `X` `[n, d]` and labels `y` `[n]` (sklearn `QuadraticDiscriminantAnalysis.fit`). */
function fit(X: Matrix, y: ArrayLike<Label>, opts: QDAOptions = {}): QDAFitted {
  const fn = "QDA.fit";
  checkShape(X, fn, "X");
  checkFinite(X, "X", fn);
  const options = validateOptions(fn, opts);
  const { regParam, tol } = options;
  const { classes, ids, counts } = checkTrainingLabels(fn, X.rows, y, { minPerClass: 2 });
  const priors = resolvePriors(fn, options.priors, counts);
  const d = X.cols;
  const C = classes.length;
  const { means, blocks } = classBlocks(X, ids, counts);
  const rotations: Matrix[] = [];
  const scalings = zeros(C, d);
  for (let c = 0; c < C; c++) {
    const nc = counts[c];
    // 1. principal axes of the centred class: X_c = U S Vᵀ
    const { s, vt } = principalAxes(blocks[c]);
    const k = s.length;
    let rank = 0;
    for (const v of s) if (v > tol) rank++;
    if (regParam === 0 && rank < d) {
      throw new NumericalError(
        `${fn}: the covariance of class ${JSON.stringify(classes[c])} is singular (rank ${rank} < ${d} features, from ${nc} samples); use regParam > 0`,
      );
    }
    // 2. variances along the axes, regularised; axes completed to a basis when n_c < d
    const rows = new Float64Array(d * d);
    rows.set(vt.data.subarray(0, k * d));
    const present = new Float64Array(d);
    for (let a = 0; a < k; a++) {
      present[a] = 1;
      scalings.data[c * d + a] = (1 - regParam) * ((s[a] * s[a]) / (nc - 1)) + regParam;
    }
    for (let a = k; a < d; a++) scalings.data[c * d + a] = regParam;
    if (k < d) completeOrthonormalRows(rows, d, d, present);
    const R = zeros(d, d);
    for (let a = 0; a < d; a++) for (let j = 0; j < d; j++) R.data[j * d + a] = rows[a * d + j];
    rotations.push(R);
  }
  return { kind: "qda", classes, nFeatures: d, priors, means, rotations, scalings, options };
}

/**
 * Singular values (descending) and right singular vectors `[k, d]` of a centred class block. From the
 * eigendecomposition of its Gram matrix when that is well conditioned (σ_min > 1e-4 σ_max, where the
 * singular values it gives are accurate to ~1e-8 relative), else by QR and one-sided Jacobi.
 */
function principalAxes(block: Matrix): { s: Float64Array; vt: Matrix } {
  const d = block.cols;
  if (block.rows >= d) {
    const { values, vectors } = eighSym(gram(block));
    const s = new Float64Array(d);
    const vt = zeros(d, d);
    for (let a = 0; a < d; a++) {
      const src = d - 1 - a;
      s[a] = Math.sqrt(Math.max(values[src], 0));
      for (let j = 0; j < d; j++) vt.data[a * d + j] = vectors.data[j * d + src];
    }
    if (s[d - 1] > 1e-4 * s[0]) return { s, vt };
  }
  return svd(block, { computeU: false });
}

/** Class c's covariance `R diag(S) Rᵀ` `[d, d]`. */
function classCovariance(fitted: QDAFitted, c: number): Matrix {
  const d = fitted.nFeatures;
  const R = fitted.rotations[c].data;
  const S = fitted.scalings.data.subarray(c * d, (c + 1) * d);
  const out = zeros(d, d);
  for (let j = 0; j < d; j++)
    for (let k = j; k < d; k++) {
      let v = 0;
      for (let a = 0; a < d; a++) v += R[j * d + a] * S[a] * R[k * d + a];
      out.data[j * d + k] = v;
      out.data[k * d + j] = v;
    }
  return out;
}

/** The class covariances `[d, d]` (sklearn's `covariance_` with `store_covariance=True`). */
function covariances(fitted: QDAFitted): Matrix[] {
  return fitted.classes.map((_, c) => classCovariance(fitted, c));
}

function checkInput(fitted: QDAFitted, X: Matrix, fn: string): void {
  checkShape(X, fn, "X", fitted.nFeatures);
  checkFinite(X, "X", fn);
}

/**
 * `log p(x, y = c) = log π_c − ½ (d log 2π + log det Σ_c + (x − μ_c)ᵀ Σ_c⁻¹ (x − μ_c))` `[n, C]` (nats);
 * the Mahalanobis term by a triangular solve with the Cholesky factor of Σ_c.
 */
function joint(fitted: QDAFitted, X: Matrix): Matrix {
  const d = fitted.nFeatures;
  const C = fitted.classes.length;
  const n = X.rows;
  const x = X.data;
  const out = zeros(n, C);
  // forward substitution L u = x − μ for four rows at a time (four independent chains)
  const u = new Float64Array(4 * d);
  for (let c = 0; c < C; c++) {
    let logDet = 0;
    for (let a = 0; a < d; a++) logDet += Math.log(fitted.scalings.data[c * d + a]);
    const L = cholesky(classCovariance(fitted, c), "QDA").data;
    const inv = Float64Array.from({ length: d }, (_, i) => 1 / L[i * d + i]);
    const base = Math.log(fitted.priors[c]) - 0.5 * (d * Math.log(2 * Math.PI) + logDet);
    const mu = fitted.means.data.subarray(c * d, (c + 1) * d);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = i * d;
      let q0 = 0;
      let q1 = 0;
      let q2 = 0;
      let q3 = 0;
      for (let j = 0; j < d; j++) {
        let t0 = x[o + j] - mu[j];
        let t1 = x[o + d + j] - mu[j];
        let t2 = x[o + 2 * d + j] - mu[j];
        let t3 = x[o + 3 * d + j] - mu[j];
        const lj = j * d;
        for (let k = 0; k < j; k++) {
          const l = L[lj + k];
          t0 -= l * u[k];
          t1 -= l * u[d + k];
          t2 -= l * u[2 * d + k];
          t3 -= l * u[3 * d + k];
        }
        t0 *= inv[j];
        t1 *= inv[j];
        t2 *= inv[j];
        t3 *= inv[j];
        u[j] = t0;
        u[d + j] = t1;
        u[2 * d + j] = t2;
        u[3 * d + j] = t3;
        q0 += t0 * t0;
        q1 += t1 * t1;
        q2 += t2 * t2;
        q3 += t3 * t3;
      }
      out.data[i * C + c] = base - 0.5 * q0;
      out.data[(i + 1) * C + c] = base - 0.5 * q1;
      out.data[(i + 2) * C + c] = base - 0.5 * q2;
      out.data[(i + 3) * C + c] = base - 0.5 * q3;
    }
    for (; i < n; i++) {
      const o = i * d;
      let q = 0;
      for (let j = 0; j < d; j++) {
        let t = x[o + j] - mu[j];
        const lj = j * d;
        for (let k = 0; k < j; k++) t -= L[lj + k] * u[k];
        t *= inv[j];
        u[j] = t;
        q += t * t;
      }
      out.data[i * C + c] = base - 0.5 * q;
    }
  }
  return out;
}

/**
 * scikit-learn's decision function: `[n, C]` log posteriors up to a per-row constant, or `[n, 1]`
 * (`f_1 − f_0`, the log-odds of class 1) for two classes.
 */
function decisionFunction(fitted: QDAFitted, X: Matrix): Matrix {
  checkInput(fitted, X, "QDA.decisionFunction");
  const J = joint(fitted, X);
  const C = J.cols;
  const shift = 0.5 * fitted.nFeatures * Math.log(2 * Math.PI);
  if (C === 2) {
    const out = zeros(X.rows, 1);
    for (let i = 0; i < X.rows; i++) out.data[i] = J.data[2 * i + 1] - J.data[2 * i];
    return out;
  }
  for (let k = 0; k < J.data.length; k++) J.data[k] += shift;
  return J;
}

/**
 * Draw `n` labelled points: `y ~ priors` (or the given class), `x ~ N(μ_y, Σ_y)` with the regularised
 * class covariance. Consumes `key`. Returns `X` `[n, d]` and `y`.
 */
function sample(
  fitted: QDAFitted,
  key: JaxArray,
  n: number,
  opts: { class?: Label } = {},
): { X: Matrix; y: Label[] } {
  const d = fitted.nFeatures;
  // A_c = R_c diag(√S_c), so that A_c A_cᵀ = Σ_c
  const factors = fitted.rotations.map((R, c) => {
    const A = zeros(d, d);
    for (let j = 0; j < d; j++)
      for (let a = 0; a < d; a++)
        A.data[j * d + a] = R.data[j * d + a] * Math.sqrt(fitted.scalings.data[c * d + a]);
    return A;
  });
  return sampleClassGaussians("QDA.sample", key, n, fitted, factors, opts.class);
}

/** Quadratic discriminant analysis as a record of pure functions (see the module comment). */
export const QDA = { fit, ...bayesRule("QDA", joint), decisionFunction, sample, covariances };
