/**
 * Categorical distribution over {0, ..., K-1} from `logits` or `probs` of shape `[...batch, K]`
 * (event shape `[]`: one integer per draw). Probabilities are used as given, never renormalised
 * (`validate` checks that they sum to 1). No `mean`: the classes are labels, not numbers.
 * Reference: distrax `Categorical`.
 */
import { describe, ValueError } from "../errors.js";
import { type Array, lax, nn, np, random } from "../jax.js";
import {
  checkData,
  checkRank,
  checkSampleShape,
  type Distribution,
  floatDtype,
  valuesOf,
} from "./distribution.js";
import { log, xlogy } from "./elementary.js";

/** `{ logits: [...batch, K] }` or `{ probs: [...batch, K] }` (rows summing to 1). */
export type CategoricalParams = { logits: Array } | { probs: Array };

const FN = "Categorical";

function leaf(p: CategoricalParams): Array {
  return "logits" in p ? p.logits : p.probs;
}

function batchShape(p: CategoricalParams): number[] {
  const a = leaf(p);
  checkRank(FN, "logits" in p ? "logits" : "probs", a, 1, "[...batch, K]");
  return a.shape.slice(0, -1);
}

/** `log_softmax` along the last axis with the accurate `log` (jax-js's is ~1e-5); consumes `logits`. */
export function logSoftmax(logits: Array): Array {
  const m = lax.stopGradient(logits.ref.max(-1, { keepdims: true }));
  const shifted = logits.sub(m);
  return shifted.ref.sub(log(np.exp(shifted).sum(-1, { keepdims: true })));
}

/** Normalised log-probabilities `[...batch, K]`; consumes the leaf. */
function logProbsOf(p: CategoricalParams): Array {
  return "logits" in p ? logSoftmax(p.logits) : log(p.probs);
}

/**
 * Categorical: `logProb(k) = log_softmax(logits)[k]` (-inf outside 0..K-1), entropy
 * `-Σ p log p`. Samples are int32 (Gumbel-max via `random.categorical`). Not reparameterisable.
 */
export const Categorical = {
  name: FN,
  reparameterized: false,
  batchShape,
  eventShape: (_p: CategoricalParams): number[] => [],

  /** `x: [...sample, ...batch]` integer classes -> `[...sample, ...batch]`, nats. */
  logProb(p: CategoricalParams, x: Array): Array {
    const batch = batchShape(p);
    checkData(`${FN}.logProb`, x, batch, []);
    const k = leaf(p).shape[leaf(p).ndim - 1];
    const dt = floatDtype(leaf(p).dtype);
    const xi = x.astype(np.int32);
    const valid = np.logicalAnd(xi.ref.greaterEqual(0), xi.ref.less(k));
    const hot = nn.oneHot(xi, k).greater(0); // [...sample, ...batch, K]
    const lp = np.where(hot, logProbsOf(p).astype(dt), 0).sum(-1);
    return np.where(valid, lp, Number.NEGATIVE_INFINITY);
  },

  /** `[...sampleShape, ...batch]`, int32. */
  sample(p: CategoricalParams, key: Array, sampleShape: number[] = []): Array {
    checkSampleShape(`${FN}.sample`, sampleShape);
    const shape = [...sampleShape, ...batchShape(p)];
    const logits = "logits" in p ? p.logits : log(p.probs);
    return random.categorical(key, lax.stopGradient(logits), { shape });
  },

  /** Nats, `[...batch]`. */
  entropy(p: CategoricalParams): Array {
    batchShape(p);
    if ("logits" in p) {
      const lp = logSoftmax(p.logits);
      return np.exp(lp.ref).mul(lp).sum(-1).neg();
    }
    return xlogy(p.probs.ref, p.probs).sum(-1).neg();
  },

  validate(p: CategoricalParams): void {
    const batch = batchShape(p);
    const a = leaf(p);
    const values = valuesOf(a);
    if (values === null) return;
    if ("logits" in p) {
      if (values.some((v) => Number.isNaN(v) || v === Number.POSITIVE_INFINITY)) {
        throw new ValueError(`${FN}: logits must be < +inf and not NaN, but got ${describe(values)}`);
      }
      return;
    }
    const k = a.shape[a.ndim - 1];
    const rows = batch.reduce((s, d) => s * d, 1);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const v = values[r * k + j];
        if (!(v >= 0 && v <= 1)) throw new ValueError(`${FN}: probs must be in [0, 1], but got ${v}`);
        sum += v;
      }
      if (Math.abs(sum - 1) > 1e-5) {
        throw new ValueError(`${FN}: probs must sum to 1 along the last axis, but row ${r} sums to ${sum}`);
      }
    }
  },
} satisfies Distribution<CategoricalParams>;
