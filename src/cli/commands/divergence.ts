/** `novelist divergence --metric js P Q`: a divergence between two discrete distributions. */
import { ValueError } from "../../errors.js";
import { DIVERGENCE_NAMES, type DivergenceName, divergence, fromCounts } from "../../metrics/index.js";
import { type Command, choice, flag, num, UsageError } from "../command.js";
import { readText } from "../files.js";
import { formatNumber, jsonNumber } from "../table.js";

const NUMBER_LIST = /^\s*[-+0-9.eE]+(\s*,\s*[-+0-9.eE]+)*\s*$/;

/**
 * A vector from the command line: comma-separated numbers, or a file: JSON (an array of numbers) or
 * CSV (one row or one column of numbers, an optional header row above).
 */
export function readVector(arg: string, name: string): number[] {
  if (NUMBER_LIST.test(arg) && !arg.endsWith(".csv") && !arg.endsWith(".json"))
    return parseNumbers(arg.split(","), name);
  const text = readText(arg, `${name} file`);
  if (arg.endsWith(".json") || /^\s*[[{]/.test(text)) {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw new ValueError(`${name}: ${arg} is not valid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(v) || !v.every((x) => typeof x === "number")) {
      throw new ValueError(`${name}: ${arg} must hold a JSON array of numbers`);
    }
    return v;
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const rows = lines.map((l) => l.split(",").map((c) => c.trim()));
  if (rows.length > 0 && rows[0].some((c) => c === "" || Number.isNaN(Number(c)))) rows.shift(); // header
  if (rows.length === 0) throw new ValueError(`${name}: ${arg} holds no numbers`);
  const cells =
    rows.length === 1 ? rows[0] : rows.every((r) => r.length === 1) ? rows.map((r) => r[0]) : null;
  if (!cells) throw new ValueError(`${name}: ${arg} must hold one row or one column of numbers`);
  return parseNumbers(cells, `${name} (${arg})`);
}

function parseNumbers(cells: string[], name: string): number[] {
  return cells.map((c, i) => {
    const x = Number(c.trim());
    if (c.trim() === "" || Number.isNaN(x)) {
      throw new ValueError(`${name}: entry ${i} must be a number, but got ${JSON.stringify(c.trim())}`);
    }
    return x;
  });
}

/** `novelist divergence` */
export const divergenceCommand: Command = {
  name: "divergence",
  summary: "a divergence between two discrete distributions (JS, KL, TV, Hellinger ...)",
  usage: "novelist divergence --metric NAME P Q [--counts] [--base B] [--json]",
  positionals: [
    { name: "P", help: "comma-separated numbers (0.5,0.3,0.2) or a CSV/JSON file of them" },
    { name: "Q", help: "the same for the second distribution" },
  ],
  options: {
    metric: { type: "string", value: "NAME", help: `one of ${DIVERGENCE_NAMES.join(", ")} (default js)` },
    counts: { type: "boolean", help: "P and Q are counts: normalise them first" },
    base: { type: "string", value: "B", help: "logarithm base (default e: nats)" },
    json: { type: "boolean", help: 'print {"metric": ..., "value": ...}' },
  },
  details: [
    "Probability vectors must sum to 1 within 1e-9; pass --counts for raw counts.",
    "Example: novelist divergence --metric js 0.5,0.5,0 0,0.5,0.5",
  ],
  run(args, ctx) {
    if (args.positionals.length !== 2) {
      throw new UsageError(
        `divergence takes two distributions P and Q, but got ${args.positionals.length} argument(s)`,
      );
    }
    const metric = choice<DivergenceName>(args, "metric", DIVERGENCE_NAMES, "js");
    const base =
      args.values.base === undefined
        ? undefined
        : num(args, "base", undefined, { min: 0, exclusiveMin: true });
    if (base === 1) throw new UsageError("--base must not be 1");
    let p: ArrayLike<number> = readVector(args.positionals[0], "P");
    let q: ArrayLike<number> = readVector(args.positionals[1], "Q");
    if (flag(args, "counts")) {
      p = fromCounts(p, { name: "P" });
      q = fromCounts(q, { name: "Q" });
    }
    const value = divergence(metric, p, q, { base, names: ["P", "Q"] });
    ctx.out(
      args.values.json
        ? JSON.stringify({ metric, value: jsonNumber(value) })
        : `${metric} = ${formatNumber(value, 12)}`,
    );
  },
};
