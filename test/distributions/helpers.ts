/** Shared helpers for the distribution tests: fixtures, array construction, tolerances. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Distribution } from "../../src/distributions/distribution.js";
import * as D from "../../src/distributions/index.js";
import { type Array, type DType, np } from "../../src/jax.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/distributions/", import.meta.url));

/** Read a fixture JSON (a missing file fails the test), decoding "inf"/"-inf"/"nan" strings. */
export function loadFixture<T>(name: string): T {
  const text = readFileSync(`${FIXTURES}${name}`, "utf8");
  return JSON.parse(text, (_k, v) => {
    if (v === "inf") return Number.POSITIVE_INFINITY;
    if (v === "-inf") return Number.NEGATIVE_INFINITY;
    if (v === "nan") return Number.NaN;
    return v;
  }) as T;
}

export type Nested = number | Nested[];

export type Case = {
  dist: string;
  params: Record<string, Nested>;
  x: Nested;
  logProb: Nested;
  entropy?: Nested;
  mean?: Nested;
  variance?: Nested;
  covariance?: Nested;
};

/** The distribution records by name, typed loosely for table-driven tests. */
export const DISTS: Record<string, Distribution<Record<string, Array>>> = {
  Normal: D.Normal,
  MultivariateNormal: D.MultivariateNormal,
  Bernoulli: D.Bernoulli,
  Categorical: D.Categorical,
  Poisson: D.Poisson,
  NegativeBinomial: D.NegativeBinomial,
  ZeroInflatedNegativeBinomial: D.ZeroInflatedNegativeBinomial,
  Gamma: D.Gamma,
  Dirichlet: D.Dirichlet,
} as unknown as Record<string, Distribution<Record<string, Array>>>;

export function flat(v: Nested): number[] {
  return globalThis.Array.isArray(v) ? v.flatMap(flat) : [v];
}

export function shapeOf(v: Nested): number[] {
  return globalThis.Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : [];
}

/** A jax array of `dtype` holding the nested list `v`. */
export function arr(v: Nested, dtype: DType = np.float32): Array {
  const values = flat(v);
  const shape = shapeOf(v);
  if (dtype === np.float64) return np.array(Float64Array.from(values), { dtype, shape });
  if (dtype === np.int32) return np.array(Int32Array.from(values), { dtype, shape });
  return np.array(Float32Array.from(values), { dtype, shape });
}

/** Params record of arrays for a fixture case. */
export function paramsOf(c: Case, dtype: DType): Record<string, Array> {
  return Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, arr(v, dtype)]));
}

/** Read an array's values as float64 (consumes it). */
export function values(x: Array): number[] {
  return globalThis.Array.from(x.dataSync() as ArrayLike<number>);
}

/** Assert |got - want| <= atol + rtol |want| elementwise (infinities must match exactly). */
export function assertClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  rtol: number,
  atol: number,
  what: string,
) {
  assert.equal(got.length, want.length, `${what}: length ${got.length} vs ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (!Number.isFinite(w)) {
      assert.equal(g, w, `${what}[${i}]: got ${g}, want ${w}`);
      continue;
    }
    const err = Math.abs(g - w);
    assert.ok(
      err <= atol + rtol * Math.abs(w),
      `${what}[${i}]: got ${g}, want ${w} (error ${err.toExponential(2)})`,
    );
  }
}

/** Sample mean and (population) variance of a flat list with `stride` interleaved series. */
export function moments(xs: ArrayLike<number>, stride = 1): { mean: number[]; variance: number[] } {
  const n = xs.length / stride;
  const mean = new globalThis.Array<number>(stride).fill(0);
  const variance = new globalThis.Array<number>(stride).fill(0);
  for (let i = 0; i < xs.length; i++) mean[i % stride] += xs[i] / n;
  for (let i = 0; i < xs.length; i++) variance[i % stride] += (xs[i] - mean[i % stride]) ** 2 / n;
  return { mean, variance };
}
