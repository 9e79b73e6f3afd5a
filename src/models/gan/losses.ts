/**
 * GAN objectives on one batch, in nats for the non-saturating GAN and in critic units for WGAN-GP.
 * - Non-saturating (Goodfellow et al. 2014, eq. 1 and sec. 3): D maximises `log D(x) + log(1 - D(G(z)))`
 *   with `D = σ(logit)`, i.e. minimises `softplus(-logit(x)) + softplus(logit(G(z)))`; G minimises
 *   `-log D(G(z)) = softplus(-logit(G(z)))`.
 * - WGAN-GP (Gulrajani et al. 2017, Algorithm 1, eq. 3): the critic minimises
 *   `E[D(G(z))] - E[D(x)] + λ E[(‖∇_x̂ D(x̂)‖₂ - 1)²]` on interpolates `x̂ = ε x + (1 - ε) G(z)`,
 *   `ε ~ U[0, 1]` per row; G minimises `-E[D(G(z))]`. The penalty's input gradient is written out by hand
 *   (`critic-gradient.ts`), so one reverse pass differentiates it w.r.t. the critic's weights.
 * Every function consumes its array arguments and works in the dtype of its inputs (float64 for checks).
 */
import { describe, ValueError } from "../../errors.js";
import { type Array, np, random, tree } from "../../jax.js";
import type { Mlp } from "../../nn/mlp.js";
import { guard } from "./checks.js";
import { type GanConfig, type ResolvedGanConfig, resolveGanConfig } from "./config.js";
import { criticInputGradient, discriminatorApply, softplus } from "./networks.js";

/** Options of the loss functions: the model's config. */
export type GanLossOptions = { config: GanConfig };

/** The discriminator/critic loss and its parts (scalars): `real = mean D(x)`, `fake = mean D(x̃)`, `penalty` unweighted (0 for NS). */
export type DiscriminatorTerms = { loss: Array; real: Array; fake: Array; penalty: Array };

/**
 * Gradient-penalty term `mean_i (‖∇_x D(x̂_i)‖₂ - 1)²` (Gulrajani et al. 2017, eq. 3, without λ) at
 * points `xHat: [n, D]`; differentiable w.r.t. the critic's weights by double backprop. Consumes both arrays.
 */
export function gradientPenaltyResolved(discriminator: Mlp, xHat: Array, cfg: ResolvedGanConfig): Array {
  return penaltyOf(criticInputGradient(discriminator, xHat, cfg));
}

/** `mean_i (‖g_i‖₂ - 1)²` of input gradients `g: [n, D]` (consumed). */
function penaltyOf(g: Array): Array {
  // the 1e-12 keeps the gradient of the norm finite where ∇D = 0 exactly (dead ReLUs); negligible otherwise
  const norm = np.sqrt(np.square(g).sum(-1).add(1e-12)); // [n]
  return np.square(norm.sub(1)).mean();
}

/** Discriminator terms for a resolved config; `key` draws the WGAN-GP interpolation weights. Consumes all arrays. */
export function discriminatorTerms(
  discriminator: Mlp,
  key: Array,
  xReal: Array,
  xFake: Array,
  cfg: ResolvedGanConfig,
): DiscriminatorTerms {
  // separate passes over real and generated rows: no `slice` in differentiated code (see critic-gradient.ts)
  if (cfg.loss === "non-saturating") {
    key.dispose();
    const real = discriminatorApply(tree.ref(discriminator), xReal, cfg); // [n] logits
    const fake = discriminatorApply(discriminator, xFake, cfg); // [n]
    const loss = softplus(real.ref.neg()).mean().add(softplus(fake.ref).mean());
    return { loss, real: real.mean(), fake: fake.mean(), penalty: np.zerosLike(loss.ref) };
  }
  // WGAN-GP: critic values on real and generated rows, the input gradient at the interpolates
  const n = xReal.shape[0];
  const eps = random.uniform(key, [n, 1]).astype(xReal.dtype); // ε ~ U[0, 1] per row
  const xHat = xFake.ref.add(eps.mul(xReal.ref.sub(xFake.ref))); // [n, D]
  const penalty = gradientPenaltyResolved(tree.ref(discriminator), xHat, cfg);
  const real = discriminatorApply(tree.ref(discriminator), xReal, cfg).mean();
  const fake = discriminatorApply(discriminator, xFake, cfg).mean();
  const loss = fake.ref.sub(real.ref).add(penalty.ref.mul(cfg.gpWeight));
  return { loss, real, fake, penalty };
}

/** Generator loss for a resolved config on logits/critic values of fakes `[n]` (consumed): NS or WGAN. */
export function generatorLossFromValues(fakeValues: Array, cfg: ResolvedGanConfig): Array {
  return cfg.loss === "non-saturating" ? softplus(fakeValues.neg()).mean() : fakeValues.mean().neg();
}

function checkPair(fn: string, cfg: ResolvedGanConfig, xReal: Array, xFake: Array): void {
  for (const [name, x] of [
    ["xReal", xReal],
    ["xFake", xFake],
  ] as const)
    if (!(x instanceof np.Array) && !(typeof x === "object" && x !== null && "shape" in x))
      throw new ValueError(`${fn}: ${name} must be an array [n, ${cfg.dataDim}], but got ${describe(x)}`);
  if (xReal.ndim !== 2 || xReal.shape[1] !== cfg.dataDim || xReal.shape[0] < 1)
    throw new ValueError(
      `${fn}: xReal must have shape [n, ${cfg.dataDim}] with n >= 1, but got [${xReal.shape.join(", ")}]`,
    );
  if (xFake.ndim !== 2 || xFake.shape[0] !== xReal.shape[0] || xFake.shape[1] !== cfg.dataDim)
    throw new ValueError(
      `${fn}: xFake must have the shape of xReal [${xReal.shape.join(", ")}], but got [${xFake.shape.join(", ")}]`,
    );
}

/**
 * Discriminator/critic loss of `discriminator` on real rows `xReal: [n, D]` and generated rows
 * `xFake: [n, D]` (see the module comment); `key` draws the WGAN-GP interpolates. Consumes all arrays.
 */
export function discriminatorLoss(
  discriminator: Mlp,
  key: Array,
  xReal: Array,
  xFake: Array,
  opts: GanLossOptions,
): DiscriminatorTerms {
  const cfg = guard([discriminator, key, xReal, xFake], () => {
    const cfg = resolveGanConfig(opts?.config, "discriminatorLoss");
    checkPair("discriminatorLoss", cfg, xReal, xFake);
    return cfg;
  });
  return discriminatorTerms(discriminator, key, xReal, xFake, cfg);
}

/** Generator loss given the discriminator and generated rows `xFake: [n, D]` (NS: nats; WGAN: critic units). Consumes both. */
export function generatorLoss(discriminator: Mlp, xFake: Array, opts: GanLossOptions): Array {
  const cfg = resolveGanConfig(opts?.config, "generatorLoss");
  return generatorLossFromValues(discriminatorApply(discriminator, xFake, cfg), cfg);
}

/** Gradient-penalty term `mean_i (‖∇_x D(x_i)‖₂ - 1)²` at `x: [n, D]` (Gulrajani et al. 2017, eq. 3, without λ). Consumes both. */
export function gradientPenalty(discriminator: Mlp, x: Array, opts: GanLossOptions): Array {
  return gradientPenaltyResolved(discriminator, x, resolveGanConfig(opts?.config, "gradientPenalty"));
}
