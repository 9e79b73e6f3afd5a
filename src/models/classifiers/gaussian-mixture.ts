/**
 * Gaussian mixture models fitted by EM, the unsupervised generative story: p(x) = Σ_k π_k N(x; μ_k, Σ_k)
 * with full, tied, diagonal or spherical covariances, in float64 plain TypeScript. Semantics of
 * scikit-learn 1.2's `GaussianMixture`: the E-step's mean log-likelihood is the "lower bound"; EM stops
 * when it changes by less than `tol`; `regCovar` is added to every covariance diagonal; `nInit`
 * restarts keep the best lower bound; `bic`/`aic` count parameters like `_n_parameters`. Differences:
 * randomness comes from a jax-js key (so the clusters of a seed are not scikit-learn's); the default
 * init "kmeans++" is k-means++ seeding then Lloyd iterations (what scikit-learn's default "kmeans"
 * init runs through `KMeans(n_init=1)`, not its "k-means++" init, which uses the seeds alone);
 * `converged` and `nIter` describe the restart that was kept (scikit-learn's `converged_` is true if
 * any restart converged). Shapes of `covariances` and `precisionsCholesky` (lists of Matrix, mirroring
 * scikit-learn's arrays): full K × `[d, d]`, tied 1 × `[d, d]`, diag 1 × `[K, d]`, spherical 1 × `[K, 1]`.
 * `precisionsCholesky` P satisfies P Pᵀ = Σ⁻¹ (upper triangular, P = L⁻ᵀ for Σ = L Lᵀ).
 * References: Bishop, PRML (2006) §9.2.2 (EM for Gaussian mixtures, eqs. 9.23–9.27); scikit-learn
 * `sklearn/mixture/_gaussian_mixture.py` and `_base.py`; Schwarz (1978) for BIC.
 */
import { NumericalError, ValueError } from "../../errors.js";
import { drawIndex, hostUniforms } from "../../host-random.js";
import { type Array as JaxArray, np, random } from "../../jax.js";
import { cholesky, identity, solveLowerTriangular } from "../../linalg/dense.js";
import { checkFinite, checkShape, type Matrix, zeros } from "../../linalg/matrix.js";
import { kmeans } from "./kmeans.js";
import type { Label } from "./labels.js";

/** Covariance structure of the components. */
export type CovarianceType = "full" | "tied" | "diag" | "spherical";

/**
 * Explicit initial parameters (scikit-learn's `weights_init`, `means_init`, `precisions_init`):
 * weights `[K]` summing to 1, means `[K, d]`, precisions (inverse covariances) shaped like
 * `covariances` in the fitted value.
 */
export type GaussianMixtureInit = { weights: ArrayLike<number>; means: Matrix; precisions: Matrix[] };

/** Options of {@link GaussianMixture}`.fit`. */
export type GaussianMixtureOptions = {
  /** mixture components K (default 1) */
  nComponents?: number;
  /** default "full" */
  covarianceType?: CovarianceType;
  /** stop when the mean log-likelihood (nats per sample) changes by less than this (default 1e-3) */
  tol?: number;
  /** added to each covariance diagonal (default 1e-6) */
  regCovar?: number;
  /** EM iterations per restart (default 100; 0 returns the initial parameters) */
  maxIter?: number;
  /** restarts; the best lower bound is kept (default 1) */
  nInit?: number;
  /** "kmeans++" (default; seeding + Lloyd), "random" (random responsibilities), or explicit parameters */
  init?: "kmeans++" | "random" | GaussianMixtureInit;
};

/** A fitted Gaussian mixture: a plain object (see the classifier contract); classes are 0..K−1. */
export type GaussianMixtureFitted = {
  kind: "gmm";
  classes: number[];
  nFeatures: number;
  covarianceType: CovarianceType;
  /** `[K]` mixing weights π */
  weights: Float64Array;
  /** `[K, d]` */
  means: Matrix;
  covariances: Matrix[];
  precisionsCholesky: Matrix[];
  nComponents: number;
  regCovar: number;
  tol: number;
  maxIter: number;
  nInit: number;
  init: "kmeans++" | "random" | "given";
  converged: boolean;
  nIter: number;
  /** the kept restart's final lower bound: mean log-likelihood per sample (nats) */
  lowerBound: number;
};

type Params = { weights: Float64Array; means: Matrix; covariances: Matrix[]; precChol: Matrix[] };

const LOG_2PI = Math.log(2 * Math.PI);
const EPS10 = 10 * Number.EPSILON;

function singular(k: number, regCovar: number): NumericalError {
  return new NumericalError(
    `GaussianMixture.fit: the covariance of component ${k} is not positive definite (a singleton or collapsed component); use fewer components or increase regCovar (now ${regCovar})`,
  );
}

/** Upper-triangular P = L⁻ᵀ with Σ = L Lᵀ, so that P Pᵀ = Σ⁻¹ (scikit-learn's precision Cholesky). */
function precisionCholeskyFull(cov: Matrix, k: number, regCovar: number): Matrix {
  let L: Matrix;
  try {
    L = cholesky(cov, "GaussianMixture.fit");
  } catch (e) {
    if (e instanceof NumericalError) throw singular(k, regCovar);
    throw e;
  }
  const inv = solveLowerTriangular(L, identity(cov.rows));
  const d = cov.rows;
  const P = zeros(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) P.data[i * d + j] = inv.data[j * d + i];
  return P;
}

function precisionCholesky(type: CovarianceType, covs: Matrix[], regCovar: number): Matrix[] {
  if (type === "full" || type === "tied") return covs.map((c, k) => precisionCholeskyFull(c, k, regCovar));
  const c = covs[0];
  const out = { rows: c.rows, cols: c.cols, data: new Float64Array(c.data.length) };
  for (let t = 0; t < c.data.length; t++) {
    if (!(c.data[t] > 0)) throw singular(Math.floor(t / c.cols), regCovar);
    out.data[t] = 1 / Math.sqrt(c.data[t]);
  }
  return [out];
}

/** log N(x_i; μ_k, Σ_k) + log π_k: `[n, K]` (Bishop eq. 9.7 inside the sum). */
function weightedLogProb(type: CovarianceType, p: Params, X: Matrix): Matrix {
  const { rows: n, cols: d, data: x } = X;
  const K = p.means.rows;
  const mu = p.means.data;
  const out = zeros(n, K);
  const o = out.data;
  const diff = new Float64Array(d);
  for (let k = 0; k < K; k++) {
    const logW = Math.log(p.weights[k]);
    if (type === "full" || type === "tied") {
      const P = p.precChol[type === "full" ? k : 0].data;
      let logDet = 0;
      for (let j = 0; j < d; j++) logDet += Math.log(P[j * d + j]);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - mu[k * d + j];
        // y = diff · P, P upper triangular: y_j = Σ_{a ≤ j} diff_a P[a, j]
        let q = 0;
        for (let j = 0; j < d; j++) {
          let y = 0;
          for (let a = 0; a <= j; a++) y += diff[a] * P[a * d + j];
          q += y * y;
        }
        o[i * K + k] = -0.5 * (d * LOG_2PI + q) + logDet + logW;
      }
    } else {
      const P = p.precChol[0].data;
      const sph = type === "spherical";
      let logDet = 0;
      for (let j = 0; j < d; j++) logDet += Math.log(sph ? P[k] : P[k * d + j]);
      for (let i = 0; i < n; i++) {
        let q = 0;
        for (let j = 0; j < d; j++) {
          const t = (x[i * d + j] - mu[k * d + j]) * (sph ? P[k] : P[k * d + j]);
          q += t * t;
        }
        o[i * K + k] = -0.5 * (d * LOG_2PI + q) + logDet + logW;
      }
    }
  }
  return out;
}

/** Row-wise log-sum-exp `[n]`, and (in place) log responsibilities. */
function normalise(w: Matrix): Float64Array {
  const { rows: n, cols: K, data } = w;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) max = Math.max(max, data[i * K + k]);
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(data[i * K + k] - max);
    const lse = max + Math.log(s);
    out[i] = lse;
    for (let k = 0; k < K; k++) data[i * K + k] -= lse;
  }
  return out;
}

/** M-step statistics from responsibilities `[n, K]` (scikit-learn `_estimate_gaussian_parameters`). */
function estimate(type: CovarianceType, X: Matrix, resp: Matrix, regCovar: number) {
  const { rows: n, cols: d, data: x } = X;
  const K = resp.cols;
  const r = resp.data;
  const nk = new Float64Array(K);
  const means = zeros(K, d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const w = r[i * K + k];
      nk[k] += w;
      for (let j = 0; j < d; j++) means.data[k * d + j] += w * x[i * d + j];
    }
  }
  for (let k = 0; k < K; k++) {
    nk[k] += EPS10;
    for (let j = 0; j < d; j++) means.data[k * d + j] /= nk[k];
  }
  let covariances: Matrix[];
  if (type === "full" || type === "tied") {
    const covs = Array.from({ length: type === "full" ? K : 1 }, () => zeros(d, d));
    const diff = new Float64Array(d);
    for (let k = 0; k < K; k++) {
      const C = covs[type === "full" ? k : 0].data;
      for (let i = 0; i < n; i++) {
        const w = r[i * K + k];
        for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - means.data[k * d + j];
        for (let a = 0; a < d; a++) {
          const wa = w * diff[a];
          for (let b = a; b < d; b++) C[a * d + b] += wa * diff[b];
        }
      }
    }
    // full: Σ_k = Σ_i r_ik (x−μ_k)(x−μ_k)ᵀ / n_k; tied: Σ over components / Σ n_k
    const nkSum = nk.reduce((s, v) => s + v, 0);
    covs.forEach((c, k) => {
      const div = type === "full" ? nk[k] : nkSum;
      for (let a = 0; a < d; a++) {
        for (let b = a; b < d; b++) {
          const v = c.data[a * d + b] / div;
          c.data[a * d + b] = v;
          c.data[b * d + a] = v;
        }
        c.data[a * d + a] += regCovar;
      }
    });
    covariances = covs;
  } else {
    const diag = zeros(K, d);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const w = r[i * K + k];
        for (let j = 0; j < d; j++) diag.data[k * d + j] += w * (x[i * d + j] - means.data[k * d + j]) ** 2;
      }
    }
    for (let k = 0; k < K; k++)
      for (let j = 0; j < d; j++) diag.data[k * d + j] = diag.data[k * d + j] / nk[k] + regCovar;
    if (type === "diag") covariances = [diag];
    else {
      const sph = zeros(K, 1);
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += diag.data[k * d + j];
        sph.data[k] = s / d;
      }
      covariances = [sph];
    }
  }
  return { nk, means, covariances };
}

/** One E-step: mean log-likelihood (the lower bound) and responsibilities `[n, K]`. */
function eStep(type: CovarianceType, p: Params, X: Matrix): { lowerBound: number; resp: Matrix } {
  const w = weightedLogProb(type, p, X);
  const lpn = normalise(w);
  let s = 0;
  for (let i = 0; i < lpn.length; i++) s += lpn[i];
  for (let t = 0; t < w.data.length; t++) w.data[t] = Math.exp(w.data[t]);
  return { lowerBound: s / X.rows, resp: w };
}

/** One M-step (Bishop eqs. 9.24–9.26; weights renormalised as scikit-learn does). */
function mStep(type: CovarianceType, X: Matrix, resp: Matrix, regCovar: number): Params {
  const { nk, means, covariances } = estimate(type, X, resp, regCovar);
  const total = nk.reduce((s, v) => s + v, 0);
  const weights = nk.map((v) => v / total);
  return { weights, means, covariances, precChol: precisionCholesky(type, covariances, regCovar) };
}

/** Upper-triangular U with U Uᵀ = A (A symmetric positive definite), by Cholesky of A reversed. */
function upperFactor(A: Matrix, what: string): Matrix {
  const d = A.rows;
  const R = zeros(d, d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) R.data[i * d + j] = A.data[(d - 1 - i) * d + (d - 1 - j)];
  let L: Matrix;
  try {
    L = cholesky(R, "GaussianMixture.fit");
  } catch (e) {
    if (e instanceof NumericalError)
      throw new ValueError(`GaussianMixture.fit: ${what} must be positive definite, but is not`);
    throw e;
  }
  const U = zeros(d, d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) U.data[i * d + j] = L.data[(d - 1 - i) * d + (d - 1 - j)];
  return U;
}

/** Σ = (P Pᵀ)⁻¹ = P⁻ᵀ P⁻¹ from an upper-triangular precision factor P. */
function covarianceFromPrecChol(P: Matrix): Matrix {
  const d = P.rows;
  // P⁻ᵀ is lower triangular: solve Pᵀ Z = I
  const Pt = zeros(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) Pt.data[i * d + j] = P.data[j * d + i];
  const Z = solveLowerTriangular(Pt, identity(d));
  const C = zeros(d, d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let t = 0; t <= b; t++) s += Z.data[a * d + t] * Z.data[b * d + t];
      C.data[a * d + b] = s;
      C.data[b * d + a] = s;
    }
  }
  return C;
}

function checkMatrix(m: Matrix | undefined, rows: number, cols: number, what: string, fn: string): Matrix {
  if (
    !m ||
    !(m.data instanceof Float64Array) ||
    m.rows !== rows ||
    m.cols !== cols ||
    m.data.length !== rows * cols
  )
    throw new ValueError(
      `${fn}: ${what} must be a [${rows}, ${cols}] Matrix, but got ${m ? `[${m.rows}, ${m.cols}]` : m}`,
    );
  checkFinite(m, what, fn);
  return m;
}

/** Parameters from explicit initial values (scikit-learn's *_init checks). */
function givenParams(
  type: CovarianceType,
  init: GaussianMixtureInit,
  K: number,
  d: number,
  fn: string,
): Params {
  const w = Float64Array.from(init.weights ?? []);
  if (w.length !== K)
    throw new ValueError(`${fn}: init.weights must have nComponents (${K}) entries, but has ${w.length}`);
  if (w.some((v) => !(v >= 0 && v <= 1)))
    throw new ValueError(`${fn}: init.weights must lie in [0, 1], but got [${Array.from(w).join(", ")}]`);
  const sum = w.reduce((s, v) => s + v, 0);
  if (Math.abs(1 - sum) > 1e-8) throw new ValueError(`${fn}: init.weights must sum to 1, but sum to ${sum}`);
  const means = checkMatrix(init.means, K, d, "init.means", fn);
  const shapes: Record<CovarianceType, [number, number, number]> = {
    full: [K, d, d],
    tied: [1, d, d],
    diag: [1, K, d],
    spherical: [1, K, 1],
  };
  const [count, rows, cols] = shapes[type];
  const precs = init.precisions;
  if (!Array.isArray(precs) || precs.length !== count)
    throw new ValueError(
      `${fn}: init.precisions must be a list of ${count} Matrix for "${type}", but got ${Array.isArray(precs) ? precs.length : typeof precs}`,
    );
  for (const [k, m] of precs.entries()) checkMatrix(m, rows, cols, `init.precisions[${k}]`, fn);
  let precChol: Matrix[];
  let covariances: Matrix[];
  if (type === "full" || type === "tied") {
    precChol = precs.map((m, k) => {
      for (let a = 0; a < d; a++)
        for (let b = 0; b < a; b++)
          if (
            Math.abs(m.data[a * d + b] - m.data[b * d + a]) >
            1e-10 * Math.max(1, Math.abs(m.data[a * d + b]))
          )
            throw new ValueError(
              `${fn}: init.precisions[${k}] must be symmetric, but [${a}, ${b}] ≠ [${b}, ${a}]`,
            );
      return upperFactor(m, `init.precisions[${k}]`);
    });
    covariances = precChol.map(covarianceFromPrecChol);
  } else {
    const m = precs[0];
    if (m.data.some((v) => !(v > 0)))
      throw new ValueError(`${fn}: init.precisions[0] must be positive, but has an entry <= 0`);
    precChol = [{ rows, cols, data: m.data.map(Math.sqrt) }];
    covariances = [{ rows, cols, data: m.data.map((v) => 1 / v) }];
  }
  return { weights: w, means: { rows: K, cols: d, data: means.data.slice() }, covariances, precChol };
}

/** Initial parameters from responsibilities (scikit-learn `_initialize`: weights = n_k / n). */
function paramsFromResp(type: CovarianceType, X: Matrix, resp: Matrix, regCovar: number): Params {
  const { nk, means, covariances } = estimate(type, X, resp, regCovar);
  const weights = nk.map((v) => v / X.rows);
  return { weights, means, covariances, precChol: precisionCholesky(type, covariances, regCovar) };
}

function initialParams(
  key: JaxArray,
  X: Matrix,
  K: number,
  o: Required<GaussianMixtureOptions>,
  fn: string,
): Params {
  const { rows: n, cols: d } = X;
  if (typeof o.init === "object") {
    key.dispose();
    return givenParams(o.covarianceType, o.init, K, d, fn);
  }
  const resp = zeros(n, K);
  if (o.init === "random") {
    const u = hostUniforms(key, n * K);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += u[i * K + k];
      for (let k = 0; k < K; k++) resp.data[i * K + k] = u[i * K + k] / s;
    }
  } else {
    const { labels } = kmeans(key, X, K);
    for (let i = 0; i < n; i++) resp.data[i * K + labels[i]] = 1;
  }
  return paramsFromResp(o.covarianceType, X, resp, o.regCovar);
}

function checkOptions(X: Matrix, opts: GaussianMixtureOptions, fn: string): Required<GaussianMixtureOptions> {
  const o = {
    nComponents: opts.nComponents ?? 1,
    covarianceType: opts.covarianceType ?? "full",
    tol: opts.tol ?? 1e-3,
    regCovar: opts.regCovar ?? 1e-6,
    maxIter: opts.maxIter ?? 100,
    nInit: opts.nInit ?? 1,
    init: opts.init ?? "kmeans++",
  };
  if (!Number.isInteger(o.nComponents) || o.nComponents < 1)
    throw new ValueError(`${fn}: nComponents must be an integer >= 1, but got ${o.nComponents}`);
  if (X.rows < o.nComponents)
    throw new ValueError(
      `${fn}: X must have at least nComponents (${o.nComponents}) rows, but has ${X.rows}`,
    );
  if (!["full", "tied", "diag", "spherical"].includes(o.covarianceType))
    throw new ValueError(
      `${fn}: covarianceType must be "full", "tied", "diag" or "spherical", but got ${JSON.stringify(o.covarianceType)}`,
    );
  if (!(o.tol >= 0)) throw new ValueError(`${fn}: tol must be a number >= 0, but got ${o.tol}`);
  if (!(o.regCovar >= 0))
    throw new ValueError(`${fn}: regCovar must be a number >= 0, but got ${o.regCovar}`);
  if (!Number.isInteger(o.maxIter) || o.maxIter < 0)
    throw new ValueError(`${fn}: maxIter must be an integer >= 0, but got ${o.maxIter}`);
  if (!Number.isInteger(o.nInit) || o.nInit < 1)
    throw new ValueError(`${fn}: nInit must be an integer >= 1, but got ${o.nInit}`);
  if (typeof o.init !== "object" && o.init !== "kmeans++" && o.init !== "random")
    throw new ValueError(
      `${fn}: init must be "kmeans++", "random" or {weights, means, precisions}, but got ${JSON.stringify(o.init)}`,
    );
  return o;
}

/**
 * Fit by EM (Bishop §9.2.2) with `nInit` restarts, keeping the best lower bound. `key` is consumed
 * (split into one key per restart when nInit > 1, so restart i uses `random.split(key, nInit)[i]`).
 * `X` `[n, d]`, n ≥ 2.
 */
function fit(key: JaxArray, X: Matrix, opts: GaussianMixtureOptions = {}): GaussianMixtureFitted {
  const fn = "GaussianMixture.fit";
  let o: Required<GaussianMixtureOptions>;
  try {
    checkShape(X, fn, "X", undefined, 2);
    checkFinite(X, "X", fn);
    o = checkOptions(X, opts, fn);
  } catch (e) {
    key.dispose();
    throw e;
  }
  const type = o.covarianceType;
  const K = o.nComponents;
  const keys = o.nInit === 1 ? [key] : np.unstack(random.split(key, o.nInit));
  let best: { params: Params; lowerBound: number; nIter: number; converged: boolean } | null = null;
  let used = 0;
  try {
    for (let r = 0; r < o.nInit; r++) {
      used = r + 1;
      let params = initialParams(keys[r], X, K, o, fn);
      let lowerBound = Number.NEGATIVE_INFINITY;
      let nIter = 0;
      let converged = false;
      for (let it = 1; it <= o.maxIter; it++) {
        const prev = lowerBound;
        const e = eStep(type, params, X);
        params = mStep(type, X, e.resp, o.regCovar);
        lowerBound = e.lowerBound;
        nIter = it;
        if (Math.abs(lowerBound - prev) < o.tol) {
          converged = true;
          break;
        }
      }
      if (best === null || lowerBound > best.lowerBound) best = { params, lowerBound, nIter, converged };
    }
  } finally {
    for (let r = used; r < keys.length; r++) keys[r].dispose();
  }
  const b = best as NonNullable<typeof best>;
  return {
    kind: "gmm",
    classes: Array.from({ length: K }, (_, k) => k),
    nFeatures: X.cols,
    covarianceType: type,
    weights: b.params.weights,
    means: b.params.means,
    covariances: b.params.covariances,
    precisionsCholesky: b.params.precChol,
    nComponents: K,
    regCovar: o.regCovar,
    tol: o.tol,
    maxIter: o.maxIter,
    nInit: o.nInit,
    init: typeof o.init === "object" ? "given" : o.init,
    converged: b.converged,
    nIter: b.nIter,
    lowerBound: b.lowerBound,
  };
}

function paramsOf(f: GaussianMixtureFitted): Params {
  return { weights: f.weights, means: f.means, covariances: f.covariances, precChol: f.precisionsCholesky };
}

/** log p(x, z = k) = log π_k + log N(x; μ_k, Σ_k): `[n, K]` in nats. */
function logJoint(fitted: GaussianMixtureFitted, X: Matrix): Matrix {
  checkShape(X, "GaussianMixture.logJoint", "X", fitted.nFeatures);
  return weightedLogProb(fitted.covarianceType, paramsOf(fitted), X);
}

/** log p(x) `[n]` in nats (scikit-learn `score_samples`). */
function logMarginal(fitted: GaussianMixtureFitted, X: Matrix): Float64Array {
  checkShape(X, "GaussianMixture.logProb", "X", fitted.nFeatures);
  return normalise(weightedLogProb(fitted.covarianceType, paramsOf(fitted), X));
}

/** Mean log-likelihood per sample (nats; scikit-learn `score`). */
function score(fitted: GaussianMixtureFitted, X: Matrix): number {
  const lp = logMarginal(fitted, X);
  return lp.reduce((s, v) => s + v, 0) / lp.length;
}

/** log P(z = k | x) `[n, K]` (log responsibilities). */
function predictLogProba(fitted: GaussianMixtureFitted, X: Matrix): Matrix {
  checkShape(X, "GaussianMixture.predictProba", "X", fitted.nFeatures);
  const w = weightedLogProb(fitted.covarianceType, paramsOf(fitted), X);
  normalise(w);
  return w;
}

/** P(z = k | x) `[n, K]`: the responsibilities; rows sum to 1. */
function predictProba(fitted: GaussianMixtureFitted, X: Matrix): Matrix {
  const w = predictLogProba(fitted, X);
  for (let t = 0; t < w.data.length; t++) w.data[t] = Math.exp(w.data[t]);
  return w;
}

/** The most responsible component of each row (ties to the lowest index). */
function predict(fitted: GaussianMixtureFitted, X: Matrix): Label[] {
  const w = predictLogProba(fitted, X);
  const K = w.cols;
  return Array.from({ length: X.rows }, (_, i) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (w.data[i * K + k] > w.data[i * K + best]) best = k;
    return best;
  });
}

/**
 * Draw `n` points: component z ~ Categorical(π) (or the given `class`), x ~ N(μ_z, Σ_z) by Box–Muller
 * normals. Consumes `key`; deterministic given it. Returns `X` `[n, d]` and `y` (the components).
 */
function sample(
  fitted: GaussianMixtureFitted,
  key: JaxArray,
  n: number,
  opts: { class?: Label } = {},
): { X: Matrix; y: Label[] } {
  const fn = "GaussianMixture.sample";
  if (!Number.isInteger(n) || n < 0) {
    key.dispose();
    throw new ValueError(`${fn}: n must be an integer >= 0, but got ${n}`);
  }
  const K = fitted.means.rows;
  const d = fitted.nFeatures;
  const fixed = opts.class;
  if (
    fixed !== undefined &&
    !(typeof fixed === "number" && Number.isInteger(fixed) && fixed >= 0 && fixed < K)
  ) {
    key.dispose();
    throw new ValueError(
      `${fn}: class must be a component index in 0..${K - 1}, but got ${JSON.stringify(fixed)}`,
    );
  }
  const type = fitted.covarianceType;
  let factors: Matrix[] = [];
  try {
    if (type === "full" || type === "tied")
      factors = fitted.covariances.map((c, k) => cholesky(c, `${fn} (component ${k})`));
  } catch (e) {
    key.dispose();
    throw e;
  }
  const nNormals = n * d + ((n * d) % 2);
  const u = hostUniforms(key, n + nNormals);
  const z = new Float64Array(nNormals);
  for (let t = 0; t < nNormals; t += 2) {
    const rad = Math.sqrt(-2 * Math.log(1 - u[n + t]));
    const ang = 2 * Math.PI * u[n + t + 1];
    z[t] = rad * Math.cos(ang);
    z[t + 1] = rad * Math.sin(ang);
  }
  const X = zeros(n, d);
  const y: Label[] = new Array(n);
  const mu = fitted.means.data;
  const cov = fitted.covariances[0].data;
  for (let i = 0; i < n; i++) {
    const k = fixed !== undefined ? (fixed as number) : drawIndex(fitted.weights, u[i]);
    y[i] = k;
    const zi = i * d;
    if (type === "full" || type === "tied") {
      const L = factors[type === "full" ? k : 0].data;
      for (let j = 0; j < d; j++) {
        let s = mu[k * d + j];
        for (let a = 0; a <= j; a++) s += L[j * d + a] * z[zi + a];
        X.data[zi + j] = s;
      }
    } else {
      for (let j = 0; j < d; j++)
        X.data[zi + j] = mu[k * d + j] + Math.sqrt(type === "diag" ? cov[k * d + j] : cov[k]) * z[zi + j];
    }
  }
  return { X, y };
}

/** Free parameters (scikit-learn `_n_parameters`): covariance + K·d means + K − 1 weights. */
function nParameters(fitted: GaussianMixtureFitted): number {
  const K = fitted.means.rows;
  const d = fitted.nFeatures;
  const cov = { full: (K * d * (d + 1)) / 2, diag: K * d, tied: (d * (d + 1)) / 2, spherical: K }[
    fitted.covarianceType
  ];
  return cov + d * K + K - 1;
}

/** Bayesian information criterion on `X`: −2 log L + p ln n (lower is better). */
function bic(fitted: GaussianMixtureFitted, X: Matrix): number {
  return -2 * score(fitted, X) * X.rows + nParameters(fitted) * Math.log(X.rows);
}

/** Akaike information criterion on `X`: −2 log L + 2p (lower is better). */
function aic(fitted: GaussianMixtureFitted, X: Matrix): number {
  return -2 * score(fitted, X) * X.rows + 2 * nParameters(fitted);
}

/**
 * Gaussian mixture as a record of pure functions. `fit(key, X, opts)` takes the key first (params,
 * then key, then data; there are no params before fitting). `logProb` = `logMarginal` (scikit-learn
 * `score_samples`).
 */
export const GaussianMixture = {
  fit,
  logProb: logMarginal,
  logMarginal,
  logJoint,
  score,
  predictProba,
  predictLogProba,
  predict,
  sample,
  bic,
  aic,
  nParameters,
};
