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
 * `np.log` is off by up to 1.2e-5 on wasm) and `lgamma`/`digamma` of `special.ts`. float64
 * parameters give float64 results; jax-js's `exp` and `sin` stay float32-accurate there.
 * Sampling: reparameterised for Normal and MultivariateNormal; Gamma and Dirichlet by vectorised
 * Marsaglia–Tsang, Poisson by inversion / PTRS, NB and ZINB by Gamma–Poisson (see `samplers.ts`),
 * all with jax-js random operations, inside or outside `jit`.
 */
export { Bernoulli, type BernoulliParams } from "./bernoulli.js";
export { Categorical, type CategoricalParams, logSoftmax } from "./categorical.js";
export { Dirichlet, type DirichletParams, logMultivariateBeta } from "./dirichlet.js";
export type { Distribution } from "./distribution.js";
export { log, log1p, logSigmoid, softplus, xlog1py, xlogy } from "./elementary.js";
export { Gamma, type GammaParams } from "./gamma.js";
export { independent } from "./independent.js";
export { MultivariateNormal, type MultivariateNormalParams } from "./multivariate-normal.js";
export { logNbPositive, NegativeBinomial, type NegativeBinomialParams } from "./negative-binomial.js";
export { Normal, type NormalParams } from "./normal.js";
export { Poisson, type PoissonParams, poissonLogPmf, poissonSample } from "./poisson.js";
export { logStandardGamma, standardGamma } from "./samplers.js";
export { digamma, digammaF64, lbeta, lgamma, lgammaF64 } from "./special.js";
export {
  logZinbPositive,
  ZeroInflatedNegativeBinomial,
  type ZeroInflatedNegativeBinomialParams,
} from "./zero-inflated-negative-binomial.js";
