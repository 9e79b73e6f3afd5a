import assert from "node:assert/strict";
import { test } from "node:test";
import {
  digamma,
  digammaF64,
  lgamma,
  lgammaDigammaValues,
  lgammaF64,
  lgammaPositive,
  stirlingCorrection,
  ZETA_MINUS_ONE,
} from "../../src/distributions/special.js";
import { type Array, grad, jit, np, random } from "../../src/jax.js";
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

test("lgamma float32 matches scipy gammaln to 5e-7 relative (absolute 1e-7 near the zeros 1, 2)", () => {
  const got = values(jit(lgamma)(f32(xs)));
  check("lgamma f32", got, fx.gammaln, (i) => {
    const x = xs[i];
    if (x < 0) return 1e-6 * lgScale(i);
    return x > 0.9 && x < 2.1 ? 5e-7 * Math.abs(fx.gammaln[i]) + 1e-7 : 5e-7 * Math.abs(fx.gammaln[i]);
  });
});

test("digamma float32 matches scipy to 5e-7 relative (absolute 1.5e-7 near its root 1.4616)", () => {
  const got = values(jit(digamma)(f32(xs)));
  check("digamma f32", got, fx.digamma, (i) => {
    const x = xs[i];
    if (x < 0) return 1e-6 * dgScale(i);
    return nearDigammaRoot(x) ? 5e-7 * Math.abs(fx.digamma[i]) + 1.5e-7 : 5e-7 * Math.abs(fx.digamma[i]);
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
    return 5e-7 * Math.abs(fx.digamma[i]) + 2e-7;
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

/** float32 points log-uniform on [1e-30, 1e30] and uniform on (0, 12], as JavaScript numbers. */
function denseGrid(): number[] {
  const u = values(random.uniform(random.key(7), [20000]));
  const grid = u.map((v, i) => (i % 2 === 0 ? 10 ** (-30 + 60 * v) : 12 * v + 1e-6));
  return globalThis.Array.from(Float32Array.from(grid));
}
const nearLgammaZero = (x: number) => x > 0.9 && x < 2.1;

test("lgammaPositive float32 (value and gradient) against lgammaF64/digammaF64 on 20,000 points", () => {
  const grid = denseGrid();
  const got = values(jit(lgammaPositive)(f32(grid)));
  const d = values(jit(grad((x: Array) => lgammaPositive(x).sum()))(f32(grid)));
  grid.forEach((x, i) => {
    const want = lgammaF64(x);
    const tol = 4e-7 * Math.abs(want) + (nearLgammaZero(x) ? 6e-8 : 0);
    assert.ok(Math.abs(got[i] - want) <= tol, `lgammaPositive(${x}) = ${got[i]}, want ${want}`);
    const psi = digammaF64(x);
    const dTol = 4e-7 * Math.abs(psi) + (nearDigammaRoot(x) ? 1.5e-7 : 0);
    assert.ok(Math.abs(d[i] - psi) <= dTol, `d lgammaPositive(${x}) = ${d[i]}, want ${psi}`);
  });
});

test("lgammaPositive: +inf at 0 and +inf with finite gradients; float64 equals lgamma for x > 0", () => {
  const special = f32([0, Number.POSITIVE_INFINITY]);
  assert.deepEqual(values(lgammaPositive(special.ref)), [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
  const g = values(jit(grad((x: Array) => lgammaPositive(x).sum()))(special));
  assert.deepEqual(g, [-3.4028234663852886e38, 0]);
  const pos = xs.filter((x) => x > 0);
  assert.deepEqual(values(jit(lgammaPositive)(f64(pos))), values(jit(lgamma)(f64(pos))));
});

test("lgammaDigammaValues: lgamma and ψ together, without a gradient", () => {
  const pos = xs.filter((x) => x > 0 && x < 1e30);
  for (const mk of [f32, f64]) {
    const both = jit(lgammaDigammaValues)(mk(pos));
    assert.deepEqual(values(both.lgamma), values(jit(lgammaPositive)(mk(pos))));
    const psi = values(both.digamma);
    const want = values(jit(digamma)(mk(pos)));
    psi.forEach((v, i) => {
      assert.ok(Math.abs(v - want[i]) <= 1e-6 * Math.abs(want[i]) + 1e-7, `x = ${pos[i]}`);
    });
    const g = values(grad((x: Array) => lgammaDigammaValues(x).lgamma.sum())(mk([0.5, 3])));
    assert.deepEqual(g, [0, 0]);
  }
});

test("grad of float32 digamma is trigamma (through the float32 formula)", () => {
  const pts = [1e-3, 0.3, 1, 1.4616, 2.5, 3.4, 3.6, 7.9, 10, 42, 1e3, -0.5, -2.7];
  const g = values(jit(grad((x: Array) => digamma(x).sum()))(f32(pts)));
  pts.forEach((x, i) => {
    const h = 1e-5 * Math.max(Math.abs(x), 1e-2);
    const fd = (digammaF64(x + h) - digammaF64(x - h)) / (2 * h);
    assert.ok(Math.abs(g[i] - fd) <= 1e-6 * Math.abs(fd), `x = ${x}: ${g[i]} vs ${fd}`);
  });
});
