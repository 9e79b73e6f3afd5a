/**
 * Variational autoencoders (Kingma & Welling 2014) with the observation models of scvi-tools (Gaussian,
 * Bernoulli, Poisson, NB, ZINB with the observed library size), β weighting and KL warm-up, conditional
 * VAEs (one-hot labels), the importance-weighted bound (Burda et al. 2016), sampling, reconstruction,
 * latent interpolation and checkpoints. Functions take params, then key, then data, then options with the
 * config; they consume their array arguments.
 */

export { loadVae, saveVae, VAE_KIND, type VaeCheckpoint } from "./checkpoint.js";
export { clearVaeCache } from "./compiled.js";
export {
  isCountLikelihood,
  LIKELIHOOD_NAMES,
  type LikelihoodName,
  type ResolvedVaeConfig,
  resolveVaeConfig,
  type VaeConfig,
} from "./config.js";
export { type ElboOptions, type ElboParts, elbo, elboTerms, type VaeBatch } from "./elbo.js";
export {
  type DecodeOptions,
  decode,
  decodeMean,
  type EncodeOptions,
  encode,
  reconstruct,
} from "./encode-decode.js";
export { type InterpolateOptions, type Interpolation, interpolate, latentPath } from "./interpolate.js";
export { type IwaeOptions, iwaeLogLikelihood, iwaeTerms, logMeanExp } from "./iwae.js";
export {
  type DecoderHeads,
  type LikelihoodParams,
  likelihoodLogProb,
  likelihoodMean,
  likelihoodParams,
  likelihoodSample,
} from "./likelihoods.js";
export { klStandardNormal, type LatentGaussian } from "./networks.js";
export { type LibraryStats, type VaeDecoder, type VaeEncoder, type VaeParams, vaeInit } from "./params.js";
export { type SampleOptions, sample } from "./sample.js";
export {
  libraryStats,
  type TrainVaeOptions,
  type TrainVaeResult,
  trainVae,
  type VaeProgress,
  type VaeTrainData,
} from "./train.js";
