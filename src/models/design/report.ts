/**
 * How well each design method proposes new stable perovskites, scored against the ground truth
 * (Bartel et al.'s τ < 4.18 via `labelComposition`), never against the model. Methods, each drawing
 * `n` compositions:
 *   "latent-ascent"   prior draws climbed by gradient ascent on the head's logit minus ½‖z‖²
 *                     (`optimizeLatents`), decoded by argmax;
 *   "latent-langevin" Langevin dynamics on log σ(f(z)) − ½‖z‖², whose stationary law is p(z | stable),
 *                     decoded by argmax (sampling the designs instead of climbing to a few optima);
 *   "prior"           z ~ N(0, I), decoded by argmax;
 *   "marginals"       each site drawn independently from the training set's site frequencies;
 *   "stable-marginals" the same, from the training compositions labelled perovskite only;
 *   "uniform"         each site's ion uniformly at random.
 * Validity, uniqueness and novelty follow the usual generative-chemistry definitions (GuacaMol, Brown
 * et al. 2019, sec. 2.1): see `DesignMethodRow`.
 */

import { type Composition, candidateProblem, labelComposition } from "../../data/perovskites/index.js";
import { describe, ValueError } from "../../errors.js";
import { drawIndex, hostUniforms } from "../../host-random.js";
import { type Array, random, tree } from "../../jax.js";
import { SITE_SIZES, SITES } from "./config.js";
import {
  decodeLatents,
  encodeCompositions,
  type OptimizeLatentsOptions,
  optimizeLatents,
  predictProperty,
  samplePrior,
} from "./latent.js";
import { checkCompositions, type DesignParams } from "./networks.js";
import type { LabelledComposition } from "./train.js";

/** The design methods `designReport` compares. */
export type DesignMethod =
  | "latent-ascent"
  | "latent-langevin"
  | "prior"
  | "marginals"
  | "stable-marginals"
  | "uniform";

/** The methods in table order. */
export const DESIGN_METHODS: readonly DesignMethod[] = [
  "latent-ascent",
  "latent-langevin",
  "prior",
  "marginals",
  "stable-marginals",
  "uniform",
];

/** One row of the design table: fractions are of the `n` designs unless stated. */
export type DesignMethodRow = {
  method: DesignMethod;
  n: number;
  /** candidates: charge-neutral, A ≠ B, rA > rB (`candidateProblem` is null) */
  validity: number;
  /** distinct valid compositions / valid designs (NaN when none is valid) */
  uniqueness: number;
  /** valid and not in the training set */
  novelty: number;
  /** valid and truly stable, τ < 4.18 (`labelComposition(c).perovskite`) */
  stable: number;
  /** valid, not in the training set, and truly stable */
  novelStable: number;
  /** number of distinct compositions that are novel and truly stable */
  distinctNovelStable: number;
  /** mean predicted P(perovskite) of the designs, from the head at their encoder means */
  predicted: number;
  /** mean predicted P(perovskite) at the latents the designs were decoded from (latent methods only) */
  predictedAtLatent?: number;
};

/** `designReport`'s result: the table and the designs of each method. */
export type DesignReport = { rows: DesignMethodRow[]; designs: Record<DesignMethod, Composition[]> };

/** Options of `designReport`: designs per method (default 100) and the options of the two latent searches. */
export type DesignReportOptions = {
  n?: number;
  /** gradient ascent (default: `optimizeLatents`'s defaults, objective "logit", temperature 0) */
  ascent?: OptimizeLatentsOptions;
  /** Langevin sampling (default: `LANGEVIN_DEFAULTS`) */
  langevin?: OptimizeLatentsOptions;
};

/** The Langevin search's defaults: objective "logProb", ρ = 1, T = 1, 200 steps of 0.05. */
export const LANGEVIN_DEFAULTS: OptimizeLatentsOptions = {
  objective: "logProb",
  priorWeight: 1,
  temperature: 1,
  steps: 200,
  lr: 0.05,
};

const keyOf = (c: Composition) => `${c.a},${c.b},${c.x}`;

/**
 * Ground-truth scores of `designs` against a training set (everything but `predicted`): validity,
 * uniqueness, novelty and the fractions that are truly stable by τ < 4.18.
 */
export function scoreDesigns(
  designs: readonly Composition[],
  training: readonly Composition[],
): Omit<DesignMethodRow, "method" | "predicted" | "predictedAtLatent"> {
  checkCompositions("scoreDesigns", designs, "designs");
  checkCompositions("scoreDesigns", training, "training");
  if (designs.length === 0) throw new ValueError("scoreDesigns: designs must not be empty");
  const seen = new Set(training.map(keyOf));
  const n = designs.length;
  let valid = 0;
  let novel = 0;
  let stable = 0;
  let novelStable = 0;
  const distinctValid = new Set<string>();
  const distinctNovelStable = new Set<string>();
  for (const c of designs) {
    if (candidateProblem(c) !== null) continue;
    valid++;
    const k = keyOf(c);
    distinctValid.add(k);
    const isNovel = !seen.has(k);
    const isStable = labelComposition(c).perovskite;
    if (isNovel) novel++;
    if (isStable) stable++;
    if (isNovel && isStable) {
      novelStable++;
      distinctNovelStable.add(k);
    }
  }
  return {
    n,
    validity: valid / n,
    uniqueness: valid > 0 ? distinctValid.size / valid : Number.NaN,
    novelty: novel / n,
    stable: stable / n,
    novelStable: novelStable / n,
    distinctNovelStable: distinctNovelStable.size,
  };
}

/**
 * `n` compositions with each site drawn independently from its frequencies in `rows` (the product of
 * the empirical site marginals). Consumes `key`.
 */
export function sampleSiteMarginals(key: Array, rows: readonly Composition[], n: number): Composition[] {
  try {
    checkCompositions("sampleSiteMarginals", rows, "rows");
    if (rows.length === 0) throw new ValueError("sampleSiteMarginals: rows must not be empty");
    if (!Number.isInteger(n) || n < 1)
      throw new ValueError(`sampleSiteMarginals: n must be a positive integer, but got ${describe(n)}`);
  } catch (e) {
    key.dispose();
    throw e;
  }
  const probs = SITES.map((s) => {
    const p = new Float64Array(SITE_SIZES[s]);
    for (const r of rows) p[r[s]] += 1 / rows.length;
    return p;
  });
  const u = hostUniforms(key, 3 * n);
  return globalThis.Array.from({ length: n }, (_, i) => ({
    a: drawIndex(probs[0], u[3 * i]),
    b: drawIndex(probs[1], u[3 * i + 1]),
    x: drawIndex(probs[2], u[3 * i + 2]),
  }));
}

/** `n` compositions with each site's ion uniform over its vocabulary (38 × 78 × 7 triples). Consumes `key`. */
export function sampleUniformCompositions(key: Array, n: number): Composition[] {
  if (!Number.isInteger(n) || n < 1) {
    key.dispose();
    throw new ValueError(`sampleUniformCompositions: n must be a positive integer, but got ${describe(n)}`);
  }
  const u = hostUniforms(key, 3 * n);
  const pick = (v: number, k: number) => Math.min(k - 1, Math.floor(v * k));
  return globalThis.Array.from({ length: n }, (_, i) => ({
    a: pick(u[3 * i], SITE_SIZES.a),
    b: pick(u[3 * i + 1], SITE_SIZES.b),
    x: pick(u[3 * i + 2], SITE_SIZES.x),
  }));
}

/** Mean predicted P(perovskite) of compositions: the head at their encoder means. Consumes `params`. */
export function predictedStability(params: DesignParams, comps: readonly Composition[]): number {
  const p2 = tree.ref(params);
  const { mean, logVar } = encodeCompositions(params, comps);
  logVar.dispose();
  return predictProperty(p2, mean).mean().item() as number;
}

/**
 * Run every design method for `n` designs and score them against the ground truth; `training` is the
 * model's training set (for novelty, and for the marginal baselines). Consumes `params` and `key`.
 */
export function designReport(
  params: DesignParams,
  key: Array,
  training: readonly LabelledComposition[],
  opts: DesignReportOptions = {},
): DesignReport {
  const n = opts.n ?? 100;
  try {
    if (!Number.isInteger(n) || n < 1)
      throw new ValueError(`designReport: n must be a positive integer, but got ${describe(n)}`);
    checkCompositions("designReport", training, "training");
    if (!training.some((r) => r.perovskite === true))
      throw new ValueError("designReport: training must contain at least one perovskite");
  } catch (e) {
    tree.dispose([params, key]);
    throw e;
  }
  const ks = random.split(key, 6);
  const k = (i: number) => (i < 5 ? ks.ref.slice(i) : ks.slice(i));
  const designs = {} as Record<DesignMethod, Composition[]>;
  const atLatent: Partial<Record<DesignMethod, number>> = {};
  // 1. the two latent searches and prior sampling, decoded by argmax
  const searches: [DesignMethod, OptimizeLatentsOptions][] = [
    ["latent-ascent", { objective: "logit", temperature: 0, ...opts.ascent }],
    ["latent-langevin", { ...LANGEVIN_DEFAULTS, ...opts.langevin }],
  ];
  searches.forEach(([method, o], i) => {
    const search = optimizeLatents(tree.ref(params), k(i), n, o);
    search.z0.dispose();
    atLatent[method] = search.meanProbability[search.meanProbability.length - 1];
    designs[method] = decodeLatents(tree.ref(params), search.z);
  });
  const z = samplePrior(tree.ref(params), k(2), n);
  atLatent.prior = predictProperty(tree.ref(params), z.ref).mean().item() as number;
  designs.prior = decodeLatents(tree.ref(params), z);
  // 2. baselines that never see the model
  designs.marginals = sampleSiteMarginals(k(3), training, n);
  designs["stable-marginals"] = sampleSiteMarginals(
    k(4),
    training.filter((r) => r.perovskite),
    n,
  );
  designs.uniform = sampleUniformCompositions(k(5), n);
  // 3. ground truth for every method, and the model's opinion of each design
  const rows = DESIGN_METHODS.map((method): DesignMethodRow => {
    const row: DesignMethodRow = {
      method,
      ...scoreDesigns(designs[method], training),
      predicted: predictedStability(tree.ref(params), designs[method]),
    };
    if (atLatent[method] !== undefined) row.predictedAtLatent = atLatent[method];
    return row;
  });
  tree.dispose(params);
  return { rows, designs };
}

/** Fraction of `compositions` that the decoder reconstructs exactly (argmax of p(c | μ(c))). Consumes `params`. */
export function reconstructionAccuracy(params: DesignParams, compositions: readonly Composition[]): number {
  const p2 = tree.ref(params);
  const { mean, logVar } = encodeCompositions(params, compositions);
  logVar.dispose();
  const out = decodeLatents(p2, mean);
  let ok = 0;
  out.forEach((c, i) => {
    const t = compositions[i];
    if (c.a === t.a && c.b === t.b && c.x === t.x) ok++;
  });
  return compositions.length === 0 ? Number.NaN : ok / compositions.length;
}

/** Accuracy of the property head at the encoder means against the labels (threshold P = ½). Consumes `params`. */
export function propertyAccuracy(params: DesignParams, rows: readonly LabelledComposition[]): number {
  const p2 = tree.ref(params);
  const { mean, logVar } = encodeCompositions(params, rows);
  logVar.dispose();
  const p = predictProperty(p2, mean).dataSync();
  let ok = 0;
  rows.forEach((r, i) => {
    if (p[i] > 0.5 === r.perovskite) ok++;
  });
  return rows.length === 0 ? Number.NaN : ok / rows.length;
}
