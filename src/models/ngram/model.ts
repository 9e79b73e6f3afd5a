/**
 * An n-gram language model as plain data: a vocabulary, the n-grams of orders 1..N in typed-array
 * tables, and for each n-gram its log-probability and (as a context) its log backoff weight — the
 * content of an ARPA file. `fit` counts a corpus and applies one estimator: maximum likelihood,
 * add-k (Lidstone/Laplace), interpolated Witten–Bell, or interpolated modified Kneser–Ney (default).
 * References: Chen & Goodman, "An Empirical Study of Smoothing Techniques for Language Modeling"
 * (1998); KenLM lmplz (Heafield et al. 2013); SRILM ngram-count(1).
 */
import { describe, ValueError } from "../../errors.js";
import { checkOrder, countNgrams } from "./counts.js";
import { addK, type Estimate, interpolate, mle, wittenBell } from "./estimate.js";
import { checkFallback, DEFAULT_DISCOUNT_FALLBACK, type KnDiscount, kneserNey } from "./kneser-ney.js";
import type { NgramTable } from "./ngram-table.js";
import { resolveTokenizer, type TokenizerOptions, tokenizeText } from "./tokenize.js";
import { buildVocab, type EncodedCorpus, encodeCorpus, type Vocab } from "./vocab.js";

/** The estimators: maximum likelihood, add-k, interpolated Witten–Bell, interpolated modified Kneser–Ney. */
export type Smoothing = "mle" | "addk" | "wb" | "kn";

/** The estimator names accepted by `fit`. */
export const SMOOTHINGS: readonly Smoothing[] = ["mle", "addk", "wb", "kn"];

/** A trained or imported n-gram model (plain object). */
export type NgramModel = {
  /** N */
  order: number;
  vocab: Vocab;
  /** the estimator, or `"arpa"` for a model read from an ARPA file (scored with backoff semantics) */
  smoothing: Smoothing | "arpa";
  /** add-k constant (add-k models only) */
  k: number | null;
  /** Kneser–Ney discounts per order (KN models only) */
  discounts: KnDiscount[] | null;
  /** how text was tokenised for training (null when unknown, e.g. a foreign ARPA file) */
  tokenizer: Required<TokenizerOptions> | null;
  /** `[N + 1]` n-gram tables (`tables[0]`: the empty context; `tables[1]`: unigrams, entry = word id) */
  tables: NgramTable[];
  /** `[N + 1]` ln p(w | c) per entry, nats; NaN marks a blank entry (a context that is not itself listed) */
  logProb: Float64Array[];
  /** `[N + 1]` ln backoff weight per entry, nats (0: none); add-k: ln p(unseen continuation | entry) */
  logBow: Float64Array[];
  /** free-form facts: training token/sentence counts, or the header of an imported file */
  info: Record<string, string>;
};

/** Options of `fit`. */
export type FitOptions = {
  /** N ≥ 1 (up to 20) */
  order: number;
  /** default `"kn"` */
  smoothing?: Smoothing;
  /** add-k constant k > 0 (1 = Laplace); default 1 */
  k?: number;
  /** Kneser–Ney discounts [D1, D2, D3+] for orders where Chen & Goodman's are undefined; default [0.5, 1, 1.5] */
  discountFallback?: [number, number, number];
  /** tokens seen fewer times become `<unk>`; default 1 (ignored when `vocab` is given) */
  minCount?: number;
  /** keep at most this many tokens besides the specials (ignored when `vocab` is given) */
  maxVocab?: number;
  /** a fixed vocabulary (tokens outside it become `<unk>`) */
  vocab?: Vocab;
  /** tokeniser settings, recorded with the model (and used by `fitText`) */
  tokenizer?: TokenizerOptions;
};

function checkFitOptions(opts: FitOptions, fn: string) {
  if (opts === null || typeof opts !== "object")
    throw new ValueError(`${fn}: opts must be an object with an order, but got ${describe(opts)}`);
  const order = checkOrder(opts.order, fn);
  const smoothing = opts.smoothing ?? "kn";
  if (!SMOOTHINGS.includes(smoothing))
    throw new ValueError(
      `${fn}: smoothing must be one of ${SMOOTHINGS.join(", ")}, but got ${describe(smoothing)}`,
    );
  const k = opts.k ?? 1;
  if (typeof k !== "number" || !(k > 0) || !Number.isFinite(k))
    throw new ValueError(`${fn}: k must be a finite number > 0, but got ${describe(k)}`);
  const fallback =
    opts.discountFallback === undefined
      ? DEFAULT_DISCOUNT_FALLBACK
      : checkFallback(opts.discountFallback, fn);
  const tokenizer = opts.tokenizer === undefined ? null : resolveTokenizer(opts.tokenizer, fn);
  return { order, smoothing, k, fallback, tokenizer };
}

/** Train on an encoded corpus over `vocab` (ids from `encodeCorpus`). */
export function fitEncoded(corpus: EncodedCorpus, vocab: Vocab, opts: FitOptions): NgramModel {
  const { order, smoothing, k, fallback, tokenizer } = checkFitOptions(opts, "fit");
  if (corpus.offsets.length < 2)
    throw new ValueError("fit: the corpus must contain at least one sentence, but it is empty");
  const c = countNgrams(corpus, order, vocab.words.length);
  let est: Estimate;
  let discounts: KnDiscount[] | null = null;
  if (smoothing === "kn") {
    const kn = kneserNey(c, fallback);
    discounts = kn.discounts;
    est = interpolate(c, kn.alpha, kn.gamma);
  } else if (smoothing === "wb") est = wittenBell(c);
  else if (smoothing === "mle") est = mle(c);
  else est = addK(c, k);
  return {
    order,
    vocab,
    smoothing,
    k: smoothing === "addk" ? k : null,
    discounts,
    tokenizer,
    tables: c.tables,
    logProb: est.logProb,
    logBow: est.logBow,
    info: { tokens: String(c.tokens), sentences: String(c.sentences) },
  };
}

/** Train on tokenised sentences (no `<s>`/`</s>`; the model adds them). */
export function fit(sentences: readonly (readonly string[])[], opts: FitOptions): NgramModel {
  checkFitOptions(opts, "fit");
  if (!Array.isArray(sentences) || sentences.length === 0)
    throw new ValueError("fit: the corpus must contain at least one sentence, but it is empty");
  const vocab = opts.vocab ?? buildVocab(sentences, { minCount: opts.minCount, maxSize: opts.maxVocab });
  const m = fitEncoded(encodeCorpus(vocab, sentences), vocab, opts);
  if (opts.vocab === undefined) m.info.minCount = String(opts.minCount ?? 1);
  return m;
}

/** Train on raw text: one sentence per line, tokenised with `opts.tokenizer` (default: words). */
export function fitText(text: string, opts: FitOptions): NgramModel {
  const tokenizer = resolveTokenizer(opts.tokenizer ?? {}, "fitText");
  const sentences = tokenizeText(text, tokenizer);
  if (sentences.length === 0)
    throw new ValueError("fitText: the corpus must contain at least one non-blank line, but it has none");
  return fit(sentences, { ...opts, tokenizer });
}

/** Number of outcomes a next-token distribution covers: V − 1 (everything but `<s>`). */
export function outcomeCount(m: NgramModel): number {
  return m.vocab.words.length - 1;
}

/** Number of listed (non-blank) n-grams of each order 1..N. */
export function ngramCounts(m: NgramModel): number[] {
  const out: number[] = [];
  for (let n = 1; n <= m.order; n++) {
    const lp = m.logProb[n];
    let c = 0;
    for (let e = 0; e < m.tables[n].size; e++) if (!Number.isNaN(lp[e])) c++;
    out.push(c);
  }
  return out;
}
