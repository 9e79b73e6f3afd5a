/**
 * logProb, entropy, mean and variance of every distribution against scipy.stats
 * (test/fixtures/distributions/generate.py), in float32 and float64, eager and under jit.
 */
import { test } from "node:test";
import { MultivariateNormal } from "../../src/distributions/index.js";
import { type Array, jit, np } from "../../src/jax.js";
import { arr, assertClose, type Case, DISTS, flat, loadFixture, paramsOf, values } from "./helpers.js";

const { cases } = loadFixture<{ cases: (Case & { logProbScvi?: number[][] })[] }>("distributions.json");

const label = (c: Case) => `${c.dist}(${Object.keys(c.params).join(", ")})`;
const dataOf = (c: Case, dtype: np.DType) => arr(c.x, c.dist === "Categorical" ? np.int32 : dtype);

// float32: cancellation between terms of size ~100 (Gamma with α = 50, NB with x = 500) costs ~2e-5
const F32 = { rtol: 1e-5, atol: 3e-5 };
// float64: exact where only log/lgamma/arithmetic are involved; jax-js's float64 exp (softplus,
// softmax, exp(logRate)) is float32-accurate; scvi's ε = 1e-8 moves NB/ZINB by ~3e-8 from scipy
function f64Tolerance(c: Case): { rtol: number; atol: number } {
  if ("logits" in c.params || "logRate" in c.params) return { rtol: 1e-6, atol: 1e-6 };
  if (c.dist === "NegativeBinomial" || c.dist === "ZeroInflatedNegativeBinomial")
    return { rtol: 1e-7, atol: 1e-7 };
  return { rtol: 1e-12, atol: 1e-11 };
}

for (const c of cases) {
  const d = DISTS[c.dist];

  test(`${label(c)}: logProb matches scipy in float32 and float64`, () => {
    assertClose(
      values(d.logProb(paramsOf(c, np.float32), dataOf(c, np.float32))),
      flat(c.logProb),
      F32.rtol,
      F32.atol,
      "f32",
    );
    const t = f64Tolerance(c);
    assertClose(
      values(d.logProb(paramsOf(c, np.float64), dataOf(c, np.float64))),
      flat(c.logProb),
      t.rtol,
      t.atol,
      "f64",
    );
  });

  if (c.logProbScvi) {
    const scvi = c.logProbScvi;
    test(`${label(c)}: logProb matches scvi-tools' formula (with its eps) in float64`, () => {
      const got = values(d.logProb(paramsOf(c, np.float64), dataOf(c, np.float64)));
      assertClose(got, flat(scvi), 1e-6, 1e-6, "f64 vs scvi");
      if ("ziLogits" in c.params) return; // softplus uses jax-js exp: float32-accurate
      assertClose(got, flat(scvi), 1e-12, 1e-11, "f64 vs scvi");
    });
  }

  test(`${label(c)}: jit(logProb) equals eager logProb`, () => {
    const f = jit((p: Record<string, Array>, x: Array) => d.logProb(p, x));
    const eager = values(d.logProb(paramsOf(c, np.float32), dataOf(c, np.float32)));
    assertClose(values(f(paramsOf(c, np.float32), dataOf(c, np.float32))), eager, 1e-6, 1e-6, "jit vs eager");
    f.dispose();
  });

  for (const key of ["entropy", "mean", "variance"] as const) {
    const want = c[key];
    const method = d[key];
    if (want === undefined || method === undefined) continue;
    test(`${label(c)}: ${key} matches scipy`, () => {
      assertClose(values(method(paramsOf(c, np.float32))), flat(want), F32.rtol, F32.atol, "f32");
      const t = f64Tolerance(c);
      assertClose(values(method(paramsOf(c, np.float64))), flat(want), t.rtol, t.atol, "f64");
    });
  }

  if (c.covariance !== undefined) {
    const want = c.covariance;
    test(`${label(c)}: covariance is L Lᵀ`, () => {
      const p = paramsOf(c, np.float64) as Parameters<typeof MultivariateNormal.covariance>[0];
      assertClose(values(MultivariateNormal.covariance(p)), flat(want), 1e-12, 1e-12, "covariance");
    });
  }
}
