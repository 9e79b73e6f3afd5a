import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AMINO_ACIDS,
  decodeProtein,
  encodeProtein,
  encodeProtein32,
  residueCode,
} from "../../../src/models/pair-hmm/alphabet.js";

test("the alphabet is the BLOSUM order and encoding round-trips, lower case accepted", () => {
  assert.equal(AMINO_ACIDS, "ARNDCQEGHILKMFPSTWYV");
  assert.deepEqual(Array.from(encodeProtein("ARNDv")), [0, 1, 2, 3, 19]);
  assert.deepEqual(Array.from(encodeProtein32("wy")), [17, 18]);
  assert.ok(encodeProtein32("A") instanceof Int32Array);
  assert.equal(decodeProtein(encodeProtein(AMINO_ACIDS.toLowerCase())), AMINO_ACIDS);
  assert.equal(residueCode("c"), 4);
  assert.equal(residueCode("B"), -1);
  assert.equal(encodeProtein("").length, 0);
});

test("an unknown letter is a ValueError naming the sequence and the 1-based position", () => {
  assert.throws(() => encodeProtein("ACDBX", "query1"), {
    name: "ValueError",
    message: /sequence "query1" has "B" at position 4/,
  });
  assert.throws(() => encodeProtein("AC-D"), /sequence "sequence" has "-" at position 3/);
  assert.throws(() => encodeProtein("Aé"), /position 2/);
});
