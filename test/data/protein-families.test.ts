import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { PROTEIN_FAMILIES } from "../../src/data/protein-families/index.js";
import { parseStockholmAll } from "../../src/data/sequences/stockholm.js";

/** SHA-256 of each file, as listed in src/data/protein-families/README.md. */
const SHA256: Record<string, string> = {
  "fn3.sto": "239fda955c5b6836b62288ec5c20bd6d16bea48739bd0ff8ef1574ec1da5d043",
  "Pkinase.sto": "0c47730946f72ba51d4e0fb82c167e4b77c70b3eab45d08bd8e068ea04000726",
  "RRM_1.sto": "21ba28a68df20abd9b253ca251d05bae3fcef187986df04c16628575e00e81df",
  "Caudal_act.sto": "1e52d6e7e735e822b9feb3711cbd3cd2f515d1660e394055a4fd67afe2088bdc",
};

const STANDARD = /^[ACDEFGHIKLMNPQRSTVWY]+$/i;

for (const fam of Object.values(PROTEIN_FAMILIES)) {
  test(`protein family ${fam.name}: file parses and has the recorded counts`, () => {
    const bytes = readFileSync(new URL(`../../src/data/protein-families/${fam.file}`, import.meta.url));
    assert.equal(bytes.length, fam.bytes);
    const alns = parseStockholmAll(bytes.toString("utf8"));
    assert.equal(alns.length, 1);
    const aln = alns[0];
    const gf = (tag: string) => aln.gf.find((g) => g.tag === tag)?.text;
    assert.equal(gf("ID"), fam.name);
    assert.equal(gf("AC"), fam.accession);
    assert.equal(Number(gf("SQ")), fam.sequences);
    assert.equal(aln.sequences.length, fam.sequences);
    const lengths = aln.sequences.map((s) => {
      assert.equal(s.aligned.length, fam.columns);
      const residues = s.aligned.replace(/[.-]/g, "");
      assert.match(residues, STANDARD, s.name);
      return residues.length;
    });
    assert.equal(Math.min(...lengths), fam.minLength);
    assert.equal(Math.max(...lengths), fam.maxLength);
    assert.equal(createHash("sha256").update(new Uint8Array(bytes)).digest("hex"), SHA256[fam.file]);
  });
}

test("protein families: training and evaluation families are disjoint and both present", () => {
  const roles = Object.values(PROTEIN_FAMILIES).map((f) => f.role);
  assert.ok(roles.includes("training"));
  assert.ok(roles.includes("evaluation"));
  assert.equal(new Set(Object.values(PROTEIN_FAMILIES).map((f) => f.file)).size, 4);
});
