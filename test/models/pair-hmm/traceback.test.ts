import assert from "node:assert/strict";
import { test } from "node:test";
import { random } from "../../../src/jax.js";
import { alignmentLogProb } from "../../../src/models/pair-hmm/alignment.js";
import { forwardScore } from "../../../src/models/pair-hmm/forward.js";
import { sampleAlignments } from "../../../src/models/pair-hmm/traceback.js";
import { randomParams, randomSequence, rng } from "./helpers.js";

/** Every alignment of x `[n]`, y `[m]` with no X column adjacent to a Y column, as column lists. */
function allAlignments(n: number, m: number): [number, number][][] {
  const out: [number, number][][] = [];
  const cols: [number, number][] = [];
  const go = (i: number, j: number, s: number) => {
    if (i === n && j === m) {
      out.push(cols.slice());
      return;
    }
    if (i < n && j < m) {
      cols.push([i, j]);
      go(i + 1, j + 1, 0);
      cols.pop();
    }
    if (i < n && s !== 2) {
      cols.push([i, -1]);
      go(i + 1, j, 1);
      cols.pop();
    }
    if (j < m && s !== 1) {
      cols.push([-1, j]);
      go(i, j + 1, 2);
      cols.pop();
    }
  };
  go(0, 0, 0);
  return out;
}

test("stochastic traceback: empirical alignment frequencies match the brute-force posterior", () => {
  const u = rng(11);
  const p = randomParams(u);
  p.delta = 0.2;
  p.epsilon = 0.4;
  const x = randomSequence(u, 3);
  const y = randomSequence(u, 2);
  const logZ = forwardScore(p, x, y);
  const all = allAlignments(3, 2);
  const post = new Map<string, number>();
  let total = 0;
  for (const cols of all) {
    const pr = Math.exp(alignmentLogProb(p, x, y, cols) - logZ);
    post.set(JSON.stringify(cols), pr);
    total += pr;
  }
  assert.ok(Math.abs(total - 1) < 1e-12, `posteriors sum to ${total}`);
  const N = 20000;
  const samples = sampleAlignments(p, random.key(3), x, y, { count: N });
  const counts = new Map<string, number>();
  for (const a of samples) {
    const k = JSON.stringify(a.columns);
    assert.ok(post.has(k), `sampled an invalid alignment ${k}`);
    // Each sample carries its own log P(x, y, π).
    assert.ok(Math.abs(a.logProb - alignmentLogProb(p, x, y, a.columns)) < 1e-10);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  // Pearson chi-square over alignments with expected count >= 5 (pooled rest); df <= 24, so a
  // statistic above 60 would be a p < 1e-4 event.
  let chi2 = 0;
  let restObs = 0;
  let restExp = 0;
  for (const [k, pr] of post) {
    const e = N * pr;
    const o = counts.get(k) ?? 0;
    if (e >= 5) chi2 += (o - e) ** 2 / e;
    else {
      restObs += o;
      restExp += e;
    }
  }
  if (restExp > 0) chi2 += (restObs - restExp) ** 2 / restExp;
  assert.ok(chi2 < 60, `chi-square ${chi2} over ${all.length} alignments`);
});

test("stochastic traceback: same key gives the same samples; count 0 and empty sequences", () => {
  const u = rng(2);
  const p = randomParams(u);
  const x = randomSequence(u, 8);
  const y = randomSequence(u, 6);
  const a = sampleAlignments(p, random.key(7), x, y, { count: 5 });
  const b = sampleAlignments(p, random.key(7), x, y, { count: 5 });
  assert.deepEqual(a, b);
  assert.equal(sampleAlignments(p, random.key(1), x, y, { count: 0 }).length, 0);
  const e = sampleAlignments(p, random.key(1), new Int8Array(0), y, { count: 2 });
  assert.deepEqual(
    e[0].columns,
    Array.from({ length: 6 }, (_, j) => [-1, j]),
  );
  assert.throws(() => sampleAlignments(p, random.key(1), x, y, { count: -1 }), /opts.count/);
});
