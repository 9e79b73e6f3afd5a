// Correlation sums and dimensions (Grassberger & Procaccia 1983).
//
// 1. Exactness: the dual-tree counts equal a brute-force double loop on small sets (uniform and
//    integer-grid points with exact ties, Theiler windows, subsampled references) and SciPy's
//    cKDTree.count_neighbors on a 400-point Hénon orbit (fixture).
// 2. Reference dimensions, fixed keys, sizes chosen so each case takes well under a second here and
//    its estimate sits inside the tolerance for every key tried (10 keys each while choosing):
//    - Lorenz-63: 20,000 points, one per 0.1 time units (dt 0.01, every 10; 2,000 time units), 4,000
//      random reference points, Theiler window 10 (1 time unit), standardised, fit over r in
//      [0.05, 0.5] (about 0.4 to 4 in the original units: above the noise of few pairs, below the
//      fold-over of the attractor where local slopes fall under 2). Keys 0-7 gave 2.047-2.064.
//    - Hénon: 100,000 iterates, 10,000 references, r in [1e-4, 1e-1] (three decades, which averages
//      the attractor's log-periodic slope oscillations). Keys 0-9 gave 1.199-1.211, converged (10^6
//      points) 1.205-1.213: this is D2 = 1.21 ± 0.01 of Grassberger & Procaccia; the 1.26 often
//      quoted is the capacity dimension D0. The test asserts 1.21 ± 0.03.
//    - Logistic map at r∞: 10,000 iterates, all references, r in [1e-5, 1e-2] (three decades of the
//      Cantor set's self-similar range); keys 0-7 gave 0.502-0.503.
//    - Uniform unit cube (3) and a plane in 3-D (2): 20,000 points, 4,000 references, small radii
//      where edge effects (which lower the slope by about r) stay under the tolerance.
import assert from "node:assert/strict";
import { test } from "node:test";
import { henon, logisticMap, lorenz, standardize } from "../../src/data/dynamical/index.js";
import { hostUniforms } from "../../src/host-random.js";
import { random } from "../../src/jax.js";
import type { Matrix } from "../../src/linalg/matrix.js";
import {
  type CorrelationSum,
  correlationDimension,
  correlationSum,
  fitCorrelationDimension,
  localSlopes,
} from "../../src/metrics/correlation-dimension.js";
import { sqDist } from "../../src/metrics/points.js";
import { loadFixture, mat } from "./sample-helpers.js";

/** Brute-force pairs (i in refs, j != i, |i - j| > w, d <= r) and the eligible-pair count. */
function brute(X: Matrix, radii: ArrayLike<number>, w: number, refs: ArrayLike<number>) {
  const pairs = new Float64Array(radii.length);
  let total = 0;
  for (let a = 0; a < refs.length; a++) {
    const i = refs[a];
    for (let j = 0; j < X.rows; j++) {
      if (Math.abs(i - j) <= w) continue;
      total++;
      const s = sqDist(X.data, i, X.data, j, X.cols);
      for (let k = 0; k < radii.length; k++) if (s <= radii[k] * radii[k]) pairs[k]++;
    }
  }
  return { pairs, total };
}

test("correlation sums equal brute force exactly (ties, Theiler windows, subsampled references)", () => {
  for (let trial = 0; trial < 30; trial++) {
    const n = 40 + 9 * trial;
    const d = 1 + (trial % 4);
    const grid = trial % 2 === 1;
    const u = hostUniforms(random.key(trial), n * d);
    const X = { rows: n, cols: d, data: grid ? u.map((v) => Math.floor(v * 6)) : u };
    const radii = grid ? [0.5, 1, Math.SQRT2, 2, 3, 5] : [0.01, 0.05, 0.1, 0.2, 0.4, 0.8];
    const theiler = trial % 4;
    const references = trial % 3 === 0 ? 17 : undefined;
    const key = trial % 6 === 0 ? random.key(1000 + trial) : undefined;
    const cs = correlationSum(X, { radii, theiler, references, key, leafSize: 1 + (trial % 7) });
    const want = brute(X, radii, theiler, cs.referenceRows);
    assert.equal(cs.referenceRows.length, references ?? n);
    assert.equal(cs.totalPairs, want.total);
    assert.deepEqual(cs.pairs, want.pairs);
    assert.deepEqual(
      cs.sum,
      want.pairs.map((p) => p / want.total),
    );
    if (key) assert.equal(key.refCount, 0, "key consumed");
  }
});

test("evenly spaced references without a key; random ones are reproducible from the key", () => {
  const X = standardize(lorenz(random.key(3), 500)).Z;
  const even = correlationSum(X, { references: 4 });
  assert.deepEqual(Array.from(even.referenceRows), [62, 187, 312, 437]);
  const a = correlationSum(X, { references: 50, key: random.key(5) });
  const b = correlationSum(X, { references: 50, key: random.key(5) });
  assert.deepEqual(a, b);
  assert.notDeepEqual(
    a.referenceRows,
    correlationSum(X, { references: 50, key: random.key(6) }).referenceRows,
  );
});

test("Hénon orbit: pair counts equal SciPy cKDTree.count_neighbors (fixture)", () => {
  const fx = loadFixture().correlation_sum;
  const cs = correlationSum(mat(fx.points), { radii: fx.radii });
  assert.deepEqual(Array.from(cs.pairs), fx.pairs);
  assert.equal(cs.totalPairs, fx.points.length * (fx.points.length - 1));
});

test("Lorenz-63: D2 = 2.05 ± 0.05 (explicit range) and the automatic range agrees", () => {
  const ks = random.split(random.key(0), 2);
  const X = standardize(lorenz(ks.ref.slice(0), 20000)).Z;
  const fit = correlationDimension(X, {
    radii: { min: 0.05, max: 0.5, count: 11 },
    theiler: 10,
    references: 4000,
    key: ks.slice(1),
    range: [0.05, 0.5],
  });
  assert.ok(Math.abs(fit.dimension - 2.05) <= 0.05, `Lorenz D2 ${fit.dimension}`);
  assert.equal(fit.count, 11);
  const auto = correlationDimension(X, {
    radii: { min: 0.01, max: 2, count: 24 },
    theiler: 10,
    references: 4000,
  });
  assert.ok(auto.automatic);
  assert.ok(Math.abs(auto.dimension - 2.05) <= 0.05, `Lorenz automatic D2 ${auto.dimension}`);
  assert.ok(auto.rMin < 0.05 && auto.rMax > 0.3, `range [${auto.rMin}, ${auto.rMax}]`);
});

test("Hénon map: D2 = 1.21 ± 0.03 (Grassberger & Procaccia: 1.21 ± 0.01)", () => {
  const X = henon(random.key(1), 100000);
  const fit = correlationDimension(X, {
    radii: { min: 1e-4, max: 1e-1, count: 16 },
    references: 10000,
    key: random.key(2),
    range: [1e-4, 1e-1],
  });
  assert.ok(Math.abs(fit.dimension - 1.21) <= 0.03, `Hénon D2 ${fit.dimension}`);
});

test("logistic map at the Feigenbaum point: D2 = 0.50 ± 0.05", () => {
  const X = logisticMap(random.key(1), 10000);
  const fit = correlationDimension(X, { radii: { min: 1e-5, max: 1e-2, count: 16 }, range: [1e-5, 1e-2] });
  assert.ok(Math.abs(fit.dimension - 0.5) <= 0.05, `logistic D2 ${fit.dimension}`);
});

test("uniform points: D2 ≈ 3 in a cube, ≈ 2 on a plane in 3-D", () => {
  const n = 20000;
  const u = hostUniforms(random.key(100), 3 * n);
  const cube = correlationDimension(
    { rows: n, cols: 3, data: u },
    { radii: { min: 0.01, max: 0.05, count: 8 }, references: 4000, range: [0.01, 0.05] },
  );
  assert.ok(Math.abs(cube.dimension - 3) <= 0.1, `cube D2 ${cube.dimension}`);
  const plane = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    plane[3 * i] = u[3 * i];
    plane[3 * i + 1] = u[3 * i + 1];
    plane[3 * i + 2] = 0.3 * u[3 * i] - 0.5 * u[3 * i + 1];
  }
  const fit = correlationDimension(
    { rows: n, cols: 3, data: plane },
    { radii: { min: 0.003, max: 0.03, count: 8 }, references: 4000, range: [0.003, 0.03] },
  );
  assert.ok(Math.abs(fit.dimension - 2) <= 0.05, `plane D2 ${fit.dimension}`);
});

/** A synthetic correlation sum C(r) = c r^D with pair counts large enough for the automatic range. */
function powerLaw(D: number, K = 12): CorrelationSum {
  const radii = Float64Array.from({ length: K }, (_, k) => 0.001 * 2 ** k);
  const sum = radii.map((r) => 0.3 * (r / radii[K - 1]) ** D);
  return {
    radii,
    sum,
    pairs: sum.map((c) => c * 1e9),
    totalPairs: 1e9,
    referenceRows: new Int32Array(0),
    theiler: 0,
  };
}

test("an exact power law: local slopes and both fits recover the exponent", () => {
  const cs = powerLaw(1.7);
  const { slopes, radii } = localSlopes(cs);
  assert.equal(slopes.length, 11);
  for (const s of slopes) assert.ok(Math.abs(s - 1.7) < 1e-12);
  assert.ok(Math.abs(radii[0] - Math.sqrt(0.001 * 0.002)) < 1e-15);
  const fit = fitCorrelationDimension(cs, { range: [0.004, 0.5] });
  assert.ok(Math.abs(fit.dimension - 1.7) < 1e-12);
  assert.equal(fit.count, 7, "radii 0.004 .. 0.256");
  const auto = fitCorrelationDimension(cs);
  assert.ok(auto.automatic && Math.abs(auto.dimension - 1.7) < 1e-12);
  assert.equal(auto.count, 12, "the whole range");
});

test("the automatic range picks the widest window of steady slopes and says when there is none", () => {
  const cs = powerLaw(2, 16);
  // bend the curve below radius index 6: slopes there differ by 0.5
  for (let k = 0; k < 6; k++) cs.sum[k] *= (cs.radii[6] / cs.radii[k]) ** 0.5;
  const auto = fitCorrelationDimension(cs, { tolerance: 0.1 });
  assert.equal(auto.rMin, cs.radii[6]);
  assert.ok(Math.abs(auto.dimension - 2) < 1e-12);
  // zig-zag slopes: no window of 5 radii within ±0.1
  const zig = powerLaw(2, 10);
  for (let k = 0; k < 10; k += 2) zig.sum[k] *= 1.5;
  assert.throws(() => fitCorrelationDimension(zig), /no scaling range/);
});

test("argument errors name the argument", () => {
  const X = henon(random.key(0), 100);
  assert.throws(() => correlationSum(X, { theiler: -1 }), /theiler must be an integer >= 0/);
  assert.throws(
    () => correlationSum(X, { radii: [0.1, 0.1] }),
    /radii must be positive, finite and increasing/,
  );
  assert.throws(() => correlationSum(X, { radii: { min: 1, max: 0.5 } }), /0 < min < max/);
  assert.throws(() => correlationSum(X, { theiler: 99 }), /excludes all/);
  const key = random.key(0);
  assert.throws(() => correlationSum(X, { references: 0, key }), /references must be an integer >= 1/);
  assert.equal(key.refCount, 0, "key consumed on error");
  const cs = correlationSum(X, { radii: { min: 1e-3, max: 1, count: 10 } });
  assert.throws(() => fitCorrelationDimension(cs, { range: [0.5, 0.6] }), /at least 2 radii/);
  assert.throws(
    () => fitCorrelationDimension(cs, { range: [1e-9, 1e-2] }),
    /C\(r\) must be positive|at least 2/,
  );
});
