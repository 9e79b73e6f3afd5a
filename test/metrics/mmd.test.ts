// MMD² with the RBF kernel: agreement with NumPy/SciPy (fixture: median bandwidth from pdist, kernel
// sums from cdist; tolerance 1e-12 absolute, the sums differ only in order), zero for identical
// samples, symmetry, and the closed form for two Gaussians.
//
// Closed form: for X ~ N(μx, sx² I), Y ~ N(μy, sy² I) in d dims and k = exp(-|x - y|²/(2σ²)),
//   E k(X, Y) = (1 + (sx² + sy²)/σ²)^(-d/2) · exp(-|μx - μy|² / (2(σ² + sx² + sy²))),
// and MMD² = E k(X, X') + E k(Y, Y') - 2 E k(X, Y). Tolerance 0.02: three standard deviations of the
// U-statistic at n = m = 2,000 (0.0056 for the shifted pair, measured over 20 keys at n = 1,000 and
// scaled by 1/√2).
import assert from "node:assert/strict";
import { test } from "node:test";
import { random } from "../../src/jax.js";
import { medianBandwidth, mmd2 } from "../../src/metrics/mmd.js";
import { gaussian, loadFixture, mat } from "./sample-helpers.js";

test("mmd2 matches the NumPy/SciPy fixture (median and fixed bandwidth, unbiased and biased)", () => {
  for (const c of loadFixture().cases) {
    const X = mat(c.X);
    const Y = mat(c.Y);
    const med = medianBandwidth(X, Y);
    assert.ok(Math.abs(med - c.median_bandwidth) <= 1e-14 * c.median_bandwidth, `${c.name}: median ${med}`);
    const m = c.mmd2;
    const cases: [number, number][] = [
      [mmd2(X, Y), m.median_unbiased],
      [mmd2(X, Y, { estimator: "biased" }), m.median_biased],
      [mmd2(X, Y, { bandwidth: m.fixed_bandwidth }), m.fixed_unbiased],
      [mmd2(X, Y, { bandwidth: m.fixed_bandwidth, estimator: "biased" }), m.fixed_biased],
    ];
    for (const [got, want] of cases) assert.ok(Math.abs(got - want) <= 1e-12, `${c.name}: ${got} vs ${want}`);
  }
});

test("identical samples: biased MMD² = 0 up to rounding, unbiased ≈ 0 (slightly negative); symmetric", () => {
  const X = gaussian(random.key(1), 300, 3);
  assert.ok(Math.abs(mmd2(X, X, { estimator: "biased" })) < 1e-12);
  const u = mmd2(X, X);
  assert.ok(u < 0 && u > -0.01, `unbiased ${u}`);
  const Y = gaussian(random.key(2), 250, 3, [0.3, 0, 0]);
  for (const estimator of ["unbiased", "biased"] as const)
    assert.ok(Math.abs(mmd2(X, Y, { estimator }) - mmd2(Y, X, { estimator })) < 1e-12);
});

/** Closed-form MMD² between N(μx, sx² I) and N(μy, sy² I) in d dims, RBF bandwidth σ. */
function gaussianMmd2(d: number, shift2: number, sx: number, sy: number, sigma: number): number {
  const s2 = sigma * sigma;
  const e = (a: number, b: number, m2: number) =>
    (1 + (a * a + b * b) / s2) ** (-d / 2) * Math.exp(-m2 / (2 * (s2 + a * a + b * b)));
  return e(sx, sx, 0) + e(sy, sy, 0) - 2 * e(sx, sy, shift2);
}

test("two Gaussians: the U-statistic is within 0.02 of the closed form", () => {
  const X = gaussian(random.key(10), 2000, 2);
  const shifted = gaussian(random.key(11), 2000, 2, [1, 0]);
  const wide = gaussian(random.key(12), 2000, 2, [0, 0], 1.5);
  const a = mmd2(X, shifted, { bandwidth: 1 });
  const b = mmd2(X, wide, { bandwidth: 1 });
  assert.ok(Math.abs(gaussianMmd2(2, 1, 1, 1, 1) - 0.10234551673959065) < 1e-15);
  assert.ok(Math.abs(a - gaussianMmd2(2, 1, 1, 1, 1)) <= 0.02, `shifted: ${a}`);
  assert.ok(Math.abs(b - gaussianMmd2(2, 0, 1, 1.5, 1)) <= 0.02, `wider: ${b}`);
});

test("the median heuristic subsamples large pools evenly; argument errors", () => {
  const X = gaussian(random.key(3), 600, 2);
  const Y = gaussian(random.key(4), 600, 2);
  const full = medianBandwidth(X, Y);
  const sub = medianBandwidth(X, Y, { maxPoints: 400 });
  assert.ok(Math.abs(full - sub) < 0.05 * full, `${full} vs ${sub}`);
  assert.throws(() => mmd2(X, gaussian(random.key(5), 10, 3)), /same dimension/);
  assert.throws(() => mmd2(X, Y, { bandwidth: 0 }), /bandwidth must be a positive number/);
  assert.throws(() => mmd2([1], [2, 3]), /at least 2 points/);
  assert.throws(() => medianBandwidth([1, 1], [1]), /median pairwise distance must be positive/);
});
