/**
 * Gaussian naive Bayes: each class a Gaussian with a diagonal covariance (features independent given
 * the class), with scikit-learn 1.2's variance smoothing `var += varSmoothing · max_j Var(X_j)`, and
 * the generative side (`logJoint`, `logMarginal`, `sample`).
 * Reference: sklearn.naive_bayes.GaussianNB; Ng & Jordan (2001), "On discriminative vs. generative
 * classifiers: a comparison of logistic regression and naive Bayes", NIPS 14.
 */
import { describe, NumericalError, ValueError } from "../../errors.js";
import type { Array as JaxArray } from "../../jax.js";
import { checkFinite, checkShape, type Matrix, zeros } from "../../linalg/matrix.js";
import { bayesRule } from "./bayes-rule.js";
import { resolvePriors, sampleClassGaussians } from "./gaussian-sampling.js";
import { checkTrainingLabels, type Label } from "./labels.js";

/** Options of `GaussianNB.fit` (scikit-learn's names, camelCased). */
export type GaussianNBOptions = {
  /** Fraction of the largest feature variance added to every variance. Default 1e-9. */
  varSmoothing?: number;
  /** Class priors `[C]` summing to 1; default: the class frequencies. */
  priors?: ArrayLike<number> | null;
};

/** A fitted Gaussian naive Bayes (plain object), scikit-learn's `theta_`, `var_`, `class_prior_`, `epsilon_`. */
export type GaussianNBFitted = {
  kind: "gnb";
  classes: Label[];
  nFeatures: number;
  /** `[C]` */
  priors: Float64Array;
  /** `[C, d]` class means. */
  means: Matrix;
  /** `[C, d]` class variances (1/n_c) plus `epsilon`. */
  variances: Matrix;
  /** The smoothing added to every variance: `varSmoothing · max_j Var(X_j)`. */
  epsilon: number;
  options: { varSmoothing: number; priors: number[] | null };
};

/** Fit Gaussian naive Bayes to `X` `[n, d]` and labels `y` `[n]` (sklearn `GaussianNB.fit`). */
function fit(X: Matrix, y: ArrayLike<Label>, opts: GaussianNBOptions = {}): GaussianNBFitted {
  const fn = "GaussianNB.fit";
  checkShape(X, fn, "X");
  checkFinite(X, "X", fn);
  const varSmoothing = opts.varSmoothing ?? 1e-9;
  if (!(typeof varSmoothing === "number" && varSmoothing >= 0 && Number.isFinite(varSmoothing)))
    throw new ValueError(
      `${fn}: varSmoothing must be a finite number ≥ 0, but got ${describe(varSmoothing)}`,
    );
  const options = {
    varSmoothing,
    priors: opts.priors == null ? null : Array.from(opts.priors as ArrayLike<number>),
  };
  const { classes, ids, counts } = checkTrainingLabels(fn, X.rows, y);
  const priors = resolvePriors(fn, options.priors, counts);
  const { rows: n, cols: d, data } = X;
  const C = classes.length;
  // 1. class means and (two-pass) class variances
  const means = zeros(C, d);
  const m = means.data;
  const total = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = ids[i] * d;
    for (let j = 0; j < d; j++) {
      m[o + j] += data[i * d + j];
      total[j] += data[i * d + j];
    }
  }
  for (let c = 0; c < C; c++) for (let j = 0; j < d; j++) m[c * d + j] /= counts[c];
  for (let j = 0; j < d; j++) total[j] /= n;
  const variances = zeros(C, d);
  const v = variances.data;
  const totalVar = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = ids[i] * d;
    for (let j = 0; j < d; j++) {
      const a = data[i * d + j] - m[o + j];
      v[o + j] += a * a;
      const b = data[i * d + j] - total[j];
      totalVar[j] += b * b;
    }
  }
  // 2. epsilon = varSmoothing · max_j Var(X_j), added to every class variance
  let maxVar = 0;
  for (let j = 0; j < d; j++) maxVar = Math.max(maxVar, totalVar[j] / n);
  const epsilon = varSmoothing * maxVar;
  for (let c = 0; c < C; c++) {
    for (let j = 0; j < d; j++) {
      v[c * d + j] = v[c * d + j] / counts[c] + epsilon;
      if (!(v[c * d + j] > 0)) {
        throw new NumericalError(
          `${fn}: the variance of feature ${j} in class ${JSON.stringify(classes[c])} is 0 (every feature is constant or varSmoothing is 0); use varSmoothing > 0 on data with some variance`,
        );
      }
    }
  }
  return { kind: "gnb", classes, nFeatures: d, priors, means, variances, epsilon, options };
}

/** `log π_c − ½ Σ_j [log(2π σ²_cj) + (x_j − μ_cj)² / σ²_cj]` `[n, C]` (nats; sklearn's `_joint_log_likelihood`). */
function joint(fitted: GaussianNBFitted, X: Matrix): Matrix {
  const d = fitted.nFeatures;
  const C = fitted.classes.length;
  const n = X.rows;
  const out = zeros(n, C);
  const inv = Float64Array.from(fitted.variances.data, (s) => 1 / s);
  for (let c = 0; c < C; c++) {
    let base = Math.log(fitted.priors[c]);
    for (let j = 0; j < d; j++) base -= 0.5 * Math.log(2 * Math.PI * fitted.variances.data[c * d + j]);
    const o = c * d;
    for (let i = 0; i < n; i++) {
      let q = 0;
      for (let j = 0; j < d; j++) {
        const t = X.data[i * d + j] - fitted.means.data[o + j];
        q += t * t * inv[o + j];
      }
      out.data[i * C + c] = base - 0.5 * q;
    }
  }
  return out;
}

/**
 * Draw `n` labelled points: `y ~ priors` (or the given class), then each feature independently
 * `x_j ~ N(μ_yj, σ²_yj)`. Consumes `key`. Returns `X` `[n, d]` and `y`.
 */
function sample(
  fitted: GaussianNBFitted,
  key: JaxArray,
  n: number,
  opts: { class?: Label } = {},
): { X: Matrix; y: Label[] } {
  const d = fitted.nFeatures;
  const factors = fitted.classes.map((_, c) => {
    const A = zeros(d, d);
    for (let j = 0; j < d; j++) A.data[j * d + j] = Math.sqrt(fitted.variances.data[c * d + j]);
    return A;
  });
  return sampleClassGaussians("GaussianNB.sample", key, n, fitted, factors, opts.class);
}

/** Gaussian naive Bayes as a record of pure functions (see the module comment). */
export const GaussianNB = { fit, ...bayesRule("GaussianNB", joint), sample };
