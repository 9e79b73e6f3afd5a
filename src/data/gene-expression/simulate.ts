/**
 * A single-cell RNA-seq count simulator after Splatter's Splat model with paths (Zappia, Phipson &
 * Oshlack 2017, "Splatter: simulation of single-cell RNA sequencing data", Genome Biology 18:174,
 * `splatSimulatePaths`): Gamma gene means with log-normal outliers, cell types along a branching
 * trajectory whose differential-expression factors are interpolated along pseudotime, log-normal
 * library sizes, a trended biological coefficient of variation (BCV) giving Gamma-Poisson
 * (negative binomial) counts, and optional logistic dropout.
 *
 * Differences from Splatter: pseudotime within a path is continuous (Splatter uses 100 discrete
 * steps) and paths are always linear in log space (no Brownian-bridge non-linear genes); the
 * defaults are sized for a few hundred genes and make the cell types clearly separable.
 */
import { describe, ValueError } from "../../errors.js";
import { type Array as JaxArray, np, random } from "../../jax.js";
import {
  sampleChiSquare,
  sampleLogNormal,
  samplePoisson,
  sampleStandardGamma,
  type UniformSource,
  uniformSource,
} from "./samplers.js";

/** Options for {@link simulateCounts}; Splatter's parameter names are given in brackets. */
export type CountOptions = {
  /** number of cells (default 2000) [batchCells] */
  cells?: number;
  /** number of genes (default 500) [nGenes] */
  genes?: number;
  /** parent path of each path, -1 for the origin (default [-1, 0, 0, 1, 2]) [path.from, 0-based] */
  pathFrom?: number[];
  /** one name per path (default "root", "A", "B", "A2", "B2" for the default paths, else "type1", ...) */
  typeNames?: string[];
  /** probability that a cell is on each path (default equal) [group.prob] */
  typeProb?: number[];
  /** Gamma shape of the gene means (default 0.6) [mean.shape] */
  meanShape?: number;
  /** Gamma rate of the gene means (default 0.3) [mean.rate] */
  meanRate?: number;
  /** probability that a gene is an expression outlier (default 0.05) [out.prob] */
  outlierProb?: number;
  /** log-normal location of the outlier factor on the median mean (default 4) [out.facLoc] */
  outlierLoc?: number;
  /** log-normal scale of the outlier factor (default 0.5) [out.facScale] */
  outlierScale?: number;
  /** probability that a gene is differentially expressed along a path (default 0.2) [de.prob] */
  deProb?: number;
  /** probability that a DE factor is down-regulation (default 0.5) [de.downProb] */
  deDownProb?: number;
  /** log-normal location of DE factors (default 1; Splatter's is 0.1) [de.facLoc] */
  deLoc?: number;
  /** log-normal scale of DE factors (default 0.4) [de.facScale] */
  deScale?: number;
  /** log-normal location of library sizes (default 8, about 3,000 counts per cell) [lib.loc] */
  libLoc?: number;
  /** log-normal scale of library sizes (default 0.2) [lib.scale] */
  libScale?: number;
  /** common biological coefficient of variation (default 0.1) [bcv.common] */
  bcvCommon?: number;
  /** degrees of freedom of the BCV chi-square scaling (default 60) [bcv.df] */
  bcvDf?: number;
  /** zero counts with probability logistic in log true mean (default false) [dropout.type] */
  dropout?: boolean;
  /** log mean at which half the counts drop out (default 0) [dropout.mid] */
  dropoutMid?: number;
  /** logistic slope in log mean, negative so that low means drop more (default -1) [dropout.shape] */
  dropoutShape?: number;
  /** also return the cell means before and after the BCV step (default false; 2 x 8 bytes per count) */
  keepMeans?: boolean;
};

/** A simulated count matrix with its ground truth. */
export type CountSimulation = {
  /** counts `[cells, genes]`, row-major (integers stored as doubles) */
  counts: Float64Array;
  cells: number;
  genes: number;
  /** gene names `gene1` ... `geneN` */
  geneNames: string[];
  /** path (cell type) of each cell `[cells]`, an index into `typeNames` */
  cellType: Int32Array;
  typeNames: string[];
  /** parent path of each path, -1 for the origin */
  pathFrom: number[];
  /** position along the trajectory `[cells]`: depth of the cell's path plus its step in [0, 1) */
  pseudotime: Float64Array;
  /** expected library size of each cell `[cells]` (log-normal draw; observed totals vary around it) */
  libSize: Float64Array;
  /** base mean of each gene `[genes]` after outliers, before paths and normalisation */
  geneMeans: Float64Array;
  /** 1 for outlier genes `[genes]` */
  isOutlier: Uint8Array;
  /** multiplicative DE factor at the end of each path relative to its start `[paths, genes]` */
  pathFactors: Float64Array;
  /** per-gene BCV scaling `sqrt(df / chi2)` `[genes]` */
  bcvScale: Float64Array;
  /** expected means `[cells, genes]` (library-size normalised), when `keepMeans` */
  cellMeans?: Float64Array;
  /** Gamma-distributed true means `[cells, genes]` that the Poisson draws use, when `keepMeans` */
  trueMeans?: Float64Array;
  /** 1 where a count was zeroed by dropout `[cells, genes]`, when `dropout` */
  dropped?: Uint8Array;
};

const DEFAULT_PATHS = [-1, 0, 0, 1, 2];
const DEFAULT_NAMES = ["root", "A", "B", "A2", "B2"];

/**
 * Simulate a `[cells, genes]` count matrix on a branching trajectory (Splat with paths, Zappia et
 * al. 2017); consumes `key`. Each stage draws from its own sub-key, so turning dropout on leaves
 * every other draw unchanged.
 */
export function simulateCounts(key: JaxArray, opts: CountOptions = {}): CountSimulation {
  let o: ReturnType<typeof checkOptions>;
  try {
    o = checkOptions(opts);
  } catch (e) {
    key.dispose();
    throw e;
  }
  const { cells, genes, pathFrom } = o;
  const nPaths = pathFrom.length;
  const ks = np.unstack(random.split(key, 8));
  const size = cells * genes;

  // 1. gene base means ~ Gamma(meanShape, meanRate); outliers replace the mean by median x LN factor
  const geneMeans = new Float64Array(genes);
  const isOutlier = new Uint8Array(genes);
  withSource(ks[0], 4 * genes, (src) => {
    for (let g = 0; g < genes; g++) geneMeans[g] = sampleStandardGamma(src, o.meanShape) / o.meanRate;
    const median = medianOf(geneMeans);
    for (let g = 0; g < genes; g++) {
      const u = src.uniform();
      const factor = sampleLogNormal(src, o.outlierLoc, o.outlierScale);
      if (u < o.outlierProb) {
        isOutlier[g] = 1;
        geneMeans[g] = median * factor;
      }
    }
  });

  // 2. per-path DE factors: with prob deProb a log-normal factor, inverted with prob deDownProb
  const pathFactors = new Float64Array(nPaths * genes).fill(1);
  withSource(ks[1], 4 * nPaths * genes, (src) => {
    for (let i = 0; i < nPaths * genes; i++) {
      const isDe = src.uniform() < o.deProb;
      const down = src.uniform() < o.deDownProb;
      const f = sampleLogNormal(src, o.deLoc, o.deScale);
      if (isDe) pathFactors[i] = down ? 1 / f : f;
    }
  });
  // log factor accumulated from the origin to the start of each path, and each path's depth
  const startLog = new Float64Array(nPaths * genes);
  const depth = new Float64Array(nPaths);
  for (let p = 0; p < nPaths; p++) {
    const q = pathFrom[p];
    if (q < 0) continue;
    depth[p] = depth[q] + 1;
    for (let g = 0; g < genes; g++)
      startLog[p * genes + g] = startLog[q * genes + g] + Math.log(pathFactors[q * genes + g]);
  }

  // 3. cells: a path by typeProb, a uniform step along it, a log-normal library size
  const cellType = new Int32Array(cells);
  const step = new Float64Array(cells);
  const pseudotime = new Float64Array(cells);
  const libSize = new Float64Array(cells);
  withSource(ks[2], 4 * cells, (src) => {
    const cum = cumulative(o.typeProb);
    for (let c = 0; c < cells; c++) {
      const u = src.uniform();
      let p = 0;
      while (p < nPaths - 1 && u >= cum[p]) p++;
      cellType[c] = p;
      step[c] = src.uniform();
      pseudotime[c] = depth[p] + step[c];
      libSize[c] = sampleLogNormal(src, o.libLoc, o.libScale);
    }
  });

  // 4. expected means: base mean x path factors interpolated in log space, scaled to the library size
  const cellMeans = new Float64Array(size);
  const logBase = geneMeans.map(Math.log);
  for (let c = 0; c < cells; c++) {
    const p = cellType[c];
    const s = step[c];
    let total = 0;
    for (let g = 0; g < genes; g++) {
      const i = p * genes + g;
      const m = Math.exp(logBase[g] + startLog[i] + s * Math.log(pathFactors[i]));
      cellMeans[c * genes + g] = m;
      total += m;
    }
    const scale = libSize[c] / total;
    for (let g = 0; g < genes; g++) cellMeans[c * genes + g] *= scale;
  }

  // 5. BCV = (bcvCommon + 1/sqrt(mu)) sqrt(df / chi2_g); true mean ~ Gamma(1/BCV^2, scale mu BCV^2)
  const bcvScale = new Float64Array(genes);
  withSource(ks[3], 2 * genes, (src) => {
    for (let g = 0; g < genes; g++) bcvScale[g] = Math.sqrt(o.bcvDf / sampleChiSquare(src, o.bcvDf));
  });
  const trueMeans = new Float64Array(size);
  withSource(ks[4], Math.min(1 << 20, 4 * size), (src) => {
    for (let c = 0; c < cells; c++) {
      for (let g = 0; g < genes; g++) {
        const i = c * genes + g;
        const mu = cellMeans[i];
        const bcv = (o.bcvCommon + 1 / Math.sqrt(mu)) * bcvScale[g];
        const shape = 1 / (bcv * bcv);
        trueMeans[i] = sampleStandardGamma(src, shape) * mu * bcv * bcv;
      }
    }
  });

  // 6. counts ~ Poisson(true mean)
  const counts = new Float64Array(size);
  withSource(ks[5], Math.min(1 << 20, 2 * size), (src) => {
    for (let i = 0; i < size; i++) counts[i] = samplePoisson(src, trueMeans[i]);
  });

  // 7. dropout: zero with probability 1 / (1 + exp(-shape (log trueMean - mid)))
  let dropped: Uint8Array | undefined;
  if (o.dropout) {
    const mask = new Uint8Array(size);
    withSource(ks[6], Math.min(1 << 20, size), (src) => {
      for (let i = 0; i < size; i++) {
        const prob = 1 / (1 + Math.exp(-o.dropoutShape * (Math.log(trueMeans[i]) - o.dropoutMid)));
        if (src.uniform() < prob) {
          mask[i] = 1;
          counts[i] = 0;
        }
      }
    });
    dropped = mask;
  } else {
    ks[6].dispose();
  }
  ks[7].dispose(); // reserved for later stages

  const sim: CountSimulation = {
    counts,
    cells,
    genes,
    geneNames: Array.from({ length: genes }, (_, g) => `gene${g + 1}`),
    cellType,
    typeNames: o.typeNames,
    pathFrom: [...pathFrom],
    pseudotime,
    libSize,
    geneMeans,
    isOutlier,
    pathFactors,
    bcvScale,
  };
  if (o.keepMeans) {
    sim.cellMeans = cellMeans;
    sim.trueMeans = trueMeans;
  }
  if (dropped) sim.dropped = dropped;
  return sim;
}

function withSource(key: JaxArray, block: number, body: (src: UniformSource) => void): void {
  const src = uniformSource(key, Math.max(1024, block));
  try {
    body(src);
  } finally {
    src.dispose();
  }
}

function medianOf(xs: Float64Array): number {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function cumulative(p: number[]): Float64Array {
  const total = p.reduce((a, b) => a + b, 0);
  const cum = new Float64Array(p.length);
  let acc = 0;
  for (let i = 0; i < p.length; i++) {
    acc += p[i] / total;
    cum[i] = acc;
  }
  return cum;
}

function checkOptions(opts: CountOptions) {
  const fn = "simulateCounts";
  const int = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1)
      throw new ValueError(`${fn}: ${name} must be a positive integer, but got ${describe(v)}`);
    return v;
  };
  const num = (name: string, v: number, ok: (x: number) => boolean, what: string) => {
    if (typeof v !== "number" || !Number.isFinite(v) || !ok(v))
      throw new ValueError(`${fn}: ${name} must be ${what}, but got ${describe(v)}`);
    return v;
  };
  const pos = (x: number) => x > 0;
  const nonneg = (x: number) => x >= 0;
  const prob = (x: number) => x >= 0 && x <= 1;
  const pathFrom = opts.pathFrom ?? DEFAULT_PATHS;
  if (!Array.isArray(pathFrom) || pathFrom.length === 0)
    throw new ValueError(`${fn}: pathFrom must be a non-empty array, but got ${describe(pathFrom)}`);
  pathFrom.forEach((q, p) => {
    if (!Number.isInteger(q) || q < -1 || q >= p)
      throw new ValueError(
        `${fn}: pathFrom[${p}] must be -1 (the origin) or an earlier path index 0..${p - 1}, but got ${describe(q)}`,
      );
  });
  const nPaths = pathFrom.length;
  const typeNames =
    opts.typeNames ??
    (opts.pathFrom === undefined ? DEFAULT_NAMES : Array.from({ length: nPaths }, (_, i) => `type${i + 1}`));
  if (
    !Array.isArray(typeNames) ||
    typeNames.length !== nPaths ||
    typeNames.some((s) => typeof s !== "string")
  )
    throw new ValueError(
      `${fn}: typeNames must be ${nPaths} strings (one per path), but got ${describe(typeNames)}`,
    );
  const typeProb = opts.typeProb ?? new Array(nPaths).fill(1 / nPaths);
  if (!Array.isArray(typeProb) || typeProb.length !== nPaths)
    throw new ValueError(
      `${fn}: typeProb must have ${nPaths} entries (one per path), but got ${describe(typeProb)}`,
    );
  for (let i = 0; i < nPaths; i++) num(`typeProb[${i}]`, typeProb[i], nonneg, "a non-negative number");
  if (Math.abs(typeProb.reduce((a, b) => a + b, 0) - 1) > 1e-9)
    throw new ValueError(`${fn}: typeProb must sum to 1, but got ${describe(typeProb)}`);
  return {
    cells: int("cells", opts.cells ?? 2000),
    genes: int("genes", opts.genes ?? 500),
    pathFrom,
    typeNames: [...typeNames],
    typeProb,
    meanShape: num("meanShape", opts.meanShape ?? 0.6, pos, "a positive number"),
    meanRate: num("meanRate", opts.meanRate ?? 0.3, pos, "a positive number"),
    outlierProb: num("outlierProb", opts.outlierProb ?? 0.05, prob, "a probability in [0, 1]"),
    outlierLoc: num("outlierLoc", opts.outlierLoc ?? 4, () => true, "a finite number"),
    outlierScale: num("outlierScale", opts.outlierScale ?? 0.5, nonneg, "a non-negative number"),
    deProb: num("deProb", opts.deProb ?? 0.2, prob, "a probability in [0, 1]"),
    deDownProb: num("deDownProb", opts.deDownProb ?? 0.5, prob, "a probability in [0, 1]"),
    deLoc: num("deLoc", opts.deLoc ?? 1, () => true, "a finite number"),
    deScale: num("deScale", opts.deScale ?? 0.4, nonneg, "a non-negative number"),
    libLoc: num("libLoc", opts.libLoc ?? 8, () => true, "a finite number"),
    libScale: num("libScale", opts.libScale ?? 0.2, nonneg, "a non-negative number"),
    bcvCommon: num("bcvCommon", opts.bcvCommon ?? 0.1, nonneg, "a non-negative number"),
    bcvDf: num("bcvDf", opts.bcvDf ?? 60, pos, "a positive number"),
    dropout: opts.dropout ?? false,
    dropoutMid: num("dropoutMid", opts.dropoutMid ?? 0, () => true, "a finite number"),
    dropoutShape: num("dropoutShape", opts.dropoutShape ?? -1, () => true, "a finite number"),
    keepMeans: opts.keepMeans ?? false,
  };
}
