/**
 * Checks at the GAN's boundaries (training, sampling, checkpoints), before any jitted code runs: data are
 * `[n, dataDim]` numeric arrays of finite values, counts are positive integers, and a failed check
 * disposes the arrays the function would have consumed.
 */
import { describe, ValueError } from "../../errors.js";
import { type Array, type JsTree, np, tree } from "../../jax.js";
import type { ResolvedGanConfig } from "./config.js";

/** Check a positive integer option. */
export function positiveInt(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new ValueError(`${fn}: ${name} must be a positive integer, but got ${describe(v)}`);
  return v;
}

/** Check that `x` is a numeric array `[n, dataDim]`, n >= 1, of finite values; returns n. */
export function checkData(fn: string, name: string, x: unknown, cfg: ResolvedGanConfig): number {
  if (!(x instanceof np.Array))
    throw new ValueError(
      `${fn}: ${name} must be an array of shape [n, ${cfg.dataDim}], but got ${describe(x)}`,
    );
  if (x.ndim !== 2 || x.shape[1] !== cfg.dataDim || x.shape[0] < 1)
    throw new ValueError(
      `${fn}: ${name} must have shape [n, ${cfg.dataDim}] with n >= 1, but got [${x.shape.join(", ")}]`,
    );
  if (x.dtype !== np.float32 && x.dtype !== np.float64)
    throw new ValueError(`${fn}: ${name} must be a float32 or float64 array, but got dtype ${x.dtype}`);
  const values = x.ref.dataSync() as ArrayLike<number>;
  const bad: number[] = [];
  for (let i = 0; i < values.length && bad.length < 6; i++)
    if (!Number.isFinite(values[i])) bad.push(values[i]);
  if (bad.length > 0) throw new ValueError(`${fn}: ${name} must be finite, but got ${describe(bad)}`);
  return x.shape[0];
}

/** Run `check`; on a throw dispose `owned` (the arguments the function would have consumed) and rethrow. */
export function guard<T>(owned: unknown[], check: () => T): T {
  try {
    return check();
  } catch (e) {
    for (const o of owned) {
      try {
        if (o !== undefined && o !== null) tree.dispose(o as JsTree<Array>);
      } catch {
        // not an array pytree (the bad input itself): nothing to free
      }
    }
    throw e;
  }
}
