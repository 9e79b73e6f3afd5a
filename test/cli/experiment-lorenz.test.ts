import assert from "node:assert/strict";
import { test } from "node:test";
import { cli } from "./helpers.js";

test("experiment lorenz: JSON metrics for every sample set; the same seed gives the same numbers", async () => {
  const a = await cli("experiment", "lorenz", "--scale", "smoke", "--seed", "2", "--json");
  assert.equal(a.code, 0, a.err);
  const r = JSON.parse(a.out);
  assert.deepEqual(
    r.metrics.map((m: { name: string }) => m.name),
    ["data (held-out trajectory)", "GAN", "VAE decoder mean", "VAE full samples"],
  );
  for (const m of r.metrics) {
    assert.ok(m.precision >= 0 && m.precision <= 1 && m.recall >= 0 && m.recall <= 1);
    assert.ok(Number.isFinite(m.mmd2) && m.energy >= 0);
    assert.ok(m.lobe > 0 && m.lobe < 1);
  }
  // held-out data: a 2-D attractor at large radii, close to itself by every metric
  assert.ok(r.metrics[0].dimensionLarge > 1.5 && r.metrics[0].dimensionLarge < 2.2);
  assert.ok(r.metrics[0].precision > 0.9 && r.metrics[0].recall > 0.9);
  const b = await cli("experiment", "lorenz", "--scale", "smoke", "--seed", "2", "--json");
  assert.deepEqual(JSON.parse(b.out).metrics, r.metrics);
  const text = await cli("experiment", "lorenz", "--scale", "smoke");
  assert.match(text.out, /VAE full samples/);
  assert.match(text.out, /Small radii/);
  assert.equal((await cli("experiment", "lorenz", "--full", "--scale", "quick")).code, 2);
  assert.equal((await cli("experiment", "lorenz", "--scale", "huge")).code, 2);
});
