import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../src/errors.js";
import {
  BOS_ID,
  detokenize,
  EOS_ID,
  SPACE,
  splitSentences,
  tokenize,
  tokenizeText,
  UNK_ID,
} from "../../../src/models/ngram/tokenize.js";
import { buildVocab, decode, encode, encodeCorpus, vocabFromWords } from "../../../src/models/ngram/vocab.js";

test("words: letters with inner apostrophes/hyphens, numbers with . and ,, every other symbol alone", () => {
  assert.deepEqual(tokenize("Don't stop, well-known  friend!  It costs 3.14 or 1,000 (approx.)"), [
    "Don't",
    "stop",
    ",",
    "well-known",
    "friend",
    "!",
    "It",
    "costs",
    "3.14",
    "or",
    "1,000",
    "(",
    "approx",
    ".",
    ")",
  ]);
  assert.deepEqual(tokenize("Café naïve — 'quoted'", { lowercase: true }), [
    "café",
    "naïve",
    "—",
    "'",
    "quoted",
    "'",
  ]);
  assert.deepEqual(tokenize("end."), ["end", "."]);
});

test("characters: code points, a whitespace run is one ▁; whitespace: fields as they are", () => {
  assert.deepEqual(tokenize(" Ab  c\té ", { kind: "char" }), ["A", "b", SPACE, "c", SPACE, "é"]);
  assert.deepEqual(tokenize("🙂x", { kind: "char" }), ["🙂", "x"]);
  assert.equal(detokenize(tokenize("hello  world", { kind: "char" }), { kind: "char" }), "hello world");
  assert.deepEqual(tokenize("a  b,c\td", { kind: "whitespace" }), ["a", "b,c", "d"]);
  assert.equal(detokenize(["a", "b"], { kind: "word" }), "a b");
  assert.deepEqual(tokenize("ABC", { kind: "char", lowercase: true }), ["a", "b", "c"]);
});

test("sentences are non-blank lines (LF or CRLF), trimmed", () => {
  assert.deepEqual(splitSentences("a b\r\n\n  c \n\n"), ["a b", "c"]);
  assert.deepEqual(tokenizeText("x y\n\nz\n", { kind: "whitespace" }), [["x", "y"], ["z"]]);
  assert.throws(
    () => tokenize("a", { kind: "bytes" as never }),
    /kind must be "char", "word" or "whitespace"/,
  );
});

test("vocabulary: specials first, then by count; below minCount becomes <unk>", () => {
  const sents = [
    ["b", "a", "b", "c"],
    ["b", "a", "d"],
  ];
  const v = buildVocab(sents);
  assert.deepEqual(v.words, ["<unk>", "<s>", "</s>", "b", "a", "c", "d"]);
  const v2 = buildVocab(sents, { minCount: 2 });
  assert.deepEqual(v2.words, ["<unk>", "<s>", "</s>", "b", "a"]);
  assert.deepEqual(Array.from(encode(v2, ["b", "c", "zzz", "<unk>"])), [3, UNK_ID, UNK_ID, UNK_ID]);
  assert.deepEqual(decode(v2, [3, 4, 0]), ["b", "a", "<unk>"]);
  assert.deepEqual(buildVocab(sents, { maxSize: 1 }).words, ["<unk>", "<s>", "</s>", "b"]);
  const corpus = encodeCorpus(v, sents);
  assert.deepEqual(Array.from(corpus.offsets), [0, 4, 7]);
  assert.deepEqual(Array.from(corpus.ids), [3, 4, 3, 5, 3, 4, 6]);
  assert.equal(vocabFromWords(["x", "<s>", "x"]).words.length, 4);
  assert.equal(BOS_ID, 1);
  assert.equal(EOS_ID, 2);
});

test("vocabulary errors: minCount, whitespace in tokens, <s>/</s> inside a sentence", () => {
  assert.throws(() => buildVocab([["a"]], { minCount: 0 }), /minCount must be an integer >= 1, but got 0/);
  assert.throws(() => vocabFromWords(["a b"]), ValueError);
  assert.throws(
    () => encodeCorpus(buildVocab([["a"]]), [["a"], ["a", "</s>"]]),
    /sentence 2: .*reserved token <\/s>/,
  );
});
