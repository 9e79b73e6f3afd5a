import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { cli } from "./helpers.js";

test("--help lists the commands; every command has --help", async () => {
  const top = await cli("--help");
  assert.equal(top.code, 0);
  for (const c of [
    "tour",
    "compare",
    "divergence",
    "weather",
    "classify",
    "experiment",
    "data",
    "ngram",
    "ar",
    "align",
    "pairhmm",
  ])
    assert.match(top.out, new RegExp(`\\b${c}\\b`));
  for (const argv of [
    ["tour"],
    ["compare"],
    ["divergence"],
    ["weather"],
    ["weather", "simulate"],
    ["weather", "fit"],
    ["weather", "sample"],
    ["classify", "fit"],
    ["classify", "predict"],
    ["classify", "sample"],
    ["experiment", "gen-vs-disc"],
    ["data", "list"],
    ["data", "export"],
    ["ngram", "train"],
    ["ngram", "score"],
    ["ngram", "sample"],
    ["ar", "train"],
    ["ar", "sample"],
    ["ar", "score"],
    ["align"],
    ["pairhmm", "sample"],
    ["pairhmm", "train"],
  ]) {
    const r = await cli(...argv, "--help");
    assert.equal(r.code, 0, argv.join(" "));
    assert.match(r.out, /Usage: novelist/);
  }
});

test("usage errors exit 2 with one line; --debug adds the stack", async () => {
  const unknown = await cli("frobnicate");
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /^novelist: unknown command "frobnicate"; run novelist --help for the list\n$/);
  const opt = await cli("divergence", "--nope", "1", "1");
  assert.equal(opt.code, 2);
  assert.equal(opt.err.split("\n").filter(Boolean).length, 1);
  const sub = await cli("weather", "forecast");
  assert.equal(sub.code, 2);
  assert.match(sub.err, /unknown subcommand "forecast" of weather; expected one of simulate, fit, sample/);
  const missing = await cli("weather", "fit", "--model", "iid");
  assert.equal(missing.code, 2);
  assert.match(missing.err, /missing required option --data/);
  const debug = await cli("divergence", "--debug", "0.5,0.6", "0.5,0.5");
  assert.equal(debug.code, 1);
  assert.match(debug.err, /^novelist: .*P must sum to 1/);
  assert.match(debug.err, /\n\s+at /);
});

test("the installed bin runs as a process: output, exit codes, one-line errors", () => {
  const ok = spawnSync(
    process.execPath,
    ["bin/novelist.js", "divergence", "--json", "--metric", "js", "1,0", "0,1"],
    {
      encoding: "utf8",
    },
  );
  assert.equal(ok.status, 0, ok.stderr);
  const v = JSON.parse(ok.stdout);
  assert.equal(v.metric, "js");
  assert.ok(Math.abs(v.value - Math.log(2)) < 1e-15);
  const bad = spawnSync(
    process.execPath,
    ["bin/novelist.js", "compare", "--data", "no-such.csv", "--model", "A=x.csv"],
    {
      encoding: "utf8",
    },
  );
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, "novelist: cannot read CSV file no-such.csv: no such file\n");
});
