/**
 * Training a VAE with the shared `fit` loop: Adam (Kingma & Ba 2015) on the negative β-ELBO per
 * example, shuffled fixed-size minibatches, optional validation ELBO with early stopping, a progress
 * callback and the NaN guard. The KL weight β warms up linearly from 0 over `klWarmupSteps` steps
 * (Bowman et al. 2016, sec. 3.1; scvi-tools `n_steps_kl_warmup`: β_t = β · min(1, t / N), t the number
 * of completed updates). β travels through the jitted step as a 0-d array in the training state, set by
 * the optimizer after each update, so the step compiles once. For count likelihoods the training
 * mean and variance of log library size are stored in `params.library` (for `sample`).
 */
import { describe, ValueError } from "../../errors.js";
import { type Array, type JsTree, lax, np, random, tree } from "../../jax.js";
import { type AdamState, adam } from "../../optim/adam.js";
import type { Optimizer, Params } from "../../optim/optimizer.js";
import { fit, NonFiniteLossError, type ProgressInfo } from "../../train/fit.js";
import { checkLabels, checkX, positiveInt } from "./checks.js";
import { cachedJit } from "./compiled.js";
import {
  isCountLikelihood,
  type ResolvedVaeConfig,
  resolveVaeConfig,
  type VaeConfig,
  vaeDtype,
} from "./config.js";
import { type ElboParts, elboTerms, type VaeBatch } from "./elbo.js";
import { type LibraryStats, splitLibrary, type VaeParams, type VaeTrainable, withLibrary } from "./params.js";

/** Training (or validation) data: `x: [n, D]`, `labels: [n]` int32 for conditional models. */
export type VaeTrainData = VaeBatch;

/** What `onProgress` receives after each step; nats per example. */
export type VaeProgress = {
  step: number;
  totalSteps: number;
  epoch: number;
  /** the minimised loss: -(recon - beta * kl), this step's batch, at the incoming params */
  loss: number;
  recon: number;
  kl: number;
  /** the KL weight used by this step */
  beta: number;
  /** mean validation ELBO (beta = 1), on evaluation steps */
  validElbo?: number;
};

/** Options of `trainVae`; give exactly one of `steps` and `epochs`. Arrays given here are consumed. */
export type TrainVaeOptions = {
  config: VaeConfig;
  steps?: number;
  epochs?: number;
  /** rows per step (default min(128, n)) */
  batchSize?: number;
  /** Adam learning rate (default 1e-3, scvi-tools' default) */
  lr?: number;
  /** final KL weight (default 1) */
  beta?: number;
  /** linear KL warm-up steps from beta = 0 (default 0: no warm-up) */
  klWarmupSteps?: number;
  /** z draws per example in the ELBO estimate (default 1) */
  nSamples?: number;
  /** validation data; the ELBO on it is `evals[i].metric` */
  valid?: VaeTrainData;
  /** evaluate every this many steps and after the last (default: once, after the last, when `valid` is given) */
  evalEvery?: number;
  /** stop after this many evaluations without improvement of the validation ELBO, keeping the best params */
  patience?: number;
  /** rows per validation pass (default batchSize) */
  evalBatchSize?: number;
  /** Adam state to resume from (its step count also continues the warm-up) */
  optState?: AdamState;
  onProgress?: (p: VaeProgress) => void;
};

/** What `trainVae` returns; the caller owns `params` and `optState`. Losses and ELBOs in nats per example. */
export type TrainVaeResult = {
  params: VaeParams;
  optState: AdamState;
  steps: number;
  stopped: "completed" | "early-stopping";
  /** the loss (negative β-ELBO) of each step */
  losses: number[];
  /** mean validation ELBO at each evaluation */
  evals: { step: number; metric: number }[];
  best?: { step: number; metric: number };
};

type TrainState = { model: VaeTrainable; beta: Array };

/** Mean and (population) variance of log Σ_d x_d over rows with a positive sum (scvi-tools `_init_library_size`). */
export function libraryStats(
  rows: ArrayLike<number>,
  n: number,
  d: number,
): { logMean: number; logVar: number } {
  const logs: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += rows[i * d + j];
    if (s > 0) logs.push(Math.log(s));
  }
  if (logs.length === 0) return { logMean: 0, logVar: 0 };
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const v = logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length;
  return { logMean: mean, logVar: v };
}

/** β_t = beta · min(1, t / warmup) for t completed updates (beta when warmup = 0); `t` float scalar, consumed. */
function betaAt(t: Array, beta: number, warmup: number): Array {
  if (warmup === 0) {
    t.dispose();
    return np.array(beta, { dtype: np.float32 });
  }
  return np.minimum(t.div(warmup), 1).mul(beta);
}

/** Adam on `state.model`; after each update sets `state.beta` from Adam's step count (inside the jitted step). */
function betaScheduledAdam(lr: number, beta: number, warmup: number): Optimizer<AdamState> {
  const inner = adam({ lr });
  return {
    init<P extends Params>(params: P): AdamState {
      const s = params as unknown as TrainState;
      s.beta.dispose();
      return inner.init(s.model);
    },
    update<P extends Params>(grads: P, state: AdamState, params: P): [P, AdamState] {
      const g = grads as unknown as TrainState;
      const p = params as unknown as TrainState;
      tree.dispose([g.beta, p.beta]);
      const [model, s] = inner.update(g.model, state, p.model);
      const next = betaAt(s.count.ref.astype(np.float32), beta, warmup);
      return [{ model, beta: next } as unknown as P, s];
    },
  };
}

function nonNegativeNumber(name: string, v: unknown): number {
  if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v))
    throw new ValueError(`trainVae: ${name} must be a finite number >= 0, but got ${describe(v)}`);
  return v;
}

/** Mean ELBO (β = 1) of `chunks` with the jitted bound; consumes `model`, not the chunks or the key. */
function validationElbo(
  cfg: ResolvedVaeConfig,
  model: VaeTrainable,
  key: Array,
  chunks: VaeBatch[],
  nSamples: number,
): number {
  const f = cachedJit(
    "elbo",
    cfg,
    String(nSamples),
    () => (p: VaeParams, k: Array, b: VaeBatch, be: Array) => elboTerms(cfg, p, k, b, be, nSamples),
  );
  const keys = random.split(key.ref, chunks.length);
  let total = 0;
  let rows = 0;
  chunks.forEach((c, i) => {
    const last = i === chunks.length - 1;
    const out: ElboParts = f(
      last ? model : tree.ref(model),
      last ? keys.slice(i) : keys.ref.slice(i),
      tree.ref(c),
      np.array(1, { dtype: vaeDtype(cfg) }),
    );
    tree.dispose([out.recon, out.kl]);
    total += out.elbo.sum().item() as number;
    rows += c.x.shape[0];
  });
  return total / rows;
}

/**
 * Train `params` (consumed) on `data` (consumed) from `key` (consumed) with Adam on the negative β-ELBO;
 * resolves to the trained params (library statistics set from `data.x` for count likelihoods).
 */
export async function trainVae(
  params: VaeParams,
  key: Array,
  data: VaeTrainData,
  opts: TrainVaeOptions,
): Promise<TrainVaeResult> {
  const owned = [params, key, data, opts?.valid, opts?.optState];
  let cfg: ResolvedVaeConfig;
  let n: number;
  let s: { batchSize: number; lr: number; beta: number; warmup: number; nSamples: number };
  try {
    // 1. config, options and data, checked before any array is touched
    cfg = resolveVaeConfig(opts?.config, "trainVae");
    n = checkX("trainVae", "data.x", data?.x, cfg);
    checkLabels("trainVae", "data.labels", data.labels, n, cfg);
    if (opts.valid !== undefined) {
      const m = checkX("trainVae", "valid.x", opts.valid.x, cfg);
      checkLabels("trainVae", "valid.labels", opts.valid.labels, m, cfg);
    }
    if ((opts.evalEvery !== undefined || opts.patience !== undefined) && opts.valid === undefined)
      throw new ValueError("trainVae: evalEvery and patience need valid data");
    if (opts.patience !== undefined) positiveInt("trainVae", "patience", opts.patience);
    if (opts.evalEvery !== undefined) positiveInt("trainVae", "evalEvery", opts.evalEvery);
    if ((opts.steps === undefined) === (opts.epochs === undefined))
      throw new ValueError(
        `trainVae: give exactly one of steps and epochs, but got steps ${describe(opts.steps)} and epochs ${describe(opts.epochs)}`,
      );
    if (opts.steps !== undefined) positiveInt("trainVae", "steps", opts.steps);
    else positiveInt("trainVae", "epochs", opts.epochs);
    if (opts.evalBatchSize !== undefined) positiveInt("trainVae", "evalBatchSize", opts.evalBatchSize);
    const batchSize = positiveInt("trainVae", "batchSize", opts.batchSize ?? Math.min(128, n));
    if (batchSize > n)
      throw new ValueError(
        `trainVae: batchSize must be at most the number of rows (${n}), but got ${batchSize}`,
      );
    const lr = opts.lr ?? 1e-3;
    if (!(lr > 0) || !Number.isFinite(lr))
      throw new ValueError(`trainVae: lr must be a finite number > 0, but got ${describe(lr)}`);
    const warmup = opts.klWarmupSteps ?? 0;
    if (!Number.isInteger(warmup) || warmup < 0)
      throw new ValueError(`trainVae: klWarmupSteps must be an integer >= 0, but got ${describe(warmup)}`);
    s = {
      batchSize,
      lr,
      beta: nonNegativeNumber("beta", opts.beta ?? 1),
      warmup,
      nSamples: positiveInt("trainVae", "nSamples", opts.nSamples ?? 1),
    };
  } catch (e) {
    for (const o of owned) if (o !== undefined) tree.dispose(o as JsTree<Array>);
    throw e;
  }
  const dt = vaeDtype(cfg);
  // 2. library statistics of the training rows (count likelihoods)
  const [model, oldLibrary] = splitLibrary(params);
  if (oldLibrary) tree.dispose(oldLibrary);
  let library: LibraryStats | undefined;
  if (isCountLikelihood(cfg.likelihood)) {
    const st = libraryStats(data.x.ref.dataSync() as ArrayLike<number>, n, cfg.inputDim);
    library = { logMean: np.array(st.logMean, { dtype: dt }), logVar: np.array(st.logVar, { dtype: dt }) };
  }
  // 3. validation chunks and their fixed key (the same draws at every evaluation)
  const ks = random.split(key, 2);
  const evalKey = ks.ref.slice(0);
  const fitKey = ks.slice(1);
  const valid = opts.valid;
  const chunks: VaeBatch[] = [];
  if (valid !== undefined) {
    const m = valid.x.shape[0];
    const size = Math.min(m, opts.evalBatchSize ?? s.batchSize);
    for (let lo = 0; lo < m; lo += size) {
      const hi = Math.min(m, lo + size);
      const c: VaeBatch = { x: valid.x.ref.slice([lo, hi]) };
      if (valid.labels !== undefined) c.labels = valid.labels.ref.slice([lo, hi]);
      chunks.push(c);
    }
    tree.dispose(valid);
  }
  // 4. the loss: negative β-ELBO per example, β read from the training state
  const loss = (state: TrainState, k: Array, batch: VaeBatch): [Array, JsTree<Array>] => {
    const b = lax.stopGradient(state.beta);
    const parts = elboTerms(cfg, state.model, k, batch, b.ref, s.nSamples);
    const aux = { recon: parts.recon.mean(), kl: parts.kl.mean(), beta: b };
    return [parts.elbo.mean().neg(), aux];
  };
  const count0 = opts.optState ? (opts.optState.count.ref.item() as number) : 0;
  const state: TrainState = {
    model,
    beta: betaAt(np.array(count0, { dtype: np.float32 }), s.beta, s.warmup),
  };
  const batch: VaeBatch = data.labels === undefined ? { x: data.x } : { x: data.x, labels: data.labels };
  const evalEvery = valid === undefined ? undefined : (opts.evalEvery ?? Number.MAX_SAFE_INTEGER);
  const onProgress = opts.onProgress;
  // 5. the shared loop
  try {
    const r = await fit<TrainState, AdamState, VaeBatch>({
      loss,
      optimizer: betaScheduledAdam(s.lr, s.beta, s.warmup),
      params: state,
      optState: opts.optState,
      data: batch,
      batchSize: s.batchSize,
      ...(opts.steps !== undefined ? { steps: opts.steps } : { epochs: opts.epochs }),
      key: fitKey,
      evalEvery,
      evalFn:
        valid === undefined
          ? undefined
          : (p: TrainState) => {
              p.beta.dispose();
              return validationElbo(cfg, p.model, evalKey, chunks, s.nSamples);
            },
      earlyStopping:
        opts.patience === undefined ? undefined : { patience: opts.patience, mode: "max", restoreBest: true },
      onProgress:
        onProgress &&
        ((i: ProgressInfo) => {
          const aux = i.aux as { recon: number; kl: number; beta: number };
          const info: VaeProgress = {
            step: i.step,
            totalSteps: i.totalSteps,
            epoch: i.epoch,
            loss: i.loss,
            recon: aux.recon,
            kl: aux.kl,
            beta: aux.beta,
          };
          if (i.evalMetric !== undefined) info.validElbo = i.evalMetric;
          onProgress(info);
        }),
    });
    r.params.beta.dispose();
    return {
      params: withLibrary(r.params.model, library),
      optState: r.optState,
      steps: r.steps,
      stopped: r.stopped,
      losses: r.losses,
      evals: r.evals,
      ...(r.best ? { best: r.best } : {}),
    };
  } catch (e) {
    if (e instanceof NonFiniteLossError) {
      const bad = e.params as TrainState;
      bad.beta.dispose();
      throw new NonFiniteLossError(e.step, e.loss, withLibrary(bad.model, library), e.optState);
    }
    if (library) tree.dispose(library);
    throw e;
  } finally {
    evalKey.dispose();
    tree.dispose(chunks);
  }
}
