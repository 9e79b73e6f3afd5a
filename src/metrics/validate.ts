/**
 * Input checks for the divergences: probability vectors, counts, log bases and batch shapes. The
 * divergence kernels validate on the fly and return NaN when a slice is bad; the functions here then
 * re-scan that slice to say exactly what is wrong (slow path, only on failure).
 */
import { describe, NumericalError, ValueError } from "../errors.js";

/** Absolute tolerance on the sum of a probability vector given directly: |sum - 1| <= 1e-9. */
export const SUM_TOLERANCE = 1e-9;

/**
 * Options of every divergence: `base` of the logarithm (natural, i.e. nats, when absent), and the
 * names of the two arguments in error messages (default `["p", "q"]`).
 */
export type DivergenceOptions = { base?: number; names?: [string, string] };

/** Where a slice lives, for error messages: its name (`p`, `P[2, :]`) and each entry's name. */
export type SliceLabel = { arg: string; entry: (k: number) => string };

/** Label for a whole vector argument: `p`, entries `p[k]`. */
export function vectorLabel(name: string): SliceLabel {
  return { arg: name, entry: (k) => `${name}[${k}]` };
}

/**
 * Natural log of `opts.base` (1 when absent, so that dividing by it is exact); throws on a bad base.
 * With `aboveOne`, bases in (0, 1) are refused too (they make divergences negative).
 */
export function logOfBase(fn: string, opts: DivergenceOptions | undefined, aboveOne = false): number {
  const base = opts?.base;
  if (base === undefined) return 1;
  if (typeof base !== "number" || !Number.isFinite(base) || base <= 0 || base === 1)
    throw new ValueError(`${fn}: base must be a finite number > 0 and != 1, but got ${describe(base)}`);
  if (aboveOne && base < 1)
    throw new ValueError(
      `${fn}: base must be > 1 (below 1 the divergence is negative, its square root undefined), but got ${base}`,
    );
  return Math.log(base);
}

/** Check that `x` is a number[] or typed array; returns its length. */
export function checkArray(fn: string, name: string, x: unknown): number {
  if (!Array.isArray(x) && !(ArrayBuffer.isView(x) && !(x instanceof DataView)))
    throw new ValueError(
      `${fn}: ${name} must be an array of numbers (number[] or Float64Array), but got ${describe(x)}`,
    );
  return (x as ArrayLike<number>).length;
}

/** Check both arguments are arrays of the same length; returns the length. */
export function checkPair(fn: string, p: unknown, q: unknown, names: [string, string] = ["p", "q"]): number {
  const np = checkArray(fn, names[0], p);
  const nq = checkArray(fn, names[1], q);
  if (np !== nq)
    throw new ValueError(
      `${fn}: ${names[0]} and ${names[1]} must have the same length, but got lengths ${np} and ${nq}`,
    );
  return np;
}

/** A sum for a message: 12 significant digits, so that 0.98 reads 0.98 and 1 + 2e-9 reads 1.000000002. */
function showSum(s: number): string {
  return Number.isFinite(s) ? String(Number(s.toPrecision(12))) : String(s);
}

/** Entries `x[off + k*stride]`, k < n, must be finite and >= 0, not all 0; returns their sum. */
function checkEntries(
  fn: string,
  label: SliceLabel,
  x: ArrayLike<number>,
  off: number,
  stride: number,
  n: number,
): number {
  if (n === 0) throw new ValueError(`${fn}: ${label.arg} must be non-empty, but got length 0`);
  let s = 0;
  for (let k = 0, j = off; k < n; k++, j += stride) {
    const v = x[j];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
      throw new ValueError(
        `${fn}: ${label.arg} must have finite non-negative entries, but ${label.entry(k)} = ${describe(v)}`,
      );
    s += v;
  }
  if (s === 0) throw new ValueError(`${fn}: ${label.arg} must not be all zeros, but every entry is 0`);
  return s;
}

/**
 * Slow path: throw a ValueError saying why the strided slice of `x` is not a probability vector
 * (empty, a negative/NaN/infinite entry, all zeros, or a sum off 1 by more than 1e-9). Returns
 * normally when the slice is fine.
 */
export function checkProbabilities(
  fn: string,
  label: SliceLabel,
  x: ArrayLike<number>,
  off = 0,
  stride = 1,
  n = x.length,
): void {
  const s = checkEntries(fn, label, x, off, stride, n);
  if (!(Math.abs(s - 1) <= SUM_TOLERANCE))
    throw new ValueError(
      `${fn}: ${label.arg} must sum to 1 (within ${SUM_TOLERANCE}), but sums to ${showSum(s)}; ` +
        "pass counts through fromCounts(...)",
    );
}

/**
 * Called when a kernel returned NaN: find which of the two slices is bad and throw. Valid slices
 * never give NaN (every term is finite or +Infinity), so reaching the end is an internal error.
 */
export function diagnosePair(
  fn: string,
  labels: [SliceLabel, SliceLabel],
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  off = 0,
  stride = 1,
  n = p.length,
): never {
  checkProbabilities(fn, labels[0], p, off, stride, n);
  checkProbabilities(fn, labels[1], q, off, stride, n);
  throw new NumericalError(`${fn}: got NaN from inputs that pass validation (please report)`);
}

/** Options of `fromCounts`: the argument's name for messages, and optionally a batch `shape` + `axis`. */
export type FromCountsOptions = { name?: string; shape?: readonly number[]; axis?: number };

/**
 * Normalise explicit counts (finite, >= 0, not all zero) to probabilities: `counts / sum(counts)`.
 * With `shape` (row-major) each slice along `axis` is normalised separately, like
 * `counts / counts.sum(axis, keepdims=True)` in NumPy. Returns a new Float64Array, same layout.
 */
export function fromCounts(counts: ArrayLike<number>, opts: FromCountsOptions = {}): Float64Array {
  const fn = "fromCounts";
  const name = opts.name ?? "counts";
  const len = checkArray(fn, name, counts);
  const out = new Float64Array(len);
  if (opts.shape === undefined) {
    if (opts.axis !== undefined)
      throw new ValueError(`${fn}: axis needs shape, but got axis ${opts.axis} and no shape`);
    const s = checkEntries(fn, vectorLabel(name), counts, 0, 1, len);
    for (let i = 0; i < len; i++) out[i] = counts[i] / s;
    return out;
  }
  const lay = sliceLayout(fn, opts.shape, opts.axis ?? -1, len, name);
  for (let o = 0; o < lay.outer; o++)
    for (let i = 0; i < lay.inner; i++) {
      const off = o * lay.n * lay.inner + i;
      const s = checkEntries(fn, sliceLabel(name, lay, o, i), counts, off, lay.inner, lay.n);
      for (let k = 0, j = off; k < lay.n; k++, j += lay.inner) out[j] = counts[j] / s;
    }
  return out;
}

/**
 * Row-major layout of slices along one axis of an nd array: `outer` x `inner` slices of length `n`;
 * slice (o, i) starts at `o*n*inner + i` with stride `inner`.
 */
export type SliceLayout = { shape: number[]; axis: number; outer: number; n: number; inner: number };

/** Check `shape` (positive integers, product = `len`) and `axis` (negative counts from the end). */
export function sliceLayout(
  fn: string,
  shape: readonly number[],
  axis: number,
  len: number,
  name: string,
): SliceLayout {
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1))
    throw new ValueError(
      `${fn}: shape must be a non-empty list of positive integers, but got ${describe(shape)}`,
    );
  const nd = shape.length;
  if (!Number.isInteger(axis) || axis < -nd || axis >= nd)
    throw new ValueError(`${fn}: axis must be an integer in [${-nd}, ${nd - 1}], but got ${describe(axis)}`);
  const a = axis < 0 ? axis + nd : axis;
  const size = shape.reduce((x, y) => x * y, 1);
  if (size !== len)
    throw new ValueError(
      `${fn}: ${name} must have ${size} entries for shape [${shape.join(", ")}], but has ${len}`,
    );
  const outer = shape.slice(0, a).reduce((x, y) => x * y, 1);
  const inner = shape.slice(a + 1).reduce((x, y) => x * y, 1);
  return { shape: [...shape], axis: a, outer, n: shape[a], inner };
}

/** Label of slice (o, i) of `name`: `P[2, :]`, entries `P[2, 7]`. */
export function sliceLabel(name: string, lay: SliceLayout, o: number, i: number): SliceLabel {
  const before = unravel(o, lay.shape.slice(0, lay.axis));
  const after = unravel(i, lay.shape.slice(lay.axis + 1));
  const at = (mid: string) => `${name}[${[...before, mid, ...after].join(", ")}]`;
  return { arg: at(":"), entry: (k) => at(String(k)) };
}

function unravel(flat: number, dims: number[]): number[] {
  const idx = new Array<number>(dims.length);
  for (let d = dims.length - 1; d >= 0; d--) {
    idx[d] = flat % dims[d];
    flat = Math.floor(flat / dims[d]);
  }
  return idx;
}
