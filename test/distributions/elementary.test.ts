/**
 * The accurate elementary functions of src/distributions/elementary.ts against JavaScript's
 * correctly rounded-ish Math.log / Math.log1p (float64, well under a float32 ulp): values in ulps of
 * the float32 result over dense grids (subnormals included), special values, and derivatives
 * (first and second) against closed forms.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { log, log1p, logPositive, materialize, polyval, select } from "../../src/distributions/elementary.js";
import { type Array, grad, jit, np, random } from "../../src/jax.js";
import { values } from "./helpers.js";

const f32 = (v: ArrayLike<number>) => np.array(Float32Array.from(v));
const f64 = (v: ArrayLike<number>) => np.array(Float64Array.from(v), { dtype: np.float64 });

/** Error of `got` in units of the float32 ulp of `want` (an exact 0 must be hit exactly). */
function ulps32(got: number, want: number): number {
  if (want === 0) return got === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.abs(got - want) / 2 ** (Math.floor(Math.log2(Math.abs(want))) - 23);
}

/** Largest error over `xs` by `err`, with the worst point, as a readable assertion. */
function assertMax(name: string, xs: ArrayLike<number>, err: (i: number) => number, bound: number) {
  let worst = 0;
  let at = Number.NaN;
  for (let i = 0; i < xs.length; i++) {
    const e = err(i);
    if (!(e <= worst)) {
      worst = e;
      at = xs[i];
    }
  }
  assert.ok(worst <= bound, `${name}: error ${worst} > ${bound} at x = ${at}`);
}

/** float32 inputs spread log-uniformly over [2^-149, 2^128), plus values near 1 and 2. */
function logGrid(n: number): Float32Array {
  const u = values(random.uniform(random.key(11), [n]));
  const grid = Float32Array.from(u, (v) => 2 ** (-149 + 277 * v));
  for (let i = 0; i < 2000; i++) grid[i] = 0.5 + (1.5 * i) / 2000; // [0.5, 2)
  for (let i = 0; i < 200; i++) grid[2000 + i] = 1 + (i - 100) * 2 ** -23; // around 1
  return grid;
}

test("float32 log: < 1 ulp over (0, 3.4e38) including subnormals", () => {
  const xs = logGrid(60000).filter((x) => x > 0 && Number.isFinite(x));
  const got = values(jit(log)(f32(xs)));
  assertMax("log f32", xs, (i) => ulps32(got[i], Math.log(xs[i])), 1);
  const pos = values(jit(logPositive)(f32(xs)));
  assertMax("logPositive f32", xs, (i) => ulps32(pos[i], Math.log(xs[i])), 1);
});

test("float64 log and logPositive: ~1e-16 relative from 1e-300 to 1e300", () => {
  const u = values(random.uniform(random.key(12), [5000]));
  const xs = u.map((v) => 10 ** (-300 + 600 * v));
  xs.push(1, 2, 0.5, 1 + 2 ** -52, 1 - 2 ** -53, Number.MIN_VALUE, Number.MAX_VALUE);
  for (const [name, f] of [
    ["log", log],
    ["logPositive", logPositive],
  ] as const) {
    const got = values(jit(f)(f64(xs)));
    assertMax(
      `${name} f64`,
      xs,
      (i) => Math.abs(got[i] - Math.log(xs[i])) / Math.max(Math.abs(Math.log(xs[i])), 1e-300),
      5e-16,
    );
  }
});

test("log: special values, and the derivatives 1/x and -1/x² (float32 and float64)", () => {
  for (const mk of [f32, f64]) {
    assert.deepEqual(values(log(mk([0, -1, Number.POSITIVE_INFINITY, Number.NaN]))), [
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NaN,
    ]);
    const pts = [1e-10, 0.1, 1, 3, 7.5e5];
    const d1 = values(jit(grad((x: Array) => log(x).sum()))(mk(pts)));
    const d2 = values(jit(grad((x: Array) => grad((y: Array) => log(y).sum())(x).sum()))(mk(pts)));
    pts.forEach((x, i) => {
      assert.ok(Math.abs(d1[i] * x - 1) < 1e-6, `d log at ${x}: ${d1[i]}`);
      assert.ok(Math.abs(d2[i] * x * x + 1) < 1e-5, `d² log at ${x}: ${d2[i]}`);
    });
    assert.equal(values(grad((x: Array) => log(x).sum())(mk([0])))[0], Number.POSITIVE_INFINITY);
  }
});

test("float32 log1p: < 3 ulp from -1 to 1e30, exact for tiny y; specials; derivative 1/(1+y)", () => {
  const u = values(random.uniform(random.key(13), [40000]));
  const ys = u.map((v, i) => {
    const mag = 10 ** (-30 + 60 * v);
    return i % 3 === 0 ? -Math.min(mag, 1 - 2 ** -24) : mag;
  });
  for (let i = 0; i < 2000; i++) ys.push(-1 + (2 * i) / 2000, (i - 1000) * 2 ** -30);
  const xs = Float32Array.from(ys);
  const got = values(jit(log1p)(f32(xs)));
  assertMax("log1p f32", xs, (i) => ulps32(got[i], Math.log1p(xs[i])), 3);
  assert.deepEqual(values(log1p(f32([-1, -2, Number.POSITIVE_INFINITY, 0, 1e-30]))), [
    Number.NEGATIVE_INFINITY,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    0,
    Math.fround(1e-30),
  ]);
  const pts = [-0.5, 0, 1e-20, 3, 1e6];
  const d = values(jit(grad((y: Array) => log1p(y).sum()))(f32(pts)));
  pts.forEach((y, i) => {
    assert.ok(Math.abs(d[i] * (1 + y) - 1) < 1e-6, `d log1p at ${y}: ${d[i]}`);
  });
});

test("float64 log1p keeps its series: ~1e-16 relative, tiny y exact", () => {
  const ys = [1e-300, -1e-17, 1e-9, -0.2, 0.4, 3, 1e200, -1 + 2 ** -40];
  const got = values(jit(log1p)(f64(ys)));
  ys.forEach((y, i) => {
    const want = Math.log1p(y);
    assert.ok(Math.abs(got[i] - want) <= 5e-16 * Math.abs(want), `log1p(${y}) = ${got[i]}, want ${want}`);
  });
});

test("polyval evaluates c0 + c1 x + ... by Horner's rule, also for one or two coefficients", () => {
  const xs = [-2, -0.5, 0, 0.25, 3];
  for (const coeffs of [[1.5], [1, -2], [0.5, -1, 0.25, 2, -0.125]]) {
    const got = values(jit((x: Array) => polyval(coeffs, x))(f64(xs)));
    xs.forEach((x, i) => {
      const want = coeffs.reduceRight((acc, c) => acc * x + c, 0);
      assert.ok(Math.abs(got[i] - want) <= 1e-15 * (1 + Math.abs(want)), `${coeffs} at ${x}`);
    });
  }
});

test("materialize leaves values and gradients unchanged", () => {
  const x = f32([0.5, -1, 2]);
  assert.deepEqual(values(materialize(x.ref)), values(x.ref));
  const f = (a: Array) => np.broadcastTo(materialize(a.ref.mul(a)), [4, 3]).sum();
  assert.deepEqual(values(jit(grad(f))(x)), [4, -8, 16]);
});

test("select equals np.where bit for bit (float32 through int32 bits, float64 directly)", () => {
  const a = [1.5, -0, Number.POSITIVE_INFINITY, Number.NaN, 1e-40, -3];
  const b = [2, 0, -1, 7, Number.NEGATIVE_INFINITY, 1e30];
  const c = [true, false, true, false, true, false];
  for (const mk of [f32, f64]) {
    const cond = () => np.array(c);
    const got = values(jit((k: Array, x: Array, y: Array) => select(k, x, y))(cond(), mk(a), mk(b)));
    const want = values(np.where(cond(), mk(a), mk(b)));
    assert.deepEqual(got.map(Object.is.bind(null, 0)), want.map(Object.is.bind(null, 0)));
    assert.deepEqual(got, want);
    assert.deepEqual(values(select(cond(), mk(a), 2.5)), values(np.where(cond(), mk(a), 2.5)));
  }
});
