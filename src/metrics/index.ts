/**
 * Metrics: divergences between discrete distributions (vectors, counts, label samples, batches);
 * sample-based two-sample metrics (MMD, energy, sliced Wasserstein, PRDC, k-NN KL) and the
 * correlation dimension, over `[n, d]` float64 point sets.
 */
export {
  type BatchedDivergence,
  batched,
  entropyBatch,
  jsDivergenceBatch,
  klDivergenceBatch,
} from "./batched.js";
export {
  type CorrelationSum,
  type CorrelationSumOptions,
  correlationDimension,
  correlationSum,
  type DimensionFit,
  type DimensionFitOptions,
  fitCorrelationDimension,
  localSlopes,
  type RadiiSpec,
} from "./correlation-dimension.js";
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
export { energyDistance, energyDistanceSquared } from "./energy-distance.js";
export {
  compareLabels,
  divergenceFromSamples,
  type EmpiricalPair,
  empiricalPair,
  type Label,
} from "./from-samples.js";
export { klDivergenceKnn } from "./knn-divergence.js";
export { type MmdOptions, medianBandwidth, mmd2 } from "./mmd.js";
export {
  type BallCover,
  ballCover,
  buildKdTree,
  countCoveringBalls,
  countPairsWithinRadii,
  type KdTree,
  kNearest,
} from "./neighbours.js";
export { asPoints, type Points } from "./points.js";
export { type Prdc, prdc } from "./prdc.js";
export {
  randomDirections,
  slicedWasserstein,
  slicedWassersteinAlong,
  wassersteinDistance1d,
} from "./sliced-wasserstein.js";
export { type DivergenceOptions, type FromCountsOptions, fromCounts, SUM_TOLERANCE } from "./validate.js";
