import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { compareSeries, kgramDistribution } from "../../../src/models/weather/compare.js";

const FIX = "test/fixtures/weather";
const labelsOf = (file: string) =>
  readFileSync(`${FIX}/${file}`, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(",")[1]);
const expected = JSON.parse(readFileSync(`${FIX}/expected.json`, "utf8"));

test("k-gram distributions and divergences match scipy (fixture)", () => {
  const history = labelsOf("history.csv");
  const models = [
    { name: "A", labels: labelsOf("a.csv") },
    { name: "B", labels: labelsOf("b.csv") },
  ];
  for (const c of expected.cases) {
    const m = models.find((x) => x.name === c.model)!;
    const q = kgramDistribution(m.labels, expected.states, c.order, "q");
    for (const [i, x] of (c.q as number[]).entries()) assert.ok(Math.abs(q[i] - x) < 1e-15);
    for (const metric of ["js", "js-distance", "kl", "tv"] as const) {
      const r = compareSeries(history, models, { order: c.order, metric });
      const v = r.results.find((x) => x.model === c.model)!.value;
      assert.ok(
        Math.abs(v - c[metric]) <= 1e-12 * Math.max(1, Math.abs(c[metric])),
        `${metric} order ${c.order} ${c.model}`,
      );
    }
    const r2 = compareSeries(history, models, { order: c.order, metric: "js", base: 2 });
    assert.ok(Math.abs(r2.results.find((x) => x.model === c.model)!.value - c.js_base2) < 1e-12);
  }
});

test("results are ranked best first; pairs are labelled today→tomorrow", () => {
  const r = compareSeries(
    ["a", "b", "a", "b"],
    [
      { name: "far", labels: ["a", "a", "a", "a"] },
      { name: "same", labels: ["a", "b", "a", "b"] },
    ],
    { order: 2 },
  );
  assert.deepEqual(
    r.results.map((x) => x.model),
    ["same", "far"],
  );
  assert.equal(r.results[0].value, 0);
  assert.deepEqual(r.support, ["a→a", "a→b", "b→a", "b→b"]);
});

test("unknown categories, short series, bad order: one-line errors", () => {
  assert.throws(
    () => compareSeries(["a", "b"], [{ name: "M", labels: ["a", "fog"] }]),
    /model "M" has category "fog" \(row 2\) that never occurs in the history \(categories: a, b\)/,
  );
  assert.throws(
    () => compareSeries(["a", "b"], [{ name: "M", labels: ["a"] }], { order: 2 }),
    /at least 2 value/,
  );
  assert.throws(
    () => compareSeries(["a"], [{ name: "M", labels: ["a"] }], { order: 3 }),
    /order must be 1 or 2, but got 3/,
  );
});
