import assert from "node:assert/strict";
import { test } from "node:test";
import { type Array, np, random, tree } from "../../src/jax.js";
import { type Linear, linearApply, linearInit } from "../../src/nn/index.js";
import { adam, sgd } from "../../src/optim/index.js";
import { makeTrainStep } from "../../src/train/index.js";

type B = { x: Array; y: Array };
const mse = (p: Linear, key: Array, b: B) => {
  key.dispose();
  return np.square(linearApply(p, b.x).sub(b.y)).mean();
};

function regression(n: number): B {
  const ks = random.split(random.key(0), 2);
  const x = random.normal(ks.ref.slice(0), [n, 3]);
  const y = np
    .matmul(x.ref, np.array([[1], [-2], [0.5]]))
    .add(0.3)
    .add(random.normal(ks.slice(1), [n, 1]).mul(0.01));
  return { x, y };
}

test("makeTrainStep: returns the loss at the incoming params and one SGD update", () => {
  let p: Linear = { w: np.zeros([3, 1]), b: np.zeros([1]) };
  const opt = sgd({ lr: 0.1 });
  let s = opt.init(tree.ref(p));
  const step = makeTrainStep(mse, opt);
  const batch = { x: np.array([[1, 0, 0]]), y: np.array([[2]]) };
  const out = step(p, s, random.key(0), tree.ref(batch));
  p = out[0];
  s = out[1];
  assert.equal(out[2].item(), 4); // (0 - 2)^2 at w = 0
  // dL/dw0 = 2 (w0 - 2) = -4, dL/db = -4 -> w0 = b = 0.4
  assert.ok(Math.abs((p.w.ref.js() as number[][])[0][0] - 0.4) < 1e-6);
  assert.ok(Math.abs((p.b!.ref.js() as number[])[0] - 0.4) < 1e-6);
  assert.equal(s.count.ref.item(), 1);
  step.dispose();
  tree.dispose([p, s, out[3], batch]);
});

test("makeTrainStep: loss falls over 200 Adam steps; aux outputs pass through", () => {
  const data = regression(128);
  let p = linearInit(random.key(1), 3, 1);
  const opt = adam({ lr: 0.05 });
  let s = opt.init(tree.ref(p));
  const step = makeTrainStep((p: Linear, key: Array, b: B) => {
    key.dispose();
    const err = linearApply(p, b.x).sub(b.y);
    return [np.square(err.ref).mean(), { maxAbs: np.abs(err).max() }];
  }, opt);
  const losses: number[] = [];
  for (let i = 0; i < 200; i++) {
    const out = step(p, s, random.key(i), tree.ref(data));
    p = out[0];
    s = out[1];
    losses.push(out[2].item());
    const aux = out[3] as { maxAbs: Array };
    assert.ok(aux.maxAbs.item() >= 0);
  }
  assert.ok(losses[199] < 0.01 * losses[0], `loss ${losses[0]} -> ${losses[199]}`);
  const w = p.w.ref.js() as number[][];
  assert.ok(Math.abs(w[1][0] + 2) < 0.05);
  step.dispose();
  tree.dispose([p, s, data]);
});

test("makeTrainStep: a non-scalar loss is rejected, and a non-finite gradient shows as a NaN loss", () => {
  const opt = sgd({ lr: 0.1 });
  const bad = makeTrainStep((p: Linear, key: Array, b: B) => {
    key.dispose();
    return linearApply(p, b.x).sub(b.y);
  }, opt);
  const p = linearInit(random.key(0), 3, 1);
  assert.throws(
    () => bad(tree.ref(p), opt.init(tree.ref(p)), random.key(0), regression(4)),
    /trainStep: loss must return a scalar, but got shape \[4, 1\]/,
  );
  // sqrt(|w|) at w = 0: finite loss, infinite gradient
  const sqrtLoss = makeTrainStep((q: { w: Array }, key: Array, b: { x: Array }) => {
    key.dispose();
    return np.sqrt(np.abs(q.w)).sum().add(b.x.sum());
  }, opt);
  const q = { w: np.zeros([2]) };
  const out = sqrtLoss(tree.ref(q), opt.init(q), random.key(0), { x: np.ones([1]) });
  assert.ok(Number.isNaN(out[2].item()));
  tree.dispose([out[0], out[1], out[3], p]);
});
