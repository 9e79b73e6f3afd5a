/**
 * The design model end to end at smoke scale (137 training candidates, 300 steps, ~2 s): the loss falls,
 * training compositions are reconstructed, latent ascent raises the predicted property, the report's
 * ground truth comes from `labelComposition`, checkpoints round-trip exactly, and nothing leaks.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  bartelTau,
  composition,
  enumeratePerovskites,
  labelComposition,
  TAU_THRESHOLD,
} from "../../../src/data/perovskites/index.js";
import { FormatError } from "../../../src/errors.js";
import { encodeCheckpoint } from "../../../src/io/checkpoint.js";
import { type Array, np, random, tree } from "../../../src/jax.js";
import {
  DESIGN_METHODS,
  type DesignParams,
  designInit,
  designReport,
  loadDesignModel,
  optimizeLatents,
  propertyAccuracy,
  reconstructionAccuracy,
  saveDesignModel,
  scoreDesigns,
  splitCompositions,
  trainDesignModel,
} from "../../../src/models/design/index.js";
import { liveBufferCounter } from "../../train/live-buffers.js";

const all = enumeratePerovskites();
const { train } = splitCompositions(random.key(0), all, { trainFraction: 0.05 });
const SMOKE = { steps: 300, batchSize: 32, beta: 0.05, config: { hidden: [32], latentDim: 4 } };
const model = await trainDesignModel(random.key(1), train, SMOKE);
const params = () => tree.ref(model.params);

test("splitCompositions: a fixed key gives the same 80/20 partition of the rows", () => {
  const s1 = splitCompositions(random.key(5), all);
  const s2 = splitCompositions(random.key(5), all);
  assert.equal(s1.train.length, Math.round(0.8 * all.length));
  assert.equal(s1.train.length + s1.heldOut.length, all.length);
  assert.deepEqual(s1.train, s2.train);
  const ids = new Set(s1.train.map((r) => r.id));
  assert.ok(s1.heldOut.every((r) => !ids.has(r.id)));
  assert.notDeepEqual(splitCompositions(random.key(6), all).train, s1.train);
  assert.throws(
    () => splitCompositions(random.key(0), all, { trainFraction: 1 }),
    /splitCompositions: trainFraction must be in \(0, 1\), but got 1/,
  );
});

test("training lowers the loss and reconstructs most training compositions", () => {
  const h = model.history;
  assert.equal(h.loss.length, 300);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(h.loss.slice(0, 20));
  const last = mean(h.loss.slice(-20));
  assert.ok(last < 0.4 * first, `loss ${first} -> ${last}`);
  assert.ok(mean(h.recon.slice(-20)) < mean(h.recon.slice(0, 20)));
  // the loss is the weighted sum of its recorded parts
  const i = 299;
  assert.ok(Math.abs(h.loss[i] - (h.recon[i] + 0.05 * h.kl[i] + h.property[i])) < 1e-3);
  const recon = reconstructionAccuracy(params(), train);
  assert.ok(recon > 0.8, `reconstruction accuracy ${recon}`);
  const acc = propertyAccuracy(params(), train);
  assert.ok(acc > 0.9, `property accuracy ${acc}`);
});

test("latent ascent raises the predicted property; Langevin moves with noise; zero steps stay put", () => {
  const up = optimizeLatents(params(), random.key(2), 64, { steps: 25, lr: 0.02 });
  const p = up.meanProbability;
  assert.equal(p.length, 26);
  assert.ok(p[25] > p[0] + 0.2, `mean P(stable) ${p[0]} -> ${p[25]}`);
  assert.deepEqual(up.z.shape, [64, 4]);
  tree.dispose([up.z, up.z0]);
  const lg = optimizeLatents(params(), random.key(2), 64, {
    steps: 50,
    lr: 0.05,
    objective: "logProb",
    temperature: 1,
  });
  assert.ok(lg.meanProbability[50] > lg.meanProbability[0]);
  tree.dispose([lg.z, lg.z0]);
  const still = optimizeLatents(params(), random.key(2), 8, { steps: 0 });
  assert.deepEqual(still.z.dataSync(), still.z0.dataSync());
  assert.throws(
    () => optimizeLatents(params(), random.key(2), 8, { temperature: -1 }),
    /optimizeLatents: temperature must be a finite number >= 0, but got -1/,
  );
  assert.throws(() => optimizeLatents(params(), random.key(2), 0), /n must be a positive integer/);
});

test("scoreDesigns uses the ground truth τ < 4.18 (checked by hand for CaTiO3 and SrTiO3)", () => {
  const cato = composition("Ca2+", "Ti4+", "O2-");
  const srto = composition("Sr2+", "Ti4+", "O2-");
  const bad = composition("Ca2+", "Ti4+", "F-"); // 2 + 4 − 3 ≠ 0
  const unstable = all.find((r) => !r.perovskite)!;
  // Bartel et al. eq. 1 by hand: τ = rX/rB − nA (nA − (rA/rB) / ln(rA/rB)), Shannon radii in Å
  const tau = (rA: number, rB: number, rX: number, nA: number) =>
    rX / rB - nA * (nA - rA / rB / Math.log(rA / rB));
  assert.ok(Math.abs(labelComposition(cato).tau - tau(1.34, 0.605, 1.4, 2)) < 1e-12);
  assert.ok(Math.abs(labelComposition(srto).tau - tau(1.44, 0.605, 1.4, 2)) < 1e-12);
  assert.ok(tau(1.34, 0.605, 1.4, 2) < TAU_THRESHOLD && tau(1.44, 0.605, 1.4, 2) < TAU_THRESHOLD);
  assert.ok(bartelTau(unstable.rA, unstable.rB, unstable.rX, unstable.nA) >= TAU_THRESHOLD);
  const u = { a: unstable.a, b: unstable.b, x: unstable.x };
  const s = scoreDesigns([cato, srto, srto, bad, u], [cato]);
  assert.deepEqual(s, {
    n: 5,
    validity: 4 / 5,
    uniqueness: 3 / 4,
    novelty: 3 / 5, // SrTiO3 twice and the unstable one
    stable: 3 / 5, // CaTiO3 and SrTiO3 twice
    novelStable: 2 / 5,
    distinctNovelStable: 1,
  });
  assert.ok(Number.isNaN(scoreDesigns([bad], [cato]).uniqueness));
  assert.throws(() => scoreDesigns([], [cato]), /scoreDesigns: designs must not be empty/);
});

test("designReport: every method, scored by scoreDesigns on its own designs; latent ascent beats uniform ions", () => {
  const r = designReport(params(), random.key(3), train, { n: 100 });
  assert.deepEqual(
    r.rows.map((x) => x.method),
    [...DESIGN_METHODS],
  );
  for (const row of r.rows) {
    assert.equal(r.designs[row.method].length, 100);
    const { method, predicted, predictedAtLatent, ...truth } = row;
    assert.deepEqual(truth, scoreDesigns(r.designs[method], train));
    assert.ok(predicted > 0 && predicted < 1, `${method} predicted ${predicted}`);
    assert.equal(predictedAtLatent !== undefined, method.startsWith("latent") || method === "prior");
    for (const k of ["validity", "novelty", "stable", "novelStable"] as const)
      assert.ok(row[k] >= 0 && row[k] <= 1, `${method}.${k} = ${row[k]}`);
    assert.ok(row.stable <= row.validity && row.novelStable <= Math.min(row.novelty, row.stable));
  }
  const row = (m: string) => r.rows.find((x) => x.method === m)!;
  assert.ok(row("latent-ascent").stable > row("uniform").stable);
  assert.ok(row("latent-ascent").predictedAtLatent! > row("prior").predictedAtLatent!);
});

test("checkpoint: save -> load restores params bit for bit, the config and the training set", () => {
  const bytes = saveDesignModel({ params: params(), config: model.config, training: train });
  const loaded = loadDesignModel(bytes);
  assert.deepEqual(loaded.config, model.config);
  assert.deepEqual(
    loaded.training,
    train.map(({ a, b, x }) => ({ a, b, x })),
  );
  const [want] = tree.flatten(params());
  const [got] = tree.flatten(loaded.params);
  assert.equal(got.length, want.length);
  want.forEach((w, i) => {
    assert.deepEqual(got[i].shape, w.shape);
    assert.deepEqual(got[i].dataSync(), w.dataSync());
  });
  const noTraining = loadDesignModel(saveDesignModel({ params: params(), config: model.config }));
  assert.equal(noTraining.training, undefined);
  tree.dispose(noTraining.params);
  // another model's file, and a file whose tensors do not match its config
  const other = encodeCheckpoint({ kind: "mlp", config: {}, params: { w: np.zeros([2]) } });
  assert.throws(
    () => loadDesignModel(other, { context: "m.st" }),
    (e: Error) => {
      return (
        e instanceof FormatError && /m.st: expected model kind "novelist.perovskite-vae"/.test(e.message)
      );
    },
  );
  const lying = encodeCheckpoint({
    kind: "novelist.perovskite-vae",
    config: { ...model.config, latentDim: 3 },
    params: params() as unknown as DesignParams & Record<string, Array>,
  });
  assert.throws(() => loadDesignModel(lying), /has shape \[32, 4\] but the model expects \[32, 3\]/);
});

test("bad training input is a ValueError, and the key is consumed", async () => {
  const counter = await liveBufferCounter();
  const before = counter.live();
  await assert.rejects(
    trainDesignModel(random.key(0), [{ a: 0, b: 0, x: 0 } as never]),
    /trainDesignModel: rows\[0\]\.perovskite must be true or false, but got undefined/,
  );
  await assert.rejects(
    trainDesignModel(random.key(0), train, { steps: 0 }),
    /steps must be a positive integer/,
  );
  await assert.rejects(
    trainDesignModel(random.key(0), train, { beta: -1 }),
    /beta must be a finite number >= 0/,
  );
  assert.equal(counter.live(), before);
});

test("training, searching and reporting leave no live arrays behind", async () => {
  const counter = await liveBufferCounter();
  const before = counter.live();
  const m = await trainDesignModel(random.key(8), train.slice(0, 64), { ...SMOKE, steps: 20 });
  const up = optimizeLatents(tree.ref(m.params), random.key(9), 16, { temperature: 0.5 });
  tree.dispose([up.z, up.z0]);
  designReport(tree.ref(m.params), random.key(10), train, { n: 16 });
  reconstructionAccuracy(tree.ref(m.params), train.slice(0, 10));
  const bytes = saveDesignModel({ params: m.params, config: m.config });
  tree.dispose(loadDesignModel(bytes).params);
  tree.dispose(designInit(random.key(11), {}));
  assert.equal(counter.live(), before);
});
