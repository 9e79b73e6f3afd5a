/**
 * Log-gamma and digamma, as differentiable jax-js functions (float32 or float64 arrays) and as
 * plain-number float64 functions for plain TypeScript code.
 *
 * One algorithm for all four (A&S = Abramowitz & Stegun, Handbook of Mathematical Functions):
 * 1. x < 0: reflection, `lgamma(x) = log(π / |sin(πx)|) - lgamma(1 - x)` (A&S 6.1.17) and
 *    `ψ(x) = ψ(1 - x) - π cot(πx)` (A&S 6.3.7), with sin/cos of the reduced argument x - round(x).
 * 2. x >= 10: Stirling's series (A&S 6.1.40) and its derivative (A&S 6.3.18).
 * 3. 0 < x < 10: shift by n = floor(x - 1.5) in [-2, 8] to t = x - n in [1.5, 2.5) with the
 *    recurrence Γ(x+1) = xΓ(x), then the Taylor series about 2,
 *    `lgamma(2 + p) = (1 - γ) p + Σ_{k>=2} (-1)^k (ζ(k) - 1) p^k / k` (A&S 6.1.33 plus log(1+p)),
 *    whose derivative is the series of ψ(2 + p). No Lanczos sum: its cancellation costs ~6e-6.
 * The series lengths depend on the dtype. Accuracy (tests against scipy.special): float32 ~1e-6
 * relative (absolute ~1e-7 near the zeros of lgamma at 1, 2 and of ψ at 1.4616); float64 arrays
 * ~1e-13 for x > 0 (reflection uses jax-js `sin`, float32-accurate); plain-number versions ~1e-14.
 */
import { type Array, np } from "../jax.js";
import { log, polyval, scalar, sinCosPiReduced } from "./elementary.js";

/** ζ(k) - 1 for k = 2..31 (scipy.special.zetac; checked by test/distributions/special.test.ts). */
export const ZETA_MINUS_ONE: readonly number[] = [
  0.6449340668482264, 0.2020569031595943, 0.08232323371113819, 0.03692775514336993, 0.01734306198444914,
  0.008349277381922827, 0.00407735619794434, 0.0020083928260822143, 0.0009945751278180853,
  0.0004941886041194645, 0.0002460865533080483, 0.00012271334757848915, 6.124813505870483e-5,
  3.058823630702049e-5, 1.528225940865187e-5, 7.637197637899763e-6, 3.81729326499984e-6, 1.908212716553939e-6,
  9.539620338727962e-7, 4.769329867878064e-7, 2.38450502727733e-7, 1.1921992596531106e-7,
  5.960818905125948e-8, 2.980350351465228e-8, 1.4901554828365043e-8, 7.45071178983543e-9,
  3.725334024788457e-9, 1.862659723513049e-9, 9.313274324196682e-10, 4.656629065033784e-10,
];

const EULER_GAMMA = 0.5772156649015329;
const HALF_LOG_2PI = 0.9189385332046728;
const LOG_PI = 1.1447298858494002;
const STIRLING_MIN = 10;
// Bernoulli numbers B_2 .. B_16
const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510];

/** Taylor coefficients of lgamma(2 + p) / p in p, n terms (index j is the coefficient of p^j). */
function lgammaTaylor(n: number): number[] {
  const c = [1 - EULER_GAMMA];
  for (let k = 2; k <= n; k++) c.push(((k % 2 === 0 ? 1 : -1) * ZETA_MINUS_ONE[k - 2]) / k);
  return c;
}
/** Taylor coefficients of ψ(2 + p) in p: the derivative of p·lgammaTaylor. */
function digammaTaylor(n: number): number[] {
  return lgammaTaylor(n).map((a, j) => a * (j + 1));
}
/** Stirling correction `Σ B_2k / (2k(2k-1)) u^(k-1)` with u = 1/x², times 1/x outside. */
const LGAMMA_STIRLING = BERNOULLI.map((b, i) => b / ((2 * i + 2) * (2 * i + 1)));
/** Asymptotic ψ correction `Σ B_2k / (2k) u^k`, u = 1/x². */
const DIGAMMA_ASYMPTOTIC = BERNOULLI.map((b, i) => b / (2 * i + 2));

// Series lengths: float32 needs the tail below ~3e-8 relative, float64 below ~1e-16.
const TAYLOR_F32 = { lgamma: lgammaTaylor(14), digamma: digammaTaylor(16) };
const TAYLOR_F64 = { lgamma: lgammaTaylor(28), digamma: digammaTaylor(31) };
const STIRLING_TERMS_F32 = 3;
const STIRLING_TERMS_F64 = 8;

type Reduced = { t: Array; n: Array };

/** Steps 3's shift: n = clip(floor(x - 1.5), -2, 8) and t = x - n in [1.5, 2.5); consumes x. */
function reduce(x: Array): Reduced {
  const n = np.clip(np.floor(x.ref.sub(1.5)), -2, 8);
  return { t: x.sub(n.ref), n };
}

/**
 * Stirling's series remainder `lgamma(x + 1) - (x log x - x + ½ log 2πx) = Σ_k B_2k / (2k(2k-1) x^(2k-1))`
 * (A&S 6.1.40) for x >= 10 (`[...] -> [...]`), to the dtype's precision; consumes `x`.
 */
export function stirlingCorrection(x: Array): Array {
  const terms = x.dtype === np.float64 ? STIRLING_TERMS_F64 : STIRLING_TERMS_F32;
  const inv = np.reciprocal(x);
  return polyval(LGAMMA_STIRLING.slice(0, terms), inv.ref.mul(inv.ref)).mul(inv);
}

/** lgamma for x > 0 (x = 0 gives +inf); consumes x. */
function lgammaPositive(x: Array): Array {
  const dt = x.dtype;
  const f64 = dt === np.float64;
  const isInf = x.ref.equal(Number.POSITIVE_INFINITY);
  x = np.where(isInf.ref, STIRLING_MIN, x);
  const large = x.ref.greaterEqual(STIRLING_MIN);
  // 3. shift branch, evaluated at x = 2 where the Stirling branch is used (gradient-safe)
  const xs = np.where(large.ref, 2, x.ref);
  const { t, n } = reduce(xs.ref);
  // q = (x-1)(x-2)...(x-n) for n > 0, q = x(x+1)...(x-n-1) for n < 0; lgamma(x) = T ± log q
  let q = np.onesLike(xs.ref);
  for (let k = 1; k <= 8; k++) q = q.mul(np.where(n.ref.greaterEqual(k), xs.ref.sub(k), 1));
  q = q.mul(np.where(n.ref.less(0), xs.ref, 1)).mul(np.where(n.ref.less(-1), xs.add(1), 1));
  const sign = np.where(n.less(0), -1, 1);
  const p = t.sub(2);
  const taylor = polyval((f64 ? TAYLOR_F64 : TAYLOR_F32).lgamma, p.ref).mul(p);
  // 2. Stirling branch, evaluated at x = STIRLING_MIN where the shift branch is used
  const xl = np.where(large.ref, x, STIRLING_MIN);
  const logArg = log(np.where(large.ref, xl.ref, q));
  const series = stirlingCorrection(xl.ref);
  const stirling = xl.ref
    .sub(0.5)
    .mul(logArg.ref)
    .sub(xl)
    .add(series.add(scalar(HALF_LOG_2PI, dt)));
  // (x - ½) log x - x is inf - inf at x = +inf
  const value = np.where(large, stirling, taylor.add(sign.mul(logArg)));
  return np.where(isInf, Number.POSITIVE_INFINITY, value);
}

/** Natural log of |Γ(x)| (`[...] -> [...]`, float32 or float64), +inf at 0, -1, -2, ...; differentiable. Consumes `x`. */
export function lgamma(x: Array): Array {
  const neg = x.ref.less(0);
  const xNeg = np.where(neg.ref, x.ref, 0.5);
  const [sin] = sinCosPiReduced(xNeg);
  const reflected = np.where(neg.ref, np.negative(x.ref).add(1), x);
  const lg = lgammaPositive(reflected);
  const dt = lg.dtype;
  const refl = scalar(LOG_PI, dt)
    .sub(log(np.abs(sin)))
    .sub(lg.ref);
  return np.where(neg, refl, lg);
}

/** ψ(x) for x > 0; consumes x. */
function digammaPositive(x: Array): Array {
  const dt = x.dtype;
  const f64 = dt === np.float64;
  const large = x.ref.greaterEqual(STIRLING_MIN);
  const xs = np.where(large.ref, 2, x.ref);
  const { t, n } = reduce(xs.ref);
  // ψ(x) = ψ(t) + Σ_{k=1..n} 1/(x-k) for n > 0; ψ(x) = ψ(t) - 1/x - [n = -2] 1/(x+1) for n < 0
  let shift = np.zerosLike(xs.ref);
  for (let k = 1; k <= 8; k++) {
    const d = np.where(n.ref.greaterEqual(k), xs.ref.sub(k), Number.POSITIVE_INFINITY);
    shift = shift.add(np.reciprocal(d));
  }
  shift = shift.sub(np.reciprocal(np.where(n.ref.less(0), xs.ref, Number.POSITIVE_INFINITY)));
  shift = shift.sub(np.reciprocal(np.where(n.less(-1), xs.add(1), Number.POSITIVE_INFINITY)));
  const taylor = polyval((f64 ? TAYLOR_F64 : TAYLOR_F32).digamma, t.sub(2)).add(shift);
  const xl = np.where(large.ref, x, STIRLING_MIN);
  const terms = f64 ? STIRLING_TERMS_F64 : STIRLING_TERMS_F32;
  const inv = np.reciprocal(xl.ref);
  const u = inv.ref.mul(inv.ref);
  const series = polyval(DIGAMMA_ASYMPTOTIC.slice(0, terms), u.ref).mul(u);
  const asymptotic = log(xl).sub(inv.mul(0.5).add(series));
  return np.where(large, asymptotic, taylor);
}

/** Digamma ψ(x) = d/dx lgamma(x) (`[...] -> [...]`, float32 or float64); differentiable. Consumes `x`. */
export function digamma(x: Array): Array {
  const neg = x.ref.less(0);
  const xNeg = np.where(neg.ref, x.ref, 0.5);
  const [sin, cos] = sinCosPiReduced(xNeg);
  const reflected = np.where(neg.ref, np.negative(x.ref).add(1), x);
  const psi = digammaPositive(reflected);
  const cot = cos.div(sin).mul(scalar(Math.PI, psi.dtype));
  return np.where(neg, psi.ref.sub(cot), psi);
}

/** Log of the beta function, `lgamma(a) + lgamma(b) - lgamma(a + b)` (broadcast); consumes both. */
export function lbeta(a: Array, b: Array): Array {
  return lgamma(a.ref)
    .add(lgamma(b.ref))
    .sub(lgamma(a.add(b)));
}

// ---- plain-number float64 versions ------------------------------------------------------------

function horner(coeffs: readonly number[], x: number): number {
  let acc = coeffs[coeffs.length - 1];
  for (let i = coeffs.length - 2; i >= 0; i--) acc = acc * x + coeffs[i];
  return acc;
}

function lgammaPositiveF64(x: number): number {
  if (x >= STIRLING_MIN) {
    const inv = 1 / x;
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + inv * horner(LGAMMA_STIRLING, inv * inv);
  }
  const n = Math.min(8, Math.max(-2, Math.floor(x - 1.5)));
  const p = x - n - 2;
  const taylor = p * horner(TAYLOR_F64.lgamma, p);
  let q = 1;
  for (let k = 1; k <= n; k++) q *= x - k;
  for (let k = 0; k < -n; k++) q *= x + k;
  return n >= 0 ? taylor + Math.log(q) : taylor - Math.log(q);
}

/** Natural log of |Γ(x)| for a float64 number, ~1e-14 relative (absolute near the zeros 1, 2). */
export function lgammaF64(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (x <= 0 && Number.isInteger(x)) return Number.POSITIVE_INFINITY;
  if (x > 0) return lgammaPositiveF64(x);
  const r = x - Math.round(x);
  return LOG_PI - Math.log(Math.abs(Math.sin(Math.PI * r))) - lgammaPositiveF64(1 - x);
}

function digammaPositiveF64(x: number): number {
  if (x >= STIRLING_MIN) {
    const u = 1 / (x * x);
    return Math.log(x) - 0.5 / x - u * horner(DIGAMMA_ASYMPTOTIC, u);
  }
  const n = Math.min(8, Math.max(-2, Math.floor(x - 1.5)));
  let shift = 0;
  for (let k = n; k >= 1; k--) shift += 1 / (x - k);
  for (let k = 0; k < -n; k++) shift -= 1 / (x + k);
  return horner(TAYLOR_F64.digamma, x - n - 2) + shift;
}

/** Digamma ψ(x) for a float64 number, ~1e-14 relative (absolute near the root 1.4616...). */
export function digammaF64(x: number): number {
  if (Number.isNaN(x) || x === Number.NEGATIVE_INFINITY) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (x <= 0 && Number.isInteger(x)) return Number.NaN;
  if (x > 0) return digammaPositiveF64(x);
  const r = x - Math.round(x);
  return digammaPositiveF64(1 - x) - Math.PI / Math.tan(Math.PI * r);
}
