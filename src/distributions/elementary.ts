/**
 * Accurate elementary functions built from exact jax-js operations (compare, select, multiply by
 * powers of two, add, divide), for the log-densities and special functions of this module.
 *
 * Why: on the wasm backend `np.log` is a short atanh series on a mantissa in [1, 2) whose absolute
 * error reaches 1.2e-5 (e.g. near 2 and 4), and in float64 it is float32-accurate; `nn.softplus` is
 * `log(1 + exp(x))`, which overflows for x > 88. The functions here are ~1-3 ulp in float32 and, for
 * `log`/`log1p`, also in float64. `exp`, `sin` and `cos` remain jax-js's own (about 1e-7 relative in
 * float32 for moderate arguments, float32-accurate in float64).
 *
 * Two jax-js 0.1.25 quirks shape the code (both measured):
 * - inside `jit`, a JavaScript number used as an operand is rounded to float32 even when the other
 *   operand is float64; `scalar(v, dtype)` makes a constant of the right dtype instead;
 * - the kernel simplifier reassociates `(a + c) + b` into `(a + b) + c` for a constant `c`, which
 *   destroys exact differences such as `m - 1`; the formulas avoid adding to such a difference.
 * Every function consumes its array arguments (see shared/JAXJS.md).
 */
import { type Array, type DType, lax, np } from "../jax.js";

/** A 0-d constant of `dtype` (float32 rounding of JS numbers under `jit` otherwise). */
export function scalar(value: number, dtype: DType): Array {
  return np.full([], value, { dtype });
}

/** Evaluate `c[0] + c[1] x + ... + c[n] x^n` by Horner's rule; consumes `x`. */
export function polyval(coeffs: readonly number[], x: Array): Array {
  const dt = x.dtype;
  let acc = np.full(x.shape, coeffs[coeffs.length - 1], { dtype: dt });
  for (let i = coeffs.length - 2; i >= 0; i--) acc = acc.mul(x.ref).add(scalar(coeffs[i], dt));
  x.dispose();
  return acc;
}

// log(2) split so that k * LN2_HI is exact for |k| < 2^11 (fdlibm e_log.c / e_logf.c)
const LN2_HI_F64 = 0.6931471803691238;
const LN2_LO_F64 = 1.9082149292705877e-10;
const LN2_HI_F32 = 0.693145751953125;
const LN2_LO_F32 = Math.LN2 - LN2_HI_F32;

function isF64(x: Array): boolean {
  return x.dtype === np.float64;
}

/**
 * `log(1+f)` for `s = f/(2+f)`, |s| <= 0.1716, as `s (2 + 2s²/3 + 2s⁴/5 + ...)` (the atanh series,
 * truncated so the next term is below the unit roundoff of the dtype); consumes `s`.
 */
function log1pFromS(s: Array): Array {
  const terms = isF64(s) ? 11 : 5; // z^terms/(2 terms+1) < 2^-53 resp. 2^-24 for z = s² <= 0.02944
  const coeffs = [2];
  for (let j = 1; j <= terms; j++) coeffs.push(2 / (2 * j + 1));
  const z = s.ref.mul(s.ref);
  return s.mul(polyval(coeffs, z));
}

const int32 = (v: number) => np.full([], v, { dtype: np.int32 });

/** Unbiased exponent of a normal float32 `x` and `2^-e` as float32, from the bits; consumes `x`. */
function exponentF32(x: Array): { e: Array; bits: Array } {
  const bits = lax.bitcastConvertType(x, np.int32);
  const e = np.rightShift(bits.ref, int32(23)).sub(int32(127));
  return { e, bits };
}

/**
 * x = m · 2^k with m in [√½, √2) for finite x > 0 (values only: no gradient), and the power of
 * two `scale` that was applied to bring x into [2^-126, 2^128]. float32: exponent and mantissa
 * from the bits, subnormals scaled by 2^64 first. float64 (jax-js has no int64): scaled by powers
 * of two into the float32 range, exponent from the float32 rounding, mantissa by an exact
 * multiplication with 2^-e, then corrected to [√½, √2) either way.
 */
function frexpSqrt2(x: Array): { m: Array; k: Array; scale: Array } {
  const dt = x.dtype;
  const pow2 = (e: number) => scalar(2 ** e, dt); // 2^±256 are not float32 numbers (see the header)
  let kAdjust = np.zerosLike(x.ref);
  let scale = np.onesLike(x.ref);
  const scaleSteps = isF64(x) ? [512, 256, 128, 64] : [64];
  for (const e of scaleSteps) {
    if (isF64(x)) {
      const big = x.ref.greaterEqual(pow2(100));
      x = np.where(big.ref, x.ref.mul(pow2(-e)), x);
      scale = np.where(big.ref, scale.ref.mul(pow2(-e)), scale);
      kAdjust = np.where(big, kAdjust.ref.add(e), kAdjust);
    }
    const small = x.ref.less(pow2(-100));
    x = np.where(small.ref, x.ref.mul(pow2(e)), x);
    scale = np.where(small.ref, scale.ref.mul(pow2(e)), scale);
    kAdjust = np.where(small, kAdjust.ref.sub(e), kAdjust);
  }
  let m: Array;
  let e: Array;
  if (isF64(x)) {
    ({ e } = exponentF32(x.ref.astype(np.float32)));
    const inv = lax.bitcastConvertType(np.leftShift(int32(127).sub(e.ref), int32(23)), np.float32);
    m = x.mul(inv.astype(dt)); // exact: a power of two; m in [½, 2]
  } else {
    const parts = exponentF32(x);
    e = parts.e;
    const mantissa = np.bitwiseOr(np.bitwiseAnd(parts.bits, int32(0x7fffff)), int32(0x3f800000));
    m = lax.bitcastConvertType(mantissa, np.float32); // [1, 2)
  }
  let k = e.astype(dt).add(kAdjust);
  const high = m.ref.greater(Math.SQRT2);
  m = np.where(high.ref, m.ref.mul(0.5), m);
  k = np.where(high, k.ref.add(1), k);
  const low = m.ref.less(Math.SQRT1_2);
  m = np.where(low.ref, m.ref.mul(2), m);
  k = np.where(low, k.ref.sub(1), k);
  return { m, k, scale };
}

/**
 * Natural logarithm accurate to ~2 ulp in float32 and float64 (`[...] -> [...]`); 0 -> -inf,
 * negative -> NaN. Value: x = m·2^k (m in [√½, √2), from the bits) and
 * `log m = 2 atanh((m-1)/(m+1))` (fdlibm e_log.c). Gradient: that of `np.log` (1/x), attached as
 * `np.log(x) - stopGradient(np.log(x))`, exactly 0 in value, so that the backward pass stays small
 * (jit compiles of `grad(lgamma)` took seconds when differentiating through the reduction).
 * Consumes `x`.
 */
export function log(x: Array): Array {
  const dt = x.dtype;
  const f64 = isF64(x);
  const regular = np.logicalAnd(x.ref.greater(0), x.ref.less(Number.POSITIVE_INFINITY));
  const safe = np.where(regular.ref, x.ref, 1);
  const { m, k, scale } = frexpSqrt2(lax.stopGradient(safe.ref));
  const f = m.sub(1); // exact; the where inside frexpSqrt2 keeps the simplifier from reassociating
  const s = f.ref.div(f.add(2));
  const hi = scalar(f64 ? LN2_HI_F64 : LN2_HI_F32, dt);
  const lo = scalar(f64 ? LN2_LO_F64 : LN2_LO_F32, dt);
  const value = k.ref.mul(hi).add(log1pFromS(s).add(k.mul(lo)));
  // derivative carrier, 0 in value: np.log of x times the power of two `scale` that brought it
  // into [2^-126, 2^128], where jax-js's log is finite (its subnormal and float64 range is not)
  const approx = np.log(safe.mul(scale));
  const tangent = approx.ref.sub(lax.stopGradient(approx));
  return np.where(regular, lax.stopGradient(value).add(tangent), np.log(x));
}

/**
 * `log(1 + y)` accurate to ~3 ulp, also for tiny y (`[...] -> [...]`). On y in [√½-1, √2-1] the
 * atanh series of `s = y/(2+y)` is used directly (no rounding of 1 + y); elsewhere `log(1 + y)`,
 * whose rounding error is then below 2 ulp of the result. Differentiable; consumes `y`.
 */
export function log1p(y: Array): Array {
  const inner = np.logicalAnd(y.ref.greaterEqual(Math.SQRT1_2 - 1), y.ref.lessEqual(Math.SQRT2 - 1));
  const yIn = np.where(inner.ref, y.ref, 0);
  const yOut = np.where(inner.ref, 1, y);
  const series = log1pFromS(yIn.ref.div(yIn.add(2)));
  return np.where(inner, series, log(yOut.add(1)));
}

/** `log(1 + exp(x))` without overflow (`[...] -> [...]`); derivative `sigmoid(x)`; consumes `x`. */
export function softplus(x: Array): Array {
  const pos = x.ref.greater(0);
  const xp = np.where(pos.ref, x.ref, 0);
  const xn = np.where(pos.ref, 0, x);
  const whenPos = xp.ref.add(log1p(np.exp(xp.neg())));
  const whenNeg = log1p(np.exp(xn));
  return np.where(pos, whenPos, whenNeg);
}

/** `log(sigmoid(x)) = -softplus(-x)` (`[...] -> [...]`); consumes `x`. */
export function logSigmoid(x: Array): Array {
  return softplus(x.neg()).neg();
}

/**
 * `x log y` with `0 log 0 = 0` (`[...] -> [...]`, broadcast); the gradient in x is `log y` also
 * at x = 0 (as scipy.special.xlogy / jax), except at the point 0 log 0. Consumes both.
 */
export function xlogy(x: Array, y: Array): Array {
  const special = np.logicalAnd(x.ref.equal(0), y.ref.equal(0));
  const ySafe = np.where(special.ref, 1, y);
  return np.where(special, 0, x.mul(log(ySafe)));
}

/** `x log(1 + y)` with `0 log(1 + (-1)) = 0`; gradient as for `xlogy`. Consumes both. */
export function xlog1py(x: Array, y: Array): Array {
  const special = np.logicalAnd(x.ref.equal(0), y.ref.equal(-1));
  const ySafe = np.where(special.ref, 0, y);
  return np.where(special, 0, x.mul(log1p(ySafe)));
}

/**
 * `|sin(πx)|` and `cos(πx)·sign` via reduction to r = x - round(x) in [-½, ½] (exact), so that the
 * argument of `sin` stays small; returns `[sin(πr), cos(πr)]`, which equal `±sin(πx)`, `±cos(πx)`
 * with the same sign, so `cos/sin = cot(πx)`. Consumes `x`.
 */
export function sinCosPiReduced(x: Array): [Array, Array] {
  const r = x.ref.sub(np.round(x)).mul(scalar(Math.PI, x.dtype));
  return [np.sin(r.ref), np.cos(r)];
}
