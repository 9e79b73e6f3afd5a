/**
 * Scoring with an n-gram model by the chain rule, with standard backoff semantics (SRILM
 * ngram(1), KenLM query): p(w | h) = p*(h w) when the n-gram h w is listed, otherwise
 * bow(h) · p(w | h minus its first word), where an unlisted context has bow 1. Add-k models use
 * their flat rule instead (see estimate.ts). The state after each token is the entry of every
 * n-gram ending there (KenLM's `State`), so each token costs one hash lookup per order.
 */
import { describe, ValueError } from "../../errors.js";
import type { NgramModel } from "./model.js";
import { probe } from "./ngram-table.js";
import { BOS_ID, EOS, EOS_ID, tokenize, tokenizeText, UNK_ID } from "./tokenize.js";
import { type EncodedCorpus, encode, encodeCorpus } from "./vocab.js";

const LN10 = Math.LN10;

/** An incremental scorer over one model (internal; allocation-free per token). */
export type Scorer = {
  /** start a sentence: the context is `<s>` */
  reset: () => void;
  /** start with no context at all (no `<s>`) */
  resetEmpty: () => void;
  /** ln p(w | current context), without moving on; sets `matched` */
  peek: (w: number) => number;
  /** ln p(w | current context), then append w to the context */
  next: (w: number) => number;
  /** length of the longest listed n-gram used by the last `peek`/`next` (KenLM's "ngram length") */
  matched: () => number;
};

/** Build a scorer for `m`. */
export function makeScorer(m: NgramModel): Scorer {
  const N = m.order;
  const { logProb, logBow } = m;
  // hoisted: module bindings and table fields read once (tables do not change after training)
  const find = probe;
  const slots = m.tables.map((t) => t.slots);
  const flat = m.smoothing === "addk";
  const bosId = BOS_ID;
  const uniform = -Math.log(m.vocab.words.length - 1);
  const L = Math.max(N, 2);
  let prev = new Int32Array(L);
  let cur = new Int32Array(L);
  let depth = 0;
  let matched = 0;

  function peek(w: number): number {
    // cur[n]: entry of the n-gram of length n ending at w (−1 when not in the model)
    cur[0] = 0;
    let best = 0;
    let lp = Number.NEGATIVE_INFINITY;
    for (let n = 1; n <= N; n++) {
      const p = prev[n - 1];
      let e = -1;
      if (p >= 0) e = n === 1 ? w : find(slots[n], p, w);
      if (n < N) cur[n] = e;
      if (e >= 0) {
        const x = logProb[n][e];
        if (!Number.isNaN(x)) {
          best = n;
          lp = x;
        }
      }
    }
    if (flat) {
      const c = Math.min(N - 1, depth);
      const ctx = prev[c];
      matched = best === c + 1 ? best : 0;
      if (c === 0 || best === c + 1) return lp;
      return ctx >= 0 ? logBow[c][ctx] : uniform;
    }
    matched = best;
    for (let k = best; k < N; k++) {
      const p = prev[k];
      if (p >= 0) lp += logBow[k][p];
    }
    return lp;
  }

  function advance(): void {
    const t = prev;
    prev = cur;
    cur = t;
    depth++;
  }

  return {
    reset: () => {
      prev.fill(-1);
      prev[0] = 0;
      if (N >= 2) prev[1] = bosId;
      depth = 1;
    },
    resetEmpty: () => {
      prev.fill(-1);
      prev[0] = 0;
      depth = 0;
    },
    peek,
    next: (w: number) => {
      const lp = peek(w);
      advance();
      return lp;
    },
    matched: () => matched,
  };
}

/** Scores of one sentence (its tokens, then `</s>`). */
export type SentenceScore = {
  /** `[T + 1]` the tokens scored: the sentence's tokens (OOVs as written) and `</s>` */
  tokens: string[];
  /** `[T + 1]` ids (OOV → `<unk>`) */
  ids: Int32Array;
  /** `[T + 1]` ln p(token | history), nats */
  logProbs: Float64Array;
  /** `[T + 1]` length of the longest n-gram found for each token */
  ngramLengths: Int32Array;
  /** `[T + 1]` 1 where the token is out of vocabulary */
  oovMask: Uint8Array;
  /** Σ ln p over tokens and `</s>`, nats */
  logProb: number;
  /** the same in log10 (KenLM's "Total") */
  log10Prob: number;
  /** number of OOV tokens */
  oov: number;
};

/** Score one tokenised sentence (no `<s>`/`</s>`: the model adds them). */
export function scoreSentence(m: NgramModel, tokens: readonly string[]): SentenceScore {
  const s = makeScorer(m);
  const words = encode(m.vocab, tokens, "scoreSentence");
  const T = words.length;
  const ids = new Int32Array(T + 1);
  ids.set(words);
  ids[T] = EOS_ID;
  const logProbs = new Float64Array(T + 1);
  const ngramLengths = new Int32Array(T + 1);
  const oovMask = new Uint8Array(T + 1);
  let total = 0;
  let oov = 0;
  s.reset();
  for (let i = 0; i <= T; i++) {
    logProbs[i] = s.next(ids[i]);
    ngramLengths[i] = s.matched();
    total += logProbs[i];
    if (ids[i] === UNK_ID) {
      oovMask[i] = 1;
      oov++;
    }
  }
  return {
    tokens: [...tokens, EOS],
    ids,
    logProbs,
    ngramLengths,
    oovMask,
    logProb: total,
    log10Prob: total / LN10,
    oov,
  };
}

/** ln P(sentence) by the chain rule, including `</s>` (nats). */
export function logProb(m: NgramModel, tokens: readonly string[]): number {
  return scoreSentence(m, tokens).logProb;
}

/** Corpus-level scores, with KenLM query's and SRILM -ppl's conventions. */
export type CorpusScore = {
  sentences: number;
  /** tokens, excluding `</s>`, including OOVs */
  tokens: number;
  /** tokens scored as `<unk>` (out of vocabulary, or `<unk>` itself), as KenLM counts OOVs */
  oov: number;
  /** Σ ln p over all tokens and `</s>` (nats) */
  logProb: number;
  /** the same in log10 */
  log10Prob: number;
  /** Σ ln p over the tokens only (no `</s>`) */
  logProbNoEos: number;
  /** −logProb / (tokens + sentences) */
  natsPerToken: number;
  bitsPerToken: number;
  /** exp(natsPerToken): KenLM's "Perplexity including OOVs" (SRILM's ppl) */
  perplexity: number;
  /** −logProbNoEos / tokens */
  natsPerTokenNoEos: number;
  bitsPerTokenNoEos: number;
  /** perplexity over the tokens only (SRILM's ppl1) */
  perplexityNoEos: number;
  /** perplexity with `</s>` but without the OOV tokens' terms (KenLM's "Perplexity excluding OOVs") */
  perplexityExclOov: number;
};

/** Score an encoded corpus (OOVs are the `<unk>` ids). */
export function evaluateEncoded(m: NgramModel, corpus: EncodedCorpus): CorpusScore {
  const { ids, offsets } = corpus;
  const S = offsets.length - 1;
  const s = makeScorer(m);
  const V = m.vocab.words.length;
  const [unk, bos, eos] = [UNK_ID, BOS_ID, EOS_ID];
  let total = 0;
  let eosLp = 0;
  let oovLp = 0;
  let oov = 0;
  for (let k = 0; k < S; k++) {
    s.reset();
    for (let i = offsets[k]; i < offsets[k + 1]; i++) {
      const w = ids[i];
      if (!(w >= 0 && w < V) || w === bos || w === eos)
        throw new ValueError(
          `evaluate: token ids must be in [0, ${V}) and not <s>/</s>, but ids[${i}] = ${w}`,
        );
      const lp = s.next(w);
      total += lp;
      if (w === unk) {
        oov++;
        oovLp += lp;
      }
    }
    const lp = s.next(eos);
    total += lp;
    eosLp += lp;
  }
  const T = ids.length;
  return summarize(S, T, oov, total, eosLp, oovLp);
}

function summarize(
  S: number,
  T: number,
  oov: number,
  total: number,
  eos: number,
  oovLp: number,
): CorpusScore {
  const natsPerToken = -total / (T + S);
  const natsPerTokenNoEos = T > 0 ? -(total - eos) / T : Number.NaN;
  const exclCount = T + S - oov;
  return {
    sentences: S,
    tokens: T,
    oov,
    logProb: total,
    log10Prob: total / LN10,
    logProbNoEos: total - eos,
    natsPerToken,
    bitsPerToken: natsPerToken / Math.LN2,
    perplexity: Math.exp(natsPerToken),
    natsPerTokenNoEos,
    bitsPerTokenNoEos: natsPerTokenNoEos / Math.LN2,
    perplexityNoEos: Math.exp(natsPerTokenNoEos),
    perplexityExclOov: Math.exp(-(total - oovLp) / exclCount),
  };
}

/** Score tokenised sentences (no `<s>`/`</s>`); OOV tokens are scored as `<unk>` and counted. */
export function evaluate(m: NgramModel, sentences: readonly (readonly string[])[]): CorpusScore {
  if (sentences.length === 0) throw new ValueError("evaluate: sentences must not be empty, but got none");
  return evaluateEncoded(m, encodeCorpus(m.vocab, sentences));
}

function tokenizerOf(m: NgramModel) {
  return m.tokenizer ?? { kind: "whitespace" as const, lowercase: false };
}

/** Tokenise one line with the model's tokeniser (whitespace when unknown) and score it. */
export function scoreLine(m: NgramModel, line: string): SentenceScore {
  return scoreSentence(m, tokenize(line, tokenizerOf(m)));
}

/** Tokenise text (one sentence per line) with the model's tokeniser and score it. */
export function evaluateText(m: NgramModel, text: string): CorpusScore {
  return evaluate(m, tokenizeText(text, tokenizerOf(m)));
}

/**
 * Score text line by line, as KenLM's `query` prints it: one {@link SentenceScore} per non-blank
 * line (tokenised with the model's tokeniser) and the corpus totals.
 */
export function scoreText(m: NgramModel, text: string): { sentences: SentenceScore[]; total: CorpusScore } {
  const sentences = tokenizeText(text, tokenizerOf(m)).map((tokens) => scoreSentence(m, tokens));
  if (sentences.length === 0)
    throw new ValueError("scoreText: text must contain at least one non-blank line");
  let T = 0;
  let oov = 0;
  let total = 0;
  let eos = 0;
  let oovLp = 0;
  for (const r of sentences) {
    const n = r.logProbs.length - 1;
    T += n;
    oov += r.oov;
    total += r.logProb;
    eos += r.logProbs[n];
    for (let i = 0; i < n; i++) if (r.oovMask[i]) oovLp += r.logProbs[i];
  }
  return { sentences, total: summarize(sentences.length, T, oov, total, eos, oovLp) };
}

/**
 * `[V]` ln p(next | context) for every vocabulary id (`<s>` gets −∞). The context (ids, oldest first)
 * is read from its last `<s>` on; with no `<s>` it is a mid-sentence fragment (use `[<s>]` to start
 * a sentence). Only the last N − 1 tokens matter.
 */
export function nextLogProbs(m: NgramModel, context: ArrayLike<number>): Float64Array {
  const V = m.vocab.words.length;
  for (let i = 0; i < context.length; i++) {
    const w = context[i];
    if (!(Number.isInteger(w) && w >= 0 && w < V))
      throw new ValueError(
        `nextLogProbs: context ids must be integers in [0, ${V}), but context[${i}] = ${describe(w)}`,
      );
  }
  const s = makeScorer(m);
  let from = Math.max(0, context.length - (m.order - 1));
  let bos = -1;
  for (let i = context.length - 1; i >= from; i--)
    if (context[i] === BOS_ID) {
      bos = i;
      break;
    }
  if (bos >= 0) {
    s.reset();
    from = bos + 1;
  } else s.resetEmpty();
  for (let i = from; i < context.length; i++) s.next(context[i]);
  const out = new Float64Array(V);
  for (let w = 0; w < V; w++) out[w] = w === BOS_ID ? Number.NEGATIVE_INFINITY : s.peek(w);
  return out;
}
