import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cli, tempDir } from "./helpers.js";

const FIX = "test/fixtures/weather";
const expected = JSON.parse(readFileSync(`${FIX}/expected.json`, "utf8"));

test("simulate -> fit A and B -> sample -> compare: B is closer on pairs", async () => {
  const d = tempDir();
  const p = (f: string) => join(d, f);
  assert.equal(
    (await cli("weather", "simulate", "--days", "2000", "--seed", "1", "--out", p("h.csv"))).code,
    0,
  );
  assert.match(readFileSync(p("h.csv"), "utf8"), /^date,weather\n2000-01-01,(sunny|cloudy|rainy|snowy)\n/);
  for (const [m, f] of [
    ["iid", "a"],
    ["markov", "b"],
  ]) {
    const fit = await cli(
      "weather",
      "fit",
      "--model",
      m,
      "--data",
      p("h.csv"),
      "--out",
      p(`${f}.safetensors`),
      "--json",
    );
    assert.equal(fit.code, 0, fit.err);
    assert.equal(JSON.parse(fit.out).model, m);
    const s = await cli(
      "weather",
      "sample",
      "--model",
      p(`${f}.safetensors`),
      "-n",
      "2000",
      "--seed",
      "5",
      "--out",
      p(`${f}.csv`),
    );
    assert.equal(s.code, 0, s.err);
  }
  const again = await cli("weather", "sample", "--model", p("b.safetensors"), "-n", "20", "--seed", "5");
  assert.equal(
    again.out,
    readFileSync(p("b.csv"), "utf8").split("\n").slice(0, 21).join("\n") + "\n",
    "same seed, same series",
  );
  const o2 = JSON.parse(
    (
      await cli(
        "compare",
        "--data",
        p("h.csv"),
        "--model",
        `A=${p("a.csv")}`,
        "--model",
        `B=${p("b.csv")}`,
        "--order",
        "2",
        "--json",
      )
    ).out,
  );
  assert.equal(o2.metric, "js");
  assert.equal(o2.order, 2);
  assert.equal(o2.results[0].model, "B");
  assert.ok(o2.results[1].value > 3 * o2.results[0].value);
  const table = await cli(
    "compare",
    "--data",
    p("h.csv"),
    "--model",
    `A=${p("a.csv")}`,
    "--model",
    `B=${p("b.csv")}`,
  );
  assert.match(table.out, /rank\s+model\s+js/);
});

test("compare --json agrees with scipy on the fixture", async () => {
  for (const order of [1, 2]) {
    for (const metric of ["js", "kl", "tv", "js-distance"]) {
      const r = await cli(
        "compare",
        "--data",
        `${FIX}/history.csv`,
        "--model",
        `A=${FIX}/a.csv`,
        "--model",
        `B=${FIX}/b.csv`,
        "--order",
        String(order),
        "--metric",
        metric,
        "--json",
      );
      assert.equal(r.code, 0, r.err);
      for (const x of JSON.parse(r.out).results) {
        const want = expected.cases.find(
          (c: { order: number; model: string }) => c.order === order && c.model === x.model,
        )[metric];
        assert.ok(Math.abs(x.value - want) < 1e-12, `${metric} order ${order} ${x.model}`);
      }
    }
  }
});

test("compare: missing column, empty file, unknown category, bad --model spec", async () => {
  const d = tempDir();
  writeFileSync(join(d, "empty.csv"), "");
  writeFileSync(join(d, "fog.csv"), "date,weather\n1,sunny\n2,fog\n");
  writeFileSync(join(d, "h.csv"), "date,weather\n1,sunny\n2,rainy\n");
  const col = await cli(
    "compare",
    "--data",
    join(d, "h.csv"),
    "--model",
    `A=${join(d, "h.csv")}`,
    "--column",
    "sky",
  );
  assert.equal(col.code, 1);
  assert.match(col.err, /column "sky" not found; columns are "date", "weather"\n$/);
  const empty = await cli("compare", "--data", join(d, "empty.csv"), "--model", `A=${join(d, "h.csv")}`);
  assert.equal(empty.code, 1);
  assert.match(empty.err, /empty\.csv: file is empty/);
  const fog = await cli("compare", "--data", join(d, "h.csv"), "--model", `F=${join(d, "fog.csv")}`);
  assert.equal(fog.code, 1);
  assert.match(fog.err, /model "F" has category "fog" \(row 2\) that never occurs in the history/);
  const spec = await cli("compare", "--data", join(d, "h.csv"), "--model", "nofile");
  assert.equal(spec.code, 2);
  assert.match(spec.err, /--model must look like NAME=FILE/);
});

test("weather sample refuses a file that is not a model", async () => {
  const d = tempDir();
  writeFileSync(join(d, "junk.safetensors"), "not a checkpoint at all");
  const r = await cli("weather", "sample", "--model", join(d, "junk.safetensors"), "-n", "5");
  assert.equal(r.code, 1);
  assert.equal(r.err.split("\n").filter(Boolean).length, 1);
});
