/** Generative (LDA, QDA, Gaussian naive Bayes, Gaussian mixtures) and discriminative (logistic regression) classifiers. */

export { fromRows, type Matrix, toRows, zeros } from "../../linalg/matrix.js";
export {
  type AnyFitted,
  CLASSIFIER_KINDS,
  type ClassifierKind,
  decodeFitted,
  encodeFitted,
} from "./checkpoint.js";
export {
  GaussianMixture,
  type GaussianMixtureFitted,
  type GaussianMixtureOptions,
} from "./gaussian-mixture.js";
export { GaussianNB, type GaussianNBFitted, type GaussianNBOptions } from "./gaussian-nb.js";
export { encodeClasses, encodeWithClasses, type Label } from "./labels.js";
export { LDA, type LDAFitted, type LDAOptions, type LDASolver } from "./lda.js";
export {
  CURVE_MODELS,
  type CurveModel,
  defaultSizes,
  type LearningCurve,
  type LearningCurveOptions,
  learningCurve,
} from "./learning-curve.js";
export {
  LOGREG_CANNOT_SAMPLE,
  LogisticRegression,
  type LogisticRegressionFitted,
  type LogisticRegressionOptions,
} from "./logistic-regression.js";
export {
  MixtureClassifier,
  type MixtureClassifierFitted,
  type MixtureClassifierOptions,
} from "./mixture-classifier.js";
export { QDA, type QDAFitted, type QDAOptions } from "./qda.js";
export { CLASSIFIERS, type ClassifierApi, type FitSettings } from "./registry.js";
