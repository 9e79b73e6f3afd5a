/**
 * The bodies of the two GAN updates, for `jit` (as `trainGan` does) or eager use (tests compare the two):
 * a discriminator/critic update with the generator held fixed and a generator update with the
 * discriminator held fixed (Goodfellow et al. 2014, Algorithm 1; Gulrajani et al. 2017, Algorithm 1).
 * Each is value-and-grad + Adam on one network; the reported loss becomes NaN when a gradient entry is
 * non-finite, so that one synced read guards both.
 */
import { type Array, np, random, tree, valueAndGrad } from "../../jax.js";
import type { Mlp } from "../../nn/mlp.js";
import type { AdamState } from "../../optim/adam.js";
import type { Optimizer } from "../../optim/optimizer.js";
import type { ResolvedGanConfig } from "./config.js";
import { discriminatorTerms, generatorLossFromValues } from "./losses.js";
import { discriminatorApply, drawLatents, generatorApply } from "./networks.js";

/**
 * One discriminator update: `(d, dOpt, g, key, data [n, D]) -> [d', dOpt', out]` with
 * `out = [loss, mean D(x), mean D(G(z)), penalty]` at the incoming `d`. Consumes every argument.
 */
export type DiscriminatorStep = (
  discriminator: Mlp,
  optState: AdamState,
  generator: Mlp,
  key: Array,
  data: Array,
) => [Mlp, AdamState, Array];

/** One generator update: `(g, gOpt, d, key) -> [g', gOpt', loss]`, loss at the incoming `g`. Consumes every argument. */
export type GeneratorStep = (
  generator: Mlp,
  optState: AdamState,
  discriminator: Mlp,
  key: Array,
) => [Mlp, AdamState, Array];

/** 0, or NaN when some entry of `grads` (consumed) is non-finite (a sum is non-finite iff an entry is, or it overflows). */
function nonFiniteFlag(grads: Mlp): Array {
  let total: Array = np.array(0, { dtype: np.float32 });
  for (const g of tree.leaves(grads)) total = total.add(g.sum().astype(np.float32));
  return np.where(np.isfinite(total), 0, Number.NaN);
}

/** The discriminator update for `cfg`, `batch` rows per side, real rows drawn uniformly from `rows` data rows. */
export function discriminatorStepBody(
  cfg: ResolvedGanConfig,
  optimizer: Optimizer<AdamState>,
  batch: number,
  rows: number,
): DiscriminatorStep {
  return (d, s, g, key, data) => {
    // 1. a real batch (uniform with replacement) and a generated one, G held fixed
    const ks = random.split(key, 3);
    const idx = random.randint(ks.ref.slice(0), { shape: [batch], minval: 0, maxval: rows });
    const xReal = np.take(data, idx, 0); // [B, D]
    const xFake = generatorApply(g, drawLatents(ks.ref.slice(1), batch, cfg), cfg); // [B, D]
    // 2. loss and gradient, the parts as aux
    const [[loss, parts], grads] = valueAndGrad(
      (dd: Mlp): [Array, Array] => {
        const t = discriminatorTerms(dd, ks.slice(2), xReal, xFake, cfg);
        return [t.loss, np.stack([t.real, t.fake, t.penalty])]; // [], [3]
      },
      { hasAux: true },
    )(tree.ref(d)) as unknown as [[Array, Array], Mlp];
    const out = np.concatenate([loss.reshape([1]), parts]).add(nonFiniteFlag(tree.ref(grads))); // [4]
    // 3. Adam on the discriminator
    const [d2, s2] = optimizer.update(grads, s, d);
    return [d2, s2, out];
  };
}

/** The generator update for `cfg` with `batch` latent draws. */
export function generatorStepBody(
  cfg: ResolvedGanConfig,
  optimizer: Optimizer<AdamState>,
  batch: number,
): GeneratorStep {
  return (g, s, d, key) => {
    const z = drawLatents(key, batch, cfg); // [B, L]
    const [loss, grads] = valueAndGrad((gg: Mlp) =>
      generatorLossFromValues(discriminatorApply(d, generatorApply(gg, z, cfg), cfg), cfg),
    )(tree.ref(g)) as unknown as [Array, Mlp];
    const out = loss.add(nonFiniteFlag(tree.ref(grads)));
    const [g2, s2] = optimizer.update(grads, s, g);
    return [g2, s2, out];
  };
}
