import assert from "node:assert/strict";
import { test } from "node:test";
import { random } from "../../../src/jax.js";
import { alignmentLogProb } from "../../../src/models/pair-hmm/alignment.js";
import { encodeProtein } from "../../../src/models/pair-hmm/alphabet.js";
import { meaAlignment } from "../../../src/models/pair-hmm/mea.js";
import { matchPosterior } from "../../../src/models/pair-hmm/posterior.js";
import { samplePair } from "../../../src/models/pair-hmm/sample.js";
import { viterbi } from "../../../src/models/pair-hmm/viterbi.js";
import { blosumParams, randomParams, randomSequence, rng } from "./helpers.js";

function checkCovers(columns: [number, number][], n: number, m: number) {
  const xs = columns.map(([i]) => i).filter((i) => i >= 0);
  const ys = columns.map(([, j]) => j).filter((j) => j >= 0);
  assert.deepEqual(
    xs,
    Array.from({ length: n }, (_, k) => k),
  );
  assert.deepEqual(
    ys,
    Array.from({ length: m }, (_, k) => k),
  );
}

test("MEA alignment: a valid alignment whose expected accuracy is its posterior sum and beats Viterbi's", () => {
  const u = rng(5);
  for (let rep = 0; rep < 20; rep++) {
    const p = randomParams(u);
    const x = randomSequence(u, 1 + Math.floor(u() * 30));
    const y = randomSequence(u, 1 + Math.floor(u() * 30));
    const { posterior } = matchPosterior(p, x, y);
    const mea = meaAlignment(posterior, x.length, y.length);
    checkCovers(mea.columns, x.length, y.length);
    const m = y.length;
    const score = (cols: [number, number][]) =>
      cols.reduce((s, [i, j]) => (i >= 0 && j >= 0 ? s + posterior[i * m + j] : s), 0);
    assert.ok(Math.abs(score(mea.columns) - mea.expectedAccuracy) < 1e-12);
    assert.ok(mea.expectedAccuracy >= score(viterbi(p, x, y).columns) - 1e-12);
  }
  const same = encodeProtein("MKTAYIAKQRQISFVKSHFSRQ");
  const p = blosumParams(0.02, 0.6, 0.01);
  const mea = meaAlignment(matchPosterior(p, same, same).posterior, same.length, same.length);
  assert.ok(mea.columns.every(([i, j]) => i === j));
  assert.throws(() => meaAlignment(new Float64Array(3), 2, 2), /n\*m = 4/);
});

test("samplePair: same key same pair; the true alignment covers x and y and has finite probability", () => {
  const p = blosumParams(0.05, 0.5, 0.02);
  const a = samplePair(p, random.key(1));
  const b = samplePair(p, random.key(1));
  assert.deepEqual(a, b);
  checkCovers(a.columns, a.x.length, a.y.length);
  assert.ok(Number.isFinite(alignmentLogProb(p, a.x, a.y, a.columns)));
});

test("samplePair: mean number of columns is (1 - tau) / tau (fixed keys, 200 pairs)", () => {
  const p = blosumParams(0.05, 0.5, 0.05);
  const keys = random.split(random.key(2), 200);
  let total = 0;
  let matches = 0;
  for (let k = 0; k < 200; k++) {
    const s = samplePair(p, keys.ref.slice(k));
    total += s.columns.length;
    matches += s.columns.filter(([i, j]) => i >= 0 && j >= 0).length;
  }
  keys.dispose();
  const mean = total / 200;
  assert.ok(Math.abs(mean - 19) < 5, `mean columns ${mean}`);
  assert.ok(matches / total > 0.7, `match fraction ${matches / total}`);
});
