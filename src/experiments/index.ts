/** Experiments that span model families (browser-safe): VAE vs GAN on the Lorenz attractor. */
export {
  LARGE_RADII,
  LORENZ_GAN_ADAM,
  type LorenzExperiment,
  type LorenzExperimentOptions,
  type LorenzSizes,
  lorenzExperiment,
  lorenzSizes,
  type SampleSetMetrics,
  SMALL_RADII,
} from "./lorenz.js";
