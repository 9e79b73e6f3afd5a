// Precision, recall, density, coverage (Naeem et al. 2020) against NumPy/SciPy (fixture: radii from
// cKDTree, memberships from a cdist matrix with <=), including an integer grid where ties and repeated
// points decide the values; identical sets; a far-away fake set; argument errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { random } from "../../src/jax.js";
import { prdc } from "../../src/metrics/prdc.js";
import { gaussian, loadFixture, mat } from "./sample-helpers.js";

test("prdc matches the fixture for k = 1, 3, 5 (exact: counts of exact comparisons)", () => {
  for (const c of loadFixture().cases) {
    for (const [k, want] of Object.entries(c.prdc)) {
      const got = prdc(mat(c.X), mat(c.Y), { k: Number(k) });
      for (const name of ["precision", "recall", "density", "coverage"] as const)
        assert.ok(
          Math.abs(got[name] - want[name]) < 1e-12,
          `${c.name} k=${k} ${name}: ${got[name]} vs ${want[name]}`,
        );
    }
  }
});

test("identical sets: precision = recall = coverage = 1", () => {
  const X = gaussian(random.key(1), 500, 3);
  const r = prdc(X, X);
  assert.equal(r.precision, 1);
  assert.equal(r.recall, 1);
  assert.equal(r.coverage, 1);
  assert.ok(r.density >= 1 / 5);
  // two samples of one distribution: density near 1, coverage high
  const Y = gaussian(random.key(2), 2000, 2);
  const Z = gaussian(random.key(3), 2000, 2);
  const s = prdc(Y, Z);
  assert.ok(
    Math.abs(s.density - 1) < 0.1 && s.coverage > 0.9 && s.precision > 0.9 && s.recall > 0.9,
    JSON.stringify(s),
  );
});

test("a fake set far from the real one scores 0; argument errors", () => {
  const X = gaussian(random.key(4), 100, 2);
  const far = gaussian(random.key(5), 80, 2, [100, 100]);
  assert.deepEqual(prdc(X, far), { precision: 0, recall: 0, density: 0, coverage: 0 });
  assert.throws(() => prdc(X, far, { k: 0 }), /k must be an integer >= 1/);
  assert.throws(() => prdc(X, [1, 2, 3]), /same dimension/);
  assert.throws(() => prdc(X, gaussian(random.key(6), 5, 2)), /more than k = 5 points/);
});
