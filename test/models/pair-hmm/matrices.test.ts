import assert from "node:assert/strict";
import { test } from "node:test";
import { BLOSUM62, pairEmissions, ROBINSON_FREQUENCIES } from "../../../src/models/pair-hmm/matrices.js";

test("BLOSUM62 is symmetric with the published diagonal", () => {
  for (let a = 0; a < 20; a++)
    for (let b = 0; b < 20; b++) assert.equal(BLOSUM62[a * 20 + b], BLOSUM62[b * 20 + a]);
  const diag = Array.from({ length: 20 }, (_, a) => BLOSUM62[a * 21]);
  assert.deepEqual(diag, [4, 5, 6, 6, 9, 5, 5, 6, 8, 4, 4, 5, 5, 6, 7, 4, 5, 11, 7, 4]);
  const total = BLOSUM62.reduce((s, v) => s + v, 0);
  assert.equal(total, -426); // checksum of the 20×20 core of the NCBI file
});

test("Robinson-Robinson frequencies sum to 1", () => {
  assert.ok(Math.abs(ROBINSON_FREQUENCIES.reduce((a, b) => a + b, 0) - 1) < 1e-15);
  assert.ok(Math.abs(ROBINSON_FREQUENCIES[0] - 0.07805 / 1.0) < 1e-3);
});

test("pair emissions from BLOSUM62 sum to 1, are symmetric, and λ = 0.3176 (BLAST's ungapped value)", () => {
  const { match, lambda } = pairEmissions(BLOSUM62, ROBINSON_FREQUENCIES);
  assert.ok(Math.abs(match.reduce((a, b) => a + b, 0) - 1) < 1e-14);
  for (let a = 0; a < 20; a++)
    for (let b = 0; b < 20; b++) assert.ok(Math.abs(match[a * 20 + b] - match[b * 20 + a]) < 1e-18);
  // NCBI BLAST reports λ = 0.3176 nats per score unit for BLOSUM62 under Robinson-Robinson background;
  // the nominal half-bit scale would give ln 2 / 2 = 0.3466, which integer rounding does not preserve.
  assert.ok(Math.abs(lambda - 0.3176) < 5e-5, `lambda = ${lambda}`);
  // Σ q q exp(λ s) = 1 before normalisation.
  let f = 0;
  for (let a = 0; a < 20; a++)
    for (let b = 0; b < 20; b++)
      f += ROBINSON_FREQUENCIES[a] * ROBINSON_FREQUENCIES[b] * Math.exp(lambda * BLOSUM62[a * 20 + b]);
  assert.ok(Math.abs(f - 1) < 1e-12);
});

test("a scaled matrix gives λ scaled inversely; a matrix with no negative expectation is a ValueError", () => {
  const doubled = Float64Array.from(BLOSUM62, (s) => 2 * s);
  const a = pairEmissions(BLOSUM62, ROBINSON_FREQUENCIES);
  const b = pairEmissions(doubled, ROBINSON_FREQUENCIES);
  assert.ok(Math.abs(b.lambda - a.lambda / 2) < 1e-12);
  assert.throws(() => pairEmissions(new Float64Array(400).fill(1), ROBINSON_FREQUENCIES), {
    name: "ValueError",
    message: /negative expected score/,
  });
  assert.throws(() => pairEmissions(BLOSUM62, new Float64Array(20).fill(0.06)), /sum to 1/);
  assert.throws(() => pairEmissions(new Float64Array(10), ROBINSON_FREQUENCIES), /400 entries/);
});
