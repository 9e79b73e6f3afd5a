/**
 * `npm run bench`: runs every benchmark, prints its tables, and rewrites bench/RESULTS.md with the
 * date and the machine. `--quick` shortens every bench (a smoke run); `--only NAME` runs one.
 * Each bench runs its reference tool (scipy, PyTorch) side by side in the same run when installed.
 */
import { renameSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { type BenchOptions, type BenchTable, toMarkdown } from "./table.js";

const BENCHES: Record<string, () => Promise<{ run: (o: BenchOptions) => Promise<BenchTable[]> }>> = {
  mlp: () => import("./mlp.js"),
  divergences: () => import("./divergences.js"),
  classifiers: () => import("./classifiers.js"),
  ngram: () => import("./ngram.js"),
  transformer: () => import("./transformer.js"),
  pairHmm: () => import("./pair-hmm.js"),
  dimension: () => import("./dimension.js"),
  vae: () => import("./vae.js"),
  gan: () => import("./gan.js"),
};

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const onlyAt = argv.indexOf("--only");
const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
if (only !== undefined && !(only in BENCHES)) {
  console.error(
    `bench: --only must be one of ${Object.keys(BENCHES).join(", ")}, but got ${JSON.stringify(only)}`,
  );
  process.exit(2);
}

const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}-${process.arch}`;
const date = new Date().toISOString().slice(0, 16).replace("T", " ");
const sections: string[] = [];
for (const [name, load] of Object.entries(BENCHES)) {
  if (only && name !== only) continue;
  console.log(`\n## ${name}`);
  const tables = await (await load()).run({ quick, log: (line) => console.error(`  ${line}`) });
  for (const t of tables) {
    const md = toMarkdown(t);
    console.log(`\n${md}`);
    sections.push(md);
  }
}

if (!quick && !only) {
  const text = [
    "# Benchmark results",
    "",
    `Latest run: ${date} UTC, \`npm run bench\`, on ${machine}.`,
    "Figures are medians of repeated timed runs after warm-up; ratios compare against the reference run in the same process tree.",
    "",
    ...sections.flatMap((s) => [s, ""]),
  ].join("\n");
  writeFileSync("bench/RESULTS.md.tmp", text);
  renameSync("bench/RESULTS.md.tmp", "bench/RESULTS.md");
  console.log("\nwrote bench/RESULTS.md");
} else {
  console.log("\n(--quick or --only: bench/RESULTS.md left as it was)");
}
