/** `novelist compare`: rank models by how close their synthetic series come to history. */
import { column } from "../../data/csv.js";
import { DIVERGENCE_NAMES, type DivergenceName } from "../../metrics/index.js";
import { compareSeries } from "../../models/weather/compare.js";
import { type Command, choice, num, str, UsageError } from "../command.js";
import { readCsv } from "../files.js";
import { formatTable, jsonNumber } from "../table.js";

/** `novelist compare --data history.csv --model A=a.csv --model B=b.csv` */
export const compareCommand: Command = {
  name: "compare",
  summary: "rank models' synthetic series by divergence from history (single days or consecutive pairs)",
  usage: "novelist compare --data FILE --model NAME=FILE [--model NAME=FILE ...] [options]",
  options: {
    data: { type: "string", value: "FILE", help: "the history CSV" },
    model: {
      type: "string",
      multiple: true,
      value: "NAME=FILE",
      help: "a model's synthetic CSV (repeatable)",
    },
    column: { type: "string", value: "NAME", help: "the column holding the categories (default weather)" },
    order: { type: "string", value: "1|2", help: "1: single days; 2: consecutive-day pairs (default 1)" },
    metric: {
      type: "string",
      value: "NAME",
      help: `divergence: ${DIVERGENCE_NAMES.join(", ")} (default js, Jensen-Shannon divergence)`,
    },
    base: { type: "string", value: "B", help: "logarithm base (default e: nats)" },
    json: { type: "boolean", help: 'print {"metric", "order", "results": [{"model", "value"}, ...]}' },
  },
  details: [
    "Results are ranked best first (smallest divergence). Values are in nats unless --base is given.",
  ],
  run(args, ctx) {
    const data = str(args, "data");
    const col = str(args, "column", "weather");
    const order = num(args, "order", 1, { integer: true, min: 1, max: 2 });
    const metric = choice<DivergenceName>(args, "metric", DIVERGENCE_NAMES, "js");
    const base =
      args.values.base === undefined
        ? undefined
        : num(args, "base", undefined, { min: 0, exclusiveMin: true });
    if (base === 1) throw new UsageError("--base must not be 1");
    const specs = (args.values.model as string[] | undefined) ?? [];
    if (specs.length === 0) throw new UsageError("missing required option --model NAME=FILE");
    const models = specs.map((spec) => {
      const eq = spec.indexOf("=");
      if (eq <= 0 || eq === spec.length - 1) {
        throw new UsageError(`--model must look like NAME=FILE, but got ${JSON.stringify(spec)}`);
      }
      return { name: spec.slice(0, eq), path: spec.slice(eq + 1) };
    });
    const names = new Set<string>();
    for (const m of models) {
      if (names.has(m.name))
        throw new UsageError(`--model names must be distinct, but ${JSON.stringify(m.name)} repeats`);
      names.add(m.name);
    }
    const history = column(readCsv(data), col, data);
    const series = models.map((m) => ({ name: m.name, labels: column(readCsv(m.path), col, m.path) }));
    const r = compareSeries(history, series, { order, metric, base });
    if (args.values.json) {
      ctx.out(
        JSON.stringify({
          metric,
          order,
          results: r.results.map((x) => ({ model: x.model, value: jsonNumber(x.value) })),
        }),
      );
      return;
    }
    ctx.out(
      formatTable(
        ["rank", "model", metric],
        r.results.map((x, i) => [i + 1, x.model, x.value]),
      ),
    );
  },
};
