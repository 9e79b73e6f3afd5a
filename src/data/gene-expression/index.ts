/** Simulated single-cell RNA-seq counts on a branching trajectory (Splatter's Splat model with paths). */

export {
  logFactorial,
  sampleChiSquare,
  sampleLogNormal,
  samplePoisson,
  sampleStandardGamma,
  type UniformSource,
  uniformSource,
} from "./samplers.js";
export { type CountOptions, type CountSimulation, simulateCounts } from "./simulate.js";
export {
  type CellSplit,
  type CountsCsvOptions,
  countsCsv,
  logNormalize,
  selectCells,
  splitCells,
} from "./split.js";
