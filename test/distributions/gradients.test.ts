/**
 * Gradients of logProb and entropy with respect to every parameter against central finite
 * differences (float64), reparameterised sample gradients, and jit(valueAndGrad) parity.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Gamma, Normal, ZeroInflatedNegativeBinomial } from "../../src/distributions/index.js";
import { type Array, grad, jit, np, random, valueAndGrad } from "../../src/jax.js";
import { arr, type Case, DISTS, flat, loadFixture, paramsOf, shapeOf, values } from "./helpers.js";

const { cases } = loadFixture<{ cases: Case[] }>("distributions.json");
const label = (c: Case) => `${c.dist}(${Object.keys(c.params).join(", ")})`;

type Params = Record<string, Array>;
type Fn = (p: Params) => Array;

/** Parameters whose float64 evaluation goes through jax-js exp (float32-accurate): looser FD. */
const usesExp = (c: Case) => "logits" in c.params || "logRate" in c.params || "ziLogits" in c.params;

/** Compare grad of `f` (summed) with central differences for every element of every leaf. */
function checkGradient(c: Case, f: Fn, what: string) {
  const rough = usesExp(c);
  const base = c.params;
  const gradFn = jit(grad((p: Params) => f(p).sum()));
  const g = gradFn(paramsOf(c, np.float64));
  gradFn.dispose();
  const total = jit((p: Params) => f(p).sum()); // compiled once: many evaluations follow
  const eval64 = (name: string, i: number, delta: number) => {
    const p = paramsOf(c, np.float64);
    const v = flat(base[name]);
    v[i] += delta;
    p[name].dispose();
    p[name] = np.array(Float64Array.from(v), { dtype: np.float64, shape: shapeOf(base[name]) });
    return values(total(p))[0];
  };
  for (const name of Object.keys(base)) {
    const got = values(g[name]);
    const v = flat(base[name]);
    v.forEach((x, i) => {
      // step relative to the value, and to the distance from 1 for probabilities
      const size = name === "probs" ? Math.min(x, 1 - x) : Math.abs(x) || 1;
      if (size === 0) return; // probability 0 or 1: on the boundary, no two-sided difference
      const h = (rough ? 1e-3 : 1e-5) * size;
      const fd = (eval64(name, i, h) - eval64(name, i, -h)) / (2 * h);
      const tol = (rough ? 2e-3 : 1e-6) * (Math.abs(fd) + 1);
      assert.ok(
        Math.abs(got[i] - fd) <= tol,
        `${what}: d/d${name}[${i}] = ${got[i]}, finite difference ${fd}`,
      );
    });
  }
  total.dispose();
}

// one case per parameterisation (the batched MVN and Dirichlet cases are covered by their first case)
const seen = new Set<string>();
for (const c of cases) {
  if (seen.has(label(c))) continue;
  seen.add(label(c));
  const d = DISTS[c.dist];
  const xdt = c.dist === "Categorical" ? np.int32 : np.float64;
  // finite data only: -inf log-probabilities (a zero-probability class) have no gradient
  if (flat(c.logProb).some((v) => !Number.isFinite(v))) continue;

  test(`${label(c)}: grad logProb matches finite differences`, () => {
    checkGradient(c, (p) => d.logProb(p, arr(c.x, xdt)), "logProb");
  });

  const entropy = d.entropy;
  if (entropy && c.entropy !== undefined && !("probs" in c.params)) {
    test(`${label(c)}: grad entropy matches finite differences`, () => {
      checkGradient(c, (p) => entropy(p), "entropy");
    });
  }
}

test("Normal.sample is reparameterised: d mean(x)/d loc = 1, d mean(x)/d scale = mean(ε)", () => {
  const n = 1000;
  const meanSample = (p: Params) => Normal.sample({ loc: p.loc, scale: p.scale }, random.key(3), [n]).mean();
  const g = grad(meanSample)({ loc: arr(0.5), scale: arr(2) });
  assert.ok(Math.abs(values(g.loc)[0] - 1) < 1e-4); // float32 mean of 1000 ones
  const eps = values(Normal.sample({ loc: arr(0), scale: arr(1) }, random.key(3), [n]).mean())[0];
  assert.ok(Math.abs(values(g.scale)[0] - eps) < 1e-5);
});

test("Gamma.sample: gradient flows through the rate (scale family) and is zero for the concentration", () => {
  const f = (p: Params) => Gamma.sample({ concentration: p.a, rate: p.b }, random.key(4), [50]).mean();
  const g = grad(f)({ a: arr(2), b: arr(4) });
  const mean = values(Gamma.sample({ concentration: arr(2), rate: arr(4) }, random.key(4), [50]).mean())[0];
  assert.ok(Math.abs(values(g.b)[0] + mean / 4) < 1e-5, "d/d rate of mean(G/β) = -mean/β");
  assert.equal(values(g.a)[0], 0);
});

test("jit(valueAndGrad) of a ZINB loss equals the eager gradient (decoder-style use)", () => {
  const x = arr([
    [0, 3, 0, 12],
    [1, 0, 7, 0],
  ]);
  const loss = (p: Params, data: Array) =>
    ZeroInflatedNegativeBinomial.logProb(
      { mu: np.exp(p.logMu), theta: np.exp(p.logTheta), ziLogits: p.zi },
      data,
    )
      .sum()
      .neg();
  const params = () => ({
    logMu: arr([[0.5, 1, -1, 2]]),
    logTheta: arr([0.3, -0.5, 1, 0]),
    zi: arr([[-1, 0, 1, 2]]),
  });
  const step = jit(valueAndGrad(loss));
  const [v1, g1] = step(params(), x.ref);
  const [v2, g2] = valueAndGrad(loss)(params(), x);
  assert.ok(Math.abs(values(v1)[0] - values(v2)[0]) < 1e-4);
  for (const k of ["logMu", "logTheta", "zi"] as const) {
    const a = values(g1[k]);
    const b = values(g2[k]);
    a.forEach((v, i) => {
      assert.ok(Math.abs(v - b[i]) <= 1e-5 * (Math.abs(b[i]) + 1), `${k}[${i}]: ${v} vs ${b[i]}`);
    });
  }
  step.dispose();
});
