/**
 * VAE params: an encoder MLP with mean and log-variance heads (the diagonal Gaussian q(z|x) of Kingma &
 * Welling 2014, appendix C.2), a decoder MLP with the likelihood's heads and per-feature params, and, for
 * count likelihoods, statistics of the training log library size (scvi-tools `library_log_means` /
 * `library_log_vars`), which `sample` draws library sizes from. Plain-object pytrees; `vaeInit` builds
 * them from a config.
 */
import { type Array, np, random } from "../../jax.js";
import { type Linear, linearInit } from "../../nn/linear.js";
import { type Mlp, mlpInit } from "../../nn/mlp.js";
import {
  isCountLikelihood,
  type ResolvedVaeConfig,
  resolveVaeConfig,
  type VaeConfig,
  vaeDtype,
} from "./config.js";

/** Encoder: `body` maps `[D (+K)] -> [hidden.at(-1)]`, heads map to the latent mean and log-variance `[L]`. */
export type VaeEncoder = { body: Mlp; mean: Linear; logVar: Linear };

/**
 * Decoder: `body` maps `[L (+K)] -> [hidden[0]]`; `out` gives the Gaussian mean, Bernoulli logits or the
 * count models' pre-softmax scale logits `[D]`; `dropout` the ZINB zero-inflation logits `[D]`;
 * `logVar` the learned Gaussian log-variance `[D]`; `logTheta` the NB/ZINB log inverse dispersion `[D]`.
 */
export type VaeDecoder = { body: Mlp; out: Linear; dropout?: Linear; logVar?: Array; logTheta?: Array };

/** Mean and variance of log library size `log Σ_d x_d` over the training rows (scalars `[]`). */
export type LibraryStats = { logMean: Array; logVar: Array };

/** All params of a VAE; `library` is present for count likelihoods only. */
export type VaeParams = { encoder: VaeEncoder; decoder: VaeDecoder; library?: LibraryStats };

/** The params that gradient descent updates (everything but the library statistics). */
export type VaeTrainable = { encoder: VaeEncoder; decoder: VaeDecoder };

function mlpOrEmpty(key: Array, sizes: number[], dtype: ReturnType<typeof vaeDtype>): Mlp {
  if (sizes.length < 2) {
    key.dispose();
    return { layers: [] };
  }
  return mlpInit(key, sizes, { dtype });
}

/** Initialise params for `config` (Glorot-uniform weights, zero biases, zero log-variance/log-θ). */
export function vaeInitResolved(key: Array, cfg: ResolvedVaeConfig): VaeParams {
  const dt = vaeDtype(cfg);
  const { inputDim: D, latentDim: L, nLabels: K, hidden } = cfg;
  const ks = random.split(key, 6);
  const k = (i: number) => (i < 5 ? ks.ref.slice(i) : ks.slice(i));
  // 1. encoder [D + K] -> hidden... -> (mean, logVar) [L]
  const encSizes = [D + K, ...hidden];
  const encOut = hidden.length > 0 ? hidden[hidden.length - 1] : D + K;
  const encoder: VaeEncoder = {
    body: mlpOrEmpty(k(0), encSizes, dt),
    mean: linearInit(k(1), encOut, L, { dtype: dt }),
    logVar: linearInit(k(2), encOut, L, { dtype: dt }),
  };
  // 2. decoder [L + K] -> reversed hidden... -> heads [D]
  const decSizes = [L + K, ...[...hidden].reverse()];
  const decOut = hidden.length > 0 ? hidden[0] : L + K;
  const decoder: VaeDecoder = {
    body: mlpOrEmpty(k(3), decSizes, dt),
    out: linearInit(k(4), decOut, D, { dtype: dt }),
  };
  const kLast = k(5);
  if (cfg.likelihood === "zinb") decoder.dropout = linearInit(kLast, decOut, D, { dtype: dt });
  else kLast.dispose();
  if (cfg.likelihood === "gaussian" && cfg.gaussianVariance === "learned")
    decoder.logVar = np.zeros([D], { dtype: dt });
  if (cfg.likelihood === "nb" || cfg.likelihood === "zinb") decoder.logTheta = np.zeros([D], { dtype: dt });
  // 3. library statistics (set from the data by trainVae)
  const params: VaeParams = { encoder, decoder };
  if (isCountLikelihood(cfg.likelihood))
    params.library = { logMean: np.zeros([], { dtype: dt }), logVar: np.zeros([], { dtype: dt }) };
  return params;
}

/** Fresh params for `config` (checked here); consumes `key`. Count models start with library size 1. */
export function vaeInit(key: Array, config: VaeConfig): VaeParams {
  let cfg: ResolvedVaeConfig;
  try {
    cfg = resolveVaeConfig(config, "vaeInit");
  } catch (e) {
    key.dispose();
    throw e;
  }
  return vaeInitResolved(key, cfg);
}

/** Split the library statistics off params (no arrays copied). */
export function splitLibrary(params: VaeParams): [VaeTrainable, LibraryStats | undefined] {
  return [{ encoder: params.encoder, decoder: params.decoder }, params.library];
}

/** Params with `library` attached when given. */
export function withLibrary(model: VaeTrainable, library: LibraryStats | undefined): VaeParams {
  return library === undefined ? { ...model } : { ...model, library };
}
