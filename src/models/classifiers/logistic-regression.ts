/**
 * Logistic regression, the discriminative model: P(y | x) = softmax(W x + b) (a sigmoid for two
 * classes), fitted by penalised maximum likelihood to the optimum, in float64 (the loss and gradient
 * passes in logistic-kernels.ts: WebAssembly SIMD where available, else plain TypeScript).
 * Semantics of scikit-learn 1.2's `LogisticRegression` (lbfgs, `multi_class="auto"`): two classes
 * give one coefficient row (class 1 against class 0); more give the multinomial model with one row
 * per class. The objective is scikit-learn 1.2's
 *   F(W, b) = Σᵢ sᵢ ℓᵢ(W, b) + ‖W‖² / (2C)     (ℓ = log loss in nats, sᵢ = class weight, b unpenalised),
 * which has the same minimiser as C·Σᵢ sᵢ ℓᵢ + ½‖W‖². In the multinomial model the intercepts (and,
 * without a penalty, the coefficient columns) are defined only up to a common shift over the classes;
 * like scikit-learn's solution, ours sums to zero over the classes.
 * Solvers: Newton's method (exact Hessian, Cholesky, Armijo backtracking: quadratic convergence), or
 * L-BFGS on internally rescaled features (centred, divided by √(σ² + penalty curvature)) — an exact
 * affine change of variables, mapped back, so the optimum is the same. "auto" picks Newton when the
 * Hessian is cheap and finishes a stalled L-BFGS with Newton. Both stop on the gradient of F, default
 * max |∂F| ≤ 1e-8 (scikit-learn's lbfgs stops at 1e-4 or earlier, short of the optimum).
 * There is no P(x), hence no `sample`/`logJoint`: {@link LOGREG_CANNOT_SAMPLE}.
 * Reference: scikit-learn 1.2 `sklearn/linear_model/_logistic.py` and `_linear_loss.py`; Bishop,
 * Pattern Recognition and Machine Learning (2006) §4.3.2–4.3.4 (IRLS, multiclass Hessian eq. 4.110).
 */
import { NumericalError, ValueError } from "../../errors.js";
import { cholesky, choleskySolve } from "../../linalg/dense.js";
import { checkFinite, checkShape, type Matrix, zeros } from "../../linalg/matrix.js";
import { checkTrainingLabels, encodeWithClasses, type Label } from "./labels.js";
import { lbfgs } from "./lbfgs.js";
import {
  hessian,
  type LossGrad,
  linearScores,
  lossGradFor,
  lossGradPlain,
  type Problem,
} from "./logistic-kernels.js";

/** Why `classify sample` refuses a logistic-regression model. */
export const LOGREG_CANNOT_SAMPLE =
  "logistic regression models P(y|x) only; it has no P(x) to sample from — use lda, qda, gnb or gmm";

/** Options of {@link LogisticRegression}`.fit` (scikit-learn names in camelCase). */
export type LogisticRegressionOptions = {
  /** "l2" (default) or "none" (unpenalised maximum likelihood; may diverge on separable data) */
  penalty?: "l2" | "none";
  /** inverse regularisation strength, > 0 (default 1) */
  C?: number;
  /** learn an (unpenalised) intercept (default true) */
  fitIntercept?: boolean;
  /** iteration limit (default 100 for Newton, 1000 for L-BFGS) */
  maxIter?: number;
  /** stop when max |∂F| ≤ tol, F as in the file header (scikit-learn 1.2's lbfgs `gtol`; default 1e-8) */
  tol?: number;
  /** per-class weights sᵢ: "balanced" = n / (C·countₖ), or weights by label (String(label) keys; others 1) */
  classWeight?: "balanced" | Readonly<Record<string, number>>;
  /** "auto" (default: Newton when (K+1)(d+1) ≤ 160, else L-BFGS then Newton if it stalls), "newton", "lbfgs" */
  solver?: "auto" | "newton" | "lbfgs";
};

/** A fitted logistic regression: a plain object (see the classifier contract). */
export type LogisticRegressionFitted = {
  kind: "logreg";
  classes: Label[];
  nFeatures: number;
  /** `[1, d]` for two classes (logit of class 1), `[C, d]` for the multinomial model */
  coef: Matrix;
  /** `[1]` or `[C]` */
  intercept: Float64Array;
  penalty: "l2" | "none";
  C: number;
  fitIntercept: boolean;
  /** `[C]` the weight of each class's samples */
  classWeight: Float64Array;
  /** the solver used ("lbfgs+newton": L-BFGS did not converge and "auto" finished with Newton) */
  solver: "newton" | "lbfgs" | "lbfgs+newton";
  tol: number;
  maxIter: number;
  nIter: number;
  converged: boolean;
  /** max |∂F| at the returned coefficients (F in nats, as in the file header) */
  gradNorm: number;
};

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Subtract, for each column, its mean over the K classes (softmax only: the canonical solution). */
function projectSumZero(pr: Problem, th: Float64Array): void {
  const { p, K } = pr;
  if (K === 1) return;
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += th[k * p + j];
    s /= K;
    for (let k = 0; k < K; k++) th[k * p + j] -= s;
  }
}

type SolveResult = { th: Float64Array; nIter: number; converged: boolean };

/** Newton's method with Armijo backtracking from θ = 0 (or `start`); F and ∇F from `lossGrad`. */
function newton(
  pr: Problem,
  lossGrad: LossGrad,
  tol: number,
  maxIter: number,
  start?: Float64Array,
): SolveResult {
  const P = pr.K * pr.p;
  let th = start ? start.slice() : new Float64Array(P);
  let g = new Float64Array(P);
  const probs = new Float64Array(pr.n * pr.K);
  let f = lossGrad(th, g, probs);
  let trial = new Float64Array(P);
  let gTrial = new Float64Array(P);
  for (let iter = 0; iter < maxIter; iter++) {
    const gmax = maxAbs(g);
    if (gmax <= tol) return { th, nIter: iter, converged: true };
    // 1. Newton direction from the Cholesky factor, damped (Levenberg) if H is not numerically PD
    const H = hessian(pr, probs);
    let L: Matrix | null = null;
    let damp = 0;
    let diagMax = 1e-300;
    for (let i = 0; i < P; i++) diagMax = Math.max(diagMax, H[i * P + i]);
    for (let attempt = 0; attempt < 20 && L === null; attempt++) {
      const Hd = { rows: P, cols: P, data: H.slice() };
      for (let i = 0; i < P; i++) Hd.data[i * P + i] += damp;
      try {
        L = cholesky(Hd, "LogisticRegression.fit");
      } catch (e) {
        if (!(e instanceof NumericalError)) throw e;
        damp = damp === 0 ? 1e-12 * diagMax : damp * 10;
      }
    }
    if (L === null) return { th, nIter: iter, converged: false };
    const dir = choleskySolve(
      L,
      g.map((v) => -v),
    );
    let slope = 0;
    for (let i = 0; i < P; i++) slope += g[i] * dir[i];
    // 2. backtracking line search; below rounding level, accept a step that shrinks the gradient
    let t = 1;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < P; i++) trial[i] = th[i] + t * dir[i];
      const ft = lossGrad(trial, gTrial, probs);
      const tiny = -slope <= 1e-12 * (1 + Math.abs(f));
      if (Number.isFinite(ft) && (ft <= f + 1e-4 * t * slope || (tiny && maxAbs(gTrial) < gmax))) {
        f = ft;
        accepted = true;
        break;
      }
      if (tiny) break;
      t *= 0.5;
    }
    if (!accepted) {
      lossGrad(th, g, probs);
      return { th, nIter: iter, converged: false };
    }
    [th, trial] = [trial, th];
    [g, gTrial] = [gTrial, g];
  }
  return { th, nIter: maxIter, converged: maxAbs(g) <= tol };
}

/**
 * L-BFGS in rescaled coordinates v: w_kj = v_kj / s_j, b_k = c_k − Σ_j μ_j v_kj / s_j (μ = 0 without an
 * intercept), with s_j² = σ_j² + λ / (c n), c = 1/4 (sigmoid) or 1/2 (softmax): standardisation, but
 * with the penalty's curvature counted so that low-variance features don't make the problem stiff
 * (the Jacobi scaling of Böhning's Hessian bound). An exact linear change of variables, so the
 * optimum is the same; the stopping rule reads ∇F in the original coordinates. (Whitening by the full
 * covariance instead was tried and is worse: 168 iterations against 49 on the bench's correlated
 * features, the penalty's curvature becoming ill-conditioned in whitened coordinates.)
 */
function lbfgsSolve(pr: Problem, lossGrad: LossGrad, tol: number, maxIter: number): SolveResult {
  const { x, n, d, p, K, fitIntercept, lambda } = pr;
  const mu = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mu[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mu[j] /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = x[i * d + j] - mu[j];
      sd[j] += c * c;
    }
  }
  const ridge = lambda / ((K === 1 ? 0.25 : 0.5) * n);
  for (let j = 0; j < d; j++) {
    sd[j] = Math.sqrt(sd[j] / n + ridge);
    if (!(sd[j] > 0)) sd[j] = 1;
    if (!fitIntercept) mu[j] = 0;
  }
  const P = K * p;
  const th = new Float64Array(P);
  const toTheta = (v: Float64Array) => {
    for (let k = 0; k < K; k++) {
      let shift = 0;
      for (let j = 0; j < d; j++) {
        const w = v[k * p + j] / sd[j];
        th[k * p + j] = w;
        shift += mu[j] * w;
      }
      if (fitIntercept) th[k * p + d] = v[k * p + d] - shift;
    }
  };
  const gTheta = new Float64Array(P);
  const fun = (v: Float64Array, gv: Float64Array) => {
    toTheta(v);
    const f = lossGrad(th, gTheta);
    for (let k = 0; k < K; k++) {
      const gb = fitIntercept ? gTheta[k * p + d] : 0;
      for (let j = 0; j < d; j++) gv[k * p + j] = (gTheta[k * p + j] - mu[j] * gb) / sd[j];
      if (fitIntercept) gv[k * p + d] = gb;
    }
    return f;
  };
  // `fun` leaves the original-coordinate gradient of the last point evaluated in gTheta
  const res = lbfgs(fun, new Float64Array(P), { maxIter, memory: 20, stop: () => maxAbs(gTheta) <= tol });
  toTheta(res.x);
  return { th: th.slice(), nIter: res.nIter, converged: res.converged };
}

function checkFitOptions(opts: LogisticRegressionOptions, fn: string) {
  const penalty = opts.penalty ?? "l2";
  if (penalty !== "l2" && penalty !== "none")
    throw new ValueError(`${fn}: penalty must be "l2" or "none", but got ${JSON.stringify(penalty)}`);
  const C = opts.C ?? 1;
  if (typeof C !== "number" || !(C > 0) || !Number.isFinite(C))
    throw new ValueError(`${fn}: C must be a finite number > 0, but got ${C}`);
  const fitIntercept = opts.fitIntercept ?? true;
  if (typeof fitIntercept !== "boolean")
    throw new ValueError(`${fn}: fitIntercept must be a boolean, but got ${JSON.stringify(fitIntercept)}`);
  const tol = opts.tol ?? 1e-8;
  if (typeof tol !== "number" || !(tol > 0))
    throw new ValueError(`${fn}: tol must be a number > 0, but got ${tol}`);
  const solver = opts.solver ?? "auto";
  if (solver !== "auto" && solver !== "newton" && solver !== "lbfgs")
    throw new ValueError(
      `${fn}: solver must be "auto", "newton" or "lbfgs", but got ${JSON.stringify(solver)}`,
    );
  if (opts.maxIter !== undefined && (!Number.isInteger(opts.maxIter) || opts.maxIter < 1))
    throw new ValueError(`${fn}: maxIter must be an integer >= 1, but got ${opts.maxIter}`);
  return { penalty, C, fitIntercept, tol, solver };
}

/** Per-class weights `[C]` from the `classWeight` option (scikit-learn's `compute_class_weight`). */
function classWeights(
  opt: LogisticRegressionOptions["classWeight"],
  classes: Label[],
  counts: Int32Array,
  fn: string,
) {
  const w = new Float64Array(classes.length).fill(1);
  if (opt === undefined) return w;
  const n = counts.reduce((a, b) => a + b, 0);
  if (opt === "balanced") {
    for (let c = 0; c < classes.length; c++) w[c] = n / (classes.length * counts[c]);
    return w;
  }
  if (typeof opt !== "object" || opt === null)
    throw new ValueError(
      `${fn}: classWeight must be "balanced" or an object of weights by label, but got ${JSON.stringify(opt)}`,
    );
  const index = new Map(classes.map((c, i) => [String(c), i]));
  for (const [label, v] of Object.entries(opt)) {
    const c = index.get(label);
    if (c === undefined)
      throw new ValueError(
        `${fn}: classWeight names class ${JSON.stringify(label)}, which is not in y (classes: ${classes.join(", ")})`,
      );
    if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v))
      throw new ValueError(
        `${fn}: classWeight[${JSON.stringify(label)}] must be a finite number >= 0, but got ${v}`,
      );
    w[c] = v;
  }
  return w;
}

function problemFor(
  X: Matrix,
  ids: Int32Array,
  nClasses: number,
  classWeight: Float64Array,
  lambda: number,
  fitIntercept: boolean,
): Problem {
  const sw = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) sw[i] = classWeight[ids[i]];
  const d = X.cols;
  return {
    x: X.data,
    n: X.rows,
    d,
    p: fitIntercept ? d + 1 : d,
    K: nClasses === 2 ? 1 : nClasses,
    ids,
    sw,
    lambda,
    fitIntercept,
  };
}

/** Split θ into `coef` `[K, d]` and `intercept` `[K]`. */
function unpack(pr: Problem, th: Float64Array): { coef: Matrix; intercept: Float64Array } {
  const { d, p, K, fitIntercept } = pr;
  const coef = zeros(K, d);
  const intercept = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    coef.data.set(th.subarray(k * p, k * p + d), k * d);
    if (fitIntercept) intercept[k] = th[k * p + d];
  }
  return { coef, intercept };
}

function pack(pr: Problem, coef: Matrix, intercept: Float64Array): Float64Array {
  const { d, p, K, fitIntercept } = pr;
  const th = new Float64Array(K * p);
  for (let k = 0; k < K; k++) {
    th.set(coef.data.subarray(k * d, (k + 1) * d), k * p);
    if (fitIntercept) th[k * p + d] = intercept[k];
  }
  return th;
}

/** Fit by penalised maximum likelihood; `X` `[n, d]`, `y` `[n]` labels. */
function fit(X: Matrix, y: ArrayLike<Label>, opts: LogisticRegressionOptions = {}): LogisticRegressionFitted {
  const fn = "LogisticRegression.fit";
  checkShape(X, fn, "X");
  checkFinite(X, "X", fn);
  const { penalty, C, fitIntercept, tol, solver } = checkFitOptions(opts, fn);
  const { classes, ids, counts } = checkTrainingLabels(fn, X.rows, y);
  const classWeight = classWeights(opts.classWeight, classes, counts, fn);
  const pr = problemFor(X, ids, classes.length, classWeight, penalty === "l2" ? 1 / C : 0, fitIntercept);
  // Newton costs ~K²p²n/4 per iteration against ~2Kpn per L-BFGS evaluation; it needs ~10× fewer steps
  let chosen: LogisticRegressionFitted["solver"] =
    solver !== "auto" ? solver : (pr.K + 1) * pr.p <= 160 ? "newton" : "lbfgs";
  const maxIter = opts.maxIter ?? (chosen === "newton" ? 100 : 1000);
  const { lossGrad } = lossGradFor(pr);
  let res = chosen === "newton" ? newton(pr, lossGrad, tol, maxIter) : lbfgsSolve(pr, lossGrad, tol, maxIter);
  if (solver === "auto" && !res.converged && chosen === "lbfgs" && pr.K * pr.p <= 2000) {
    // ill-conditioned (e.g. collinear features): finish with Newton steps from where L-BFGS stopped
    const polish = newton(pr, lossGrad, tol, opts.maxIter ?? 100, res.th);
    res = { th: polish.th, nIter: res.nIter + polish.nIter, converged: polish.converged };
    chosen = "lbfgs+newton";
  }
  projectSumZero(pr, res.th);
  const g = new Float64Array(res.th.length);
  lossGrad(res.th, g);
  const gradNorm = maxAbs(g);
  if (!res.converged && !Number.isFinite(gradNorm))
    throw new NumericalError(
      `${fn}: the optimisation diverged (non-finite gradient); scale the features or lower C`,
    );
  const { coef, intercept } = unpack(pr, res.th);
  return {
    kind: "logreg",
    classes,
    nFeatures: X.cols,
    coef,
    intercept,
    penalty,
    C,
    fitIntercept,
    classWeight,
    solver: chosen,
    tol,
    maxIter,
    nIter: res.nIter,
    converged: gradNorm <= tol,
    gradNorm,
  };
}

/** Decision scores `[n, K]`: logits `W x + b` (`K = 1` for two classes: the logit of class 1). */
function decisionFunction(fitted: LogisticRegressionFitted, X: Matrix): Matrix {
  checkShape(X, "LogisticRegression.decisionFunction", "X", fitted.nFeatures);
  return { rows: X.rows, cols: fitted.coef.rows, data: linearScores(X, fitted.coef, fitted.intercept) };
}

/** log P(y = c | x) `[n, C]` in nats (log-sigmoid or log-softmax of the scores, computed stably). */
function predictLogProba(fitted: LogisticRegressionFitted, X: Matrix): Matrix {
  const z = decisionFunction(fitted, X);
  const n = X.rows;
  const C = fitted.classes.length;
  const out = zeros(n, C);
  if (z.cols === 1) {
    // log σ(t) = −softplus(−t)
    const logSigmoid = (t: number) => -(Math.max(-t, 0) + Math.log1p(Math.exp(-Math.abs(t))));
    for (let i = 0; i < n; i++) {
      out.data[2 * i] = logSigmoid(-z.data[i]);
      out.data[2 * i + 1] = logSigmoid(z.data[i]);
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const o = i * C;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < C; k++) max = Math.max(max, z.data[o + k]);
    let s = 0;
    for (let k = 0; k < C; k++) s += Math.exp(z.data[o + k] - max);
    const lse = max + Math.log(s);
    for (let k = 0; k < C; k++) out.data[o + k] = z.data[o + k] - lse;
  }
  return out;
}

/** P(y = c | x) `[n, C]` (scikit-learn `predict_proba`); rows sum to 1. */
function predictProba(fitted: LogisticRegressionFitted, X: Matrix): Matrix {
  const z = decisionFunction(fitted, X);
  const n = X.rows;
  const C = fitted.classes.length;
  const out = zeros(n, C);
  if (z.cols === 1) {
    for (let i = 0; i < n; i++) {
      const t = z.data[i];
      const e = Math.exp(-Math.abs(t));
      const p1 = t >= 0 ? 1 / (1 + e) : e / (1 + e);
      out.data[2 * i] = t >= 0 ? e / (1 + e) : 1 / (1 + e);
      out.data[2 * i + 1] = p1;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const o = i * C;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < C; k++) max = Math.max(max, z.data[o + k]);
    let s = 0;
    for (let k = 0; k < C; k++) {
      const e = Math.exp(z.data[o + k] - max);
      out.data[o + k] = e;
      s += e;
    }
    for (let k = 0; k < C; k++) out.data[o + k] /= s;
  }
  return out;
}

/** The most probable class of each row (ties to the first class, like numpy's argmax). */
function predict(fitted: LogisticRegressionFitted, X: Matrix): Label[] {
  const z = decisionFunction(fitted, X);
  const out: Label[] = new Array(X.rows);
  if (z.cols === 1) {
    for (let i = 0; i < X.rows; i++) out[i] = fitted.classes[z.data[i] > 0 ? 1 : 0];
    return out;
  }
  const K = z.cols;
  for (let i = 0; i < X.rows; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (z.data[i * K + k] > z.data[i * K + best]) best = k;
    out[i] = fitted.classes[best];
  }
  return out;
}

/**
 * The training objective F (file header; nats) and its gradient at `fitted`'s coefficients, on data
 * `X`, `y` with `fitted`'s C, penalty and class weights: for checks of optimality.
 */
function objective(
  fitted: LogisticRegressionFitted,
  X: Matrix,
  y: ArrayLike<Label>,
): { value: number; gradCoef: Matrix; gradIntercept: Float64Array } {
  const fn = "LogisticRegression.objective";
  checkShape(X, fn, "X", fitted.nFeatures);
  if (y.length !== X.rows)
    throw new ValueError(`${fn}: y must have one label per row of X (${X.rows}), but has ${y.length}`);
  const ids = encodeWithClasses(y, fitted.classes, fn);
  const lambda = fitted.penalty === "l2" ? 1 / fitted.C : 0;
  const pr = problemFor(X, ids, fitted.classes.length, fitted.classWeight, lambda, fitted.fitIntercept);
  const th = pack(pr, fitted.coef, fitted.intercept);
  const g = new Float64Array(th.length);
  const value = lossGradPlain(pr, th, g);
  const { coef, intercept } = unpack(pr, g);
  return { value, gradCoef: coef, gradIntercept: intercept };
}

/**
 * Logistic regression as a record of pure functions: `fit(X, y, opts)`, `predictProba`,
 * `predictLogProba`, `predict`, `decisionFunction`, `objective`. Discriminative: no `sample`.
 */
export const LogisticRegression = {
  fit,
  predictProba,
  predictLogProba,
  predict,
  decisionFunction,
  objective,
};
