import assert from "node:assert/strict";
import { test } from "node:test";
import {
  digamma,
  digammaF64,
  lgamma,
  lgammaF64,
  stirlingCorrection,
  ZETA_MINUS_ONE,
} from "../../src/distributions/special.js";
import { type Array, grad, jit, np } from "../../src/jax.js";
import { loadFixture, values } from "./helpers.js";

type SpecialFixture = { x: number[]; gammaln: number[]; digamma: number[]; zetac: number[] };
const fx = loadFixture<SpecialFixture>("special.json");
const xs = fx.x;

const f32 = (v: number[]) => np.array(Float32Array.from(v));
const f64 = (v: number[]) => np.array(Float64Array.from(v), { dtype: np.float64 });

/** Largest `err / tol` over the grid, with the worst point, for a readable failure message. */
function worst(got: number[], tol: (i: number) => number, want: number[]): { ratio: number; at: number } {
  let ratio = 0;
  let at = Number.NaN;
  for (let i = 0; i < want.length; i++) {
    const r = Math.abs(got[i] - want[i]) / tol(i);
    if (!(r <= ratio)) {
      ratio = r;
      at = xs[i];
    }
  }
  return { ratio, at };
}

function check(name: string, got: number[], want: number[], tol: (i: number) => number) {
  const w = worst(got, tol, want);
  assert.ok(w.ratio <= 1, `${name}: error ${w.ratio.toFixed(2)}x tolerance at x = ${w.at}`);
}

// scale of the terms that cancel in the reflection formula, for x < 0
const lgScale = (i: number) => Math.abs(fx.gammaln[i]) + Math.abs(lgammaF64(1 - xs[i])) + 1;
const dgScale = (i: number) => Math.abs(fx.digamma[i]) + Math.abs(digammaF64(1 - xs[i])) + 1;
const nearDigammaRoot = (x: number) => Math.abs(x - 1.4616321449683622) < 0.2;

test("ζ(k) - 1 coefficients match scipy.special.zetac", () => {
  assert.equal(ZETA_MINUS_ONE.length, fx.zetac.length);
  ZETA_MINUS_ONE.forEach((v, i) => {
    assert.ok(Math.abs(v - fx.zetac[i]) <= 1e-16 * fx.zetac[i], `k = ${i + 2}`);
  });
});

test("lgamma float32 matches scipy gammaln to 1e-6 relative (absolute near the zeros 1, 2)", () => {
  const got = values(jit(lgamma)(f32(xs)));
  check("lgamma f32", got, fx.gammaln, (i) => {
    const x = xs[i];
    if (x < 0) return 1e-6 * lgScale(i);
    return x > 0.9 && x < 2.1 ? 1e-6 * Math.abs(fx.gammaln[i]) + 1e-7 : 1e-6 * Math.abs(fx.gammaln[i]);
  });
});

test("digamma float32 matches scipy to 1e-6 relative (absolute 2e-7 near its root 1.4616)", () => {
  const got = values(jit(digamma)(f32(xs)));
  check("digamma f32", got, fx.digamma, (i) => {
    const x = xs[i];
    if (x < 0) return 1e-6 * dgScale(i);
    return nearDigammaRoot(x) ? 1e-6 * Math.abs(fx.digamma[i]) + 2e-7 : 1e-6 * Math.abs(fx.digamma[i]);
  });
});

test("eager and jit lgamma/digamma agree in float32", () => {
  const sub = xs.filter((_, i) => i % 7 === 0);
  for (const f of [lgamma, digamma]) {
    const a = values(f(f32(sub)));
    const b = values(jit(f)(f32(sub)));
    a.forEach((v, i) => {
      assert.ok(Math.abs(v - b[i]) <= 2e-7 * (Math.abs(v) + 1), `x = ${sub[i]}: ${v} vs ${b[i]}`);
    });
  }
});

test("lgamma/digamma on float64 arrays: 1e-12 for x > 0; reflection limited by jax-js sin", () => {
  const lg = values(jit(lgamma)(f64(xs)));
  const dg = values(jit(digamma)(f64(xs)));
  check("lgamma f64", lg, fx.gammaln, (i) =>
    xs[i] > 0 ? 1e-12 * Math.abs(fx.gammaln[i]) + 1e-14 : 1e-6 * lgScale(i),
  );
  check("digamma f64", dg, fx.digamma, (i) =>
    xs[i] > 0 ? 1e-12 * Math.abs(fx.digamma[i]) + 1e-14 : 1e-6 * dgScale(i),
  );
});

test("lgammaF64/digammaF64 (plain numbers) match scipy to 1e-12", () => {
  check(
    "lgammaF64",
    xs.map(lgammaF64),
    fx.gammaln,
    (i) => 1e-12 * (xs[i] > 0 ? Math.abs(fx.gammaln[i]) : lgScale(i)) + 1e-15,
  );
  check(
    "digammaF64",
    xs.map(digammaF64),
    fx.digamma,
    (i) => 1e-12 * (xs[i] > 0 ? Math.abs(fx.digamma[i]) : dgScale(i)) + 1e-15,
  );
});

test("special values: poles, zeros and limits", () => {
  assert.deepEqual(
    values(lgamma(f32([0, -1, -2, Number.POSITIVE_INFINITY]))),
    new globalThis.Array<number>(4).fill(Number.POSITIVE_INFINITY),
  );
  assert.deepEqual(values(lgamma(f32([1, 2]))), [0, 0]);
  assert.equal(lgammaF64(0), Number.POSITIVE_INFINITY);
  assert.equal(lgammaF64(-3), Number.POSITIVE_INFINITY);
  assert.equal(lgammaF64(1), 0);
  assert.ok(Number.isNaN(digammaF64(-2)));
  assert.ok(Math.abs(digammaF64(1) + 0.5772156649015329) < 1e-15);
  const big = values(lgamma(f32([1e30])))[0];
  assert.ok(Math.abs(big / lgammaF64(1e30) - 1) < 1e-6);
});

test("grad of lgamma is digamma (float32 and float64)", () => {
  const g32 = values(jit(grad((x: Array) => lgamma(x).sum()))(f32(xs)));
  check("d lgamma f32", g32, fx.digamma, (i) => {
    const x = xs[i];
    if (x < 0) return 2e-6 * dgScale(i);
    return 2e-6 * Math.abs(fx.digamma[i]) + 4e-7;
  });
  const pos = xs.map((x, i) => [x, i]).filter(([x]) => x > 0);
  const g64 = values(jit(grad((x: Array) => lgamma(x).sum()))(f64(pos.map(([x]) => x))));
  g64.forEach((g, j) => {
    const want = fx.digamma[pos[j][1]];
    assert.ok(Math.abs(g - want) <= 1e-11 * Math.abs(want) + 1e-13, `x = ${pos[j][0]}: ${g} vs ${want}`);
  });
});

test("grad of digamma is trigamma (central differences of digammaF64)", () => {
  const pts = [1e-3, 0.3, 1, 1.4616, 2.5, 7.9, 10, 42, 1e3, -0.5, -2.7];
  const g = values(grad((x: Array) => digamma(x).sum())(f64(pts)));
  pts.forEach((x, i) => {
    const h = 1e-5 * Math.max(Math.abs(x), 1e-2);
    const fd = (digammaF64(x + h) - digammaF64(x - h)) / (2 * h);
    assert.ok(Math.abs(g[i] - fd) <= 1e-6 * Math.abs(fd), `x = ${x}: ${g[i]} vs ${fd}`);
  });
});

test("stirlingCorrection equals lgamma(x+1) - (x log x - x + ½ log 2πx) for x >= 10", () => {
  const pts = [10, 13.5, 100, 1e4];
  const got = values(stirlingCorrection(f64(pts)));
  pts.forEach((x, i) => {
    const want = lgammaF64(x + 1) - (x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x));
    assert.ok(Math.abs(got[i] - want) <= 1e-12 * Math.abs(x * Math.log(x)), `x = ${x}`);
  });
});
