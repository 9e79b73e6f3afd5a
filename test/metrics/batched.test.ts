// Batched divergences: each output equals the vector function on the corresponding slice (bit for
// bit), for every axis of 2-D and 3-D arrays; errors name the slice.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../src/errors.js";
import {
  batched,
  DIVERGENCE_NAMES,
  DIVERGENCES,
  entropy,
  entropyBatch,
  fromCounts,
  jsDivergence,
  jsDivergenceBatch,
  klDivergenceBatch,
} from "../../src/metrics/index.js";
import { rng } from "./random-vectors.js";

/** Random counts of `shape` normalised along `axis`, with some zeros. */
function randomBatch(u: () => number, shape: number[], axis: number): Float64Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const c = new Float64Array(size);
  for (let i = 0; i < size; i++) c[i] = u() < 0.2 ? 0 : -Math.log(1 - u());
  // first entry of each slice stays positive
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const n = shape[axis];
  for (let i = 0; i < size; i++) if (Math.floor(i / inner) % n === 0) c[i] += 0.01;
  return fromCounts(c, { shape, axis });
}

/** Slice of a row-major array of `shape` along `axis`, at the other indices `at` (flat outer, inner). */
function slice(x: Float64Array, shape: number[], axis: number, o: number, i: number): Float64Array {
  const n = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return Float64Array.from({ length: n }, (_, k) => x[o * n * inner + i + k * inner]);
}

test("batched(metric) along every axis of 2-D and 3-D arrays equals the vector function per slice", () => {
  const u = rng(11);
  for (const shape of [
    [7, 5],
    [1, 9],
    [9, 1],
    [3, 4, 5],
    [2, 1, 6],
  ]) {
    for (let axis = 0; axis < shape.length; axis++) {
      const P = randomBatch(u, shape, axis);
      const Q = randomBatch(u, shape, axis);
      const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
      const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      for (const name of DIVERGENCE_NAMES) {
        const opts = name === "tv" || name === "hellinger" ? {} : { base: 2 };
        const got = batched(name)(P, Q, shape, axis, opts);
        assert.equal(got.length, outer * inner);
        for (let o = 0; o < outer; o++)
          for (let i = 0; i < inner; i++) {
            const want = DIVERGENCES[name](slice(P, shape, axis, o, i), slice(Q, shape, axis, o, i), opts);
            assert.equal(
              got[o * inner + i],
              want,
              `${name} shape [${shape}] axis ${axis} slice (${o}, ${i})`,
            );
          }
      }
      const h = entropyBatch(P, shape, axis);
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) assert.equal(h[o * inner + i], entropy(slice(P, shape, axis, o, i)));
    }
  }
});

test("jsDivergenceBatch / klDivergenceBatch are batched('js') / batched('kl'); number[] works too", () => {
  const P = [0.5, 0.5, 0, 1, 0.25, 0.75];
  const Q = [1, 0, 0.5, 0.5, 0.25, 0.75];
  assert.deepEqual(jsDivergenceBatch(P, Q, [3, 2], 1), batched("js")(P, Q, [3, 2], -1));
  assert.deepEqual(Array.from(jsDivergenceBatch(P, Q, [3, 2], 1)), [
    jsDivergence([0.5, 0.5], [1, 0]),
    jsDivergence([0, 1], [0.5, 0.5]),
    0,
  ]);
  assert.deepEqual(Array.from(klDivergenceBatch(P, Q, [3, 2], 1)), [
    Number.POSITIVE_INFINITY,
    Math.log(2),
    0,
  ]);
});

function throwsValue(f: () => unknown, re: RegExp): void {
  assert.throws(f, (e: unknown) => e instanceof ValueError && re.test(e.message));
}

test("batch errors name the shape, the axis and the bad slice", () => {
  const js = batched("js");
  const P = [0.5, 0.5, 0.2, 0.8];
  throwsValue(
    () => js(P, [0.5, 0.5, 0.2, 0.9], [2, 2], 1),
    /^batched\("js"\): Q\[1, :\] must sum to 1 \(within 1e-9\), but sums to 1\.1/,
  );
  throwsValue(
    () => js(P, [0.5, 0.5, 0.2, 0.8], [2, 2], 0),
    /^batched\("js"\): P\[:, 0\] must sum to 1 .* but sums to 0\.7/,
  );
  throwsValue(
    () => js(P, [0.5, 0.5, -0.2, 1.2], [2, 2], 1),
    /Q\[1, :\] must have finite non-negative entries, but Q\[1, 0\] = -0\.2$/,
  );
  throwsValue(
    () =>
      batched("kl")(
        new Float64Array(8).fill(0.5),
        Float64Array.of(0.5, 0.5, 0.5, 0.5, 0.5, Number.NaN, 0.5, 0.5),
        [2, 2, 2],
        2,
      ),
    /Q\[1, 0, :\] must have finite non-negative entries, but Q\[1, 0, 1\] = NaN$/,
  );
  throwsValue(
    () => js(P, P, [3, 2], 1),
    /^batched\("js"\): P must have 6 entries for shape \[3, 2\], but has 4$/,
  );
  throwsValue(() => js(P, [1, 0], [2, 2], 1), /P and Q must have the same length, but got lengths 4 and 2/);
  throwsValue(() => js(P, P, [2, 2], 2), /axis must be an integer in \[-2, 1\], but got 2$/);
  throwsValue(() => js(P, P, [2, 2], 0.5), /axis must be an integer/);
  throwsValue(() => js(P, P, [4, 0], 0), /shape must be a non-empty list of positive integers/);
  throwsValue(() => js(P, P, [2, 2], 1, { base: -1 }), /base must be a finite number > 0/);
  throwsValue(() => batched("js-distance")(P, P, [2, 2], 1, { base: 0.1 }), /base must be > 1/);
  throwsValue(
    () => js([1, 0, 0, 2], P, [2, 2], 1, { names: ["A", "B"] }),
    /^batched\("js"\): A\[1, :\] must sum to 1/,
  );
  throwsValue(() => entropyBatch([0.5, 0.5, 0.5, 0.6], [2, 2], 1), /^entropyBatch: P\[1, :\] must sum to 1/);
  throwsValue(() => batched("bogus" as "js"), /^batched: metric must be one of/);
});
