import assert from "node:assert/strict";
import { test } from "node:test";
import { CODE_MEMBERS, encodeProtein } from "../../../src/models/pair-hmm/alphabet.js";
import { backwardScore } from "../../../src/models/pair-hmm/backward.js";
import { forwardScore } from "../../../src/models/pair-hmm/forward.js";
import { gotoh, gotohScoresFor } from "../../../src/models/pair-hmm/gotoh.js";
import { logAdd } from "../../../src/models/pair-hmm/model.js";
import { nullLogProb, nullModelFor } from "../../../src/models/pair-hmm/null-model.js";
import { matchPosterior } from "../../../src/models/pair-hmm/posterior.js";
import { trainPairHmm } from "../../../src/models/pair-hmm/train.js";
import { viterbi } from "../../../src/models/pair-hmm/viterbi.js";
import { blosumParams, randomParams, randomSequence, rng } from "./helpers.js";

// An ambiguity code is the event "one of its members", so P(x, y) with B at position k is the sum of
// P(x, y) over x with N and with D there: the forward algorithm must satisfy that identity exactly.
test("forward with an ambiguity code equals the log-sum over its members (B, Z, X in x and in y)", () => {
  const u = rng(21);
  for (let trial = 0; trial < 6; trial++) {
    const p = trial % 2 ? randomParams(u) : blosumParams(0.03, 0.5, 0.01);
    const x = randomSequence(u, 9);
    const y = randomSequence(u, 7);
    for (const code of [20, 21, 22]) {
      for (const [seq, other, inX] of [
        [x, y, true],
        [y, x, false],
      ] as const) {
        const k = trial % seq.length;
        const amb = Int8Array.from(seq);
        amb[k] = code;
        const got = inX ? forwardScore(p, amb, other) : forwardScore(p, other, amb);
        let expected = Number.NEGATIVE_INFINITY;
        for (const a of CODE_MEMBERS[code]) {
          const s = Int8Array.from(seq);
          s[k] = a;
          expected = logAdd(expected, inX ? forwardScore(p, s, other) : forwardScore(p, other, s));
        }
        assert.ok(
          Math.abs(got - expected) <= 1e-11 * Math.abs(expected),
          `code ${code}: ${got} vs ${expected}`,
        );
        const back = inX ? backwardScore(p, amb, other) : backwardScore(p, other, amb);
        assert.ok(Math.abs(back - got) <= 1e-11 * Math.abs(got));
      }
    }
  }
});

test("the random model gives X probability 1 and B the summed background of N and D", () => {
  const p = blosumParams(0.02, 0.6, 0.001);
  const nul = nullModelFor(p);
  const withX = nullLogProb(nul, encodeProtein("AXC"), encodeProtein("D"));
  const withoutX = nullLogProb(nul, encodeProtein("AC"), encodeProtein("D"));
  assert.ok(Math.abs(withX - withoutX - Math.log1p(-nul.eta)) < 1e-12);
  const b = nullLogProb(nul, encodeProtein("B"), encodeProtein(""));
  const n = nullLogProb(nul, encodeProtein("N"), encodeProtein(""));
  const d = nullLogProb(nul, encodeProtein("D"), encodeProtein(""));
  assert.ok(Math.abs(b - logAdd(n, d)) < 1e-12);
});

test("real sequences with X, B, Z, U and O align: Viterbi equals Gotoh, posteriors are valid", () => {
  const p = blosumParams(0.02, 0.6, 0.001);
  const x = encodeProtein(
    "MKTAYIAKQRQISFVKSHFSRQXXXLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQTLGQHDFSAGEGLYTHMKALRPDEDRLSPLHSVYVDQWDWERVMGDGERQFSTLKSTVEAIWAGIKATEAAVSEEFGLAPFLPDQIHFVHSQELLSRYPDLDAKGRERAIAKDLGAVFLVGIGGKLSDGHRHDVRAPDYDDWUTPSOLNGLRGLIDEMLPNVE",
  );
  const y = encodeProtein(
    "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQBNLSGAEKAVQVKVKALPDZQFEVVHSLAKWKRQTLGQHDFSAGEGLYTHMKALRPDEDRLSPLHSVYVDQWDWERVMGDGERQFSTLKSTVEAIWAGIKATEAAVSEEFGLAPFLPDQIHFVHSQELLSRYPDLDAKGRERAIAKDLGAVFLVGIGGKLSDGHRHDVRAPDYDDWCTPSKLNGLRGLIDEMLPNVE",
  );
  const v = viterbi(p, x, y);
  const g = gotoh(x, y, gotohScoresFor(p));
  assert.deepEqual(v.columns, g.columns);
  const post = matchPosterior(p, x, y);
  for (let i = 0; i < x.length; i++) {
    let row = 0;
    for (let j = 0; j < y.length; j++) row += post.posterior[i * y.length + j];
    assert.ok(row <= 1 + 1e-9 && row >= 0);
  }
  // U and O are read as C and K, so the selenocysteine column matches C with the C–C score.
  const cols = v.columns.filter(([i, j]) => i >= 0 && j >= 0 && x[i] === 4 && y[j] === 4);
  assert.ok(cols.length > 0);
});

test("Baum–Welch with ambiguous residues shares their counts among the members; emissions stay distributions", () => {
  const u = rng(22);
  const p = blosumParams(0.05, 0.4, 0.01);
  const pairs = [];
  for (let k = 0; k < 4; k++) {
    const x = randomSequence(u, 30);
    const y = Int8Array.from(x);
    for (let i = 0; i < y.length; i += 5) y[i] = 20 + (i % 3);
    pairs.push({ x, y });
  }
  const r = trainPairHmm(p, pairs, { iterations: 3, emissions: true, pseudocount: 0 });
  const sm = r.params.match.reduce((a, b) => a + b, 0);
  const sb = r.params.background.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sm - 1) < 1e-9 && Math.abs(sb - 1) < 1e-9);
  assert.equal(r.params.match.length, 400);
  for (let k = 1; k < r.logLikelihood.length; k++)
    assert.ok(r.logLikelihood[k] >= r.logLikelihood[k - 1] - 1e-9, "EM never decreases the likelihood");
});
