/** `novelist weather simulate|fit|sample`: the weather example's history and its two generative models. */
import { column, formatCsv } from "../../data/csv.js";
import { isoDates, simulateWeather } from "../../data/weather.js";
import { writeFileAtomic } from "../../io/node-files.js";
import { random } from "../../jax.js";
import { fitSeriesModel, sampleSeries } from "../../models/weather/categorical-series.js";
import { decodeSeriesModel, encodeSeriesModel } from "../../models/weather/checkpoint.js";
import { type Command, choice, num, optStr, seed, seedOption, str, UsageError } from "../command.js";
import { readBytes, readCsv, writeTextResult } from "../files.js";

/** Dates from the --start option; a malformed date is a usage error. */
function datesFrom(start: string, n: number): string[] {
  try {
    return isoDates(start, n);
  } catch {
    throw new UsageError(`--start must be a date YYYY-MM-DD, but got ${JSON.stringify(start)}`);
  }
}

const simulate: Command = {
  name: "simulate",
  summary: "simulate a daily weather history with the built-in seasonal Markov chain (CSV date,weather)",
  usage: "novelist weather simulate [--days N] [--start DATE] [--seed N] [--out FILE]",
  options: {
    days: { type: "string", value: "N", help: "number of days (default 3653, ten years)" },
    start: { type: "string", value: "DATE", help: "first date, YYYY-MM-DD (default 2000-01-01)" },
    seed: seedOption,
    out: { type: "string", value: "FILE", help: "write the CSV here (default: standard output)" },
  },
  async run(args, ctx) {
    const days = num(args, "days", 3653, { integer: true, min: 1, max: 10_000_000 });
    const start = str(args, "start", "2000-01-01");
    datesFrom(start, 0);
    const s = simulateWeather(random.key(seed(args)), { days, start });
    await writeTextResult(
      ctx,
      optStr(args, "out"),
      formatCsv(
        ["date", "weather"],
        s.dates.map((d, i) => [d, s.weather[i]]),
      ),
    );
  },
};

const fit: Command = {
  name: "fit",
  summary: "fit model A (iid: daily frequencies) or B (markov: day-to-day transitions) to a history CSV",
  usage:
    "novelist weather fit --model iid|markov --data FILE --out MODEL.safetensors [--column NAME] [--alpha A]",
  options: {
    model: { type: "string", value: "iid|markov", help: "the model family" },
    data: { type: "string", value: "FILE", help: "history CSV with a header row" },
    column: { type: "string", value: "NAME", help: "the column holding the categories (default weather)" },
    alpha: {
      type: "string",
      value: "A",
      help: "additive smoothing of the counts (default 0: maximum likelihood)",
    },
    out: { type: "string", value: "FILE", help: "where to save the fitted model (safetensors)" },
    json: { type: "boolean", help: "print the fitted parameters as JSON" },
  },
  async run(args, ctx) {
    const kind = choice(args, "model", ["iid", "markov"] as const);
    const data = str(args, "data");
    const out = str(args, "out");
    const alpha = num(args, "alpha", 0, { min: 0 });
    const labels = column(readCsv(data), str(args, "column", "weather"), data);
    const model = fitSeriesModel(kind, labels, { alpha });
    await writeFileAtomic(out, encodeSeriesModel(model));
    if (args.values.json) {
      const params =
        model.kind === "iid"
          ? { probs: Array.from(model.probs) }
          : { initial: Array.from(model.initial), transition: Array.from(model.transition) };
      ctx.out(JSON.stringify({ model: model.kind, states: model.states, ...params, out }));
    } else {
      ctx.out(`fitted ${kind} model on ${labels.length} rows (${model.states.length} categories) -> ${out}`);
    }
  },
};

const sample: Command = {
  name: "sample",
  summary: "sample a synthetic series from a fitted model (CSV date,weather)",
  usage: "novelist weather sample --model MODEL.safetensors -n N [--start DATE] [--seed N] [--out FILE]",
  options: {
    model: { type: "string", value: "FILE", help: "a model saved by `novelist weather fit`" },
    n: { type: "string", short: "n", value: "N", help: "number of days to sample" },
    start: { type: "string", value: "DATE", help: "first date, YYYY-MM-DD (default 2000-01-01)" },
    column: { type: "string", value: "NAME", help: "name of the output column (default weather)" },
    seed: seedOption,
    out: { type: "string", value: "FILE", help: "write the CSV here (default: standard output)" },
  },
  async run(args, ctx) {
    const path = str(args, "model");
    const n = num(args, "n", undefined, { integer: true, min: 1, max: 10_000_000 });
    const dates = datesFrom(str(args, "start", "2000-01-01"), n);
    const model = decodeSeriesModel(readBytes(path, "model"), path);
    const labels = sampleSeries(model, random.key(seed(args)), n);
    await writeTextResult(
      ctx,
      optStr(args, "out"),
      formatCsv(
        ["date", str(args, "column", "weather")],
        dates.map((d, i) => [d, labels[i]]),
      ),
    );
  },
};

/** `novelist weather ...` */
export const weatherCommand: Command = {
  name: "weather",
  summary: "the weather example: simulate a history, fit models A and B, sample from them",
  usage: "novelist weather <simulate|fit|sample> [options]",
  details: [
    "Example:",
    "  novelist weather simulate --seed 1 --out history.csv",
    "  novelist weather fit --model iid --data history.csv --out a.safetensors",
    "  novelist weather fit --model markov --data history.csv --out b.safetensors",
    "  novelist weather sample --model a.safetensors -n 3653 --seed 2 --out a.csv",
    "  novelist weather sample --model b.safetensors -n 3653 --seed 3 --out b.csv",
    "  novelist compare --data history.csv --model A=a.csv --model B=b.csv --order 2",
  ],
  options: {},
  subcommands: [simulate, fit, sample],
};
