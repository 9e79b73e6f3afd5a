import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cli, tempDir } from "./helpers.js";

const corpus = "the cat sat on the mat\nthe dog sat on the log\na cat and a dog\nthe cat saw the dog\n";

test("train -> ARPA -> score (KenLM query style) -> sample, and the JSON route for add-k", async () => {
  const d = tempDir();
  const p = (f: string) => join(d, f);
  writeFileSync(p("train.txt"), corpus);
  writeFileSync(p("held.txt"), "the cat sat on the log\nan unseen zebra\n");
  const t = await cli("ngram", "train", p("train.txt"), "--order", "3", "--out", p("m.arpa"), "--json");
  assert.equal(t.code, 0, t.err);
  assert.deepEqual(JSON.parse(t.out), {
    order: 3,
    smoothing: "kn",
    vocab: JSON.parse(t.out).vocab,
    out: p("m.arpa"),
  });
  assert.match(readFileSync(p("m.arpa"), "utf8"), /\\data\\\nngram 1=\d+\nngram 2=\d+\nngram 3=\d+/);
  const s = await cli("ngram", "score", "--model", p("m.arpa"), p("held.txt"), "--json");
  assert.equal(s.code, 0, s.err);
  const r = JSON.parse(s.out);
  assert.equal(r.lines.length, 2);
  assert.equal(r.oov, 3, "an, unseen, zebra");
  assert.ok(Number.isFinite(r.perplexity) && r.perplexity > 1);
  const text = await cli("ngram", "score", "--model", p("m.arpa"), p("held.txt"));
  assert.match(text.out, /Perplexity including OOVs: /);
  const a = await cli("ngram", "sample", "--model", p("m.arpa"), "-n", "3", "--seed", "4", "--json");
  assert.equal(JSON.parse(a.out).length, 3);
  assert.equal(
    (await cli("ngram", "sample", "--model", p("m.arpa"), "-n", "3", "--seed", "4", "--json")).out,
    a.out,
  );
  const addkArpa = await cli("ngram", "train", p("train.txt"), "--smoothing", "addk", "--out", p("a.arpa"));
  assert.equal(addkArpa.code, 1);
  assert.match(addkArpa.err, /an add-k model cannot be written as ARPA/);
  assert.equal(
    (await cli("ngram", "train", p("train.txt"), "--smoothing", "addk", "--k", "0.5", "--out", p("a.json")))
      .code,
    0,
  );
  assert.equal((await cli("ngram", "score", "--model", p("a.json"), p("held.txt"))).code, 0);
});

test("a KenLM-written ARPA file scores; bad files and arguments give one-line errors", async () => {
  const s = await cli(
    "ngram",
    "score",
    "--model",
    "test/fixtures/ngram/kenlm-test.arpa",
    "test/fixtures/ngram/heldout.txt",
    "--json",
  );
  assert.equal(s.code, 0, s.err);
  const d = tempDir();
  writeFileSync(join(d, "bad.arpa"), "\\data\\\nngram 1=2\n\n\\1-grams:\n-1.0\tthe\n\\end\\\n");
  const bad = await cli("ngram", "score", "--model", join(d, "bad.arpa"), "test/fixtures/ngram/heldout.txt");
  assert.equal(bad.code, 1);
  assert.match(bad.err, /bad\.arpa: line \d+/);
  assert.equal(bad.err.split("\n").filter(Boolean).length, 1);
  const two = await cli("ngram", "train", "a.txt", "b.txt", "--out", "x.arpa");
  assert.equal(two.code, 2);
  const order = await cli("ngram", "train", "a.txt", "--order", "0", "--out", "x.arpa");
  assert.equal(order.code, 2);
});
