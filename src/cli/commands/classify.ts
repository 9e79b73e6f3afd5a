/**
 * `novelist classify fit|predict|sample`: generative (LDA, QDA, Gaussian naive Bayes, Gaussian
 * mixtures) and discriminative (logistic regression) classifiers on CSV data, saved as safetensors.
 */
import { formatCsv } from "../../data/csv.js";
import { featureTable } from "../../data/features.js";
import { ValueError } from "../../errors.js";
import { writeFileAtomic } from "../../io/node-files.js";
import { random } from "../../jax.js";
import { fromRows, toRows } from "../../linalg/matrix.js";
import {
  type AnyFitted,
  CLASSIFIER_KINDS,
  decodeFitted,
  encodeFitted,
} from "../../models/classifiers/checkpoint.js";
import { encodeWithClasses, type Label } from "../../models/classifiers/labels.js";
import { CLASSIFIERS, type FitSettings } from "../../models/classifiers/registry.js";
import { type Command, choice, flag, num, optStr, seed, seedOption, str, UsageError } from "../command.js";
import { readBytes, readCsv, writeTextResult } from "../files.js";

/** What the CLI stores next to the fitted parameters, to read later CSVs the same way. */
type Stored = AnyFitted & { featureNames: string[]; labelName?: string };

function loadModel(path: string): Stored {
  const m = decodeFitted(readBytes(path, "model"), path) as Stored;
  if (!Array.isArray(m.featureNames))
    throw new ValueError(`${path}: the model does not list its feature names`);
  return m;
}

function fitSettings(args: Parameters<NonNullable<Command["run"]>>[0]): FitSettings {
  const s: FitSettings = {};
  const solver = optStr(args, "solver");
  if (solver !== undefined) s.solver = choice(args, "solver", ["svd", "lsqr", "eigen"] as const);
  const shrink = optStr(args, "shrinkage");
  if (shrink !== undefined)
    s.shrinkage = shrink === "auto" ? "auto" : num(args, "shrinkage", undefined, { min: 0, max: 1 });
  if (args.values["reg-param"] !== undefined)
    s.regParam = num(args, "reg-param", undefined, { min: 0, max: 1 });
  if (args.values["var-smoothing"] !== undefined)
    s.varSmoothing = num(args, "var-smoothing", undefined, { min: 0 });
  if (args.values.C !== undefined) s.C = num(args, "C", undefined, { min: 0, exclusiveMin: true });
  if (args.values.components !== undefined)
    s.components = num(args, "components", undefined, { integer: true, min: 1 });
  if (args.values.covariance !== undefined) {
    s.covariance = choice(args, "covariance", ["full", "diag", "spherical"] as const);
  }
  return s;
}

const fit: Command = {
  name: "fit",
  summary: "fit a classifier to a CSV (numeric features + a label column) and save it",
  usage:
    "novelist classify fit --model lda|qda|gnb|logreg|gmm --data FILE --label COLUMN --out MODEL.safetensors [options]",
  options: {
    model: { type: "string", value: "KIND", help: `one of ${CLASSIFIER_KINDS.join(", ")}` },
    data: { type: "string", value: "FILE", help: "training CSV with a header row" },
    label: {
      type: "string",
      value: "COLUMN",
      help: "the label column (gmm: omit it for an unsupervised mixture)",
    },
    out: { type: "string", value: "FILE", help: "where to save the model (safetensors)" },
    solver: { type: "string", value: "svd|lsqr|eigen", help: "LDA solver (default svd)" },
    shrinkage: {
      type: "string",
      value: "auto|S",
      help: "LDA shrinkage: auto (Ledoit-Wolf) or a number in [0, 1] (lsqr, eigen)",
    },
    "reg-param": { type: "string", value: "R", help: "QDA covariance regularisation in [0, 1] (default 0)" },
    "var-smoothing": {
      type: "string",
      value: "V",
      help: "Gaussian naive Bayes variance smoothing (default 1e-9)",
    },
    C: { type: "string", value: "C", help: "logistic regression inverse regularisation (default 1)" },
    components: {
      type: "string",
      value: "K",
      help: "gmm: mixture components (per class with --label; default 2, or 3 without)",
    },
    covariance: { type: "string", value: "full|diag|spherical", help: "gmm covariance type (default full)" },
    seed: seedOption,
    json: { type: "boolean", help: "print a JSON summary" },
  },
  async run(args, ctx) {
    const kind = choice(args, "model", CLASSIFIER_KINDS);
    const data = str(args, "data");
    const out = str(args, "out");
    const label = optStr(args, "label");
    if (label === undefined && kind !== "gmm")
      throw new UsageError("missing required option --label (only gmm can fit without labels)");
    const t = featureTable(readCsv(data), { label, source: data });
    const X = fromRows(t.X, "X", `classify fit (${data})`);
    const fitted = CLASSIFIERS[kind].fit(X, t.y, random.key(seed(args)), fitSettings(args));
    const stored: Stored = { ...fitted, featureNames: t.featureNames, labelName: t.labelName };
    await writeFileAtomic(out, encodeFitted(stored));
    const summary = {
      model: kind,
      classes: fitted.classes as Label[],
      features: t.featureNames.length,
      rows: X.rows,
      out,
    };
    if (flag(args, "json")) ctx.out(JSON.stringify(summary));
    else
      ctx.out(
        `fitted ${kind} on ${X.rows} rows, ${t.featureNames.length} features, classes ${summary.classes.join(", ")} -> ${out}`,
      );
  },
};

const predict: Command = {
  name: "predict",
  summary: "predict the classes (and probabilities) of a CSV's rows with a saved model",
  usage: "novelist classify predict --model MODEL.safetensors --data FILE [--proba] [--json] [--out FILE]",
  options: {
    model: { type: "string", value: "FILE", help: "a model saved by classify fit" },
    data: {
      type: "string",
      value: "FILE",
      help: "CSV with the same feature columns (a label column, if present, is scored)",
    },
    proba: { type: "boolean", help: "also print each class's probability" },
    json: { type: "boolean", help: 'print {"classes", "predictions", "proba"?, "accuracy"?}' },
    out: { type: "string", value: "FILE", help: "write the predictions CSV here (default: standard output)" },
  },
  async run(args, ctx) {
    const path = str(args, "model");
    const data = str(args, "data");
    const m = loadModel(path);
    const table = readCsv(data);
    const hasLabel = m.labelName !== undefined && table.header.includes(m.labelName);
    const t = featureTable(table, { label: hasLabel ? m.labelName : undefined, source: data });
    if (t.featureNames.join("\u0000") !== m.featureNames.join("\u0000")) {
      throw new ValueError(
        `${data}: feature columns must be ${m.featureNames.join(", ")} as in fit, but are ${t.featureNames.join(", ")}`,
      );
    }
    const api = CLASSIFIERS[m.kind];
    const X = fromRows(t.X, "X", `classify predict (${data})`);
    const pred = api.predict(m, X);
    const proba = flag(args, "proba") || flag(args, "json") ? toRows(api.predictProba(m, X)) : undefined;
    const classes = m.classes as Label[];
    let accuracy: number | undefined;
    if (hasLabel && t.y) {
      encodeWithClasses(t.y, classes, `classify predict (${data})`, `label column "${m.labelName}"`);
      accuracy = pred.filter((p, i) => p === t.y![i]).length / pred.length;
    }
    if (flag(args, "json")) {
      ctx.out(
        JSON.stringify({
          classes,
          predictions: pred,
          ...(flag(args, "proba") ? { proba } : {}),
          ...(accuracy !== undefined ? { accuracy } : {}),
        }),
      );
      return;
    }
    const header = ["prediction", ...(proba ? classes.map((c) => `p(${c})`) : [])];
    const rows = pred.map((p, i) => [p, ...(proba ? proba[i] : [])]);
    await writeTextResult(ctx, optStr(args, "out"), formatCsv(header, rows));
    if (accuracy !== undefined)
      ctx.err.write(`accuracy on ${pred.length} labelled rows: ${(100 * accuracy).toFixed(2)}%\n`);
  },
};

const sample: Command = {
  name: "sample",
  summary: "draw new rows from a generative model (lda, qda, gnb, gmm); logreg cannot",
  usage: "novelist classify sample --model MODEL.safetensors -n N [--class NAME] [--seed N] [--out FILE]",
  options: {
    model: { type: "string", value: "FILE", help: "a model saved by classify fit" },
    n: { type: "string", short: "n", value: "N", help: "number of rows to draw" },
    class: {
      type: "string",
      value: "NAME",
      help: "draw only this class (default: classes drawn from the priors)",
    },
    seed: seedOption,
    out: { type: "string", value: "FILE", help: "write the CSV here (default: standard output)" },
  },
  async run(args, ctx) {
    const path = str(args, "model");
    const n = num(args, "n", undefined, { integer: true, min: 1, max: 10_000_000 });
    const m = loadModel(path);
    const api = CLASSIFIERS[m.kind];
    if (!api.sample) throw new ValueError(api.cannotSample ?? `${m.kind} cannot sample`);
    const classes = m.classes as Label[];
    const wanted = optStr(args, "class");
    let cls: Label | undefined;
    if (wanted !== undefined) {
      cls = classes.find((c) => String(c) === wanted);
      if (cls === undefined)
        throw new ValueError(
          `--class must be one of ${classes.join(", ")}, but got ${JSON.stringify(wanted)}`,
        );
    }
    const s = api.sample(m, random.key(seed(args)), n, { class: cls });
    const header = [...m.featureNames, m.labelName ?? "component"];
    const rows = toRows(s.X).map((r, i) => [...r, s.y[i]]);
    await writeTextResult(ctx, optStr(args, "out"), formatCsv(header, rows));
  },
};

/** `novelist classify ...` */
export const classifyCommand: Command = {
  name: "classify",
  summary: "generative and discriminative classifiers: fit, predict, sample",
  usage: "novelist classify <fit|predict|sample> [options]",
  details: [
    "Example:",
    "  novelist data export iris --out iris.csv",
    "  novelist classify fit --model lda --data iris.csv --label class --out lda.safetensors",
    "  novelist classify predict --model lda.safetensors --data iris.csv --proba",
    "  novelist classify sample --model lda.safetensors -n 5 --class setosa --seed 1",
  ],
  options: {},
  subcommands: [fit, predict, sample],
};
