import assert from "node:assert/strict";
import { test } from "node:test";
import { type Array, jit, np, tree } from "../../src/jax.js";
import { chain, clipByGlobalNorm, globalNorm, sgd } from "../../src/optim/index.js";

const grads = () => ({ a: np.array([3, 0]), b: { c: np.array([[4]]) } }); // global norm 5

test("globalNorm is the L2 norm over all leaves", () => {
  assert.ok(Math.abs(globalNorm(grads()).item() - 5) < 1e-6);
  assert.equal(globalNorm({}).item(), 0);
});

test("clipByGlobalNorm rescales to maxNorm above it and leaves gradients alone below it", () => {
  const clipped = clipByGlobalNorm(1)(grads());
  assert.deepEqual(
    (clipped.a.ref.js() as number[]).map((x) => Math.round(x * 1e6) / 1e6),
    [0.6, 0],
  );
  assert.ok(Math.abs(globalNorm(clipped).item() - 1) < 1e-6);
  const same = clipByGlobalNorm(10)(grads());
  assert.deepEqual(same.a.js(), [3, 0]);
  assert.deepEqual(same.b.c.js(), [[4]]);
  const zero = clipByGlobalNorm(1)({ a: np.zeros([2]) });
  assert.deepEqual(zero.a.js(), [0, 0]);
});

test("chain(clip, sgd) clips before the update, inside jit", () => {
  const opt = chain(clipByGlobalNorm(1), sgd({ lr: 1 }));
  type P = { a: Array; b: { c: Array } };
  const params: P = { a: np.zeros([2]), b: { c: np.zeros([1, 1]) } };
  const state = opt.init(tree.ref(params));
  const update = jit((g: P, s: typeof state, p: P) => opt.update(g, s, p));
  const [p2, s2] = update(grads(), state, params);
  assert.ok(Math.abs((p2.a.ref.js() as number[])[0] + 0.6) < 1e-6);
  assert.ok(Math.abs((p2.b.c.ref.js() as number[][])[0][0] + 0.8) < 1e-6);
  tree.dispose([p2, s2]);
  update.dispose();
  assert.throws(
    () => chain(clipByGlobalNorm(1) as never),
    /chain: arguments must be gradient transforms followed by one optimizer/,
  );
});
