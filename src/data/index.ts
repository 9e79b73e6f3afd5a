/**
 * Built-in data and parsers: CSV, datasets, corpora, sequences, the weather simulator, Lorenz/Hénon/logistic-map trajectories, the Splatter-style
 * gene-expression count simulator, ABX3 perovskite compositions, host-side random numbers.
 */

export { drawIndex, hostUniforms } from "../host-random.js";
export { CORPORA, type Corpus, getCorpus } from "./corpora/index.js";
export { column, formatCsv, parseCsv, type Table } from "./csv.js";
export { breastCancer, DATASETS, type Dataset, iris, wine } from "./datasets/index.js";
export * as dynamical from "./dynamical/index.js";
export { datasetCsv, type FeatureTable, featureTable } from "./features.js";
export * as geneExpression from "./gene-expression/index.js";
export * as perovskites from "./perovskites/index.js";
export * as sequences from "./sequences/index.js";
export {
  dayOfYear,
  isoDates,
  type SimulateOptions,
  seasonalTransition,
  simulateWeather,
  WEATHER_STATES,
  type WeatherSeries,
  winterWeight,
} from "./weather.js";
