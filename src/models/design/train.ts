/**
 * Training the design model: a fixed random train/held-out split of the labelled compositions, and
 * Adam with a cosine-decayed learning rate on the joint loss (`loss.ts`) through the shared `fit` loop
 * (shuffled fixed-size minibatches, one jitted step, NaN guard). Gómez-Bombarelli et al. (2018) train
 * the VAE and the property predictor jointly in the same way.
 */

import type { Composition } from "../../data/perovskites/index.js";
import { describe, ValueError } from "../../errors.js";
import { type Array, np, random, tree } from "../../jax.js";
import { type AdamState, adam } from "../../optim/adam.js";
import { warmupCosineSchedule } from "../../optim/schedules.js";
import { fit, type ProgressInfo } from "../../train/fit.js";
import { type DesignConfig, type ResolvedDesignConfig, resolveDesignConfig } from "./config.js";
import { type DesignBatch, makeDesignLoss, resolveLossOptions } from "./loss.js";
import { checkCompositions, type DesignParams, designInit } from "./networks.js";

/** A composition with its ground-truth label (e.g. a `PerovskiteRow`: `perovskite` is τ < 4.18). */
export type LabelledComposition = Composition & { perovskite: boolean };

/** Options of `splitCompositions`: the fraction of rows that train (default 0.8). */
export type SplitOptions = { trainFraction?: number };

/**
 * Split `rows` at random into `train` (`round(trainFraction · n)` rows) and `heldOut`, each kept in the
 * input order; the same key gives the same split. Consumes `key`.
 */
export function splitCompositions<R extends Composition>(
  key: Array,
  rows: readonly R[],
  opts: SplitOptions = {},
): { train: R[]; heldOut: R[] } {
  const f = opts.trainFraction ?? 0.8;
  if (!globalThis.Array.isArray(rows) || rows.length < 2) {
    key.dispose();
    throw new ValueError(
      `splitCompositions: rows must list at least 2 compositions, but got ${describe(rows)}`,
    );
  }
  if (typeof f !== "number" || !(f > 0 && f < 1)) {
    key.dispose();
    throw new ValueError(`splitCompositions: trainFraction must be in (0, 1), but got ${describe(f)}`);
  }
  const n = rows.length;
  const nTrain = Math.min(n - 1, Math.max(1, Math.round(f * n)));
  const perm = random.permutation(key, n).dataSync() as Int32Array;
  const inTrain = new Uint8Array(n);
  for (let i = 0; i < nTrain; i++) inTrain[perm[i]] = 1;
  return { train: rows.filter((_, i) => inTrain[i] === 1), heldOut: rows.filter((_, i) => inTrain[i] === 0) };
}

/** Options of `trainDesignModel`. */
export type TrainDesignOptions = {
  /** architecture (defaults in `DEFAULT_DESIGN_CONFIG`) */
  config?: DesignConfig;
  /** training steps (default 1500) */
  steps?: number;
  /** rows per step (default 128, at most the number of rows) */
  batchSize?: number;
  /** peak Adam learning rate, decayed by a cosine to a tenth (default 0.01) */
  lr?: number;
  /** KL weight β (default 0.3: β = 1 collapses most of the posterior at this training length) */
  beta?: number;
  /** property-loss weight λ (default 1) */
  lambda?: number;
  /** called after every step with the loss and its parts (`aux.recon`, `aux.kl`, `aux.property`) */
  onProgress?: (info: ProgressInfo) => void;
};

/** Per-step training curves, nats (batch means at the incoming params). */
export type DesignHistory = { loss: number[]; recon: number[]; kl: number[]; property: number[] };

/** A trained design model: params (the caller owns and disposes them), the resolved config and curves. */
export type TrainedDesignModel = {
  params: DesignParams;
  config: ResolvedDesignConfig;
  history: DesignHistory;
};

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new ValueError(`trainDesignModel: ${name} must be a positive integer, but got ${describe(v)}`);
  return v;
}

/** Train a design model on labelled compositions `rows` from `key` (consumed). */
export async function trainDesignModel(
  key: Array,
  rows: readonly LabelledComposition[],
  opts: TrainDesignOptions = {},
): Promise<TrainedDesignModel> {
  // 1. check everything before touching arrays
  let config: ResolvedDesignConfig;
  let steps: number;
  let batchSize: number;
  let lr: number;
  let weights: ReturnType<typeof resolveLossOptions>;
  try {
    config = resolveDesignConfig(opts.config ?? {}, "trainDesignModel");
    checkCompositions("trainDesignModel", rows, "rows");
    rows.forEach((r, i) => {
      if (typeof r.perovskite !== "boolean")
        throw new ValueError(
          `trainDesignModel: rows[${i}].perovskite must be true or false, but got ${describe(r.perovskite)}`,
        );
    });
    steps = positiveInt("steps", opts.steps ?? 1500);
    batchSize = Math.min(positiveInt("batchSize", opts.batchSize ?? 128), rows.length);
    lr = opts.lr ?? 0.01;
    if (typeof lr !== "number" || !(lr > 0) || !Number.isFinite(lr))
      throw new ValueError(`trainDesignModel: lr must be a finite number > 0, but got ${describe(lr)}`);
    weights = resolveLossOptions({ beta: opts.beta ?? 0.3, lambda: opts.lambda }, "trainDesignModel");
  } catch (e) {
    key.dispose();
    throw e;
  }
  // 2. data as arrays, params, and Adam with cosine decay
  const col = (s: "a" | "b" | "x") =>
    np.array(
      Int32Array.from(rows, (r) => r[s]),
      { dtype: np.int32 },
    );
  const data: DesignBatch = {
    a: col("a"),
    b: col("b"),
    x: col("x"),
    y: np.array(Float32Array.from(rows, (r) => (r.perovskite ? 1 : 0))),
  };
  const ks = random.split(key, 2);
  const params = designInit(ks.ref.slice(0), config);
  const optimizer = adam({
    lr: warmupCosineSchedule({ peakValue: lr, warmupSteps: 0, decaySteps: steps, endValue: lr / 10 }),
  });
  // 3. the shared loop
  const history: DesignHistory = { loss: [], recon: [], kl: [], property: [] };
  const result = await fit<DesignParams, AdamState, DesignBatch>({
    loss: makeDesignLoss(weights),
    optimizer,
    params,
    data,
    batchSize,
    steps,
    key: ks.slice(1),
    onProgress: (info) => {
      const aux = info.aux as { recon: number; kl: number; property: number };
      history.loss.push(info.loss);
      history.recon.push(aux.recon);
      history.kl.push(aux.kl);
      history.property.push(aux.property);
      opts.onProgress?.(info);
    },
  });
  tree.dispose(result.optState);
  return { params: result.params, config, history };
}
