import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { readBytes } from "../../src/cli/files.js";
import { tree } from "../../src/jax.js";
import { DESIGN_METHODS, loadDesignModel } from "../../src/models/design/index.js";
import { type CliResult, cli, tempDir } from "./helpers.js";

/** `novelist design ...` through `main`. */
const design = (...argv: string[]): Promise<CliResult> => cli("design", ...argv);

test("design perovskite prints the table of every method, and --out saves a loadable model", async () => {
  const d = tempDir();
  const path = join(d, "pv.safetensors");
  const r = await design("perovskite", "--steps", "60", "-n", "20", "--seed", "3", "--out", path);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split("\n");
  assert.match(lines[0], /^trained on 2186 of 2733 candidates \(60 steps\); reconstruction/);
  assert.match(r.out, /method\s+valid\s+unique\s+novel\s+stable/);
  for (const m of DESIGN_METHODS) assert.match(r.out, new RegExp(`^${m}\\s+\\d`, "m"));
  assert.match(r.out, /new stable designs \(latent-ascent, \d+\)/);
  assert.match(r.err, /design train: done, 60\/60/);
  const model = loadDesignModel(readBytes(path), { context: path });
  assert.equal(model.training?.length, 2186);
  tree.dispose(model.params);
});

test("design perovskite --json: rows as numbers, reproducible for a seed", async () => {
  const args = ["perovskite", "--steps", "40", "-n", "16", "--seed", "1", "--json"];
  const r = await design(...args);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, "", "--json is quiet");
  const j = JSON.parse(r.out);
  assert.equal(j.candidates, 2733);
  assert.deepEqual(
    j.rows.map((x: { method: string }) => x.method),
    [...DESIGN_METHODS],
  );
  for (const row of j.rows) {
    assert.equal(row.n, 16);
    assert.ok(row.validity >= 0 && row.validity <= 1);
  }
  assert.ok(j.diagnostics.reconstruction.train >= 0);
  assert.equal((await design(...args)).out, r.out);
});

test("bad options are usage errors (exit 2) in one line", async () => {
  for (const argv of [
    ["perovskite", "-n", "0"],
    ["perovskite", "--steps", "many"],
    ["perovskite", "--beta", "-1"],
    ["perovskite", "--colour"],
    ["crystal"],
  ]) {
    const r = await design(...argv);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
    assert.equal(r.err.trim().split("\n").length, 1);
    assert.equal(r.out, "");
  }
});
