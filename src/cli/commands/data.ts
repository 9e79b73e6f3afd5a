/** `novelist data list|export`: the built-in datasets, as CSV. */
import { DATASETS } from "../../data/datasets/index.js";
import { datasetCsv } from "../../data/features.js";
import { type Command, optStr, UsageError } from "../command.js";
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

/** `novelist data ...` */
export const dataCommand: Command = {
  name: "data",
  summary: "the built-in datasets: list them, export them as CSV",
  usage: "novelist data <list|export> [options]",
  options: {},
  subcommands: [list, exportCmd],
};
