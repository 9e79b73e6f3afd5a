import assert from "node:assert/strict";
import { test } from "node:test";
import { alignmentLogProb } from "../../../src/models/pair-hmm/alignment.js";
import { encodeProtein } from "../../../src/models/pair-hmm/alphabet.js";
import { forwardScore } from "../../../src/models/pair-hmm/forward.js";
import { blosum62Params, TRAINED_GAPS, validateParams } from "../../../src/models/pair-hmm/model.js";
import { viterbi } from "../../../src/models/pair-hmm/viterbi.js";

test("blosum62Params is valid and its match table sums to 1", () => {
  const p = blosum62Params();
  validateParams(p);
  assert.equal(p.delta, TRAINED_GAPS.delta);
  assert.ok(Math.abs(p.match.reduce((a, b) => a + b, 0) - 1) < 1e-14);
});

test("bad parameters are ValueErrors naming the constraint", () => {
  const p = blosum62Params();
  const x = encodeProtein("ACD");
  const bad = [
    [{ ...p, delta: 0 }, /params.delta must be in \(0, 1\)/],
    [{ ...p, epsilon: 1 }, /params.epsilon must be in \(0, 1\)/],
    [{ ...p, tau: Number.NaN }, /params.tau must be in \(0, 1\)/],
    [{ ...p, delta: 0.45, tau: 0.2 }, /2\*delta \+ tau < 1/],
    [{ ...p, epsilon: 0.9, tau: 0.2 }, /epsilon \+ tau < 1/],
    [{ ...p, match: p.match.map((v) => 2 * v) }, /params.match must sum to 1/],
    [{ ...p, background: new Float64Array(19) }, /params.background must have 20 entries/],
  ] as const;
  for (const [params, message] of bad) {
    assert.throws(() => validateParams(params), { name: "ValueError", message });
    assert.throws(() => forwardScore(params, x, x), { name: "ValueError", message: /^forwardScore: / });
  }
});

test("bad residue codes are ValueErrors", () => {
  const p = blosum62Params();
  assert.throws(() => forwardScore(p, Int8Array.from([0, 23]), encodeProtein("A")), {
    name: "ValueError",
    message: /forwardScore: x must hold residue codes 0..22, but got 23 at position 2/,
  });
  assert.throws(() => viterbi(p, encodeProtein("A"), Int8Array.from([-1])), /y must hold residue codes/);
});

test("alignmentLogProb rejects columns that skip or repeat residues, and X next to Y has probability 0", () => {
  const p = blosum62Params();
  const x = encodeProtein("AC");
  const y = encodeProtein("A");
  assert.throws(() => alignmentLogProb(p, x, y, [[0, 0]]), /must cover x and y/);
  assert.throws(
    () =>
      alignmentLogProb(p, x, y, [
        [1, 0],
        [0, -1],
      ]),
    /in order/,
  );
  assert.equal(
    alignmentLogProb(p, x, y, [
      [0, -1],
      [-1, 0],
      [1, -1],
    ]),
    Number.NEGATIVE_INFINITY,
  );
});
