/** Checkpoints: exact round trip of params and config (library statistics included), and FormatErrors. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { FormatError } from "../../../src/errors.js";
import { encodeCheckpoint } from "../../../src/io/checkpoint.js";
import { type Array, np, random, tree } from "../../../src/jax.js";
import {
  elbo,
  loadVae,
  resolveVaeConfig,
  saveVae,
  type VaeConfig,
  type VaeParams,
  vaeInit,
} from "../../../src/models/vae/index.js";

const leaves = (p: VaeParams) => tree.leaves(p).map((a) => (a as Array).ref.js());

test("saveVae / loadVae round-trip params, config and extras exactly", () => {
  const configs: VaeConfig[] = [
    { inputDim: 5, latentDim: 2, hidden: [4, 3], likelihood: "zinb", nLabels: 2 },
    {
      inputDim: 3,
      latentDim: 1,
      hidden: [],
      likelihood: "gaussian",
      gaussianVariance: 0.3,
      activation: "tanh",
    },
    { inputDim: 4, latentDim: 2, hidden: [3], likelihood: "gaussian", dtype: "float64" },
  ];
  for (const config of configs) {
    const p = vaeInit(random.key(1), config);
    if (p.library) {
      tree.dispose(p.library);
      p.library = { logMean: np.array(6.25), logVar: np.array(0.5) };
    }
    const bytes = saveVae(tree.ref(p), config, { note: "round trip", steps: [1, 2] });
    const back = loadVae(bytes);
    assert.deepEqual(back.config, resolveVaeConfig(config));
    assert.deepEqual(back.extra, { note: "round trip", steps: [1, 2] });
    assert.deepEqual(tree.structure(back.params).toString(), tree.structure(tree.ref(p)).toString());
    assert.deepEqual(leaves(back.params), leaves(p));
    // same bound from the loaded params
    const x = config.likelihood === "zinb" ? np.array([[1, 0, 3, 2, 0]]) : np.zeros([1, config.inputDim]);
    const labels = config.nLabels ? { labels: np.array([1], { dtype: np.int32 }) } : {};
    const a = elbo(p, random.key(2), { x: x.ref, ...labels }, { config });
    const b = elbo(
      back.params,
      random.key(2),
      { x, ...(config.nLabels ? { labels: np.array([1], { dtype: np.int32 }) } : {}) },
      { config },
    );
    assert.deepEqual(b.elbo.js(), a.elbo.js());
    tree.dispose([a.recon, a.kl, b.recon, b.kl]);
  }
});

test("loadVae: wrong kind, bad config and mismatched tensors are FormatErrors", () => {
  const other = encodeCheckpoint({ kind: "transformer", config: {}, params: { w: np.ones([2]) } });
  assert.throws(() => loadVae(other), {
    name: "FormatError",
    message: /checkpoint: expected model kind "novelist.vae" but the file holds "transformer"/,
  });
  const config: VaeConfig = { inputDim: 4, latentDim: 2, hidden: [3], likelihood: "nb" };
  const bad = encodeCheckpoint({
    kind: "novelist.vae",
    config: { ...config, latentDim: 0 },
    params: { w: np.ones([2]) },
  });
  assert.throws(() => loadVae(bad, { context: "vae.safetensors" }), {
    name: "FormatError",
    message: /vae.safetensors: config: config.latentDim must be a positive integer, but got 0/,
  });
  const wide = vaeInit(random.key(0), { ...config, hidden: [5] });
  const mismatched = encodeCheckpoint({ kind: "novelist.vae", config, params: wide });
  assert.throws(() => loadVae(mismatched), FormatError);
  assert.throws(() => loadVae(mismatched), /has shape \[4, 5\] but the model expects \[4, 3\]/);
  assert.throws(
    () => saveVae(vaeInit(random.key(0), config), { ...config, hidden: [0] }),
    /saveVae: config.hidden/,
  );
});
