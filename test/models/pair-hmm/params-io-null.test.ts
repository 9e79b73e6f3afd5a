import assert from "node:assert/strict";
import { test } from "node:test";
import { FormatError } from "../../../src/errors.js";
import { forwardScore } from "../../../src/models/pair-hmm/forward.js";
import { logOddsScore, nullLogProb } from "../../../src/models/pair-hmm/null-model.js";
import { loadParams, paramsToJson, saveParams } from "../../../src/models/pair-hmm/params-io.js";
import { viterbiScore } from "../../../src/models/pair-hmm/viterbi.js";
import { randomParams, randomSequence, rng } from "./helpers.js";

test("params JSON: save then load round-trips exactly; layout as documented", () => {
  const p = randomParams(rng(1));
  const text = saveParams(p);
  const q = loadParams(text);
  assert.equal(q.delta, p.delta);
  assert.equal(q.epsilon, p.epsilon);
  assert.equal(q.tau, p.tau);
  assert.deepEqual(q.match, p.match);
  assert.deepEqual(q.background, p.background);
  const j = JSON.parse(text);
  assert.equal(j.format, "novelist-pair-hmm");
  assert.equal(j.version, 1);
  assert.equal(j.alphabet, "ARNDCQEGHILKMFPSTWYV");
  assert.equal(j.match.length, 20);
  assert.equal(j.match[3][5], p.match[3 * 20 + 5]);
});

test("params JSON: load names the bad field in a FormatError", () => {
  const good = paramsToJson(randomParams(rng(2)));
  const bad = (patch: Record<string, unknown>, re: RegExp) =>
    assert.throws(
      () => loadParams(JSON.stringify({ ...good, ...patch })),
      (e: unknown) => e instanceof FormatError && re.test((e as Error).message),
    );
  bad({ format: "x" }, /format/);
  bad({ version: 2 }, /version/);
  bad({ alphabet: "ACGT" }, /alphabet/);
  bad({ delta: 1.5 }, /delta/);
  bad({ tau: "0.1" }, /tau/);
  bad({ background: [1, 2] }, /background/);
  bad({ match: good.match.slice(1) }, /match/);
  const m = good.match.map((r) => r.slice());
  m[4][7] = -1;
  bad({ match: m }, /match\[4\]\[7\]/);
  const b = good.background.slice();
  b[0] += 0.5;
  bad({ background: b }, /background must sum to 1/);
  bad({ delta: 0.45, tau: 0.2 }, /2\*delta \+ tau/);
  assert.throws(() => loadParams("{not json"), FormatError);
  assert.throws(() => loadParams("[]"), FormatError);
});

test("null model: closed form, sums to 1 over short sequences, and log-odds = forward − null", () => {
  const u = rng(3);
  const p = randomParams(u);
  const x = randomSequence(u, 4);
  const y = randomSequence(u, 3);
  const eta = 0.3;
  let expect = 2 * Math.log(eta) + 7 * Math.log(1 - eta);
  for (const a of x) expect += Math.log(p.background[a]);
  for (const b of y) expect += Math.log(p.background[b]);
  assert.ok(Math.abs(nullLogProb({ background: p.background, eta }, x, y) - expect) < 1e-12);
  // Total probability of all (x, y) with |x| = a, |y| = b is eta^2 (1-eta)^(a+b); summed over a, b it is 1.
  let total = 0;
  for (let a = 0; a < 400; a++) for (let b = 0; b < 400; b++) total += eta ** 2 * (1 - eta) ** (a + b);
  assert.ok(Math.abs(total - 1) < 1e-9);
  const r = nullLogProb({ background: p.background, eta: p.tau }, x, y);
  assert.ok(Math.abs(logOddsScore(p, x, y) - (forwardScore(p, x, y) - r)) < 1e-12);
  assert.ok(Math.abs(logOddsScore(p, x, y, { viterbi: true }) - (viterbiScore(p, x, y) - r)) < 1e-12);
  assert.throws(() => nullLogProb({ background: p.background, eta: 1 }, x, y), /eta/);
});
