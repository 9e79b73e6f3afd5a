import assert from "node:assert/strict";
import { test } from "node:test";
import { alignmentLogProb } from "../../../src/models/pair-hmm/alignment.js";
import { forwardScore } from "../../../src/models/pair-hmm/forward.js";
import { viterbiScore } from "../../../src/models/pair-hmm/viterbi.js";
import { blosumParams, randomSequence, rng } from "./helpers.js";

// 5,000 × 5,000 random proteins in linear memory (forwardScore, viterbiScore): no underflow to −∞,
// no NaN, forward ≥ Viterbi ≥ the probability of one particular alignment (the diagonal). ~4 s.
test("5,000 × 5,000: forwardScore and viterbiScore finite, forward ≥ Viterbi ≥ diagonal alignment", () => {
  const u = rng(5000);
  const p = blosumParams(0.02, 0.6, 0.001);
  const n = 5000;
  const x = randomSequence(u, n);
  const y = randomSequence(u, n);
  const f = forwardScore(p, x, y);
  const v = viterbiScore(p, x, y);
  assert.ok(Number.isFinite(f), `forward ${f}`);
  assert.ok(Number.isFinite(v), `viterbi ${v}`);
  assert.ok(f >= v, `forward ${f} < viterbi ${v}`);
  const diagonal = Array.from({ length: n }, (_, i): [number, number] => [i, i]);
  const d = alignmentLogProb(p, x, y, diagonal);
  assert.ok(Number.isFinite(d) && v >= d - 1e-9 * Math.abs(d), `viterbi ${v} < diagonal ${d}`);
  // Far below the double range in probability space: log P ≈ −3e4 nats, i.e. e^−30000.
  assert.ok(f < -700 * 10);
});
