import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../src/errors.js";
import { continuationCounts, countNgrams } from "../../../src/models/ngram/counts.js";
import { adjustedCounts } from "../../../src/models/ngram/kneser-ney.js";
import {
  findEntry,
  hashTable,
  insertEntry,
  lookupNgram,
  ngramWords,
} from "../../../src/models/ngram/ngram-table.js";
import { BOS, EOS } from "../../../src/models/ngram/tokenize.js";
import { buildVocab, encodeCorpus } from "../../../src/models/ngram/vocab.js";
import { lcg, sentences } from "./helpers.js";

const train = sentences("train.txt");

/** Brute force: every n-gram ending at a predicted token, truncated at <s>, keyed by its words. */
function bruteCounts(sents: string[][], N: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of sents) {
    const toks = [BOS, ...s, EOS];
    for (let i = 1; i < toks.length; i++)
      for (let n = 1; n <= N && i - n + 1 >= 0; n++) {
        const key = toks.slice(i - n + 1, i + 1).join(" ");
        out.set(key, (out.get(key) ?? 0) + 1);
      }
  }
  return out;
}

test("the hash table finds what it stored across growth, and nothing else", () => {
  const t = hashTable(2, 4);
  const rnd = lcg(3);
  const keys: [number, number][] = [];
  for (let i = 0; i < 5000; i++) keys.push([Math.floor(rnd() * 300), Math.floor(rnd() * 300)]);
  const seen = new Map<string, number>();
  for (const [p, w] of keys) {
    const e = insertEntry(t, p, w);
    const k = `${p},${w}`;
    if (seen.has(k)) assert.equal(e, seen.get(k));
    else seen.set(k, e);
  }
  assert.equal(t.size, seen.size);
  for (const [k, e] of seen) {
    const [p, w] = k.split(",").map(Number);
    assert.equal(findEntry(t, p, w), e);
    assert.equal(t.parent[e], p);
    assert.equal(t.word[e], w);
  }
  assert.equal(findEntry(t, 301, 5), -1);
});

test("counts of every order equal a brute-force count (single <s>, n-grams truncated at the sentence start)", () => {
  const vocab = buildVocab(train);
  for (const N of [1, 3, 5]) {
    const c = countNgrams(encodeCorpus(vocab, train), N, vocab.words.length);
    const brute = bruteCounts(train, N);
    let listed = 0;
    for (let n = 1; n <= N; n++) {
      const t = c.tables[n];
      for (let e = 0; e < t.size; e++) {
        const count = c.counts[n][e];
        if (count === 0) continue; // <unk> and <s> unigrams
        listed++;
        const key = ngramWords(c.tables, n, e)
          .map((id) => vocab.words[id])
          .join(" ");
        assert.equal(count, brute.get(key), key);
        // the suffix pointer is the n-gram without its first word
        if (n >= 2) assert.equal(c.suffix[n][e], lookupNgram(c.tables, ngramWords(c.tables, n, e).slice(1)));
      }
    }
    assert.equal(listed, brute.size);
    assert.equal(
      c.tokens,
      train.reduce((a, s) => a + s.length + 1, 0),
    );
    assert.equal(c.counts[0][0], c.tokens);
  }
});

test("continuation and adjusted counts (KenLM's adjust_counts): distinct left words, raw counts after <s>", () => {
  const vocab = buildVocab(train);
  const c = countNgrams(encodeCorpus(vocab, train), 3, vocab.words.length);
  const brute = bruteCounts(train, 3);
  const left = new Map<string, Set<string>>();
  for (const key of brute.keys()) {
    const w = key.split(" ");
    if (w.length < 2) continue;
    const rest = w.slice(1).join(" ");
    if (!left.has(rest)) left.set(rest, new Set());
    left.get(rest)!.add(w[0]);
  }
  const a = adjustedCounts(c);
  for (const n of [1, 2]) {
    const cont = continuationCounts(c, n);
    for (let e = 0; e < c.tables[n].size; e++) {
      const words = ngramWords(c.tables, n, e).map((id) => vocab.words[id]);
      const key = words.join(" ");
      assert.equal(cont[e], left.get(key)?.size ?? 0, key);
      assert.equal(a[n][e], words[0] === BOS ? (brute.get(key) ?? 0) : cont[e], key);
    }
  }
  for (let e = 0; e < c.tables[3].size; e++) assert.equal(a[3][e], c.counts[3][e]);
});

test("bad input to countNgrams is a ValueError", () => {
  const vocab = buildVocab(train);
  const corpus = encodeCorpus(vocab, train);
  assert.throws(
    () => countNgrams(corpus, 0, vocab.words.length),
    /order must be an integer from 1 to 20, but got 0/,
  );
  assert.throws(() => countNgrams(corpus, 2.5, vocab.words.length), ValueError);
  assert.throws(
    () => countNgrams({ ids: new Int32Array(0), offsets: new Int32Array([0]) }, 2, 5),
    /at least one sentence/,
  );
  assert.throws(
    () => countNgrams({ ids: Int32Array.of(1), offsets: Int32Array.of(0, 1) }, 2, 5),
    /ids\[0\] = 1/,
  );
  assert.throws(
    () => countNgrams({ ids: Int32Array.of(9), offsets: Int32Array.of(0, 1) }, 2, 5),
    /ids\[0\] = 9/,
  );
});
