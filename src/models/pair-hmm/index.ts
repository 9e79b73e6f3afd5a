/**
 * The pair hidden Markov model for aligning two protein sequences (Durbin et al., Biological Sequence
 * Analysis, ch. 4): forward/backward over every alignment, Viterbi, match posteriors, maximum
 * expected accuracy alignment, and sampling related pairs with their true alignment. Log space, nats.
 */
export { type Alignment, alignmentLogProb, alignmentStrings } from "./alignment.js";
export {
  ALPHABET_SIZE,
  AMINO_ACIDS,
  checkEncoded,
  decodeProtein,
  type Encoded,
  encodeProtein,
  encodeProtein32,
  residueCode,
} from "./alphabet.js";
export { type BackwardMatrices, backward, backwardScore } from "./backward.js";
export {
  FIVE_STATES,
  type FiveStateLogTables,
  type FiveStateParams,
  type FiveStatePosterior,
  fiveStateBackwardRows,
  fiveStateBackwardScore,
  fiveStateForwardRows,
  fiveStateForwardScore,
  fiveStateLogTables,
  fiveStateMatchPosterior,
  PROBCONS_GAPS,
  probconsParams,
  validateFiveStateParams,
} from "./five-state.js";
export { type FiveStateAlignment, fiveStateViterbi } from "./five-state-viterbi.js";
export { type ForwardMatrices, forward, forwardScore } from "./forward.js";
export { type GotohAlignment, type GotohScores, gotoh, gotohScoreOf, gotohScoresFor } from "./gotoh.js";
export {
  BLOSUM62,
  checkDistribution,
  type PairEmissions,
  pairEmissions,
  ROBINSON_FREQUENCIES,
} from "./matrices.js";
export { type MeaAlignment, meaAlignment } from "./mea.js";
export { blosum62Params, type PairHmmParams, TRAINED_GAPS, validateParams } from "./model.js";
export {
  type LogOddsOptions,
  logOddsScore,
  type NullModelParams,
  nullLogProb,
  nullModelFor,
} from "./null-model.js";
export {
  loadParams,
  PARAMS_FORMAT,
  type PairHmmParamsJson,
  paramsToJson,
  saveParams,
} from "./params-io.js";
export { type MatchPosterior, matchPosterior } from "./posterior.js";
export { type SampledPair, samplePair } from "./sample.js";
export { type SampleAlignmentsOptions, sampleAlignments } from "./traceback.js";
export { type TrainOptions, type TrainResult, trainPairHmm } from "./train.js";
export { viterbi, viterbiScore } from "./viterbi.js";
