import assert from "node:assert/strict";
import { test } from "node:test";
import { backward, backwardRows, backwardScore } from "../../../src/models/pair-hmm/backward.js";
import { forward, forwardRows, forwardScore } from "../../../src/models/pair-hmm/forward.js";
import { logTables } from "../../../src/models/pair-hmm/model.js";
import { matchPosterior } from "../../../src/models/pair-hmm/posterior.js";
import { scaledBackwardRows, scaledForwardRows, scaledTables } from "../../../src/models/pair-hmm/scaled.js";
import { blosumParams, randomSequence, rng } from "./helpers.js";

// The scaled probability-space path agrees with the exact log-space recursions (forwardRows/backwardRows).
test("scaled forward/backward scores and matrices equal exact log space (300 × 280)", () => {
  const u = rng(11);
  const p = blosumParams(0.02, 0.6, 0.001);
  const x = randomSequence(u, 300);
  const y = randomSequence(u, 280);
  const t = logTables(p, x, y, "test");
  assert.ok(Number.isFinite(scaledForwardRows(scaledTables(p, x, y), x, y)), "the scaled path ran");
  const exact: Float64Array[] = [];
  const lf = forwardRows(t, x, y, (_i, M) => {
    exact.push(Float64Array.from(M));
  });
  assert.ok(Math.abs(forwardScore(p, x, y) - lf) <= 1e-12 * Math.abs(lf));
  assert.ok(Math.abs(backwardScore(p, x, y) - lf) <= 1e-12 * Math.abs(lf));
  const f = forward(p, x, y);
  const w = y.length + 1;
  for (let i = 0; i <= x.length; i += 37)
    for (let j = 0; j < w; j += 13) {
      const e = exact[i][j];
      const g = f.logM[i * w + j];
      if (e === Number.NEGATIVE_INFINITY || e < -650 + lf / 2) continue;
      assert.ok(Math.abs(g - e) <= 1e-9 * Math.max(1, Math.abs(e)), `f^M(${i},${j}) ${g} vs ${e}`);
    }
  const bExact: Float64Array[] = [];
  backwardRows(t, x, y, (i, M) => {
    bExact[i] = Float64Array.from(M);
  });
  const b = backward(p, x, y);
  for (let i = 0; i <= x.length; i += 41)
    for (let j = 0; j < w; j += 17) {
      const e = bExact[i][j];
      assert.ok(Math.abs(b.logM[i * w + j] - e) <= 1e-9 * Math.max(1, Math.abs(e)), `b^M(${i},${j})`);
    }
});

test("very unequal lengths (20 × 2,000) stay exact", () => {
  const u = rng(12);
  const p = blosumParams(0.02, 0.6, 0.001);
  const x = randomSequence(u, 20);
  const y = randomSequence(u, 2000);
  const lf = forwardRows(logTables(p, x, y, "test"), x, y);
  assert.ok(Number.isFinite(lf));
  assert.ok(Math.abs(forwardScore(p, x, y) - lf) <= 1e-10 * Math.abs(lf));
  assert.ok(Math.abs(backwardScore(p, x, y) - lf) <= 1e-10 * Math.abs(lf));
});

// The case that defeated per-row scaling: x = A·B, y = B·C with |A| = 1,500, |B| = 2,000, |C| = 1,000.
// The alignment that carries the probability opens with a 1,500-residue gap, whose cells sit at column 0,
// ~e^-2000 below the diagonal of their row in the odds frame; per-row scaling flushed them and returned a
// finite log P 42 nats too small. Block scaling keeps them (or reports the loss and falls back).
test("a long gap far from the row's mass: scaled scores and posteriors stay exact (3,500 × 3,000)", () => {
  const u = rng(13);
  const p = blosumParams(0.02, 0.6, 0.001);
  const a = randomSequence(u, 1500);
  const b = randomSequence(u, 2000);
  const c = randomSequence(u, 1000);
  const x = Int8Array.from([...a, ...b]);
  const y = Int8Array.from([...b, ...c]);
  const t = logTables(p, x, y, "test");
  const exact = forwardRows(t, x, y);
  const tol = 1e-11 * Math.abs(exact);
  assert.ok(Math.abs(forwardScore(p, x, y) - exact) <= tol, `forward ${forwardScore(p, x, y)} vs ${exact}`);
  assert.ok(Math.abs(backwardScore(p, x, y) - exact) <= tol);
  // The scaled recursions themselves handle it (no fallback needed here).
  const s = scaledTables(p, x, y);
  assert.ok(Math.abs(scaledForwardRows(s, x, y) - exact) <= tol);
  assert.ok(Math.abs(scaledBackwardRows(s, x, y) - exact) <= tol);
  // Posteriors equal the log-space ones on every 50th row; they put the mass on the true path (the gap,
  // then B matched to B).
  const post = matchPosterior(p, x, y);
  assert.ok(Math.abs(post.logProb - exact) <= tol);
  const m = y.length;
  const fRows = new Map<number, Float64Array>();
  forwardRows(t, x, y, (i, M) => {
    if (i > 0 && i % 50 === 0) fRows.set(i, Float64Array.from(M));
  });
  let worst = 0;
  backwardRows(t, x, y, (i, M) => {
    const f = fRows.get(i);
    if (!f) return;
    for (let j = 1; j <= m; j++)
      worst = Math.max(worst, Math.abs(Math.exp(f[j] + M[j] - exact) - post.posterior[(i - 1) * m + j - 1]));
  });
  assert.ok(worst < 1e-9, `largest posterior difference ${worst}`);
  let onPath = 0;
  for (let k = 0; k < 2000; k += 100) onPath += post.posterior[(1500 + k) * m + k];
  assert.ok(onPath / 20 > 0.9, `mean posterior on the true path ${onPath / 20}`);
});

test("the scaled recursions report lost precision as NaN instead of a wrong number", () => {
  // ε = 1e-150: a gap of two columns is already e^-690 below a match within one block.
  const u = rng(14);
  const p = blosumParams(0.02, 1e-150, 0.001);
  const x = randomSequence(u, 60);
  const y = randomSequence(u, 40);
  const s = scaledTables(p, x, y);
  assert.ok(Number.isNaN(scaledForwardRows(s, x, y)), "forward reports the loss");
  assert.ok(Number.isNaN(scaledBackwardRows(s, x, y)), "backward reports the loss");
  // ...and the public functions fall back to exact log space
  const exact = forwardRows(logTables(p, x, y, "test"), x, y);
  assert.ok(Math.abs(forwardScore(p, x, y) - exact) <= 1e-11 * Math.abs(exact));
  assert.ok(Math.abs(backwardScore(p, x, y) - exact) <= 1e-11 * Math.abs(exact));
});
