/**
 * Poisson distribution on {0, 1, 2, ...} from `rate` (λ >= 0) or `logRate` (log λ, convenient as
 * a network output). Counts are floats in the parameters' dtype. Reference: scipy.stats.poisson.
 */
import { type Array, jit, lax, np, random, tree } from "../jax.js";
import { checkData, checkSampleShape, checkValues, type Distribution, floatDtype } from "./distribution.js";
import { log, log1p, logPositive, materialize, scalar } from "./elementary.js";
import { pickFirst } from "./samplers.js";
import { lgammaDigammaValues, stirlingCorrection } from "./special.js";

/** Rounds of PTRS: acceptance >= 0.75 per round for λ >= 10 (measured; 0.89 for large λ), so 0.25^24 < 1e-14. */
export const POISSON_ROUNDS = 24;
/** Rates below this use inversion; at or above, transformed rejection (PTRS). */
const POISSON_INVERSION_MAX = 10;
/** Inversion steps: P(X >= 40 | rate 10) < 1e-12. */
const POISSON_INVERSION_TERMS = 40;
/** Counts from which the Stirling form of the log-pmf is used. */
const STIRLING_FROM = 10;

/** `{ rate: [...batch] }` (λ >= 0) or `{ logRate: [...batch] }`. */
export type PoissonParams = { rate: Array } | { logRate: Array };

function leaf(p: PoissonParams): Array {
  return "rate" in p ? p.rate : p.logRate;
}

function rateOf(p: PoissonParams): Array {
  return "rate" in p ? p.rate : np.exp(p.logRate);
}

/** Mask `lp` to -inf where the count `x` is negative; returns the safe count and a finisher. */
export function nonNegativeCounts(x: Array): [Array, (lp: Array) => Array] {
  const negative = x.ref.less(0);
  const safe = np.where(negative.ref, 0, x);
  return [safe, (lp) => np.where(negative, Number.NEGATIVE_INFINITY, lp)];
}

/** `g` clipped to the finite range of its dtype, so that a carrier `0 · g` stays 0; consumes `g`. */
function finite(g: Array): Array {
  const max = g.dtype === np.float64 ? Number.MAX_VALUE : F32_MAX;
  return np.clip(g, scalar(-max, g.dtype), scalar(max, g.dtype));
}
const F32_MAX = 3.4028234663852886e38;

/**
 * log P(X = x) for Poisson(λ), x >= 0 (`[...] -> [...]`, broadcast; consumes all). For x < 10,
 * `x log λ - λ - lgamma(x + 1)` (with `0 log 0 = 0`; `logRate`, if given, is used for log λ); for
 * x >= 10 the same quantity as `δ - x log1p(δ/λ) - ½ log(2πx) - stirlingCorrection(x)`, δ = x - λ,
 * which avoids the cancellation of the direct form when x and λ are large (float32 error ~1e-6
 * instead of ~5e-4 at λ = 1000). Values only, with the derivatives attached by formula
 * (`stopGradient` carriers, first order only): ∂/∂λ = x/λ - 1 (-1 for the `-λ` term alone when
 * `logRate` is given and x < 10, which then gets ∂/∂logRate = x), ∂/∂x = log λ - ψ(x + 1).
 */
export function poissonLogPmf(x: Array, rate: Array, logRate?: Array): Array {
  const dt = x.dtype;
  const xc = lax.stopGradient(x.ref);
  const rc = lax.stopGradient(rate.ref);
  const big = xc.ref.greaterEqual(STIRLING_FROM);
  const xb = np.where(big.ref, xc.ref, STIRLING_FROM);
  const xs = np.where(big.ref, 0, xc.ref);
  const lamB = np.where(big.ref, rc.ref, STIRLING_FROM);
  const delta = xb.ref.sub(lamB.ref);
  const stable = delta.ref
    .sub(xb.ref.mul(log1p(delta.div(lamB))))
    .sub(logPositive(xb.ref.mul(scalar(2 * Math.PI, dt))).mul(0.5))
    .sub(stirlingCorrection(xb));
  const positive = rc.ref.greater(0);
  // log λ in a kernel of its own when the counts have more elements (samples of x)
  const own = rate.size < np.broadcastShapes(x.shape, rate.shape).reduce((p, n) => p * n, 1);
  let logLam =
    logRate === undefined
      ? np.where(positive.ref, logPositive(np.where(positive, rc.ref, 1)), Number.NEGATIVE_INFINITY)
      : lax.stopGradient(logRate.ref);
  if (own) logLam = materialize(logLam);
  const xLogLam = np.where(xs.ref.equal(0), 0, xs.mul(logLam.ref)); // 0 log 0 = 0
  const g = lgammaDigammaValues(xc.ref.add(1));
  const direct = xLogLam.sub(rc.ref).sub(g.lgamma);
  const value = np.where(big.ref, stable, direct);
  const dX = finite(logLam.sub(g.digamma));
  // x/λ - 1 (x = 0: -1, also at λ = 0)
  const dRate = finite(np.where(xc.ref.equal(0), 0, xc.ref.div(rc)).sub(1));
  const out = value.add(x.sub(lax.stopGradient(x.ref)).mul(dX));
  const carrier = (a: Array, d: Array) => a.ref.sub(lax.stopGradient(a)).mul(d);
  if (logRate === undefined) {
    tree.dispose([big, xc]);
    return out.add(carrier(rate, dRate));
  }
  const dLogRate = np.where(big.ref, 0, xc);
  return out.add(carrier(rate, np.where(big, dRate, -1))).add(carrier(logRate, dLogRate));
}

/**
 * Poisson(λ): `logProb(x) = x log λ - λ - lgamma(x + 1)` (see `poissonLogPmf`) (-inf for x < 0; non-integer x gives the
 * continuous extension, unlike scipy's -inf); mean and variance λ. Not reparameterisable.
 */
export const Poisson = {
  name: "Poisson",
  reparameterized: false,
  batchShape: (p: PoissonParams): number[] => leaf(p).shape,
  eventShape: (_p: PoissonParams): number[] => [],

  /** `x: [...sample, ...batch]` counts -> `[...sample, ...batch]`, nats. */
  logProb(p: PoissonParams, x: Array): Array {
    checkData("Poisson.logProb", x, leaf(p).shape, []);
    const dt = floatDtype(leaf(p).dtype, x.dtype);
    const [xs, finish] = nonNegativeCounts(x.astype(dt));
    if ("rate" in p) return finish(poissonLogPmf(xs, p.rate.astype(dt)));
    return finish(poissonLogPmf(xs, np.exp(p.logRate.ref.astype(dt)), p.logRate.astype(dt)));
  },

  /** `[...sampleShape, ...batch]` counts (float dtype); inversion below λ = 10, PTRS above. */
  sample(p: PoissonParams, key: Array, sampleShape: number[] = []): Array {
    checkSampleShape("Poisson.sample", sampleShape);
    const shape = [...sampleShape, ...leaf(p).shape];
    const dt = floatDtype(leaf(p).dtype);
    return poissonSample(key, np.broadcastTo(rateOf(p).astype(dt), shape));
  },

  /** λ, `[...batch]`. */
  mean(p: PoissonParams): Array {
    return rateOf(p);
  },

  /** λ, `[...batch]`. */
  variance(p: PoissonParams): Array {
    return rateOf(p);
  },

  validate(p: PoissonParams): void {
    if ("rate" in p)
      checkValues("Poisson", "rate", p.rate, (v) => v >= 0 && Number.isFinite(v), "non-negative and finite");
    else
      checkValues(
        "Poisson",
        "logRate",
        p.logRate,
        (v) => !Number.isNaN(v) && v < Number.POSITIVE_INFINITY,
        "< +inf",
      );
  },
} satisfies Distribution<PoissonParams>;

/**
 * Poisson(rate) draws as floats, one per element of `rate` (shape preserved): inversion by
 * sequential search for rate < 10, Hörmann's PTRS for rate >= 10 (W. Hörmann 1993, "The
 * transformed rejection method for generating Poisson random variables", Insurance: Mathematics
 * and Economics 12(1), algorithm PTRS) with 24 vectorised rounds (all reject with probability
 * < 1e-14; then the first candidate is kept). The inversion is truncated at 40 terms, i.e. at
 * P(X >= 40) < 1e-12. Not differentiable. Consumes both arguments.
 */
export function poissonSample(key: Array, rate: Array): Array {
  return poissonKernel(key, rate);
}

// Compiled once per shape and dtype, as the Gamma sampler (see samplers.ts).
const poissonKernel = jit(function poissonSampleKernel(key: Array, rate: Array): Array {
  const dt = rate.dtype;
  const shape = rate.shape;
  const ks = random.split(key, 3);
  const kInv = ks.ref.slice(0);
  const kU = ks.ref.slice(1);
  const kV = ks.slice(2);
  const lam = lax.stopGradient(rate);
  const small = lam.ref.less(POISSON_INVERSION_MAX);
  // 1. inversion: X = #{k : F(k) < u} over k = 0..TERMS-1
  const lamS = np.where(small.ref, lam.ref, 0);
  const u = random.uniform(kInv, shape).astype(dt);
  let pk = np.exp(lamS.ref.neg());
  let cdf = pk.ref;
  let count = u.ref.greater(cdf.ref).astype(dt);
  for (let k = 1; k < POISSON_INVERSION_TERMS; k++) {
    pk = pk.mul(lamS.ref).div(k);
    cdf = cdf.add(pk.ref);
    count = count.add(u.ref.greater(cdf.ref).astype(dt));
  }
  for (const a of [pk, cdf, u, lamS]) a.dispose();
  // 2. PTRS for λ >= 10 (evaluated at λ = 10 elsewhere)
  const lamL = np.where(small.ref, POISSON_INVERSION_MAX, lam);
  const b = np.sqrt(lamL.ref).mul(2.53).add(0.931);
  const a = b.ref.mul(0.02483).sub(0.059);
  const invAlpha = np.reciprocal(b.ref.sub(3.4)).mul(1.1328).add(1.1239);
  const vr = np.reciprocal(b.ref.sub(2)).mul(-3.6224).add(0.9277);
  const U = random
    .uniform(kU, [POISSON_ROUNDS, ...shape])
    .astype(dt)
    .sub(0.5);
  const V = random.uniform(kV, [POISSON_ROUNDS, ...shape]).astype(dt);
  const us = np.negative(np.abs(U.ref)).add(0.5);
  const usSafe = np.maximum(us.ref, 1e-6);
  const kRaw = np.floor(a.ref.mul(2).div(usSafe.ref).add(b.ref).mul(U).add(lamL.ref).add(0.43));
  const valid = np.logicalAnd(kRaw.ref.greaterEqual(0), us.ref.greater(0));
  const k = np.where(valid.ref, kRaw, 0);
  const quick = np.logicalAnd(us.ref.greaterEqual(0.07), V.ref.lessEqual(vr));
  const squeezeReject = np.logicalAnd(us.less(0.013), V.ref.greater(usSafe.ref));
  const lhs = log(V)
    .add(log(invAlpha))
    .sub(log(a.div(usSafe.ref.mul(usSafe)).add(b)));
  const rhs = poissonLogPmf(k.ref, lamL.reshape([1, ...shape]));
  const slow = np.logicalAnd(np.logicalAnd(valid, np.logicalNot(squeezeReject)), lhs.lessEqual(rhs));
  const large = pickFirst(k, np.logicalOr(quick, slow));
  return lax.stopGradient(np.where(small, count, large));
});
