/**
 * Vectorised rejection sampling and the Gamma sampler, written with jax-js random and array
 * operations only, so that they run inside `jit` and on any backend and are deterministic given
 * the key (jax-js has no gamma, beta, Dirichlet or Poisson sampler). The Poisson sampler, built the
 * same way, is in poisson.ts.
 *
 * A rejection sampler runs a fixed number of rounds: every round draws a candidate and an accept
 * flag for every element, and the first accepted candidate is kept. If all rounds reject
 * (probability below 1e-13 per element here), the first candidate is returned. Samples are not
 * differentiable (wrapped in `stopGradient`).
 */
import { type Array, jit, lax, np, random } from "../jax.js";
import { log, scalar } from "./elementary.js";

/** Rounds of Marsaglia–Tsang: acceptance >= 0.95 per round, so 0.05^10 < 1e-13 all-reject. */
export const GAMMA_ROUNDS = 10;

/** Index of the first true along axis 0 of `accept: [R, ...shape]` -> `[1, ...shape]` (0 if none). */
function firstAccepted(accept: Array): Array {
  const idx = np.argmax(accept.astype(np.int32), 0);
  return idx.reshape([1, ...idx.shape]);
}

/** Pick `candidates[first accepted round]`: `[R, ...shape] -> [...shape]`; consumes both. */
export function pickFirst(candidates: Array, accept: Array): Array {
  const picked = np.takeAlongAxis(candidates, firstAccepted(accept), 0);
  return picked.reshape(picked.shape.slice(1));
}

/**
 * Log of standard Gamma(α, 1) draws, one per element of `alpha` (shape preserved), by
 * Marsaglia & Tsang (2000), "A simple method for generating gamma variables", ACM TOMS 26(3),
 * with the boost `G(α) = G(α + 1) U^(1/α)` for α < 1 (their section 6). Consumes both arguments.
 */
export function logStandardGamma(key: Array, alpha: Array): Array {
  return gammaKernel(key, alpha);
}

// Compiled once per shape and dtype: eager evaluation of the ~10 rounds takes seconds and
// gigabytes for 1e5 draws, the compiled kernel milliseconds (a nested jit inside a caller's jit
// is inlined).
const gammaKernel = jit(function logStandardGammaKernel(key: Array, alpha: Array): Array {
  const dt = alpha.dtype;
  const shape = alpha.shape;
  const ks = random.split(key, 3);
  const kNormal = ks.ref.slice(0);
  const kUniform = ks.ref.slice(1);
  const kBoost = ks.slice(2);
  const a = lax.stopGradient(alpha);
  const small = a.ref.less(1);
  const boosted = np.where(small.ref, a.ref.add(1), a.ref);
  // 1. d = α - 1/3, c = 1/sqrt(9d)
  const d = boosted.sub(scalar(1 / 3, dt));
  const c = np.reciprocal(np.sqrt(d.ref.mul(9)));
  // 2. candidates v = (1 + c x)^3 for x ~ N(0, 1), one per round
  const x = random.normal(kNormal, [GAMMA_ROUNDS, ...shape]).astype(dt);
  const u = random.uniform(kUniform, [GAMMA_ROUNDS, ...shape]).astype(dt);
  const w = x.ref.mul(c).add(1);
  const positive = w.ref.greater(0);
  const logV = log(np.where(positive.ref, w, 1)).mul(3);
  // 3. accept if log U < x²/2 + d - d v + d log v
  const v = np.exp(logV.ref);
  const bound = x.ref
    .mul(x)
    .mul(0.5)
    .add(d.ref.mul(np.negative(v).add(1).add(logV.ref)));
  const accept = np.logicalAnd(positive, log(u).less(bound));
  const logG = pickFirst(logV, accept).add(log(d));
  // 4. boost for α < 1: log G(α) = log G(α + 1) + log(U) / α
  const uBoost = random.uniform(kBoost, shape).astype(dt);
  const boost = np.where(small.ref, log(uBoost).div(np.where(small.ref, a, 1)), 0);
  small.dispose();
  return lax.stopGradient(logG.add(boost));
});

/** Standard Gamma(α, 1) draws, shape of `alpha`; consumes both arguments. */
export function standardGamma(key: Array, alpha: Array): Array {
  return np.exp(logStandardGamma(key, alpha));
}
