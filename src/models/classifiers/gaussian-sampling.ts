/**
 * Shared machinery of the Gaussian class-conditional models (LDA, QDA, Gaussian naive Bayes): class
 * priors, posteriors from joint log-likelihoods, argmax labels, a Gaussian factor that tolerates a
 * singular covariance (as `scipy.stats.multivariate_normal(allow_singular=True)`), and sampling
 * `y ~ Categorical(priors)`, `x | y ~ N(mean_y, A_y A_yᵀ)` from a jax-js key.
 */
import { ValueError } from "../../errors.js";
import { drawIndex, hostUniforms } from "../../host-random.js";
import type { Array as JaxArray } from "../../jax.js";
import { eighSym, logSumExpRows } from "../../linalg/dense.js";
import { type Matrix, zeros } from "../../linalg/matrix.js";
import { encodeWithClasses, type Label } from "./labels.js";

/**
 * Class priors `[C]`: the class frequencies `counts / n`, or the given priors after checking their
 * length, sign and sum (|Σ − 1| ≤ 1e-5; never silently renormalised).
 */
export function resolvePriors(
  fn: string,
  given: ArrayLike<number> | null | undefined,
  counts: Int32Array,
): Float64Array {
  const C = counts.length;
  if (given == null) {
    let n = 0;
    for (const c of counts) n += c;
    return Float64Array.from(counts, (c) => c / n);
  }
  if (given.length !== C)
    throw new ValueError(`${fn}: priors must have one entry per class (${C}), but has ${given.length}`);
  const priors = Float64Array.from(given as ArrayLike<number>);
  let sum = 0;
  for (let c = 0; c < C; c++) {
    if (!Number.isFinite(priors[c]) || priors[c] < 0)
      throw new ValueError(`${fn}: priors must be finite and non-negative, but priors[${c}] is ${priors[c]}`);
    sum += priors[c];
  }
  if (Math.abs(sum - 1) > 1e-5) throw new ValueError(`${fn}: priors must sum to 1, but sum to ${sum}`);
  return priors;
}

/** Class means `[C, d]` and each class's rows minus its mean (`[n_c, d]` blocks). */
export function classBlocks(
  X: Matrix,
  ids: Int32Array,
  counts: Int32Array,
): { means: Matrix; blocks: Matrix[] } {
  const { rows: n, cols: d, data } = X;
  const C = counts.length;
  const means = zeros(C, d);
  const m = means.data;
  for (let i = 0; i < n; i++) {
    const o = ids[i] * d;
    for (let j = 0; j < d; j++) m[o + j] += data[i * d + j];
  }
  for (let c = 0; c < C; c++) for (let j = 0; j < d; j++) m[c * d + j] /= counts[c];
  const blocks = Array.from(counts, (nc) => zeros(nc, d));
  const fill = new Int32Array(C);
  for (let i = 0; i < n; i++) {
    const c = ids[i];
    const dst = blocks[c].data;
    const o = fill[c]++ * d;
    for (let j = 0; j < d; j++) dst[o + j] = data[i * d + j] - m[c * d + j];
  }
  return { means, blocks };
}

/** Row-wise softmax `[n, C] -> [n, C]` (posterior probabilities from joint log-likelihoods). */
export function softmaxRows(m: Matrix): Matrix {
  const { rows, cols, data } = m;
  const out = zeros(rows, cols);
  const o = out.data;
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) if (data[r + c] > max) max = data[r + c];
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(data[r + c] - max);
      o[r + c] = e;
      sum += e;
    }
    for (let c = 0; c < cols; c++) o[r + c] /= sum;
  }
  return out;
}

/** Row-wise log-softmax `[n, C] -> [n, C]`: `m_ic − log Σ_c' exp m_ic'` (nats). */
export function logSoftmaxRows(m: Matrix): Matrix {
  const lse = logSumExpRows(m);
  const out = zeros(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++)
    for (let c = 0; c < m.cols; c++) out.data[i * m.cols + c] = m.data[i * m.cols + c] - lse[i];
  return out;
}

/** The label of each row's largest entry (ties go to the first class, like `numpy.argmax`). */
export function argmaxLabels(scores: Matrix, classes: readonly Label[]): Label[] {
  const { rows, cols, data } = scores;
  const out: Label[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (data[i * cols + c] > data[i * cols + best]) best = c;
    out[i] = classes[best];
  }
  return out;
}

/**
 * Two-class probabilities `[n, 2]` from a decision function `f = log p(1|x) − log p(0|x)`:
 * `p1 = 1 / (1 + e^{−f})`, as scikit-learn's `LinearClassifierMixin` (expit).
 */
export function binaryProba(f: ArrayLike<number>): Matrix {
  const out = zeros(f.length, 2);
  for (let i = 0; i < f.length; i++) {
    const p1 = 1 / (1 + Math.exp(-f[i]));
    out.data[2 * i] = 1 - p1;
    out.data[2 * i + 1] = p1;
  }
  return out;
}

/**
 * A Gaussian factor of a symmetric positive semi-definite covariance `[d, d]`: `whitening` `[d, r]`
 * with `whitening whiteningᵀ = Σ⁻¹`, `log det Σ` as `logPdet`, and the rank r. A full-rank Σ is
 * decomposed through its correlation matrix (`Σ = D R D`, eigenvalues of R above 1e-12 λ_max), which
 * stays accurate for ill-scaled features (condition numbers far beyond 1e10). A singular Σ gives the
 * density on its support as scipy's `multivariate_normal(allow_singular=True)`: pseudo-inverse and
 * pseudo-determinant over eigenvalues above `1e6 · ε · λ_max`. In both cases `Σ · whitening` is a
 * square root `A` with `A Aᵀ = Σ`.
 */
export function gaussianFactor(cov: Matrix): { whitening: Matrix; logPdet: number; rank: number } {
  const d = cov.rows;
  const scale = new Float64Array(d);
  let positive = true;
  for (let j = 0; j < d; j++) {
    const v = cov.data[j * d + j];
    if (!(v > 0)) positive = false;
    scale[j] = Math.sqrt(v);
  }
  if (positive) {
    const R = zeros(d, d);
    for (let j = 0; j < d; j++)
      for (let k = 0; k < d; k++) R.data[j * d + k] = cov.data[j * d + k] / (scale[j] * scale[k]);
    const { values, vectors } = eighSym(R);
    if (values[0] > 1e-12 * values[d - 1]) {
      // Σ⁻¹ = D⁻¹ V Λ⁻¹ Vᵀ D⁻¹
      const whitening = zeros(d, d);
      let logPdet = 0;
      for (let k = 0; k < d; k++) logPdet += Math.log(values[k]);
      for (let j = 0; j < d; j++) {
        logPdet += 2 * Math.log(scale[j]);
        for (let k = 0; k < d; k++)
          whitening.data[j * d + k] = vectors.data[j * d + k] / (scale[j] * Math.sqrt(values[k]));
      }
      return { whitening, logPdet, rank: d };
    }
  }
  const { values, vectors } = eighSym(cov);
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const eps = 1e6 * Number.EPSILON * max;
  const keep: number[] = [];
  for (let k = d - 1; k >= 0; k--) if (values[k] > eps) keep.push(k);
  const r = keep.length;
  const whitening = zeros(d, r);
  let logPdet = 0;
  for (let c = 0; c < r; c++) {
    const k = keep[c];
    logPdet += Math.log(values[k]);
    const s = 1 / Math.sqrt(values[k]);
    for (let j = 0; j < d; j++) whitening.data[j * r + c] = vectors.data[j * d + k] * s;
  }
  return { whitening, logPdet, rank: r };
}

/**
 * Draw `n` labelled points from a Gaussian class-conditional model: classes from `model.priors` (or
 * all of class `label`), then `x = mean_y + A_y z` with `z ~ N(0, I_r)` by Box–Muller; `factors[c]`
 * is `A_c` `[d, r_c]` (`A Aᵀ` = the class covariance). Checks `n` and `label` (errors prefixed with
 * `fn`, the key freed). Consumes `key`; deterministic given it. Returns `X` `[n, d]` and the labels.
 */
export function sampleClassGaussians(
  fn: string,
  key: JaxArray,
  n: number,
  model: { classes: readonly Label[]; priors: Float64Array; means: Matrix },
  factors: readonly Matrix[],
  label: Label | undefined,
): { X: Matrix; y: Label[] } {
  const { classes, priors, means } = model;
  let fixedClass: number | null = null;
  try {
    if (!Number.isInteger(n) || n < 0)
      throw new ValueError(`${fn}: n must be a non-negative integer, but got ${n}`);
    if (label !== undefined) fixedClass = encodeWithClasses([label], classes, fn, "class")[0];
  } catch (e) {
    key.dispose();
    throw e;
  }
  const d = means.cols;
  let r = 0;
  for (const f of factors) r = Math.max(r, f.cols);
  const nNormals = n * r + ((n * r) % 2);
  const u = hostUniforms(key, (fixedClass === null ? n : 0) + nNormals);
  let offset = 0;
  const ids = new Int32Array(n);
  if (fixedClass === null) {
    for (let i = 0; i < n; i++) ids[i] = drawIndex(priors, u[i]);
    offset = n;
  } else ids.fill(fixedClass);
  const z = new Float64Array(nNormals);
  for (let k = 0; k < nNormals; k += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - u[offset + k]));
    const angle = 2 * Math.PI * u[offset + k + 1];
    z[k] = radius * Math.cos(angle);
    z[k + 1] = radius * Math.sin(angle);
  }
  const X = zeros(n, d);
  const y: Label[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = ids[i];
    y[i] = classes[c];
    const A = factors[c];
    const rc = A.cols;
    for (let j = 0; j < d; j++) {
      let s = means.data[c * d + j];
      for (let k = 0; k < rc; k++) s += A.data[j * rc + k] * z[i * r + k];
      X.data[i * d + j] = s;
    }
  }
  return { X, y };
}
