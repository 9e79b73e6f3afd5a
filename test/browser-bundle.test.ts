import assert from "node:assert/strict";
import { test } from "node:test";
import { build } from "esbuild";

test("the library bundles for the browser: no Node built-ins, process or console reachable from src/index.ts", async () => {
  const result = await build({
    entryPoints: ["src/index.ts"],
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
    metafile: true,
  });
  assert.equal(result.errors.length, 0);
  const ours = Object.keys(result.metafile.inputs).filter((p) => p.startsWith("src/"));
  assert.ok(ours.includes("src/metrics/divergences.ts") && ours.includes("src/distributions/index.ts"));
  for (const p of ours) {
    assert.ok(
      !p.startsWith("src/cli/") && !p.startsWith("src/report/") && !p.endsWith("node-files.ts"),
      `${p} is Node-only`,
    );
  }
  const { readFileSync } = await import("node:fs");
  for (const p of ours) {
    const code = readFileSync(p, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    assert.doesNotMatch(code, /\bprocess\.|\bconsole\.|\bBuffer\b|from "node:/, `${p} uses a Node-only API`);
  }
});
