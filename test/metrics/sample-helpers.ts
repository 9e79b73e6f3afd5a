// Shared by the sample-metric tests: the SciPy fixture, Gaussian samples from a key, brute-force
// references written as plainly as possible.
import { readFileSync } from "node:fs";
import { hostUniforms } from "../../src/host-random.js";
import type { Array } from "../../src/jax.js";
import type { Matrix } from "../../src/linalg/matrix.js";

export type FixtureCase = {
  name: string;
  X: number[][];
  Y: number[][];
  median_bandwidth: number;
  mmd2: {
    median_unbiased: number;
    median_biased: number;
    fixed_bandwidth: number;
    fixed_unbiased: number;
    fixed_biased: number;
  };
  energy_squared: number;
  energy: number;
  energy_scipy?: number;
  w1_scipy?: number;
  w2?: number;
  directions: number[][];
  sliced_w1: number;
  sliced_w2: number;
  prdc: Record<string, { precision: number; recall: number; density: number; coverage: number }>;
  kl_knn?: Record<string, number>;
};

export type Fixture = {
  versions: Record<string, string>;
  cases: FixtureCase[];
  correlation_sum: { points: number[][]; radii: number[]; pairs: number[] };
};

/** test/fixtures/sample-metrics/cases.json (python3 test/fixtures/sample-metrics/generate.py); a missing file fails. */
export function loadFixture(): Fixture {
  const url = new URL("../fixtures/sample-metrics/cases.json", import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as Fixture;
}

/** Rows of numbers as a Matrix. */
export function mat(rows: number[][]): Matrix {
  const n = rows.length;
  const d = rows[0].length;
  const data = new Float64Array(n * d);
  rows.forEach((r, i) => {
    data.set(r, i * d);
  });
  return { rows: n, cols: d, data };
}

/** `n` draws `[n, d]` of N(mean, scale² I) by Box–Muller from `key` (consumed). */
export function gaussian(key: Array, n: number, d: number, mean: number[] = [], scale = 1): Matrix {
  const u = hostUniforms(key, 2 * n * d);
  const data = new Float64Array(n * d);
  for (let k = 0; k < n * d; k++) {
    const z = Math.sqrt(-2 * Math.log(1 - u[2 * k])) * Math.cos(2 * Math.PI * u[2 * k + 1]);
    data[k] = (mean[k % d] ?? 0) + scale * z;
  }
  return { rows: n, cols: d, data };
}

/** |got - want| <= tol * max(1, |want|). */
export function close(got: number, want: number, tol: number): boolean {
  return Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
}
