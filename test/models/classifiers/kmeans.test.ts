import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { iris } from "../../../src/data/datasets/index.js";
import { random } from "../../../src/jax.js";
import { fromRows, type Matrix, takeRows } from "../../../src/linalg/matrix.js";
import { kmeans, kmeansPlusPlus, lloyd } from "../../../src/models/classifiers/kmeans.js";

type KmCase = {
  data: "iris" | "blobs";
  init_rows?: number[];
  centers?: number[][];
  labels?: number[];
  inertia?: number;
  n_iter?: number;
  best_inertia_10_restarts?: number;
};
const fixture: { sklearn: string; blobs: number[][]; kmeans: KmCase[] } = JSON.parse(
  readFileSync(new URL("../../fixtures/classifiers/mixture.json", import.meta.url), "utf8"),
);
const data = (name: "iris" | "blobs"): Matrix => fromRows(name === "iris" ? iris.X : fixture.blobs);

test(`lloyd from given centres matches scikit-learn ${fixture.sklearn} KMeans(algorithm="lloyd")`, () => {
  for (const c of fixture.kmeans.filter((k) => k.init_rows)) {
    const X = data(c.data);
    const r = lloyd(X, takeRows(X, c.init_rows!));
    const what = `${c.data} from rows ${c.init_rows}`;
    assert.deepEqual(Array.from(r.labels), c.labels, `${what}: labels`);
    assert.equal(r.nIter, c.n_iter, `${what}: iterations`);
    assert.ok(r.converged);
    assert.ok(Math.abs(r.inertia - c.inertia!) < 1e-9 * c.inertia!, `${what}: inertia`);
    for (const [i, v] of c.centers!.flat().entries())
      assert.ok(Math.abs(r.centers.data[i] - v) < 1e-12 * (1 + Math.abs(v)), `${what}: centre ${i}`);
  }
});

test("k-means++ seeding: rows of X, distinct, deterministic given the key", () => {
  const X = data("blobs");
  const a = kmeansPlusPlus(random.key(1), X, 3);
  const b = kmeansPlusPlus(random.key(1), X, 3);
  assert.deepEqual(a.indices, b.indices);
  assert.equal(new Set(a.indices).size, 3);
  for (let c = 0; c < 3; c++)
    assert.deepEqual(
      Array.from(a.centers.data.subarray(c * 2, c * 2 + 2)),
      Array.from(X.data.subarray(a.indices[c] * 2, a.indices[c] * 2 + 2)),
    );
  // on three separated blobs the seeds should land in three different blobs for most keys
  const blobOf = (i: number) => (i < 120 ? 0 : i < 220 ? 1 : 2);
  let spread = 0;
  for (let s = 0; s < 10; s++) {
    const { indices } = kmeansPlusPlus(random.key(100 + s), X, 3);
    if (new Set(Array.from(indices, blobOf)).size === 3) spread++;
  }
  assert.ok(spread >= 8, `seeds covered all three blobs for only ${spread}/10 keys`);
});

test("kmeans (seeding + Lloyd) reaches scikit-learn's best inertia on the fixtures", () => {
  for (const c of fixture.kmeans.filter((k) => k.best_inertia_10_restarts)) {
    const X = data(c.data);
    let best = Number.POSITIVE_INFINITY;
    for (let s = 0; s < 3; s++) best = Math.min(best, kmeans(random.key(7 + s), X, 3).inertia);
    assert.ok(
      best <= c.best_inertia_10_restarts! * (1 + 1e-9),
      `${c.data}: ${best} vs ${c.best_inertia_10_restarts}`,
    );
    // invariants of a Lloyd fixed point: each centre is the mean of its cluster, each row at its nearest centre
    const r = kmeans(random.key(7), X, 3);
    const d = X.cols;
    for (let k = 0; k < 3; k++) {
      const rows = Array.from(r.labels.keys()).filter((i) => r.labels[i] === k);
      for (let j = 0; j < d; j++) {
        const m = rows.reduce((s, i) => s + X.data[i * d + j], 0) / rows.length;
        assert.ok(Math.abs(m - r.centers.data[k * d + j]) < 1e-9);
      }
    }
  }
});

test("lloyd: an empty cluster is relocated, never NaN", () => {
  const X = fromRows([[0], [0.1], [0.2], [10], [10.1]]);
  const r = lloyd(X, fromRows([[0.1], [10], [1000]]));
  assert.ok(r.centers.data.every(Number.isFinite));
  assert.equal(new Set(r.labels).size, 3);
});

test("bad input", () => {
  const X = data("iris");
  assert.throws(() => kmeansPlusPlus(random.key(0), X, 0), /nClusters must be an integer >= 1/);
  assert.throws(
    () => lloyd(fromRows([[1], [2]]), fromRows([[1], [2], [3]])),
    /at least nClusters \(3\) rows/,
  );
  assert.throws(() => lloyd(X, fromRows([[1, 2]])), /must have 4 features/);
});
