/** Latent-space models with closed-form fits: PCA (as scikit-learn) and probabilistic PCA (Tipping & Bishop 1999). */
export {
  type PcaModel,
  type PcaOptions,
  type PcaSolver,
  pcaFit,
  pcaInverseTransform,
  pcaTransform,
} from "./pca.js";
export {
  type PpcaModel,
  type PpcaOptions,
  ppcaCovariance,
  ppcaFit,
  ppcaLogProb,
  ppcaPosterior,
  ppcaReconstruct,
  ppcaSample,
} from "./ppca.js";
