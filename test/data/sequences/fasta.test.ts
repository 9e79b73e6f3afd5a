import assert from "node:assert/strict";
import { test } from "node:test";
import {
  formatAlignedFasta,
  formatFasta,
  parseAlignedFasta,
  parseFasta,
  ungap,
} from "../../../src/data/sequences/fasta.js";

const TEXT = `>sp|P69905|HBA_HUMAN Hemoglobin subunit alpha OS=Homo sapiens
MVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHF

DLSHGSAQVKGHGKKVADALTNAVAHVDDMPNALSALSDLHAHKLRVDPVNFKLLSHCLLVTLAAHLPAEFTPAVHASLDKFLASVSTVLTSKYR*
; an old-style comment line
>seq2
acgu
ACGU*

>seq3 trailing spaces   \r
M K V
`;

test("parseFasta reads multi-record text: ids, descriptions, wrapped lines, blank lines, * stripped", () => {
  const records = parseFasta(TEXT);
  assert.equal(records.length, 3);
  assert.equal(records[0].id, "sp|P69905|HBA_HUMAN");
  assert.equal(records[0].description, "Hemoglobin subunit alpha OS=Homo sapiens");
  assert.equal(records[0].sequence.length, 142);
  assert.ok(records[0].sequence.startsWith("MVLSPADKTNV") && records[0].sequence.endsWith("TSKYR"));
  assert.deepEqual(records[1], { id: "seq2", description: "", sequence: "acguACGU" });
  assert.deepEqual(records[2], { id: "seq3", description: "trailing spaces", sequence: "MKV" });
  assert.deepEqual(parseFasta(""), []);
});

test("formatFasta wraps at 60 and round-trips", () => {
  const records = parseFasta(TEXT);
  const text = formatFasta(records);
  const lines = text.trimEnd().split("\n");
  assert.equal(lines[0], ">sp|P69905|HBA_HUMAN Hemoglobin subunit alpha OS=Homo sapiens");
  assert.deepEqual(
    lines.slice(1, 4).map((l) => l.length),
    [60, 60, 22],
  );
  assert.deepEqual(parseFasta(text), records);
  assert.deepEqual(parseFasta(formatFasta(records, { width: 7 })), records);
  assert.equal(formatFasta([{ id: "a", description: "", sequence: "MKV" }], { width: 0 }), ">a\nMKV\n");
});

test("errors name the record, line and column", () => {
  assert.throws(() => parseFasta(">a\nMK1V\n"), /record "a" has "1" on line 2 of input, column 3/);
  assert.throws(
    () => parseFasta(">a\nMK\n>b\nM*K\n", { source: "x.fa" }),
    /record "b" has "\*" on line 4 of x\.fa/,
  );
  assert.throws(() => parseFasta(">a\nMK*\nVV\n"), /record "a" has "\*" on line 2/);
  assert.throws(() => parseFasta("MKV\n>a\nM\n"), /line 1 of input must follow a ">" header/);
  assert.throws(() => parseFasta(">a\n>b\nMK\n"), /record "a" \(line 1 of input\) must have a sequence/);
  assert.throws(() => parseFasta(">\nMK\n"), /line 1 of input must be a header/);
  assert.throws(() => parseFasta(">a\nMK-V\n"), /record "a" has "-"/);
  assert.throws(() => formatFasta([{ id: "a b", description: "", sequence: "M" }]), /id must be non-empty/);
  assert.throws(() => formatFasta([{ id: "a", description: "", sequence: "M-K" }]), /"-" at position 2/);
});

test("aligned FASTA keeps gaps, checks lengths, round-trips", () => {
  const text = ">x first\nMK-V.\nA\n>y\n--KVLA\n";
  const records = parseAlignedFasta(text);
  assert.deepEqual(
    records.map((r) => r.sequence),
    ["MK-V.A", "--KVLA"],
  );
  assert.equal(ungap(records[0].sequence), "MKVA");
  assert.deepEqual(parseAlignedFasta(formatAlignedFasta(records, { width: 4 })), records);
  assert.throws(
    () => parseAlignedFasta(">x\nMK-V\n>y\nMKV\n"),
    /every aligned sequence must have length 4 \(that of "x"\), but record "y" has length 3/,
  );
  assert.throws(
    () => formatAlignedFasta([...records, { id: "z", description: "", sequence: "M" }]),
    /record "z" has length 1/,
  );
});
