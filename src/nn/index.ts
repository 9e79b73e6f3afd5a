/**
 * Layers as init/apply pairs over plain-object param pytrees (equinox/Flax style): `xxxInit(key, ...)`
 * returns params, `xxxApply(params, x, opts)` consumes them. Configuration (activation names, eps,
 * dropout rate) is static and passed as options, never stored in params.
 */
export { ACTIVATION_NAMES, type ActivationName, activation } from "./activations.js";
export { type DropoutOptions, dropout } from "./dropout.js";
export { type Embedding, type EmbeddingInitOptions, embeddingApply, embeddingInit } from "./embedding.js";
export {
  glorotUniform,
  heNormal,
  INIT_NAMES,
  type InitName,
  type InitOptions,
  initWeights,
  lecunNormal,
  normalInit,
} from "./init.js";
export { type LayerNorm, layerNormApply, layerNormInit } from "./layer-norm.js";
export { type Linear, type LinearInitOptions, linearApply, linearInit } from "./linear.js";
export { type Mlp, type MlpApplyOptions, mlpApply, mlpInit } from "./mlp.js";
