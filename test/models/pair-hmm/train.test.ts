import assert from "node:assert/strict";
import { test } from "node:test";
import { random } from "../../../src/jax.js";
import { matchPosterior } from "../../../src/models/pair-hmm/posterior.js";
import { samplePair } from "../../../src/models/pair-hmm/sample.js";
import { trainPairHmm } from "../../../src/models/pair-hmm/train.js";
import { blosumParams, randomParams, randomSequence, rng } from "./helpers.js";

const truth = blosumParams(0.06, 0.5, 0.02);
const pairs = Array.from({ length: 200 }, (_, i) => samplePair(truth, random.key(1000 + i)));

test("Baum–Welch recovers delta, epsilon, tau from 200 sampled pairs; log-likelihood never decreases", () => {
  const start = blosumParams(0.2, 0.2, 0.1);
  const { params, logLikelihood } = trainPairHmm(start, pairs, { iterations: 100, tolerance: 1e-4 });
  for (let k = 1; k < logLikelihood.length; k++)
    assert.ok(
      logLikelihood[k] >= logLikelihood[k - 1] - 1e-8,
      `step ${k}: ${logLikelihood.slice(k - 1, k + 1)}`,
    );
  const rel = (a: number, b: number) => Math.abs(a - b) / b;
  const errs = [
    rel(params.delta, truth.delta),
    rel(params.epsilon, truth.epsilon),
    rel(params.tau, truth.tau),
  ];
  // Achieved with keys 1000..1199: delta 0.0599 (0.2%), epsilon 0.481 (3.8%), tau 0.0213 (6.3%), 29 steps.
  assert.ok(
    errs.every((e) => e < 0.15),
    `delta ${params.delta} eps ${params.epsilon} tau ${params.tau} (rel errors ${errs})`,
  );
});

test("Baum–Welch with emissions and Viterbi training: objectives never decrease", () => {
  const u = rng(4);
  const p0 = randomParams(u);
  const few = pairs.slice(0, 30);
  const em = trainPairHmm(p0, few, { iterations: 8, emissions: true, pseudocount: 0, tolerance: 0 });
  for (let k = 1; k < em.logLikelihood.length; k++)
    assert.ok(em.logLikelihood[k] >= em.logLikelihood[k - 1] - 1e-8);
  // Symmetrised match table.
  for (let a = 0; a < 20; a++)
    for (let b = 0; b < 20; b++)
      assert.ok(Math.abs(em.params.match[a * 20 + b] - em.params.match[b * 20 + a]) < 1e-15);
  const vt = trainPairHmm(blosumParams(0.2, 0.2, 0.1), few, {
    method: "viterbi",
    iterations: 10,
    tolerance: 0,
  });
  for (let k = 1; k < vt.logLikelihood.length; k++)
    assert.ok(vt.logLikelihood[k] >= vt.logLikelihood[k - 1] - 1e-8);
  assert.ok(vt.logLikelihood.at(-1)! > vt.logLikelihood[0]);
});

test("trainPairHmm: on one pair the M-step tau matches the expected column count; bad options throw", () => {
  const u = rng(9);
  const p = randomParams(u);
  const x = randomSequence(u, 5);
  const y = randomSequence(u, 4);
  const r = trainPairHmm(p, [{ x, y }], { iterations: 1, tolerance: 0 });
  assert.equal(r.logLikelihood.length, 2);
  // One pair: the expected number of non-End transitions is the expected number of columns,
  // n + m − Σ P(x_i ◇ y_j), so the M-step gives tau = 1 / (1 + that).
  const post = matchPosterior(p, x, y).posterior.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(r.params.tau - 1 / (1 + 5 + 4 - post)) < 1e-12);
  assert.throws(() => trainPairHmm(p, [], {}), /pairs must be non-empty/);
  assert.throws(() => trainPairHmm(p, [{ x, y }], { iterations: -1 }), /opts.iterations/);
});
