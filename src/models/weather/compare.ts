/**
 * Which model's story is closer to history? Compares the distribution of k-grams (single days for
 * order 1, consecutive-day pairs for order 2) in each model's synthetic series with history's, using
 * a divergence between discrete distributions (Jensen–Shannon by default, in nats).
 */
import { ValueError } from "../../errors.js";
import { DIVERGENCES, type DivergenceName, fromCounts } from "../../metrics/index.js";

/** A named series to judge, e.g. `{ name: "A", labels: [...] }`. */
export type NamedSeries = { name: string; labels: readonly string[] };

/** Options for {@link compareSeries}. */
export type CompareOptions = {
  /** 1: distribution of single values; 2: of consecutive pairs (default 1) */
  order?: number;
  /** divergence to use (default "js") */
  metric?: DivergenceName;
  /** logarithm base for the metrics that take one (default e: nats) */
  base?: number;
};

/** One model's score: lower is closer to history. */
export type CompareResult = { model: string; value: number };

/** Result of {@link compareSeries}: the scores ranked best first, and the distributions compared. */
export type Comparison = {
  metric: DivergenceName;
  order: number;
  /** the k-grams, e.g. "sunny" or "sunny→rainy", in the order of the distributions below */
  support: string[];
  history: Float64Array;
  models: { model: string; distribution: Float64Array }[];
  results: CompareResult[];
};

/**
 * Empirical k-gram distribution of a series over `states` (`states.length ** order` cells, row-major:
 * the first element of the k-gram varies slowest). `source` names the series in errors.
 */
export function kgramDistribution(
  labels: readonly string[],
  states: readonly string[],
  order: number,
  source: string,
): Float64Array {
  const k = states.length;
  const index = new Map(states.map((s, i) => [s, i]));
  if (labels.length < order) {
    throw new ValueError(
      `compare: ${source} must hold at least ${order} value(s) for order ${order}, but has ${labels.length}`,
    );
  }
  const counts = new Float64Array(k ** order);
  let cell = 0;
  for (let i = 0; i < labels.length; i++) {
    const id = index.get(labels[i]);
    if (id === undefined) {
      throw new ValueError(
        `compare: ${source} has category ${JSON.stringify(labels[i])} (row ${i + 1}) that never occurs in the history (categories: ${states.join(", ")})`,
      );
    }
    cell = (cell * k + id) % k ** order;
    if (i >= order - 1) counts[cell]++;
  }
  return fromCounts(counts, { name: source });
}

/** Score each model's series against history's, best first. */
export function compareSeries(
  history: readonly string[],
  models: NamedSeries[],
  opts: CompareOptions = {},
): Comparison {
  const { order = 1, metric = "js", base } = opts;
  if (order !== 1 && order !== 2) throw new ValueError(`compare: order must be 1 or 2, but got ${order}`);
  if (models.length === 0) throw new ValueError("compare: models must name at least one model, but got none");
  const states = [...new Set(history)].sort();
  const support = order === 1 ? states : states.flatMap((a) => states.map((b) => `${a}→${b}`));
  const h = kgramDistribution(history, states, order, "the history");
  const dists = models.map((m) => ({
    model: m.name,
    distribution: kgramDistribution(m.labels, states, order, `model ${JSON.stringify(m.name)}`),
  }));
  const results = dists
    .map((d) => ({ model: d.model, value: DIVERGENCES[metric](h, d.distribution, { base }) }))
    .sort((a, b) => a.value - b.value);
  return { metric, order, support, history: h, models: dists, results };
}
