/**
 * Probabilistic PCA (Tipping & Bishop 1999, "Probabilistic principal component analysis", JRSS-B
 * 61:611): `z ~ N(0, I_q)`, `x = W z + μ + ε`, `ε ~ N(0, σ² I_d)`, so `x ~ N(μ, W Wᵀ + σ² I)`. The
 * maximum-likelihood fit is closed-form (eqs. 7–8): `σ²` the mean of the d − q smallest eigenvalues
 * of the sample covariance and `W = U_q (Λ_q − σ² I)^{1/2}` (rotation R = I). Densities and
 * posteriors go through `M = WᵀW + σ² I` `[q, q]` (Woodbury and the determinant lemma), O(n d q).
 */
import { describe, NumericalError, ValueError } from "../../errors.js";
import { hostUniforms } from "../../host-random.js";
import type { Array as JaxArray } from "../../jax.js";
import { cholesky, choleskySolve, identity, logDetFromCholesky, transpose } from "../../linalg/dense.js";
import { checkShape, type Matrix, zeros } from "../../linalg/matrix.js";
import { centre, checkFitData } from "./pca.js";
import { boxMuller, JACOBI_MAX, matmulNT, svdEigen, svdJacobi } from "./pca-solvers.js";

/** A fitted probabilistic PCA model: `x ~ N(mean, W Wᵀ + noiseVariance I)`. */
export type PpcaModel = {
  /** `μ` `[d]` */
  mean: Float64Array;
  /** loadings `W` `[d, q]` */
  W: Matrix;
  /** `σ²`, the isotropic noise variance */
  noiseVariance: number;
  /** the q largest eigenvalues `λ_j` of the sample covariance `[q]` */
  eigenvalues: Float64Array;
  /** their eigenvectors `U_qᵀ` `[q, d]` (signs as scikit-learn's `svd_flip`); `W = U_q (Λ_q − σ² I)^{1/2}` */
  components: Matrix;
  nSamples: number;
  /** 0: the maximum-likelihood 1/n covariance; 1: scikit-learn's 1/(n − 1) */
  ddof: 0 | 1;
};

/** Options of `ppcaFit`. */
export type PpcaOptions = {
  /** latent dimension q: an integer in [1, d − 1] (ddof 1: [1, min(n, d) − 1]) */
  nComponents: number;
  /**
   * 0 (default): maximum likelihood, covariance `XcᵀXc / n` and `σ²` the mean of its d − q smallest
   * eigenvalues (T&B eq. 8); 1: scikit-learn's `PCA(n_components=q)`: covariance `/ (n − 1)` and `σ²`
   * = `noise_variance_`, the mean of the min(n, d) − q discarded eigenvalues (so `ppcaLogProb` equals
   * `PCA.score_samples`).
   */
  ddof?: 0 | 1;
};

/**
 * Closed-form maximum-likelihood probabilistic PCA of `X` `[n, d]` (Tipping & Bishop 1999, eqs. 7–8),
 * through the same exact SVD as `pcaFit` (Jacobi for min(n, d) ≤ 100, else the scatter/Gram
 * eigendecomposition). Throws a `NumericalError` when σ² = 0 (the data lie in a q-dimensional
 * affine subspace).
 */
export function ppcaFit(X: Matrix, opts: PpcaOptions): PpcaModel {
  checkFitData(X, "ppcaFit");
  const { rows: n, cols: d } = X;
  const ddof = opts?.ddof ?? 0;
  if (ddof !== 0 && ddof !== 1)
    throw new ValueError(`ppcaFit: ddof must be 0 or 1, but got ${describe(ddof)}`);
  const r = Math.min(n, d);
  const qMax = ddof === 0 ? d - 1 : r - 1;
  const q = opts?.nComponents;
  if (typeof q !== "number" || !Number.isInteger(q) || q < 1 || q > qMax)
    throw new ValueError(
      `ppcaFit: nComponents must be an integer in [1, ${qMax}] (${ddof === 0 ? "d − 1" : "min(n, d) − 1"}), but got ${describe(q)}`,
    );
  const { mean, Xc } = centre(X);
  const pick = () => Math.min(q, r);
  const { s, components } = r <= JACOBI_MAX ? svdJacobi(Xc, pick) : svdEigen(Xc, pick);
  // 1. eigenvalues of the covariance (those beyond min(n, d) are 0)
  const lambda = Float64Array.from(s, (v) => (v * v) / (n - ddof));
  // 2. σ²: mean of the discarded eigenvalues (eq. 8)
  let rest = 0;
  for (let j = q; j < r; j++) rest += lambda[j];
  const sigma2 = rest / (ddof === 0 ? d - q : r - q);
  // σ² at the rounding level of the covariance means no noise left (q ≥ rank; then also q < r below)
  if (!(sigma2 > Math.max(n, d) * Number.EPSILON * lambda[0]))
    throw new NumericalError(
      `ppcaFit: noise variance must be positive, but is ${sigma2}: X lies in a ${q}-dimensional affine subspace; use fewer components`,
    );
  // 3. W = U_q (Λ_q − σ² I)^{1/2} (eq. 7 with R = I)
  const W = zeros(d, q);
  const eigenvalues = new Float64Array(q);
  for (let j = 0; j < q; j++) {
    eigenvalues[j] = lambda[j];
    const scale = Math.sqrt(Math.max(lambda[j] - sigma2, 0));
    for (let c = 0; c < d; c++) W.data[c * q + j] = components[j * d + c] * scale;
  }
  return {
    mean,
    W,
    noiseVariance: sigma2,
    eigenvalues,
    components: { rows: q, cols: d, data: components.slice(0, q * d) },
    nSamples: n,
    ddof,
  };
}

/** `M = WᵀW + σ² I` `[q, q]` and its lower Cholesky factor. */
function latentPrecision(model: PpcaModel, fn: string): { M: Matrix; L: Matrix } {
  const { W, noiseVariance } = model;
  const q = W.cols;
  const Wt = transpose(W);
  const M = { rows: q, cols: q, data: matmulNT(Wt.data, q, Wt.data, q, W.rows) };
  for (let j = 0; j < q; j++) M.data[j * q + j] += noiseVariance;
  return { M, L: cholesky(M, fn) };
}

/** `X − μ` `[n, d]` after checking X's shape, and the projections `(X − μ) W` `[n, q]`. */
function project(model: PpcaModel, X: Matrix, fn: string): { R: Matrix; T: Matrix } {
  const { mean, W } = model;
  const d = mean.length;
  checkShape(X, fn, "X", d);
  const n = X.rows;
  const R = zeros(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) R.data[i * d + j] = X.data[i * d + j] - mean[j];
  const T = { rows: n, cols: W.cols, data: matmulNT(R.data, n, transpose(W).data, W.cols, d) };
  return { R, T };
}

/**
 * Log-density `log N(x; μ, W Wᵀ + σ² I)` of each row of `X` `[n, d]` → `[n]` (nats), by Woodbury,
 * `C⁻¹ = σ⁻²(I − W M⁻¹ Wᵀ)`, and the determinant lemma, `log|C| = (d − q) log σ² + log|M|`.
 */
export function ppcaLogProb(model: PpcaModel, X: Matrix): Float64Array {
  const { L } = latentPrecision(model, "ppcaLogProb");
  const { R, T } = project(model, X, "ppcaLogProb");
  const { rows: n, cols: d } = R;
  const q = T.cols;
  const s2 = model.noiseVariance;
  const logNorm = d * Math.log(2 * Math.PI) + (d - q) * Math.log(s2) + logDetFromCholesky(L);
  // y = L⁻¹ Wᵀ r, so rᵀ W M⁻¹ Wᵀ r = ‖y‖²
  const y = new Float64Array(q);
  const l = L.data;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let rr = 0;
    for (let j = 0; j < d; j++) rr += R.data[i * d + j] ** 2;
    let yy = 0;
    for (let a = 0; a < q; a++) {
      let t = T.data[i * q + a];
      for (let b = 0; b < a; b++) t -= l[a * q + b] * y[b];
      y[a] = t / l[a * q + a];
      yy += y[a] * y[a];
    }
    out[i] = -0.5 * (logNorm + (rr - yy) / s2);
  }
  return out;
}

/** The model covariance `W Wᵀ + σ² I` `[d, d]`. */
export function ppcaCovariance(model: PpcaModel): Matrix {
  const { W, noiseVariance } = model;
  const d = W.rows;
  const C = { rows: d, cols: d, data: matmulNT(W.data, d, W.data, d, W.cols) };
  for (let j = 0; j < d; j++) C.data[j * d + j] += noiseVariance;
  return C;
}

/**
 * Posterior `p(z | x) = N(M⁻¹ Wᵀ (x − μ), σ² M⁻¹)` with `M = WᵀW + σ² I` (T&B §3.2): `mean`
 * `[n, q]` (one row per row of `X`) and the shared `cov` `[q, q]`.
 */
export function ppcaPosterior(model: PpcaModel, X: Matrix): { mean: Matrix; cov: Matrix } {
  const { L } = latentPrecision(model, "ppcaPosterior");
  const { T } = project(model, X, "ppcaPosterior");
  const mean = transpose(choleskySolve(L, transpose(T)));
  const cov = choleskySolve(L, identity(T.cols));
  for (let i = 0; i < cov.data.length; i++) cov.data[i] *= model.noiseVariance;
  return { mean, cov };
}

/**
 * Reconstruction of `X` `[n, d]` from its latent posterior → `[n, d]`. `"projection"` (default):
 * `W (WᵀW)⁻¹ M ⟨z⟩ + μ` (T&B §3.3), the orthogonal projection onto span(W), as PCA's reconstruction;
 * `"posterior-mean"`: `W ⟨z⟩ + μ = E[Wz + μ | x]`, shrunk towards μ.
 */
export function ppcaReconstruct(
  model: PpcaModel,
  X: Matrix,
  opts: { kind?: "projection" | "posterior-mean" } = {},
): Matrix {
  const kind = opts.kind ?? "projection";
  if (kind !== "projection" && kind !== "posterior-mean")
    throw new ValueError(
      `ppcaReconstruct: kind must be "projection" or "posterior-mean", but got ${describe(kind)}`,
    );
  const { W, mean: mu } = model;
  const q = W.cols;
  let Z: Matrix;
  if (kind === "posterior-mean") Z = ppcaPosterior(model, X).mean;
  else {
    // W (WᵀW)⁻¹ M M⁻¹ Wᵀ r = W (WᵀW)⁻¹ Wᵀ r
    const Wt = transpose(W);
    const G = { rows: q, cols: q, data: matmulNT(Wt.data, q, Wt.data, q, W.rows) };
    const { T } = project(model, X, "ppcaReconstruct");
    Z = transpose(choleskySolve(cholesky(G, "ppcaReconstruct"), transpose(T)));
  }
  const n = Z.rows;
  const d = mu.length;
  const out = { rows: n, cols: d, data: matmulNT(Z.data, n, W.data, d, q) };
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out.data[i * d + j] += mu[j];
  return out;
}

/**
 * Draw `n` rows `[n, d]` from the model: `z ~ N(0, I_q)`, `x = W z + μ (+ σ ε, ε ~ N(0, I_d))` with
 * `noise` (default true); normals by Box–Muller from `hostUniforms(key)`. Consumes `key`.
 */
export function ppcaSample(
  model: PpcaModel,
  key: JaxArray,
  n: number,
  opts: { noise?: boolean } = {},
): Matrix {
  const noise = opts.noise ?? true;
  if (!Number.isInteger(n) || n < 0) {
    key.dispose();
    throw new ValueError(`ppcaSample: n must be a non-negative integer, but got ${describe(n)}`);
  }
  const { W, mean: mu, noiseVariance } = model;
  const { rows: d, cols: q } = W;
  const count = n * (q + (noise ? d : 0));
  const z = boxMuller(hostUniforms(key, count + (count % 2)), count);
  const out = { rows: n, cols: d, data: matmulNT(z.subarray(0, n * q), n, W.data, d, q) };
  const sigma = Math.sqrt(noiseVariance);
  const eps = n * q;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      out.data[i * d + j] += mu[j] + (noise ? sigma * z[eps + i * d + j] : 0);
    }
  }
  return out;
}
