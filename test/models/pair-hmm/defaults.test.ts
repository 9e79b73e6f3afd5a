import assert from "node:assert/strict";
import { test } from "node:test";
import { START, trainingPairs } from "../../../scripts/train-pair-hmm-defaults.js";
import { blosum62Params, TRAINED_GAPS } from "../../../src/models/pair-hmm/model.js";
import { trainPairHmm } from "../../../src/models/pair-hmm/train.js";

// The shipped default gaps are what scripts/train-pair-hmm-defaults.ts finds: Baum–Welch on the
// training families' pairs. Re-running the whole fit takes ~10 s; one more EM step from the shipped
// values (~0.5 s) proves the same thing: they are its fixed point, and better than the start.
test("TRAINED_GAPS are the Baum–Welch fixed point on the fn3 + RRM_1 training pairs", () => {
  const pairs = trainingPairs();
  assert.equal(pairs.length, 654);
  const step = trainPairHmm(blosum62Params(), pairs, { iterations: 1, tolerance: 0 });
  const next = step.params;
  for (const k of ["delta", "epsilon", "tau"] as const)
    assert.ok(
      Math.abs(next[k] - TRAINED_GAPS[k]) <= 2e-5 * TRAINED_GAPS[k],
      `${k}: one more M-step moves ${TRAINED_GAPS[k]} to ${next[k]}`,
    );
  const atStart = trainPairHmm(blosum62Params(START), pairs, { iterations: 0 }).logLikelihood[0];
  assert.ok(step.logLikelihood[0] > atStart + 100, `${step.logLikelihood[0]} vs start ${atStart}`);
});
