/**
 * Timing of a jitted train step (`makeTrainStep`) the way every jax-js bench measures it: one call to
 * trace and compile, then `timeIt`'s median over timed batches, each step synced by reading its loss.
 */
import { type Array, type JsTree, tree } from "../src/jax.js";
import type { Params } from "../src/optim/optimizer.js";
import type { Batch, TrainStep } from "../src/train/train-step.js";
import { timeIt } from "./table.js";

/** What `timeTrainStep` returns; the caller owns (and disposes) `params` and `state`. */
export type TrainStepTiming<P, S> = {
  msPerStep: number;
  firstMs: number;
  finalLoss: number;
  params: P;
  state: S;
};

/**
 * Run `step` from `params`/`state` on the same `key` and `batch` every step: the first call's ms (trace,
 * compile, one step), then ms per synced step. Consumes `step` (disposed), `key` and `batch`.
 */
export function timeTrainStep<P extends Params, S extends JsTree<Array>, B extends Batch>(
  step: TrainStep<P, S, B>,
  params: P,
  state: S,
  key: Array,
  batch: B,
  timing: { warmup: number; reps: number; inner: number },
): TrainStepTiming<P, S> {
  let finalLoss = 0;
  const one = () => {
    const out = step(params, state, key.ref, tree.ref(batch));
    params = out[0];
    state = out[1];
    finalLoss = out[2].item(); // the sync
    tree.dispose(out[3]);
  };
  const t0 = performance.now();
  one(); // trace + compile + first run
  const firstMs = performance.now() - t0;
  const msPerStep = timeIt(one, timing);
  step.dispose();
  tree.dispose([key, batch]);
  return { msPerStep, firstMs, finalLoss, params, state };
}
