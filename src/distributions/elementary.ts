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
 * Speed matters as well: the count likelihoods evaluate `log` on every element of [batch, genes].
 * The float32 `log` reduces its argument by integer arithmetic on the bits (musl logf.c, no
 * selects) and uses a 3-term polynomial; float32 `log1p` is one such log and a division;
 * `polyval` starts from a scalar (a full-size array of the leading coefficient would be one more
 * input to read under `jit`); `materialize` keeps a small array's work out of the large
 * expressions it is broadcast into. (jax-js's wasm SIMD covers add/mul/floor/select only: kernels
 * with a division, a log or a bitcast run one element at a time.)
 *
 * Two jax-js 0.1.25 quirks shape the code (both measured):
 * - inside `jit`, a JavaScript number used as an operand is rounded to float32 even when the other
 *   operand is float64; `scalar(v, dtype)` makes a constant of the right dtype instead;
 * - the kernel simplifier reassociates `(a + c) + b` into `(a + b) + c` for a constant `c`, which
 *   destroys exact differences such as `m - 1`; the formulas avoid adding to such a difference, or
 *   hide it behind an always-true select.
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
  const n = coeffs.length;
  if (n === 1) return np.fullLike(x, coeffs[0]);
  // no full-size array of the leading coefficient: under jit it would be a materialised input
  let acc = x.ref.mul(scalar(coeffs[n - 1], dt)).add(scalar(coeffs[n - 2], dt));
  for (let i = n - 3; i >= 0; i--) acc = acc.mul(x.ref).add(scalar(coeffs[i], dt));
  x.dispose();
  return acc;
}

/**
 * `x` computed in a kernel of its own under `jit` (a sum over an added axis of length 1), for a
 * small array that is broadcast into a large expression: jax-js fuses element-wise work into its
 * consumers, so a `[D]` term of a `[B, D]` expression would otherwise be recomputed B times
 * (measured: ψ of a [2000] array added to a [256, 2000] one, 7.2 ms fused, 1.4 ms materialised).
 * Values unchanged; differentiable. Consumes `x`.
 */
export function materialize(x: Array): Array {
  return x.reshape([...x.shape, 1]).sum(-1);
}

const int32 = (v: number) => np.full([], v, { dtype: np.int32 });
const F32_BITS = new Int32Array(1);
const F32_VIEW = new Float32Array(F32_BITS.buffer);

/** float32 array or number as its int32 bit pattern (values only); consumes an array. */
function bitsOf(v: Array | number): Array | number {
  if (typeof v !== "number") return lax.bitcastConvertType(v, np.int32);
  F32_VIEW[0] = v;
  return int32(F32_BITS[0]);
}

/**
 * `np.where(c, a, b)` for values without a gradient, branch-free in float32: V8 compiles a wasm
 * float select to a branch, which mispredicts on data-dependent conditions (measured: eight
 * selects on random conditions 10.2 ms, sorted 4.9 ms, [256, 2000]); this selects the int32 bit
 * patterns instead (a conditional move, 6.8 ms either way). Worth it only where the condition is
 * close to a coin flip: the bitcasts cost, and they block jax-js's SIMD path (which kernels with a
 * division or a log do not take anyway); the lgamma kernels measured slower with it. float64:
 * `np.where`. Consumes its array arguments.
 */
export function select(c: Array, a: Array | number, b: Array | number): Array {
  const dt = typeof a === "number" ? (b as Array).dtype : a.dtype;
  if (dt !== np.float32) return np.where(c, a, b);
  return lax.bitcastConvertType(np.where(c, bitsOf(a), bitsOf(b)), np.float32);
}

// log(2) split so that k * LN2_HI is exact for |k| < 2^11 (fdlibm e_log.c / e_logf.c)
const LN2_HI_F64 = 0.6931471803691238;
const LN2_LO_F64 = 1.9082149292705877e-10;
const LN2_HI_F32 = 0.693145751953125;
const LN2_LO_F32 = Math.LN2 - LN2_HI_F32;

function isF64(x: Array): boolean {
  return x.dtype === np.float64;
}

// float64: the atanh series `2 + 2z/3 + 2z²/5 + ...` to z^11 (z^11/23 < 2^-53 for z <= 0.02944)
const ATANH_F64 = [2, ...globalThis.Array.from({ length: 11 }, (_, j) => 2 / (2 * j + 3))];

/** float64 `log(1+f) = 2 atanh(s)` for `s = f/(2+f)`, |s| <= 0.1716, as `s·P(s²)`; consumes `s`. */
function log1pFromS(s: Array): Array {
  const z = s.ref.mul(s.ref);
  return s.mul(polyval(ATANH_F64, z));
}

/**
 * float64 x = m · 2^k with m in [√½, √2) for finite x > 0 (values only: no gradient), and the
 * power of two `scale` that was applied to bring x into [2^-100, 2^100]. jax-js has no int64: x is
 * scaled by powers of two into the float32 range, the exponent read from the bits of its float32
 * rounding, the mantissa found by an exact multiplication with 2^-e, then corrected to [√½, √2).
 */
function frexpSqrt2F64(x: Array): { m: Array; k: Array; scale: Array } {
  const dt = x.dtype;
  const pow2 = (e: number) => scalar(2 ** e, dt); // 2^±256 are not float32 numbers (see the header)
  let kAdjust = np.zerosLike(x.ref);
  let scale = np.onesLike(x.ref);
  for (const e of [512, 256, 128, 64]) {
    const big = x.ref.greaterEqual(pow2(100));
    x = np.where(big.ref, x.ref.mul(pow2(-e)), x);
    scale = np.where(big.ref, scale.ref.mul(pow2(-e)), scale);
    kAdjust = np.where(big, kAdjust.ref.add(e), kAdjust);
    const small = x.ref.less(pow2(-100));
    x = np.where(small.ref, x.ref.mul(pow2(e)), x);
    scale = np.where(small.ref, scale.ref.mul(pow2(e)), scale);
    kAdjust = np.where(small, kAdjust.ref.sub(e), kAdjust);
  }
  const e = np
    .rightShift(lax.bitcastConvertType(x.ref.astype(np.float32), np.int32), int32(23))
    .sub(int32(127));
  const inv = lax.bitcastConvertType(np.leftShift(int32(127).sub(e.ref), int32(23)), np.float32);
  let m = x.mul(inv.astype(dt)); // exact: a power of two; m in [½, 2]
  let k = e.astype(dt).add(kAdjust);
  const high = m.ref.greater(Math.SQRT2);
  m = np.where(high.ref, m.ref.mul(0.5), m);
  k = np.where(high, k.ref.add(1), k);
  const low = m.ref.less(Math.SQRT1_2);
  m = np.where(low.ref, m.ref.mul(2), m);
  k = np.where(low, k.ref.sub(1), k);
  return { m, k, scale };
}

/** float64 log of finite x > 0 from `frexpSqrt2F64` (fdlibm e_log.c), and its `scale`; consumes `x`. */
function logPositiveF64(x: Array): { value: Array; scale: Array } {
  const { m, k, scale } = frexpSqrt2F64(x);
  const f = m.sub(1); // exact; the where inside frexpSqrt2F64 keeps the simplifier from reassociating
  const s = f.ref.div(f.add(2));
  const dt = k.dtype;
  const value = k.ref.mul(scalar(LN2_HI_F64, dt)).add(log1pFromS(s).add(k.mul(scalar(LN2_LO_F64, dt))));
  return { value, scale };
}

const MIN_NORMAL_F32 = 2 ** -126;
// Q(z) = (2 atanh(s)/s - 2)/z on z = s² <= 0.02944, relative error 2.8e-7: a weighted least-squares
// (near-minimax) fit made with mpmath (scratch work)
const ATANH_Q_F32 = [0.6666668508352539, 0.39988765137990007, 0.29580513181160345];
// bits of √½, and the offset that moves mantissas in [√½, √2) to the exponent of 1 (musl logf.c)
const SQRT_HALF_BITS = 0x3f3504f3;
const ONE_BITS = 0x3f800000;

/**
 * float32 log for x in (0, +inf), subnormals included (values only, no gradient): the musl
 * `logf` reduction x = m·2^k with m in [√½, √2) by integer arithmetic on the bits (no selects),
 * then `log m = 2 atanh((m-1)/(m+1))` with a 3-term polynomial; < 1 ulp. 0, +inf, NaN and negative x
 * give finite garbage: callers select those. Consumes `x`.
 */
function logPositiveF32(x: Array): Array {
  const tiny = x.ref.less(MIN_NORMAL_F32);
  const xs = np.where(tiny.ref, x.ref.mul(2 ** 25), x); // exact
  const ix = lax.bitcastConvertType(xs, np.int32).add(int32(ONE_BITS - SQRT_HALF_BITS));
  const k = np
    .rightShift(ix.ref, int32(23))
    .sub(int32(127))
    .astype(np.float32)
    .sub(np.where(tiny, 25, 0));
  const mBits = np.bitwiseAnd(ix, int32(0x7fffff)).add(int32(SQRT_HALF_BITS));
  const m = lax.bitcastConvertType(mBits, np.float32);
  // f = m - 1, exact; the where (always true) keeps the simplifier from turning `x + f` into
  // `(x + m) - 1`, which would round away f's low bits (see the header)
  const f = np.where(m.ref.greater(0), m.sub(1), 0);
  // log(1+f) = 2 atanh(s) = f - s (f - z Q(z)) with s = f/(2+f), z = s² (2s = f - f s): f enters
  // unrounded and the correction is small, so ~1 ulp
  const s = f.ref.div(f.ref.add(2));
  const z = s.ref.mul(s.ref);
  const correction = s.mul(f.ref.sub(z.ref.mul(polyval(ATANH_Q_F32, z))));
  return k.ref.mul(LN2_HI_F32).add(f.sub(correction).add(k.mul(LN2_LO_F32)));
}

/**
 * Values of the natural logarithm for finite x > 0 (`[...] -> [...]`, < 1 ulp in float32, ~1-2 in
 * float64, subnormals included); no gradient, and no special values: 0, +inf, NaN and x < 0 give
 * meaningless finite numbers. For callers that know their argument's range (lgamma); else `log`.
 * Consumes `x`.
 */
export function logPositive(x: Array): Array {
  if (!isF64(x)) return logPositiveF32(x);
  const { value, scale } = logPositiveF64(x);
  scale.dispose();
  return value;
}

/**
 * Natural logarithm accurate to ~2 ulp in float32 and float64 (`[...] -> [...]`); 0 -> -inf,
 * negative -> NaN. Value: `logPositive` (x = m·2^k from the bits, `log m = 2 atanh((m-1)/(m+1))`,
 * fdlibm e_log.c / musl logf.c). Gradient: that of `np.log` (1/x, all orders), attached as
 * `np.log(x) - stopGradient(np.log(x))`, exactly 0 in value, so that the backward pass stays small
 * (jit compiles of `grad(lgamma)` took seconds when differentiating through the reduction); the
 * same `np.log(x)` gives the special values (0, inf, NaN, x < 0). Consumes `x`.
 */
export function log(x: Array): Array {
  const regular = np.logicalAnd(x.ref.greater(0), x.ref.less(Number.POSITIVE_INFINITY));
  const safe = lax.stopGradient(np.where(regular.ref, x.ref, 1));
  // jax-js's log is -inf on subnormals and float32-ranged in float64: the carrier takes x times
  // the power of two that brings it into range (which leaves the derivative 1/x as it is)
  let value: Array;
  let scale: Array;
  if (isF64(x)) ({ value, scale } = logPositiveF64(safe));
  else {
    value = logPositiveF32(safe);
    scale = np.where(np.logicalAnd(regular.ref, x.ref.less(MIN_NORMAL_F32)), 2 ** 25, 1);
  }
  const approx = np.log(x.mul(scale));
  const tangent = approx.ref.sub(lax.stopGradient(approx.ref));
  return np.where(regular, lax.stopGradient(value).add(tangent), approx);
}

/**
 * `log(1 + y)` accurate to ~3 ulp, also for tiny y (`[...] -> [...]`); -inf at -1, NaN below.
 * float32: `y log(u) / (u - 1)` with u = fl(1 + y) (exact rounding compensation, Goldberg 1991,
 * "What every computer scientist should know about floating-point arithmetic", theorem 4), y
 * itself where u = 1; one `logPositive`. float64: on y in [√½-1, √2-1] the atanh series of
 * `s = y/(2+y)` (no rounding of 1 + y), elsewhere `log(1 + y)`. Derivative that of `np.log(1 + y)`
 * (as for `log`), or through the series. Consumes `y`.
 */
export function log1p(y: Array): Array {
  if (!isF64(y)) {
    const u = lax.stopGradient(y.ref).add(1);
    const regular = np.logicalAnd(u.ref.greater(0), u.ref.less(Number.POSITIVE_INFINITY));
    const uSafe = np.where(regular.ref, u, 2);
    const d = uSafe.ref.sub(1);
    const yc = lax.stopGradient(y.ref);
    // u = 1 (y = 0, or |y| < 2^-24) is common in count data: a branch-free select
    const value = select(d.ref.equal(0), yc.ref, yc.mul(logPositive(uSafe)).div(d));
    const approx = np.log(y.add(1)); // derivative 1/(1+y), and the special values
    const tangent = approx.ref.sub(lax.stopGradient(approx.ref));
    return np.where(regular, lax.stopGradient(value).add(tangent), approx);
  }
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
