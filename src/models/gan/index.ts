/**
 * Generative adversarial networks: the non-saturating GAN (Goodfellow et al. 2014) and WGAN-GP
 * (Gulrajani et al. 2017) with MLP generator and discriminator/critic, alternating jitted Adam updates,
 * sampling and checkpoints. Functions take params, then key, then data, then options with the config;
 * they consume their array arguments.
 */

export { GAN_KIND, type GanCheckpoint, loadGan, saveGan, saveGanAsync } from "./checkpoint.js";
export {
  GAN_ADAM_DEFAULTS,
  GAN_LOSS_NAMES,
  type GanAdamConfig,
  type GanConfig,
  type GanLossName,
  type ResolvedGanConfig,
  resolveGanConfig,
} from "./config.js";
export {
  type DiscriminatorTerms,
  discriminatorLoss,
  type GanLossOptions,
  generatorLoss,
  gradientPenalty,
} from "./losses.js";
export { type GanParams, ganInit } from "./networks.js";
export { type GanSampleOptions, generate, sampleGan } from "./sample.js";
export {
  GanNonFiniteError,
  type GanOptState,
  type GanProgress,
  type GanSnapshot,
  type TrainGanOptions,
  type TrainGanResult,
  trainGan,
} from "./train.js";
