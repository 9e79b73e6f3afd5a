/**
 * The count log-densities (NB, ZINB, Poisson) attach their derivatives by formula; here those
 * derivatives are checked against jax-js autodiff of the direct formulas written with the
 * differentiable `log` / `lgamma` / `softplus` (float64, where both are exact to ~1e-15, and float32
 * against the float64 reference), including per-feature θ broadcast over a batch, zero counts,
 * both Poisson branches (x < 10 and x >= 10) and the logRate parameterisation.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { log, softplus } from "../../src/distributions/elementary.js";
import { logNbPositive, NB_EPS } from "../../src/distributions/negative-binomial.js";
import { poissonLogPmf } from "../../src/distributions/poisson.js";
import { lgamma } from "../../src/distributions/special.js";
import { logZinbPositive } from "../../src/distributions/zero-inflated-negative-binomial.js";
import { type Array, type DType, grad, jit, np, random } from "../../src/jax.js";
import { values } from "./helpers.js";

const B = 6;
const D = 40;

/** Counts [B, D] (a quarter of them 0, some above 10), μ [B, D], θ [D] (per feature), logits [B, D]. */
function inputs(dtype: DType): Record<string, Array> {
  const ks = random.split(random.key(3), 5);
  const base = np.floor(np.exp(random.normal(ks.ref.slice(0), [B, D]).mul(1.5)));
  const zero = random.uniform(ks.ref.slice(1), [B, D]).less(0.25);
  return {
    x: np.where(zero, 0, base).astype(dtype),
    mu: np.exp(random.normal(ks.ref.slice(2), [B, D]).mul(2)).astype(dtype),
    theta: np.exp(random.normal(ks.ref.slice(3), [D]).mul(1.5)).astype(dtype),
    pi: random.normal(ks.slice(4), [B, D]).mul(2).astype(dtype),
  };
}

function nbReference(x: Array, mu: Array, theta: Array): Array {
  const eps = np.full([], NB_EPS, { dtype: x.dtype });
  const logTotal = log(theta.ref.add(mu.ref).add(eps.ref));
  return theta.ref
    .mul(log(theta.ref.add(eps.ref)).sub(logTotal.ref))
    .add(x.ref.mul(log(mu.add(eps)).sub(logTotal)))
    .add(lgamma(x.ref.add(theta.ref)))
    .sub(lgamma(theta))
    .sub(lgamma(x.add(1)));
}

function zinbReference(x: Array, mu: Array, theta: Array, pi: Array): Array {
  const eps = np.full([], NB_EPS, { dtype: x.dtype });
  const thetaTerm = theta.ref.mul(log(theta.ref.add(eps.ref)).sub(log(theta.ref.add(mu.ref).add(eps))));
  const spNeg = softplus(pi.ref.neg());
  const zeroCase = softplus(thetaTerm.sub(pi.ref)).sub(spNeg.ref);
  const nonZero = nbReference(x.ref, mu, theta).sub(spNeg).sub(pi);
  return np.where(x.less(NB_EPS), zeroCase, nonZero);
}

function poissonReference(x: Array, rate: Array): Array {
  return x.ref
    .mul(log(rate.ref))
    .sub(rate)
    .sub(lgamma(x.add(1)));
}

type Fn = (...args: Array[]) => Array;

/** Values and gradients (every argument) of `sum(f)`, as flat number arrays. */
function valueAndGrads(f: Fn, args: Array[]): { value: number[]; grads: number[][] } {
  const n = args.length;
  const argnums = globalThis.Array.from({ length: n }, (_, i) => i);
  const g = jit(grad((...a: Array[]) => f(...a).sum(), { argnums } as never))(...args.map((a) => a.ref)) as
    | Array
    | Array[];
  const grads = (globalThis.Array.isArray(g) ? g : [g]).map((a) => values(a));
  return { value: values(jit(f)(...args)), grads };
}

function compare(
  name: string,
  got: ReturnType<typeof valueAndGrads>,
  want: ReturnType<typeof valueAndGrads>,
  rtol: number,
) {
  const close = (a: number[], b: number[], what: string) =>
    b.forEach((w, i) => {
      assert.ok(Math.abs(a[i] - w) <= rtol * (1 + Math.abs(w)), `${name} ${what}[${i}]: ${a[i]} vs ${w}`);
    });
  close(got.value, want.value, "value");
  want.grads.forEach((w, k) => {
    close(got.grads[k], w, `d/darg${k}`);
  });
}

const pick = (inp: Record<string, Array>, names: string[]) => names.map((n) => inp[n]);

test("logNbPositive: formula derivatives (μ, θ per feature, x) equal autodiff of the direct formula", () => {
  const ref = valueAndGrads(nbReference, pick(inputs(np.float64), ["x", "mu", "theta"]));
  compare("NB f64", valueAndGrads(logNbPositive, pick(inputs(np.float64), ["x", "mu", "theta"])), ref, 1e-12);
  compare("NB f32", valueAndGrads(logNbPositive, pick(inputs(np.float32), ["x", "mu", "theta"])), ref, 2e-5);
});

test("logZinbPositive: formula derivatives (μ, θ, logits, x) equal autodiff, zero and non-zero counts", () => {
  const names = ["x", "mu", "theta", "pi"];
  const ref = valueAndGrads(zinbReference, pick(inputs(np.float64), names));
  // float64 exp (softplus, sigmoid) is float32-accurate in jax-js: 1e-6 then
  compare("ZINB f64", valueAndGrads(logZinbPositive, pick(inputs(np.float64), names)), ref, 1e-6);
  compare("ZINB f32", valueAndGrads(logZinbPositive, pick(inputs(np.float32), names)), ref, 2e-5);
});

test("poissonLogPmf: formula derivatives (rate, x) equal autodiff, both branches; logRate gets x", () => {
  const inp = inputs(np.float64);
  const rate = inp.mu.ref.mul(5);
  const ref = valueAndGrads(poissonReference, [inp.x.ref, rate.ref]);
  compare(
    "Poisson f64",
    valueAndGrads((x, r) => poissonLogPmf(x, r), [inp.x.ref, rate.ref]),
    ref,
    1e-10,
  );
  const x32 = inp.x.ref.astype(np.float32);
  compare(
    "Poisson f32",
    valueAndGrads((x, r) => poissonLogPmf(x, r), [x32, rate.ref.astype(np.float32)]),
    ref,
    2e-5,
  );
  // logRate: d/dlogRate of the sum through rate = exp(logRate) is x - λ
  const logRate = log(rate.ref);
  const g = valueAndGrads((x, lr) => poissonLogPmf(x, np.exp(lr.ref), lr), [inp.x.ref, logRate]);
  const want = values(inp.x.sub(rate));
  g.grads[1].forEach((v, i) => {
    assert.ok(Math.abs(v - want[i]) <= 1e-6 * (1 + Math.abs(want[i])), `d/dlogRate[${i}]`);
  });
  for (const a of [inp.mu, inp.theta, inp.pi]) a.dispose();
});

test("the formula derivatives stay finite at rate 0, zero counts and tiny θ", () => {
  const x = np.array(Float32Array.from([0, 3, 0, 12]));
  const rate = np.array(Float32Array.from([0, 0, 2, 0]));
  const d = values(jit(grad((r: Array) => poissonLogPmf(x.ref, r).sum()))(rate));
  assert.deepEqual(d.slice(0, 1), [-1]);
  assert.ok(
    d.every((v) => !Number.isNaN(v)),
    `${d}`,
  );
  const g = values(
    jit(grad((t: Array) => logNbPositive(x.ref, np.full([4], 2), t).sum()))(np.full([4], 1e-30)),
  );
  assert.ok(
    g.every((v) => Number.isFinite(v)),
    `${g}`,
  );
  x.dispose();
});
