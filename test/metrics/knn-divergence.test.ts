// k-NN KL estimator (Wang, Kulkarni & Verdú 2009) against SciPy cKDTree (fixture, 1e-12 relative),
// the closed form KL(N(0, I) ‖ N(μ, I)) = |μ|²/2, and errors on repeated points.
//
// Tolerance for the closed form: d = 2, n = m = 5,000, μ = (1, 0), KL = 0.5 nats. Over 20 keys the
// estimate had standard deviation 0.030 for k = 1 (mean 0.497) and 0.021 for k = 5 (mean 0.482, the
// finite-sample bias); the test allows 0.1 and 0.08 (about 3 standard deviations plus bias).
import assert from "node:assert/strict";
import { test } from "node:test";
import { random } from "../../src/jax.js";
import { klDivergenceKnn } from "../../src/metrics/knn-divergence.js";
import { close, gaussian, loadFixture, mat } from "./sample-helpers.js";

test("klDivergenceKnn matches the cKDTree fixture for k = 1, 3, 5", () => {
  for (const c of loadFixture().cases) {
    if (!c.kl_knn) continue;
    for (const [k, want] of Object.entries(c.kl_knn)) {
      const got = klDivergenceKnn(mat(c.X), mat(c.Y), { k: Number(k) });
      assert.ok(close(got, want, 1e-12), `${c.name} k=${k}: ${got} vs ${want}`);
    }
  }
});

test("KL(N(0, I) ‖ N(μ, I)) in d = 2 from 5,000 samples each: 0.5 nats within 0.1 (k = 1), 0.08 (k = 5)", () => {
  const X = gaussian(random.key(0), 5000, 2);
  const Y = gaussian(random.key(1), 5000, 2, [1, 0]);
  const k1 = klDivergenceKnn(X, Y);
  const k5 = klDivergenceKnn(X, Y, { k: 5 });
  assert.ok(Math.abs(k1 - 0.5) <= 0.1, `k=1: ${k1}`);
  assert.ok(Math.abs(k5 - 0.5) <= 0.08, `k=5: ${k5}`);
  // same distribution: near 0
  const Z = gaussian(random.key(2), 5000, 2);
  assert.ok(Math.abs(klDivergenceKnn(X, Z)) < 0.1);
});

test("repeated points and bad sizes are errors", () => {
  assert.throws(() => klDivergenceKnn([1, 1, 2, 3], [0.5, 4]), /distance 0 to its 1-th neighbour in X/);
  assert.throws(() => klDivergenceKnn([1, 2, 3], [2, 4]), /distance 0 to its 1-th neighbour in Y/);
  assert.throws(() => klDivergenceKnn([1, 2], [3, 4], { k: 2 }), /more than k = 2 points/);
});
