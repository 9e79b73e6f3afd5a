/**
 * Negative binomial in the mean / inverse-dispersion parameterisation of scvi-tools
 * (`scvi.distributions.NegativeBinomial(mu, theta)`): mean μ, variance μ + μ²/θ. Equivalent to
 * scipy.stats.nbinom(n = θ, p = θ/(θ + μ)). Counts are floats in the parameters' dtype.
 */
import { type Array, np, random } from "../jax.js";
import {
  broadcastShapesOf,
  checkData,
  checkSampleShape,
  checkValues,
  type Distribution,
  floatDtype,
} from "./distribution.js";
import { log, scalar } from "./elementary.js";
import { nonNegativeCounts, poissonSample } from "./poisson.js";
import { logStandardGamma } from "./samplers.js";
import { lgammaPositive } from "./special.js";

/** `mu > 0` (mean) and `theta > 0` (inverse dispersion), broadcast to the batch shape. */
export type NegativeBinomialParams = { mu: Array; theta: Array };

/** The `eps` scvi-tools adds inside the logarithms of `log_nb_positive` / `log_zinb_positive`. */
export const NB_EPS = 1e-8;
/** scvi-tools clamps the Gamma draw to this before the Poisson step. */
const MAX_RATE = 1e8;

function batchShape(p: NegativeBinomialParams): number[] {
  return broadcastShapesOf("NegativeBinomial", { mu: p.mu.shape, theta: p.theta.shape });
}

/**
 * scvi-tools `log_nb_positive` for counts `x >= 0` (consumes all three):
 * `θ (log(θ+ε) - log(θ+μ+ε)) + x (log(μ+ε) - log(θ+μ+ε)) + lgamma(x+θ) - lgamma(θ) - lgamma(x+1)`.
 */
export function logNbPositive(x: Array, mu: Array, theta: Array): Array {
  const dt = x.dtype;
  const eps = scalar(NB_EPS, dt);
  const logThetaMu = log(theta.ref.add(mu.ref).add(eps.ref));
  const a = theta.ref.mul(log(theta.ref.add(eps.ref)).sub(logThetaMu.ref));
  const b = x.ref.mul(log(mu.add(eps)).sub(logThetaMu));
  const g = lgammaPositive(x.ref.add(theta.ref))
    .sub(lgammaPositive(theta))
    .sub(lgammaPositive(x.add(1)));
  return a.add(b).add(g);
}

/** Gamma–Poisson draws: λ ~ Gamma(θ, rate θ/μ) clamped to 1e8, then Poisson(λ); consumes all. */
export function sampleNb(key: Array, mu: Array, theta: Array): Array {
  const ks = random.split(key, 2);
  const kGamma = ks.ref.slice(0);
  const kPoisson = ks.slice(1);
  const lam = np.exp(logStandardGamma(kGamma, theta.ref)).mul(mu).div(theta);
  return poissonSample(kPoisson, np.minimum(lam, MAX_RATE));
}

/**
 * NegativeBinomial(μ, θ): log-probability as scvi-tools `log_nb_positive` (with its ε = 1e-8;
 * -inf for x < 0), sampling as scvi-tools (Gamma–Poisson mixture). No closed-form entropy.
 */
export const NegativeBinomial = {
  name: "NegativeBinomial",
  reparameterized: false,
  batchShape,
  eventShape: (_p: NegativeBinomialParams): number[] => [],

  /** `x: [...sample, ...batch]` counts -> `[...sample, ...batch]`, nats. */
  logProb(p: NegativeBinomialParams, x: Array): Array {
    checkData("NegativeBinomial.logProb", x, batchShape(p), []);
    const dt = floatDtype(p.mu.dtype, p.theta.dtype, x.dtype);
    const [xs, finish] = nonNegativeCounts(x.astype(dt));
    return finish(logNbPositive(xs, p.mu.astype(dt), p.theta.astype(dt)));
  },

  /** `[...sampleShape, ...batch]` counts (float dtype). */
  sample(p: NegativeBinomialParams, key: Array, sampleShape: number[] = []): Array {
    checkSampleShape("NegativeBinomial.sample", sampleShape);
    const shape = [...sampleShape, ...batchShape(p)];
    const dt = floatDtype(p.mu.dtype, p.theta.dtype);
    return sampleNb(key, np.broadcastTo(p.mu.astype(dt), shape), np.broadcastTo(p.theta.astype(dt), shape));
  },

  /** μ, `[...batch]`. */
  mean(p: NegativeBinomialParams): Array {
    const shape = batchShape(p);
    p.theta.dispose();
    return np.broadcastTo(p.mu, shape);
  },

  /** `μ + μ²/θ`, `[...batch]`. */
  variance(p: NegativeBinomialParams): Array {
    const shape = batchShape(p);
    const mu = p.mu;
    return np.broadcastTo(mu.ref.add(mu.ref.mul(mu).div(p.theta)), shape);
  },

  validate(p: NegativeBinomialParams): void {
    batchShape(p);
    checkValues("NegativeBinomial", "mu", p.mu, (v) => v > 0 && Number.isFinite(v), "positive and finite");
    checkValues(
      "NegativeBinomial",
      "theta",
      p.theta,
      (v) => v > 0 && Number.isFinite(v),
      "positive and finite",
    );
  },
} satisfies Distribution<NegativeBinomialParams>;
