/** The weather example's generative models of a categorical series, their comparison and checkpoints. */
export {
  encodeLabels,
  type FitOptions,
  fitIid,
  fitMarkov,
  fitSeriesModel,
  type IidModel,
  type MarkovModel,
  type SeriesModel,
  type SeriesModelKind,
  sampleSeries,
  sampleSeriesIds,
  seriesLogLikelihood,
} from "./categorical-series.js";
export { decodeSeriesModel, encodeSeriesModel } from "./checkpoint.js";
export {
  type CompareOptions,
  type CompareResult,
  type Comparison,
  compareSeries,
  kgramDistribution,
  type NamedSeries,
} from "./compare.js";
