/**
 * Inverse design of ABX3 perovskites (Gómez-Bombarelli et al. 2018, ACS Cent. Sci. 4:268): a VAE over
 * compositions (one categorical per site) trained jointly with a property head on z, then designs by
 * searching its latent space, scored against Bartel et al.'s τ.
 */

export { DESIGN_MODEL_KIND, loadDesignModel, type SavedDesignModel, saveDesignModel } from "./checkpoint.js";
export {
  DEFAULT_DESIGN_CONFIG,
  DESIGN_ACTIVATION,
  type DesignConfig,
  encoderInputDim,
  ionFeatureTables,
  type ResolvedDesignConfig,
  resolveDesignConfig,
  SITE_SIZES,
  SITES,
} from "./config.js";
export {
  type DesignDiagnostics,
  type DesignExperiment,
  type DesignExperimentOptions,
  perovskiteDesignExperiment,
} from "./experiment.js";
export {
  type DecodeOptions,
  decodeLatents,
  decoderLogits,
  decoderLogProb,
  encodeCompositions,
  type LatentObjective,
  type OptimizedLatents,
  type OptimizeLatentsOptions,
  optimizeLatents,
  predictProperty,
  samplePrior,
} from "./latent.js";
export {
  type DesignBatch,
  type DesignLossAux,
  type DesignLossOptions,
  designLoss,
  makeDesignLoss,
} from "./loss.js";
export {
  type DesignDecoder,
  type DesignEncoder,
  type DesignParams,
  designInit,
  type SiteIndices,
  type SiteLogits,
  siteIndices,
} from "./networks.js";
export {
  DESIGN_METHODS,
  type DesignMethod,
  type DesignMethodRow,
  type DesignReport,
  type DesignReportOptions,
  designReport,
  LANGEVIN_DEFAULTS,
  predictedStability,
  propertyAccuracy,
  reconstructionAccuracy,
  sampleSiteMarginals,
  sampleUniformCompositions,
  scoreDesigns,
} from "./report.js";
export {
  type DesignHistory,
  type LabelledComposition,
  type SplitOptions,
  splitCompositions,
  type TrainDesignOptions,
  type TrainedDesignModel,
  trainDesignModel,
} from "./train.js";
