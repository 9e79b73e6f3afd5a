/**
 * The interface every distribution implements, and the shape and value checks they share.
 * Shapes follow distrax: a sample has shape `[...sampleShape, ...batchShape, ...eventShape]`.
 */
import { describe, ValueError } from "../errors.js";
import { type Array, type DType, np, tree } from "../jax.js";

/**
 * A distribution as a record of pure functions over a params pytree `P` (distrax's interface).
 * Every array-taking function consumes its arguments (params and data); `batchShape`,
 * `eventShape` and `validate` only read and consume nothing. Log-densities are in nats.
 */
export type Distribution<P> = {
  /** Name used in error messages, e.g. `"Normal"`. */
  readonly name: string;
  /** True when `sample` is differentiable in the parameters (reparameterisation trick). */
  readonly reparameterized: boolean;
  /** Batch shape of the parameters (broadcast of the leaves). */
  batchShape(p: P): number[];
  /** Shape of one event: `[]` for scalar distributions, `[d]` or `[K]` for vector ones. */
  eventShape(p: P): number[];
  /** Log density or mass of `x: [...sample, ...batch, ...event]`, shape `[...sample, ...batch]`. */
  logProb(p: P, x: Array): Array;
  /** Draw `[...sampleShape, ...batch, ...event]`; deterministic given `key`. */
  sample(p: P, key: Array, sampleShape?: number[]): Array;
  /** Mean, `[...batch, ...event]` (absent where it is not a number, as for Categorical). */
  mean?(p: P): Array;
  /** Variance of each coordinate, `[...batch, ...event]`. */
  variance?(p: P): Array;
  /** Entropy in nats, `[...batch]`, where a closed form exists. */
  entropy?(p: P): Array;
  /**
   * Check parameter values (positivity, normalisation, positive definiteness) and throw
   * `ValueError` naming the argument. Reads concrete arrays only: leaves that are tracers
   * (inside `jit`/`grad`) are skipped, since their values are unknown. Consumes nothing.
   */
  validate(p: P): void;
};

/** Broadcast the named shapes or throw `fn: shapes of a [..] and b [..] must broadcast`. */
export function broadcastShapesOf(fn: string, shapes: Record<string, number[]>): number[] {
  const names = Object.keys(shapes);
  try {
    return np.broadcastShapes(...names.map((n) => shapes[n]));
  } catch {
    const list = names.map((n) => `${n} ${describe(shapes[n])}`).join(" and ");
    throw new ValueError(`${fn}: shapes of ${list} must broadcast, but they do not`);
  }
}

/** Check that data `x` broadcasts against `[...batch, ...event]` and ends with `event` exactly. */
export function checkData(fn: string, x: Array, batch: number[], event: number[]): void {
  const shape = x.shape;
  const tail = shape.slice(shape.length - event.length);
  if (shape.length < event.length || tail.some((d, i) => d !== event[i])) {
    throw new ValueError(
      `${fn}: x must have trailing event shape ${describe(event)}, but got shape ${describe(shape)}`,
    );
  }
  try {
    np.broadcastShapes(shape, [...batch, ...event]);
  } catch {
    throw new ValueError(
      `${fn}: x must broadcast against batch+event shape ${describe([...batch, ...event])}, but got shape ${describe(shape)}`,
    );
  }
}

/** Check a sample shape: a list of non-negative integers. */
export function checkSampleShape(fn: string, sampleShape: number[]): void {
  if (!globalThis.Array.isArray(sampleShape) || sampleShape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ValueError(
      `${fn}: sampleShape must be a list of non-negative integers, but got ${describe(sampleShape)}`,
    );
  }
}

/** Check that a parameter has at least `rank` dimensions. */
export function checkRank(fn: string, name: string, x: Array, rank: number, what: string): void {
  if (x.ndim < rank) {
    throw new ValueError(`${fn}: ${name} must have shape ${what}, but got shape ${describe(x.shape)}`);
  }
}

/** True when `x` holds values (not a tracer inside `jit`/`grad`/`vmap`). */
export function isConcrete(x: Array): boolean {
  return x instanceof np.Array;
}

/** Values of a concrete array as float64 (without consuming it), or null for a tracer. */
export function valuesOf(x: Array): Float64Array | null {
  if (!isConcrete(x)) return null;
  return Float64Array.from(x.ref.dataSync() as ArrayLike<number>);
}

/** Throw `fn: name must be <expected>, but got <offending values>` if `ok` fails on any value. */
export function checkValues(
  fn: string,
  name: string,
  x: Array,
  ok: (v: number) => boolean,
  expected: string,
): void {
  const values = valuesOf(x);
  if (values === null) return;
  const bad = globalThis.Array.from(values).filter((v) => !ok(v));
  if (bad.length > 0) throw new ValueError(`${fn}: ${name} must be ${expected}, but got ${describe(bad)}`);
}

/** Float dtype the parameters promote to (float32 unless one of them is float64). */
export function floatDtype(...dtypes: DType[]): DType {
  return dtypes.some((d) => d === np.float64) ? np.float64 : np.float32;
}

/** Dispose every array leaf of a params record (for methods that ignore some leaves). */
export function disposeParams(p: object): void {
  tree.dispose(p as never);
}

export const HALF_LOG_2PI = 0.9189385332046728;
