/**
 * Zero-inflated negative binomial as in scvi-tools (`ZeroInflatedNegativeBinomial(mu, theta,
 * zi_logits)`): with probability π = sigmoid(ziLogits) a structural zero, otherwise
 * NegativeBinomial(μ, θ). Counts are floats in the parameters' dtype.
 */
import { type Array, lax, nn, np, random } from "../jax.js";
import {
  broadcastShapesOf,
  checkData,
  checkSampleShape,
  checkValues,
  type Distribution,
  floatDtype,
} from "./distribution.js";
import { softplus } from "./elementary.js";
import { NB_EPS, nbTerms, sampleNb } from "./negative-binomial.js";
import { nonNegativeCounts } from "./poisson.js";

/** `mu > 0`, `theta > 0` and `ziLogits` (logit of the zero-inflation probability). */
export type ZeroInflatedNegativeBinomialParams = { mu: Array; theta: Array; ziLogits: Array };

const FN = "ZeroInflatedNegativeBinomial";

function batchShape(p: ZeroInflatedNegativeBinomialParams): number[] {
  return broadcastShapesOf(FN, { mu: p.mu.shape, theta: p.theta.shape, ziLogits: p.ziLogits.shape });
}

/**
 * scvi-tools `log_zinb_positive` (consumes all four), with π the logit and ε = 1e-8:
 * x < ε: `softplus(-π + θ log((θ+ε)/(θ+μ+ε))) - softplus(-π)`;
 * else: `-softplus(-π) - π + θ log((θ+ε)/(θ+μ+ε)) + x log((μ+ε)/(θ+μ+ε)) + lgamma(x+θ) - lgamma(θ) - lgamma(x+1)`.
 * Values and derivatives from `nbTerms` (T = θ log((θ+ε)/(θ+μ+ε)), σ the logistic function):
 * zero case ∂/∂π = σ(-π) - σ(T - π), ∂/∂(μ, θ) = σ(T - π) ∂T/∂(μ, θ), ∂/∂x = 0; else ∂/∂π = -σ(π)
 * and the NB derivatives; attached by formula (`stopGradient` carriers, first order only).
 */
export function logZinbPositive(x: Array, mu: Array, theta: Array, ziLogits: Array): Array {
  const t = nbTerms(x.ref, mu.ref, theta.ref);
  const pc = lax.stopGradient(ziLogits.ref);
  const zero = lax.stopGradient(x.ref).less(NB_EPS);
  const softplusPi = softplus(pc.ref.neg());
  const shifted = t.thetaTerm.sub(pc.ref); // T - π
  const wZero = nn.sigmoid(shifted.ref); // σ(T - π)
  const caseZero = softplus(shifted).sub(softplusPi.ref);
  const caseNonZero = t.value.sub(softplusPi).sub(pc.ref);
  const value = np.where(zero.ref, caseZero, caseNonZero);
  const dPi = np.where(zero.ref, nn.sigmoid(pc.ref.neg()).sub(wZero.ref), nn.sigmoid(pc).neg());
  const dMu = np.where(zero.ref, wZero.ref.mul(t.dThetaTermMu), t.dMu);
  const dTheta = np.where(zero.ref, wZero.mul(t.dThetaTermTheta), t.dTheta);
  const dX = np.where(zero, 0, t.dX);
  return value
    .add(ziLogits.sub(lax.stopGradient(ziLogits.ref)).mul(dPi))
    .add(mu.sub(lax.stopGradient(mu.ref)).mul(dMu))
    .add(theta.sub(lax.stopGradient(theta.ref)).mul(dTheta))
    .add(x.sub(lax.stopGradient(x.ref)).mul(dX));
}

/**
 * ZINB(μ, θ, π): log-probability as scvi-tools `log_zinb_positive` (-inf for x < 0), mean
 * `(1-π) μ`, variance `(1-π) μ (1 + μ/θ + π μ)`. No closed-form entropy. Not reparameterisable.
 */
export const ZeroInflatedNegativeBinomial = {
  name: FN,
  reparameterized: false,
  batchShape,
  eventShape: (_p: ZeroInflatedNegativeBinomialParams): number[] => [],

  /** `x: [...sample, ...batch]` counts -> `[...sample, ...batch]`, nats. */
  logProb(p: ZeroInflatedNegativeBinomialParams, x: Array): Array {
    checkData(`${FN}.logProb`, x, batchShape(p), []);
    const dt = floatDtype(p.mu.dtype, p.theta.dtype, p.ziLogits.dtype, x.dtype);
    const [xs, finish] = nonNegativeCounts(x.astype(dt));
    return finish(logZinbPositive(xs, p.mu.astype(dt), p.theta.astype(dt), p.ziLogits.astype(dt)));
  },

  /** `[...sampleShape, ...batch]` counts (float dtype): NB draws zeroed with probability π. */
  sample(p: ZeroInflatedNegativeBinomialParams, key: Array, sampleShape: number[] = []): Array {
    checkSampleShape(`${FN}.sample`, sampleShape);
    const shape = [...sampleShape, ...batchShape(p)];
    const dt = floatDtype(p.mu.dtype, p.theta.dtype, p.ziLogits.dtype);
    const ks = random.split(key, 2);
    const kNb = ks.ref.slice(0);
    const kZero = ks.slice(1);
    const nb = sampleNb(
      kNb,
      np.broadcastTo(p.mu.astype(dt), shape),
      np.broadcastTo(p.theta.astype(dt), shape),
    );
    const zero = random
      .uniform(kZero, shape)
      .astype(dt)
      .less(nn.sigmoid(p.ziLogits.astype(dt)));
    return np.where(zero, 0, nb);
  },

  /** `(1-π) μ`, `[...batch]`. */
  mean(p: ZeroInflatedNegativeBinomialParams): Array {
    const shape = batchShape(p);
    p.theta.dispose();
    return np.broadcastTo(nn.sigmoid(p.ziLogits.neg()).mul(p.mu), shape);
  },

  /** `(1-π) μ (1 + μ/θ + π μ)`, `[...batch]`. */
  variance(p: ZeroInflatedNegativeBinomialParams): Array {
    const shape = batchShape(p);
    const zi = p.ziLogits;
    const pi = nn.sigmoid(zi.ref);
    const keep = nn.sigmoid(zi.neg()); // 1 - π without cancellation
    const mu = p.mu;
    const inner = mu.ref.div(p.theta).add(pi.mul(mu.ref)).add(1);
    return np.broadcastTo(keep.mul(mu).mul(inner), shape);
  },

  validate(p: ZeroInflatedNegativeBinomialParams): void {
    batchShape(p);
    checkValues(FN, "mu", p.mu, (v) => v > 0 && Number.isFinite(v), "positive and finite");
    checkValues(FN, "theta", p.theta, (v) => v > 0 && Number.isFinite(v), "positive and finite");
    checkValues(FN, "ziLogits", p.ziLogits, (v) => !Number.isNaN(v), "not NaN");
  },
} satisfies Distribution<ZeroInflatedNegativeBinomialParams>;
