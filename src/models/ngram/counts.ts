/**
 * Counting every n-gram of orders 1..N in a corpus, in typed-array hash tables (see ngram-table.ts).
 * Each sentence is `<s> w1 … wm </s>` with ONE `<s>` (as KenLM and SRILM): for every predicted
 * token (w1 … wm and `</s>`) and every n ≤ N, the n-gram ending there is counted when it fits
 * after `<s>`, so `<s>` is only ever a context and the n-grams at a sentence start are shorter.
 * Reference: KenLM lm/builder/corpus_count.cc and adjust_counts.cc (Heafield et al. 2013).
 */
import { describe, ValueError } from "../../errors.js";
import {
  capacity,
  growTo,
  hashTable,
  insertEntry,
  type NgramTable,
  rootTable,
  unigramTable,
} from "./ngram-table.js";
import { BOS_ID, EOS_ID } from "./tokenize.js";
import type { EncodedCorpus } from "./vocab.js";

/** The largest order accepted. */
export const MAX_ORDER = 20;

/** Raw n-gram counts of orders 0..N. Arrays are indexed by entry of `tables[n]` (length ≥ its size). */
export type NgramCounts = {
  /** N */
  order: number;
  /** V, including `<unk>`, `<s>`, `</s>` */
  vocabSize: number;
  /** `[N + 1]` tables; `tables[0]` is the empty context, `tables[1]` the unigrams */
  tables: NgramTable[];
  /** `[N + 1]` raw counts c(n-gram); `counts[0][0]` = number of predicted tokens */
  counts: Int32Array[];
  /** `[N + 1]` `suffix[n][e]`: entry in `tables[n − 1]` of the n-gram without its first word */
  suffix: Int32Array[];
  /** predicted tokens (words + one `</s>` per sentence) */
  tokens: number;
  sentences: number;
};

/** Check the order argument (integer 1..MAX_ORDER). */
export function checkOrder(order: unknown, fn: string): number {
  if (typeof order !== "number" || !Number.isInteger(order) || order < 1 || order > MAX_ORDER)
    throw new ValueError(
      `${fn}: order must be an integer from 1 to ${MAX_ORDER}, but got ${describe(order)}`,
    );
  return order;
}

/** Count all n-grams of orders 1..`order` in an encoded corpus over a vocabulary of `vocabSize` ids. */
export function countNgrams(corpus: EncodedCorpus, order: number, vocabSize: number): NgramCounts {
  const N = checkOrder(order, "countNgrams");
  const { ids, offsets } = corpus;
  const S = offsets.length - 1;
  if (S < 1) throw new ValueError("countNgrams: corpus must contain at least one sentence, but got none");
  if (!Number.isInteger(vocabSize) || vocabSize < 3)
    throw new ValueError(`countNgrams: vocabSize must be an integer >= 3, but got ${describe(vocabSize)}`);
  const [bos, eos, insert] = [BOS_ID, EOS_ID, insertEntry];
  for (let i = 0; i < ids.length; i++) {
    const w = ids[i];
    if (!(w >= 0 && w < vocabSize) || w === bos || w === eos)
      throw new ValueError(
        `countNgrams: token ids must be in [0, ${vocabSize}) and not <s>/</s> (1, 2), but ids[${i}] = ${w}`,
      );
  }
  const tables: NgramTable[] = [rootTable(), unigramTable(vocabSize)];
  const counts: Int32Array[] = [new Int32Array(1), new Int32Array(vocabSize)];
  const suffix: Int32Array[] = [new Int32Array(1).fill(-1), new Int32Array(vocabSize)];
  // room for every n-gram type up front (at most one per predicted token), capped at 2^22 entries
  const guess = Math.min(ids.length + S, 1 << 22);
  for (let n = 2; n <= N; n++) {
    const t = hashTable(n, guess);
    tables.push(t);
    counts.push(new Int32Array(capacity(t)));
    suffix.push(new Int32Array(capacity(t)));
  }
  // prev[k] / cur[k]: entry of the k-gram ending at the previous / current token (−1: none)
  let prev = new Int32Array(Math.max(N, 2));
  let cur = new Int32Array(Math.max(N, 2));
  const uni = counts[1];
  for (let s = 0; s < S; s++) {
    const start = offsets[s];
    const end = offsets[s + 1];
    prev.fill(-1);
    prev[0] = 0;
    prev[1] = bos;
    for (let i = start; i <= end; i++) {
      const w = i < end ? ids[i] : eos;
      cur[0] = 0;
      cur[1] = w;
      uni[w]++;
      let n = 2;
      for (; n <= N; n++) {
        const p = prev[n - 1];
        if (p < 0) break;
        const t = tables[n];
        const e = insert(t, p, w);
        if (e >= counts[n].length) {
          counts[n] = growTo(counts[n], capacity(t));
          suffix[n] = growTo(suffix[n], capacity(t));
        }
        counts[n][e]++;
        suffix[n][e] = cur[n - 1];
        if (n < N) cur[n] = e;
      }
      for (; n < N; n++) cur[n] = -1;
      const tmp = prev;
      prev = cur;
      cur = tmp;
    }
  }
  const tokens = ids.length + S;
  counts[0][0] = tokens;
  return { order: N, vocabSize, tables, counts, suffix, tokens, sentences: S };
}

/** Per context entry of `tables[n − 1]`: the sum of its children's `values` and how many children have value > 0. */
export function childSums(
  c: NgramCounts,
  n: number,
  values: ArrayLike<number>,
): { total: Float64Array; distinct: Int32Array } {
  const ctx = c.tables[n - 1];
  const t = c.tables[n];
  const total = new Float64Array(ctx.size);
  const distinct = new Int32Array(ctx.size);
  const parent = t.parent;
  for (let e = 0; e < t.size; e++) {
    const v = values[e];
    if (v > 0) {
      total[parent[e]] += v;
      distinct[parent[e]]++;
    }
  }
  return { total, distinct };
}

/** `starts[n][e]` = 1 when n-gram e begins with `<s>` (n = 0..N). */
export function startsWithBos(c: NgramCounts): Uint8Array[] {
  const out: Uint8Array[] = [new Uint8Array(1)];
  const uni = new Uint8Array(c.vocabSize);
  uni[BOS_ID] = 1;
  out.push(uni);
  for (let n = 2; n <= c.order; n++) {
    const t = c.tables[n];
    const below = out[n - 1];
    const a = new Uint8Array(t.size);
    for (let e = 0; e < t.size; e++) a[e] = below[t.parent[e]];
    out.push(a);
  }
  return out;
}

/** Continuation counts N1+(• g) for every entry g of `tables[n]`, n < N: distinct left extensions. */
export function continuationCounts(c: NgramCounts, n: number): Int32Array {
  const out = new Int32Array(c.tables[n].size);
  const up = c.tables[n + 1];
  const suf = c.suffix[n + 1];
  for (let e = 0; e < up.size; e++) out[suf[e]]++;
  return out;
}
