/**
 * Negative binomial in the mean / inverse-dispersion parameterisation of scvi-tools
 * (`scvi.distributions.NegativeBinomial(mu, theta)`): mean μ, variance μ + μ²/θ. Equivalent to
 * scipy.stats.nbinom(n = θ, p = θ/(θ + μ)). Counts are floats in the parameters' dtype.
 */
import { type Array, lax, np, random, tree } from "../jax.js";
import {
  broadcastShapesOf,
  checkData,
  checkSampleShape,
  checkValues,
  type Distribution,
  floatDtype,
} from "./distribution.js";
import { logPositive, materialize, scalar } from "./elementary.js";
import { nonNegativeCounts, poissonSample } from "./poisson.js";
import { logStandardGamma } from "./samplers.js";
import { lgammaDigammaValues } from "./special.js";

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
 * Values (no gradients) of scvi-tools' NB log-density and its partial derivatives, for functions
 * that attach their own derivatives; with T = θ log((θ+ε)/(θ+μ+ε)) (ZINB's zero case needs it
 * alone). Shapes: the broadcast of x, μ, θ.
 */
export type NbTerms = {
  /** `log_nb_positive` (see `logNbPositive`). */
  value: Array;
  /** ∂ value / ∂μ, ∂θ, ∂x. */
  dMu: Array;
  dTheta: Array;
  dX: Array;
  /** T and ∂T / ∂μ, ∂T / ∂θ. */
  thetaTerm: Array;
  dThetaTermMu: Array;
  dThetaTermTheta: Array;
};

/**
 * `NbTerms` of counts `x >= 0` and μ, θ > 0 (broadcast; consumes all three), with L = log(θ+μ+ε):
 * value = T + x (log(μ+ε) - L) + lgamma(x+θ) - lgamma(θ) - lgamma(x+1);
 * ∂/∂μ = x/(μ+ε) - (x+θ)/(θ+μ+ε); ∂/∂θ = log(θ+ε) - L + θ/(θ+ε) - (x+θ)/(θ+μ+ε) + ψ(x+θ) - ψ(θ);
 * ∂/∂x = log(μ+ε) - L + ψ(x+θ) - ψ(x+1); ∂T/∂μ = -θ/(θ+μ+ε); ∂T/∂θ = log(θ+ε) - L + θ/(θ+ε) - θ/(θ+μ+ε).
 */
export function nbTerms(x: Array, mu: Array, theta: Array): NbTerms {
  const dt = x.dtype;
  const eps = scalar(NB_EPS, dt);
  // terms of θ alone (per-feature θ), or of μ and θ alone (samples of x), in kernels of their own
  const size = (...shapes: number[][]) => np.broadcastShapes(...shapes).reduce((p, n) => p * n, 1);
  const full = size(x.shape, mu.shape, theta.shape);
  const own = (a: Array) => (theta.size < full ? materialize(a) : a);
  const ownMuTheta = (a: Array) => (size(mu.shape, theta.shape) < full ? materialize(a) : a);
  const xc = lax.stopGradient(x);
  const mc = lax.stopGradient(mu);
  const tc = lax.stopGradient(theta);
  const thetaEps = tc.ref.add(eps.ref);
  const b = lgammaDigammaValues(tc.ref);
  const logThetaEps = own(logPositive(thetaEps.ref));
  const lgTheta = own(b.lgamma);
  const thetaRatio = own(tc.ref.div(thetaEps)); // θ/(θ+ε)
  const psiTheta = own(b.digamma);
  const muEps = mc.ref.add(eps.ref);
  const total = tc.ref.add(mc).add(eps); // θ + μ + ε
  const inv = ownMuTheta(np.reciprocal(total.ref));
  const logTotal = logPositive(total);
  const logTheta = ownMuTheta(logThetaEps.sub(logTotal.ref)); // log((θ+ε)/(θ+μ+ε))
  const logMu = ownMuTheta(logPositive(muEps.ref).sub(logTotal)); // log((μ+ε)/(θ+μ+ε))
  const xTheta = xc.ref.add(tc.ref);
  const a = lgammaDigammaValues(xTheta.ref);
  const c = lgammaDigammaValues(xc.ref.add(1));
  const thetaTerm = tc.ref.mul(logTheta.ref);
  const value = thetaTerm.ref.add(xc.ref.mul(logMu.ref)).add(a.lgamma.sub(lgTheta).sub(c.lgamma));
  const ratio = xTheta.mul(inv.ref); // (x+θ)/(θ+μ+ε)
  const dMu = xc.div(muEps).sub(ratio.ref);
  const dThetaTermTheta = logTheta.ref.add(thetaRatio.ref).sub(tc.ref.mul(inv.ref));
  const dTheta = logTheta.add(thetaRatio).sub(ratio).add(a.digamma.ref.sub(psiTheta));
  const dX = logMu.add(a.digamma.sub(c.digamma));
  const dThetaTermMu = tc.mul(inv).neg();
  return { value, dMu, dTheta, dX, thetaTerm, dThetaTermMu, dThetaTermTheta };
}

/**
 * scvi-tools `log_nb_positive` for counts `x >= 0` (broadcast; consumes all three):
 * `θ (log(θ+ε) - log(θ+μ+ε)) + x (log(μ+ε) - log(θ+μ+ε)) + lgamma(x+θ) - lgamma(θ) - lgamma(x+1)`.
 * Values and derivatives from `nbTerms`, the derivatives attached by formula (`stopGradient`
 * carriers; first order only: second derivatives come out 0). Under jit(grad) on [256, 2000] with
 * per-feature θ this took two thirds of the time of differentiating through the logs and lgammas.
 */
export function logNbPositive(x: Array, mu: Array, theta: Array): Array {
  const t = nbTerms(x.ref, mu.ref, theta.ref);
  tree.dispose([t.thetaTerm, t.dThetaTermMu, t.dThetaTermTheta]);
  return t.value
    .add(mu.sub(lax.stopGradient(mu.ref)).mul(t.dMu))
    .add(theta.sub(lax.stopGradient(theta.ref)).mul(t.dTheta))
    .add(x.sub(lax.stopGradient(x.ref)).mul(t.dX));
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
