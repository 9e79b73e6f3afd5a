import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../src/errors.js";
import { random } from "../../../src/jax.js";
import { generate } from "../../../src/models/autoregressive/generate.js";
import { fromArpa, toArpa } from "../../../src/models/ngram/arpa.js";
import { fit, fitText } from "../../../src/models/ngram/model.js";
import { asNextTokenModel, sample } from "../../../src/models/ngram/sample.js";
import { nextLogProbs } from "../../../src/models/ngram/score.js";
import { BOS_ID, detokenize, EOS_ID } from "../../../src/models/ngram/tokenize.js";
import { fixtureText, sentences } from "./helpers.js";

const train = sentences("train.txt");

test("sampling goes through generate: seedable, and a sentence ends at </s>", () => {
  const m = fit(train, { order: 3 });
  const a = sample(m, random.key(5), 8, { maxTokens: 40 });
  const b = sample(m, random.key(5), 8, { maxTokens: 40 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(sample(m, random.key(6), 8, { maxTokens: 40 }), a);
  assert.equal(a.length, 8);
  for (const s of a) {
    assert.ok(s.length > 0 && s.length <= 40);
    assert.ok(!s.includes("</s>") && !s.includes("<s>"));
  }
  // a trigram model of the grammar ends most sentences with "."
  assert.ok(a.filter((s) => s[s.length - 1] === ".").length >= 6);
  assert.deepEqual(sample(m, random.key(1), 0), []);
  // the same model read back from ARPA samples the same sentences
  assert.deepEqual(sample(fromArpa(toArpa(m)), random.key(5), 8, { maxTokens: 40 }), a);
});

test("temperature 0 is greedy, top-1 takes a most probable token; the adapter gives -inf to <s> and follows the model", () => {
  const m = fit(train, { order: 3 });
  const greedy = sample(m, random.key(1), 2, { temperature: 0, maxTokens: 30 });
  assert.deepEqual(greedy[0], greedy[1]);
  // top-1 keeps only the most probable token(s) (ties are sampled among)
  const top1 = sample(m, random.key(9), 1, { topK: 1, maxTokens: 30 })[0];
  const ctx = [BOS_ID];
  for (const t of [...top1, "</s>"]) {
    const lp = nextLogProbs(m, ctx);
    const id = m.vocab.index.get(t)!;
    assert.equal(lp[id], Math.max(...lp));
    ctx.push(id);
  }
  const ntm = asNextTokenModel(m);
  assert.equal(ntm.vocabSize, m.vocab.words.length);
  const lp = ntm.nextLogProbs(Int32Array.of(BOS_ID));
  assert.equal(lp[BOS_ID], Number.NEGATIVE_INFINITY);
  const out = generate(ntm, random.key(2), { prompt: [BOS_ID], maxTokens: 50, stopToken: EOS_ID });
  assert.equal(out[out.length - 1], EOS_ID);
  // only the last N - 1 tokens after the last <s> matter
  const the = m.vocab.index.get("the")!;
  const cat = m.vocab.index.get("cat")!;
  assert.deepEqual(nextLogProbs(m, [cat, cat, BOS_ID, the, cat]), nextLogProbs(m, [BOS_ID, the, cat]));
  assert.deepEqual(nextLogProbs(m, [cat, cat, the, cat]), nextLogProbs(m, [the, cat]));
  assert.throws(
    () => nextLogProbs(m, [999]),
    /context ids must be integers in \[0, 33\), but context\[0\] = 999/,
  );
});

test("a character model samples names-like strings that detokenize back to text", () => {
  const m = fitText(fixtureText("train.txt"), { order: 5, tokenizer: { kind: "char" } });
  const out = sample(m, random.key(3), 5, { maxTokens: 80, prefix: ["t", "h", "e"] });
  for (const s of out) assert.ok(detokenize(s, { kind: "char" }).startsWith("the"));
});

test("bad options are ValueErrors: order, k, empty corpus, smoothing, sample arguments", () => {
  assert.throws(() => fit(train, { order: 0 }), /fit: order must be an integer from 1 to 20, but got 0/);
  assert.throws(() => fit(train, { order: 21 }), ValueError);
  assert.throws(
    () => fit(train, { order: 2, smoothing: "addk", k: 0 }),
    /fit: k must be a finite number > 0, but got 0/,
  );
  assert.throws(() => fit(train, { order: 2, k: -1 }), ValueError);
  assert.throws(
    () => fit([], { order: 2 }),
    /fit: the corpus must contain at least one sentence, but it is empty/,
  );
  assert.throws(
    () => fitText("\n \n", { order: 2 }),
    /fitText: the corpus must contain at least one non-blank line/,
  );
  assert.throws(
    () => fit(train, { order: 2, smoothing: "gt" as never }),
    /smoothing must be one of mle, addk, wb, kn/,
  );
  assert.throws(
    () => fit(train, { order: 2, discountFallback: [0.5, 3, 1] }),
    /discountFallback must be \[D1, D2, D3\]/,
  );
  const m = fit(train, { order: 2 });
  assert.throws(() => sample(m, random.key(0), -1), /sample: n must be an integer >= 0, but got -1/);
  assert.throws(() => sample(m, random.key(0), 1, { maxTokens: 0 }), /maxTokens must be an integer >= 1/);
  assert.throws(() => sample(m, random.key(0), 1, { topK: 0 }), /topK must be an integer >= 1/);
});
