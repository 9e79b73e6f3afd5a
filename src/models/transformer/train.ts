/**
 * Training a transformer with the shared `fit` loop: AdamW (Loshchilov & Hutter 2019) with linear
 * warm-up and cosine decay of the learning rate, global-norm gradient clipping (Pascanu et al. 2013),
 * shuffled fixed-shape minibatches, held-out loss every `evalEvery` steps with early stopping, a progress
 * callback, and the NaN guard. Defaults follow nanoGPT's small character model (lr 1e-3 decaying to
 * 1e-4, clip 1, weight decay 0.1, betas 0.9/0.99).
 */
import { describe, ValueError } from "../../errors.js";
import { type Array, tree } from "../../jax.js";
import { type AdamState, adamw } from "../../optim/adam.js";
import { clipByGlobalNorm } from "../../optim/clip.js";
import { chain, type Optimizer } from "../../optim/optimizer.js";
import { warmupCosineSchedule } from "../../optim/schedules.js";
import { type FitResult, fit, type ProgressInfo } from "../../train/fit.js";
import { toTokenBatch, type Windows } from "./batches.js";
import type { Compiled } from "./compiled.js";
import { makeLoss, type TokenBatch } from "./loss.js";
import type { TransformerParams } from "./model.js";
import { evalLoss } from "./score.js";

/** Training data: windows from `sequenceWindows`/`streamWindows`; `valid` enables evaluation. */
export type TrainData = { train: Windows; valid?: Windows };

/** Options of `train`. Give `steps` or `epochs` (an epoch is `floor(rows / batchSize)` steps). */
export type TrainOptions = {
  steps?: number;
  epochs?: number;
  /** rows per step (default 32) */
  batchSize?: number;
  /** peak learning rate (default 1e-3) */
  lr?: number;
  /** final learning rate (default lr / 10) */
  endLr?: number;
  /** linear warm-up steps from 0 (default min(100, 10% of the steps)) */
  warmupSteps?: number;
  /** AdamW decoupled weight decay, on every param (default 0.1) */
  weightDecay?: number;
  /** AdamW b2 (default 0.99) */
  b2?: number;
  /** global gradient-norm clip (default 1) */
  clipNorm?: number;
  /** evaluate the held-out loss every this many steps (and after the last); needs `data.valid` */
  evalEvery?: number;
  /** stop after this many evaluations without improvement (restoring the best params) */
  patience?: number;
  /** rows per evaluation pass (default batchSize) */
  evalBatchSize?: number;
  /** AdamW state to resume from (consumed) */
  optState?: AdamState;
  /** called after every step; `evalMetric` is the held-out loss in nats per token */
  onProgress?: (info: ProgressInfo) => void;
};

/** What `train` returns: `fit`'s result (the caller owns `params` and `optState`). */
export type TrainResult = FitResult<TransformerParams, AdamState>;

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new ValueError(`train: ${name} must be a positive integer, but got ${describe(v)}`);
  return v;
}

/**
 * The optimizer `train` uses: global-norm clipping, then AdamW whose learning rate warms up linearly
 * over `warmupSteps` to `opts.lr` and decays by a cosine to `opts.endLr` at `totalSteps`.
 */
export function trainOptimizer(
  opts: Pick<TrainOptions, "lr" | "endLr" | "weightDecay" | "b2" | "clipNorm">,
  totalSteps: number,
  warmupSteps: number,
): Optimizer<AdamState> {
  const lr = opts.lr ?? 1e-3;
  const schedule = warmupCosineSchedule({
    peakValue: lr,
    warmupSteps,
    decaySteps: Math.max(totalSteps, warmupSteps + 1),
    endValue: opts.endLr ?? lr / 10,
  });
  return chain(
    clipByGlobalNorm(opts.clipNorm ?? 1),
    adamw({ lr: schedule, b1: 0.9, b2: opts.b2 ?? 0.99, weightDecay: opts.weightDecay ?? 0.1 }),
  );
}

/** Train `params` (consumed) on `data` from `key` (consumed); resolves to the trained params. */
export async function trainModel(
  compiled: Compiled,
  params: TransformerParams,
  key: Array,
  data: TrainData,
  opts: TrainOptions,
): Promise<TrainResult> {
  const config = compiled.config;
  let batchSize: number;
  let totalSteps: number;
  let warmupSteps: number;
  const lr = opts.lr ?? 1e-3;
  try {
    // 1. check the options and the data before touching arrays
    batchSize = positiveInt("batchSize", opts.batchSize ?? 32);
    if (!data?.train || typeof data.train.rows !== "number")
      throw new ValueError("train: data.train must be windows from sequenceWindows or streamWindows");
    if (data.train.T > config.contextLength)
      throw new ValueError(
        `train: data windows must have T <= contextLength (${config.contextLength}), but got T = ${data.train.T}`,
      );
    if (batchSize > data.train.rows)
      throw new ValueError(
        `train: batchSize must be at most the number of training windows (${data.train.rows}), but got ${batchSize}`,
      );
    if ((opts.steps === undefined) === (opts.epochs === undefined))
      throw new ValueError("train: give exactly one of steps and epochs");
    totalSteps =
      opts.steps !== undefined
        ? positiveInt("steps", opts.steps)
        : positiveInt("epochs", opts.epochs) * Math.floor(data.train.rows / batchSize);
    warmupSteps = opts.warmupSteps ?? Math.min(100, Math.floor(totalSteps / 10));
    if (!Number.isInteger(warmupSteps) || warmupSteps < 0 || warmupSteps >= Math.max(totalSteps, 1))
      throw new ValueError(
        `train: warmupSteps must be an integer in [0, ${totalSteps}), but got ${describe(warmupSteps)}`,
      );
    if (!(lr > 0) || !Number.isFinite(lr))
      throw new ValueError(`train: lr must be a finite number > 0, but got ${describe(lr)}`);
    if ((opts.evalEvery !== undefined || opts.patience !== undefined) && data.valid === undefined)
      throw new ValueError("train: evalEvery and patience need data.valid");
    if (opts.patience !== undefined && opts.evalEvery === undefined)
      throw new ValueError("train: patience needs evalEvery");
  } catch (e) {
    tree.dispose([params, key]);
    if (opts.optState) tree.dispose(opts.optState);
    throw e;
  }
  // 2. AdamW with warm-up + cosine decay, after clipping
  const optimizer = trainOptimizer(opts, totalSteps, warmupSteps);
  const valid = data.valid;
  const evalBatchSize = opts.evalBatchSize ?? batchSize;
  // 3. the shared loop
  return fit<TransformerParams, AdamState, TokenBatch>({
    loss: makeLoss(config),
    optimizer,
    params,
    optState: opts.optState,
    data: toTokenBatch(data.train),
    batchSize,
    steps: totalSteps,
    key,
    evalEvery: valid && opts.evalEvery,
    evalFn: valid && ((p) => evalLoss(compiled, p, valid, { batchSize: evalBatchSize })),
    earlyStopping: opts.patience === undefined ? undefined : { patience: opts.patience },
    onProgress: opts.onProgress,
  });
}
