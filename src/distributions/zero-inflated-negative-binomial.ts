/**
 * Zero-inflated negative binomial as in scvi-tools (`ZeroInflatedNegativeBinomial(mu, theta,
 * zi_logits)`): with probability π = sigmoid(ziLogits) a structural zero, otherwise
 * NegativeBinomial(μ, θ). Counts are floats in the parameters' dtype.
 */
import { type Array, nn, np, random } from "../jax.js";
import {
  broadcastShapesOf,
  checkData,
  checkSampleShape,
  checkValues,
  type Distribution,
  floatDtype,
} from "./distribution.js";
import { log, scalar, softplus } from "./elementary.js";
import { NB_EPS, sampleNb } from "./negative-binomial.js";
import { nonNegativeCounts } from "./poisson.js";
import { lgammaPositive } from "./special.js";

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
 */
export function logZinbPositive(x: Array, mu: Array, theta: Array, ziLogits: Array): Array {
  const dt = x.dtype;
  const eps = scalar(NB_EPS, dt);
  const softplusPi = softplus(ziLogits.ref.neg());
  const logThetaMu = log(theta.ref.add(mu.ref).add(eps.ref));
  const piThetaLog = theta.ref.mul(log(theta.ref.add(eps.ref)).sub(logThetaMu.ref)).sub(ziLogits);
  const caseZero = softplus(piThetaLog.ref).sub(softplusPi.ref);
  const caseNonZero = piThetaLog
    .sub(softplusPi)
    .add(x.ref.mul(log(mu.add(eps)).sub(logThetaMu)))
    .add(
      lgammaPositive(x.ref.add(theta.ref))
        .sub(lgammaPositive(theta))
        .sub(lgammaPositive(x.ref.add(1))),
    );
  return np.where(x.less(NB_EPS), caseZero, caseNonZero);
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
