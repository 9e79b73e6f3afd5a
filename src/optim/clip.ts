/**
 * Global-norm gradient clipping: scale all gradients by `min(1, maxNorm / ||g||)`, where `||g||` is the
 * L2 norm of all gradient entries together (Pascanu et al. 2013, Algorithm 1; optax
 * `clip_by_global_norm`, PyTorch `clip_grad_norm_`).
 */
import { describe, ValueError } from "../errors.js";
import { type Array, np, tree } from "../jax.js";
import type { GradientTransform, Params } from "./optimizer.js";

/** L2 norm of all leaves of `grads` together -> scalar. Consumes `grads`. */
export function globalNorm(grads: Params): Array {
  const leaves = tree.leaves(grads);
  if (leaves.length === 0) return np.array(0);
  let total = np.square(leaves[0]).sum();
  for (const g of leaves.slice(1)) total = total.add(np.square(g).sum());
  return np.sqrt(total);
}

/** A gradient transform that rescales `grads` so their global L2 norm is at most `maxNorm`. */
export function clipByGlobalNorm(maxNorm: number): GradientTransform {
  if (typeof maxNorm !== "number" || !(maxNorm > 0) || !Number.isFinite(maxNorm))
    throw new ValueError(
      `clipByGlobalNorm: maxNorm must be a finite number > 0, but got ${describe(maxNorm)}`,
    );
  return <P extends Params>(grads: P): P => {
    const norm = globalNorm(tree.ref(grads));
    const scale = np.reciprocal(np.maximum(norm, maxNorm)).mul(maxNorm); // 1 when norm <= maxNorm
    const out = tree.map((g: Array) => g.mul(scale.ref), grads) as P;
    scale.dispose();
    return out;
  };
}
