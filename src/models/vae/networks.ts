/**
 * The encoder q(z | x) = N(μ(x), diag σ²(x)) and the decoder p(x | z), as pure functions of params
 * (Kingma & Welling 2014, appendix C.2; scvi-tools `Encoder` / `DecoderSCVI`), the reparameterised draw
 * z = μ + σ ε (ibid. eq. 10) and the closed-form KL(q || N(0, I)) (ibid. appendix B). For count
 * likelihoods the encoder sees log1p(x) (scvi `log_variational`). Conditional models concatenate the
 * one-hot label to the encoder and decoder inputs. Every function consumes its array arguments.
 */
import { log1p } from "../../distributions/elementary.js";
import { type Array, nn, np, random } from "../../jax.js";
import { linearApply } from "../../nn/linear.js";
import { type Mlp, mlpApply } from "../../nn/mlp.js";
import { isCountLikelihood, type ResolvedVaeConfig, vaeDtype } from "./config.js";
import { type DecoderHeads, type LikelihoodParams, likelihoodParams } from "./likelihoods.js";
import type { VaeDecoder, VaeEncoder } from "./params.js";

/** Latent Gaussian `q(z | x)`: mean and log-variance, `[..., L]` each. */
export type LatentGaussian = { mean: Array; logVar: Array };

function body(cfg: ResolvedVaeConfig, p: Mlp, h: Array): Array {
  if (p.layers.length === 0) return h;
  return mlpApply(p, h, { activation: cfg.activation, finalActivation: cfg.activation });
}

/** One-hot labels `[...]` (int32 in `0 .. K-1`) -> `[..., K]` in the params' dtype. */
export function oneHotLabels(cfg: ResolvedVaeConfig, labels: Array): Array {
  return nn.oneHot(labels, cfg.nLabels).astype(vaeDtype(cfg));
}

/** Encoder: `x: [B, D]` (+ one-hot `[B, K]` for conditional models) -> `{mean, logVar}` `[B, L]`. */
export function encoderApply(
  cfg: ResolvedVaeConfig,
  p: VaeEncoder,
  x: Array,
  oneHot?: Array,
): LatentGaussian {
  let h = isCountLikelihood(cfg.likelihood) ? log1p(x) : x;
  if (oneHot !== undefined) h = np.concatenate([h, oneHot], -1);
  h = body(cfg, p.body, h);
  return { mean: linearApply(p.mean, h.ref), logVar: linearApply(p.logVar, h) };
}

/** Decoder heads: `z: [..., L]` (+ one-hot `[..., K]`) -> raw outputs `[..., D]` and per-feature params. */
export function decoderHeads(cfg: ResolvedVaeConfig, p: VaeDecoder, z: Array, oneHot?: Array): DecoderHeads {
  let h = oneHot === undefined ? z : np.concatenate([z, oneHot], -1);
  h = body(cfg, p.body, h);
  const heads: DecoderHeads = {
    out: p.dropout === undefined ? linearApply(p.out, h) : linearApply(p.out, h.ref),
  };
  if (p.dropout !== undefined) heads.dropout = linearApply(p.dropout, h);
  if (p.logVar !== undefined) heads.logVar = p.logVar;
  if (p.logTheta !== undefined) heads.logTheta = p.logTheta;
  return heads;
}

/**
 * Decoder: `z: [..., L]` -> likelihood params `[..., D]`; `oneHot: [..., K]` for conditional models,
 * `library: [..., 1]` (library size, not its log) for count likelihoods.
 */
export function decoderApply(
  cfg: ResolvedVaeConfig,
  p: VaeDecoder,
  z: Array,
  opts: { oneHot?: Array; library?: Array } = {},
): LikelihoodParams {
  return likelihoodParams(cfg, decoderHeads(cfg, p, z, opts.oneHot), opts.library);
}

/** `KL(N(μ, diag e^{logVar}) || N(0, I)) = ½ Σ_l (μ² + e^{logVar} - 1 - logVar)`, `[..., L] -> [...]`, nats. */
export function klStandardNormal(mean: Array, logVar: Array): Array {
  return mean.ref.mul(mean).add(np.exp(logVar.ref)).sub(logVar).sub(1).sum(-1).mul(0.5);
}

/** Draw `eps ~ N(0, I)` of shape `[S, ..., L]` in `mean`'s dtype; consumes `key`. */
export function standardNormal(key: Array, shape: number[], like: Array): Array {
  return random.normal(key, shape).astype(like.dtype);
}

/** `z = μ + exp(logVar / 2) ε` with `eps: [S, ..., L]` broadcast against `[..., L]` (reparameterisation). */
export function reparameterize(mean: Array, logVar: Array, eps: Array): Array {
  return np.exp(logVar.mul(0.5)).mul(eps).add(mean);
}

/** Library size `l = Σ_d x_d` of `x: [B, D]` -> `[B, 1]` (scvi `use_observed_lib_size`). */
export function observedLibrary(x: Array): Array {
  return x.sum(-1, { keepdims: true });
}
