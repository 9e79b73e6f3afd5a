import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cli, tempDir } from "./helpers.js";

test("ar train -> save -> sample and score through the file, reproducibly", async () => {
  const d = tempDir();
  const p = (f: string) => join(d, f);
  writeFileSync(
    p("train.txt"),
    Array.from({ length: 60 }, (_, i) => ["abcabc", "bcabca", "cabcab"][i % 3]).join("\n"),
  );
  writeFileSync(p("held.txt"), "abcabc\ncabcab\n");
  const t = await cli(
    "ar",
    "train",
    p("train.txt"),
    "--valid",
    p("held.txt"),
    "--steps",
    "60",
    "--context",
    "8",
    "--layers",
    "1",
    "--d-model",
    "16",
    "--heads",
    "2",
    "--out",
    p("m.st"),
    "--json",
  );
  assert.equal(t.code, 0, t.err);
  const summary = JSON.parse(t.out);
  assert.equal(summary.steps, 60);
  assert.equal(summary.vocab, 6, "<unk> <s> </s> a b c");
  const s1 = await cli("ar", "sample", "--model", p("m.st"), "-n", "3", "--seed", "2", "--json");
  assert.equal(s1.code, 0, s1.err);
  assert.equal(JSON.parse(s1.out).length, 3);
  assert.equal(
    (await cli("ar", "sample", "--model", p("m.st"), "-n", "3", "--seed", "2", "--json")).out,
    s1.out,
  );
  const sc = JSON.parse((await cli("ar", "score", "--model", p("m.st"), p("held.txt"), "--json")).out);
  assert.ok(sc.natsPerToken < Math.log(6), `learned something: ${sc.natsPerToken}`);
  assert.ok(Math.abs(sc.perplexity - Math.exp(sc.natsPerToken)) < 1e-9);
});

test("ar refuses a file that is not a text transformer, in one line", async () => {
  const d = tempDir();
  writeFileSync(join(d, "x.st"), "nope");
  const r = await cli("ar", "sample", "--model", join(d, "x.st"));
  assert.equal(r.code, 1);
  assert.equal(r.err.split("\n").filter(Boolean).length, 1);
});
