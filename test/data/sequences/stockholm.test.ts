import assert from "node:assert/strict";
import { test } from "node:test";
import {
  encodePosteriorProbability,
  formatStockholm,
  parseStockholm,
  parseStockholmAll,
  posteriorLine,
  type StockholmAlignment,
} from "../../../src/data/sequences/stockholm.js";

// A hand-written snippet in the layout of a Pfam seed file (Stockholm 1.0, GF header block, GS lines,
// sequences with /start-end names, GR lines after their sequence, GC consensus lines, interleaved blocks).
const PFAM = `# STOCKHOLM 1.0
#=GF ID   Toy_globin
#=GF AC   PF99999.1
#=GF DE   Toy globin-like domain written for a test
#=GF AU   Novelist tests
#=GF SE   Hand-made
#=GF GA   25.00 25.00;
#=GF TP   Domain
#=GF SQ   3
#=GS HBA_HUMAN/2-30   AC P69905.2
#=GS HBB_HUMAN/3-31   AC P68871.2
#=GS MYG_PHYCA/4-30   AC P02185.2
#=GS MYG_PHYCA/4-30   DR PDB; 1MBN A; 1-153;

HBA_HUMAN/2-30             VLSPADKTNVKAAWGKVG
#=GR HBA_HUMAN/2-30 SS     -HHHHHHHHHHHHHHHT-
#=GR HBA_HUMAN/2-30 PP     *****9987665*****8
HBB_HUMAN/3-31             HLTPEEKSAVTALWGKV.
#=GR HBB_HUMAN/3-31 PP     ***************9..
MYG_PHYCA/4-30             -LSEGEWQLVLHVWAKVE
#=GR MYG_PHYCA/4-30 PP     .*****************
#=GC SS_cons               -HHHHHHHHHHHHHHHT-
#=GC seq_cons              hLopsEKshVtshWuKV.

HBA_HUMAN/2-30             AHAGEYGAEALERM
#=GR HBA_HUMAN/2-30 SS     HHHHHHHHHHHHHH
#=GR HBA_HUMAN/2-30 PP     **************
HBB_HUMAN/3-31             NVDEVGGEALGRLL
#=GR HBB_HUMAN/3-31 PP     ..************
MYG_PHYCA/4-30             ADVAGHGQDILIRL
#=GR MYG_PHYCA/4-30 PP     *************9
#=GC SS_cons               HHHHHHHHHHHHHH
#=GC seq_cons              sDVuGHGpEhLtRL
//
`;

test("a Pfam-style seed snippet: GF, GS, interleaved blocks, GR and GC kept", () => {
  const aln = parseStockholm(PFAM);
  assert.deepEqual(
    aln.sequences.map((s) => s.name),
    ["HBA_HUMAN/2-30", "HBB_HUMAN/3-31", "MYG_PHYCA/4-30"],
  );
  assert.equal(aln.sequences[0].aligned, "VLSPADKTNVKAAWGKVGAHAGEYGAEALERM");
  assert.equal(aln.sequences[1].aligned, "HLTPEEKSAVTALWGKV.NVDEVGGEALGRLL");
  assert.equal(aln.sequences[2].aligned.length, 32);
  assert.deepEqual(aln.gf[0], { tag: "ID", text: "Toy_globin" });
  assert.deepEqual(aln.gf[5], { tag: "GA", text: "25.00 25.00;" });
  assert.equal(aln.gs.length, 4);
  assert.deepEqual(aln.gs[3], { name: "MYG_PHYCA/4-30", tag: "DR", text: "PDB; 1MBN A; 1-153;" });
  assert.equal(aln.gr["HBA_HUMAN/2-30"].SS, "-HHHHHHHHHHHHHHHT-HHHHHHHHHHHHHH");
  assert.equal(aln.gr["HBB_HUMAN/3-31"].PP, "***************9....************");
  assert.equal(aln.gc.SS_cons.length, 32);
  assert.equal(aln.gc.seq_cons, "hLopsEKshVtshWuKV.sDVuGHGpEhLtRL");
});

test("round trips: one block, interleaved blocks, and several alignments", () => {
  const aln = parseStockholm(PFAM);
  const single = formatStockholm(aln);
  assert.ok(single.startsWith("# STOCKHOLM 1.0\n#=GF ID Toy_globin\n"));
  assert.ok(single.endsWith("//\n"));
  assert.deepEqual(parseStockholm(single), aln);
  const blocks = formatStockholm(aln, { width: 10 });
  assert.equal(blocks.split("\n\n").length, 1 + 4);
  assert.deepEqual(parseStockholm(blocks), aln);
  const two = parseStockholmAll(`${single}\n${blocks}`);
  assert.equal(two.length, 2);
  assert.deepEqual(two[1], aln);
  // Column alignment: every sequence/GR/GC line starts its characters at the same column.
  const starts = new Set(
    single
      .split("\n")
      .filter(
        (l) => l !== "" && !l.startsWith("#=GF") && !l.startsWith("#=GS") && !l.startsWith("#") && l !== "//",
      )
      .map((l) => l.search(/\s\S+$/)),
  );
  assert.equal(starts.size, 1);
});

test("HMMER posterior-probability code: deciles, '*' at >= 0.95, '.' at gaps", () => {
  const cases: [number, string][] = [
    [0, "0"],
    [0.049, "0"],
    [0.05, "1"],
    [0.149, "1"],
    [0.15, "2"],
    [0.5, "5"],
    [0.849, "8"],
    [0.85, "9"],
    [0.949, "9"],
    [0.95, "*"],
    [1, "*"],
  ];
  for (const [p, c] of cases) assert.equal(encodePosteriorProbability(p), c, `p = ${p}`);
  assert.throws(() => encodePosteriorProbability(1.5), /encodePosteriorProbability: p must be in \[0, 1\]/);
  assert.throws(() => encodePosteriorProbability(Number.NaN), /must be in/);
  assert.equal(posteriorLine("M-KV.", [1, 0.42, 0.07]), "*.41.");
  assert.throws(() => posteriorLine("MKV", [1, 1], "x"), /one entry per residue \(3\) of "x", but got 2/);
});

test("writing emits #=GR <seq> PP lines from posteriors and they read back", () => {
  const aln: StockholmAlignment = {
    sequences: [
      { name: "x", aligned: "MK-VL" },
      { name: "y", aligned: "MKAV-" },
    ],
    gf: [{ tag: "ID", text: "pair" }],
    gs: [],
    gr: {},
    gc: { RF: "xxxxx" },
  };
  const text = formatStockholm(aln, { posteriors: { x: [0.99, 0.9, 0.5, 0.02], y: [1, 1, 0.3, 0.96] } });
  assert.match(text, /^#=GR x PP \*9\.50$/m);
  assert.match(text, /^#=GR y PP \*\*3\*\.$/m);
  const back = parseStockholm(text);
  assert.equal(back.gr.x.PP, "*9.50");
  assert.equal(back.gr.y.PP, "**3*.");
  assert.equal(back.gc.RF, "xxxxx");
  assert.throws(() => formatStockholm(aln, { posteriors: { z: [1] } }), /posteriors name "z"/);
});

test("errors name the line and the offending sequence", () => {
  assert.throws(() => parseStockholm("x ACGT\n//\n"), /line 1 must be the header "# STOCKHOLM 1.0"/);
  assert.throws(() => parseStockholm("# STOCKHOLM 1.0\nx ACGT\n"), /starting on line 1 must end with "\/\/"/);
  assert.throws(
    () => parseStockholm("# STOCKHOLM 1.0\nx ACGT\ny ACG\n//\n"),
    /length 4 \(that of "x"\), but "y" has length 3/,
  );
  assert.throws(() => parseStockholm("# STOCKHOLM 1.0\nx AC1T\n//\n"), /sequence "x" on line 2 has "1"/);
  assert.throws(
    () => parseStockholm("# STOCKHOLM 1.0\nx ACGT\n#=GR z PP ****\n//\n"),
    /#=GR names sequence "z", which is not in the alignment/,
  );
  assert.throws(
    () => parseStockholm("# STOCKHOLM 1.0\nx ACGT\n#=GC RF xx\n//\n"),
    /#=GC RF must have length 4, but got 2/,
  );
  assert.throws(
    () => parseStockholm("# STOCKHOLM 1.0\nx ACGT\n//\n# STOCKHOLM 1.0\nx A\n//\n"),
    /one alignment, but got 2/,
  );
  assert.throws(
    () => parseStockholm("# STOCKHOLM 1.0\n#=GR x\nx ACGT\n//\n"),
    /line 2 must be "#=GR <seq> <tag>/,
  );
});
