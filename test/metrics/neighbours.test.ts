// k-d tree searches against brute force with the same squared distances: k nearest neighbours
// (with self-exclusion and duplicates), dual-tree pair counts over many radii, and ball covers; all
// exact, including ties (integer grids).
import assert from "node:assert/strict";
import { test } from "node:test";
import { hostUniforms } from "../../src/host-random.js";
import { random } from "../../src/jax.js";
import type { Matrix } from "../../src/linalg/matrix.js";
import {
  ballCover,
  buildKdTree,
  countCoveringBalls,
  countPairsWithinRadii,
  kNearest,
} from "../../src/metrics/neighbours.js";
import { sqDist } from "../../src/metrics/points.js";

/** Uniform points, or points on an integer grid {0..5}^d (many ties and repeated points). */
function points(seed: number, n: number, d: number, grid: boolean): Matrix {
  const u = hostUniforms(random.key(seed), n * d);
  return { rows: n, cols: d, data: grid ? u.map((v) => Math.floor(v * 6)) : u };
}

test("kNearest equals a brute-force sort of squared distances (self excluded, duplicates kept)", () => {
  for (let trial = 0; trial < 24; trial++) {
    const d = 1 + (trial % 4);
    const grid = trial % 2 === 1;
    const X = points(trial, 40 + 7 * trial, d, grid);
    const Q = points(100 + trial, 25, d, grid);
    const tree = buildKdTree(X, { leafSize: 1 + (trial % 9) });
    const k = 1 + (trial % 6);
    for (const self of [false, true]) {
      const queries = self ? X : Q;
      const got = kNearest(tree, queries, k, { self, squared: true });
      for (let i = 0; i < queries.rows; i++) {
        const all: number[] = [];
        for (let j = 0; j < X.rows; j++)
          if (!(self && i === j)) all.push(sqDist(queries.data, i, X.data, j, d));
        all.sort((a, b) => a - b);
        for (let m = 0; m < k; m++) {
          assert.equal(got.distances[i * k + m], all[m]);
          const j = got.indices[i * k + m];
          assert.ok(!(self && j === i), "self excluded");
          assert.equal(sqDist(queries.data, i, X.data, j, d), all[m], "index matches its distance");
        }
      }
    }
  }
});

test("kNearest returns Euclidean distances by default and checks its arguments", () => {
  const X = points(1, 30, 2, false);
  const tree = buildKdTree(X);
  const a = kNearest(tree, X, 3, { self: true });
  const b = kNearest(tree, X, 3, { self: true, squared: true });
  assert.deepEqual(a.distances, b.distances.map(Math.sqrt));
  assert.throws(() => kNearest(tree, X, 30, { self: true }), /k must be at most 29/);
  assert.throws(() => kNearest(tree, points(2, 5, 3, false), 1), /dimension 2/);
});

test("countPairsWithinRadii (self and cross trees) equals brute-force counts, ties included", () => {
  for (let trial = 0; trial < 20; trial++) {
    const d = 1 + (trial % 3);
    const grid = trial % 2 === 0;
    const X = points(trial, 60 + 11 * trial, d, grid);
    const Q = points(50 + trial, 33, d, grid);
    const radii = grid ? [0.5, 1, 2, 2.5, 4, 9, 50] : [0.01, 0.03, 0.1, 0.2, 0.5, 1, 2];
    const r2 = Float64Array.from(radii, (r) => r * r);
    const leafSize = 1 + (trial % 5);
    const tree = buildKdTree(X, { leafSize });
    for (const [A, tA] of [
      [X, tree],
      [Q, buildKdTree(Q, { leafSize })],
    ] as const) {
      const got = new Float64Array(radii.length);
      countPairsWithinRadii(tA, tree, r2, got);
      const want = new Float64Array(radii.length);
      for (let i = 0; i < A.rows; i++)
        for (let j = 0; j < X.rows; j++) {
          const s = sqDist(A.data, i, X.data, j, d);
          for (let k = 0; k < radii.length; k++) if (s <= r2[k]) want[k]++;
        }
      assert.deepEqual(got, want);
    }
  }
});

test("countCoveringBalls equals brute force (ties inside; firstOnly gives 0 or 1)", () => {
  for (let trial = 0; trial < 12; trial++) {
    const d = 1 + (trial % 3);
    const grid = trial % 2 === 0;
    const X = points(trial, 80, d, grid);
    const Q = points(200 + trial, 40, d, grid);
    const u = hostUniforms(random.key(300 + trial), X.rows);
    const radii2 = grid ? u.map((v) => Math.floor(v * 4)) : u.map((v) => 0.1 * v * v);
    const cover = ballCover(buildKdTree(X, { leafSize: 3 }), radii2);
    for (let i = 0; i < Q.rows; i++) {
      let want = 0;
      for (let j = 0; j < X.rows; j++) if (sqDist(Q.data, i, X.data, j, d) <= radii2[j]) want++;
      assert.equal(countCoveringBalls(cover, Q.data, i), want);
      assert.equal(countCoveringBalls(cover, Q.data, i, true), want > 0 ? 1 : 0);
    }
  }
});

test("a tree over repeated identical points works (one leaf)", () => {
  const X = { rows: 50, cols: 2, data: new Float64Array(100).fill(3) };
  const tree = buildKdTree(X, { leafSize: 4 });
  assert.equal(tree.start.length, 1);
  const got = new Float64Array(1);
  countPairsWithinRadii(tree, tree, Float64Array.of(0), got);
  assert.equal(got[0], 2500);
  assert.deepEqual(kNearest(tree, X, 2, { self: true }).distances, new Float64Array(100));
});
