import assert from "node:assert/strict";
import { test } from "node:test";
import { FormatError } from "../../../src/errors.js";
import { encodeCheckpoint } from "../../../src/io/checkpoint.js";
import { np, random, tree } from "../../../src/jax.js";
import { generate } from "../../../src/models/autoregressive/generate.js";
import {
  decodeTransformer,
  encodeTransformer,
  streamWindows,
  type TransformerConfig,
  transformer,
} from "../../../src/models/transformer/index.js";
import type { ProgressInfo } from "../../../src/train/fit.js";
import { liveBufferCounter } from "../../train/live-buffers.js";

// "a a b b c c" repeated (a=1, b=2, c=3 in a vocabulary of 8): the token after "a" depends on the one
// before it, so the model must use more than one token of context.
const PERIOD = [1, 1, 2, 2, 3, 3];
const stream = (n: number, phase = 0) =>
  globalThis.Array.from({ length: n }, (_, i) => PERIOD[(i + phase) % 6]);

const config: TransformerConfig = {
  vocabSize: 8,
  contextLength: 8,
  nLayers: 2,
  dModel: 32,
  nHeads: 4,
  dropout: 0,
  tieWeights: true,
  maskKind: "causal",
};

test("training on a repetitive corpus: loss falls far below ln V, greedy generation continues the pattern, scores agree", async () => {
  const m = transformer(config);
  const T = config.contextLength;
  // stride 5 starts windows at every phase of the period; each window scores all its targets
  const train = streamWindows(stream(301), { contextLength: T, vocabSize: 8, stride: 5, scoreOverlap: true });
  const valid = streamWindows(stream(97, 2), { contextLength: T, vocabSize: 8 });
  const evals: number[] = [];
  const r = await m.train(
    m.init(random.key(0)),
    random.key(1),
    { train, valid },
    {
      steps: 150,
      batchSize: 16,
      lr: 1e-2,
      evalEvery: 50,
      onProgress: (i) => {
        if (i.evalMetric !== undefined) evals.push(i.evalMetric);
      },
    },
  );
  assert.equal(r.steps, 150);
  assert.equal(evals.length, 3);
  const lnV = Math.log(8);
  assert.ok(Math.abs(r.losses[0] - lnV) < 0.3, `first loss ${r.losses[0]} near ln 8 = ${lnV}`);
  // the first target of a window has one token of context: the floor is (ln 2) / 8 ~ 0.09 nats
  assert.ok(evals[2] < 0.25, `held-out loss ${evals} (ln V = ${lnV})`);
  const params = r.params;

  // the held-out loss equals the NLL per token of `logProb` on the same windows' sequence
  const held = stream(97, 2);
  const scores = m.logProb(tree.ref(params), [held], { batchSize: 4 });
  assert.equal(scores.tokens, 96);
  assert.ok(Math.abs(scores.nll - evals[2]) < 1e-5, `${scores.nll} vs ${evals[2]}`);
  assert.ok(Math.abs(scores.logProb[0] - scores.tokenLogProbs[0].reduce((a, b) => a + b)) < 1e-9);
  assert.ok(Math.abs(m.perplexity(tree.ref(params), [held], { batchSize: 4 }) - Math.exp(scores.nll)) < 1e-9);
  // a smaller stride gives more context to later windows: no worse
  const strided = m.logProb(tree.ref(params), [held], { stride: 2 });
  assert.ok(strided.nll <= scores.nll + 1e-6);

  // greedy generation past the context length (the context is cropped to its last 8 tokens)
  const nt = m.asNextTokenModel(tree.ref(params));
  const out = generate(nt, random.key(2), { prompt: [1, 1], maxTokens: 16, temperature: 0 });
  assert.deepEqual([...out], stream(16, 2));
  const sampled = generate(nt, random.key(3), { prompt: [2, 3], maxTokens: 10, temperature: 0.5, topK: 2 });
  assert.equal(sampled.length, 10);

  // nextLogProbs is the log-softmax of apply's logits at the last position
  const ctx = [1, 2, 2, 3];
  const lp = nt.nextLogProbs(Int32Array.from(ctx));
  const logits = m
    .apply(tree.ref(params), np.array([ctx], { dtype: np.int32 }))
    .slice(0, 3)
    .dataSync() as Float32Array;
  const lse = Math.log(logits.reduce((s, v) => s + Math.exp(v), 0));
  for (let v = 0; v < 8; v++) assert.ok(Math.abs(lp[v] - (logits[v] - lse)) < 1e-5);
  assert.ok(Math.abs(lp.reduce((s, v) => s + Math.exp(v), 0) - 1) < 1e-12);
  nt.dispose();
  assert.throws(() => nt.nextLogProbs(Int32Array.from([1])), /disposed/);

  // checkpoint round trip: same config, same logits, extras kept
  const bytes = encodeTransformer(tree.ref(params), config, { vocab: ["<pad>", "a", "b", "c"] });
  const back = decodeTransformer(bytes);
  assert.deepEqual(back.config, m.config);
  assert.deepEqual(back.extra, { vocab: ["<pad>", "a", "b", "c"] });
  const tokens = () => np.array([[1, 1, 2, 2, 3, 3, 1, 1]], { dtype: np.int32 });
  const a = m.apply(tree.ref(params), tokens()).dataSync();
  const b = m.apply(back.params, tokens()).dataSync();
  assert.deepEqual(globalThis.Array.from(b), globalThis.Array.from(a));
  tree.dispose([params, r.optState]);
  m.dispose();
});

test("checkpoints: wrong kind, bad config and mismatched tensors are FormatErrors", () => {
  const m = transformer(config);
  const p = m.init(random.key(0));
  const other = encodeCheckpoint({ kind: "vae", config: {}, params: { w: np.ones([2]) } });
  assert.throws(() => decodeTransformer(other), {
    name: "FormatError",
    message: /checkpoint: expected model kind "transformer" but the file holds "vae"/,
  });
  const badConfig = encodeCheckpoint({
    kind: "transformer",
    config: { ...config, nHeads: 5 },
    params: { w: np.ones([2]) },
  });
  assert.throws(() => decodeTransformer(badConfig, { context: "model.safetensors" }), {
    name: "FormatError",
    message: /model.safetensors: config: config.dModel must be a multiple of config.nHeads \(5\), but got 32/,
  });
  // params of a wider model under this config
  const wide = transformer({ ...config, dModel: 16 });
  const mismatched = encodeCheckpoint({ kind: "transformer", config, params: wide.init(random.key(1)) });
  assert.throws(() => decodeTransformer(mismatched), FormatError);
  assert.throws(
    () => decodeTransformer(mismatched),
    /tensor "tokenEmbedding.table" has shape \[8, 16\] but the model expects \[8, 32\]/,
  );
  assert.throws(
    () => encodeTransformer(tree.ref(p), { ...config, dropout: -1 }),
    /encodeTransformer: config.dropout/,
  );
  tree.dispose(p);
  m.dispose();
  wide.dispose();
});

test("training options are checked before any work", async () => {
  const m = transformer(config);
  const train = streamWindows(stream(41), { contextLength: 8, vocabSize: 8 }); // 5 windows
  const run = (opts: Parameters<typeof m.train>[3], data: Parameters<typeof m.train>[2] = { train }) =>
    m.train(m.init(random.key(0)), random.key(1), data, opts);
  await assert.rejects(
    run({ steps: 5, batchSize: 6 }),
    /train: batchSize must be at most the number of training windows \(5\), but got 6/,
  );
  await assert.rejects(run({ batchSize: 2 }), /train: give exactly one of steps and epochs/);
  await assert.rejects(
    run({ steps: 5, batchSize: 2, evalEvery: 2 }),
    /train: evalEvery and patience need data.valid/,
  );
  await assert.rejects(
    run({ steps: 5, batchSize: 2, warmupSteps: 5 }),
    /train: warmupSteps must be an integer in \[0, 5\)/,
  );
  const long = streamWindows(stream(41), { contextLength: 4, vocabSize: 8 });
  const short = transformer({ ...config, contextLength: 2 });
  await assert.rejects(
    short.train(short.init(random.key(0)), random.key(1), { train: long }, { steps: 1 }),
    /train: data windows must have T <= contextLength \(2\), but got T = 4/,
  );
  m.dispose();
  short.dispose();
});

test("300 training steps, scoring and generation leave no live buffers behind", async () => {
  const counter = await liveBufferCounter();
  const m = transformer({ ...config, dropout: 0.1, tieWeights: false });
  const train = streamWindows(stream(257), { contextLength: 8, vocabSize: 8 });
  const valid = streamWindows(stream(41, 1), { contextLength: 8, vocabSize: 8 });
  const round = async (steps: number, onProgress?: (i: ProgressInfo) => void) => {
    const r = await m.train(
      m.init(random.key(0)),
      random.key(1),
      { train, valid },
      { steps, batchSize: 8, evalEvery: 50, onProgress },
    );
    assert.equal(r.steps, steps);
    const p = r.params;
    m.logProb(tree.ref(p), [stream(30)]);
    const nt = m.asNextTokenModel(tree.ref(p), { bos: 1 });
    generate(nt, random.key(5), { maxTokens: 12 });
    nt.dispose();
    tree.dispose([p, r.optState]);
  };
  // a short first round: jax-js keeps a few buffers alive after its first use of some operations
  await round(2);
  const before = counter.live();
  const live: number[] = [];
  await round(300, (i) => {
    if (i.step % 50 === 0) live.push(counter.live());
  });
  assert.ok(
    live.every((n) => n === live[0]),
    `live buffers every 50 steps: ${live.join(", ")}`,
  );
  const after = counter.live();
  m.dispose();
  if (process.env.VERBOSE) console.log({ before, live, after, disposed: counter.live() });
  assert.ok(after - before <= 2, `live buffers: ${before} before, ${after} after`);
});
