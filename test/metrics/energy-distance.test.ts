// Energy distance: 1-D agreement with scipy.stats.energy_distance (which returns sqrt(D²)), the
// multi-dimensional V-statistic against NumPy/SciPy cdist (fixture, 1e-12 relative), the 1-D CDF
// path against the pairwise formula, zero for identical samples, symmetry.
import assert from "node:assert/strict";
import { test } from "node:test";
import { random } from "../../src/jax.js";
import { energyDistance, energyDistanceSquared } from "../../src/metrics/energy-distance.js";
import { sqDist } from "../../src/metrics/points.js";
import { close, gaussian, loadFixture, mat } from "./sample-helpers.js";

test("energy distance matches the fixture; in 1-D it equals scipy.stats.energy_distance", () => {
  for (const c of loadFixture().cases) {
    const X = mat(c.X);
    const Y = mat(c.Y);
    assert.ok(close(energyDistanceSquared(X, Y), c.energy_squared, 1e-12), c.name);
    assert.ok(close(energyDistance(X, Y), c.energy, 1e-12), c.name);
    if (c.energy_scipy !== undefined) assert.ok(close(energyDistance(X, Y), c.energy_scipy, 1e-12), c.name);
  }
});

test("1-D: the sorted-CDF path equals the pairwise V-statistic (ties included)", () => {
  for (const [seed, grid] of [
    [1, false],
    [2, true],
  ] as const) {
    const X = gaussian(random.key(seed), 200, 1);
    const Y = gaussian(random.key(seed + 10), 130, 1, [0.4], 2);
    if (grid)
      for (const m of [X, Y])
        m.data.forEach((v, i) => {
          m.data[i] = Math.round(v);
        });
    const pair = (a: typeof X, b: typeof X) => {
      let s = 0;
      for (let i = 0; i < a.rows; i++)
        for (let j = 0; j < b.rows; j++) s += Math.sqrt(sqDist(a.data, i, b.data, j, 1));
      return s / (a.rows * b.rows);
    };
    const want = 2 * pair(X, Y) - pair(X, X) - pair(Y, Y);
    assert.ok(close(energyDistanceSquared(X, Y), want, 1e-12), `${energyDistanceSquared(X, Y)} vs ${want}`);
    assert.ok(close(energyDistanceSquared(X.data, Y.data), want, 1e-12), "plain Float64Array input");
  }
});

test("identical samples give 0; energy distance is symmetric", () => {
  const X = gaussian(random.key(3), 150, 3);
  const Y = gaussian(random.key(4), 100, 3, [1, 0, 0]);
  assert.ok(Math.abs(energyDistanceSquared(X, X)) < 1e-13);
  assert.equal(energyDistance([1, 2, 3], [3, 2, 1]), 0);
  assert.ok(Math.abs(energyDistance(X, Y) - energyDistance(Y, X)) < 1e-13);
  assert.ok(energyDistance(X, Y) > 0.3);
  assert.throws(() => energyDistance(X, [1, 2]), /same dimension/);
});
