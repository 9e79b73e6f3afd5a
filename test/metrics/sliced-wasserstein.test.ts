// Wasserstein in 1-D against scipy.stats.wasserstein_distance (p = 1) and an independent quantile
// computation (p = 2); sliced Wasserstein along the fixture's directions; random directions from a
// key (unit length, reproducible, key consumed); invariants. Tolerance 1e-12 relative.
import assert from "node:assert/strict";
import { test } from "node:test";
import { random } from "../../src/jax.js";
import {
  randomDirections,
  slicedWasserstein,
  slicedWassersteinAlong,
  wassersteinDistance1d,
} from "../../src/metrics/sliced-wasserstein.js";
import { close, gaussian, loadFixture, mat } from "./sample-helpers.js";

test("1-D W1 equals scipy.stats.wasserstein_distance and W2 the quantile integral (fixture)", () => {
  for (const c of loadFixture().cases) {
    if (c.w1_scipy === undefined || c.w2 === undefined) continue;
    const u = c.X.map((r) => r[0]);
    const v = c.Y.map((r) => r[0]);
    assert.ok(close(wassersteinDistance1d(u, v), c.w1_scipy, 1e-12), `W1 ${wassersteinDistance1d(u, v)}`);
    assert.ok(close(wassersteinDistance1d(u, v, 2), c.w2, 1e-12), `W2 ${wassersteinDistance1d(u, v, 2)}`);
  }
});

test("sliced W1 and W2 along the fixture's directions match NumPy/SciPy", () => {
  for (const c of loadFixture().cases) {
    const X = mat(c.X);
    const Y = mat(c.Y);
    const dirs = mat(c.directions);
    assert.ok(close(slicedWassersteinAlong(X, Y, dirs, 1), c.sliced_w1, 1e-12), `${c.name} SW1`);
    assert.ok(close(slicedWassersteinAlong(X, Y, dirs, 2), c.sliced_w2, 1e-12), `${c.name} SW2`);
  }
});

test("1-D cases by hand: a shift by s gives W_p = s; equal sizes pair sorted values", () => {
  assert.ok(Math.abs(wassersteinDistance1d([0, 1, 2], [0.5, 1.5, 2.5], 2) - 0.5) < 1e-15);
  assert.equal(wassersteinDistance1d([0, 0, 1, 1], [0, 1]), 0);
  // point mass at 0 vs uniform over {0, 1, 2, 3}: W1 = 1.5, W2 = sqrt(3.5)
  assert.equal(wassersteinDistance1d([0], [0, 1, 2, 3]), 1.5);
  assert.ok(Math.abs(wassersteinDistance1d([0], [3, 2, 1, 0], 2) - Math.sqrt(3.5)) < 1e-15);
});

test("random directions are unit vectors, reproducible from the key, which is consumed", () => {
  const key = random.key(7);
  const a = randomDirections(key, 50, 4);
  assert.equal(key.refCount, 0);
  assert.deepEqual(a, randomDirections(random.key(7), 50, 4));
  for (let l = 0; l < 50; l++) {
    let s = 0;
    for (let c = 0; c < 4; c++) s += a.data[4 * l + c] ** 2;
    assert.ok(Math.abs(s - 1) < 1e-14);
  }
  // mean direction of many draws is near 0 (uniform on the sphere)
  const many = randomDirections(random.key(8), 4000, 3);
  for (let c = 0; c < 3; c++) {
    let m = 0;
    for (let l = 0; l < 4000; l++) m += many.data[3 * l + c] / 4000;
    assert.ok(Math.abs(m) < 0.05, `mean[${c}] ${m}`);
  }
});

test("sliced Wasserstein: 0 for identical samples, symmetric, a shift of |μ| gives ≈ |μ|·E|θ₁| (p = 1)", () => {
  const X = gaussian(random.key(1), 400, 2);
  assert.equal(slicedWasserstein(random.key(2), X, X), 0);
  const Y = gaussian(random.key(3), 300, 2, [2, 0]);
  assert.ok(
    Math.abs(slicedWasserstein(random.key(4), X, Y) - slicedWasserstein(random.key(4), Y, X)) < 1e-12,
  );
  // translating Y by μ = (2, 0) moves every projection by 2 cos θ: SW1 ≈ 2 E|cos θ| = 4/π for large samples
  const Z = { ...X, data: X.data.map((v, i) => (i % 2 === 0 ? v + 2 : v)) };
  const sw1 = slicedWasserstein(random.key(5), X, Z, { p: 1, projections: 2000 });
  assert.ok(Math.abs(sw1 - 4 / Math.PI) < 0.03, `SW1 ${sw1}`);
  const key = random.key(6);
  assert.throws(() => slicedWasserstein(key, X, [1, 2]), /same dimension/);
  assert.equal(key.refCount, 0, "key consumed on error");
  assert.throws(() => wassersteinDistance1d([1], [2], 0.5), /p must be a finite number >= 1/);
});
