/** Metrics: divergences between discrete distributions (vectors, counts, label samples, batches). */
export {
  type BatchedDivergence,
  batched,
  entropyBatch,
  jsDivergenceBatch,
  klDivergenceBatch,
} from "./batched.js";
export {
  checkDivergenceName,
  crossEntropy,
  DIVERGENCE_NAMES,
  DIVERGENCE_SPECS,
  DIVERGENCES,
  type Divergence,
  type DivergenceName,
  type DivergenceSpec,
  divergence,
  entropy,
  hellinger,
  isDivergenceName,
  jsDistance,
  jsDivergence,
  klDivergence,
  totalVariation,
} from "./divergences.js";
export {
  compareLabels,
  divergenceFromSamples,
  type EmpiricalPair,
  empiricalPair,
  type Label,
} from "./from-samples.js";
export { type DivergenceOptions, type FromCountsOptions, fromCounts, SUM_TOLERANCE } from "./validate.js";
