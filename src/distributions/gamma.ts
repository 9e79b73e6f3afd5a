/**
 * Gamma distribution with shape `concentration` α > 0 and inverse scale `rate` β > 0 (mean α/β),
 * as distrax `Gamma` / scipy.stats.gamma(a = α, scale = 1/β).
 */
import { type Array, np } from "../jax.js";
import {
  broadcastShapesOf,
  checkData,
  checkSampleShape,
  checkValues,
  type Distribution,
  floatDtype,
} from "./distribution.js";
import { log, xlogy } from "./elementary.js";
import { standardGamma } from "./samplers.js";
import { digamma, lgamma } from "./special.js";

/** `concentration > 0` and `rate > 0`, broadcast to the batch shape. */
export type GammaParams = { concentration: Array; rate: Array };

function batchShape(p: GammaParams): number[] {
  return broadcastShapesOf("Gamma", { concentration: p.concentration.shape, rate: p.rate.shape });
}

/**
 * Gamma(α, β): `logProb(x) = α log β + (α-1) log x - βx - lgamma(α)` (-inf for x < 0), entropy
 * `α - log β + lgamma(α) + (1-α) ψ(α)`. Samples by Marsaglia–Tsang (not differentiable).
 */
export const Gamma = {
  name: "Gamma",
  reparameterized: false,
  batchShape,
  eventShape: (_p: GammaParams): number[] => [],

  /** `x: [...sample, ...batch]` -> `[...sample, ...batch]`, nats. */
  logProb(p: GammaParams, x: Array): Array {
    checkData("Gamma.logProb", x, batchShape(p), []);
    const dt = floatDtype(p.concentration.dtype, p.rate.dtype, x.dtype);
    const a = p.concentration.astype(dt);
    const b = p.rate.astype(dt);
    const xf = x.astype(dt);
    const negative = xf.ref.less(0);
    const xs = np.where(negative.ref, 1, xf);
    const lp = a.ref
      .mul(log(b.ref))
      .add(xlogy(a.ref.sub(1), xs.ref))
      .sub(b.mul(xs))
      .sub(lgamma(a));
    return np.where(negative, Number.NEGATIVE_INFINITY, lp);
  },

  /** `[...sampleShape, ...batch]`, positive floats. */
  sample(p: GammaParams, key: Array, sampleShape: number[] = []): Array {
    checkSampleShape("Gamma.sample", sampleShape);
    const shape = [...sampleShape, ...batchShape(p)];
    const dt = floatDtype(p.concentration.dtype, p.rate.dtype);
    const g = standardGamma(key, np.broadcastTo(p.concentration.astype(dt), shape));
    return g.div(p.rate.astype(dt));
  },

  /** `α/β`, `[...batch]`. */
  mean(p: GammaParams): Array {
    const shape = batchShape(p);
    return np.broadcastTo(p.concentration.div(p.rate), shape);
  },

  /** `α/β²`, `[...batch]`. */
  variance(p: GammaParams): Array {
    const shape = batchShape(p);
    return np.broadcastTo(p.concentration.div(p.rate.ref.mul(p.rate)), shape);
  },

  /** Nats, `[...batch]`. */
  entropy(p: GammaParams): Array {
    const shape = batchShape(p);
    const a = p.concentration;
    const h = a.ref
      .sub(log(p.rate))
      .add(lgamma(a.ref))
      .add(np.negative(a.ref).add(1).mul(digamma(a)));
    return np.broadcastTo(h, shape);
  },

  validate(p: GammaParams): void {
    batchShape(p);
    checkValues(
      "Gamma",
      "concentration",
      p.concentration,
      (v) => v > 0 && Number.isFinite(v),
      "positive and finite",
    );
    checkValues("Gamma", "rate", p.rate, (v) => v > 0 && Number.isFinite(v), "positive and finite");
  },
} satisfies Distribution<GammaParams>;
