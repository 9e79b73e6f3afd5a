import assert from "node:assert/strict";
import { test } from "node:test";
import { AMINO_ACIDS } from "../../../src/models/pair-hmm/alphabet.js";
import { BLOSUM62, pairEmissions, ROBINSON_FREQUENCIES } from "../../../src/models/pair-hmm/matrices.js";
import {
  BLOSUM45,
  BLOSUM50,
  BLOSUM80,
  EXTENDED_SIZE,
  PAM250,
  pairScore,
  SCORE_MATRICES,
  SCORE_MATRIX_NAMES,
  scoreMatrix,
} from "../../../src/models/pair-hmm/score-matrices.js";

const DIAGONALS: Record<string, string> = {
  // Published diagonals (ARNDCQEGHILKMFPSTWYV) of the NCBI files.
  BLOSUM45: "5 7 6 7 12 6 6 7 10 5 5 5 6 8 9 4 5 15 8 5",
  BLOSUM50: "5 7 7 8 13 7 6 8 10 5 5 6 7 8 10 5 5 15 8 5",
  BLOSUM62: "4 5 6 6 9 5 5 6 8 4 4 5 5 6 7 4 5 11 7 4",
  BLOSUM80: "5 6 6 6 9 6 6 6 8 5 4 5 6 6 8 5 5 11 7 4",
  PAM250: "2 6 2 4 12 4 4 5 6 5 6 5 6 9 6 2 3 17 10 4",
};

test("registry holds the five matrices; core and extended tables are symmetric", () => {
  assert.deepEqual([...SCORE_MATRIX_NAMES].sort(), [
    "BLOSUM45",
    "BLOSUM50",
    "BLOSUM62",
    "BLOSUM80",
    "PAM250",
  ]);
  for (const m of Object.values(SCORE_MATRICES)) {
    assert.equal(m.scores.length, 400, m.name);
    assert.equal(m.extended.length, EXTENDED_SIZE * EXTENDED_SIZE, m.name);
    for (let a = 0; a < EXTENDED_SIZE; a++)
      for (let b = 0; b < EXTENDED_SIZE; b++) {
        assert.equal(m.extended[a * 23 + b], m.extended[b * 23 + a], `${m.name} (${a},${b})`);
        if (a < 20 && b < 20) assert.equal(m.scores[a * 20 + b], m.extended[a * 23 + b], `${m.name} core`);
      }
  }
  assert.equal(SCORE_MATRICES.BLOSUM45.scores.join(), BLOSUM45.join());
  assert.equal(SCORE_MATRICES.BLOSUM50.scores.join(), BLOSUM50.join());
  assert.equal(SCORE_MATRICES.BLOSUM80.scores.join(), BLOSUM80.join());
  assert.equal(SCORE_MATRICES.PAM250.scores.join(), PAM250.join());
  assert.equal(SCORE_MATRICES.BLOSUM62.scores, BLOSUM62);
});

test("published diagonals and known entries", () => {
  for (const [name, diag] of Object.entries(DIAGONALS)) {
    const m = scoreMatrix(name);
    const got = Array.from({ length: 20 }, (_, k) => m.scores[k * 21]).join(" ");
    assert.equal(got, diag, name);
  }
  // Off-diagonal entries read from the published tables.
  assert.equal(pairScore(scoreMatrix("PAM250"), "W", "R"), 2);
  assert.equal(pairScore(scoreMatrix("PAM250"), "W", "C"), -8);
  assert.equal(pairScore(scoreMatrix("PAM250"), "F", "Y"), 7);
  assert.equal(pairScore(scoreMatrix("BLOSUM45"), "W", "C"), -5);
  assert.equal(pairScore(scoreMatrix("BLOSUM50"), "Y", "F"), 4);
  assert.equal(pairScore(scoreMatrix("BLOSUM80"), "D", "W"), -6);
  assert.equal(pairScore(scoreMatrix("BLOSUM62"), "W", "Y"), 2);
  // The core of the extended BLOSUM62 equals the table in matrices.ts (same NCBI file).
  const ext = SCORE_MATRICES.BLOSUM62.extended;
  for (let a = 0; a < 20; a++)
    for (let b = 0; b < 20; b++) assert.equal(ext[a * 23 + b], BLOSUM62[a * 20 + b]);
});

test("B, Z, X lookups and the U→C, O→K, J→X aliases", () => {
  const b62 = scoreMatrix("blosum62");
  assert.equal(pairScore(b62, "B", "D"), 4);
  assert.equal(pairScore(b62, "B", "N"), 3);
  assert.equal(pairScore(b62, "Z", "E"), 4);
  assert.equal(pairScore(b62, "Z", "Q"), 3);
  assert.equal(pairScore(b62, "X", "X"), -1);
  assert.equal(pairScore(b62, "x", "a"), 0);
  assert.equal(pairScore(scoreMatrix("BLOSUM50"), "B", "D"), 5);
  assert.equal(pairScore(scoreMatrix("BLOSUM80"), "B", "B"), 4);
  assert.equal(pairScore(scoreMatrix("PAM250"), "Z", "Z"), 3);
  assert.equal(pairScore(b62, "U", "C"), 9);
  assert.equal(pairScore(b62, "O", "K"), 5);
  assert.equal(pairScore(b62, "J", "A"), pairScore(b62, "X", "A"));
  assert.throws(() => pairScore(b62, "A", "*"), /pairScore: letters must be one of/);
  assert.throws(() => pairScore(b62, "AB", "A"), /pairScore/);
  assert.throws(() => scoreMatrix("BLOSUM99"), /scoreMatrix: name must be one of BLOSUM45/);
  assert.equal(AMINO_ACIDS.length, 20);
});

test("every matrix implies valid pair emissions under the Robinson background", () => {
  for (const m of Object.values(SCORE_MATRICES)) {
    const { match, lambda } = pairEmissions(m.scores, ROBINSON_FREQUENCIES);
    assert.ok(lambda > 0 && Number.isFinite(lambda), m.name);
    assert.ok(Math.abs(match.reduce((s, x) => s + x, 0) - 1) < 1e-12, m.name);
  }
  // λ in nats per unit is close to ln 2 × bits per unit (the tables' stated scale).
  const b45 = pairEmissions(scoreMatrix("BLOSUM45").scores, ROBINSON_FREQUENCIES).lambda;
  assert.ok(Math.abs(b45 - Math.LN2 / 3) < 0.03, `BLOSUM45 λ ${b45}`);
});
