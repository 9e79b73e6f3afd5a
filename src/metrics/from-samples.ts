/**
 * Divergences between two samples of categorical labels: count each label in both samples over a
 * shared support (the union of the labels of both), then compare the empirical distributions.
 */
import { describe, ValueError } from "../errors.js";
import { checkDivergenceName, DIVERGENCES, type DivergenceName } from "./divergences.js";
import type { DivergenceOptions } from "./validate.js";

/** A categorical label: a string or a finite number (`1` and `"1"` are different labels). */
export type Label = string | number;

/** Empirical distributions on a shared support: `p[i]`, `q[i]` are the frequencies of `support[i]`. */
export type EmpiricalPair = { support: Label[]; p: Float64Array; q: Float64Array };

/**
 * Order of the shared support: numbers first, ascending; then strings by UTF-16 code units (JS `<`,
 * not locale order). For ASCII labels this is Python's `sorted` order.
 */
export function compareLabels(a: Label, b: Label): number {
  const na = typeof a === "number";
  const nb = typeof b === "number";
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function countLabels(
  fn: string,
  name: string,
  xs: ArrayLike<Label>,
  counts: Map<Label, number[]>,
  slot: 0 | 1,
) {
  if (xs == null || typeof xs !== "object" || typeof xs.length !== "number")
    throw new ValueError(
      `${fn}: ${name} must be an array of labels (strings or numbers), but got ${describe(xs)}`,
    );
  if (xs.length === 0) throw new ValueError(`${fn}: ${name} must be non-empty, but got 0 samples`);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (typeof x !== "string" && !(typeof x === "number" && Number.isFinite(x)))
      throw new ValueError(
        `${fn}: ${name} must hold strings or finite numbers, but ${name}[${i}] = ${describe(x)}`,
      );
    const c = counts.get(x);
    if (c === undefined) counts.set(x, slot === 0 ? [1, 0] : [0, 1]);
    else c[slot]++;
  }
}

/**
 * Empirical distributions of two label samples `[nP]`, `[nQ]` on the sorted union of their labels
 * (order: `compareLabels`); `p[i] = count of support[i] in samplesP / nP`, likewise `q`. A label seen
 * in only one sample gets probability 0 in the other. Ref: the plug-in (maximum-likelihood) estimate.
 */
export function empiricalPair(samplesP: ArrayLike<Label>, samplesQ: ArrayLike<Label>): EmpiricalPair {
  const fn = "empiricalPair";
  const counts = new Map<Label, number[]>();
  countLabels(fn, "samplesP", samplesP, counts, 0);
  countLabels(fn, "samplesQ", samplesQ, counts, 1);
  const support = [...counts.keys()].sort(compareLabels);
  const k = support.length;
  const p = new Float64Array(k);
  const q = new Float64Array(k);
  const nP = samplesP.length;
  const nQ = samplesQ.length;
  for (let i = 0; i < k; i++) {
    const c = counts.get(support[i])!;
    p[i] = c[0] / nP;
    q[i] = c[1] / nQ;
  }
  return { support, p, q };
}

/**
 * A divergence (`"js"`, `"kl"`, ... in nats or `base` units) between the empirical distributions of
 * two label samples on their shared support; e.g. `divergenceFromSamples("js", ["a","b"], ["b","c"])`.
 * Plug-in estimate: biased for small samples; KL is +Infinity if samplesQ misses a label of samplesP.
 */
export function divergenceFromSamples(
  metric: DivergenceName,
  samplesP: ArrayLike<Label>,
  samplesQ: ArrayLike<Label>,
  opts?: DivergenceOptions,
): number {
  const f = DIVERGENCES[checkDivergenceName("divergenceFromSamples", metric)];
  const { p, q } = empiricalPair(samplesP, samplesQ);
  return f(p, q, opts);
}
