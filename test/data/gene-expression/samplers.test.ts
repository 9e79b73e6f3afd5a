import assert from "node:assert/strict";
import { test } from "node:test";
import {
  logFactorial,
  sampleChiSquare,
  samplePoisson,
  sampleStandardGamma,
  uniformSource,
} from "../../../src/data/gene-expression/samplers.js";
import { random } from "../../../src/jax.js";

function moments(xs: Float64Array): [number, number] {
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) * (x - m);
  return [m, v / (xs.length - 1)];
}

function draws(seed: number, n: number, f: (src: ReturnType<typeof uniformSource>) => number): Float64Array {
  const src = uniformSource(random.key(seed), 4096);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(src);
  src.dispose();
  return out;
}

test("the uniform stream is reproducible, and a prefix does not depend on how far one reads", () => {
  const a = draws(3, 10_000, (s) => s.uniform());
  assert.deepEqual(
    draws(3, 10_000, (s) => s.uniform()),
    a,
  );
  assert.deepEqual(
    draws(3, 5_000, (s) => s.uniform()),
    a.subarray(0, 5_000),
  );
  assert.notDeepEqual(
    draws(4, 10, (s) => s.uniform()),
    a.subarray(0, 10),
  );
  const [m, v] = moments(a);
  assert.ok(Math.abs(m - 0.5) < 0.01 && Math.abs(v - 1 / 12) < 0.003, `uniform moments ${m}, ${v}`);
  const z = draws(4, 40_000, (s) => s.normal());
  const [zm, zv] = moments(z);
  assert.ok(Math.abs(zm) < 0.02 && Math.abs(zv - 1) < 0.03, `normal moments ${zm}, ${zv}`);
});

test("Gamma draws have mean a and variance a (shapes below and above 1); chi-square mean df", () => {
  const n = 40_000;
  for (const a of [0.05, 0.3, 1, 2.5, 50]) {
    const [m, v] = moments(draws(10, n, (s) => sampleStandardGamma(s, a)));
    // mean and variance within 4 standard errors (excess kurtosis of Gamma(a) is 6/a)
    assert.ok(Math.abs(m - a) < 4 * Math.sqrt(a / n), `Gamma(${a}) mean ${m}`);
    assert.ok(Math.abs(v / a - 1) < 4 * Math.sqrt((2 + 6 / a) / n), `Gamma(${a}) variance ${v}`);
  }
  const [m, v] = moments(draws(11, n, (s) => sampleChiSquare(s, 60)));
  assert.ok(Math.abs(m - 60) < 4 * Math.sqrt(120 / n) && Math.abs(v / 120 - 1) < 0.05, `chi2(60) ${m}, ${v}`);
});

test("Poisson draws: mean and variance λ on both branches (inversion < 10 <= PTRS), integers", () => {
  const n = 40_000;
  for (const lam of [0.02, 0.7, 4, 9.99, 10, 37, 2500]) {
    const xs = draws(20, n, (s) => samplePoisson(s, lam));
    assert.ok(
      xs.every((x) => Number.isInteger(x) && x >= 0),
      `Poisson(${lam}) integers`,
    );
    const [m, v] = moments(xs);
    assert.ok(Math.abs(m - lam) < 4 * Math.sqrt(lam / n), `Poisson(${lam}) mean ${m}`);
    // relative standard error of the sample variance of Poisson(λ): sqrt((1/λ + 2) / n)
    assert.ok(Math.abs(v / lam - 1) < 4 * Math.sqrt((1 / lam + 2) / n), `Poisson(${lam}) variance ${v}`);
  }
  // P(X = 0) for λ = 0.7 is exp(-0.7); a small-λ check on the pmf itself
  const zeros = draws(21, n, (s) => samplePoisson(s, 0.7)).filter((x) => x === 0).length / n;
  assert.ok(Math.abs(zeros - Math.exp(-0.7)) < 0.01, `P(0) ${zeros}`);
  const src = uniformSource(random.key(0));
  assert.equal(samplePoisson(src, 0), 0);
  src.dispose();
});

test("logFactorial: exact table below 256 and Stirling above agree with summed logs", () => {
  let acc = 0;
  for (let k = 1; k <= 2000; k++) {
    acc += Math.log(k);
    assert.ok(Math.abs(logFactorial(k) - acc) < 1e-9 * Math.max(1, acc), `log ${k}!`);
  }
  assert.equal(logFactorial(0), 0);
});

test("a bad block size is a ValueError", () => {
  assert.throws(() => uniformSource(random.key(0), 0), /uniformSource: blockSize must be a positive integer/);
});
