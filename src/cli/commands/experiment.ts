/**
 * `novelist experiment gen-vs-disc` (Ng & Jordan learning curves on a CSV or a built-in dataset) and
 * `novelist experiment lorenz` (VAE vs GAN on the Lorenz attractor).
 */
import { DATASETS } from "../../data/datasets/index.js";
import { featureTable } from "../../data/features.js";
import { lorenzExperiment, lorenzSizes } from "../../experiments/lorenz.js";
import { random } from "../../jax.js";
import { fromRows } from "../../linalg/matrix.js";
import { CURVE_MODELS, learningCurve } from "../../models/classifiers/learning-curve.js";
import { lorenzFindings, lorenzTable } from "../../report/chapters/lorenz.js";
import { type Command, choice, flag, num, optStr, seed, seedOption, UsageError } from "../command.js";
import { readCsv } from "../files.js";
import { createProgress } from "../progress.js";
import { formatTable } from "../table.js";

const genVsDisc: Command = {
  name: "gen-vs-disc",
  summary: "test error vs training-set size for Gaussian naive Bayes, LDA and logistic regression",
  usage: "novelist experiment gen-vs-disc (--data FILE --label COLUMN | --dataset NAME) [options]",
  options: {
    data: { type: "string", value: "FILE", help: "CSV with numeric features and a label column" },
    label: { type: "string", value: "COLUMN", help: "the label column of --data" },
    dataset: {
      type: "string",
      value: "NAME",
      help: `a built-in dataset: ${Object.keys(DATASETS).join(", ")}`,
    },
    sizes: {
      type: "string",
      value: "N,N,...",
      help: "training-set sizes (default: 8 sizes from 2 per class to 70% of the rows)",
    },
    repeats: { type: "string", value: "R", help: "random splits per size (default 20)" },
    "test-fraction": { type: "string", value: "F", help: "held-out fraction per split (default 0.3)" },
    C: { type: "string", value: "C", help: "logistic regression inverse regularisation (default 1)" },
    seed: seedOption,
    json: { type: "boolean", help: 'print {"sizes", "error": {model: [...]}, "stderr": {...}}' },
  },
  run(args, ctx) {
    const dataPath = optStr(args, "data");
    const datasetName = optStr(args, "dataset");
    if ((dataPath === undefined) === (datasetName === undefined))
      throw new UsageError("give exactly one of --data and --dataset");
    let X: ReturnType<typeof fromRows>;
    let y: (string | number)[];
    if (dataPath !== undefined) {
      const label = optStr(args, "label");
      if (label === undefined) throw new UsageError("missing required option --label");
      const t = featureTable(readCsv(dataPath), { label, source: dataPath });
      X = fromRows(t.X, "X", dataPath);
      y = t.y!;
    } else {
      const d = DATASETS[choice(args, "dataset", Object.keys(DATASETS))];
      X = fromRows(d.X);
      y = d.y.map((c) => d.classNames[c]);
    }
    const sizesRaw = optStr(args, "sizes");
    const sizes = sizesRaw?.split(",").map((s) => {
      const m = Number(s);
      if (!Number.isInteger(m) || m <= 0)
        throw new UsageError(`--sizes must be positive integers, but got ${JSON.stringify(s)}`);
      return m;
    });
    const repeats = num(args, "repeats", 20, { integer: true, min: 1 });
    const json = flag(args, "json");
    const bar = createProgress({ label: "gen-vs-disc", total: repeats, stream: ctx.err, quiet: json });
    const curve = learningCurve(random.key(seed(args)), X, y, {
      sizes,
      repeats,
      testFraction: num(args, "test-fraction", 0.3, { min: 0, max: 1, exclusiveMin: true }),
      C: num(args, "C", 1, { min: 0, exclusiveMin: true }),
      onProgress: (done) => bar.update(done),
    });
    bar.done();
    if (json) {
      ctx.out(JSON.stringify({ sizes: curve.sizes, repeats, error: curve.error, stderr: curve.stderr }));
      return;
    }
    ctx.out(
      formatTable(
        ["training size", ...CURVE_MODELS.map((m) => `${m} error %`)],
        curve.sizes.map((m, i) => [
          m,
          ...CURVE_MODELS.map(
            (mo) => `${(100 * curve.error[mo][i]).toFixed(1)} ± ${(100 * curve.stderr[mo][i]).toFixed(1)}`,
          ),
        ]),
      ),
    );
  },
};

const lorenzCmd: Command = {
  name: "lorenz",
  summary: "VAE vs GAN on the Lorenz attractor: correlation dimension and sample-based metrics",
  usage: "novelist experiment lorenz [--full | --scale smoke|quick|full] [--seed N] [--json]",
  options: {
    full: { type: "boolean", help: "the larger scale (longer training, more points, a latent-3 GAN too)" },
    scale: {
      type: "string",
      value: "S",
      help: "smoke (seconds, a check that it runs), quick (default, about a minute) or full",
    },
    seed: seedOption,
    json: { type: "boolean", help: 'print {"sizes", "metrics": [...], "training": [...]}' },
  },
  async run(args, ctx) {
    const full = flag(args, "full");
    if (full && optStr(args, "scale") !== undefined) throw new UsageError("give --full or --scale, not both");
    const scale = full ? "full" : choice(args, "scale", ["smoke", "quick", "full"] as const, "quick");
    const sizes = lorenzSizes(scale);
    const json = flag(args, "json");
    const bars = new Map<string, ReturnType<typeof createProgress>>();
    const ex = await lorenzExperiment(random.key(seed(args)), {
      sizes,
      onProgress: (model, step, total) => {
        let bar = bars.get(model);
        if (bar === undefined) {
          bar = createProgress({ label: `lorenz ${model}`, total, stream: ctx.err, quiet: json });
          bars.set(model, bar);
        }
        bar.update(step);
        if (step === total) bar.done();
      },
    });
    if (json) {
      ctx.out(JSON.stringify({ sizes, metrics: ex.metrics, training: ex.training }));
      return;
    }
    const t = lorenzTable(ex);
    ctx.out(`${t.title}\n${formatTable(t.columns, t.rows)}\n\n${lorenzFindings(ex).join("\n")}`);
  },
};

/** `novelist experiment ...` */
export const experimentCommand: Command = {
  name: "experiment",
  summary: "experiments that compare model families (gen-vs-disc, lorenz)",
  usage: "novelist experiment <gen-vs-disc|lorenz> [options]",
  options: {},
  subcommands: [genVsDisc, lorenzCmd],
};
