/**
 * The training loop: fixed-size shuffled minibatches (a new key per epoch, the last partial batch
 * dropped so that the step compiles once), evaluation every N steps, early stopping on a validation
 * metric, a progress callback, and a NaN/Inf guard. The loop prints nothing; it syncs once per step
 * (`await loss.data()`), which keeps memory flat (JAXJS.md, "Sync every step") and works in browsers.
 * Reference: Keras `Model.fit` / `EarlyStopping` (patience, min_delta, mode, restore_best_weights).
 */
import { describe, NumericalError, ValueError } from "../errors.js";
import { type Array, type JsTree, jit, np, random, tree } from "../jax.js";
import type { Optimizer, Params } from "../optim/optimizer.js";
import { type Batch, type LossFn, trainStepBody } from "./train-step.js";

/** What `onProgress` receives after every step (`step` counts completed steps, from 1). */
export type ProgressInfo = {
  step: number;
  totalSteps: number;
  /** epoch of this step, from 1 */
  epoch: number;
  /** loss of this step's batch at the incoming params */
  loss: number;
  /** the loss function's aux outputs, as numbers */
  aux?: JsTree<number>;
  /** the evaluation metric, on steps where it was computed */
  evalMetric?: number;
};

/** Early stopping: stop after `patience` evaluations without an improvement larger than `minDelta`. */
export type EarlyStopping = {
  patience: number;
  /** smallest change that counts as an improvement (default 0) */
  minDelta?: number;
  /** "min" (default: a loss) or "max" (an accuracy) */
  mode?: "min" | "max";
  /** return the params of the best evaluation rather than the last, whether or not training stopped early (default true) */
  restoreBest?: boolean;
};

/** Options of `fit`. Arrays given here are consumed (pass `tree.ref(x)` to keep them). */
export type FitOptions<P extends Params, S extends JsTree<Array>, B extends Batch> = {
  loss: LossFn<P, B>;
  optimizer: Optimizer<S>;
  params: P;
  /** optimizer state to resume from (default `optimizer.init(params)`) */
  optState?: S;
  /** training data: a pytree of arrays sharing a leading axis `[n, ...]`; batches have the same structure */
  data: B;
  batchSize: number;
  /** give exactly one of `epochs` and `steps` */
  epochs?: number;
  steps?: number;
  /** consumed; split into a permutation key and per-step keys for each epoch */
  key: Array;
  /** shuffle rows each epoch (default true) */
  shuffle?: boolean;
  /** evaluate every this many steps, and after the last step */
  evalEvery?: number;
  /** validation metric of params (consumed), e.g. validation loss in nats */
  evalFn?: (params: P) => number | Promise<number>;
  earlyStopping?: EarlyStopping;
  onProgress?: (info: ProgressInfo) => void;
};

/** What `fit` returns; the caller owns (and eventually disposes) `params` and `optState`. */
export type FitResult<P extends Params, S extends JsTree<Array>> = {
  params: P;
  optState: S;
  /** steps run */
  steps: number;
  stopped: "completed" | "early-stopping";
  /** loss per step */
  losses: number[];
  evals: { step: number; metric: number }[];
  best?: { step: number; metric: number };
};

/**
 * Thrown by `fit` when step `step`'s loss or gradient is NaN or infinite. `params` and `optState` are
 * the last good ones: those at which the previous step measured a finite loss and gradient (the
 * initial ones when the first step fails). The caller owns them (save a checkpoint, then dispose).
 */
export class NonFiniteLossError<
  P extends Params = Params,
  S extends JsTree<Array> = JsTree<Array>,
> extends NumericalError {
  override name = "NonFiniteLossError";
  constructor(
    readonly step: number,
    readonly loss: number,
    readonly params: P,
    readonly optState: S,
  ) {
    super(
      step > 1
        ? `fit: loss or gradient is not finite at step ${step} (loss ${loss}); kept the parameters of step ${step - 1}, the last with a finite loss and gradient`
        : `fit: loss or gradient is not finite at step 1 (loss ${loss}); kept the initial parameters`,
    );
  }
}

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new ValueError(`fit: ${name} must be a positive integer, but got ${describe(v)}`);
  return v;
}

async function toNumbers(x: JsTree<Array>): Promise<JsTree<number>> {
  const [leaves, def] = tree.flatten(x);
  const bad = leaves.find((a) => a.size !== 1);
  if (bad !== undefined) {
    const shape = bad.shape;
    tree.dispose(leaves);
    throw new ValueError(
      `fit: the loss's aux outputs must be scalars, but one has shape [${shape.join(", ")}]`,
    );
  }
  const values: number[] = [];
  for (const a of leaves) values.push((await a.data())[0] as number);
  return tree.unflatten(def, values) as JsTree<number>;
}

/** Train `params` on minibatches of `data`; see `FitOptions`. Throws `NonFiniteLossError` on NaN/Inf. */
export async function fit<P extends Params, S extends JsTree<Array>, B extends Batch>(
  opts: FitOptions<P, S, B>,
): Promise<FitResult<P, S>> {
  // 1. check the configuration before touching any array
  const batchSize = positiveInt("batchSize", opts.batchSize);
  if ((opts.epochs === undefined) === (opts.steps === undefined))
    throw new ValueError(
      `fit: give exactly one of epochs and steps, but got epochs ${describe(opts.epochs)} and steps ${describe(opts.steps)}`,
    );
  const leaves = tree.leaves(opts.data);
  if (leaves.length === 0 || leaves.some((a) => a.ndim < 1))
    throw new ValueError("fit: data must be a pytree of arrays with a leading batch axis [n, ...]");
  const n = leaves[0].shape[0];
  if (leaves.some((a) => a.shape[0] !== n))
    throw new ValueError(
      `fit: data arrays must share their first dimension, but got ${describe(leaves.map((a) => a.shape[0]))}`,
    );
  if (batchSize > n)
    throw new ValueError(`fit: batchSize must be at most the number of rows (${n}), but got ${batchSize}`);
  const perEpoch = Math.floor(n / batchSize);
  const totalSteps =
    opts.steps !== undefined
      ? positiveInt("steps", opts.steps)
      : positiveInt("epochs", opts.epochs) * perEpoch;
  const evalEvery = opts.evalEvery === undefined ? undefined : positiveInt("evalEvery", opts.evalEvery);
  const es = opts.earlyStopping;
  if (es !== undefined && (opts.evalFn === undefined || evalEvery === undefined))
    throw new ValueError("fit: earlyStopping needs evalFn and evalEvery");
  if (es !== undefined && (!Number.isInteger(es.patience) || es.patience < 1))
    throw new ValueError(
      `fit: earlyStopping.patience must be a positive integer, but got ${describe(es.patience)}`,
    );
  const sign = es?.mode === "max" ? -1 : 1; // compare sign * metric, lower is better
  const minDelta = es?.minDelta ?? 0;
  const restoreBest = es?.restoreBest ?? true;

  // 2. one jitted function: gather the batch rows, then the train step
  const body = trainStepBody(opts.loss, opts.optimizer);
  const step = jit((p: P, s: S, k: Array, data: B, idx: Array) => {
    const batch = tree.map((x: Array) => np.take(x, idx.ref, 0), data) as B;
    idx.dispose();
    return body(p, s, k, batch);
  }) as unknown as ((p: P, s: S, k: Array, data: B, idx: Array) => ReturnType<typeof body>) & {
    dispose(): void;
  };

  let params = opts.params;
  let optState = opts.optState ?? opts.optimizer.init(tree.ref(params));
  const data = opts.data;
  let key = opts.key;
  const losses: number[] = [];
  const evals: { step: number; metric: number }[] = [];
  let best: { step: number; metric: number; params?: P } | undefined;
  let sinceBest = 0;
  let stopped: FitResult<P, S>["stopped"] = "completed";
  let done = 0;
  let epochRes: { order: Array; keys: Array } | undefined;
  let good: { p: P; s: S } | undefined;
  const cleanup = () => {
    step.dispose();
    if (good) tree.dispose([good.p, good.s]);
    tree.dispose([data, key]);
    if (epochRes) tree.dispose([epochRes.order, epochRes.keys]);
    if (best?.params) tree.dispose(best.params);
  };

  try {
    for (let epoch = 1; done < totalSteps; epoch++) {
      // 3. a new key per epoch: permutation of the rows and one key per step
      const ks = random.split(key, 3);
      key = ks.ref.slice(0);
      const permKey = ks.ref.slice(1);
      const stepKeyBase = ks.slice(2);
      let order: Array;
      if (opts.shuffle === false) {
        permKey.dispose();
        order = np.arange(n, undefined, undefined, { dtype: np.int32 });
      } else order = random.permutation(permKey, n);
      epochRes = { order, keys: random.split(stepKeyBase, perEpoch) };
      for (let b = 0; b < perEpoch && done < totalSteps; b++) {
        const idx = epochRes.order.ref.slice([b * batchSize, (b + 1) * batchSize]);
        const k = epochRes.keys.ref.slice(b);
        // 4. NaN guard: `inP/inS` are this step's incoming state, `good` the last state whose loss and
        //    gradient were finite (refcounts, not copies; at most three generations alive)
        const inP = tree.ref(params);
        const inS = tree.ref(optState);
        const [p2, s2, lossArr, auxArr] = step(params, optState, k, tree.ref(data), idx);
        params = p2;
        optState = s2;
        const loss = (await lossArr.data())[0] as number;
        done++;
        if (!Number.isFinite(loss)) {
          tree.dispose([params, optState, auxArr]);
          const keep = good ?? { p: inP, s: inS };
          if (good) tree.dispose([inP, inS]);
          good = undefined;
          params = keep.p;
          optState = keep.s;
          throw new NonFiniteLossError(done, loss, keep.p, keep.s);
        }
        if (good) tree.dispose([good.p, good.s]);
        good = { p: inP, s: inS };
        losses.push(loss);
        const info: ProgressInfo = { step: done, totalSteps, epoch, loss };
        if (tree.leaves(auxArr).length > 0) info.aux = await toNumbers(auxArr);
        // 5. evaluation and early stopping
        let stop = false;
        if (opts.evalFn && evalEvery !== undefined && (done % evalEvery === 0 || done === totalSteps)) {
          const metric = await opts.evalFn(tree.ref(params));
          evals.push({ step: done, metric });
          info.evalMetric = metric;
          if (best === undefined || sign * metric < sign * best.metric - minDelta) {
            if (best?.params) tree.dispose(best.params);
            best = { step: done, metric, params: es && restoreBest ? tree.ref(params) : undefined };
            sinceBest = 0;
          } else if (es && ++sinceBest >= es.patience) stop = true;
        }
        opts.onProgress?.(info);
        if (stop) {
          stopped = "early-stopping";
          break;
        }
      }
      tree.dispose([epochRes.order, epochRes.keys]);
      epochRes = undefined;
      if (stopped === "early-stopping") break;
    }
  } catch (e) {
    if (!(e instanceof NonFiniteLossError)) {
      try {
        tree.dispose([params, optState]);
      } catch {
        // already consumed by the step that threw
      }
    }
    cleanup();
    throw e;
  }
  if (best?.params) {
    tree.dispose(params);
    params = best.params;
    best.params = undefined;
  }
  cleanup();
  const bestOut = best && { step: best.step, metric: best.metric };
  return { params, optState, steps: done, stopped, losses, evals, ...(bestOut ? { best: bestOut } : {}) };
}
