import assert from "node:assert/strict";
import { test } from "node:test";
import { random } from "../../../src/jax.js";
import {
  encodeLabels,
  fitIid,
  fitMarkov,
  sampleSeries,
  sampleSeriesIds,
  seriesLogLikelihood,
} from "../../../src/models/weather/categorical-series.js";

const S = ["r", "s", "s", "c", "s", "s", "r", "r", "c", "s"];

test("iid fit is the frequency of each state (maximum likelihood), and smoothing adds alpha", () => {
  const m = fitIid(S);
  assert.deepEqual(m.states, ["c", "r", "s"]);
  assert.deepEqual(Array.from(m.probs), [0.2, 0.3, 0.5]);
  const sm = fitIid(S, { alpha: 1 });
  assert.deepEqual(Array.from(sm.probs), [3 / 13, 4 / 13, 6 / 13]);
});

test("markov fit counts transitions; rows sum to 1; a state seen only last falls back to the marginal", () => {
  const m = fitMarkov(S);
  const k = 3;
  // from s (index 2): s->s twice, s->c once, s->r once
  assert.deepEqual(Array.from(m.transition.slice(2 * k, 3 * k)), [0.25, 0.25, 0.5]);
  for (let r = 0; r < k; r++)
    assert.ok(Math.abs(m.transition.slice(r * k, r * k + k).reduce((a, b) => a + b) - 1) < 1e-15);
  const last = fitMarkov(["a", "a", "b"]);
  assert.deepEqual(Array.from(last.transition.slice(2, 4)), Array.from(last.initial));
});

test("maximum likelihood: the fitted chain scores its data at least as well as nearby chains", () => {
  const m = fitMarkov(S);
  const best = seriesLogLikelihood(m, S);
  for (let trial = 0; trial < 20; trial++) {
    const t = m.transition.slice();
    const r = trial % 3;
    const eps = 0.02 * (1 + (trial % 4));
    t[r * 3] += eps;
    t[r * 3 + 1] -= eps / 2;
    t[r * 3 + 2] -= eps / 2;
    if (t.some((x) => x <= 0)) continue;
    assert.ok(seriesLogLikelihood({ ...m, transition: t }, S) <= best + 1e-12);
  }
});

test("log-likelihood equals the chain rule summed by hand", () => {
  const m = fitMarkov(S);
  const { ids } = encodeLabels(S, m.states);
  let ll = Math.log(m.initial[ids[0]]);
  for (let i = 1; i < ids.length; i++) ll += Math.log(m.transition[ids[i - 1] * 3 + ids[i]]);
  assert.ok(Math.abs(seriesLogLikelihood(m, S) - ll) < 1e-12);
  const a = fitIid(S);
  assert.ok(
    Math.abs(seriesLogLikelihood(a, S) - (2 * Math.log(0.2) + 3 * Math.log(0.3) + 5 * Math.log(0.5))) < 1e-12,
  );
});

test("samples reproduce the fitted transition frequencies (fixed key, 200k steps)", () => {
  const m = fitMarkov(S);
  const n = 200_000;
  const ids = sampleSeriesIds(m, random.key(3), n);
  const counts = new Float64Array(9);
  const from = new Float64Array(3);
  for (let i = 1; i < n; i++) {
    counts[ids[i - 1] * 3 + ids[i]]++;
    from[ids[i - 1]]++;
  }
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) {
      const p = m.transition[r * 3 + c];
      const se = Math.sqrt((p * (1 - p)) / from[r]);
      assert.ok(Math.abs(counts[r * 3 + c] / from[r] - p) < 5 * se + 1e-12, `transition ${r}->${c}`);
    }
  assert.deepEqual(sampleSeries(m, random.key(3), 50), sampleSeries(m, random.key(3), 50));
});

test("bad input: too short, negative alpha, unknown labels", () => {
  assert.throws(() => fitMarkov(["a"]), /fitMarkov: labels must hold at least 2 value\(s\), but got 1/);
  assert.throws(() => fitIid(S, { alpha: -1 }), /alpha must be a finite number >= 0, but got -1/);
  assert.throws(
    () => seriesLogLikelihood(fitIid(S), ["x"]),
    /labels\[0\] must be one of "c", "r", "s", but got "x"/,
  );
});
