// Mathematical properties of the divergences on seeded random vectors (no reference library).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  crossEntropy,
  DIVERGENCE_NAMES,
  DIVERGENCES,
  divergence,
  entropy,
  hellinger,
  jsDistance,
  jsDivergence,
  klDivergence,
  totalVariation,
} from "../../src/metrics/index.js";
import { randomProbs, rng } from "./random-vectors.js";

const LN2 = Math.log(2);
const EPS = 1e-15;

/** Random pairs: lengths 1..300, with and without zeros. */
function* pairs(seed: number, count: number): Generator<[Float64Array, Float64Array]> {
  const u = rng(seed);
  for (let i = 0; i < count; i++) {
    const k = 1 + Math.floor(u() * 300);
    const zeros = i % 3 === 0 ? 0.3 : 0;
    yield [randomProbs(u, k, zeros), randomProbs(u, k, zeros)];
  }
}

test("JS divergence is symmetric (bit for bit), in [0, ln 2], and finite when supports differ", () => {
  for (const [p, q] of pairs(1, 300)) {
    const d = jsDivergence(p, q);
    assert.equal(jsDivergence(q, p), d);
    assert.equal(jsDistance(q, p), jsDistance(p, q));
    assert.ok(Number.isFinite(d) && d >= 0 && d <= LN2 + EPS, `jsd ${d}`);
    assert.ok(jsDivergence(p, q, { base: 2 }) <= 1 + EPS);
  }
});

test("every divergence is 0 for identical inputs; cross-entropy is then the entropy", () => {
  for (const [p] of pairs(2, 50)) {
    for (const name of DIVERGENCE_NAMES) {
      if (name === "cross-entropy") continue;
      assert.equal(DIVERGENCES[name](p, p), 0, name);
    }
    assert.equal(crossEntropy(p, p), entropy(p));
    assert.equal(jsDivergence(p, Float64Array.from(p), { base: 10 }), 0);
  }
});

test("disjoint supports: JSD = ln 2 (1 bit), distance sqrt(ln 2), TV = Hellinger = 1, KL = +Infinity", () => {
  const p = [0.2, 0.3, 0.5, 0, 0, 0];
  const q = [0, 0, 0, 0.25, 0.25, 0.5];
  assert.ok(Math.abs(jsDivergence(p, q) - LN2) <= EPS);
  assert.ok(Math.abs(jsDivergence(p, q, { base: 2 }) - 1) <= EPS);
  assert.ok(Math.abs(jsDistance(p, q) - Math.sqrt(LN2)) <= EPS);
  assert.equal(totalVariation(p, q), 1);
  assert.equal(hellinger(p, q), 1);
  assert.equal(klDivergence(p, q), Number.POSITIVE_INFINITY);
  assert.equal(crossEntropy(p, q), Number.POSITIVE_INFINITY);
  // subnormal and tiny masses off the other support keep JSD finite
  const tiny = [5e-324, 1, 0];
  const other = [0, 0.5, 0.5];
  for (const d of [jsDivergence(tiny, other), jsDivergence(other, tiny), jsDistance(tiny, other)])
    assert.ok(Number.isFinite(d) && d > 0);
});

test("KL is +Infinity exactly when q = 0 < p somewhere, finite otherwise, and >= 0", () => {
  assert.equal(klDivergence([0.5, 0.5], [1, 0]), Number.POSITIVE_INFINITY);
  assert.equal(klDivergence([1, 0], [0.5, 0.5]), LN2);
  assert.equal(klDivergence([1e-300, 1 - 1e-300], [0, 1]), Number.POSITIVE_INFINITY);
  for (const [p, q] of pairs(3, 200)) {
    const kl = klDivergence(p, q);
    const infinite = p.some((x, i) => x > 0 && q[i] === 0);
    assert.equal(kl === Number.POSITIVE_INFINITY, infinite);
    assert.ok(kl >= -EPS, `kl ${kl}`);
  }
});

test("base conversions: base b divides nats by ln b; log-free metrics ignore base", () => {
  for (const [p, q] of pairs(4, 100)) {
    for (const b of [2, 10, Math.E, 0.5, 7.3]) {
      const lb = Math.log(b);
      for (const [f, name] of [
        [klDivergence, "kl"],
        [jsDivergence, "js"],
        [crossEntropy, "cross-entropy"],
      ] as const) {
        const nats = f(p, q);
        const got = f(p, q, { base: b });
        if (!Number.isFinite(nats)) assert.equal(got, nats / lb);
        else assert.ok(Math.abs(got - nats / lb) <= 1e-14 * Math.max(1, Math.abs(got)), `${name} base ${b}`);
      }
      if (b > 1)
        assert.ok(Math.abs(jsDistance(p, q, { base: b }) ** 2 - jsDivergence(p, q, { base: b })) <= 1e-14);
      else assert.ok(jsDivergence(p, q, { base: b }) <= 0);
      assert.equal(totalVariation(p, q, { base: b }), totalVariation(p, q));
      assert.equal(hellinger(p, q, { base: b }), hellinger(p, q));
    }
  }
  const uniform = new Float64Array(8).fill(1 / 8);
  assert.ok(Math.abs(entropy(uniform, { base: 2 }) - 3) <= EPS);
  assert.ok(Math.abs(entropy(uniform, { base: 8 }) - 1) <= EPS);
});

test("TV and Hellinger lie in [0, 1]; H^2 = 1 - sum sqrt(pq); H^2 <= TV <= sqrt(2)·H; Pinsker TV <= sqrt(KL/2)", () => {
  for (const [p, q] of pairs(5, 300)) {
    const tv = totalVariation(p, q);
    const h = hellinger(p, q);
    assert.ok(tv >= 0 && tv <= 1 + EPS, `tv ${tv}`);
    assert.ok(h >= 0 && h <= 1 + EPS, `h ${h}`);
    let bc = 0;
    for (let i = 0; i < p.length; i++) bc += Math.sqrt(p[i] * q[i]);
    assert.ok(Math.abs(h * h - (1 - bc)) <= 1e-12, `H^2 ${h * h} vs 1 - BC ${1 - bc}`);
    assert.ok(h * h <= tv + 1e-12 && tv <= Math.SQRT2 * h + 1e-12, `H ${h}, TV ${tv}`);
    const kl = klDivergence(p, q);
    assert.ok(tv <= Math.sqrt(kl / 2) + 1e-12, `Pinsker: TV ${tv}, KL ${kl}`);
  }
});

test("cross-entropy = entropy + KL; entropy in [0, ln k]", () => {
  for (const [p, q] of pairs(6, 200)) {
    const ce = crossEntropy(p, q);
    const sum = entropy(p) + klDivergence(p, q);
    if (!Number.isFinite(sum)) assert.equal(ce, sum);
    else assert.ok(Math.abs(ce - sum) <= 1e-13 * Math.max(1, sum), `${ce} vs ${sum}`);
    const h = entropy(p);
    assert.ok(h >= 0 && h <= Math.log(p.length) + 1e-13);
  }
});

test("JS distance satisfies the triangle inequality on random triples (Endres & Schindelin 2003)", () => {
  const u = rng(7);
  for (let t = 0; t < 500; t++) {
    const k = 2 + Math.floor(u() * 20);
    const zeros = t % 2 === 0 ? 0.4 : 0;
    const [a, b, c] = [randomProbs(u, k, zeros), randomProbs(u, k, zeros), randomProbs(u, k, zeros)];
    for (const base of [undefined, 2]) {
      const d = (x: Float64Array, y: Float64Array) => jsDistance(x, y, { base });
      assert.ok(d(a, c) <= d(a, b) + d(b, c) + 1e-14, `triple ${t}`);
    }
  }
});

test("the registry and divergence(name, ...) dispatch to the named functions", () => {
  const p = [0.1, 0.2, 0.7];
  const q = [0.3, 0.3, 0.4];
  assert.equal(divergence("js", p, q), jsDivergence(p, q));
  assert.equal(divergence("js-distance", p, q, { base: 2 }), jsDistance(p, q, { base: 2 }));
  assert.equal(divergence("kl", p, q), klDivergence(p, q));
  assert.equal(divergence("cross-entropy", p, q), crossEntropy(p, q));
  assert.equal(divergence("tv", p, q), totalVariation(p, q));
  assert.equal(divergence("hellinger", p, q), hellinger(p, q));
  assert.deepEqual(Object.keys(DIVERGENCES).sort(), [...DIVERGENCE_NAMES].sort());
});

test("number[] and Float64Array inputs give identical results", () => {
  for (const [p, q] of pairs(8, 30))
    for (const name of DIVERGENCE_NAMES)
      assert.equal(DIVERGENCES[name](Array.from(p), Array.from(q)), DIVERGENCES[name](p, q), name);
});
