/**
 * Sampling and decoding: shapes and supports of full generative samples, decoder means, the library
 * size of count models (given, or log-normal from the stored statistics as scvi-tools draws it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Array, np, random, tree } from "../../../src/jax.js";
import {
  decode,
  decodeMean,
  sample,
  type VaeConfig,
  type VaeParams,
  vaeInit,
} from "../../../src/models/vae/index.js";
import { mean, sd } from "./helpers.js";

const rows = (a: Array) => a.js() as number[][];
const rowSums = (a: Array) => rows(a).map((r) => r.reduce((s, v) => s + v, 0));

test("sample: full draws have the likelihood's support; mean: true gives E[x | z]", () => {
  for (const likelihood of ["gaussian", "bernoulli", "poisson", "nb", "zinb"] as const) {
    const config: VaeConfig = { inputDim: 5, latentDim: 2, hidden: [6], likelihood };
    const p = vaeInit(random.key(1), config);
    const x = rows(sample(tree.ref(p), random.key(2), 30, { config }));
    assert.equal(x.length, 30);
    assert.ok(x.every((r) => r.length === 5 && r.every(Number.isFinite)));
    if (likelihood === "bernoulli") assert.ok(x.flat().every((v) => v === 0 || v === 1));
    if (likelihood !== "gaussian" && likelihood !== "bernoulli")
      assert.ok(
        x.flat().every((v) => v >= 0 && Number.isInteger(v)),
        `${likelihood}: counts`,
      );
    const m = rows(sample(tree.ref(p), random.key(2), 30, { config, mean: true }));
    if (likelihood === "bernoulli") assert.ok(m.flat().every((v) => v > 0 && v < 1));
    // same key, same z: the draws scatter around the means (gaussian σ = 1 at init)
    if (likelihood === "gaussian") {
      const d = x.flat().map((v, i) => v - m.flat()[i]);
      assert.ok(Math.abs(mean(d)) < 0.3 && Math.abs(sd(d) - 1) < 0.2, `residual ${mean(d)} ± ${sd(d)}`);
    }
    tree.dispose(p);
  }
});

test("count models: library given (number or [n]) or drawn log-normally from the stored statistics", () => {
  const config: VaeConfig = { inputDim: 6, latentDim: 2, hidden: [6], likelihood: "nb" };
  const p = vaeInit(random.key(3), config);
  const lib = p.library as NonNullable<VaeParams["library"]>;
  tree.dispose(lib);
  p.library = { logMean: np.array(Math.log(1000)), logVar: np.array(0.25) };
  // E[x | z] sums to the library size (softmax scale times l)
  const given = rowSums(sample(tree.ref(p), random.key(4), 8, { config, mean: true, library: 500 }));
  assert.ok(
    given.every((s) => Math.abs(s - 500) < 1e-3),
    `${given}`,
  );
  const perRow = rowSums(
    sample(tree.ref(p), random.key(4), 3, { config, mean: true, library: np.array([10, 20, 30]) }),
  );
  for (const [i, s] of perRow.entries()) assert.ok(Math.abs(s - 10 * (i + 1)) < 1e-4);
  // default: log l ~ N(logMean, logVar)
  const logs = rowSums(sample(tree.ref(p), random.key(5), 2000, { config, mean: true })).map(Math.log);
  assert.ok(Math.abs(mean(logs) - Math.log(1000)) < 4 * (0.5 / Math.sqrt(2000)), `mean log l ${mean(logs)}`);
  assert.ok(Math.abs(sd(logs) - 0.5) < 0.05, `sd log l ${sd(logs)}`);
  // full draws: NB counts whose totals follow the library size
  const draws = rowSums(sample(tree.ref(p), random.key(6), 400, { config, library: 200 }));
  assert.ok(Math.abs(mean(draws) - 200) < 25, `mean total ${mean(draws)}`);
  // decode / decodeMean default to the geometric-mean library exp(logMean)
  const z = random.normal(random.key(7), [4, 2]);
  const dm = rowSums(decodeMean(tree.ref(p), z.ref, { config }));
  assert.ok(
    dm.every((s) => Math.abs(s - 1000) < 1e-2),
    `${dm}`,
  );
  const lp = decode(tree.ref(p), z, { config, library: 50 }) as { mu: Array; theta: Array };
  assert.deepEqual(lp.theta.shape, [6]);
  assert.ok(rowSums(lp.mu).every((s) => Math.abs(s - 50) < 1e-4));
  assert.throws(
    () => sample(tree.ref(p), random.key(8), 2, { config, library: -1 }),
    /^ValueError: sample: library must be a finite number >= 0, but got -1/,
  );
  tree.dispose(p);
});

test("conditional sampling needs a label; unconditional models refuse one", () => {
  const cond: VaeConfig = { inputDim: 3, latentDim: 1, hidden: [], likelihood: "gaussian", nLabels: 2 };
  const p = vaeInit(random.key(0), cond);
  const a = rows(sample(tree.ref(p), random.key(1), 4, { config: cond, labels: 0, mean: true }));
  const b = rows(sample(tree.ref(p), random.key(1), 4, { config: cond, labels: 1, mean: true }));
  const c = rows(
    sample(tree.ref(p), random.key(1), 4, {
      config: cond,
      labels: np.array([0, 0, 0, 0], { dtype: np.int32 }),
      mean: true,
    }),
  );
  assert.notDeepEqual(a, b);
  assert.deepEqual(a, c);
  assert.throws(
    () => sample(tree.ref(p), random.key(1), 4, { config: cond }),
    /sample: labels must be an int32 array/,
  );
  assert.throws(
    () => sample(tree.ref(p), random.key(1), 4, { config: cond, labels: 2 }),
    /sample: labels must be an integer in \[0, 1\], but got 2/,
  );
  const plain: VaeConfig = { ...cond, nLabels: 0 };
  assert.throws(
    () => sample(vaeInit(random.key(0), plain), random.key(1), 2, { config: plain, labels: 0 }),
    /sample: labels must be omitted for an unconditional model/,
  );
  assert.throws(
    () => sample(tree.ref(p), random.key(1), 0, { config: cond, labels: 0 }),
    /sample: n must be a positive integer/,
  );
  tree.dispose(p);
});
