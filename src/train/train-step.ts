/**
 * One jitted training step: value-and-grad of the loss, the optimizer update and the new params, all
 * inside one `jit` (equinox's "filter_jit the whole step"; JAXJS.md "One jitted train step").
 * The loss is `loss(params, key, batch)`: params, then key, then data.
 */
import { ValueError } from "../errors.js";
import { type Array, type JsTree, jit, np, tree, valueAndGrad } from "../jax.js";
import type { Optimizer, Params } from "../optim/optimizer.js";

/** Auxiliary outputs of a loss (e.g. `{recon, kl}` scalars); `{}` when there are none. */
export type Aux = JsTree<Array>;

/** A batch: any pytree of arrays (e.g. `{x: [batch, dim], y: [batch]}`). */
export type Batch = JsTree<Array>;

/**
 * A loss: `(params, key, batch) -> scalar` or `-> [scalar, aux]`, consuming its arguments (dispose the
 * key if it is unused). Units are the model's (nats for likelihoods).
 */
export type LossFn<P extends Params, B extends Batch> = (
  params: P,
  key: Array,
  batch: B,
) => Array | [Array, Aux];

/** A train step: `(params, optState, key, batch) -> [params, optState, loss, aux]`; consumes its arguments. */
export type TrainStepFn<P extends Params, S extends JsTree<Array>, B extends Batch> = (
  params: P,
  optState: S,
  key: Array,
  batch: B,
) => [P, S, Array, Aux];

/** A jitted train step; call `dispose()` when done with it. */
export type TrainStep<P extends Params, S extends JsTree<Array>, B extends Batch> = TrainStepFn<P, S, B> & {
  dispose(): void;
};

/**
 * The un-jitted body of a train step (for composing into a larger jitted function). The returned loss
 * is the loss at the incoming params, or NaN when any gradient entry is non-finite, so that one check of
 * the synced loss guards both.
 */
export function trainStepBody<P extends Params, S extends JsTree<Array>, B extends Batch>(
  lossFn: LossFn<P, B>,
  optimizer: Optimizer<S>,
): TrainStepFn<P, S, B> {
  const withAux = (p: P, k: Array, b: B): [Array, Aux] => {
    const out = lossFn(p, k, b);
    const [loss, aux] = globalThis.Array.isArray(out) ? out : [out, {}];
    if (loss.size !== 1)
      throw new ValueError(`trainStep: loss must return a scalar, but got shape [${loss.shape.join(", ")}]`);
    return [loss.reshape([]), aux];
  };
  return (params, optState, key, batch) => {
    // 1. loss and gradients at the current params
    const [[loss, aux], grads] = valueAndGrad(withAux, { hasAux: true })(
      tree.ref(params) as never,
      key,
      batch as never,
    ) as unknown as [[Array, Aux], P];
    // 2. NaN guard folded into the loss: a sum is non-finite iff some entry is (or it overflows)
    let total: Array = np.array(0, { dtype: np.float32 });
    for (const g of tree.leaves(tree.ref(grads))) total = total.add(g.sum().astype(np.float32));
    const guarded = np.where(np.isfinite(total), loss, Number.NaN);
    // 3. optimizer update
    const [newParams, newState] = optimizer.update(grads, optState, params);
    return [newParams, newState, guarded, aux];
  };
}

/** `jit(trainStepBody(lossFn, optimizer))`: the step compiles once per batch shape. */
export function makeTrainStep<P extends Params, S extends JsTree<Array>, B extends Batch>(
  lossFn: LossFn<P, B>,
  optimizer: Optimizer<S>,
): TrainStep<P, S, B> {
  return jit(trainStepBody(lossFn, optimizer)) as unknown as TrainStep<P, S, B>;
}
