// Bad input throws a ValueError that names the argument, what was expected and what was found;
// fromCounts normalises explicit counts (vectors and batches).
import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../src/errors.js";
import {
  crossEntropy,
  DIVERGENCE_NAMES,
  DIVERGENCES,
  divergence,
  entropy,
  fromCounts,
  jsDistance,
  jsDivergence,
  klDivergence,
} from "../../src/metrics/index.js";

function throwsValue(f: () => unknown, re: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof ValueError, `expected ValueError, got ${e}`);
    assert.match(e.message, re);
    return true;
  });
}

const P = [0.2, 0.3, 0.5];
const Q = [0.5, 0.25, 0.25];

test("a probability vector off 1 by more than 1e-9 is refused, with a pointer to fromCounts", () => {
  assert.throws(
    () => jsDivergence([0.5, 0.48], [0.5, 0.5]),
    new ValueError(
      "jsDivergence: p must sum to 1 (within 1e-9), but sums to 0.98; pass counts through fromCounts(...)",
    ),
  );
  throwsValue(
    () => klDivergence(P, [1, 2, 3]),
    /^klDivergence: q must sum to 1 \(within 1e-9\), but sums to 6;/,
  );
  throwsValue(() => entropy([0.5, 0.5 + 2e-9]), /^entropy: p must sum to 1 .* but sums to 1\.000000002;/);
  // within the tolerance is accepted, and used as given (no renormalisation)
  assert.ok(Number.isFinite(jsDivergence([0.5, 0.5 + 9e-10], [0.5, 0.5])));
  assert.equal(klDivergence([0.5, 0.5 - 5e-10], [0.5, 0.5 - 5e-10]), 0);
});

test("negative, NaN and infinite entries name the first bad index", () => {
  for (const name of DIVERGENCE_NAMES) {
    const f = DIVERGENCES[name];
    throwsValue(
      () => f([0.6, -0.1, 0.5], Q),
      /: p must have finite non-negative entries, but p\[1\] = -0\.1$/,
    );
    throwsValue(
      () => f(P, [0.5, 0.5, Number.NaN]),
      /: q must have finite non-negative entries, but q\[2\] = NaN$/,
    );
    throwsValue(
      () => f([Number.POSITIVE_INFINITY, 0, 0], Q),
      /: p must have finite non-negative entries, but p\[0\] = Infinity$/,
    );
  }
  throwsValue(
    () => entropy([0.5, Number.NaN, 0.5]),
    /^entropy: p must have finite non-negative entries, but p\[1\] = NaN$/,
  );
  throwsValue(() => crossEntropy(Float64Array.of(0.5, 0.5), Float64Array.of(1.5, -0.5)), /q\[1\] = -0\.5/);
});

test("different lengths, empty vectors, all zeros and non-arrays are refused", () => {
  throwsValue(
    () => jsDivergence(P, [0.5, 0.5]),
    /^jsDivergence: p and q must have the same length, but got lengths 3 and 2$/,
  );
  throwsValue(() => klDivergence([], []), /^klDivergence: p must be non-empty, but got length 0$/);
  throwsValue(() => jsDistance([0, 0, 0], Q), /^jsDistance: p must not be all zeros, but every entry is 0$/);
  throwsValue(() => entropy([0, 0]), /^entropy: p must not be all zeros/);
  throwsValue(
    () => jsDivergence("0.5,0.5" as unknown as number[], [0.5, 0.5]),
    /^jsDivergence: p must be an array of numbers/,
  );
  throwsValue(
    () => klDivergence(P, undefined as unknown as number[]),
    /^klDivergence: q must be an array of numbers/,
  );
});

test("argument names can be changed for messages (names: ['P', 'Q'])", () => {
  const names: [string, string] = ["P", "Q"];
  throwsValue(
    () => divergence("js", [0.5, -0.5, 1], Q, { names }),
    /^jsDivergence: P must have .* but P\[1\] = -0\.5$/,
  );
  throwsValue(() => divergence("kl", P, [0.1, 0.1, 0.1], { names }), /^klDivergence: Q must sum to 1/);
  throwsValue(
    () => divergence("tv", P, [1], { names }),
    /P and Q must have the same length, but got lengths 3 and 1/,
  );
  throwsValue(() => entropy([2], { names }), /^entropy: P must sum to 1/);
});

test("bad base and unknown metric names are refused", () => {
  for (const base of [0, -2, 1, Number.NaN, Number.POSITIVE_INFINITY])
    throwsValue(
      () => klDivergence(P, Q, { base }),
      /^klDivergence: base must be a finite number > 0 and != 1, but got/,
    );
  throwsValue(() => jsDistance(P, Q, { base: 0.5 }), /^jsDistance: base must be > 1/);
  throwsValue(() => divergence("hellinger", P, Q, { base: 1 }), /^hellinger: base must be/);
  throwsValue(
    () => divergence("nope" as "js", P, Q),
    /^divergence: metric must be one of kl, cross-entropy, js, js-distance, tv, hellinger, but got "nope"$/,
  );
});

test("fromCounts normalises explicit counts and refuses bad counts, naming them", () => {
  assert.deepEqual(fromCounts([1, 3, 0, 4]), Float64Array.of(0.125, 0.375, 0, 0.5));
  assert.deepEqual(fromCounts(Float64Array.of(2)), Float64Array.of(1));
  const p = fromCounts([3, 7, 11]);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) <= 1e-15);
  assert.ok(Number.isFinite(jsDivergence(p, fromCounts([1, 1, 1]))));
  throwsValue(
    () => fromCounts([1, -1]),
    /^fromCounts: counts must have finite non-negative entries, but counts\[1\] = -1$/,
  );
  throwsValue(
    () => fromCounts([0, 0], { name: "P" }),
    /^fromCounts: P must not be all zeros, but every entry is 0$/,
  );
  throwsValue(() => fromCounts([1, Number.NaN], { name: "labelsP" }), /labelsP\[1\] = NaN/);
  throwsValue(() => fromCounts([]), /^fromCounts: counts must be non-empty/);
  throwsValue(() => fromCounts([1, 2], { axis: 0 }), /^fromCounts: axis needs shape/);
});

test("fromCounts with shape normalises each slice along the axis", () => {
  // [2, 3] counts
  const c = [1, 1, 2, 0, 3, 1];
  assert.deepEqual(
    fromCounts(c, { shape: [2, 3], axis: 1 }),
    Float64Array.of(0.25, 0.25, 0.5, 0, 0.75, 0.25),
  );
  assert.deepEqual(fromCounts(c, { shape: [2, 3] }), fromCounts(c, { shape: [2, 3], axis: -1 }));
  assert.deepEqual(
    fromCounts(c, { shape: [2, 3], axis: 0 }),
    Float64Array.of(1, 0.25, 2 / 3, 0, 0.75, 1 / 3),
  );
  throwsValue(
    () => fromCounts([1, 0, 0, 0], { shape: [2, 2], axis: 1 }),
    /^fromCounts: counts\[1, :\] must not be all zeros/,
  );
  throwsValue(
    () => fromCounts([1, 2, 3], { shape: [2, 2] }),
    /^fromCounts: counts must have 4 entries for shape \[2, 2\], but has 3$/,
  );
});
