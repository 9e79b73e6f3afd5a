import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCsv } from "../../src/data/csv.js";
import { cli } from "./helpers.js";

test("data counts writes simulated gene counts as CSV, the same for the same seed", async () => {
  const a = await cli("data", "counts", "--cells", "40", "--genes", "12", "--seed", "3", "--pseudotime");
  assert.equal(a.code, 0, a.err);
  const t = parseCsv(a.out);
  assert.deepEqual(t.header.slice(0, 3), ["cell_type", "pseudotime", "gene1"]);
  assert.equal(t.header.length, 14);
  assert.equal(t.rows.length, 40);
  for (const r of t.rows)
    for (const v of r.slice(2)) assert.ok(Number.isInteger(Number(v)) && Number(v) >= 0);
  const b = await cli("data", "counts", "--cells", "40", "--genes", "12", "--seed", "3", "--pseudotime");
  assert.equal(b.out, a.out);
  const bad = await cli("data", "counts", "--cells", "1");
  assert.equal(bad.code, 2);
});
