/**
 * A causal (or bidirectional) transformer language model: config, attention / block / model layers,
 * fixed-shape batches, training with the shared loop, scoring, generation through the shared
 * `generate`, and checkpoints. Start from `transformer(config)`.
 */
export { type Attention, attentionApply, attentionInit, attentionMask, MASKED_LOGIT } from "./attention.js";
export {
  scoredTokens,
  sequenceWindows,
  streamWindows,
  toTokenBatch,
  type WindowOptions,
  type Windows,
} from "./batches.js";
export { type Block, blockApply, blockInit } from "./block.js";
export {
  decodeTransformer,
  encodeTransformer,
  TRANSFORMER_KIND,
  type TransformerCheckpoint,
} from "./checkpoint.js";
export { type MaskKind, type ResolvedConfig, resolveConfig, type TransformerConfig } from "./config.js";
export type { TokenBatch } from "./loss.js";
export type { ApplyOptions, TransformerParams } from "./model.js";
export type { DisposableNextTokenModel, NextTokenOptions } from "./next-token.js";
export type { ScoreOptions, SequenceScores } from "./score.js";
export { type TrainData, type TrainOptions, type TrainResult, trainOptimizer } from "./train.js";
export { asNextTokenModel, initTransformer, type Transformer, transformer } from "./transformer.js";
