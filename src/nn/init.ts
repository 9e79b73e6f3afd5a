/**
 * Weight initialisers: Glorot/Xavier uniform, He/Kaiming normal, LeCun normal and a plain normal.
 * Each takes a key and a shape and returns a fresh array; fans are read from a `[fanIn, fanOut]`
 * shape (our Linear layout `w: [in, out]`). References: Glorot & Bengio 2010 (eq. 16); He et al. 2015
 * (sec. 2.2); LeCun et al. 1998 ("Efficient BackProp", sec. 4.6); PyTorch `torch.nn.init`.
 */
import { describe, ValueError } from "../errors.js";
import { type Array, type DType, np, random } from "../jax.js";

/** Names of the initialisers `initWeights` accepts. */
export type InitName = "glorot" | "he" | "lecun" | "normal";

/** The initialiser names, for validating user input (CLI flags, configs). */
export const INIT_NAMES: readonly InitName[] = ["glorot", "he", "lecun", "normal"];

/** Options shared by the initialisers: `dtype` (default float32); `std` is used by "normal" only. */
export type InitOptions = { dtype?: DType; std?: number };

function fans(fn: string, shape: number[]): [number, number] {
  if (
    !globalThis.Array.isArray(shape) ||
    shape.length < 1 ||
    shape.some((d) => !Number.isInteger(d) || d < 1)
  )
    throw new ValueError(
      `${fn}: shape must be a non-empty list of positive integers, but got ${describe(shape)}`,
    );
  const fanIn = shape.length === 1 ? shape[0] : shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return [fanIn, shape[shape.length - 1]];
}

function cast(x: Array, dtype: DType | undefined): Array {
  return dtype === undefined || dtype === np.float32 ? x : x.astype(dtype);
}

/** Glorot/Xavier uniform: `U(-a, a)`, `a = sqrt(6 / (fanIn + fanOut))` (Glorot & Bengio 2010, eq. 16). */
export function glorotUniform(key: Array, shape: number[], opts: InitOptions = {}): Array {
  const [fanIn, fanOut] = fans("glorotUniform", shape);
  const a = Math.sqrt(6 / (fanIn + fanOut));
  return cast(random.uniform(key, shape, { minval: -a, maxval: a }), opts.dtype);
}

/** He/Kaiming normal: `N(0, 2 / fanIn)`, plain (not truncated) as PyTorch `kaiming_normal_` (He et al. 2015). */
export function heNormal(key: Array, shape: number[], opts: InitOptions = {}): Array {
  const [fanIn] = fans("heNormal", shape);
  return cast(random.normal(key, shape).mul(Math.sqrt(2 / fanIn)), opts.dtype);
}

/** LeCun normal: `N(0, 1 / fanIn)`, plain (not truncated) (LeCun et al. 1998, sec. 4.6). */
export function lecunNormal(key: Array, shape: number[], opts: InitOptions = {}): Array {
  const [fanIn] = fans("lecunNormal", shape);
  return cast(random.normal(key, shape).mul(Math.sqrt(1 / fanIn)), opts.dtype);
}

/** Plain normal `N(0, std^2)`, default `std = 0.02` (GPT-2's choice). */
export function normalInit(key: Array, shape: number[], opts: InitOptions = {}): Array {
  fans("normalInit", shape);
  const std = opts.std ?? 0.02;
  if (!(std >= 0) || !Number.isFinite(std))
    throw new ValueError(`normalInit: std must be a finite number >= 0, but got ${describe(std)}`);
  return cast(random.normal(key, shape).mul(std), opts.dtype);
}

/** Initialise a weight of `shape` with the named initialiser (see `InitName`). */
export function initWeights(key: Array, shape: number[], init: InitName, opts: InitOptions = {}): Array {
  switch (init) {
    case "glorot":
      return glorotUniform(key, shape, opts);
    case "he":
      return heNormal(key, shape, opts);
    case "lecun":
      return lecunNormal(key, shape, opts);
    case "normal":
      return normalInit(key, shape, opts);
    default:
      key.dispose();
      throw new ValueError(
        `initWeights: init must be one of ${INIT_NAMES.join(", ")}, but got ${describe(init)}`,
      );
  }
}
