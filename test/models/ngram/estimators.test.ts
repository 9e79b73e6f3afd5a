import assert from "node:assert/strict";
import { test } from "node:test";
import { fit, fitText, type NgramModel, type Smoothing } from "../../../src/models/ngram/model.js";
import { evaluate, logProb, scoreSentence } from "../../../src/models/ngram/score.js";
import { allContexts, expected, fixtureText, randomContexts, sentences, worstSum } from "./helpers.js";

const train = sentences("train.txt");
const heldout = sentences("heldout.txt");
const ref = expected();

function close(actual: number, want: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - want) <= tol * Math.max(1, Math.abs(want)), `${what}: ${actual} vs ${want}`);
}

test("every context's next-token distribution sums to 1 (all seen contexts and random unseen ones)", () => {
  const models: [string, NgramModel][] = [];
  for (const smoothing of ["kn", "wb", "mle", "addk"] as Smoothing[])
    for (const order of [1, 3, 5])
      models.push([`${smoothing}-${order}`, fit(train, { order, smoothing, k: 0.3 })]);
  models.push(["kn-3 minCount 20", fit(train, { order: 3, minCount: 20 })]);
  const chars = fixtureText("train.txt");
  models.push(["kn-6 characters", fitText(chars, { order: 6, tokenizer: { kind: "char" } })]);
  models.push([
    "wb-4 characters",
    fitText(chars, { order: 4, smoothing: "wb", tokenizer: { kind: "char" } }),
  ]);
  for (const [name, m] of models) {
    const contexts = [...allContexts(m), ...randomContexts(m, 200, 7)];
    const { worst, count } = worstSum(m, contexts);
    assert.ok(worst < 1e-9, `${name}: |sum - 1| = ${worst} over ${count} contexts`);
    assert.ok(count > (m.order === 1 ? 200 : 400), `${name}: only ${count} contexts`);
  }
});

test("modified Kneser-Ney matches the independent Python implementation (orders 1, 2, 3, 5; minCount 20)", () => {
  for (const c of ref.kn) {
    const m = fit(train, { order: c.order, minCount: c.minCount });
    assert.equal(m.vocab.words.length, c.vocabSize);
    const d = m.discounts!;
    for (let n = 0; n < c.order; n++) {
      assert.equal(d[n].fallback, c.discounts[n].fallback, `order ${n + 1} fallback`);
      for (let k = 0; k < 3; k++) close(d[n].D[k], c.discounts[n].D[k], 1e-12, `D${k + 1} of order ${n + 1}`);
    }
    c.train.forEach((want, i) => {
      close(logProb(m, train[i]), want, 1e-10, `KN-${c.order} train ${i}`);
    });
    c.heldout.forEach((want, i) => {
      close(logProb(m, heldout[i]), want, 1e-10, `KN-${c.order} heldout ${i}`);
    });
    const per = scoreSentence(m, heldout[0]).logProbs;
    c.tokens0.forEach((want, i) => {
      close(per[i], want, 1e-10, `KN-${c.order} token ${i}`);
    });
  }
});

test("MLE, Laplace, Lidstone and Witten-Bell match NLTK 3.8 (conventions aligned in generate.py)", () => {
  const cases: [string, Smoothing, number | undefined][] = [
    ["mle", "mle", undefined],
    ["laplace", "addk", 1],
    ["lidstone_0.5", "addk", 0.5],
    ["wittenbell", "wb", undefined],
    ["wittenbell_order5", "wb", undefined],
  ];
  for (const [key, smoothing, k] of cases) {
    const r = ref.nltk[key];
    const m = fit(train, { order: r.order, smoothing, k });
    r.train.forEach((want, i) => {
      close(logProb(m, train[i]), want, 1e-10, `${key} train ${i}`);
    });
    r.heldout?.forEach((want, i) => {
      close(logProb(m, heldout[i]), want, 1e-10, `${key} heldout ${i}`);
    });
  }
});

test("held-out text with unseen words has a finite perplexity for KN, WB and add-k; MLE's is infinite", () => {
  for (const smoothing of ["kn", "wb", "addk"] as Smoothing[]) {
    for (const order of [1, 2, 3, 5]) {
      const r = evaluate(fit(train, { order, smoothing }), heldout);
      assert.ok(r.oov > 0);
      for (const x of [r.perplexity, r.perplexityNoEos, r.perplexityExclOov, r.bitsPerToken])
        assert.ok(Number.isFinite(x) && x > 0, `${smoothing}-${order}: ${x}`);
      close(r.bitsPerToken, r.natsPerToken / Math.LN2, 1e-12, "bits");
      close(r.perplexity, Math.exp(r.natsPerToken), 1e-12, "perplexity");
    }
  }
  assert.equal(
    evaluate(fit(train, { order: 3, smoothing: "mle" }), heldout).perplexity,
    Number.POSITIVE_INFINITY,
  );
});

test("KN beats add-k and Witten-Bell on held-out text; higher orders help KN on this grammar", () => {
  const ppl = (order: number, smoothing: Smoothing) =>
    evaluate(fit(train, { order, smoothing }), heldout).perplexity;
  assert.ok(ppl(3, "kn") < ppl(3, "addk"));
  assert.ok(ppl(3, "kn") < ppl(1, "kn"));
  assert.ok(ppl(3, "kn") <= ppl(3, "wb") * 1.05);
});

test("discounts fall back instead of failing on a tiny corpus, and the fallback is recorded", () => {
  const m = fit(
    [
      ["a", "b"],
      ["a", "c"],
    ],
    { order: 4 },
  );
  assert.ok(m.discounts!.every((d) => d.fallback));
  assert.deepEqual(m.discounts![0].D, [0.5, 1, 1.5]);
  const custom = fit([["a", "b"]], { order: 2, discountFallback: [0.2, 0.4, 0.6] });
  assert.deepEqual(custom.discounts![1].D, [0.2, 0.4, 0.6]);
  assert.ok(Number.isFinite(logProb(m, ["z", "a", "q"])));
  const { worst } = worstSum(m, allContexts(m));
  assert.ok(worst < 1e-12);
});

test("corpus scores: perplexity with and without </s> and without OOVs follow their definitions", () => {
  const m = fit(train, { order: 3 });
  const some = heldout.slice(0, 5);
  const r = evaluate(m, some);
  const scores = some.map((s) => scoreSentence(m, s));
  const T = some.reduce((a, s) => a + s.length, 0);
  const total = scores.reduce((a, s) => a + s.logProb, 0);
  const eos = scores.reduce((a, s) => a + s.logProbs[s.logProbs.length - 1], 0);
  close(r.logProb, total, 1e-12, "total");
  close(r.perplexity, Math.exp(-total / (T + some.length)), 1e-12, "ppl");
  close(r.perplexityNoEos, Math.exp(-(total - eos) / T), 1e-12, "ppl1");
  const oovLp = scores.reduce((a, s) => a + s.logProbs.reduce((b, x, i) => b + (s.oovMask[i] ? x : 0), 0), 0);
  close(r.perplexityExclOov, Math.exp(-(total - oovLp) / (T + some.length - r.oov)), 1e-12, "excl OOV");
  close(r.log10Prob, total / Math.LN10, 1e-12, "log10");
  assert.equal(r.tokens, T);
  assert.equal(r.sentences, 5);
});
