/**
 * Chapter "Inverse design in a latent space: ABX3 perovskites": a VAE over compositions (a categorical
 * decoder per site) trained jointly with a stability head on its latent code (as Gómez-Bombarelli et al.
 * 2018 did for molecules), then designs by gradient ascent and Langevin sampling on the head in latent
 * space, against sampling the prior and random compositions. Ground truth is Bartel et al.'s (2019)
 * τ < 4.18 computed from Shannon radii, never the model.
 */
import {
  A_SITE_IONS,
  B_SITE_IONS,
  enumeratePerovskites,
  labelComposition,
  X_SITE_IONS,
} from "../../data/perovskites/index.js";
import { random, tree } from "../../jax.js";
import { perovskiteDesignExperiment } from "../../models/design/experiment.js";
import type { DesignMethod } from "../../models/design/report.js";
import type { Chapter, ChapterContext, ChapterResult, SummaryTable } from "../chapter.js";
import type { PlotSpec } from "../plot.js";

/** smoke: seconds, for tests; quick: the default tour; full: longer training and more designs. */
function sizes(ctx: ChapterContext) {
  if (ctx.scale === "smoke") return { steps: 60, n: 20 };
  if (ctx.scale === "quick") return { steps: 1500, n: 200 };
  return { steps: 4000, n: 1000 };
}

const pct = (x: number) => (Number.isNaN(x) ? "—" : `${(100 * x).toFixed(1)}%`);

const METHOD_LABELS: Record<DesignMethod, string> = {
  "latent-ascent": "latent gradient ascent on the head",
  "latent-langevin": "latent Langevin sampling of p(z | stable)",
  prior: "VAE prior samples, z ~ N(0, I)",
  marginals: "training site frequencies (independent per site)",
  "stable-marginals": "site frequencies of stable training compositions",
  uniform: "uniform random ions per site",
};

async function run(ctx: ChapterContext): Promise<ChapterResult> {
  const sz = sizes(ctx);
  const all = enumeratePerovskites();
  const stableCount = all.filter((r) => r.perovskite).length;
  const bar = ctx.progress("inverse-design: training the composition VAE", sz.steps);
  const ex = await perovskiteDesignExperiment(random.key(ctx.seed + 71), {
    train: { steps: sz.steps, onProgress: (p) => bar.update(p.step) },
    report: { n: sz.n },
  });
  bar.done();
  tree.dispose(ex.model.params);
  const { diagnostics: dg, report } = ex;
  const table: SummaryTable = {
    title: `${sz.n} designs per method, scored by ground truth (Bartel τ < 4.18 from Shannon radii)`,
    columns: [
      "method",
      "valid",
      "unique",
      "novel",
      "truly stable",
      "novel and stable",
      "distinct new stable",
      "head's P(stable)",
    ],
    rows: report.rows.map((r) => [
      METHOD_LABELS[r.method],
      pct(r.validity),
      pct(r.uniqueness),
      pct(r.novelty),
      pct(r.stable),
      pct(r.novelStable),
      r.distinctNovelStable,
      Number.isNaN(r.predicted) ? "—" : r.predicted.toFixed(3),
    ]),
  };
  // Structure map: every candidate in (t, μ), coloured by τ; the ascent and Langevin designs on top.
  const points: { t: number; mu: number; group: string }[] = all.map((r) => ({
    t: r.t,
    mu: r.mu,
    group: r.perovskite ? "candidate, τ < 4.18" : "candidate, τ ≥ 4.18",
  }));
  const designPoints: { t: number; mu: number; method: string }[] = [];
  for (const method of ["latent-ascent", "latent-langevin"] as const) {
    const seen = new Set<string>();
    for (const c of report.designs[method]) {
      const key = `${c.a},${c.b},${c.x}`;
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        const row = labelComposition(c);
        designPoints.push({ t: row.t, mu: row.mu, method: METHOD_LABELS[method] });
      } catch {
        // an invalid design (e.g. rA ≤ rB) has no place on the map
      }
    }
  }
  const map: PlotSpec = {
    width: 460,
    height: 320,
    layer: [
      {
        data: { values: points },
        mark: { type: "circle", size: 10, opacity: 0.4, clip: true },
        encoding: {
          x: {
            field: "t",
            type: "quantitative",
            title: "Goldschmidt tolerance factor t",
            scale: { domain: [0.5, 1.4] },
          },
          y: {
            field: "mu",
            type: "quantitative",
            title: "octahedral factor μ = rB / rX",
            scale: { domain: [0, 1.2] },
          },
          color: {
            field: "group",
            type: "nominal",
            title: null,
            scale: { range: ["#4c78a8", "#bbbbbb"] },
            legend: { labelLimit: 320 },
          },
        },
      },
      {
        data: { values: designPoints },
        mark: { type: "point", size: 45, filled: false, strokeWidth: 1.4, opacity: 0.9, clip: true },
        encoding: {
          x: { field: "t", type: "quantitative" },
          y: { field: "mu", type: "quantitative" },
          shape: {
            field: "method",
            type: "nominal",
            title: "distinct designs",
            scale: { range: ["diamond", "cross"] },
            legend: { labelLimit: 320 },
          },
          stroke: { value: "#e45756" },
        },
      },
    ],
    resolve: { scale: { color: "independent", shape: "independent" } },
  };
  const byMethod = Object.fromEntries(report.rows.map((r) => [r.method, r]));
  const asc = byMethod["latent-ascent"];
  const lang = byMethod["latent-langevin"];
  const prior = byMethod.prior;
  const randomBest = Math.max(byMethod.marginals.stable, byMethod.uniform.stable);
  const findings = [
    `- **Truly stable designs**: gradient ascent ${pct(asc.stable)}, Langevin ${pct(lang.stable)}, prior samples ${pct(prior.stable)}, random compositions at most ${pct(randomBest)} (the base rate among all candidates is ${pct(stableCount / all.length)}).`,
    `- **Diversity is the price of ascent**: ${pct(asc.uniqueness)} of its valid designs are distinct, against ${pct(lang.uniqueness)} for Langevin; Langevin finds ${lang.distinctNovelStable} distinct new stable compositions, ascent ${asc.distinctNovelStable}, the prior ${prior.distinctNovelStable}.`,
    `- **Validity**: decoding the latent space gives valid (charge-neutral, rA > rB) compositions ${pct(prior.validity)} of the time from the prior, against ${pct(byMethod.uniform.validity)} for uniform random ions: the VAE learned the chemistry of the candidate list.`,
    `- **Overconfidence**: the head rates ascent designs at P = ${asc.predicted.toFixed(3)}, while ${pct(asc.stable)} are truly stable.`,
  ];
  const blocks: ChapterResult["blocks"] = [
    {
      kind: "text",
      markdown: `Inverse design asks the generative question backwards: not "is this compound stable?" but "write me a stable one". The candidates: every charge-neutral ABX3 with Shannon (1976) ionic radii for ${A_SITE_IONS.length} A-site, ${B_SITE_IONS.length} B-site and ${X_SITE_IONS.length} X-site ions and rA > rB, ${all.length} compositions, ${stableCount} of them stable as perovskites by Bartel et al.'s (2019) tolerance factor τ < 4.18. A VAE over compositions (one categorical decoder per site) is trained on 80% of them together with a head that predicts stability from the latent code; then designs are decoded from latent points chosen by gradient ascent on the head, by Langevin sampling of p(z | stable), or drawn from the prior, and compared with random compositions. "Novel" means valid and not in the training set (the candidate list is exhaustive, so novel designs are the held-out 20%). Reconstruction: ${pct(dg.reconstruction.train)} of training and ${pct(dg.reconstruction.heldOut)} of held-out compositions; the head agrees with τ on ${pct(dg.property.train)} of training and ${pct(dg.property.heldOut)} of held-out ones.`,
    },
    { kind: "table", table },
    { kind: "text", markdown: ["What the numbers say:", "", ...findings].join("\n") },
    {
      kind: "plot",
      spec: map,
      caption: `The structure map: all ${all.length} candidates by tolerance factor t and octahedral factor μ, blue where τ < 4.18; red marks the distinct compositions designed by latent gradient ascent and Langevin sampling.`,
    },
  ];
  return { summary: [table], blocks };
}

/** The inverse-design chapter: a composition VAE with a stability head, searched in latent space. */
export const inverseDesignChapter: Chapter = {
  id: "inverse-design",
  title: "Inverse design in a latent space: ABX3 perovskites",
  blurb:
    "a composition VAE with a stability head; designs by latent gradient ascent and Langevin sampling vs the prior and random ions, scored by Bartel's τ",
  run,
};
