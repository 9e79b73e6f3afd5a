/**
 * Dense row-major float64 matrices shared by the model families (classifiers, latent spaces): `X` is `[n, d]` (one sample per row).
 * Plain TypeScript over Float64Array: these models are closed-form or small optimisations where
 * float64 matters, and the data often arrive as JS numbers anyway.
 */
import { ValueError } from "../errors.js";

/** A row-major `[rows, cols]` float64 matrix. */
export type Matrix = { rows: number; cols: number; data: Float64Array };

/** A zero matrix `[rows, cols]`. */
export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/**
 * A matrix from rows of numbers (e.g. a dataset's `X`), checking that it is rectangular and finite;
 * errors name the argument, the row and the column.
 */
export function fromRows(rows: readonly (readonly number[])[], name = "X", fn = "fromRows"): Matrix {
  const n = rows.length;
  if (n === 0) throw new ValueError(`${fn}: ${name} must have at least one row, but has none`);
  const d = rows[0].length;
  const out = zeros(n, d);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (r.length !== d)
      throw new ValueError(`${fn}: ${name} row ${i} must have ${d} values like row 0, but has ${r.length}`);
    for (let j = 0; j < d; j++) out.data[i * d + j] = r[j];
  }
  checkFinite(out, name, fn);
  return out;
}

/** Rows of a matrix as JS arrays. */
export function toRows(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

/** Throw a ValueError naming the first non-finite entry (row, column). */
export function checkFinite(m: Matrix, name = "X", fn = "check"): void {
  const { data, cols } = m;
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      throw new ValueError(
        `${fn}: ${name} must be finite, but ${name}[${Math.floor(k / cols)}, ${k % cols}] is ${data[k]}`,
      );
    }
  }
}

/** Check a matrix's shape: `cols` columns (features) and at least `minRows` rows. */
export function checkShape(m: Matrix, fn: string, name: string, cols?: number, minRows = 1): void {
  if (!m || !(m.data instanceof Float64Array) || m.data.length !== m.rows * m.cols) {
    throw new ValueError(`${fn}: ${name} must be a Matrix {rows, cols, data: Float64Array}`);
  }
  if (cols !== undefined && m.cols !== cols) {
    throw new ValueError(`${fn}: ${name} must have ${cols} features (columns) as in fit, but has ${m.cols}`);
  }
  if (m.rows < minRows)
    throw new ValueError(`${fn}: ${name} must have at least ${minRows} row(s), but has ${m.rows}`);
}

/** Rows `idx` of `m`, in that order. */
export function takeRows(m: Matrix, idx: ArrayLike<number>): Matrix {
  const out = zeros(idx.length, m.cols);
  for (let i = 0; i < idx.length; i++)
    out.data.set(m.data.subarray(idx[i] * m.cols, (idx[i] + 1) * m.cols), i * m.cols);
  return out;
}
