// Standardisation: zero mean and unit population std per column, the inverse undoes it, new data use
// the fitted transform, constant columns get std 1 (as scikit-learn's StandardScaler).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  applyStandardization,
  invertStandardization,
  lorenz,
  standardize,
} from "../../../src/data/dynamical/index.js";
import { random } from "../../../src/jax.js";

test("standardize gives mean 0 and std 1 per column, and invertStandardization undoes it", () => {
  const X = lorenz(random.key(0), 1000);
  const { Z, transform } = standardize(X);
  for (let c = 0; c < 3; c++) {
    let m = 0;
    let v = 0;
    for (let i = 0; i < 1000; i++) m += Z.data[3 * i + c] / 1000;
    for (let i = 0; i < 1000; i++) v += (Z.data[3 * i + c] - m) ** 2 / 1000;
    assert.ok(Math.abs(m) < 1e-12 && Math.abs(v - 1) < 1e-12);
  }
  const back = invertStandardization(Z, transform);
  for (let k = 0; k < X.data.length; k++)
    assert.ok(Math.abs(back.data[k] - X.data[k]) < 1e-12 * (1 + Math.abs(X.data[k])));
  assert.ok(
    transform.std[2] > 5 && transform.mean[2] > 15,
    "z of the Lorenz attractor: mean ≈ 23.5, std ≈ 8.6",
  );
});

test("new data use the fitted transform; a constant column gets std 1", () => {
  const X = { rows: 3, cols: 2, data: Float64Array.of(1, 5, 2, 5, 3, 5) };
  const { Z, transform } = standardize(X);
  assert.deepEqual(Array.from(transform.mean), [2, 5]);
  assert.deepEqual(Array.from(transform.std), [Math.sqrt(2 / 3), 1]);
  assert.deepEqual(Array.from(Z.data.filter((_, k) => k % 2 === 1)), [0, 0, 0]);
  const W = applyStandardization({ rows: 1, cols: 2, data: Float64Array.of(2, 6) }, transform);
  assert.deepEqual(Array.from(W.data), [0, 1]);
  assert.throws(
    () => applyStandardization({ rows: 1, cols: 3, data: new Float64Array(3) }, transform),
    /3 features/,
  );
});
