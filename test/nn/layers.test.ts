import assert from "node:assert/strict";
import { test } from "node:test";
import { type Array, grad, jit, np, random, tree, valueAndGrad } from "../../src/jax.js";
import {
  ACTIVATION_NAMES,
  activation,
  dropout,
  type Embedding,
  embeddingApply,
  embeddingInit,
  glorotUniform,
  heNormal,
  type LayerNorm,
  layerNormApply,
  layerNormInit,
  lecunNormal,
  linearApply,
  linearInit,
  type Mlp,
  mlpApply,
  mlpInit,
  normalInit,
} from "../../src/nn/index.js";

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * (1 + Math.abs(b));

function stats(x: Array): { mean: number; std: number; min: number; max: number } {
  const v = globalThis.Array.from(x.dataSync() as Float32Array);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

test("initialisers have the documented scale (fixed key, 200x300 draws)", () => {
  const shape = [200, 300];
  const g = stats(glorotUniform(random.key(1), shape));
  const a = Math.sqrt(6 / 500);
  assert.ok(g.min >= -a && g.max <= a && g.max > 0.99 * a);
  assert.ok(close(g.std, a / Math.sqrt(3), 0.02));
  assert.ok(close(stats(heNormal(random.key(2), shape)).std, Math.sqrt(2 / 200), 0.02));
  assert.ok(close(stats(lecunNormal(random.key(3), shape)).std, Math.sqrt(1 / 200), 0.02));
  const n = stats(normalInit(random.key(4), shape, { std: 0.5 }));
  assert.ok(Math.abs(n.mean) < 0.01 && close(n.std, 0.5, 0.02));
  assert.throws(
    () => normalInit(random.key(0), [0, 3]),
    /normalInit: shape must be a non-empty list of positive integers/,
  );
});

test("linear: x @ w + b with w [in, out], bias optional", () => {
  const p = linearInit(random.key(0), 3, 2, { init: "he" });
  assert.deepEqual(p.w.shape, [3, 2]);
  assert.deepEqual(p.b?.ref.js(), [0, 0]);
  const x = np.array([[1, 2, 3]]);
  const w = p.w.ref.js() as number[][];
  const y = linearApply({ w: p.w, b: np.array([0.5, -0.5]) }, x).js() as number[][];
  for (let j = 0; j < 2; j++)
    assert.ok(close(y[0][j], w[0][j] + 2 * w[1][j] + 3 * w[2][j] + (j ? -0.5 : 0.5), 1e-6));
  p.b?.dispose();
  const nb = linearInit(random.key(1), 4, 5, { bias: false });
  assert.equal(nb.b, undefined);
  assert.deepEqual(linearApply(nb, np.ones([2, 7, 4])).shape, [2, 7, 5]);
  const bad = linearInit(random.key(2), 3, 2);
  assert.throws(
    () => linearApply(bad, np.ones([5, 4])),
    /linearApply: x must have shape \[\.\.\., 3\], but got \[5, 4\]/,
  );
});

test("mlp: shapes, every activation name, jit equals eager", () => {
  const p = mlpInit(random.key(0), [3, 8, 8, 2]);
  assert.equal(p.layers.length, 3);
  assert.deepEqual(
    p.layers.map((l) => l.w.shape),
    [
      [3, 8],
      [8, 8],
      [8, 2],
    ],
  );
  const x = random.normal(random.key(1), [5, 3]);
  for (const name of ACTIVATION_NAMES)
    assert.deepEqual(mlpApply(tree.ref(p), x.ref, { activation: name }).shape, [5, 2]);
  const eager = mlpApply(tree.ref(p), x.ref, {
    activation: "tanh",
    finalActivation: "sigmoid",
  }).js() as number[][];
  const f = jit((p: Mlp, x: Array) => mlpApply(p, x, { activation: "tanh", finalActivation: "sigmoid" }));
  const jitted = f(p, x).js() as number[][];
  f.dispose();
  for (let i = 0; i < 5; i++) for (let j = 0; j < 2; j++) assert.ok(close(jitted[i][j], eager[i][j], 1e-5));
  assert.throws(() => mlpInit(random.key(0), [3]), /mlpInit: sizes must list at least two positive integers/);
  assert.throws(() => activation("swish" as never), /activation: name must be one of relu, gelu/);
});

test("mlp: gradient matches central finite differences (float64, relu)", () => {
  const p = mlpInit(random.key(7), [2, 4, 1], { dtype: np.float64 });
  const x = np.array(
    [
      [0.3, -1.2],
      [1.5, 0.4],
      [-0.7, 0.9],
    ],
    { dtype: np.float64 },
  );
  const loss = (p: Mlp, x: Array) => np.square(mlpApply(p, x)).sum();
  const g = jit(grad(loss))(tree.ref(p), x.ref) as Mlp;
  const w0 = p.layers[0].w.ref.js() as number[][];
  const gw0 = g.layers[0].w.ref.js() as number[][];
  const h = 1e-6;
  for (const [i, j] of [
    [0, 0],
    [1, 2],
    [0, 3],
  ]) {
    const at = (d: number) => {
      const w = w0.map((r) => r.slice());
      w[i][j] += d;
      const q = tree.ref(p);
      q.layers[0].w.dispose();
      q.layers[0].w = np.array(w, { dtype: np.float64 });
      return loss(q, x.ref).item();
    };
    const fd = (at(h) - at(-h)) / (2 * h);
    assert.ok(close(gw0[i][j], fd, 1e-6), `dL/dw0[${i}][${j}]: ${gw0[i][j]} vs ${fd}`);
  }
  tree.dispose([p, g, x]);
});

test("layerNorm: zero mean and unit variance per row, gain and bias applied, gradient vs finite differences", () => {
  const p = layerNormInit(4);
  const x = np.array([
    [1, 2, 3, 4],
    [10, -10, 0, 5],
  ]);
  const y = layerNormApply(tree.ref(p), x.ref).js() as number[][];
  for (const row of y) {
    const m = row.reduce((a, b) => a + b, 0) / 4;
    const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / 4;
    assert.ok(Math.abs(m) < 1e-6 && close(v, 1, 1e-4));
  }
  // [1,2,3,4]: mean 2.5, var 1.25 -> (1 - 2.5)/sqrt(1.25 + 1e-5) * 2 + 1
  const q: LayerNorm = { gain: np.full([4], 2), bias: np.ones([4]) };
  const z = layerNormApply(q, np.array([[1, 2, 3, 4]])).js() as number[][];
  assert.ok(close(z[0][0], (-1.5 / Math.sqrt(1.25 + 1e-5)) * 2 + 1, 1e-6));
  const f = (x: Array) =>
    layerNormApply(layerNormInit(4, { dtype: np.float64 }), x)
      .mul(np.array([1, -2, 3, 0.5], { dtype: np.float64 }))
      .sum();
  const x0 = [0.2, -1, 0.7, 2];
  const gx = jit(grad(f))(np.array(x0, { dtype: np.float64 })).js() as number[];
  for (let i = 0; i < 4; i++) {
    const e = (d: number) =>
      f(
        np.array(
          x0.map((v, k) => (k === i ? v + d : v)),
          { dtype: np.float64 },
        ),
      ).item();
    assert.ok(close(gx[i], (e(1e-6) - e(-1e-6)) / 2e-6, 1e-5), `dy/dx[${i}]`);
  }
  tree.dispose([p, x]);
  assert.throws(
    () => layerNormApply(layerNormInit(3), np.ones([2, 4])),
    /layerNormApply: x must have shape \[\.\.\., 3\]/,
  );
});

test("embedding: rows of the table, gradient counts occurrences (jitted)", () => {
  const p = embeddingInit(random.key(0), 5, 3);
  const table = p.table.ref.js() as number[][];
  const ids = np.array(
    [
      [4, 0],
      [2, 4],
    ],
    { dtype: np.int32 },
  );
  const out = embeddingApply(tree.ref(p), ids.ref).js() as number[][][];
  assert.deepEqual(
    out[0][0].map((v) => Math.round(v * 1e5)),
    table[4].map((v) => Math.round(v * 1e5)),
  );
  assert.deepEqual(
    out[1][0].map((v) => Math.round(v * 1e5)),
    table[2].map((v) => Math.round(v * 1e5)),
  );
  const [, g] = jit(valueAndGrad((p: Embedding, ids: Array) => embeddingApply(p, ids).sum()))(p, ids);
  assert.deepEqual((g as Embedding).table.js(), [
    [1, 1, 1],
    [0, 0, 0],
    [1, 1, 1],
    [0, 0, 0],
    [2, 2, 2],
  ]);
  assert.throws(
    () => embeddingApply(embeddingInit(random.key(1), 3, 2), np.array([0.5])),
    /embeddingApply: ids must be an int32 array, but got dtype float32/,
  );
});

test("dropout: fraction zeroed ~ rate, survivors scaled, identity in evaluation, works in jit", () => {
  const x = np.ones([100, 100]);
  const y = globalThis.Array.from(dropout(random.key(3), x.ref, { rate: 0.3 }).dataSync() as Float32Array);
  const zeros = y.filter((v) => v === 0).length / y.length;
  assert.ok(Math.abs(zeros - 0.3) < 0.02, `zeroed fraction ${zeros}`);
  assert.ok(y.every((v) => v === 0 || close(v, 1 / 0.7, 1e-6)));
  assert.deepEqual(dropout(random.key(3), np.array([1, 2]), { rate: 0.5, training: false }).js(), [1, 2]);
  const f = jit((k: Array, x: Array) => dropout(k, x, { rate: 0.5 }));
  const m = f(random.key(4), x).mean().item();
  f.dispose();
  assert.ok(Math.abs(m - 1) < 0.05);
  assert.throws(
    () => dropout(random.key(0), np.ones([2]), { rate: 1 }),
    /dropout: rate must be a number in \[0, 1\), but got 1/,
  );
});
