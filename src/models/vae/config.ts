/**
 * The VAE's configuration: one plain JSON object (stored in checkpoints), checked once at entry.
 * Likelihoods follow scvi-tools (`scvi.module.VAE`, `gene_likelihood`): "gaussian", "bernoulli",
 * "poisson", "nb" and "zinb"; `nLabels > 0` makes a conditional VAE (Sohn et al. 2015), the one-hot
 * label concatenated to the encoder and decoder inputs.
 */
import { describe, ValueError } from "../../errors.js";
import { type DType, np } from "../../jax.js";
import { ACTIVATION_NAMES, type ActivationName } from "../../nn/activations.js";

/** Observation model p(x | z) of the decoder. */
export type LikelihoodName = "gaussian" | "bernoulli" | "poisson" | "nb" | "zinb";

/** The likelihood names, for validating user input. */
export const LIKELIHOOD_NAMES: readonly LikelihoodName[] = ["gaussian", "bernoulli", "poisson", "nb", "zinb"];

/** VAE configuration (sizes are positive integers). */
export type VaeConfig = {
  /** number of features D of an observation `x: [D]` */
  inputDim: number;
  /** latent dimension L */
  latentDim: number;
  /** hidden widths of the encoder (the decoder uses them reversed); `[]` for linear maps */
  hidden: number[];
  likelihood: LikelihoodName;
  /** gaussian only: "learned" (a per-feature log-variance param) or a fixed variance σ² > 0 (default "learned") */
  gaussianVariance?: "learned" | number;
  /** 0 (default): unconditional; K > 0: conditional on a label in `0 .. K-1` */
  nLabels?: number;
  /** hidden activation (default "relu", as scvi-tools) */
  activation?: ActivationName;
  /** parameter dtype (default "float32"; "float64" for gradient checks) */
  dtype?: "float32" | "float64";
};

/** A checked config with every default filled in. */
export type ResolvedVaeConfig = Required<VaeConfig>;

/** True for the count likelihoods (Poisson, NB, ZINB), which use log1p inputs and a library size. */
export function isCountLikelihood(likelihood: LikelihoodName): boolean {
  return likelihood === "poisson" || likelihood === "nb" || likelihood === "zinb";
}

function positiveInt(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new ValueError(`${fn}: config.${name} must be a positive integer, but got ${describe(v)}`);
  return v;
}

/** Check `config` and fill in defaults; throws `ValueError` naming `fn` and the bad field. */
export function resolveVaeConfig(config: VaeConfig, fn = "vae"): ResolvedVaeConfig {
  if (typeof config !== "object" || config === null)
    throw new ValueError(`${fn}: config must be an object, but got ${describe(config)}`);
  const inputDim = positiveInt(fn, "inputDim", config.inputDim);
  const latentDim = positiveInt(fn, "latentDim", config.latentDim);
  const hidden = config.hidden;
  if (
    !globalThis.Array.isArray(hidden) ||
    hidden.some((h) => typeof h !== "number" || !Number.isInteger(h) || h < 1)
  )
    throw new ValueError(
      `${fn}: config.hidden must be a list of positive integers, but got ${describe(hidden)}`,
    );
  if (!LIKELIHOOD_NAMES.includes(config.likelihood))
    throw new ValueError(
      `${fn}: config.likelihood must be one of ${LIKELIHOOD_NAMES.join(", ")}, but got ${describe(config.likelihood)}`,
    );
  const gaussianVariance = config.gaussianVariance ?? "learned";
  if (
    gaussianVariance !== "learned" &&
    !(typeof gaussianVariance === "number" && gaussianVariance > 0 && Number.isFinite(gaussianVariance))
  )
    throw new ValueError(
      `${fn}: config.gaussianVariance must be "learned" or a finite number > 0, but got ${describe(gaussianVariance)}`,
    );
  const nLabels = config.nLabels ?? 0;
  if (typeof nLabels !== "number" || !Number.isInteger(nLabels) || nLabels < 0)
    throw new ValueError(`${fn}: config.nLabels must be an integer >= 0, but got ${describe(nLabels)}`);
  const activation = config.activation ?? "relu";
  if (!ACTIVATION_NAMES.includes(activation))
    throw new ValueError(
      `${fn}: config.activation must be one of ${ACTIVATION_NAMES.join(", ")}, but got ${describe(activation)}`,
    );
  const dtype = config.dtype ?? "float32";
  if (dtype !== "float32" && dtype !== "float64")
    throw new ValueError(`${fn}: config.dtype must be "float32" or "float64", but got ${describe(dtype)}`);
  return {
    inputDim,
    latentDim,
    hidden: [...hidden],
    likelihood: config.likelihood,
    gaussianVariance,
    nLabels,
    activation,
    dtype,
  };
}

/** The jax-js dtype of a config's params. */
export function vaeDtype(config: ResolvedVaeConfig): DType {
  return config.dtype === "float64" ? np.float64 : np.float32;
}
