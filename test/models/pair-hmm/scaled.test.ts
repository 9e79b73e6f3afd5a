import assert from "node:assert/strict";
import { test } from "node:test";
import { backward, backwardRows, backwardScore } from "../../../src/models/pair-hmm/backward.js";
import { forward, forwardRows, forwardScore } from "../../../src/models/pair-hmm/forward.js";
import { logTables } from "../../../src/models/pair-hmm/model.js";
import { scaledSafe } from "../../../src/models/pair-hmm/scaled.js";
import { blosumParams, randomSequence, rng } from "./helpers.js";

// The scaled probability-space path agrees with the exact log-space recursions (forwardRows/backwardRows).
test("scaled forward/backward scores and matrices equal exact log space (300 × 280)", () => {
  const u = rng(11);
  const p = blosumParams(0.02, 0.6, 0.001);
  const x = randomSequence(u, 300);
  const y = randomSequence(u, 280);
  assert.ok(scaledSafe(p, x.length, y.length));
  const t = logTables(p, x, y, "test");
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

test("very unequal lengths fall back to exact log space and stay finite", () => {
  const u = rng(12);
  const p = blosumParams(0.02, 0.6, 0.001);
  const x = randomSequence(u, 20);
  const y = randomSequence(u, 2000);
  assert.ok(!scaledSafe(p, x.length, y.length));
  const lf = forwardScore(p, x, y);
  assert.ok(Number.isFinite(lf));
  assert.ok(Math.abs(backwardScore(p, x, y) - lf) <= 1e-10 * Math.abs(lf));
});
