/**
 * Bernoulli distribution on {0, 1}, from `logits` (preferred: stable for extreme probabilities)
 * or `probs`. Samples are 0/1 in the parameters' float dtype. Reference: distrax `Bernoulli`.
 */
import { type Array, nn, np, random } from "../jax.js";
import { checkData, checkSampleShape, checkValues, type Distribution, floatDtype } from "./distribution.js";
import { softplus, xlog1py, xlogy } from "./elementary.js";

/** `{ logits: [...batch] }` or `{ probs: [...batch] }` with probs in [0, 1]. */
export type BernoulliParams = { logits: Array } | { probs: Array };

function leaf(p: BernoulliParams): Array {
  return "logits" in p ? p.logits : p.probs;
}

function probsOf(p: BernoulliParams): Array {
  return "logits" in p ? nn.sigmoid(p.logits) : p.probs;
}

/**
 * Bernoulli: `logProb(x) = x l - softplus(l)` for logits l (or `x log p + (1-x) log(1-p)`), entropy
 * `softplus(l) - l σ(l)`. Not reparameterisable.
 */
export const Bernoulli = {
  name: "Bernoulli",
  reparameterized: false,
  batchShape: (p: BernoulliParams): number[] => leaf(p).shape,
  eventShape: (_p: BernoulliParams): number[] => [],

  /** `x: [...sample, ...batch]` of 0/1 -> `[...sample, ...batch]`, nats. */
  logProb(p: BernoulliParams, x: Array): Array {
    checkData("Bernoulli.logProb", x, leaf(p).shape, []);
    const dt = floatDtype(leaf(p).dtype, x.dtype);
    const xf = x.astype(dt);
    if ("logits" in p) return xf.mul(p.logits.ref).sub(softplus(p.logits));
    const q = p.probs.astype(dt);
    return xlogy(xf.ref, q.ref).add(xlog1py(np.negative(xf).add(1), q.neg()));
  },

  /** `[...sampleShape, ...batch]` of 0/1 in the float dtype of the parameters. */
  sample(p: BernoulliParams, key: Array, sampleShape: number[] = []): Array {
    checkSampleShape("Bernoulli.sample", sampleShape);
    const shape = [...sampleShape, ...leaf(p).shape];
    const dt = floatDtype(leaf(p).dtype);
    const u = random.uniform(key, shape).astype(dt);
    return u.less(probsOf(p)).astype(dt);
  },

  /** Probability of 1, `[...batch]`. */
  mean(p: BernoulliParams): Array {
    return probsOf(p);
  },

  /** `p (1 - p)`, `[...batch]`. */
  variance(p: BernoulliParams): Array {
    const q = probsOf(p);
    return q.ref.mul(np.negative(q).add(1));
  },

  /** Nats, `[...batch]`. */
  entropy(p: BernoulliParams): Array {
    if ("logits" in p) {
      const l = p.logits;
      return softplus(l.ref).sub(l.ref.mul(nn.sigmoid(l)));
    }
    const q = p.probs;
    return xlogy(q.ref, q.ref)
      .add(xlog1py(np.negative(q.ref).add(1), q.neg()))
      .neg();
  },

  validate(p: BernoulliParams): void {
    if ("logits" in p) checkValues("Bernoulli", "logits", p.logits, (v) => !Number.isNaN(v), "not NaN");
    else checkValues("Bernoulli", "probs", p.probs, (v) => v >= 0 && v <= 1, "in [0, 1]");
  },
} satisfies Distribution<BernoulliParams>;
