import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { NgramModel } from "../../../src/models/ngram/model.js";
import { ngramWords } from "../../../src/models/ngram/ngram-table.js";
import { nextLogProbs } from "../../../src/models/ngram/score.js";
import { BOS_ID } from "../../../src/models/ngram/tokenize.js";

export const FIXTURES = join("test", "fixtures", "ngram");

/** A fixture file's text (a missing file fails the test). */
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

export type KnCase = {
  order: number;
  minCount: number;
  vocabSize: number;
  discounts: { order: number; D: number[]; fallback: boolean }[];
  train: number[];
  heldout: number[];
  tokens0: number[];
};

export type Expected = {
  kn: KnCase[];
  nltk: Record<string, { order: number; train: number[]; heldout?: number[] }>;
  arpa: { text: string; log10: number[]; total: number; oov: number }[];
};

export function expected(): Expected {
  return JSON.parse(fixtureText("expected.json")) as Expected;
}

/** Whitespace-tokenised lines of a fixture corpus. */
export function sentences(name: string): string[][] {
  return fixtureText(name)
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => l.trim().split(/\s+/));
}

/** Every context a model knows (each entry of orders 0..N−1, as word ids), plus `extra`. */
export function allContexts(m: NgramModel): number[][] {
  const out: number[][] = [];
  for (let n = 0; n < m.order; n++)
    for (let e = 0; e < m.tables[n].size; e++) out.push(n === 0 ? [] : ngramWords(m.tables, n, e));
  return out;
}

/** A deterministic generator of uniform numbers (tests only). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Unseen contexts: random id strings, some starting with `<s>`. */
export function randomContexts(m: NgramModel, count: number, seed: number): number[][] {
  const rnd = lcg(seed);
  const V = m.vocab.words.length;
  const out: number[][] = [];
  for (let i = 0; i < count; i++) {
    const len = 1 + Math.floor(rnd() * (m.order + 1));
    const ctx = Array.from({ length: len }, () => Math.floor(rnd() * V));
    if (i % 2 === 0) ctx[0] = BOS_ID;
    out.push(ctx);
  }
  return out;
}

/** max over contexts of |Σ_{w ≠ <s>} p(w | context) − 1|, and how many contexts were checked. */
export function worstSum(m: NgramModel, contexts: number[][]): { worst: number; count: number } {
  let worst = 0;
  for (const ctx of contexts) {
    const lp = nextLogProbs(m, ctx);
    let s = 0;
    for (let w = 0; w < lp.length; w++) if (w !== BOS_ID) s += Math.exp(lp[w]);
    worst = Math.max(worst, Math.abs(s - 1));
  }
  return { worst, count: contexts.length };
}
