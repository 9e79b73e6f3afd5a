/**
 * Chapter "Latent spaces for gene counts": PCA and probabilistic PCA against VAEs whose decoder
 * likelihood matches the data (Gaussian on log counts, Poisson, negative binomial, zero-inflated NB), on
 * a Splatter-style simulation with a branching trajectory. All models are scored on the same held-out
 * cells in nats per cell. The continuous models (PPCA, Gaussian VAE) see y = log(1 + x + u) with
 * uniform dequantisation noise u ~ U[0,1)^D; with the Jacobian Π 1/(1 + x + u) their density on v = x + u
 * integrates over each unit cube to a probability mass on the counts, and E_u[log p(x + u)] is a lower
 * bound on its log (Theis, van den Oord & Bethge 2016, §3.1). The count VAEs give IWAE bounds
 * (Burda et al. 2016) on log p(x | l) with the observed library size l, as scvi-tools does.
 */
import {
  type CountSimulation,
  logNormalize,
  selectCells,
  simulateCounts,
  splitCells,
} from "../../data/gene-expression/index.js";
import { hostUniforms } from "../../host-random.js";
import { type Array as JaxArray, np, random, tree } from "../../jax.js";
import type { Matrix } from "../../linalg/matrix.js";
import { pcaFit, pcaTransform, ppcaFit, ppcaLogProb } from "../../models/latent/index.js";
import {
  elbo,
  encode,
  interpolate,
  iwaeLogLikelihood,
  type LikelihoodName,
  trainVae,
  type VaeConfig,
  type VaeParams,
  vaeInit,
} from "../../models/vae/index.js";
import type { Chapter, ChapterContext, ChapterResult, SummaryTable } from "../chapter.js";
import type { PlotSpec } from "../plot.js";

type Sizes = {
  cells: number;
  genes: number;
  steps: number;
  warmup: number;
  K: number;
  /** dequantisation draws for the held-out bound of the continuous models */
  draws: number;
  latent: number;
  hidden: number[];
};

/** smoke: seconds, for tests; quick: the default tour; full: larger data and longer training. */
function sizes(ctx: ChapterContext): Sizes {
  if (ctx.scale === "smoke")
    return { cells: 150, genes: 40, steps: 30, warmup: 10, K: 4, draws: 1, latent: 4, hidden: [16] };
  if (ctx.scale === "quick")
    return { cells: 2000, genes: 300, steps: 1500, warmup: 300, K: 50, draws: 2, latent: 10, hidden: [128] };
  return { cells: 4000, genes: 500, steps: 6000, warmup: 1000, K: 200, draws: 4, latent: 10, hidden: [128] };
}

const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / Math.max(1, xs.length);
};
const f1 = (x: number) => Number(x.toFixed(1));

/** y = log(1 + x + u) and the log-Jacobian Σ_g −log(1 + x_g + u_g) per row, for counts `[n*d]`. */
function dequantise(x: Float64Array, u: Float64Array, n: number, d: number) {
  const y = new Float64Array(n * d);
  const logJac = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let g = 0; g < d; g++) {
      const v = Math.log1p(x[i * d + g] + u[i * d + g]);
      y[i * d + g] = v;
      s -= v;
    }
    logJac[i] = s;
  }
  return { y, logJac };
}

const matrix = (data: Float64Array, rows: number, cols: number): Matrix => ({ rows, cols, data });
const toArray = (data: Float64Array, rows: number, cols: number): JaxArray =>
  np.array(Float32Array.from(data), { dtype: np.float32 }).reshape([rows, cols]);

type Fitted = { name: string; params: VaeParams; config: VaeConfig; seconds: number };

/** Train one VAE on `x` `[n, d]` (float64 host values), with a progress bar. */
async function fitVae(
  ctx: ChapterContext,
  sz: Sizes,
  likelihood: LikelihoodName,
  x: Float64Array,
  n: number,
  d: number,
  seed: number,
): Promise<Fitted> {
  const config: VaeConfig = { inputDim: d, latentDim: sz.latent, hidden: sz.hidden, likelihood };
  const bar = ctx.progress(`gene-expression: ${likelihood} VAE`, sz.steps);
  const t0 = performance.now();
  const r = await trainVae(
    vaeInit(random.key(seed), config),
    random.key(seed + 1),
    { x: toArray(x, n, d) },
    {
      config,
      steps: sz.steps,
      batchSize: Math.min(128, n),
      klWarmupSteps: sz.warmup,
      onProgress: (p) => bar.update(p.step),
    },
  );
  bar.done();
  tree.dispose(r.optState);
  return { name: likelihood, params: r.params, config, seconds: (performance.now() - t0) / 1000 };
}

/** Mean held-out ELBO and per-row IWAE bound (nats) of a fitted VAE on `x` `[n, d]`; keeps `fit.params`. */
function score(fit: Fitted, sz: Sizes, x: Float64Array, n: number, d: number, seed: number) {
  const e = elbo(tree.ref(fit.params), random.key(seed), { x: toArray(x, n, d) }, { config: fit.config });
  e.recon.dispose();
  e.kl.dispose();
  const elboMean = mean(e.elbo.dataSync() as Float32Array); // dataSync consumes
  const iw = iwaeLogLikelihood(tree.ref(fit.params), random.key(seed + 1), toArray(x, n, d), {
    config: fit.config,
    K: sz.K,
  });
  const rows = Float64Array.from(iw.dataSync() as Float32Array);
  return { elbo: elboMean, iwae: rows };
}

/** The test cell of type `name` furthest along the trajectory, or null. */
function tipCell(sim: CountSimulation, test: Int32Array, name: string): number | null {
  const t = sim.typeNames.indexOf(name);
  let best: number | null = null;
  for (let k = 0; k < test.length; k++) {
    const c = test[k];
    if (sim.cellType[c] === t && (best === null || sim.pseudotime[c] > sim.pseudotime[test[best]])) best = k;
  }
  return best;
}

async function run(ctx: ChapterContext): Promise<ChapterResult> {
  const sz = sizes(ctx);
  const seed = ctx.seed;
  // 1. Data: a branching trajectory (root → A → A2, root → B → B2), NB counts with dropout.
  const sim = simulateCounts(random.key(seed + 61), { cells: sz.cells, genes: sz.genes, dropout: true });
  const split = splitCells(sim.cells, 0.2, random.key(seed + 62));
  const d = sim.genes;
  const nTr = split.train.length;
  const nTe = split.test.length;
  const xTr = selectCells(sim.counts, d, split.train);
  const xTe = selectCells(sim.counts, d, split.test);
  let zeros = 0;
  for (const v of sim.counts) if (v === 0) zeros++;
  const zeroFraction = zeros / sim.counts.length;
  let libTotal = 0;
  for (const v of sim.counts) libTotal += v;
  // log density of the observed library size l under a log-normal fitted to the training cells
  const logLib = (x: Float64Array, n: number) =>
    Array.from({ length: n }, (_, i) => Math.log(Math.max(1, mean(x.subarray(i * d, (i + 1) * d)) * d)));
  const trLib = logLib(xTr, nTr);
  const libMu = mean(trLib);
  const libVar = mean(trLib.map((v) => (v - libMu) ** 2));
  const libLogDensity = mean(
    logLib(xTe, nTe).map((v) => -0.5 * Math.log(2 * Math.PI * libVar) - (v - libMu) ** 2 / (2 * libVar) - v),
  );

  // 2. PPCA on dequantised log counts; held-out bound averaged over `draws` noise draws.
  const trainY = dequantise(xTr, hostUniforms(random.key(seed + 63), nTr * d), nTr, d);
  const t0 = performance.now();
  const ppca = ppcaFit(matrix(trainY.y, nTr, d), { nComponents: sz.latent });
  const ppcaSeconds = (performance.now() - t0) / 1000;
  const testDraws = Array.from({ length: sz.draws }, (_, s) =>
    dequantise(xTe, hostUniforms(random.key(seed + 64 + s), nTe * d), nTe, d),
  );
  const ppcaRows = new Float64Array(nTe);
  for (const te of testDraws) {
    const lp = ppcaLogProb(ppca, matrix(te.y, nTe, d));
    for (let i = 0; i < nTe; i++) ppcaRows[i] += (lp[i] + te.logJac[i]) / sz.draws;
  }

  // 3. VAEs: Gaussian on the same dequantised log counts, then Poisson, NB and ZINB on the counts.
  type Row = { name: string; scale: string; bound: string; heldOut: number; elbo: number; seconds: number };
  const rows: Row[] = [
    {
      name: "probabilistic PCA",
      scale: "log(1+x+u), Jacobian",
      bound: `exact density, E over ${sz.draws} u`,
      heldOut: mean(ppcaRows),
      elbo: Number.NaN,
      seconds: ppcaSeconds,
    },
  ];
  const gauss = await fitVae(ctx, sz, "gaussian", trainY.y, nTr, d, seed + 70);
  {
    let held = 0;
    let el = 0;
    testDraws.forEach((te, s) => {
      const sc = score(gauss, sz, te.y, nTe, d, seed + 80 + 2 * s);
      held += (mean(sc.iwae) + mean(te.logJac)) / sz.draws;
      el += (sc.elbo + mean(te.logJac)) / sz.draws;
    });
    rows.push({
      name: "Gaussian VAE",
      scale: "log(1+x+u), Jacobian",
      bound: `IWAE K=${sz.K}, E over ${sz.draws} u`,
      heldOut: held,
      elbo: el,
      seconds: gauss.seconds,
    });
  }
  const counts: Record<string, Fitted> = {};
  for (const [i, lik] of (["poisson", "nb", "zinb"] as const).entries()) {
    const fit = await fitVae(ctx, sz, lik, xTr, nTr, d, seed + 90 + 10 * i);
    const sc = score(fit, sz, xTe, nTe, d, seed + 95 + 10 * i);
    counts[lik] = fit;
    const label = { poisson: "Poisson VAE", nb: "negative-binomial VAE", zinb: "zero-inflated NB VAE" }[lik];
    rows.push({
      name: label,
      scale: "counts, given l",
      bound: `IWAE K=${sz.K}`,
      heldOut: mean(sc.iwae),
      elbo: sc.elbo,
      seconds: fit.seconds,
    });
  }
  const table: SummaryTable = {
    title: `Held-out log-likelihood per cell (nats; ${nTe} test cells × ${d} genes; higher is better)`,
    columns: ["model", "data scale", "estimate", "held-out log p(x)", "held-out ELBO", "train (s)"],
    rows: rows.map((r) => [
      r.name,
      r.scale,
      r.bound,
      r.heldOut.toFixed(1),
      Number.isNaN(r.elbo) ? "—" : r.elbo.toFixed(1),
      r.seconds.toFixed(1),
    ]),
  };

  // 4. Latent spaces of the test cells: PCA of log-normalised counts vs the NB-VAE's latent means.
  const nb = counts.nb;
  const logn = logNormalize(sim.counts, d);
  const pca = pcaFit(matrix(selectCells(logn, d, split.train), nTr, d), { nComponents: 2 });
  const pcaTest = pcaTransform(pca, matrix(selectCells(logn, d, split.test), nTe, d));
  const enc = encode(tree.ref(nb.params), toArray(xTe, nTe, d), { config: nb.config });
  enc.variance.dispose();
  const zMeans = Float64Array.from(enc.mean.dataSync() as Float32Array);
  const zPca = pcaFit(matrix(zMeans, nTe, sz.latent), { nComponents: 2 });
  const z2 = pcaTransform(zPca, matrix(zMeans, nTe, sz.latent));
  const points: { method: string; c1: number; c2: number; type: string }[] = [];
  for (let i = 0; i < nTe; i++) {
    const type = sim.typeNames[sim.cellType[split.test[i]]];
    points.push({
      method: "PCA of log-normalised counts",
      c1: pcaTest.data[2 * i],
      c2: pcaTest.data[2 * i + 1],
      type,
    });
    points.push({
      method: "NB-VAE latent means (first 2 PCs)",
      c1: z2.data[2 * i],
      c2: z2.data[2 * i + 1],
      type,
    });
  }
  const latentPlot: PlotSpec = {
    data: { values: points },
    facet: {
      column: {
        field: "method",
        type: "nominal",
        title: null,
        sort: ["PCA of log-normalised counts", "NB-VAE latent means (first 2 PCs)"],
      },
    },
    spec: {
      width: 300,
      height: 260,
      mark: { type: "circle", size: 18, opacity: 0.75 },
      encoding: {
        x: { field: "c1", type: "quantitative", title: "component 1" },
        y: { field: "c2", type: "quantitative", title: "component 2" },
        color: { field: "type", type: "nominal", title: "cell type", sort: sim.typeNames },
      },
    },
    resolve: { scale: { x: "independent", y: "independent" } },
  };

  // 5. Decoded interpolation between the tips of the two branches (A2 and B2), NB-VAE.
  const steps = 9;
  let interpPlot: PlotSpec;
  let interpText: string;
  let ka = tipCell(sim, split.test, "A2");
  let kb = tipCell(sim, split.test, "B2");
  if (ka === null || kb === null) {
    // too few cells to hold both tips: the earliest and the latest test cells instead
    const order = Array.from(split.test.keys()).sort(
      (a, b) => sim.pseudotime[split.test[a]] - sim.pseudotime[split.test[b]],
    );
    [ka, kb] = [order[0], order[order.length - 1]];
  }
  {
    const row = (k: number) =>
      np.array(Float32Array.from(xTe.subarray(k * d, (k + 1) * d)), { dtype: np.float32 });
    const path = interpolate(tree.ref(nb.params), row(ka), row(kb), steps, { config: nb.config });
    path.latent.dispose();
    const dec = Float64Array.from(path.decoded.dataSync() as Float32Array);
    // expression per 10,000 counts at each step
    const per10k = new Float64Array(steps * d);
    for (let s = 0; s < steps; s++) {
      let tot = 0;
      for (let g = 0; g < d; g++) tot += dec[s * d + g];
      for (let g = 0; g < d; g++) per10k[s * d + g] = (1e4 * dec[s * d + g]) / tot;
    }
    const change = Array.from({ length: d }, (_, g) => ({
      g,
      lfc: Math.log((per10k[(steps - 1) * d + g] + 1) / (per10k[g] + 1)),
    })).sort((a, b) => Math.abs(b.lfc) - Math.abs(a.lfc));
    const shown = change.slice(0, 6);
    const lines: { step: number; gene: string; value: number }[] = [];
    let monotone = 0;
    let largestJump = 0;
    for (const { g } of shown) {
      const v = Array.from({ length: steps }, (_, s) => per10k[s * d + g]);
      v.forEach((value, step) => {
        lines.push({ step, gene: sim.geneNames[g], value });
      });
      const total = v[steps - 1] - v[0];
      let ok = true;
      for (let s = 1; s < steps; s++) {
        if ((v[s] - v[s - 1]) * total < 0) ok = false;
        largestJump = Math.max(largestJump, Math.abs(v[s] - v[s - 1]) / Math.max(1e-12, Math.abs(total)));
      }
      if (ok) monotone++;
    }
    interpPlot = {
      data: { values: lines },
      width: 420,
      height: 260,
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "step", type: "quantitative", title: "step along the latent path" },
        y: {
          field: "value",
          type: "quantitative",
          title: "decoded expression per 10,000 counts",
          scale: { type: "log" },
        },
        color: { field: "gene", type: "nominal", title: "gene" },
      },
    };
    interpText = `Decoding ${steps} evenly spaced points on the straight line between the NB-VAE's latent means of two test cells (${sim.typeNames[sim.cellType[split.test[ka]]]} → ${sim.typeNames[sim.cellType[split.test[kb]]]}, the tips of the two branches when both are in the test set), for the 6 genes whose decoded expression changes most between the ends: ${monotone} of 6 move monotonically from one end to the other, and the largest single step is ${Math.round(100 * largestJump)}% of a gene's total change (an even spread would be ${Math.round(100 / (steps - 1))}%).`;
  }

  for (const f of [gauss, ...Object.values(counts)]) tree.dispose(f.params);

  // 6. What the numbers say.
  const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
  const best = rows.reduce((a, b) => (b.heldOut > a.heldOut ? b : a));
  const countBest = Math.max(
    byName["Poisson VAE"].heldOut,
    byName["negative-binomial VAE"].heldOut,
    byName["zero-inflated NB VAE"].heldOut,
  );
  const contBest = Math.max(byName["probabilistic PCA"].heldOut, byName["Gaussian VAE"].heldOut);
  const gap = (a: number, b: number) => `${f1(Math.abs(a - b))} nats per cell ${a >= b ? "above" : "below"}`;
  const findings = [
    `- **Best held-out likelihood**: ${best.name}, ${f1(best.heldOut)} nats per cell.`,
    `- **Count likelihoods vs continuous ones**: the best count VAE is ${gap(countBest, contBest)} the best continuous model (${f1(countBest)} vs ${f1(contBest)}).`,
    `- **Overdispersion**: NB is ${gap(byName["negative-binomial VAE"].heldOut, byName["Poisson VAE"].heldOut)} Poisson.`,
    `- **Zero inflation**: ZINB is ${gap(byName["zero-inflated NB VAE"].heldOut, byName["negative-binomial VAE"].heldOut)} NB (the simulation zeroes counts by Splatter's logistic dropout; ${Math.round(100 * zeroFraction)}% of all counts are 0).`,
    `- **PCA's generative cousin**: PPCA is ${gap(byName["probabilistic PCA"].heldOut, byName["Gaussian VAE"].heldOut)} the Gaussian VAE on the same dequantised log counts.`,
  ];
  const blocks: ChapterResult["blocks"] = [
    {
      kind: "text",
      markdown: `PCA draws a flat map; a VAE learns a smooth latent space whose KL term pulls the codes toward N(0, I), and a decoder whose likelihood can match the data. The data: ${sim.cells} cells × ${d} genes simulated in the spirit of Splatter (Zappia et al. 2017): gene means from a Gamma, cell types along a branching trajectory (${sim.typeNames.join(", ")}), log-normal library sizes (mean ${Math.round(libTotal / sim.cells)} counts per cell), negative-binomial noise and logistic dropout; a fixed 80/20 split. Every model has ${sz.latent} latent dimensions and is scored on the same held-out cells.\n\nHow the numbers compare: PPCA and the Gaussian VAE model y = log(1 + x + u) with uniform noise u ∈ [0, 1) per count (dequantisation); with the Jacobian their density integrates over each unit cube to a probability of the counts, and averaging log p over draws of u gives a lower bound on it (Theis et al. 2016). The count VAEs give importance-weighted bounds (Burda et al. 2016) on log p(x | l) with the observed library size l, as scvi-tools does: that conditions on one number per cell, whose own log-density under a log-normal fitted to the training cells averages ${f1(libLogDensity)} nats on the test cells, to be set beside the gaps in the table.`,
    },
    { kind: "table", table },
    { kind: "text", markdown: ["What the numbers say:", "", ...findings].join("\n") },
    {
      kind: "plot",
      spec: latentPlot,
      caption: `Test cells in two dimensions, coloured by the simulated cell type: the first two principal components of log-normalised counts (left) and the first two principal components of the NB-VAE's ${sz.latent}-dimensional latent means (right).`,
    },
  ];
  blocks.push({ kind: "plot", spec: interpPlot, caption: interpText });
  return { summary: [table], blocks };
}

/** The latent-space chapter on gene counts: PPCA vs Gaussian/Poisson/NB/ZINB VAEs, latent maps, interpolation. */
export const geneExpressionChapter: Chapter = {
  id: "gene-expression",
  title: "Latent spaces for gene counts: PCA, PPCA and VAEs with the right likelihood",
  blurb:
    "held-out nats per cell for PPCA and Gaussian/Poisson/NB/ZINB VAEs on simulated counts; latent maps; a decoded interpolation between cell types",
  run,
};
