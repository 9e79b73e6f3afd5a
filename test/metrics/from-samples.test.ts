// Empirical distributions of two label samples on their shared (sorted union) support.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../src/errors.js";
import {
  compareLabels,
  divergenceFromSamples,
  empiricalPair,
  jsDivergence,
  klDivergence,
} from "../../src/metrics/index.js";

test("support is the sorted union: numbers ascending first, then strings by code unit", () => {
  const { support, p, q } = empiricalPair(["b", 10, "a", 9, "b", "10"], ["Z", 9, 1, "a"]);
  assert.deepEqual(support, [1, 9, 10, "10", "Z", "a", "b"]);
  assert.deepEqual(Array.from(p), [0, 1 / 6, 1 / 6, 1 / 6, 0, 1 / 6, 2 / 6]);
  assert.deepEqual(Array.from(q), [0.25, 0.25, 0, 0, 0.25, 0.25, 0]);
  assert.ok(compareLabels(2, 10) < 0 && compareLabels("10", "2") < 0 && compareLabels(99, "0") < 0);
  assert.equal(compareLabels("x", "x"), 0);
});

test("1 and '1' are different labels; a label in one sample only gets 0 in the other", () => {
  const { support, p, q } = empiricalPair([1, 1], ["1"]);
  assert.deepEqual(support, [1, "1"]);
  assert.deepEqual(Array.from(p), [1, 0]);
  assert.deepEqual(Array.from(q), [0, 1]);
  assert.equal(divergenceFromSamples("js", [1, 1], ["1"], { base: 2 }), 1);
});

test("divergenceFromSamples = the divergence of the empirical pair", () => {
  const a = ["x", "y", "y", "z", "x", "x"];
  const b = ["y", "z", "z", "x"];
  const { p, q } = empiricalPair(a, b);
  assert.equal(divergenceFromSamples("js", a, b), jsDivergence(p, q));
  assert.equal(divergenceFromSamples("kl", a, b, { base: 2 }), klDivergence(p, q, { base: 2 }));
  assert.equal(divergenceFromSamples("kl", ["x", "w"], ["x"]), Number.POSITIVE_INFINITY);
  assert.equal(divergenceFromSamples("tv", a, [...a].reverse()), 0);
});

test("bad samples name the argument and the entry", () => {
  const throwsValue = (f: () => unknown, re: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof ValueError && re.test(e.message));
  throwsValue(
    () => empiricalPair([], ["a"]),
    /^empiricalPair: samplesP must be non-empty, but got 0 samples$/,
  );
  throwsValue(() => empiricalPair(["a"], []), /^empiricalPair: samplesQ must be non-empty/);
  throwsValue(
    () => empiricalPair(["a", Number.NaN], ["a"]),
    /samplesP must hold strings or finite numbers, but samplesP\[1\] = NaN$/,
  );
  throwsValue(() => empiricalPair(["a"], ["a", {} as string]), /samplesQ\[1\] = \{\}/);
  throwsValue(
    () => empiricalPair("abc" as unknown as string[], ["a"]),
    /samplesP must be an array of labels/,
  );
  throwsValue(
    () => divergenceFromSamples("mmd" as "js", ["a"], ["a"]),
    /^divergenceFromSamples: metric must be one of/,
  );
});
