/**
 * Training: a jitted train step (value-and-grad + optimizer update in one `jit`) and `fit`, a loop with
 * shuffled fixed-size minibatches, evaluation, early stopping, progress callback and a NaN/Inf guard.
 */
export {
  type EarlyStopping,
  type FitOptions,
  type FitResult,
  fit,
  NonFiniteLossError,
  type ProgressInfo,
} from "./fit.js";
export {
  type Aux,
  type Batch,
  type LossFn,
  makeTrainStep,
  type TrainStep,
  type TrainStepFn,
  trainStepBody,
} from "./train-step.js";
