/**
 * Two generative models of a categorical series (such as daily weather), fitted by counting:
 * model A, i.i.d. categorical (each day drawn from the marginal frequencies), and model B, a
 * first-order Markov chain (each day drawn given the day before). Both can score a series (log
 * likelihood in nats) and sample new ones.
 */
import { ValueError } from "../../errors.js";
import { drawIndex, hostUniforms } from "../../host-random.js";
import type { Array as JaxArray } from "../../jax.js";

/** The model families. */
export type SeriesModelKind = "iid" | "markov";

/** A fitted i.i.d. categorical model: `probs[k]` over `states`. */
export type IidModel = { kind: "iid"; states: string[]; probs: Float64Array };

/** A fitted first-order Markov chain: `initial[k]`, `transition[k * k]` row-major (row = today). */
export type MarkovModel = {
  kind: "markov";
  states: string[];
  initial: Float64Array;
  transition: Float64Array;
};

/** Either fitted model. */
export type SeriesModel = IidModel | MarkovModel;

/** Options for fitting. */
export type FitOptions = {
  /** additive (Laplace/Lidstone) smoothing added to every count; default 0 (maximum likelihood) */
  alpha?: number;
  /** the state space, in order; default: the distinct labels of the series, sorted */
  states?: string[];
};

/** Encode labels as indices into `states` (sorted distinct labels unless given). */
export function encodeLabels(
  labels: readonly string[],
  states?: readonly string[],
): { states: string[]; ids: Int32Array } {
  const space = states ? [...states] : [...new Set(labels)].sort();
  const index = new Map(space.map((s, i) => [s, i]));
  const ids = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const id = index.get(labels[i]);
    if (id === undefined) {
      throw new ValueError(
        `encodeLabels: labels[${i}] must be one of ${space.map((s) => JSON.stringify(s)).join(", ")}, but got ${JSON.stringify(labels[i])}`,
      );
    }
    ids[i] = id;
  }
  return { states: space, ids };
}

/** Fit model A: marginal frequencies (maximum likelihood, or smoothed by `alpha`). */
export function fitIid(labels: readonly string[], opts: FitOptions = {}): IidModel {
  const { states, ids } = checkedEncode("fitIid", labels, opts, 1);
  const k = states.length;
  const alpha = opts.alpha ?? 0;
  const counts = new Float64Array(k).fill(alpha);
  for (const id of ids) counts[id]++;
  return { kind: "iid", states, probs: normalise(counts, 0, k) };
}

/**
 * Fit model B: transition frequencies between consecutive days. The initial distribution is the
 * marginal frequency (one series holds one first day). A state never followed by another (it only
 * occurs last) gets the marginal distribution as its row.
 */
export function fitMarkov(labels: readonly string[], opts: FitOptions = {}): MarkovModel {
  const { states, ids } = checkedEncode("fitMarkov", labels, opts, 2);
  const k = states.length;
  const alpha = opts.alpha ?? 0;
  const marginal = new Float64Array(k).fill(alpha);
  for (const id of ids) marginal[id]++;
  const initial = normalise(marginal, 0, k);
  const transition = new Float64Array(k * k).fill(alpha);
  for (let i = 1; i < ids.length; i++) transition[ids[i - 1] * k + ids[i]]++;
  for (let r = 0; r < k; r++) {
    let rowSum = 0;
    for (let j = 0; j < k; j++) rowSum += transition[r * k + j];
    if (rowSum === 0) transition.set(initial, r * k);
    else for (let j = 0; j < k; j++) transition[r * k + j] /= rowSum;
  }
  return { kind: "markov", states, initial, transition };
}

/** Fit either model by name. */
export function fitSeriesModel(
  kind: SeriesModelKind,
  labels: readonly string[],
  opts: FitOptions = {},
): SeriesModel {
  if (kind === "iid") return fitIid(labels, opts);
  if (kind === "markov") return fitMarkov(labels, opts);
  throw new ValueError(`fitSeriesModel: kind must be "iid" or "markov", but got ${JSON.stringify(kind)}`);
}

/** Draw a series of `n` state indices from a fitted model; consumes `key`. */
export function sampleSeriesIds(model: SeriesModel, key: JaxArray, n: number): Int32Array {
  if (!Number.isInteger(n) || n < 0) {
    key.dispose();
    throw new ValueError(`sampleSeries: n must be a non-negative integer, but got ${n}`);
  }
  const u = hostUniforms(key, n);
  const k = model.states.length;
  const out = new Int32Array(n);
  if (model.kind === "iid") {
    for (let i = 0; i < n; i++) out[i] = drawIndex(model.probs, u[i]);
    return out;
  }
  let s = -1;
  for (let i = 0; i < n; i++) {
    s = s < 0 ? drawIndex(model.initial, u[i]) : drawIndex(model.transition, u[i], s * k, k);
    out[i] = s;
  }
  return out;
}

/** Draw a series of `n` labels from a fitted model; consumes `key`. */
export function sampleSeries(model: SeriesModel, key: JaxArray, n: number): string[] {
  return Array.from(sampleSeriesIds(model, key, n), (id) => model.states[id]);
}

/** Log-likelihood of a series under a fitted model, in nats (−Infinity if it holds an impossible step). */
export function seriesLogLikelihood(model: SeriesModel, labels: readonly string[]): number {
  const { ids } = encodeLabels(labels, model.states);
  const k = model.states.length;
  let ll = 0;
  for (let i = 0; i < ids.length; i++) {
    const p =
      model.kind === "iid" || i === 0
        ? (model.kind === "iid" ? model.probs : model.initial)[ids[i]]
        : model.transition[ids[i - 1] * k + ids[i]];
    ll += Math.log(p);
  }
  return ll;
}

function checkedEncode(fn: string, labels: readonly string[], opts: FitOptions, minLength: number) {
  if (labels.length < minLength) {
    throw new ValueError(`${fn}: labels must hold at least ${minLength} value(s), but got ${labels.length}`);
  }
  const alpha = opts.alpha ?? 0;
  if (!(alpha >= 0) || !Number.isFinite(alpha)) {
    throw new ValueError(`${fn}: alpha must be a finite number >= 0, but got ${alpha}`);
  }
  return encodeLabels(labels, opts.states);
}

function normalise(counts: Float64Array, offset: number, k: number): Float64Array {
  let s = 0;
  for (let j = 0; j < k; j++) s += counts[offset + j];
  const out = new Float64Array(k);
  for (let j = 0; j < k; j++) out[j] = counts[offset + j] / s;
  return out;
}
