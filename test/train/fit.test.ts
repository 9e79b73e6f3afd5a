import assert from "node:assert/strict";
import { test } from "node:test";
import { type Array, np, random, tree } from "../../src/jax.js";
import { type Linear, linearApply, linearInit, type Mlp, mlpApply, mlpInit } from "../../src/nn/index.js";
import { adam, sgd } from "../../src/optim/index.js";
import { fit, NonFiniteLossError, type ProgressInfo } from "../../src/train/index.js";
import { liveBufferCounter } from "./live-buffers.js";

type B = { x: Array; y: Array };

function regression(n: number, seed = 0): B {
  const ks = random.split(random.key(seed), 2);
  const x = random.normal(ks.ref.slice(0), [n, 3]);
  const y = np.matmul(x.ref, np.array([[1], [-2], [0.5]])).add(random.normal(ks.slice(1), [n, 1]).mul(0.05));
  return { x, y };
}
const mse = (p: Linear, key: Array, b: B) => {
  key.dispose();
  return np.square(linearApply(p, b.x).sub(b.y)).mean();
};

test("fit: loss falls, steps and epochs add up, progress reports every step, one batch shape", async () => {
  const shapes = new Set<string>();
  const infos: ProgressInfo[] = [];
  const r = await fit({
    loss: (p: Linear, key: Array, b: B) => {
      shapes.add(b.x.shape.join("x"));
      return mse(p, key, b);
    },
    optimizer: adam({ lr: 0.05 }),
    params: linearInit(random.key(1), 3, 1),
    data: regression(100),
    batchSize: 32, // 3 batches per epoch, 4 rows dropped
    epochs: 30,
    key: random.key(2),
    onProgress: (i) => infos.push(i),
  });
  assert.equal(r.steps, 90);
  assert.equal(r.stopped, "completed");
  assert.deepEqual([...shapes], ["32x3"]);
  assert.deepEqual(
    infos.map((i) => i.step),
    globalThis.Array.from({ length: 90 }, (_, i) => i + 1),
  );
  assert.equal(infos[89].epoch, 30);
  assert.equal(infos[89].totalSteps, 90);
  assert.ok(r.losses[89] < 0.05 * r.losses[0], `${r.losses[0]} -> ${r.losses[89]}`);
  tree.dispose([r.params, r.optState]);
});

test("fit: every row once per epoch, a new order each epoch, the same run for the same key", async () => {
  // the aux output is the sum of the batch's row ids: two batches of 4 from 8 rows cover 0..7 once
  const run = async (seed: number) => {
    const sums: number[] = [];
    await fit({
      loss: (p: { w: Array }, key: Array, b: { id: Array }) => {
        key.dispose();
        return [np.square(p.w).sum(), { first: b.id.ref.slice(0), sum: b.id.sum() }];
      },
      optimizer: sgd({ lr: 0.1 }),
      params: { w: np.ones([1]) },
      data: { id: np.arange(8) },
      batchSize: 4,
      steps: 8, // 4 epochs
      key: random.key(seed),
      onProgress: (i) => sums.push((i.aux as { sum: number }).sum, (i.aux as { first: number }).first),
    }).then((r) => tree.dispose([r.params, r.optState]));
    return sums;
  };
  const a = await run(5);
  for (let e = 0; e < 4; e++)
    assert.equal(a[4 * e] + a[4 * e + 2], 28, `epoch ${e + 1} covers every row once`);
  const firsts = [a[1], a[5], a[9], a[13]];
  assert.ok(new Set(firsts).size > 1, `first rows of epochs: ${firsts}`);
  assert.deepEqual(await run(5), a);
});

test("fit: early stopping after `patience` evaluations without improvement restores the best params", async () => {
  const metrics = [5, 4, 4.5, 3.99, 4.2, 4.3, 4.4, 1, 1];
  const seen: number[][] = [];
  const r = await fit({
    loss: mse,
    optimizer: sgd({ lr: 0.05 }),
    params: linearInit(random.key(3), 3, 1),
    data: regression(64),
    batchSize: 16,
    steps: 1000,
    key: random.key(4),
    evalEvery: 5,
    evalFn: (p) => {
      seen.push((p.w.js() as number[][]).flat());
      p.b?.dispose();
      return metrics[seen.length - 1];
    },
    earlyStopping: { patience: 3, minDelta: 0.05 },
  });
  // 3.99 is not better than 4 by more than minDelta: the best stays at the 2nd eval (step 10)
  assert.equal(r.stopped, "early-stopping");
  assert.deepEqual(r.best, { step: 10, metric: 4 });
  assert.deepEqual(
    r.evals.map((e) => e.step),
    [5, 10, 15, 20, 25],
  );
  assert.equal(r.steps, 25);
  assert.deepEqual((r.params.w.js() as number[][]).flat(), seen[1]);
  tree.dispose([r.params.b, r.optState]);
  await assert.rejects(
    fit({
      loss: mse,
      optimizer: sgd({ lr: 1 }),
      params: linearInit(random.key(0), 3, 1),
      data: regression(8),
      batchSize: 4,
      steps: 2,
      key: random.key(0),
      earlyStopping: { patience: 1 },
    }),
    /fit: earlyStopping needs evalFn and evalEvery/,
  );
});

test("fit: a NaN loss stops with an error naming the step and keeps the last good params", async () => {
  // loss = log(w), SGD lr 0.3 from w = 1: w = 0.7, 0.2714, -0.834 -> step 4 evaluates log(-0.834) = NaN
  const opt = sgd({ lr: 0.3 });
  const err = await fit({
    loss: (p: { w: Array }, key: Array, b: { x: Array }) => {
      key.dispose();
      return np.log(p.w).sum().add(b.x.sum().mul(0));
    },
    optimizer: opt,
    params: { w: np.ones([1]) },
    data: { x: np.zeros([4, 1]) },
    batchSize: 2,
    steps: 10,
    key: random.key(0),
  }).then(
    () => assert.fail("expected NonFiniteLossError"),
    (e) => e,
  );
  assert.ok(err instanceof NonFiniteLossError);
  assert.equal(err.step, 4);
  assert.match(
    err.message,
    /fit: loss or gradient is not finite at step 4 \(loss NaN\); kept the parameters of step 3/,
  );
  const w = (err.params as { w: Array }).w.js() as number[];
  assert.ok(Math.abs(w[0] - (0.7 - 0.3 / 0.7)) < 1e-6, `kept w = ${w[0]}`);
  assert.equal((err.optState as { count: Array }).count.item(), 2);
});

test("fit: bad configuration gives one-line errors before any array is touched", async () => {
  const base = {
    loss: mse,
    optimizer: sgd({ lr: 1 }),
    params: linearInit(random.key(0), 3, 1),
    key: random.key(0),
  };
  await assert.rejects(
    fit({ ...base, data: regression(8), batchSize: 9, steps: 1 }),
    /fit: batchSize must be at most the number of rows \(8\), but got 9/,
  );
  await assert.rejects(
    fit({ ...base, data: regression(8), batchSize: 2 }),
    /fit: give exactly one of epochs and steps/,
  );
  await assert.rejects(
    fit({ ...base, data: { x: np.ones([8, 3]), y: np.ones([7, 1]) }, batchSize: 2, steps: 1 }),
    /fit: data arrays must share their first dimension, but got \[8, 7\]/,
  );
  tree.dispose([base.params, base.key]);
});

test("fit: 1,000 steps of a small MLP leave no live arrays behind", async () => {
  const counter = await liveBufferCounter();
  const before = counter.live();
  const ks = random.split(random.key(9), 2);
  const x = random.normal(ks.ref.slice(0), [64, 2]);
  const y = np.sin(x.ref.slice([], [0, 1])).add(random.normal(ks.slice(1), [64, 1]).mul(0.1));
  const r = await fit({
    loss: (p: Mlp, key: Array, b: B) => {
      key.dispose();
      return np.square(mlpApply(p, b.x, { activation: "tanh" }).sub(b.y)).mean();
    },
    optimizer: adam({ lr: 1e-2 }),
    params: mlpInit(random.key(1), [2, 16, 16, 1]),
    data: { x, y },
    batchSize: 16,
    steps: 1000,
    key: random.key(2),
    evalEvery: 100,
    evalFn: async (p) => {
      const out = mlpApply(p, np.zeros([1, 2]));
      return (await out.data())[0];
    },
  });
  assert.equal(r.steps, 1000);
  const during = counter.live();
  tree.dispose([r.params, r.optState]);
  const after = counter.live();
  assert.ok(during > after, "the result holds buffers until disposed");
  if (process.env.VERBOSE) console.log({ before, during, after });
  assert.ok(after - before <= 2, `live buffers: ${before} before, ${after} after`);
});
