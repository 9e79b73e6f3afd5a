import assert from "node:assert/strict";
import { test } from "node:test";
import { alignmentLogProb } from "../../../src/models/pair-hmm/alignment.js";
import { encodeProtein } from "../../../src/models/pair-hmm/alphabet.js";
import { gotoh, gotohScoreOf, gotohScoresFor } from "../../../src/models/pair-hmm/gotoh.js";
import { nullLogProb, nullModelFor } from "../../../src/models/pair-hmm/null-model.js";
import { viterbi, viterbiScore } from "../../../src/models/pair-hmm/viterbi.js";
import { blosumParams, enumerate, randomParams, randomSequence, rng } from "./helpers.js";

const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a));

test("gotoh: a hand-checked alignment with integer scores (identity +1/-1, open 3, extend 1)", () => {
  const substitution = new Float64Array(23 * 23).fill(-1);
  for (let a = 0; a < 23; a++) substitution[a * 24] = 1;
  const x = encodeProtein("ACDEFGHIK");
  const y = encodeProtein("ACDGHIK");
  const r = gotoh(x, y, { substitution, gapOpen: 3, gapExtend: 1 });
  // 7 matches, one gap of 2: 7 − 3 − 1 = 3.
  assert.equal(r.score, 3);
  assert.equal(gotohScoreOf(x, y, r.columns, { substitution, gapOpen: 3, gapExtend: 1 }), 3);
  const gaps = r.columns.filter(([, j]) => j < 0).length;
  assert.equal(gaps, 2);
  // Empty sequences: one run of gaps.
  const e = gotoh(x, new Int8Array(0), { substitution, gapOpen: 3, gapExtend: 1, endGapOpen: 0.5 });
  assert.equal(e.score, -0.5 - 8);
  assert.throws(() => gotoh(x, y, { substitution, gapOpen: Number.NaN, gapExtend: 1 }), /gapOpen/);
});

test("every alignment: log P(x,y,π) = Gotoh score(π) + log P(x,y|R) + log(τ/η²) (Durbin §4.2)", () => {
  const u = rng(11);
  for (let rep = 0; rep < 30; rep++) {
    const p = randomParams(u);
    const eta = rep % 2 ? p.tau : 0.02 + 0.5 * u();
    const x = randomSequence(u, 1 + Math.floor(u() * 12));
    const y = randomSequence(u, 1 + Math.floor(u() * 12));
    const sc = gotohScoresFor(p, eta);
    const offset = nullLogProb(nullModelFor(p, eta), x, y) + Math.log(p.tau / (eta * eta));
    // A random alignment (no X-Y adjacency) and the Viterbi one.
    const columns: [number, number][] = [];
    let i = 0;
    let j = 0;
    let prev = 0;
    while (i < x.length || j < y.length) {
      const r = u();
      if (i < x.length && j < y.length && r < 0.5) {
        columns.push([i++, j++]);
        prev = 0;
      } else if (i < x.length && prev !== 2 && (r < 0.75 || j === y.length)) {
        columns.push([i++, -1]);
        prev = 1;
      } else if (j < y.length && prev !== 1) {
        columns.push([-1, j++]);
        prev = 2;
      } else if (i < x.length && j < y.length) {
        columns.push([i++, j++]);
        prev = 0;
      } else break;
    }
    if (i < x.length || j < y.length) continue;
    assert.ok(close(alignmentLogProb(p, x, y, columns), gotohScoreOf(x, y, columns, sc) + offset));
  }
});

test("Viterbi = Gotoh with the log-odds scores: tiny pairs against the enumeration too", () => {
  const u = rng(5);
  for (let rep = 0; rep < 40; rep++) {
    const p = rep % 4 === 0 ? blosumParams(0.1, 0.4, 0.05) : randomParams(u);
    const x = randomSequence(u, Math.floor(u() * 5));
    const y = randomSequence(u, Math.floor(u() * 5));
    const offset = nullLogProb(nullModelFor(p), x, y) + Math.log(p.tau / (p.tau * p.tau));
    const g = gotoh(x, y, gotohScoresFor(p));
    assert.ok(close(g.score + offset, Math.log(enumerate(p, x, y).max), 1e-10));
    assert.ok(close(g.score + offset, viterbiScore(p, x, y)));
  }
});

test("Viterbi alignment = Gotoh alignment on 300 random pairs (scores always; columns unless tied)", () => {
  const u = rng(2026);
  let identical = 0;
  const cases = 300;
  for (let rep = 0; rep < cases; rep++) {
    const p =
      rep % 3 === 0 ? blosumParams(0.005 + 0.1 * u(), 0.1 + 0.8 * u(), 0.001 + 0.05 * u()) : randomParams(u);
    const eta = rep % 2 ? p.tau : 0.001 + 0.3 * u();
    const x = randomSequence(u, 1 + Math.floor(u() * 60));
    // y: a mutated copy of x half the time, so that alignments have structure.
    const y =
      rep % 2
        ? randomSequence(u, 1 + Math.floor(u() * 60))
        : Int8Array.from(
            x.filter(() => u() > 0.15),
            (a) => (u() < 0.3 ? Math.floor(u() * 20) : a),
          );
    if (y.length === 0) continue;
    const sc = gotohScoresFor(p, eta);
    const offset = nullLogProb(nullModelFor(p, eta), x, y) + Math.log(p.tau / (eta * eta));
    const v = viterbi(p, x, y);
    const g = gotoh(x, y, sc);
    assert.ok(close(v.logProb, g.score + offset), `case ${rep}: ${v.logProb} vs ${g.score + offset}`);
    // Each one's alignment is optimal under the other's scoring.
    assert.ok(close(gotohScoreOf(x, y, v.columns, sc), g.score));
    assert.ok(close(alignmentLogProb(p, x, y, g.columns), v.logProb));
    if (JSON.stringify(v.columns) === JSON.stringify(g.columns)) identical++;
  }
  // Float scores rarely tie exactly; the rest are ties (checked above by score).
  assert.ok(identical >= 0.9 * cases, `identical alignments ${identical}/${cases}`);
});
