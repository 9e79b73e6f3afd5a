/**
 * Probability distributions with one interface (distrax's): `logProb`, `sample(key, shape)`,
 * `mean`, `variance`, `entropy` where a closed form exists, `batchShape`/`eventShape`, `validate`.
 *
 * Design: a distribution is a record of pure functions over a plain-object params pytree, e.g.
 * `Normal.logProb({ loc, scale }, x)`, not an object holding its arrays. Every function consumes
 * its array arguments, like jax-js itself (keep a parameter with `.ref` or `tree.ref(params)`).
 * This makes `grad` with respect to the parameters and use inside `jit`ted losses direct:
 * ```ts
 * const loss = (p: NormalParams, x: Array) => Normal.logProb(p, x).mean().neg();
 * const step = jit(valueAndGrad(loss));
 * ```
 * and a model's decoder simply returns the params record (`{ mu, theta, ziLogits }`).
 * Parameters in several natural forms are unions (`{ logits } | { probs }`,
 * `{ scaleTril } | { covariance }`, `{ rate } | { logRate }`), told apart by key.
 *
 * Checks: shapes are checked on every call (they are static, also under `jit`); values (scale > 0,
 * probabilities in [0, 1], positive-definite covariance) only by `validate(params)`, which reads
 * concrete arrays and skips tracers, so call it where parameters enter (fit, CLI, loaders).
 *
 * Numerics: log-densities use the accurate `log`/`log1p`/`softplus` of `elementary.ts` (jax-js's
 * `np.log` is off by up to 1.2e-5 on wasm; `nn.softplus` overflows) and `lgamma`/`digamma` of
 * `special.ts` (5e-7 relative in float32). float64 parameters give float64 results, exact to
 * ~1e-12 where only log/lgamma/arithmetic are involved; jax-js's float64 `exp` and `sin` are
 * float32-accurate (and `exp` under/overflows at |x| ≈ 88), which limits Bernoulli/Categorical
 * logits, Poisson `logRate`, ZINB and negative arguments of lgamma/digamma to ~1e-7.
 *
 * jit: everything runs inside `jit` and `grad`. Two jax-js 0.1.25 limits are worked around: its
 * triangular solve cannot be compiled under `jit`, so `MultivariateNormal` solves by forward
 * substitution (and factorises `covariance` by an unrolled Cholesky) when given tracers; and
 * sampling Gamma/Poisson eagerly is slow and memory-hungry, so those samplers are `jit`-compiled
 * internally (once per shape).
 *
 * Sampling: reparameterised for Normal and MultivariateNormal; Gamma and Dirichlet by vectorised
 * Marsaglia–Tsang, Poisson by inversion / PTRS, NB and ZINB by Gamma–Poisson (`samplers.ts`,
 * `poisson.ts`), all from jax-js random operations with a fixed number of rejection rounds,
 * deterministic given the key; these draws carry no gradient (except through Gamma's 1/rate).
 */
export { Bernoulli, type BernoulliParams } from "./bernoulli.js";
export { Categorical, type CategoricalParams, logSoftmax } from "./categorical.js";
export { Dirichlet, type DirichletParams, logMultivariateBeta } from "./dirichlet.js";
export type { Distribution } from "./distribution.js";
export { log, log1p, logSigmoid, softplus, xlog1py, xlogy } from "./elementary.js";
export { Gamma, type GammaParams } from "./gamma.js";
export { independent } from "./independent.js";
export {
  cholesky,
  MultivariateNormal,
  type MultivariateNormalParams,
  solveLower,
} from "./multivariate-normal.js";
export { logNbPositive, NegativeBinomial, type NegativeBinomialParams } from "./negative-binomial.js";
export { Normal, type NormalParams } from "./normal.js";
export { Poisson, type PoissonParams, poissonLogPmf, poissonSample } from "./poisson.js";
export { logStandardGamma, standardGamma } from "./samplers.js";
export {
  digamma,
  digammaF64,
  lbeta,
  lgamma,
  lgammaDigammaValues,
  lgammaF64,
  lgammaPositive,
  stirlingCorrection,
} from "./special.js";
export {
  logZinbPositive,
  ZeroInflatedNegativeBinomial,
  type ZeroInflatedNegativeBinomialParams,
} from "./zero-inflated-negative-binomial.js";
