/**
 * The ELBO and the importance-weighted bound: closed-form KL against Monte Carlo, finite-difference
 * gradients of the full ELBO (float64), IWAE ≥ ELBO and tightening with K, jit/eager parity, and the
 * checks at the boundary.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../src/errors.js";
import { type Array, grad, jit, np, random, tree } from "../../../src/jax.js";
import {
  elbo,
  encode,
  iwaeLogLikelihood,
  klStandardNormal,
  type VaeConfig,
  type VaeParams,
  vaeInit,
} from "../../../src/models/vae/index.js";
import { centralDifference, mean, sd } from "./helpers.js";

/** Count data `[n, D]` from a rank-2 log-rate, deterministic given `seed`. */
function counts(seed: number, n: number, D: number): Array {
  const ks = random.split(random.key(seed), 3);
  const z = random.normal(ks.ref.slice(0), [n, 2]);
  const w = random.normal(ks.ref.slice(1), [2, D]);
  const rate = np.exp(np.matmul(z, w).mul(0.7).add(1.2));
  const u = random.uniform(ks.slice(2), [n, D]);
  return np.floor(rate.mul(u.mul(2))); // integer counts, mean about the rate
}

test("KL(q || N(0, I)) in closed form equals the Monte-Carlo average of log q(z) - log p(z)", () => {
  const mu = [0.3, -1.2, 0.8, 0];
  const lv = [-0.5, 0.7, 0, -2];
  const closed = klStandardNormal(np.array([mu]), np.array([lv])).item() as number;
  const want = 0.5 * mu.reduce((s, m, i) => s + m * m + Math.exp(lv[i]) - 1 - lv[i], 0);
  assert.ok(Math.abs(closed - want) < 1e-6, `${closed} vs ${want}`);
  // log q(z) - log p(z) = Σ_l [-ε²/2 - lv/2 + z²/2], z = μ + σ ε
  const N = 40_000;
  const eps = random.normal(random.key(11), [N, 4]).js() as number[][];
  const d = eps.map((e) =>
    e.reduce((s, ei, l) => {
      const z = mu[l] + Math.exp(lv[l] / 2) * ei;
      return s - (ei * ei) / 2 - lv[l] / 2 + (z * z) / 2;
    }, 0),
  );
  const se = sd(d) / Math.sqrt(N);
  assert.ok(Math.abs(mean(d) - closed) < 4 * se, `MC ${mean(d)} ± ${se} vs closed form ${closed}`);
});

test("full ELBO: gradient w.r.t. decoder and encoder weights matches finite differences (float64, poisson)", () => {
  const config: VaeConfig = {
    inputDim: 5,
    latentDim: 2,
    hidden: [4],
    likelihood: "poisson",
    activation: "tanh", // smooth: no ReLU kink inside the finite-difference stencil
    dtype: "float64",
  };
  const x = counts(3, 6, 5).astype(np.float64);
  const f = (p: VaeParams): Array => {
    const e = elbo(p, random.key(5), { x: x.ref }, { config, nSamples: 2, beta: 0.7 });
    tree.dispose([e.recon, e.kl]);
    return e.elbo.sum();
  };
  const p0 = vaeInit(random.key(1), config);
  const g = jit(grad(f))(tree.ref(p0)) as VaeParams;
  const fj = jit(f);
  // a few weights: name, getter, setter, flat index
  type Pick = [string, (p: VaeParams) => Array, (p: VaeParams, a: Array) => void, number];
  const picks: Pick[] = [
    ["decoder.out.w[0, 1]", (p) => p.decoder.out.w, (p, a) => (p.decoder.out.w = a), 1],
    [
      "decoder.body.layers[0].w[1, 2]",
      (p) => p.decoder.body.layers[0].w,
      (p, a) => (p.decoder.body.layers[0].w = a),
      6,
    ],
    ["decoder.out.b[3]", (p) => p.decoder.out.b as Array, (p, a) => (p.decoder.out.b = a), 3],
    ["encoder.mean.w[2, 1]", (p) => p.encoder.mean.w, (p, a) => (p.encoder.mean.w = a), 5],
  ];
  const h = 5e-2;
  for (const [name, get, set, i] of picks) {
    const got = (get(g).ref.js() as number[] | number[][]).flat()[i];
    const base = (get(p0).ref.js() as number[] | number[][]).flat();
    const shape = get(p0).shape;
    const at = (delta: number) => {
      const p = tree.ref(p0);
      get(p).dispose();
      set(
        p,
        np
          .array(
            base.map((v, j) => (j === i ? v + delta : v)),
            { dtype: np.float64 },
          )
          .reshape(shape),
      );
      return fj(p).item() as number;
    };
    const fd = centralDifference(at, h);
    assert.ok(
      Math.abs(got - fd) <= 1e-4 * (1 + Math.abs(fd)),
      `d/d${name}: grad ${got}, finite difference ${fd}`,
    );
  }
  tree.dispose([g, p0, x]);
  fj.dispose();
});

const gaussConfig: VaeConfig = { inputDim: 6, latentDim: 2, hidden: [8], likelihood: "gaussian" };

test("elbo: parts add up (elbo = recon - beta kl), beta as a number or an array, eager equals jit-inlined", () => {
  const p = vaeInit(random.key(2), gaussConfig);
  const x = random.normal(random.key(3), [5, 6]);
  const a = elbo(tree.ref(p), random.key(4), { x: x.ref }, { config: gaussConfig, beta: 0.25 });
  const [e, r, k] = [a.elbo.js(), a.recon.js(), a.kl.js()] as number[][];
  for (const [i, v] of e.entries()) assert.ok(Math.abs(v - (r[i] - 0.25 * k[i])) < 1e-5);
  assert.ok(k.every((v) => v >= 0));
  const b = elbo(tree.ref(p), random.key(4), { x: x.ref }, { config: gaussConfig, beta: np.array(0.25) });
  tree.dispose([b.recon, b.kl]);
  // (the key is an argument: random.key(4) created inside a jit trace draws different numbers in jax-js 0.1.25)
  const inJit = jit((pp: VaeParams, k: Array, xx: Array) => {
    const o = elbo(pp, k, { x: xx }, { config: gaussConfig, beta: 0.25 });
    tree.dispose([o.recon, o.kl]);
    return o.elbo;
  });
  const c = inJit(tree.ref(p), random.key(4), x.ref).js() as number[];
  const bb = b.elbo.js() as number[];
  e.forEach((v, i) => {
    assert.ok(Math.abs(v - bb[i]) < 1e-5, `beta array: ${bb[i]} vs ${v}`);
    assert.ok(Math.abs(v - c[i]) < 1e-5, `jit-inlined: ${c[i]} vs ${v}`);
  });
  inJit.dispose();
  // encode: variance > 0, shapes [B, L]
  const q = encode(p, x, { config: gaussConfig });
  assert.deepEqual(q.mean.shape, [5, 2]);
  assert.ok((q.variance.js() as number[][]).flat().every((v) => v > 0));
  q.mean.dispose();
});

test("IWAE: K = 1 is the ELBO estimator in expectation; L_1 < L_10 < L_100 and L_100 >= ELBO", () => {
  const config: VaeConfig = { inputDim: 8, latentDim: 2, hidden: [8], likelihood: "poisson" };
  const p = vaeInit(random.key(7), config);
  const x = counts(8, 200, 8);
  const bound = (K: number) =>
    iwaeLogLikelihood(tree.ref(p), random.key(10 + K), x.ref, { config, K }).js() as number[];
  const l1 = bound(1);
  const l10 = bound(10);
  const l100 = bound(100);
  // the ELBO's expectation per row, estimated with many draws (its KL is exact)
  const e = elbo(tree.ref(p), random.key(9), { x: x.ref }, { config, nSamples: 200 });
  tree.dispose([e.recon, e.kl]);
  const el = e.elbo.js() as number[];
  const d = l1.map((v, i) => v - el[i]);
  const se = sd(d) / Math.sqrt(d.length);
  assert.ok(Math.abs(mean(d)) < 4 * se, `mean L_1 - ELBO = ${mean(d)} ± ${se}`);
  assert.ok(mean(l1) < mean(l10) && mean(l10) < mean(l100), `${mean(l1)}, ${mean(l10)}, ${mean(l100)}`);
  assert.ok(mean(l100) >= mean(el), `L_100 ${mean(l100)} vs ELBO ${mean(el)}`);
  // chunked evaluation gives the same numbers as one pass (same key per chunk split)
  const chunked = iwaeLogLikelihood(tree.ref(p), random.key(3), x.ref.slice([0, 10]), {
    config,
    K: 5,
    batchSize: 4,
  });
  assert.deepEqual(chunked.shape, [10]);
  assert.ok((chunked.js() as number[]).every(Number.isFinite));
  tree.dispose([p, x]);
});

test("bad input: ValueError naming the argument, at the boundary", () => {
  const nb: VaeConfig = { inputDim: 4, latentDim: 2, hidden: [], likelihood: "nb" };
  const p = vaeInit(random.key(0), nb);
  const throwsOn = (fn: () => unknown, re: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof ValueError && re.test(e.message));
  throwsOn(
    () => elbo(tree.ref(p), random.key(1), { x: np.zeros([3, 5]) }, { config: nb }),
    /^elbo: batch\.x must have shape \[n, 4\] with n >= 1, but got \[3, 5\]/,
  );
  throwsOn(
    () => iwaeLogLikelihood(tree.ref(p), random.key(1), np.array([[1, 2, -1, 0]]), { config: nb, K: 2 }),
    /^iwaeLogLikelihood: x must hold non-negative integer counts for likelihood "nb", but got \[-1\]/,
  );
  throwsOn(
    () => elbo(tree.ref(p), random.key(1), { x: np.array([[1, 2.5, 0, 0]]) }, { config: nb }),
    /non-negative integer counts.*\[2\.5\]/,
  );
  const bern: VaeConfig = { inputDim: 2, latentDim: 1, hidden: [], likelihood: "bernoulli" };
  throwsOn(
    () => elbo(vaeInit(random.key(0), bern), random.key(1), { x: np.array([[0, 1.5]]) }, { config: bern }),
    /^elbo: batch\.x must hold values in \[0, 1\]/,
  );
  const gauss: VaeConfig = { inputDim: 2, latentDim: 1, hidden: [], likelihood: "gaussian", nLabels: 3 };
  const pg = vaeInit(random.key(0), gauss);
  throwsOn(
    () => elbo(tree.ref(pg), random.key(1), { x: np.array([[0, Number.NaN]]) }, { config: gauss }),
    /^elbo: batch\.x must be finite, but got \[NaN\]/,
  );
  throwsOn(
    () => elbo(tree.ref(pg), random.key(1), { x: np.zeros([2, 2]) }, { config: gauss }),
    /^elbo: batch\.labels must be an int32 array of shape \[2\]/,
  );
  throwsOn(
    () =>
      elbo(
        tree.ref(pg),
        random.key(1),
        { x: np.zeros([2, 2]), labels: np.array([0, 3], { dtype: np.int32 }) },
        { config: gauss },
      ),
    /^elbo: batch\.labels must be in \[0, 2\], but got \[3\]/,
  );
  throwsOn(
    () => vaeInit(random.key(0), { ...gauss, likelihood: "gamma" as never }),
    /^vaeInit: config\.likelihood must be one of/,
  );
  throwsOn(
    () => vaeInit(random.key(0), { ...gauss, gaussianVariance: -1 }),
    /^vaeInit: config\.gaussianVariance/,
  );
  tree.dispose([p, pg]);
});
