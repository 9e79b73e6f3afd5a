import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cli, tempDir } from "./helpers.js";

test("numbers on the command line, every metric, --json and --base", async () => {
  const r = await cli("divergence", "--metric", "js", "--json", "0.5,0.5,0", "0,0.5,0.5");
  assert.equal(r.code, 0, r.err);
  const v = JSON.parse(r.out);
  // m = (0.25, 0.5, 0.25): JSD = 0.5*(0.5 ln 2 + 0) * 2 = 0.5 ln 2
  assert.ok(Math.abs(v.value - 0.5 * Math.log(2)) < 1e-15);
  const b2 = JSON.parse(
    (await cli("divergence", "--metric", "js", "--base", "2", "--json", "0.5,0.5,0", "0,0.5,0.5")).out,
  );
  assert.ok(Math.abs(b2.value - 0.5) < 1e-15);
  const kl = JSON.parse((await cli("divergence", "--metric", "kl", "--json", "0.5,0.5", "1,0")).out);
  assert.equal(kl.value, "Infinity");
  for (const metric of ["kl", "cross-entropy", "js", "js-distance", "tv", "hellinger"]) {
    const t = await cli("divergence", "--metric", metric, "0.2,0.8", "0.4,0.6");
    assert.equal(t.code, 0, `${metric}: ${t.err}`);
    assert.match(t.out, new RegExp(`^${metric} = \\d`));
  }
});

test("files (CSV column, CSV row with header, JSON) and --counts", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, "p.csv"), "count\n2\n6\n2\n");
  writeFileSync(join(dir, "q.csv"), "a,b,c\n1,1,1\n");
  writeFileSync(join(dir, "q.json"), "[1, 1, 1]");
  const a = JSON.parse(
    (await cli("divergence", "--counts", "--json", join(dir, "p.csv"), join(dir, "q.csv"))).out,
  );
  const b = JSON.parse((await cli("divergence", "--counts", "--json", "2,6,2", join(dir, "q.json"))).out);
  assert.equal(a.value, b.value);
  assert.ok(a.value > 0);
});

test("bad vectors are runtime errors (exit 1) naming the argument; wrong arity is a usage error", async () => {
  const sum = await cli("divergence", "0.5,0.6", "0.5,0.5");
  assert.equal(sum.code, 1);
  assert.match(sum.err, /P must sum to 1/);
  const neg = await cli("divergence", "--counts", "1,-1", "1,1");
  assert.equal(neg.code, 1);
  assert.match(neg.err, /P/);
  const len = await cli("divergence", "0.5,0.5", "0.2,0.3,0.5");
  assert.equal(len.code, 1);
  assert.match(len.err, /length/);
  const nan = await cli("divergence", "x.csv", "0.5,0.5");
  assert.equal(nan.code, 1);
  assert.match(nan.err, /cannot read P file x\.csv: no such file/);
  const arity = await cli("divergence", "0.5,0.5");
  assert.equal(arity.code, 2);
  const metric = await cli("divergence", "--metric", "wasserstein", "1", "1");
  assert.equal(metric.code, 2);
  assert.match(metric.err, /--metric must be one of kl, cross-entropy, js, js-distance, tv, hellinger/);
});
