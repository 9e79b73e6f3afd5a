/** GAN config defaults, param and sample shapes, checkpoint round trip, and bad input at the boundaries. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FormatError, ValueError } from "../../../src/errors.js";
import { encodeCheckpoint } from "../../../src/io/checkpoint.js";
import { type Array, np, random, tree } from "../../../src/jax.js";
import {
  discriminatorLoss,
  type GanConfig,
  ganInit,
  generate,
  loadGan,
  resolveGanConfig,
  sampleGan,
  saveGan,
  trainGan,
} from "../../../src/models/gan/index.js";
import { liveBufferCounter } from "../../train/live-buffers.js";

const config: GanConfig = { dataDim: 3, latentDim: 2, generatorHidden: [5, 4], discriminatorHidden: [6] };

test("config defaults follow the papers: NS 1 D step, Adam(2e-4, 0.5, 0.999); WGAN-GP λ 10, 5 steps, Adam(1e-4, 0.5, 0.9)", () => {
  const ns = resolveGanConfig({ dataDim: 3, latentDim: 3 });
  assert.deepEqual(ns.generatorHidden, [128, 128]);
  assert.equal(ns.loss, "non-saturating");
  assert.equal(ns.activation, "leakyRelu");
  assert.equal(ns.discriminatorSteps, 1);
  assert.deepEqual(ns.generatorAdam, { lr: 2e-4, b1: 0.5, b2: 0.999, eps: 1e-8 });
  const w = resolveGanConfig({ dataDim: 3, latentDim: 3, loss: "wgan-gp", discriminatorAdam: { lr: 3e-4 } });
  assert.equal(w.gpWeight, 10);
  assert.equal(w.discriminatorSteps, 5);
  assert.deepEqual(w.generatorAdam, { lr: 1e-4, b1: 0.5, b2: 0.9, eps: 1e-8 });
  assert.deepEqual(w.discriminatorAdam, { lr: 3e-4, b1: 0.5, b2: 0.9, eps: 1e-8 });
});

test("ganInit, sampleGan and generate shapes; generate(z) is deterministic", () => {
  const p = ganInit(random.key(0), config);
  assert.deepEqual(
    p.generator.layers.map((l) => [l.w.shape, l.b?.shape]),
    [
      [[2, 5], [5]],
      [[5, 4], [4]],
      [[4, 3], [3]],
    ],
  );
  assert.deepEqual(
    p.discriminator.layers.map((l) => [l.w.shape, l.b?.shape]),
    [
      [[3, 6], [6]],
      [[6, 1], [1]],
    ],
  );
  const x = sampleGan(tree.ref(p), random.key(1), 7, { config });
  assert.deepEqual(x.shape, [7, 3]);
  assert.equal(x.dtype, np.float32);
  const z = random.normal(random.key(2), [4, 2]);
  const a = generate(tree.ref(p), z.ref, { config }).js();
  const b = generate(p, z, { config }).js();
  assert.deepEqual(a, b);
  x.dispose();
});

test("saveGan / loadGan round-trip params, config and extras exactly", () => {
  for (const c of [
    config,
    { ...config, loss: "wgan-gp" as const, activation: "tanh" as const, gpWeight: 0.5 },
  ]) {
    const p = ganInit(random.key(3), c);
    const back = loadGan(saveGan(tree.ref(p), c, { step: 12 }));
    assert.deepEqual(back.config, resolveGanConfig(c));
    assert.deepEqual(back.extra, { step: 12 });
    assert.equal(tree.structure(back.params).toString(), tree.structure(tree.ref(p)).toString());
    const la = (tree.leaves(back.params) as Array[]).map((a) => a.js());
    const lb = (tree.leaves(p) as Array[]).map((a) => a.js());
    assert.deepEqual(la, lb);
  }
});

test("loadGan: wrong kind, bad config and mismatched tensors are FormatErrors", () => {
  const other = encodeCheckpoint({ kind: "novelist.vae", config: {}, params: { w: np.ones([2]) } });
  assert.throws(
    () => loadGan(other),
    (e) => e instanceof FormatError && /expected model kind "novelist.gan"/.test(e.message),
  );
  const badCfg = encodeCheckpoint({
    kind: "novelist.gan",
    config: { dataDim: 0, latentDim: 2 },
    params: { w: np.ones([2]) },
  });
  assert.throws(
    () => loadGan(badCfg, { context: "g.safetensors" }),
    (e) =>
      e instanceof FormatError &&
      /^g\.safetensors: config: config\.dataDim must be a positive integer/.test(e.message),
  );
  const p = ganInit(random.key(4), config);
  const wrong = saveGan(p, { ...config, dataDim: 4 });
  assert.throws(
    () => loadGan(wrong),
    (e) =>
      e instanceof FormatError &&
      /^checkpoint: tensor "\w+\.layers\.\d\.\w" has shape \[.*\] but the model expects \[.*\]$/.test(
        e.message,
      ),
  );
});

test("bad input is a ValueError at the boundary, and the consumed arrays are freed", async () => {
  const counter = await liveBufferCounter();
  const fresh = () => ganInit(random.key(5), config);
  tree.dispose(fresh()); // first use allocates jax-js's own constants
  const before = counter.live();
  const rejects = async (opts: Record<string, unknown>, data: Array, re: RegExp) =>
    assert.rejects(
      trainGan(fresh(), random.key(6), data, { config, steps: 2, ...opts }),
      (e) => e instanceof ValueError && re.test(e.message),
    );
  await rejects(
    {},
    np.zeros([4, 2]),
    /^trainGan: data must have shape \[n, 3\] with n >= 1, but got \[4, 2\]$/,
  );
  await rejects({}, np.array([[0, Number.NaN, 1]]), /^trainGan: data must be finite, but got \[NaN\]$/);
  await rejects({}, np.zeros([4, 3], { dtype: np.int32 }), /data must be a float32 or float64 array/);
  await rejects({ steps: 0 }, np.zeros([4, 3]), /^trainGan: steps must be a positive integer, but got 0$/);
  await rejects(
    { checkpointEvery: 2 },
    np.zeros([4, 3]),
    /checkpointEvery and onCheckpoint must be given together/,
  );
  await rejects(
    { config: { ...config, loss: "hinge" } },
    np.zeros([4, 3]),
    /config\.loss must be one of non-saturating, wgan-gp, but got "hinge"/,
  );
  await rejects(
    { config: { ...config, gpWeight: -1 } },
    np.zeros([4, 3]),
    /config\.gpWeight must be a finite number >= 0/,
  );
  await rejects(
    { config: { ...config, generatorAdam: { b2: 1 } } },
    np.zeros([4, 3]),
    /config\.generatorAdam\.b2 must be a number in \[0, 1\)/,
  );
  await rejects(
    { config: { ...config, latentDim: 4 } },
    np.zeros([4, 3]),
    /params\.generator must be an MLP with input width 4/,
  );
  assert.throws(
    () => sampleGan(fresh(), random.key(7), 0, { config }),
    /^ValueError: sampleGan: n must be a positive integer, but got 0$/,
  );
  assert.throws(
    () => generate(fresh(), np.zeros([2, 3]), { config }),
    /generate: z must be an array of shape \[n, 2\], but got \[2, 3\]/,
  );
  assert.throws(
    () => ganInit(random.key(8), { ...config, activation: "swish" as never }),
    /ganInit: config\.activation must be one of/,
  );
  const p = fresh();
  tree.dispose(p.generator);
  assert.throws(
    () => discriminatorLoss(p.discriminator, random.key(9), np.zeros([4, 3]), np.zeros([5, 3]), { config }),
    /discriminatorLoss: xFake must have the shape of xReal \[4, 3\], but got \[5, 3\]/,
  );
  assert.equal(counter.live(), before);
});
