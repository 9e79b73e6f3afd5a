/**
 * Checks of data at the VAE's boundaries (train and score functions), before any jitted code runs;
 * inside `jit`/`grad` (tracers) only shapes are checked. Decisions:
 * - every likelihood: `x: [n, inputDim]`, finite values;
 * - bernoulli: values in [0, 1] (binary data, or grey levels as in Kingma & Welling 2014's MNIST
 *   experiments, for which the "likelihood" is the usual cross-entropy and not a normalised density);
 * - poisson, nb, zinb: non-negative integers (raw counts: scvi-tools assumes them and only warns; the
 *   NB/Poisson densities of non-integers are continuous extensions, not probabilities, so we refuse);
 * - labels (conditional models only, required there): int32 `[n]` in `0 .. nLabels-1`.
 */
import { describe, ValueError } from "../../errors.js";
import { type Array, type JsTree, np, tree } from "../../jax.js";
import { isCountLikelihood, type ResolvedVaeConfig } from "./config.js";

/** True when `x` holds values (not a tracer inside `jit`/`grad`/`vmap`). */
export function isConcrete(x: Array): boolean {
  return x instanceof np.Array;
}

function firstBad(values: ArrayLike<number>, ok: (v: number) => boolean): number[] {
  const bad: number[] = [];
  for (let i = 0; i < values.length && bad.length < 6; i++) if (!ok(values[i])) bad.push(values[i]);
  return bad;
}

/** Check the shape (`[n, inputDim]`) and, for concrete arrays, the values of data `x`; returns n. */
export function checkX(fn: string, name: string, x: unknown, cfg: ResolvedVaeConfig): number {
  if (!(x instanceof np.Array) && !(typeof x === "object" && x !== null && "shape" in x))
    throw new ValueError(
      `${fn}: ${name} must be an array of shape [n, ${cfg.inputDim}], but got ${describe(x)}`,
    );
  const a = x as Array;
  if (a.ndim !== 2 || a.shape[1] !== cfg.inputDim || a.shape[0] < 1)
    throw new ValueError(
      `${fn}: ${name} must have shape [n, ${cfg.inputDim}] with n >= 1, but got [${a.shape.join(", ")}]`,
    );
  if (a.dtype === np.bool)
    throw new ValueError(`${fn}: ${name} must be a numeric array, but got dtype ${a.dtype}`);
  if (!isConcrete(a)) return a.shape[0];
  const values = a.ref.dataSync() as ArrayLike<number>;
  let bad = firstBad(values, Number.isFinite);
  if (bad.length > 0) throw new ValueError(`${fn}: ${name} must be finite, but got ${describe(bad)}`);
  if (isCountLikelihood(cfg.likelihood)) {
    bad = firstBad(values, (v) => v >= 0 && Number.isInteger(v));
    if (bad.length > 0)
      throw new ValueError(
        `${fn}: ${name} must hold non-negative integer counts for likelihood "${cfg.likelihood}", but got ${describe(bad)}`,
      );
  } else if (cfg.likelihood === "bernoulli") {
    bad = firstBad(values, (v) => v >= 0 && v <= 1);
    if (bad.length > 0)
      throw new ValueError(
        `${fn}: ${name} must hold values in [0, 1] for likelihood "bernoulli", but got ${describe(bad)}`,
      );
  }
  return a.shape[0];
}

/** Check labels: required (int32 `[n]` in `0 .. nLabels-1`) iff the model is conditional. */
export function checkLabels(
  fn: string,
  name: string,
  labels: unknown,
  n: number,
  cfg: ResolvedVaeConfig,
): void {
  if (cfg.nLabels === 0) {
    if (labels !== undefined)
      throw new ValueError(`${fn}: ${name} must be omitted for an unconditional model (config.nLabels = 0)`);
    return;
  }
  if (!(labels instanceof np.Array) && !(typeof labels === "object" && labels !== null && "shape" in labels))
    throw new ValueError(
      `${fn}: ${name} must be an int32 array of shape [${n}] (config.nLabels = ${cfg.nLabels}), but got ${describe(labels)}`,
    );
  const a = labels as Array;
  if (a.ndim !== 1 || a.shape[0] !== n || a.dtype !== np.int32)
    throw new ValueError(
      `${fn}: ${name} must be an int32 array of shape [${n}], but got ${a.dtype} [${a.shape.join(", ")}]`,
    );
  if (!isConcrete(a)) return;
  const bad = firstBad(a.ref.dataSync() as ArrayLike<number>, (v) => v >= 0 && v < cfg.nLabels);
  if (bad.length > 0)
    throw new ValueError(`${fn}: ${name} must be in [0, ${cfg.nLabels - 1}], but got ${describe(bad)}`);
}

/** Check a positive integer option. */
export function positiveInt(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new ValueError(`${fn}: ${name} must be a positive integer, but got ${describe(v)}`);
  return v;
}

/** Run `check`; on a throw dispose `owned` (the arguments the function would have consumed) and rethrow. */
export function guard<T>(owned: JsTree<Array | undefined>[], check: () => T): T {
  try {
    return check();
  } catch (e) {
    for (const o of owned) if (o !== undefined) tree.dispose(o as JsTree<Array>);
    throw e;
  }
}
