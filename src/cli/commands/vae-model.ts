/**
 * The model side of `novelist vae`: a VAE's safetensors checkpoint (src/models/vae/checkpoint.ts) with
 * the names `vae train` keeps in its `extra` metadata (feature names, the label column and its values,
 * label counts, dropped columns, training settings), read back with defaults for other writers; labels
 * drawn by the stored counts; and the per-row ELBO and IWAE bounds of `vae score` (Kingma & Welling
 * 2014, eq. 10; Burda et al. 2016, eq. 8).
 */
import { FormatError } from "../../errors.js";
import { drawIndex, hostUniforms } from "../../host-random.js";
import { writeFileAtomic } from "../../io/node-files.js";
import { type Array, random, tree } from "../../jax.js";
import {
  elbo,
  iwaeLogLikelihood,
  loadVae,
  type ResolvedVaeConfig,
  saveVae,
  type VaeConfig,
  type VaeParams,
} from "../../models/vae/index.js";
import { readBytes } from "../files.js";
import { int32, matrix, toHost } from "./vae-data.js";

/** A checkpoint with the names `vae train` stores in its extras (defaults x1.., 0.. for other writers). */
export type Model = {
  config: ResolvedVaeConfig;
  params: VaeParams;
  featureNames: string[];
  labelColumn?: string;
  labels: string[];
  labelCounts?: number[];
  /** columns of the training CSV that were not features (--drop), skipped again when present */
  ignored: string[];
};

/** What `vae train` knows about its table, to store in the checkpoint's `extra`. */
export type ModelNames = {
  featureNames: string[];
  /** columns of the training CSV that were neither features nor the label (--drop) */
  ignoredColumns: string[];
  labelColumn?: string;
  /** the label column's distinct values, in label-index order */
  labels: string[];
  /** `[nLabels]` training rows per label */
  labelCounts: number[];
  /** the training settings and summary, kept for the record */
  training: Record<string, unknown>;
};

/** Write a trained VAE and its names to `out` atomically (read back by {@link loadModel}). */
export async function saveModel(
  out: string,
  params: VaeParams,
  config: VaeConfig,
  names: ModelNames,
): Promise<void> {
  const { featureNames, ignoredColumns, labelColumn, labels, labelCounts, training } = names;
  const extra: Record<string, unknown> = {
    featureNames,
    ignoredColumns,
    ...(labelColumn !== undefined ? { labelColumn, labels, labelCounts } : {}),
    training,
  };
  await writeFileAtomic(out, saveVae(params, config, extra));
}

/** Read the VAE checkpoint at `path` and its names; the caller owns (and disposes) `params`. */
export function loadModel(path: string): Model {
  const ck = loadVae(readBytes(path, "model"), { context: path });
  try {
    const { inputDim: D, nLabels: K } = ck.config;
    const extra = ck.extra ?? {};
    const strings = (v: unknown, len: number, what: string, fallback: (i: number) => string): string[] => {
      if (v === undefined) return globalThis.Array.from({ length: len }, (_, i) => fallback(i));
      if (!globalThis.Array.isArray(v) || v.length !== len || v.some((s) => typeof s !== "string"))
        throw new FormatError(
          `${path}: extra.${what} must be ${len} names, but got ${JSON.stringify(v).slice(0, 60)}`,
        );
      return v as string[];
    };
    const m: Model = {
      config: ck.config,
      params: ck.params,
      featureNames: strings(extra.featureNames, D, "featureNames", (i) => `x${i + 1}`),
      labels: strings(extra.labels, K, "labels", (i) => String(i)),
      ignored: globalThis.Array.isArray(extra.ignoredColumns) ? (extra.ignoredColumns as string[]) : [],
    };
    if (K > 0) m.labelColumn = typeof extra.labelColumn === "string" ? extra.labelColumn : "label";
    const counts = extra.labelCounts;
    if (
      globalThis.Array.isArray(counts) &&
      counts.length === K &&
      counts.every((c) => typeof c === "number" && c >= 0)
    )
      m.labelCounts = counts as number[];
    return m;
  } catch (e) {
    tree.dispose(ck.params);
    throw e;
  }
}

/** `[n]` labels drawn by the training frequencies stored in the checkpoint (uniform without them); consumes `key`. */
export function drawLabels(m: Model, key: Array, n: number): number[] {
  const counts = m.labelCounts ?? m.labels.map(() => 1);
  const total = counts.reduce((a, b) => a + b, 0);
  const probs = counts.map((c) => c / total);
  return [...hostUniforms(key, n)].map((u) => drawIndex(probs, u));
}

/**
 * Per-row lower bounds on log p(x) in nats for `data.n` rows `data.x` `[n, D]` (row-major): the ELBO
 * averaged over `K` draws of z and the IWAE bound with `K` importance samples (Burda et al. 2016, eq. 8).
 * Consumes `key` and the model's params.
 */
export async function rowBounds(
  m: Model,
  key: Array,
  data: { x: number[]; n: number },
  opts: { K: number; labels?: number[] | undefined },
): Promise<{ elboRows: number[]; iwaeRows: number[] }> {
  const { x, n } = data;
  const { K, labels } = opts;
  const D = m.featureNames.length;
  const ks = random.split(key, 2);
  const kElbo = ks.ref.slice(0);
  const kIwae = ks.slice(1);
  // 1. the ELBO with K draws per row, in chunks of about 2^20 values of K * rows * D
  const size = Math.min(n, Math.max(1, Math.floor(2 ** 20 / (K * D))));
  const chunks = Math.ceil(n / size);
  const keys = random.split(kElbo, chunks);
  const elboRows: number[] = [];
  for (let c = 0; c < chunks; c++) {
    const lo = c * size;
    const hi = Math.min(n, lo + size);
    const batch = {
      x: matrix(x.slice(lo * D, hi * D), hi - lo, D),
      ...(labels ? { labels: int32(labels.slice(lo, hi)) } : {}),
    };
    const parts = elbo(tree.ref(m.params), c < chunks - 1 ? keys.ref.slice(c) : keys.slice(c), batch, {
      config: m.config,
      nSamples: K,
    });
    tree.dispose([parts.recon, parts.kl]);
    elboRows.push(...(await toHost(parts.elbo)));
  }
  // 2. the IWAE bound with K importance samples
  const iw = iwaeLogLikelihood(m.params, kIwae, matrix(x, n, D), {
    config: m.config,
    K,
    ...(labels ? { labels: int32(labels) } : {}),
  });
  return { elboRows, iwaeRows: await toHost(iw) };
}
