/**
 * Dirichlet distribution on the (K-1)-simplex with `concentration: [...batch, K]` (event shape
 * `[K]`), as distrax `Dirichlet` / scipy.stats.dirichlet.
 */
import { describe, ValueError } from "../errors.js";
import { type Array, nn, np } from "../jax.js";
import {
  checkData,
  checkRank,
  checkSampleShape,
  checkValues,
  type Distribution,
  floatDtype,
} from "./distribution.js";
import { xlogy } from "./elementary.js";
import { logStandardGamma } from "./samplers.js";
import { digamma, lgamma } from "./special.js";

/** `concentration: [...batch, K]`, all entries > 0, K >= 2. */
export type DirichletParams = { concentration: Array };

const FN = "Dirichlet";

function shapes(p: DirichletParams): { batch: number[]; k: number } {
  const a = p.concentration;
  checkRank(FN, "concentration", a, 1, "[...batch, K]");
  const k = a.shape[a.ndim - 1];
  if (k < 2)
    throw new ValueError(
      `${FN}: concentration must have K >= 2 categories, but got shape ${describe(a.shape)}`,
    );
  return { batch: a.shape.slice(0, -1), k };
}

/** Log of the multivariate beta function `Σ lgamma(α_k) - lgamma(Σ α_k)` over the last axis; consumes `alpha`. */
export function logMultivariateBeta(alpha: Array): Array {
  return lgamma(alpha.ref)
    .sum(-1)
    .sub(lgamma(alpha.sum(-1)));
}

/**
 * Dirichlet(α): `logProb(x) = Σ (α_k - 1) log x_k - log B(α)` (x is not checked to lie on the
 * simplex), entropy `log B(α) + (α₀ - K) ψ(α₀) - Σ (α_k - 1) ψ(α_k)`. Samples are normalised Gamma
 * draws, computed as a softmax of log-Gamma draws so that tiny α do not give 0/0.
 */
export const Dirichlet = {
  name: FN,
  reparameterized: false,
  batchShape: (p: DirichletParams): number[] => shapes(p).batch,
  eventShape: (p: DirichletParams): number[] => [shapes(p).k],

  /** `x: [...sample, ...batch, K]` -> `[...sample, ...batch]`, nats. */
  logProb(p: DirichletParams, x: Array): Array {
    const { batch, k } = shapes(p);
    checkData(`${FN}.logProb`, x, batch, [k]);
    const dt = floatDtype(p.concentration.dtype, x.dtype);
    const a = p.concentration.astype(dt);
    return xlogy(a.ref.sub(1), x.astype(dt)).sum(-1).sub(logMultivariateBeta(a));
  },

  /** `[...sampleShape, ...batch, K]` on the simplex. */
  sample(p: DirichletParams, key: Array, sampleShape: number[] = []): Array {
    checkSampleShape(`${FN}.sample`, sampleShape);
    const { batch, k } = shapes(p);
    const dt = floatDtype(p.concentration.dtype);
    const alpha = np.broadcastTo(p.concentration.astype(dt), [...sampleShape, ...batch, k]);
    return nn.softmax(logStandardGamma(key, alpha), -1);
  },

  /** `α / α₀`, `[...batch, K]`. */
  mean(p: DirichletParams): Array {
    shapes(p);
    const a = p.concentration;
    return a.ref.div(a.sum(-1, { keepdims: true }));
  },

  /** `m (1 - m) / (α₀ + 1)` with m the mean, `[...batch, K]`. */
  variance(p: DirichletParams): Array {
    shapes(p);
    const a = p.concentration;
    const a0 = a.ref.sum(-1, { keepdims: true });
    const m = a.div(a0.ref);
    return m.ref.mul(np.negative(m).add(1)).div(a0.add(1));
  },

  /** Nats, `[...batch]`. */
  entropy(p: DirichletParams): Array {
    const { k } = shapes(p);
    const a = p.concentration;
    const a0 = a.ref.sum(-1);
    const first = logMultivariateBeta(a.ref).add(a0.ref.sub(k).mul(digamma(a0)));
    return first.sub(a.ref.sub(1).mul(digamma(a)).sum(-1));
  },

  validate(p: DirichletParams): void {
    shapes(p);
    checkValues(
      FN,
      "concentration",
      p.concentration,
      (v) => v > 0 && Number.isFinite(v),
      "positive and finite",
    );
  },
} satisfies Distribution<DirichletParams>;
