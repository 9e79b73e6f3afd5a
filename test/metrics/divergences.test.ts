// Agreement with SciPy 1.17 (fixtures from test/fixtures/divergences/generate.py).
//
// Tolerance: |ours - scipy| <= 1e-12 * max(1, |scipy|). That is absolute 1e-12 for the bounded
// quantities (JS divergence <= ln 2, JS distance, TV and Hellinger <= 1) and relative 1e-12 for the
// unbounded ones (entropy up to ln 1000 ~ 6.9, KL and cross-entropy up to ~30 here). Infinite values
// must match exactly. Both sides see the same doubles (each vector's NumPy sum is exactly 1.0, so
// SciPy's renormalisation is the identity); what remains is summation order (NumPy sums pairwise,
// we sum sequentially), worth ~1e-16 * sqrt(k) relative.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  batched,
  crossEntropy,
  DIVERGENCES,
  type DivergenceName,
  divergenceFromSamples,
  empiricalPair,
  entropy,
  entropyBatch,
  hellinger,
  jsDistance,
  jsDivergence,
  klDivergence,
  totalVariation,
} from "../../src/metrics/index.js";

type Num = number | "Infinity";
type Refs = Record<
  "js_distance" | "js_divergence" | "entropy_p" | "kl" | "cross_entropy" | "tv" | "hellinger",
  Num
>;
type VectorCase = Refs & { name: string; base: number | null; p: number[]; q: number[] };
type BatchCase = { [K in keyof Refs]: Num[] } & {
  name: string;
  shape: number[];
  axis: number;
  base: number | null;
  P: number[];
  Q: number[];
};
type SampleCase = Refs & {
  name: string;
  samplesP: (string | number)[];
  samplesQ: (string | number)[];
  support: (string | number)[];
  p: number[];
  q: number[];
};

const fixture = JSON.parse(readFileSync("test/fixtures/divergences/cases.json", "utf8")) as {
  versions: Record<string, string>;
  vectors: VectorCase[];
  batches: BatchCase[];
  samples: SampleCase[];
};

const num = (x: Num): number => (x === "Infinity" ? Number.POSITIVE_INFINITY : x);

function close(actual: number, expected: Num, what: string): void {
  const e = num(expected);
  if (actual === e) return;
  const err = Math.abs(actual - e);
  assert.ok(err <= 1e-12 * Math.max(1, Math.abs(e)), `${what}: got ${actual}, scipy ${e} (|diff| ${err})`);
}

const KEY: Record<keyof Refs, DivergenceName | "entropy"> = {
  js_distance: "js-distance",
  js_divergence: "js",
  entropy_p: "entropy",
  kl: "kl",
  cross_entropy: "cross-entropy",
  tv: "tv",
  hellinger: "hellinger",
};

test("fixture is present and sizeable", () => {
  assert.ok(fixture.vectors.length >= 30 && fixture.batches.length >= 5 && fixture.samples.length >= 3);
  assert.match(fixture.versions.scipy, /^1\./);
});

test("vector divergences match scipy to 1e-12", () => {
  for (const c of fixture.vectors) {
    const opts = c.base === null ? {} : { base: c.base };
    const p = Float64Array.from(c.p);
    for (const [p1, q1] of [
      [p, Float64Array.from(c.q)],
      [c.p, c.q],
    ]) {
      close(jsDistance(p1, q1, opts), c.js_distance, `${c.name} jsDistance`);
      close(jsDivergence(p1, q1, opts), c.js_divergence, `${c.name} jsDivergence`);
      close(entropy(p1, opts), c.entropy_p, `${c.name} entropy`);
      close(klDivergence(p1, q1, opts), c.kl, `${c.name} klDivergence`);
      close(crossEntropy(p1, q1, opts), c.cross_entropy, `${c.name} crossEntropy`);
      close(totalVariation(p1, q1), c.tv, `${c.name} totalVariation`);
      close(hellinger(p1, q1), c.hellinger, `${c.name} hellinger`);
    }
    // the registry is the same functions
    for (const [key, name] of Object.entries(KEY))
      if (name !== "entropy")
        close(DIVERGENCES[name](c.p, c.q, opts), c[key as keyof Refs], `${c.name} ${name}`);
  }
});

test("batched divergences along each axis match scipy's axis= to 1e-12", () => {
  for (const c of fixture.batches) {
    const opts = c.base === null ? {} : { base: c.base };
    const P = Float64Array.from(c.P);
    const Q = Float64Array.from(c.Q);
    const outLen = c.shape.reduce((a, b) => a * b, 1) / c.shape[c.axis];
    for (const [key, name] of Object.entries(KEY)) {
      const ref = c[key as keyof Refs];
      const got =
        name === "entropy"
          ? entropyBatch(P, c.shape, c.axis, opts)
          : batched(name)(P, Q, c.shape, c.axis, opts);
      assert.equal(got.length, outLen, `${c.name} ${name} length`);
      for (let i = 0; i < outLen; i++) close(got[i], ref[i], `${c.name} ${name}[${i}]`);
      // the negative axis names the same axis
      const neg = c.axis - c.shape.length;
      const again =
        name === "entropy" ? entropyBatch(P, c.shape, neg, opts) : batched(name)(P, Q, c.shape, neg, opts);
      assert.deepEqual(again, got);
    }
  }
});

test("empirical distributions of label samples: support order, frequencies and divergences", () => {
  for (const c of fixture.samples) {
    const pair = empiricalPair(c.samplesP, c.samplesQ);
    assert.deepEqual(pair.support, c.support, c.name);
    for (let i = 0; i < c.p.length; i++) {
      close(pair.p[i], c.p[i], `${c.name} p[${i}]`);
      close(pair.q[i], c.q[i], `${c.name} q[${i}]`);
    }
    for (const [key, name] of Object.entries(KEY))
      if (name !== "entropy")
        close(divergenceFromSamples(name, c.samplesP, c.samplesQ), c[key as keyof Refs], `${c.name} ${name}`);
  }
});
