/** The scikit-learn / scipy fixture for PCA and probabilistic PCA, its datasets, and a tolerance check. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { breastCancer, iris, wine } from "../../../src/data/datasets/index.js";
import { fromRows, type Matrix, takeRows } from "../../../src/linalg/matrix.js";

/** One `PCA(n_components, whiten, svd_solver="full")` fit and its outputs. */
export type PcaCase = {
  n_components: number;
  whiten: boolean;
  n_components_: number;
  mean: number[];
  components: number[][];
  explained_variance: number[];
  explained_variance_ratio: number[];
  singular_values: number[];
  noise_variance: number;
  transform: number[][];
  inverse_transform: number[][];
  score_samples?: number[];
};

/** Maximum-likelihood PPCA computed with numpy, and scipy's log-density with its parameters. */
export type PpcaMlCase = {
  q: number;
  noise_variance: number;
  eigenvalues: number[];
  logpdf: number[];
  WWt_diag: number[];
};

/** Made by: /usr/bin/python3 test/fixtures/latent/generate.py (scikit-learn 1.2.1). */
export type Fixture = {
  formula_weights: number[];
  datasets: {
    name: string;
    n: number;
    d: number;
    rows: number[];
    check: { X00: number; Xlast: number; sum: number };
    cases: PcaCase[];
    ppca_ml: PpcaMlCase[];
    X?: number[][];
  }[];
};

export const fixture: Fixture = JSON.parse(
  readFileSync(new URL("../../fixtures/latent/pca.json", import.meta.url), "utf8"),
);

const BUILT_IN = { iris, wine, "breast-cancer": breastCancer } as const;

/** The closed-form "formula" matrix of generate.py: eight separable cosine terms plus a chirp. */
export function formula(n: number, d: number, weights = fixture.formula_weights): Matrix {
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let v = 0;
      for (let k = 0; k < weights.length; k++)
        v +=
          weights[k] *
          Math.cos((Math.PI * (k + 1) * (i + 0.5)) / n) *
          Math.cos((Math.PI * (k + 1) * (j + 0.5)) / d + k);
      data[i * d + j] = v + 0.3 * Math.sin(0.7 * (i + 1) * (j + 1) + 1.3 * i + 0.3 * j);
    }
  }
  return { rows: n, cols: d, data };
}

/** A fixture dataset's `X` (built-in, stored in the JSON, or the formula), checked against the fixture's check values. */
export function load(ds: Fixture["datasets"][number]): Matrix {
  let X: Matrix;
  if (ds.X) X = fromRows(ds.X);
  else if (ds.name.startsWith("formula")) X = formula(ds.n, ds.d);
  else X = fromRows(BUILT_IN[ds.name as keyof typeof BUILT_IN].X);
  assert.equal(X.rows, ds.n, `${ds.name}: n`);
  assert.equal(X.cols, ds.d, `${ds.name}: d`);
  let sum = 0;
  for (const v of X.data) sum += v;
  assert.ok(
    Math.abs(X.data[0] - ds.check.X00) <= 1e-12 * Math.abs(ds.check.X00) + 1e-15,
    `${ds.name}: X[0, 0]`,
  );
  assert.ok(Math.abs(X.data[X.data.length - 1] - ds.check.Xlast) <= 1e-12 * Math.abs(ds.check.Xlast) + 1e-15);
  assert.ok(Math.abs(sum - ds.check.sum) <= 1e-10 * Math.abs(ds.check.sum) + 1e-9, `${ds.name}: sum`);
  return X;
}

/** The fixture's row subset of `X`. */
export function subset(X: Matrix, rows: number[]): Matrix {
  return takeRows(X, rows);
}

/** Nested arrays flattened row-major. */
export const flat = (a: unknown): number[] => (Array.isArray(a) ? a.flatMap(flat) : [a as number]);

/**
 * |a − b| ≤ rtol · max|b| elementwise (relative to the largest expected magnitude, so that entries
 * near zero in a vector of scale s are judged at scale s), with a message naming the first failure.
 */
export function near(actual: ArrayLike<number>, expected: unknown, rtol: number, what: string): void {
  const e = flat(expected);
  assert.equal(actual.length, e.length, `${what}: length`);
  let scale = 0;
  for (const v of e) scale = Math.max(scale, Math.abs(v));
  const tol = rtol * Math.max(scale, 1e-300);
  for (let i = 0; i < e.length; i++)
    assert.ok(Math.abs(actual[i] - e[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${e[i]} (tol ${tol})`);
}
