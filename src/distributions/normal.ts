/**
 * Normal distribution with independent coordinates (scalar events; distrax `Normal`). Use it for
 * a diagonal Gaussian by summing `logProb` and `entropy` over the last axis, or wrap it with
 * `independent(Normal, 1)`.
 */
import { type Array, np, random } from "../jax.js";
import {
  broadcastShapesOf,
  checkData,
  checkSampleShape,
  checkValues,
  type Distribution,
  floatDtype,
  HALF_LOG_2PI,
} from "./distribution.js";
import { log, scalar } from "./elementary.js";

/** Parameters of `Normal`: `loc` and `scale` (> 0), broadcast to the batch shape. */
export type NormalParams = { loc: Array; scale: Array };

function batchShape(p: NormalParams): number[] {
  return broadcastShapesOf("Normal", { loc: p.loc.shape, scale: p.scale.shape });
}

/**
 * Normal(loc, scale): `logProb = -((x-μ)/σ)²/2 - log σ - log(2π)/2`, entropy `½ + ½log(2π) + log σ`;
 * reparameterised sampling `μ + σ ε`. Reference: distrax `distributions/normal.py`.
 */
export const Normal = {
  name: "Normal",
  reparameterized: true,
  batchShape,
  eventShape: (_p: NormalParams): number[] => [],

  /** `x: [...sample, ...batch] -> [...sample, ...batch]`, nats. */
  logProb(p: NormalParams, x: Array): Array {
    checkData("Normal.logProb", x, batchShape(p), []);
    const dt = floatDtype(p.loc.dtype, p.scale.dtype, x.dtype);
    const z = x.astype(dt).sub(p.loc).div(p.scale.ref);
    return z.ref
      .mul(z)
      .mul(-0.5)
      .sub(log(p.scale).add(scalar(HALF_LOG_2PI, dt)));
  },

  /** `[...sampleShape, ...batch]`, differentiable in `loc` and `scale`. */
  sample(p: NormalParams, key: Array, sampleShape: number[] = []): Array {
    checkSampleShape("Normal.sample", sampleShape);
    const shape = [...sampleShape, ...batchShape(p)];
    const dt = floatDtype(p.loc.dtype, p.scale.dtype);
    return random.normal(key, shape).astype(dt).mul(p.scale).add(p.loc);
  },

  /** `[...batch]`. */
  mean(p: NormalParams): Array {
    const shape = batchShape(p);
    p.scale.dispose();
    return np.broadcastTo(p.loc, shape);
  },

  /** `σ²`, `[...batch]`. */
  variance(p: NormalParams): Array {
    const shape = batchShape(p);
    p.loc.dispose();
    return np.broadcastTo(p.scale.ref.mul(p.scale), shape);
  },

  /** Nats, `[...batch]`. */
  entropy(p: NormalParams): Array {
    const shape = batchShape(p);
    p.loc.dispose();
    const dt = p.scale.dtype;
    return np.broadcastTo(log(p.scale).add(scalar(0.5 + HALF_LOG_2PI, dt)), shape);
  },

  validate(p: NormalParams): void {
    batchShape(p);
    checkValues("Normal", "loc", p.loc, Number.isFinite, "finite");
    checkValues("Normal", "scale", p.scale, (v) => v > 0 && Number.isFinite(v), "positive and finite");
  },
} satisfies Distribution<NormalParams>;
