import assert from "node:assert/strict";
import { test } from "node:test";
import { FormatError, ValueError } from "../../../src/errors.js";
import { arpaChunks, fromArpa, toArpa } from "../../../src/models/ngram/arpa.js";
import { fit, fitText, ngramCounts, type Smoothing } from "../../../src/models/ngram/model.js";
import { evaluate, scoreLine, scoreSentence } from "../../../src/models/ngram/score.js";
import { allContexts, expected, fixtureText, sentences, worstSum } from "./helpers.js";

const train = sentences("train.txt");
const heldout = sentences("heldout.txt");

test("an exported model re-imported gives the same scores to 1e-6 (KN, WB, MLE; orders 1-5; with <unk>)", () => {
  for (const smoothing of ["kn", "wb", "mle"] as Smoothing[])
    for (const order of [1, 2, 3, 5]) {
      const m = fit(train, {
        order,
        smoothing,
        minCount: order === 3 ? 20 : 1,
        tokenizer: { kind: "whitespace" },
      });
      const back = fromArpa(toArpa(m));
      assert.equal(back.order, order);
      assert.deepEqual(ngramCounts(back), ngramCounts(m));
      assert.deepEqual(back.vocab.words, m.vocab.words);
      assert.deepEqual(back.tokenizer, { kind: "whitespace", lowercase: false });
      assert.equal(back.info.smoothing, smoothing);
      const texts = smoothing === "mle" ? train.slice(0, 30) : [...train.slice(0, 30), ...heldout];
      for (const s of texts) {
        const a = scoreSentence(m, s);
        const b = scoreSentence(back, s);
        assert.ok(
          Math.abs(a.logProb - b.logProb) < 1e-6,
          `${smoothing}-${order}: ${a.logProb} vs ${b.logProb}`,
        );
        assert.deepEqual(b.ngramLengths, a.ngramLengths);
      }
      if (smoothing !== "mle") {
        const { worst } = worstSum(back, allContexts(back));
        assert.ok(worst < 1e-7, `${smoothing}-${order} re-imported: |sum - 1| = ${worst}`);
      }
    }
});

test("the tokeniser travels in the ARPA header, so raw text scores the same after a round trip", () => {
  const text = "The cat sat.\nA Dog sat, the cat ran!\nthe dog ran.\n";
  const m = fitText(text, { order: 3, tokenizer: { kind: "word", lowercase: true } });
  const back = fromArpa(toArpa(m));
  assert.deepEqual(back.tokenizer, { kind: "word", lowercase: true });
  const a = scoreLine(m, "THE DOG SAT.");
  assert.deepEqual(a.tokens, ["the", "dog", "sat", ".", "</s>"]);
  assert.ok(Math.abs(scoreLine(back, "THE DOG SAT.").logProb - a.logProb) < 1e-9);
  assert.equal(back.info.minCount, "1");
});

test("the ARPA text has KenLM's layout: header counts, sections, tab-separated fields, <s> at -99", () => {
  const m = fit(
    [
      ["a", "b"],
      ["a", "c"],
    ],
    { order: 2, tokenizer: { kind: "whitespace" } },
  );
  const text = toArpa(m, { digits: 7 });
  const lines = text.split("\n");
  const data = lines.indexOf("\\data\\");
  assert.ok(data > 0 && lines.slice(0, data).every((l) => l.startsWith("# ")));
  assert.deepEqual(lines.slice(data, data + 3), ["\\data\\", "ngram 1=6", "ngram 2=5"]);
  assert.ok(lines.includes("\\1-grams:") && lines.includes("\\2-grams:") && text.endsWith("\\end\\\n"));
  assert.ok(lines.some((l) => /^-99\t<s>\t-[\d.]+$/.test(l)));
  assert.ok(
    lines.some((l) => /^-[\d.]+\ta b$/.test(l)),
    "highest-order lines have no backoff",
  );
  assert.equal([...arpaChunks(m, { digits: 7 })].join(""), text);
  assert.ok(!toArpa(m, { header: false }).includes("#"));
});

test("KenLM's lm/test.arpa loads and scores like an independent backoff scorer (fixture from generate.py)", () => {
  const m = fromArpa(fixtureText("kenlm-test.arpa"), "kenlm-test.arpa");
  assert.equal(m.order, 5);
  assert.deepEqual(ngramCounts(m), [37, 47, 11, 6, 4]);
  assert.equal(m.tokenizer, null);
  for (const c of expected().arpa) {
    const r = scoreLine(m, c.text);
    const log10 = Array.from(r.logProbs, (x) => x / Math.LN10);
    assert.equal(log10.length, c.log10.length, c.text);
    for (let i = 0; i < log10.length; i++)
      assert.ok(Math.abs(log10[i] - c.log10[i]) < 1e-9, `${c.text} token ${i}: ${log10[i]} vs ${c.log10[i]}`);
    assert.ok(Math.abs(r.log10Prob - c.total) < 1e-9);
    assert.equal(r.oov, c.oov, c.text);
  }
  // its export reads back to the same scores
  const back = fromArpa(toArpa(m));
  for (const c of expected().arpa) assert.ok(Math.abs(scoreLine(back, c.text).log10Prob - c.total) < 1e-9);
});

test("a file without <unk> gets KenLM's default -100; blank prefixes are filled in", () => {
  const text =
    "\\data\\\nngram 1=3\nngram 2=1\n\n\\1-grams:\n-0.5\t<s>\t-0.2\n-0.3\ta\n-0.4\t</s>\n\n\\2-grams:\n-0.1\ta </s>\n\n\\end\\\n";
  const m = fromArpa(text);
  assert.equal(m.info.unk, "added");
  const r = scoreSentence(m, ["zzz"]);
  assert.ok(Math.abs(r.logProbs[0] / Math.LN10 - (-0.2 - 100)) < 1e-9);
  const tri = fromArpa(
    "\\data\\\nngram 1=3\nngram 2=0\nngram 3=1\n\n\\1-grams:\n-99\t<s>\n-0.3\ta\n-0.4\t</s>\n\n\\2-grams:\n\n\\3-grams:\n-0.05\t<s> a </s>\n\n\\end\\\n",
  );
  const s = scoreSentence(tri, ["a"]);
  assert.ok(Math.abs(s.logProbs[1] / Math.LN10 + 0.05) < 1e-12);
  assert.deepEqual(Array.from(s.ngramLengths), [1, 3]);
  assert.deepEqual(ngramCounts(tri), [4, 0, 1]);
});

test("malformed ARPA files are FormatErrors naming the line", () => {
  const good = toArpa(fit([["a", "b"]], { order: 2 }), { header: false });
  const cases: [string, RegExp][] = [
    ["no data here\n", /line 1: expected \\data\\, but the file ended/],
    [good.replace("ngram 2=3", "ngram 2=4"), /line \d+: \\data\\ declares 4 2-grams, but the section has 3/],
    [good.replace("\\2-grams:", "\\3-grams:"), /line \d+: expected \\2-grams:/],
    [good.replace(/\ta b/, "\tq b"), /line \d+: the word "q" of this 2-gram is not among the 1-grams/],
    [good.replace(/\ta b/, "\ta"), /line \d+: a 2-gram line must have/],
    [good.replace(/-[\d.]+\ta b/, "x\ta b"), /line \d+: the log10 probability must be a number, but got "x"/],
    [good.replace("\\end\\", ""), /expected \\end\\/],
    [good.replace("ngram 1=", "ngram 3="), /line 2: expected the count of 1-grams/],
  ];
  for (const [text, re] of cases)
    assert.throws(
      () => fromArpa(text, "m.arpa"),
      (e: Error) => e instanceof FormatError && re.test(e.message) && e.message.startsWith("m.arpa: line "),
    );
  const dup = good.replace(/(-[\d.]+\ta b\n)/, "$1$1").replace("ngram 2=3", "ngram 2=4");
  assert.throws(() => fromArpa(dup), /duplicate 2-gram "a b"/);
});

test("add-k models are refused by toArpa with a reason; digits are checked", () => {
  const m = fit(train, { order: 2, smoothing: "addk" });
  assert.throws(
    () => toArpa(m),
    (e: Error) => e instanceof ValueError && /add-k model cannot be written as ARPA/.test(e.message),
  );
  assert.throws(
    () => toArpa(fit(train, { order: 2 }), { digits: 0 }),
    /digits must be an integer from 1 to 17/,
  );
  assert.ok(Number.isFinite(evaluate(m, heldout).perplexity));
});
