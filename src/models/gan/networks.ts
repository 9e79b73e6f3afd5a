/**
 * The two networks of a GAN (Goodfellow et al. 2014, sec. 3): a generator MLP `G: z -> x`, a
 * deterministic map of `z ~ N(0, I_L)` (so samples lie on the image of the latent space, a manifold of
 * dimension at most L), and a discriminator/critic MLP `D: x -> R` (a logit for the non-saturating GAN, an
 * unbounded critic value for WGAN-GP). He-normal weights, zero biases; no normalisation layers, so that
 * `D` treats rows independently (which the gradient penalty assumes; Gulrajani et al. 2017, sec. 4).
 */
import { type Array, grad, np, random } from "../../jax.js";
import { type Mlp, mlpApply, mlpInit } from "../../nn/mlp.js";
import { type GanConfig, type ResolvedGanConfig, resolveGanConfig } from "./config.js";
import { mlpInputGradient } from "./critic-gradient.js";

/** GAN params: `generator: [L] -> [D]` and `discriminator: [D] -> [1]`. */
export type GanParams = { generator: Mlp; discriminator: Mlp };

/** Initialise params for a resolved config (He-normal weights, zero biases). Consumes `key`. */
export function ganInitResolved(key: Array, cfg: ResolvedGanConfig): GanParams {
  const ks = random.split(key, 2);
  return {
    generator: mlpInit(ks.ref.slice(0), [cfg.latentDim, ...cfg.generatorHidden, cfg.dataDim], { init: "he" }),
    discriminator: mlpInit(ks.slice(1), [cfg.dataDim, ...cfg.discriminatorHidden, 1], { init: "he" }),
  };
}

/** Initialise GAN params for `config`; consumes `key`. */
export function ganInit(key: Array, config: GanConfig): GanParams {
  let cfg: ResolvedGanConfig;
  try {
    cfg = resolveGanConfig(config, "ganInit");
  } catch (e) {
    key.dispose();
    throw e;
  }
  return ganInitResolved(key, cfg);
}

/** The generator `G(z)`: `z: [n, L] -> x: [n, D]`. Consumes `generator` and `z`. */
export function generatorApply(generator: Mlp, z: Array, cfg: ResolvedGanConfig): Array {
  return mlpApply(generator, z, { activation: cfg.activation });
}

/** The discriminator/critic `D(x)`: `x: [n, D] -> [n]` (logits or critic values). Consumes both arrays. */
export function discriminatorApply(discriminator: Mlp, x: Array, cfg: ResolvedGanConfig): Array {
  const n = x.shape[0];
  return mlpApply(discriminator, x, { activation: cfg.activation }).reshape([n]);
}

/**
 * `∇_x D(x)` row by row, `x: [n, D] -> [n, D]`, written out by hand (see `critic-gradient.ts`), so that
 * a reverse pass through it differentiates w.r.t. the weights (double backprop). Consumes both arrays.
 */
export function criticInputGradient(discriminator: Mlp, x: Array, cfg: ResolvedGanConfig): Array {
  return mlpInputGradient(discriminator, x, cfg.activation);
}

/** `criticInputGradient` by `grad` nested in the caller's `grad`: exact in float64 only in jax-js 0.1.25 (a test reference). */
export function criticInputGradientNested(discriminator: Mlp, x: Array, cfg: ResolvedGanConfig): Array {
  return grad((xx: Array) => discriminatorApply(discriminator, xx, cfg).sum())(x);
}

/** `z ~ N(0, I_L)`: `[n, L]` float32 latents. Consumes `key`. */
export function drawLatents(key: Array, n: number, cfg: ResolvedGanConfig): Array {
  return random.normal(key, [n, cfg.latentDim]);
}

/** Stable `softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^{-|x|})` (jax-js 0.1.25's overflows for x ≳ 89). */
export function softplus(x: Array): Array {
  return np.maximum(x.ref, 0).add(np.log1p(np.exp(np.abs(x).neg())));
}
