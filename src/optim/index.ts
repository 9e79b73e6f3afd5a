/**
 * Optimizers as `{init, update}` records over param pytrees (optax style, PyTorch formulas): SGD with
 * momentum, Adam, AdamW, global-norm clipping, learning-rate schedules.
 */
export { type AdamOptions, type AdamState, adam, adamw } from "./adam.js";
export { clipByGlobalNorm, globalNorm } from "./clip.js";
export { chain, type GradientTransform, type Optimizer, type Params } from "./optimizer.js";
export {
  constantSchedule,
  type ScalarOrSchedule,
  type Schedule,
  scheduleValues,
  toSchedule,
  type WarmupCosineOptions,
  warmupCosineSchedule,
} from "./schedules.js";
export { type SgdOptions, type SgdState, sgd } from "./sgd.js";
