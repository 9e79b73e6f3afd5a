/**
 * Fixed-key statistical checks of every sampler (moments, frequencies against the pmf), shapes,
 * determinism, jit parity, and that probability masses sum to 1 over a truncated support.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  Bernoulli,
  Categorical,
  Dirichlet,
  Gamma,
  MultivariateNormal,
  NegativeBinomial,
  Normal,
  Poisson,
  ZeroInflatedNegativeBinomial,
} from "../../src/distributions/index.js";
import { digammaF64, lgammaF64 } from "../../src/distributions/special.js";
import { type Array, jit, np, random } from "../../src/jax.js";
import { arr, moments, values } from "./helpers.js";

const N = 20000;
const key = (seed: number) => random.key(seed);

/** Assert a sample mean is within `z` standard errors of `mean` (variance `variance`). */
function assertMean(got: number, mean: number, variance: number, what: string, z = 4.5) {
  const se = Math.sqrt(variance / N);
  assert.ok(Math.abs(got - mean) <= z * se, `${what}: sample mean ${got}, want ${mean} ± ${z * se}`);
}

function assertRel(got: number, want: number, rtol: number, what: string) {
  assert.ok(Math.abs(got - want) <= rtol * Math.abs(want), `${what}: ${got} vs ${want} (rtol ${rtol})`);
}

/** Empirical frequencies of integer values 0..K-1 in `xs`. */
function frequencies(xs: number[], k: number): number[] {
  const f = new globalThis.Array<number>(k).fill(0);
  for (const x of xs) if (x < k) f[x] += 1 / xs.length;
  return f;
}

test("Normal: sample shape, moments, determinism and reparameterisation", () => {
  const p = () => ({ loc: arr([0, 2]), scale: arr([1, 0.5]) });
  const s = Normal.sample(p(), key(0), [N]);
  assert.deepEqual(s.shape, [N, 2]);
  const xs = values(s);
  const m = moments(xs, 2);
  assertMean(m.mean[0], 0, 1, "mean[0]");
  assertMean(m.mean[1], 2, 0.25, "mean[1]");
  assertRel(m.variance[0], 1, 0.05, "var[0]");
  assertRel(m.variance[1], 0.25, 0.05, "var[1]");
  assert.deepEqual(values(Normal.sample(p(), key(0), [5])), values(Normal.sample(p(), key(0), [5])));
  assert.notDeepEqual(values(Normal.sample(p(), key(0), [5])), values(Normal.sample(p(), key(1), [5])));
  assert.deepEqual(Normal.sample(p(), key(2)).shape, [2]);
});

test("MultivariateNormal: sample covariance matches L Lᵀ (unbatched and batched)", () => {
  const L = [
    [1.5, 0, 0],
    [0.6, 0.8, 0],
    [-0.4, 0.3, 0.5],
  ];
  const s = MultivariateNormal.sample({ loc: arr([0.5, -1, 2]), scaleTril: arr(L) }, key(3), [N]);
  assert.deepEqual(s.shape, [N, 3]);
  const xs = values(s);
  const m = moments(xs, 3);
  const cov = [0, 1, 2].map((i) => [0, 1, 2].map((j) => L[i].reduce((acc, v, k) => acc + v * L[j][k], 0)));
  [0.5, -1, 2].forEach((mu, i) => {
    assertMean(m.mean[i], mu, cov[i][i], `mean[${i}]`);
  });
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let c = 0;
      for (let n = 0; n < N; n++) c += ((xs[3 * n + i] - m.mean[i]) * (xs[3 * n + j] - m.mean[j])) / N;
      assert.ok(
        Math.abs(c - cov[i][j]) <= 0.05 * Math.sqrt(cov[i][i] * cov[j][j]),
        `cov[${i}][${j}] ${c} vs ${cov[i][j]}`,
      );
    }
  }
  const batched = MultivariateNormal.sample(
    {
      loc: arr([
        [0, 0, 0],
        [1, 2, 3],
      ]),
      covariance: arr([
        [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        [
          [4, 0, 0],
          [0, 4, 0],
          [0, 0, 4],
        ],
      ]),
    },
    key(4),
    [N / 4],
  );
  assert.deepEqual(batched.shape, [N / 4, 2, 3]);
  const mb = moments(values(batched), 6);
  assertRel(mb.variance[3], 4, 0.1, "batch 1 variance");
  assertRel(mb.variance[0], 1, 0.1, "batch 0 variance");
});

test("Bernoulli and Categorical: frequencies match the probabilities", () => {
  const b = values(Bernoulli.sample({ logits: arr([-2, 0, 3]) }, key(5), [N]));
  const mb = moments(b, 3);
  [-2, 0, 3].forEach((l, i) => {
    const p = 1 / (1 + Math.exp(-l));
    assertMean(mb.mean[i], p, p * (1 - p), `Bernoulli p[${i}]`);
  });
  const probs = [0.1, 0.0, 0.6, 0.3];
  const c = Categorical.sample({ probs: arr(probs) }, key(6), [N]);
  assert.equal(c.dtype, np.int32);
  const f = frequencies(values(c), 4);
  probs.forEach((p, i) => {
    assertMean(f[i], p, p * (1 - p) + 1e-12, `Categorical p[${i}]`);
  });
});

test("Poisson: moments and pmf frequencies on both sides of the inversion/PTRS switch", () => {
  const rates = [0.5, 3, 9.5, 10, 25, 1000];
  const s = values(Poisson.sample({ rate: arr(rates) }, key(7), [N]));
  assert.ok(s.every((v) => Number.isInteger(v) && v >= 0));
  const m = moments(s, rates.length);
  rates.forEach((r, i) => {
    assertMean(m.mean[i], r, r, `mean λ=${r}`);
    assertRel(m.variance[i], r, 0.06, `variance λ=${r}`);
  });
  for (const [i, r] of [[1, 3] as const, [4, 25] as const]) {
    const col = s.filter((_, n) => n % rates.length === i);
    const f = frequencies(col, 60);
    for (let k = 0; k < 60; k++) {
      const pmf = Math.exp(k * Math.log(r) - r - lgammaF64(k + 1));
      assert.ok(Math.abs(f[k] - pmf) <= 4.5 * Math.sqrt(pmf / N) + 1e-4, `λ=${r}, k=${k}: ${f[k]} vs ${pmf}`);
    }
  }
});

test("NegativeBinomial and ZINB: moments and zero fractions", () => {
  const mu = [2, 30];
  const theta = [0.5, 5];
  const nb = values(NegativeBinomial.sample({ mu: arr(mu), theta: arr(theta) }, key(8), [N]));
  const m = moments(nb, 2);
  mu.forEach((u, i) => {
    const v = u + (u * u) / theta[i];
    assertMean(m.mean[i], u, v, `NB mean[${i}]`);
    assertRel(m.variance[i], v, 0.12, `NB variance[${i}]`);
    const zeros = nb.filter((x, n) => n % 2 === i && x === 0).length / N;
    const p0 = (theta[i] / (theta[i] + u)) ** theta[i];
    assertMean(zeros, p0, p0 * (1 - p0), `NB P(0)[${i}]`);
  });
  const zi = [-1, 2];
  const z = values(
    ZeroInflatedNegativeBinomial.sample({ mu: arr(mu), theta: arr(theta), ziLogits: arr(zi) }, key(9), [N]),
  );
  const mz = moments(z, 2);
  mu.forEach((u, i) => {
    const pi = 1 / (1 + Math.exp(-zi[i]));
    const p0 = pi + (1 - pi) * (theta[i] / (theta[i] + u)) ** theta[i];
    const zeros = z.filter((x, n) => n % 2 === i && x === 0).length / N;
    assertMean(zeros, p0, p0 * (1 - p0), `ZINB P(0)[${i}]`);
    const v = (1 - pi) * u * (1 + u / theta[i] + pi * u);
    assertMean(mz.mean[i], (1 - pi) * u, v, `ZINB mean[${i}]`);
  });
});

test("Gamma: mean, variance and E[log X] = ψ(α) - log β, also for α < 1", () => {
  const a = [0.3, 1, 4.5, 50];
  const b = [1, 2, 0.5, 10];
  const s = values(Gamma.sample({ concentration: arr(a), rate: arr(b) }, key(10), [N]));
  assert.ok(s.every((v) => v > 0 && Number.isFinite(v)));
  const m = moments(s, 4);
  const logs = moments(
    s.map((v) => Math.log(v)),
    4,
  );
  a.forEach((ai, i) => {
    assertMean(m.mean[i], ai / b[i], ai / b[i] ** 2, `mean α=${ai}`);
    assertRel(m.variance[i], ai / b[i] ** 2, ai < 1 ? 0.1 : 0.06, `variance α=${ai}`);
    assertRel(logs.mean[i], digammaF64(ai) - Math.log(b[i]), 0.02, `E log X α=${ai}`);
  });
});

test("Dirichlet: samples on the simplex with the right mean and variance; tiny α gives no NaN", () => {
  const alpha = [0.5, 1.2, 3, 7];
  const a0 = alpha.reduce((s, v) => s + v, 0);
  const s = values(Dirichlet.sample({ concentration: arr(alpha) }, key(11), [N / 2]));
  const m = moments(s, 4);
  for (let n = 0; n < N / 2; n++) {
    const row = s.slice(4 * n, 4 * n + 4);
    assert.ok(Math.abs(row.reduce((x, y) => x + y, 0) - 1) < 1e-5 && row.every((v) => v >= 0));
  }
  alpha.forEach((ai, i) => {
    const mean = ai / a0;
    const v = (mean * (1 - mean)) / (a0 + 1);
    assertMean(m.mean[i], mean, v * 2, `mean[${i}]`);
    assertRel(m.variance[i], v, 0.1, `variance[${i}]`);
  });
  const tiny = values(Dirichlet.sample({ concentration: arr([0.01, 0.01, 0.01]) }, key(12), [200]));
  assert.ok(tiny.every((v) => Number.isFinite(v)));
});

test("samplers run inside jit and agree with eager sampling", () => {
  const draw = (p: { concentration: Array; rate: Array }, k: Array) => Gamma.sample(p, k, [7]);
  const gp = () => ({ concentration: arr([0.4, 3, 30]), rate: arr([1, 1, 2]) });
  const f = jit(draw);
  assert.deepEqual(values(f(gp(), key(13))), values(draw(gp(), key(13))));
  f.dispose();
  const pois = (p: { rate: Array }, k: Array) => Poisson.sample(p, k, [5]);
  const g = jit(pois);
  const pp = () => ({ rate: arr([2, 40]) });
  assert.deepEqual(values(g(pp(), key(14))), values(pois(pp(), key(14))));
  g.dispose();
});

test("probability masses sum to 1 over a truncated support", () => {
  const ks = arr(globalThis.Array.from({ length: 400 }, (_, k) => [k]));
  const sum = (a: Array) => values(np.exp(a).sum(0));
  for (const s of sum(Poisson.logProb({ rate: arr([0.5, 3, 25, 100]) }, ks.ref)))
    assertRel(s, 1, 1e-5, "Poisson");
  for (const s of sum(
    NegativeBinomial.logProb({ mu: arr([0.5, 5, 40]), theta: arr([0.2, 2, 10]) }, ks.ref),
  )) {
    assertRel(s, 1, 1e-4, "NB");
  }
  const zinb = { mu: arr([0.5, 5, 40]), theta: arr([0.2, 2, 10]), ziLogits: arr([-3, 0, 4]) };
  for (const s of sum(ZeroInflatedNegativeBinomial.logProb(zinb, ks))) assertRel(s, 1, 1e-4, "ZINB");
  for (const s of sum(Bernoulli.logProb({ logits: arr([-4, 0.3, 9]) }, arr([[0], [1]]))))
    assertRel(s, 1, 1e-6, "Bernoulli");
  const cat = Categorical.logProb({ logits: arr([[0.5, -1, 2, 0]]) }, np.arange(4).reshape([4, 1]));
  for (const s of sum(cat)) assertRel(s, 1, 1e-6, "Categorical");
});
