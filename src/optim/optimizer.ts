/**
 * The optimizer interface, in the shape of optax's `GradientTransformation` but returning new params
 * directly: `init(params) -> state`, `update(grads, state, params) -> [newParams, newState]`. Both are
 * pure functions of arrays, so `update` runs inside the one `jit` of a train step; the step counter
 * lives in the state as an int32 array (never a JS number baked in at trace time).
 * Ownership: `init` and `update` consume every array they are given (pass `tree.ref(params)` to keep
 * params). Reference: optax `base.py` and `combine.chain`.
 */
import { ValueError } from "../errors.js";
import { type Array, type JsTree, np, tree } from "../jax.js";

/** A params (or gradients) pytree: plain objects and JS arrays of jax arrays. */
export type Params = JsTree<Array>;

/** An optimizer: `init` builds its state from params; `update` consumes grads, state and params. */
export type Optimizer<S extends JsTree<Array> = JsTree<Array>> = {
  /** Build the initial state for `params` (consumed; only shapes and dtypes are read). */
  init<P extends Params>(params: P): S;
  /** One update: returns `[newParams, newState]`; consumes `grads`, `state` and `params`. */
  update<P extends Params>(grads: P, state: S, params: P): [P, S];
};

/** A stateless map from gradients to gradients (e.g. clipping), chained before an optimizer. */
export type GradientTransform = <P extends Params>(grads: P) => P;

/** Apply `transforms` to the gradients, in order, before `optimizer` (optax `chain`). */
export function chain<S extends JsTree<Array>>(
  ...parts: [...GradientTransform[], Optimizer<S>]
): Optimizer<S> {
  const optimizer = parts[parts.length - 1] as Optimizer<S>;
  const transforms = parts.slice(0, -1) as GradientTransform[];
  if (typeof optimizer?.update !== "function" || transforms.some((t) => typeof t !== "function"))
    throw new ValueError("chain: arguments must be gradient transforms followed by one optimizer");
  return {
    init: (params) => optimizer.init(params),
    update(grads, state, params) {
      for (const t of transforms) grads = t(grads);
      return optimizer.update(grads, state, params);
    },
  };
}

/** Leaves of `x`, checking that its structure matches `like` (a treedef from `tree.flatten`). */
export function leavesMatching(
  fn: string,
  what: string,
  x: Params,
  like: ReturnType<typeof tree.structure>,
): Array[] {
  const [leaves, def] = tree.flatten(x);
  if (!def.equals(like)) {
    tree.dispose(x);
    throw new ValueError(`${fn}: ${what} must have the same structure as params ${like}, but got ${def}`);
  }
  return leaves;
}

/** Zeros with the shape and dtype of each leaf of `params` (consumed). */
export function zerosLikeTree<P extends Params>(params: P): P {
  return tree.map((p: Array) => np.zerosLike(p), params) as P;
}

/** An int32 scalar step counter starting at 0. */
export function zeroCount(): Array {
  return np.array(0, { dtype: np.int32 });
}
