/** `novelist data list|export`: the built-in datasets, as CSV. */
import { DATASETS } from "../../data/datasets/index.js";
import { datasetCsv } from "../../data/features.js";
import { countsCsv, simulateCounts } from "../../data/gene-expression/index.js";
import { random } from "../../jax.js";
import { type Command, flag, num, optStr, seed, UsageError } from "../command.js";
import { writeTextResult } from "../files.js";
import { formatTable } from "../table.js";

const list: Command = {
  name: "list",
  summary: "list the built-in datasets with their provenance",
  usage: "novelist data list [--json]",
  options: { json: { type: "boolean", help: "print JSON" } },
  run(args, ctx) {
    const rows = Object.values(DATASETS).map((d) => ({
      name: d.name,
      rows: d.X.length,
      features: d.featureNames.length,
      classes: d.classNames.length,
      source: d.source,
      licence: d.licence,
    }));
    if (args.values.json) ctx.out(JSON.stringify(rows));
    else
      ctx.out(
        formatTable(
          ["name", "rows", "features", "classes", "source"],
          rows.map((r) => [r.name, r.rows, r.features, r.classes, r.source]),
        ),
      );
  },
};

const exportCmd: Command = {
  name: "export",
  summary: "write a built-in dataset as CSV (features, then a 'class' column)",
  usage: "novelist data export NAME [--out FILE]",
  positionals: [{ name: "NAME", help: Object.keys(DATASETS).join(", ") }],
  options: { out: { type: "string", value: "FILE", help: "write here (default: standard output)" } },
  async run(args, ctx) {
    const names = Object.keys(DATASETS);
    const name = args.positionals[0];
    if (args.positionals.length !== 1 || !names.includes(name)) {
      throw new UsageError(
        `data export takes one dataset name (${names.join(", ")}), but got ${args.positionals.map((p) => JSON.stringify(p)).join(" ") || "none"}`,
      );
    }
    await writeTextResult(ctx, optStr(args, "out"), datasetCsv(DATASETS[name]));
  },
};

const counts: Command = {
  name: "counts",
  summary: "simulate single-cell gene counts (Splatter-style branching trajectory) as CSV",
  usage: "novelist data counts [--cells N] [--genes N] [--dropout] [--pseudotime] [--seed N] [--out FILE]",
  options: {
    cells: { type: "string", value: "N", help: "number of cells (default 2000)" },
    genes: { type: "string", value: "N", help: "number of genes (default 500)" },
    dropout: { type: "boolean", help: "zero counts by Splatter's logistic dropout" },
    pseudotime: { type: "boolean", help: "add a pseudotime column after cell_type" },
    seed: { type: "string", value: "N", help: "random seed (default 0)" },
    out: { type: "string", value: "FILE", help: "write here (default: standard output)" },
  },
  async run(args, ctx) {
    const cells = num(args, "cells", 2000, { integer: true, min: 2, max: 1_000_000 });
    const genes = num(args, "genes", 500, { integer: true, min: 1, max: 100_000 });
    const sim = simulateCounts(random.key(seed(args)), {
      cells,
      genes,
      dropout: flag(args, "dropout"),
    });
    await writeTextResult(ctx, optStr(args, "out"), countsCsv(sim, { pseudotime: flag(args, "pseudotime") }));
  },
};

/** `novelist data ...` */
export const dataCommand: Command = {
  name: "data",
  summary: "the built-in datasets: list them, export them as CSV; simulate gene counts",
  usage: "novelist data <list|export|counts> [options]",
  options: {},
  subcommands: [list, exportCmd, counts],
};
