import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { CORPORA, type Corpus, getCorpus, names, shakespeare } from "../../src/data/corpora/index.js";

const dir = new URL("../../src/data/corpora/", import.meta.url);

/** SHA-256 of the committed files (see README.md for how they were obtained). */
const NAMES_SHA256 = "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d";
const SHAKESPEARE_SHA256 = "2443e759d5c264434fae34891cf12cd9116876bdac5a66d46e77bfbf8fea8f99";

function read(corpus: Corpus): string {
  return readFileSync(new URL(corpus.file, dir), "utf8");
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}

test("every corpus file has the size and newline count its metadata states, in pure ASCII with LF", () => {
  for (const corpus of Object.values(CORPORA)) {
    const bytes = readFileSync(new URL(corpus.file, dir));
    assert.equal(bytes.length, corpus.bytes, `${corpus.file}: bytes`);
    const text = bytes.toString("latin1");
    assert.ok(/^[\x20-\x7e\n]*$/.test(text), `${corpus.file}: printable ASCII and \\n only (no CR, tab)`);
    assert.equal(count(text, "\n"), corpus.newlines, `${corpus.file}: newlines`);
    assert.equal(getCorpus(corpus.name), corpus);
  }
});

test("README.md states the same sizes and counts as the metadata", () => {
  const readme = readFileSync(new URL("README.md", dir), "utf8");
  const fmt = (n: number) => n.toLocaleString("en-US");
  for (const c of Object.values(CORPORA)) {
    const row = readme.split("\n").find((l) => l.startsWith(`| \`${c.file}\``));
    assert.ok(row, `README.md has a table row for ${c.file}`);
    const cells = row.split("|").map((cell) => cell.trim());
    assert.equal(cells[3], fmt(c.bytes), `${c.file}: README bytes`);
    assert.equal(cells[4], fmt(c.newlines), `${c.file}: README newline count`);
  }
});

test("names.txt: 32,033 lower-case names of 2 to 15 letters, girls' list then boys' list", () => {
  const text = read(names);
  assert.ok(!text.endsWith("\n"), "no trailing newline, as in the source copy");
  const lines = text.split("\n");
  assert.equal(lines.length, 32033);
  assert.equal(new Set(lines).size, 29494);
  for (const name of lines) assert.ok(/^[a-z]{2,15}$/.test(name), `bad name ${JSON.stringify(name)}`);
  assert.deepEqual(lines.slice(0, 3), ["emma", "olivia", "ava"]);
  const boys = lines.indexOf("zyona") + 1; // the girls' list ends with "zyona"
  assert.equal(boys, 18029);
  assert.deepEqual(lines.slice(boys, boys + 3), ["liam", "noah", "william"]);
  assert.equal(lines[lines.length - 1], "zzyzx");
  assert.equal(new Set(text.replaceAll("\n", "")).size, 26);
});

test("shakespeare.txt: Coriolanus then Richard III, whole, cut after the last line of Richard III", () => {
  const text = read(shakespeare);
  assert.ok(text.endsWith("\n") && !text.endsWith("\n\n"));
  const lines = text.slice(0, -1).split("\n");
  assert.equal(lines.length, 11697);
  assert.equal(lines[0], "First Citizen:");
  assert.equal(lines[1], "Before we proceed any further, hear me speak.");
  assert.equal(lines[lines.length - 1], "That she may long live here, God say amen!");
  assert.ok(
    text.includes(
      "GLOUCESTER:\nNow is the winter of our discontent\nMade glorious summer by this sun of York;",
    ),
  );
  assert.ok(text.includes("A horse! a horse! my kingdom for a horse!"));
  assert.equal(new Set(text).size, 63);
  assert.equal(text.split(/\s+/).filter((w) => w.length > 0).length, 56955);
  const speakers = lines.filter((l) => /^[A-Za-z][A-Za-z ,&'.]*:$/.test(l));
  assert.equal(speakers.length, 2499);
});

test("file contents are pinned by SHA-256, so any altered character fails", () => {
  const sha = (c: Corpus) =>
    createHash("sha256")
      .update(readFileSync(new URL(c.file, dir), "latin1"), "latin1")
      .digest("hex");
  assert.equal(sha(names), NAMES_SHA256);
  assert.equal(sha(shakespeare), SHAKESPEARE_SHA256);
});

test("getCorpus rejects an unknown name with the list of known names", () => {
  assert.throws(
    () => getCorpus("poems"),
    /getCorpus: name must be one of names, shakespeare, but got "poems"/,
  );
  assert.throws(() => getCorpus("toString"), /name must be one of/);
});
