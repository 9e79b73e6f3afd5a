/**
 * The Lorenz experiment: does the architecture decide what a generative model can make? A GAN's
 * generator is a deterministic map from its latent space, so its samples can lie on a thin folded set
 * such as the Lorenz attractor (correlation dimension ≈ 2.05, Grassberger & Procaccia 1983); a
 * Gaussian-decoder VAE's honest samples are a decoded point plus Gaussian noise, which fills 3-D space
 * at scales below the noise. Both are trained on the same standardised trajectory points and compared,
 * with a held-out trajectory as the reference, by the correlation dimension at small and large radii
 * and by sample-based two-sample metrics (MMD, energy distance, k-NN precision/recall/density/coverage).
 * Browser-safe: no Node APIs; training reports progress through a callback.
 */
import { applyStandardization, lorenz, type Standardization, standardize } from "../data/dynamical/index.js";
import { NumericalError } from "../errors.js";
import { type Array as JaxArray, np, random, tree } from "../jax.js";
import type { Matrix } from "../linalg/matrix.js";
import { correlationSum, fitCorrelationDimension } from "../metrics/correlation-dimension.js";
import { energyDistance } from "../metrics/energy-distance.js";
import { mmd2 } from "../metrics/mmd.js";
import { prdc } from "../metrics/prdc.js";
import { type GanConfig, ganInit, sampleGan, trainGan } from "../models/gan/index.js";
import { trainVae, type VaeConfig, vaeInit, sample as vaeSample } from "../models/vae/index.js";

/** Sizes of one run; `lorenzSizes` gives the three scales. */
export type LorenzSizes = {
  /** training points (standardised trajectory) */
  trainPoints: number;
  /** points per sample set for every metric */
  samplePoints: number;
  /** rows for the O(n²) metrics (MMD, energy distance) */
  pairPoints: number;
  ganSteps: number;
  vaeSteps: number;
  /** one GAN per latent dimension listed */
  ganLatents: number[];
};

/** smoke: seconds, for tests; quick: the tour default (under a minute); full: longer training. */
export function lorenzSizes(scale: "smoke" | "quick" | "full"): LorenzSizes {
  if (scale === "smoke")
    return {
      trainPoints: 2000,
      samplePoints: 1500,
      pairPoints: 300,
      ganSteps: 40,
      vaeSteps: 40,
      ganLatents: [2],
    };
  if (scale === "quick")
    return {
      trainPoints: 20000,
      samplePoints: 10000,
      pairPoints: 2000,
      ganSteps: 2000,
      vaeSteps: 2000,
      ganLatents: [2],
    };
  return {
    trainPoints: 50000,
    samplePoints: 20000,
    pairPoints: 4000,
    ganSteps: 15000,
    vaeSteps: 15000,
    ganLatents: [2, 3],
  };
}

/**
 * Adam for both GAN networks on standardised Lorenz data: lr 1e-3 with β (0.5, 0.999). Tuned by the
 * sliced Wasserstein distance to a held-out trajectory: the library default lr 2e-4 reached 0.166 in
 * 3,000 steps, lr 1e-3 0.106 (two independent trajectories differ by 0.127).
 */
export const LORENZ_GAN_ADAM = { lr: 1e-3, b1: 0.5, b2: 0.999 };

/** Radii (standardised units) of the two correlation-dimension fits. */
export const SMALL_RADII: [number, number] = [0.02, 0.1];
export const LARGE_RADII: [number, number] = [0.3, 1.5];

/** Options of `lorenzExperiment`. */
export type LorenzExperimentOptions = {
  sizes: LorenzSizes;
  /** GAN settings beyond the data and latent dimensions (default: non-saturating, [128, 128], `LORENZ_GAN_ADAM`) */
  gan?: Omit<GanConfig, "dataDim" | "latentDim">;
  /** VAE settings (default: Gaussian decoder with learned variance, latent 3, [128, 128]) */
  vae?: { latentDim?: number; hidden?: number[] };
  /** progress of the two training loops */
  onProgress?: (model: string, step: number, total: number) => void;
};

/** Metrics of one sample set against the held-out reference trajectory. */
export type SampleSetMetrics = {
  name: string;
  /** correlation dimension fitted over `SMALL_RADII` and `LARGE_RADII` */
  dimensionSmall: number;
  dimensionLarge: number;
  /** unbiased MMD² with an RBF kernel, median-heuristic bandwidth */
  mmd2: number;
  /** energy distance (scipy's normalisation) */
  energy: number;
  precision: number;
  recall: number;
  density: number;
  coverage: number;
  /** fraction of points on the x > 0 lobe (standardised x), the attractor's two "modes" */
  lobe: number;
};

/** What `lorenzExperiment` returns: the sample sets (standardised `[n, 3]`), their metrics, the transform. */
export type LorenzExperiment = {
  sets: { name: string; points: Matrix }[];
  metrics: SampleSetMetrics[];
  transform: Standardization;
  /** final GAN discriminator/generator losses and VAE loss (nats per point) */
  training: { model: string; seconds: number; losses: Record<string, number> }[];
};

const toMatrix = (a: JaxArray, rows: number): Matrix => ({
  rows,
  cols: 3,
  data: Float64Array.from(a.dataSync() as Float32Array),
});

/** The first `n` rows of `X`. */
const head = (X: Matrix, n: number): Matrix => ({
  rows: n,
  cols: X.cols,
  data: X.data.subarray(0, n * X.cols),
});

/** Metrics of `X` against the reference `R`; `theiler` for time-ordered sets. */
function measure(name: string, X: Matrix, R: Matrix, sizes: LorenzSizes, theiler: number): SampleSetMetrics {
  const cs = correlationSum(X, { radii: { min: 0.01, max: 3, count: 30 }, theiler });
  // NaN where a range holds no pairs (tiny sample sets)
  const fit = (range: [number, number]) => {
    try {
      return fitCorrelationDimension(cs, { range }).dimension;
    } catch (e) {
      if (e instanceof NumericalError) return Number.NaN;
      throw e;
    }
  };
  const m = Math.min(sizes.pairPoints, X.rows, R.rows);
  const k = prdc(R, X, { k: 5 });
  let right = 0;
  for (let i = 0; i < X.rows; i++) if (X.data[i * X.cols] > 0) right++;
  return {
    lobe: right / X.rows,
    name,
    dimensionSmall: fit(SMALL_RADII),
    dimensionLarge: fit(LARGE_RADII),
    mmd2: mmd2(head(R, m), head(X, m), { bandwidth: "median", estimator: "unbiased" }),
    energy: energyDistance(head(R, m), head(X, m)),
    ...k,
  };
}

/**
 * Train GANs (one per latent dimension in `sizes.ganLatents`) and a Gaussian-decoder VAE on standardised
 * Lorenz points and measure the sample sets — held-out data, each GAN, VAE decoder means, VAE full
 * samples — against a held-out trajectory. Consumes `key`.
 */
export async function lorenzExperiment(
  key: JaxArray,
  opts: LorenzExperimentOptions,
): Promise<LorenzExperiment> {
  const { sizes } = opts;
  const nGan = sizes.ganLatents.length;
  const ks = random.split(key, 6 + 3 * nGan);
  const k = (i: number) => ks.ref.slice(i);
  // 1. Data: a training trajectory, a held-out reference and a held-out "data" sample set, standardised
  //    with the training transform.
  const { Z: train, transform } = standardize(lorenz(k(0), sizes.trainPoints));
  const reference = applyStandardization(lorenz(k(1), sizes.samplePoints), transform);
  const heldOut = applyStandardization(lorenz(k(2), sizes.samplePoints), transform);
  const x = np.array(Float32Array.from(train.data), { dtype: np.float32 }).reshape([train.rows, 3]);
  const tail = (xs: number[]) =>
    xs.slice(-50).reduce((a, b) => a + b, 0) / Math.max(1, Math.min(50, xs.length));
  const training: LorenzExperiment["training"] = [];
  const sets: { name: string; points: Matrix; theiler: number }[] = [
    { name: "data (held-out trajectory)", points: heldOut, theiler: 10 },
  ];
  // 2. GANs, one per latent dimension.
  for (const [g, latentDim] of sizes.ganLatents.entries()) {
    const name = nGan > 1 ? `GAN (latent ${latentDim})` : "GAN";
    const config: GanConfig = {
      generatorHidden: [128, 128],
      discriminatorHidden: [128, 128],
      generatorAdam: LORENZ_GAN_ADAM,
      discriminatorAdam: LORENZ_GAN_ADAM,
      ...opts.gan,
      latentDim,
      dataDim: 3,
    };
    const t0 = performance.now();
    const gan = await trainGan(ganInit(k(6 + 3 * g), config), k(7 + 3 * g), x.ref, {
      config,
      steps: sizes.ganSteps,
      onProgress: (p) => opts.onProgress?.(name, p.step, p.totalSteps),
    });
    training.push({
      model: name,
      seconds: (performance.now() - t0) / 1000,
      losses: { discriminator: tail(gan.dLosses), generator: tail(gan.gLosses) },
    });
    tree.dispose(gan.optState);
    const pts = sampleGan(gan.params, k(8 + 3 * g), sizes.samplePoints, { config });
    sets.push({ name, points: toMatrix(pts, sizes.samplePoints), theiler: 0 });
  }
  // 3. VAE with a Gaussian decoder (learned per-coordinate variance), sampled two ways.
  const vaeConfig: VaeConfig = {
    inputDim: 3,
    latentDim: opts.vae?.latentDim ?? 3,
    hidden: opts.vae?.hidden ?? [128, 128],
    likelihood: "gaussian",
  };
  const t0 = performance.now();
  const vae = await trainVae(
    vaeInit(k(3), vaeConfig),
    k(4),
    { x },
    {
      config: vaeConfig,
      steps: sizes.vaeSteps,
      batchSize: 256,
      onProgress: (p) => opts.onProgress?.("VAE", p.step, p.totalSteps),
    },
  );
  training.push({
    model: "VAE",
    seconds: (performance.now() - t0) / 1000,
    losses: { "negative ELBO": tail(vae.losses) },
  });
  tree.dispose(vae.optState);
  const ks2 = random.split(k(5), 2);
  ks.dispose();
  const vaeMean = vaeSample(tree.ref(vae.params), ks2.ref.slice(0), sizes.samplePoints, {
    config: vaeConfig,
    mean: true,
  });
  const vaeFull = vaeSample(vae.params, ks2.slice(1), sizes.samplePoints, { config: vaeConfig });
  sets.push({ name: "VAE decoder mean", points: toMatrix(vaeMean, sizes.samplePoints), theiler: 0 });
  sets.push({ name: "VAE full samples", points: toMatrix(vaeFull, sizes.samplePoints), theiler: 0 });
  // 4. Metrics against the reference trajectory (a Theiler window for the time-ordered held-out set).
  const metrics = sets.map((s) => measure(s.name, s.points, reference, sizes, s.theiler));
  return { sets: sets.map(({ name, points }) => ({ name, points })), metrics, transform, training };
}
