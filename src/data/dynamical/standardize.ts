/**
 * Per-feature standardisation z = (x - mean) / std with the population std (ddof = 0), as
 * scikit-learn's `StandardScaler`: a constant feature gets std 1 (so z = 0) rather than a division
 * by zero. The transform is returned so that model samples can be mapped back.
 */
import { ValueError } from "../../errors.js";
import type { Matrix } from "../../linalg/matrix.js";

/** A fitted standardisation: per-feature `mean` and `std` `[d]`. */
export type Standardization = { mean: Float64Array; std: Float64Array };

function checkMatrix(X: Matrix, fn: string): void {
  if (!X || !(X.data instanceof Float64Array) || X.data.length !== X.rows * X.cols || X.rows < 1)
    throw new ValueError(`${fn}: X must be a Matrix {rows >= 1, cols, data: Float64Array of rows*cols}`);
}

/** Standardise the columns of `X` `[n, d]`: returns `Z` `[n, d]` and the transform (mean, std). */
export function standardize(X: Matrix): { Z: Matrix; transform: Standardization } {
  checkMatrix(X, "standardize");
  const { rows: n, cols: d, data } = X;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mean[c] += data[i * d + c];
  for (let c = 0; c < d; c++) mean[c] /= n;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < d; c++) {
      const t = data[i * d + c] - mean[c];
      std[c] += t * t;
    }
  for (let c = 0; c < d; c++) {
    const s = Math.sqrt(std[c] / n);
    if (!Number.isFinite(s)) throw new ValueError(`standardize: X column ${c} must be finite`);
    std[c] = s > 0 ? s : 1;
  }
  const transform = { mean, std };
  return { Z: applyStandardization(X, transform), transform };
}

function checkTransform(X: Matrix, t: Standardization, fn: string): void {
  checkMatrix(X, fn);
  if (t.mean.length !== X.cols || t.std.length !== X.cols)
    throw new ValueError(`${fn}: transform must have ${X.cols} features like X, but has ${t.mean.length}`);
}

/** `(X - mean) / std` for new data `X` `[n, d]` with a fitted transform. */
export function applyStandardization(X: Matrix, t: Standardization): Matrix {
  checkTransform(X, t, "applyStandardization");
  const { rows: n, cols: d, data } = X;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < d; c++) out[i * d + c] = (data[i * d + c] - t.mean[c]) / t.std[c];
  return { rows: n, cols: d, data: out };
}

/** The inverse, `Z * std + mean`, e.g. for model samples `Z` `[n, d]`. */
export function invertStandardization(Z: Matrix, t: Standardization): Matrix {
  checkTransform(Z, t, "invertStandardization");
  const { rows: n, cols: d, data } = Z;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < d; c++) out[i * d + c] = data[i * d + c] * t.std[c] + t.mean[c];
  return { rows: n, cols: d, data: out };
}
