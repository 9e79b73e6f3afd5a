/**
 * Training: the ELBO rises on synthetic low-rank count data (NB), the KL warm-up schedule reaches the
 * jitted step, library statistics are stored, a conditional VAE learns label-dependent means, and a
 * training round leaves no live buffers behind.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Array, np, random, tree } from "../../../src/jax.js";
import {
  clearVaeCache,
  elbo,
  libraryStats,
  sample,
  trainVae,
  type VaeConfig,
  type VaeParams,
  type VaeProgress,
  vaeInit,
} from "../../../src/models/vae/index.js";
import { NonFiniteLossError } from "../../../src/train/fit.js";
import { liveBufferCounter } from "../../train/live-buffers.js";
import { mean } from "./helpers.js";

/** Counts `[n, D]` from a rank-2 log-rate model with NB-like noise, deterministic given `seed`. */
function countData(seed: number, n: number, D: number): Array {
  const ks = random.split(random.key(seed), 4);
  const z = random.normal(ks.ref.slice(0), [n, 2]);
  const w = random.normal(ks.ref.slice(1), [2, D]);
  const depth = np.exp(random.normal(ks.ref.slice(2), [n, 1]).mul(0.3)); // library-size variation
  const rate = np.exp(np.matmul(z, w).mul(0.8).add(1.5)).mul(depth);
  return np.floor(rate.mul(random.uniform(ks.slice(3), [n, D]).mul(2)));
}

test("NB VAE: held-out ELBO rises, β warms up linearly, library statistics are the training ones", async () => {
  const config: VaeConfig = { inputDim: 12, latentDim: 2, hidden: [16], likelihood: "nb" };
  const all = countData(1, 320, 12); // one model: 256 training rows, 64 held out
  const train = all.ref.slice([0, 256]);
  const valid = all.slice([256, 320]);
  const trainRows = train.ref.dataSync() as Float32Array;
  const before = elbo(vaeInit(random.key(0), config), random.key(9), { x: valid.ref }, { config });
  tree.dispose([before.recon, before.kl]);
  const elboBefore = mean(before.elbo.js() as number[]);
  const progress: VaeProgress[] = [];
  const r = await trainVae(
    vaeInit(random.key(0), config),
    random.key(1),
    { x: train },
    {
      config,
      steps: 240,
      batchSize: 32,
      lr: 1e-2,
      klWarmupSteps: 40,
      valid: { x: valid.ref },
      evalEvery: 80,
      onProgress: (p) => progress.push(p),
    },
  );
  assert.equal(r.steps, 240);
  assert.equal(r.evals.length, 3);
  // 1. β_t = min(1, (t - 1) / 40) at step t (t - 1 updates completed before it)
  for (const t of [1, 2, 21, 41, 100]) {
    const want = Math.min(1, (t - 1) / 40);
    assert.ok(Math.abs(progress[t - 1].beta - want) < 1e-6, `beta at step ${t}: ${progress[t - 1].beta}`);
  }
  for (const p of progress)
    assert.ok(Math.abs(p.loss - -(p.recon - p.beta * p.kl)) < 1e-3 * (1 + Math.abs(p.loss)));
  // 2. the loss falls and the held-out ELBO rises above the untrained model's
  const first = mean(r.losses.slice(0, 20));
  const last = mean(r.losses.slice(-20));
  assert.ok(last < first - 1, `loss: first 20 steps ${first}, last 20 ${last}`);
  const evals = r.evals.map((e) => e.metric);
  assert.ok(evals[2] > elboBefore + 2, `held-out ELBO ${evals} vs ${elboBefore} untrained`);
  assert.ok(evals[2] >= evals[0], `held-out ELBO ${evals}`);
  assert.equal(progress[239].validElbo, evals[2]);
  // 3. library statistics of the training rows, for sampling
  const want = libraryStats(trainRows, 256, 12);
  const lib = r.params.library;
  assert.ok(lib !== undefined);
  assert.ok(Math.abs((lib.logMean.ref.item() as number) - want.logMean) < 1e-5);
  assert.ok(Math.abs((lib.logVar.ref.item() as number) - want.logVar) < 1e-5);
  // the held-out ELBO of the returned params, recomputed outside the loop
  const after = elbo(tree.ref(r.params), random.key(9), { x: valid }, { config });
  tree.dispose([after.recon, after.kl]);
  assert.ok(mean(after.elbo.js() as number[]) > elboBefore + 2);
  tree.dispose([r.params, r.optState]);
});

test("conditional VAE: decoded means depend on the label and approach each class's mean", async () => {
  const config: VaeConfig = {
    inputDim: 4,
    latentDim: 1,
    hidden: [16],
    likelihood: "gaussian",
    gaussianVariance: 0.05,
    nLabels: 3,
  };
  const centres = [
    [2, 0, 0, -1],
    [0, 2, 0, 1],
    [-1, -1, 2, 0],
  ];
  const n = 192;
  const labels = globalThis.Array.from({ length: n }, (_, i) => i % 3);
  const noise = random.normal(random.key(4), [n, 4]).mul(0.2);
  const x = np.array(labels.map((l) => centres[l])).add(noise);
  const r = await trainVae(
    vaeInit(random.key(5), config),
    random.key(6),
    { x, labels: np.array(labels, { dtype: np.int32 }) },
    { config, steps: 300, batchSize: 48, lr: 1e-2 },
  );
  for (let l = 0; l < 3; l++) {
    // E[x | z] averaged over z ~ N(0, I): the class mean
    const m = sample(tree.ref(r.params), random.key(10 + l), 400, { config, labels: l, mean: true });
    const avg = (m.js() as number[][]).reduce((s, row) => s.map((v, d) => v + row[d] / 400), [0, 0, 0, 0]);
    const dist = (c: number[]) => Math.hypot(...c.map((v, d) => v - avg[d]));
    assert.ok(dist(centres[l]) < 0.3, `label ${l}: mean ${avg} vs centre ${centres[l]}`);
    for (let o = 0; o < 3; o++) if (o !== l) assert.ok(dist(centres[o]) > 1.5);
  }
  tree.dispose([r.params, r.optState]);
});

test("a training round with validation leaves no live buffers behind", async () => {
  const counter = await liveBufferCounter();
  const config: VaeConfig = { inputDim: 6, latentDim: 2, hidden: [8], likelihood: "zinb", nLabels: 2 };
  const round = async (steps: number, onProgress?: (p: VaeProgress) => void) => {
    const x = countData(3, 64, 6);
    const labels = np.array(
      globalThis.Array.from({ length: 64 }, (_, i) => i % 2),
      { dtype: np.int32 },
    );
    const r = await trainVae(
      vaeInit(random.key(0), config),
      random.key(1),
      { x: x.ref.slice([0, 48]), labels: labels.ref.slice([0, 48]) },
      {
        config,
        steps,
        batchSize: 16,
        valid: { x: x.slice([48, 64]), labels: labels.slice([48, 64]) },
        evalEvery: 20,
        patience: 100,
        onProgress,
      },
    );
    tree.dispose([r.params, r.optState]);
  };
  await round(2); // jax-js keeps a few buffers after its first use of some operations
  const before = counter.live();
  const live: number[] = [];
  await round(60, (p) => {
    if (p.step % 20 === 0) live.push(counter.live());
  });
  assert.ok(
    live.every((v) => v === live[0]),
    `live buffers every 20 steps: ${live.join(", ")}`,
  );
  clearVaeCache();
  const after = counter.live();
  assert.ok(after - before <= 2, `live buffers: ${before} before, ${after} after`);
});

test("a diverging run throws NonFiniteLossError holding the last finite VaeParams (library included)", async () => {
  const config: VaeConfig = { inputDim: 4, latentDim: 2, hidden: [8], likelihood: "poisson" };
  const x = np.floor(random.uniform(random.key(1), [64, 4]).mul(50));
  await assert.rejects(
    trainVae(
      vaeInit(random.key(0), config),
      random.key(1),
      { x },
      { config, steps: 50, batchSize: 16, lr: 1e6 },
    ),
    (e: unknown) => {
      assert.ok(e instanceof NonFiniteLossError);
      const p = e.params as VaeParams;
      assert.deepEqual(Object.keys(p), ["encoder", "decoder", "library"]);
      assert.ok(Number.isFinite(p.library?.logMean.ref.item() as number));
      tree.dispose([p, e.optState]);
      return true;
    },
  );
});
