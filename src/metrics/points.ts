/**
 * Point sets for the sample-based metrics (two-sample tests, k-NN estimators, dimension estimates):
 * a row-major float64 `Matrix` `[n, d]`, one sample per row. A plain `Float64Array` or `number[]` is
 * read as `n` one-dimensional points `[n, 1]`. Squared Euclidean distances are summed over the
 * coordinates in order 0..d-1 everywhere, so that every module (and the brute-force test references)
 * sees bit-identical distances and ties.
 */
import { ValueError } from "../errors.js";
import type { Matrix } from "../linalg/matrix.js";

/** Points accepted by the sample metrics: a `Matrix` `[n, d]`, or 1-D values (`[n, 1]`). */
export type Points = Matrix | Float64Array | readonly number[];

/**
 * The points as a `Matrix` `[n, d]` (1-D input becomes `[n, 1]`, sharing the Float64Array), after
 * checking the shape, `minRows` and that every coordinate is finite.
 */
export function asPoints(x: Points, fn: string, name: string, minRows = 1): Matrix {
  let m: Matrix;
  if (x instanceof Float64Array) m = { rows: x.length, cols: 1, data: x };
  else if (Array.isArray(x)) m = { rows: x.length, cols: 1, data: Float64Array.from(x as number[]) };
  else {
    const mm = x as Matrix;
    if (
      !mm ||
      !(mm.data instanceof Float64Array) ||
      !Number.isInteger(mm.rows) ||
      !Number.isInteger(mm.cols) ||
      mm.cols < 1 ||
      mm.data.length !== mm.rows * mm.cols
    ) {
      throw new ValueError(
        `${fn}: ${name} must be a Matrix {rows, cols, data: Float64Array of rows*cols}, a Float64Array or number[]`,
      );
    }
    m = mm;
  }
  if (m.rows < minRows)
    throw new ValueError(`${fn}: ${name} must have at least ${minRows} points, but has ${m.rows}`);
  const { data, cols } = m;
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      throw new ValueError(
        `${fn}: ${name} must be finite, but ${name}[${Math.floor(k / cols)}, ${k % cols}] is ${data[k]}`,
      );
    }
  }
  return m;
}

/** Check that two point sets have the same dimension `d`. */
export function checkSameDim(x: Matrix, y: Matrix, fn: string, nx = "X", ny = "Y"): void {
  if (x.cols !== y.cols) {
    throw new ValueError(
      `${fn}: ${nx} and ${ny} must have the same dimension, but got ${x.cols} and ${y.cols}`,
    );
  }
}

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b` (both of width `d`). */
export function sqDist(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  const oa = i * d;
  const ob = j * d;
  for (let c = 0; c < d; c++) {
    const t = a[oa + c] - b[ob + c];
    s += t * t;
  }
  return s;
}

/** Check a positive integer option. */
export function checkPositiveInt(value: number, fn: string, name: string, min = 1): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ValueError(`${fn}: ${name} must be an integer >= ${min}, but got ${value}`);
  }
}

/** Median of `v` (sorted in place), NumPy's convention: mean of the two middle values for even length. */
export function medianInPlace(v: Float64Array): number {
  v.sort();
  const n = v.length;
  if (n === 0) return Number.NaN;
  const h = n >> 1;
  return n % 2 === 1 ? v[h] : (v[h - 1] + v[h]) / 2;
}
