/**
 * N-gram language models (KenLM/SRILM-compatible): tokenisers and vocabularies, counting in
 * typed-array hash tables, MLE / add-k / Witten–Bell / modified Kneser–Ney estimators, chain-rule
 * scoring and perplexity, ARPA import/export, and sampling through the shared `generate`.
 */
import { arpaChunks, fromArpa, toArpa } from "./arpa.js";
import { fit, fitEncoded, fitText, ngramCounts, outcomeCount } from "./model.js";
import { asNextTokenModel, sample } from "./sample.js";
import {
  evaluate,
  evaluateEncoded,
  evaluateText,
  logProb,
  nextLogProbs,
  scoreLine,
  scoreSentence,
  scoreText,
} from "./score.js";
import { deserialize, serialize } from "./serialize.js";

export { type ArpaWriteOptions, arpaChunks, fromArpa, toArpa } from "./arpa.js";
export { countNgrams, MAX_ORDER, type NgramCounts } from "./counts.js";
export { DEFAULT_DISCOUNT_FALLBACK, type KnDiscount } from "./kneser-ney.js";
export {
  type FitOptions,
  fit,
  fitEncoded,
  fitText,
  type NgramModel,
  ngramCounts,
  outcomeCount,
  SMOOTHINGS,
  type Smoothing,
} from "./model.js";
export { asNextTokenModel, type SampleOptions, sample } from "./sample.js";
export {
  type CorpusScore,
  evaluate,
  evaluateEncoded,
  evaluateText,
  logProb,
  nextLogProbs,
  type SentenceScore,
  scoreLine,
  scoreSentence,
  scoreText,
} from "./score.js";
export { deserialize, serialize } from "./serialize.js";
export {
  BOS,
  BOS_ID,
  detokenize,
  EOS,
  EOS_ID,
  SPACE,
  splitSentences,
  type TokenizerKind,
  type TokenizerOptions,
  tokenize,
  tokenizeText,
  UNK,
  UNK_ID,
} from "./tokenize.js";
export {
  buildVocab,
  decode,
  type EncodedCorpus,
  encode,
  encodeCorpus,
  isKnown,
  type Vocab,
  type VocabOptions,
  vocabFromWords,
} from "./vocab.js";

/** The n-gram model API in one record: `Ngram.fitText(text, {order: 5})`, `Ngram.evaluateText(m, text)`, … */
export const Ngram = {
  fit,
  fitText,
  fitEncoded,
  scoreSentence,
  scoreLine,
  scoreText,
  logProb,
  evaluate,
  evaluateText,
  evaluateEncoded,
  nextLogProbs,
  asNextTokenModel,
  sample,
  toArpa,
  arpaChunks,
  fromArpa,
  serialize,
  deserialize,
  ngramCounts,
  outcomeCount,
};
