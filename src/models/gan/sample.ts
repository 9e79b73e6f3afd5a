/**
 * Generating from a GAN: `x = G(z)` with `z ~ N(0, I_L)` (Goodfellow et al. 2014, sec. 3). The generator
 * is deterministic, so samples lie on the image of the latent space; `generate` maps given latents (for
 * latent walks and fixed-noise comparisons).
 */
import { describe, ValueError } from "../../errors.js";
import { type Array, np, tree } from "../../jax.js";
import { guard, positiveInt } from "./checks.js";
import { type GanConfig, type ResolvedGanConfig, resolveGanConfig } from "./config.js";
import { drawLatents, type GanParams, generatorApply } from "./networks.js";

/** Options of `sampleGan` and `generate`: the model's config. */
export type GanSampleOptions = { config: GanConfig };

function checkGenerator(fn: string, params: GanParams, cfg: ResolvedGanConfig): void {
  const layers = params?.generator?.layers;
  const w0 = layers?.[0]?.w;
  const wn = layers?.[layers.length - 1]?.w;
  if (!(w0 instanceof np.Array) || !(wn instanceof np.Array))
    throw new ValueError(`${fn}: params.generator must be an MLP from ganInit, but got ${describe(layers)}`);
  if (w0.shape[0] !== cfg.latentDim || wn.shape[1] !== cfg.dataDim)
    throw new ValueError(
      `${fn}: params.generator must map [${cfg.latentDim}] to [${cfg.dataDim}] (config), but maps [${w0.shape[0]}] to [${wn.shape[1]}]`,
    );
}

/** `n` samples `[n, D]` of `G(z)`, `z ~ N(0, I_L)`. Consumes `params` (both networks) and `key`. */
export function sampleGan(params: GanParams, key: Array, n: number, opts: GanSampleOptions): Array {
  const cfg = guard([params, key], () => {
    const cfg = resolveGanConfig(opts?.config, "sampleGan");
    positiveInt("sampleGan", "n", n);
    checkGenerator("sampleGan", params, cfg);
    return cfg;
  });
  tree.dispose(params.discriminator);
  return generatorApply(params.generator, drawLatents(key, n, cfg), cfg);
}

/** `G(z)` for given latents `z: [n, L]` -> `[n, D]`. Consumes `params` (both networks) and `z`. */
export function generate(params: GanParams, z: Array, opts: GanSampleOptions): Array {
  const cfg = guard([params, z], () => {
    const cfg = resolveGanConfig(opts?.config, "generate");
    checkGenerator("generate", params, cfg);
    if (!(z instanceof np.Array) || z.ndim !== 2 || z.shape[1] !== cfg.latentDim)
      throw new ValueError(
        `generate: z must be an array of shape [n, ${cfg.latentDim}], but got ${z instanceof np.Array ? `[${z.shape.join(", ")}]` : describe(z)}`,
      );
    return cfg;
  });
  tree.dispose(params.discriminator);
  return generatorApply(params.generator, z, cfg);
}
