import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AMINO_ACIDS,
  CODE_MEMBERS,
  decodeProtein,
  EMISSION_LETTERS,
  EMISSION_SIZE,
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
  assert.equal(residueCode("J"), 22);
  assert.equal(residueCode("*"), -1);
  assert.equal(encodeProtein("").length, 0);
});

test("an unknown letter is a ValueError naming the sequence and the 1-based position", () => {
  assert.throws(() => encodeProtein("ACDB*", "query1"), {
    name: "ValueError",
    message: /sequence "query1" has "\*" at position 5/,
  });
  assert.throws(() => encodeProtein("AC-D"), /sequence "sequence" has "-" at position 3/);
  assert.throws(() => encodeProtein("Aé"), /position 2/);
});

test("ambiguity codes B, Z, X get codes 20..22; U, O, J read as C, K, X", () => {
  assert.deepEqual(Array.from(encodeProtein("BZXbzx")), [20, 21, 22, 20, 21, 22]);
  assert.deepEqual(Array.from(encodeProtein("UOJuoj")), [4, 11, 22, 4, 11, 22]);
  assert.equal(decodeProtein(encodeProtein("ABZXU")), "ABZXC");
  assert.deepEqual(CODE_MEMBERS[20], [2, 3]);
  assert.deepEqual(CODE_MEMBERS[21], [5, 6]);
  assert.equal(CODE_MEMBERS[22].length, 20);
  assert.equal(EMISSION_LETTERS.length, EMISSION_SIZE);
});
