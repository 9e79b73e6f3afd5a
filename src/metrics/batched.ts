/**
 * Divergences along one axis of row-major nd arrays, like SciPy's `axis=` argument: for P, Q of
 * shape `shape`, the result has `shape` without `axis` (row-major). Each slice is validated (a
 * probability vector summing to 1 within 1e-9) and errors name it, e.g. `P[3, :]`.
 */
import { NumericalError } from "../errors.js";
import { checkDivergenceName, DIVERGENCE_SPECS, type DivergenceName } from "./divergences.js";
import { entropyKernel } from "./kernels.js";
import {
  checkArray,
  checkPair,
  checkProbabilities,
  type DivergenceOptions,
  diagnosePair,
  logOfBase,
  sliceLabel,
  sliceLayout,
} from "./validate.js";

/** A batched divergence: P, Q flat row-major of shape `shape` -> values of shape `shape` minus `axis`. */
export type BatchedDivergence = (
  P: ArrayLike<number>,
  Q: ArrayLike<number>,
  shape: readonly number[],
  axis: number,
  opts?: DivergenceOptions,
) => Float64Array;

/**
 * Batch version of a divergence: `batched("js")(P, Q, [rows, k], 1)` gives JSD of each row `[rows]`;
 * axis 0 of the same arrays gives `[k]` values over columns; negative axes count from the end. Same
 * arithmetic per slice as the vector function. Ref: `scipy.spatial.distance.jensenshannon(P, Q, axis=)`.
 */
export function batched(metric: DivergenceName): BatchedDivergence {
  const spec = DIVERGENCE_SPECS[checkDivergenceName("batched", metric)];
  const fn = `batched("${metric}")`;
  const { kernel, finish } = spec;
  return (P, Q, shape, axis, opts) => {
    const [nameP, nameQ] = opts?.names ?? ["P", "Q"];
    const len = checkPair(fn, P, Q, [nameP, nameQ]);
    const lay = sliceLayout(fn, shape, axis, len, nameP);
    const lb = logOfBase(fn, opts, spec.baseAboveOne);
    const { outer, n, inner } = lay;
    const out = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      const base = o * n * inner;
      for (let i = 0; i < inner; i++) {
        const r = kernel(P, Q, base + i, inner, n);
        if (Number.isNaN(r))
          diagnosePair(
            fn,
            [sliceLabel(nameP, lay, o, i), sliceLabel(nameQ, lay, o, i)],
            P,
            Q,
            base + i,
            inner,
            n,
          );
        out[o * inner + i] = finish(r, lb);
      }
    }
    return out;
  };
}

/**
 * Entropy of each slice of P (`shape`) along `axis`, in nats (or `base` units).
 * Ref: `scipy.stats.entropy(P, axis=)`.
 */
export function entropyBatch(
  P: ArrayLike<number>,
  shape: readonly number[],
  axis: number,
  opts?: DivergenceOptions,
): Float64Array {
  const fn = "entropyBatch";
  const lay = sliceLayout(fn, shape, axis, checkArray(fn, "P", P), "P");
  const lb = logOfBase(fn, opts);
  const { outer, n, inner } = lay;
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const off = o * n * inner + i;
      const r = entropyKernel(P, off, inner, n);
      if (Number.isNaN(r)) {
        checkProbabilities(fn, sliceLabel("P", lay, o, i), P, off, inner, n);
        throw new NumericalError(`${fn}: got NaN from an input that passes validation (please report)`);
      }
      out[o * inner + i] = r / lb;
    }
  return out;
}

/** Jensen–Shannon divergence of each slice along `axis` (nats), `[rows, k]` axis 1 -> `[rows]`. */
export const jsDivergenceBatch: BatchedDivergence = batched("js");

/** KL(P || Q) of each slice along `axis` (nats), `[rows, k]` axis 1 -> `[rows]`. */
export const klDivergenceBatch: BatchedDivergence = batched("kl");
