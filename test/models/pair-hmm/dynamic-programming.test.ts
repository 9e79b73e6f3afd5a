import assert from "node:assert/strict";
import { test } from "node:test";
import { alignmentLogProb, alignmentStrings } from "../../../src/models/pair-hmm/alignment.js";
import { encodeProtein } from "../../../src/models/pair-hmm/alphabet.js";
import { backward, backwardScore } from "../../../src/models/pair-hmm/backward.js";
import { forward, forwardScore } from "../../../src/models/pair-hmm/forward.js";
import { matchPosterior } from "../../../src/models/pair-hmm/posterior.js";
import { viterbi, viterbiScore } from "../../../src/models/pair-hmm/viterbi.js";
import { blosumParams, enumerate, randomParams, randomSequence, rng } from "./helpers.js";

const relClose = (a: number, b: number, tol: number) =>
  Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

// Every pair of lengths 0..4, several random parameter sets: brute force over every state path.
function* tinyCases() {
  const u = rng(7);
  for (let rep = 0; rep < 3; rep++)
    for (let n = 0; n <= 4; n++)
      for (let m = 0; m <= 4; m++) {
        const p = rep === 0 ? blosumParams(0.1, 0.4, 0.05) : randomParams(u);
        yield { p, x: randomSequence(u, n), y: randomSequence(u, m) };
      }
}

test("forward equals the brute-force sum over every alignment (lengths 0..4, 1e-12 relative)", () => {
  let maxPaths = 0;
  for (const { p, x, y } of tinyCases()) {
    const brute = enumerate(p, x, y);
    maxPaths = Math.max(maxPaths, brute.paths);
    const f = forward(p, x, y).logProb;
    assert.ok(
      relClose(f, Math.log(brute.total), 1e-12),
      `${x.length}x${y.length}: ${f} vs ${Math.log(brute.total)}`,
    );
    assert.ok(relClose(forwardScore(p, x, y), f, 1e-14));
  }
  // 4x4 without X-Y adjacency: k matches leave k+1 slots, each one run of x or of y: 1 + 12 + 12 + 2.
  assert.equal(maxPaths, 27);
});

test("backward equals forward; backward's b^M(0,0) and every f·b sum over states agree", () => {
  for (const { p, x, y } of tinyCases()) {
    const f = forward(p, x, y);
    const b = backward(p, x, y);
    assert.ok(relClose(b.logProb, f.logProb, 1e-12));
    assert.ok(relClose(backwardScore(p, x, y), f.logProb, 1e-12));
    // At (n,m) every b^k = log τ, so Σ_k f^k(n,m) b^k(n,m) is P(x,y) again.
    const w = y.length + 1;
    const last = x.length * w + y.length;
    const s =
      Math.exp(f.logM[last] + b.logM[last]) +
      Math.exp(f.logX[last] + b.logX[last]) +
      Math.exp(f.logY[last] + b.logY[last]);
    assert.ok(relClose(Math.log(s), f.logProb, 1e-12));
  }
});

test("Viterbi equals the maximum of the enumeration, and its alignment has that probability", () => {
  for (const { p, x, y } of tinyCases()) {
    const brute = enumerate(p, x, y);
    const v = viterbi(p, x, y);
    assert.ok(relClose(v.logProb, Math.log(brute.max), 1e-12), `${v.logProb} vs ${Math.log(brute.max)}`);
    assert.ok(relClose(viterbiScore(p, x, y), v.logProb, 1e-14));
    assert.ok(relClose(alignmentLogProb(p, x, y, v.columns), v.logProb, 1e-12));
  }
});

test("match posteriors equal the brute-force posteriors; each row sums to <= 1", () => {
  for (const { p, x, y } of tinyCases()) {
    const brute = enumerate(p, x, y);
    const { posterior, logProb } = matchPosterior(p, x, y);
    assert.ok(relClose(logProb, Math.log(brute.total), 1e-12));
    const m = y.length;
    for (let i = 0; i < x.length; i++) {
      let row = 0;
      for (let j = 0; j < m; j++) {
        const k = i * m + j;
        assert.ok(
          Math.abs(posterior[k] - brute.match[k]) < 1e-12,
          `(${i},${j}) ${posterior[k]} vs ${brute.match[k]}`,
        );
        row += posterior[k];
      }
      assert.ok(row <= 1 + 1e-12);
    }
  }
});

test("Viterbi aligns two similar proteins sensibly", () => {
  const sx = "HEAGAWGHEE";
  const sy = "PAWHEAE";
  const p = blosumParams(0.05, 0.5, 0.01);
  const v = viterbi(p, encodeProtein(sx), encodeProtein(sy));
  const [a, b] = alignmentStrings(v, sx, sy);
  assert.equal(a.replaceAll("-", ""), sx);
  assert.equal(b.replaceAll("-", ""), sy);
  assert.equal(a.length, b.length);
  const same = encodeProtein("MKTAYIAKQRQISFVKSHFSRQ");
  const vs = viterbi(p, same, same);
  assert.ok(vs.columns.every(([i, j]) => i === j));
});

test("2,000 x 2,000 random proteins: finite log P, forward = backward, posteriors in [0,1]", () => {
  const u = rng(11);
  const p = blosumParams(0.02, 0.6, 0.001);
  const x = randomSequence(u, 2000);
  const y = randomSequence(u, 2000);
  const f = forwardScore(p, x, y);
  const b = backwardScore(p, x, y);
  assert.ok(Number.isFinite(f) && f < -10000, `log P = ${f}`);
  assert.ok(relClose(f, b, 1e-10), `${f} vs ${b}`);
  const v = viterbiScore(p, x, y);
  assert.ok(Number.isFinite(v) && v <= f);
  const { posterior } = matchPosterior(p, x.subarray(0, 600), y.subarray(0, 600));
  assert.ok(posterior.every((q) => q >= 0 && q <= 1 + 1e-12));
});
