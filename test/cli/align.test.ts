import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseAlignedFasta } from "../../src/data/sequences/fasta.js";
import { parseStockholmAll } from "../../src/data/sequences/stockholm.js";
import { cli, tempDir } from "./helpers.js";

const HBA = "VLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHFDLSHGSAQVKGHGKKVADALTNAVAHVDDMPNALSALSDLHAHKL";
const HBB =
  "VHLTPEEKSAVTALWGKVNVDEVGGEALGRLLVVYPWTQRFFESFGDLSTPDAVMGNPKVKAHGKKVLGAFSDGLAHLDNLKGTFATLSELHCDKL";

function files() {
  const d = tempDir();
  writeFileSync(join(d, "a.fa"), `>hba human alpha\n${HBA}\n`);
  writeFileSync(join(d, "b.fa"), `>hbb human beta\n${HBB}\n`);
  return d;
}

test("align in every format and method: the alignment spells both sequences; forward >= Viterbi", async () => {
  const d = files();
  const a = join(d, "a.fa");
  const b = join(d, "b.fa");
  for (const method of ["viterbi", "mea", "sample"]) {
    const r = JSON.parse(
      (await cli("align", a, b, "--method", method, "--format", "json", "--seed", "1")).out,
    );
    assert.equal(r.aligned[0].replace(/-/g, ""), HBA);
    assert.equal(r.aligned[1].replace(/-/g, ""), HBB);
    assert.ok(r.logProb >= r.viterbiLogProb, "the sum over all alignments is at least the best one");
    assert.ok(
      r.identity > 0.3 && r.identity < 0.6,
      `${method}: globins share ~40% identity, got ${r.identity}`,
    );
    assert.ok(r.posteriors.every((p: number) => p >= 0 && p <= 1 + 1e-12));
  }
  const pair = await cli("align", a, b);
  assert.match(pair.out, /# Identity: +\d+\/\d+ \(\d+\.\d%\)/);
  assert.match(pair.out, /^hba +1 V/m);
  const fasta = parseAlignedFasta((await cli("align", a, b, "--format", "fasta")).out);
  assert.deepEqual(
    fasta.map((r) => r.id),
    ["hba", "hbb"],
  );
  const sto = parseStockholmAll(
    (await cli("align", a, b, "--method", "mea", "--format", "stockholm")).out,
  )[0];
  assert.equal(sto.gr.hba.PP.length, sto.sequences[0].aligned.length);
});

test("pairhmm sample writes true alignments; pairhmm train reads them back as pairs and learns gap parameters", async () => {
  const d = tempDir();
  const s = await cli(
    "pairhmm",
    "sample",
    "-n",
    "6",
    "--length",
    "80",
    "--seed",
    "2",
    "--out",
    join(d, "pairs.sto"),
  );
  assert.equal(s.code, 0, s.err);
  const alns = parseStockholmAll(readFileSync(join(d, "pairs.sto"), "utf8"));
  assert.equal(alns.length, 6);
  const fasta = alns
    .flatMap((a) => a.sequences.map((q) => `>${q.name}\n${q.aligned.replace(/[-.]/g, "")}\n`))
    .join("");
  writeFileSync(join(d, "pairs.fa"), fasta);
  const t = await cli(
    "pairhmm",
    "train",
    join(d, "pairs.fa"),
    "--out",
    join(d, "p.json"),
    "--iterations",
    "5",
    "--json",
  );
  assert.equal(t.code, 0, t.err);
  const r = JSON.parse(t.out);
  assert.equal(r.pairs, 6);
  assert.ok(r.delta > 0 && r.delta < 0.5 && r.epsilon > 0 && r.epsilon < 1);
  const again = await cli(
    "align",
    join(d, "pairs.fa"),
    join(d, "pairs.fa"),
    "--params",
    join(d, "p.json"),
    "--format",
    "json",
  );
  assert.equal(again.code, 0, again.err);
});

test("bad residues, bad matrices and missing files are one-line errors", async () => {
  const d = files();
  writeFileSync(join(d, "bad.fa"), ">x\nMKB1\n");
  const bad = await cli("align", join(d, "bad.fa"), join(d, "b.fa"));
  assert.equal(bad.code, 1);
  assert.match(bad.err, /record "x" .* line 2/);
  const m = await cli("align", join(d, "a.fa"), join(d, "b.fa"), "--matrix", "BLOSUM99");
  assert.equal(m.code, 2);
  const one = await cli("align", join(d, "a.fa"));
  assert.equal(one.code, 2);
});

test("align reads X, B, Z, U and O (every letter is a residue) and prints them as given", async () => {
  const d = tempDir();
  const a = `${HBA.slice(0, 30)}XBU${HBA.slice(30)}`;
  const b = `${HBB.slice(0, 40)}ZO${HBB.slice(40)}`;
  writeFileSync(join(d, "a.fa"), `>a\n${a.toLowerCase()}\n`);
  writeFileSync(join(d, "b.fa"), `>b\n${b}\n`);
  const r = JSON.parse((await cli("align", join(d, "a.fa"), join(d, "b.fa"), "--format", "json")).out);
  assert.equal(r.aligned[0].replace(/-/g, ""), a);
  assert.equal(r.aligned[1].replace(/-/g, ""), b);
  assert.ok(Number.isFinite(r.logProb));
  writeFileSync(join(d, "c.fa"), ">c\nACD*E\n");
  const bad = await cli("align", join(d, "c.fa"), join(d, "b.fa"));
  assert.equal(bad.code, 1);
  assert.match(bad.err, /record "c" has "\*" on line 2 of .*c\.fa, column 4/);
});

test("align --model five-state: ProbCons's long-gap states; sample needs the three-state model", async () => {
  const d = files();
  const a = join(d, "a.fa");
  const b = join(d, "b.fa");
  const r = JSON.parse(
    (await cli("align", a, b, "--model", "five-state", "--method", "mea", "--format", "json")).out,
  );
  assert.equal(r.model, "five-state");
  assert.equal(r.aligned[0].replace(/-/g, ""), HBA);
  assert.equal(r.aligned[1].replace(/-/g, ""), HBB);
  assert.ok(r.logProb >= r.viterbiLogProb);
  assert.ok(r.identity > 0.3 && r.identity < 0.6);
  const pair = await cli("align", a, b, "--model", "five-state");
  assert.match(pair.out, /# Model: +five-state/);
  assert.equal((await cli("align", a, b, "--model", "five-state", "--method", "sample")).code, 2);
  assert.equal((await cli("align", a, b, "--model", "seven-state")).code, 2);
});
