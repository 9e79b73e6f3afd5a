import assert from "node:assert/strict";
import { test } from "node:test";
import { FormatError } from "../../../src/errors.js";
import { fromArpa } from "../../../src/models/ngram/arpa.js";
import { fit, fitText, type Smoothing } from "../../../src/models/ngram/model.js";
import {
  evaluate,
  evaluateText,
  nextLogProbs,
  scoreSentence,
  scoreText,
} from "../../../src/models/ngram/score.js";
import { deserialize, serialize } from "../../../src/models/ngram/serialize.js";
import { fixtureText, sentences } from "./helpers.js";

const train = sentences("train.txt");
const heldout = sentences("heldout.txt");

test("serialize/deserialize is exact for every estimator (add-k included) and for an imported ARPA model", () => {
  for (const smoothing of ["kn", "wb", "mle", "addk"] as Smoothing[]) {
    const m = fit(train, { order: 4, smoothing, k: 0.25, minCount: 20, tokenizer: { kind: "whitespace" } });
    const back = deserialize(serialize(m));
    assert.deepEqual(back.vocab.words, m.vocab.words);
    assert.equal(back.smoothing, smoothing);
    assert.deepEqual(back.tokenizer, m.tokenizer);
    assert.deepEqual(back.discounts, m.discounts);
    for (const s of [...train.slice(0, 10), ...heldout])
      assert.deepEqual(scoreSentence(back, s).logProbs, scoreSentence(m, s).logProbs);
    assert.deepEqual(nextLogProbs(back, [1, 5]), nextLogProbs(m, [1, 5]));
  }
  const kenlm = fromArpa(fixtureText("kenlm-test.arpa"));
  const back = deserialize(serialize(kenlm));
  assert.deepEqual(
    scoreSentence(back, ["looking", "on", "a", "zebra"]),
    scoreSentence(kenlm, ["looking", "on", "a", "zebra"]),
  );
});

test("deserialize rejects what it did not write, naming the source", () => {
  const good = JSON.parse(serialize(fit([["a", "b"]], { order: 2 })));
  assert.throws(
    () => deserialize("{", "m.json"),
    (e: Error) => e instanceof FormatError && /^m.json: not JSON/.test(e.message),
  );
  assert.throws(
    () => deserialize(JSON.stringify({ ...good, format: "x" })),
    /expected a novelist-ngram file/,
  );
  assert.throws(() => deserialize(JSON.stringify({ ...good, version: 9 })), /expected version 1/);
  assert.throws(() => deserialize(JSON.stringify({ ...good, smoothing: "gt" })), /unknown smoothing "gt"/);
  assert.throws(
    () => deserialize(JSON.stringify({ ...good, tables: good.tables.slice(1) })),
    /expected 3 tables/,
  );
});

test("scoreText gives KenLM query's per-line scores and the same totals as evaluateText", () => {
  const m = fitText(fixtureText("train.txt"), { order: 3, tokenizer: { kind: "whitespace" } });
  const text = `${fixtureText("heldout.txt")}\n\n`;
  const { sentences: per, total } = scoreText(m, text);
  assert.equal(per.length, heldout.length);
  const ref = evaluateText(m, text);
  for (const k of Object.keys(ref) as (keyof typeof ref)[])
    assert.ok(
      Math.abs(total[k] - ref[k]) <= 1e-9 * Math.max(1, Math.abs(ref[k])),
      `${k}: ${total[k]} vs ${ref[k]}`,
    );
  assert.deepEqual(evaluate(m, heldout), ref);
  assert.deepEqual(per[0].tokens, [...heldout[0], "</s>"]);
  assert.throws(() => scoreText(m, "\n \n"), /at least one non-blank line/);
});
