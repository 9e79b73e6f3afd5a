/**
 * `novelist vae train|encode|decode|sample|interpolate|score`: variational autoencoders on numeric CSV
 * tables (scvi-tools' likelihoods for counts), saved as safetensors with the feature and label names.
 * The command definitions and their options; reading and checking the CSVs is in vae-data.ts, the
 * checkpoints and their names in vae-model.ts.
 */
import { existsSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { NumericalError, ValueError } from "../../errors.js";
import { type Array, random, tree } from "../../jax.js";
import {
  decodeMean,
  encode,
  interpolate,
  isCountLikelihood,
  LIKELIHOOD_NAMES,
  sample,
  trainVae,
  type VaeConfig,
  vaeInit,
} from "../../models/vae/index.js";
import { NonFiniteLossError } from "../../train/fit.js";
import {
  type Command,
  choice,
  flag,
  num,
  optStr,
  type ParsedArgs,
  seed,
  seedOption,
  str,
  UsageError,
} from "../command.js";
import { readCsv, writeTextResult } from "../files.js";
import { createProgress } from "../progress.js";
import { formatNumber, jsonNumber } from "../table.js";
import {
  int32,
  latentData,
  matrix,
  modelData,
  outputCsv,
  rowLabels,
  splitRows,
  toHost,
  trainingBatch,
  trainingData,
} from "./vae-data.js";
import { drawLabels, loadModel, type Model, rowBounds, saveModel } from "./vae-model.js";

function positionals(args: ParsedArgs, names: string[]): string[] {
  if (args.positionals.length !== names.length)
    throw new UsageError(
      `expected ${names.join(" and ")}, but got ${args.positionals.length} argument(s)${args.positionals.length ? `: ${args.positionals.join(" ")}` : ""}`,
    );
  return args.positionals;
}

function list(args: ParsedArgs, name: string): string[] {
  const v = optStr(args, name);
  if (v === undefined) return [];
  const xs = v.split(",").map((s) => s.trim());
  if (xs.some((s) => s === ""))
    throw new UsageError(`--${name} must be comma-separated names, but got ${JSON.stringify(v)}`);
  return xs;
}

function hiddenSizes(args: ParsedArgs): number[] {
  const v = str(args, "hidden", "128").trim();
  if (v === "none") return [];
  const xs = v.split(",").map((s) => Number(s.trim()));
  if (v === "" || xs.some((h) => !Number.isInteger(h) || h < 1))
    throw new UsageError(
      `--hidden must be comma-separated positive integers (e.g. 128,64) or none, but got ${JSON.stringify(v)}`,
    );
  return xs;
}

function checkOutDir(out: string): void {
  const dir = dirname(resolve(out));
  if (!existsSync(dir)) throw new ValueError(`cannot write --out ${out}: directory ${dir} does not exist`);
}

function libraryOption(args: ParsedArgs, m: Model): number | undefined {
  if (args.values.library === undefined) return undefined;
  const lib = num(args, "library", undefined, { min: 0 });
  if (!isCountLikelihood(m.config.likelihood))
    throw new ValueError(
      `--library applies to count likelihoods (poisson, nb, zinb) only, but the model's is "${m.config.likelihood}"`,
    );
  return lib;
}

const dropOption = {
  type: "string",
  value: "COL,...",
  help: "non-feature columns to ignore (columns dropped at training are ignored anyway)",
} as const;
const labelOption = {
  type: "string",
  value: "NAME",
  help: "conditional models: the label for every row (default: the CSV's label column)",
} as const;
const outOption = {
  type: "string",
  value: "FILE",
  help: "write the CSV here (default: standard output)",
} as const;

const train: Command = {
  name: "train",
  summary: "train a VAE on a numeric CSV and save it (safetensors, with feature and label names)",
  usage:
    "novelist vae train DATA.csv --likelihood gaussian|bernoulli|poisson|nb|zinb --out VAE.safetensors [options]",
  positionals: [
    { name: "DATA.csv", help: "header row; every column a feature except --label-column and --drop" },
  ],
  options: {
    likelihood: {
      type: "string",
      value: "NAME",
      help: `observation model p(x | z): ${LIKELIHOOD_NAMES.join(", ")}`,
    },
    latent: { type: "string", value: "L", help: "latent dimension (default 10)" },
    hidden: {
      type: "string",
      value: "H,...",
      help: "encoder hidden widths, reversed in the decoder; none for linear (default 128)",
    },
    steps: { type: "string", value: "N", help: "training steps (default 1000; or give --epochs)" },
    epochs: { type: "string", value: "N", help: "passes over the training rows instead of --steps" },
    batch: { type: "string", value: "B", help: "rows per step (default min(128, training rows))" },
    lr: { type: "string", value: "X", help: "Adam learning rate (default 1e-3)" },
    beta: { type: "string", value: "X", help: "KL weight (default 1)" },
    "kl-warmup": { type: "string", value: "N", help: "steps of linear KL warm-up from 0 (default 0)" },
    "label-column": {
      type: "string",
      value: "NAME",
      help: "train a conditional VAE on this column's distinct values",
    },
    drop: { type: "string", value: "COL,...", help: "columns that are neither features nor the label" },
    "valid-fraction": {
      type: "string",
      value: "F",
      help: "rows held out for the validation ELBO, in [0, 1) (default 0.1)",
    },
    seed: seedOption,
    out: { type: "string", value: "FILE", help: "where to save the model (written atomically)" },
    json: { type: "boolean", help: "print a JSON summary" },
  },
  async run(args, ctx) {
    // 1. every option checked before the data is read
    const [dataPath] = positionals(args, ["DATA.csv"]);
    const likelihood = choice(args, "likelihood", LIKELIHOOD_NAMES);
    const out = str(args, "out");
    const latent = num(args, "latent", 10, { integer: true, min: 1 });
    const hidden = hiddenSizes(args);
    if (args.values.steps !== undefined && args.values.epochs !== undefined)
      throw new UsageError("give --steps or --epochs, not both");
    const epochs =
      args.values.epochs === undefined
        ? undefined
        : num(args, "epochs", undefined, { integer: true, min: 1 });
    const steps = epochs === undefined ? num(args, "steps", 1000, { integer: true, min: 1 }) : undefined;
    const batchOpt =
      args.values.batch === undefined ? undefined : num(args, "batch", undefined, { integer: true, min: 1 });
    const lr = num(args, "lr", 1e-3, { min: 0, exclusiveMin: true });
    const beta = num(args, "beta", 1, { min: 0 });
    const warmup = num(args, "kl-warmup", 0, { integer: true, min: 0 });
    const validFraction = num(args, "valid-fraction", 0.1, { min: 0 });
    if (validFraction >= 1) throw new UsageError(`--valid-fraction must be < 1, but got ${validFraction}`);
    const labelColumn = optStr(args, "label-column");
    const drop = list(args, "drop");
    if (labelColumn !== undefined && drop.includes(labelColumn))
      throw new UsageError(`--label-column ${labelColumn} cannot also be in --drop`);
    const seedValue = seed(args);
    const json = flag(args, "json");
    checkOutDir(out);
    // 2. the table: features, labels, the validation split (keys: init, split, train)
    const data = trainingData(readCsv(dataPath), dataPath, {
      likelihood,
      drop,
      ...(labelColumn !== undefined ? { labelColumn } : {}),
    });
    if (validFraction > 0 && data.n < 2)
      throw new ValueError(
        `${dataPath}: --valid-fraction needs at least 2 rows, but the file has ${data.n}; use --valid-fraction 0`,
      );
    const D = data.featureNames.length;
    const ks = random.split(random.key(seedValue), 3);
    const kInit = ks.ref.slice(0);
    const { trainRows, validRows } = splitRows(data.n, validFraction, ks.ref.slice(1));
    const kTrain = ks.slice(2);
    const nTrain = trainRows.length;
    const batch = batchOpt ?? Math.min(128, nTrain);
    if (batch > nTrain) {
      tree.dispose([kInit, kTrain]);
      throw new ValueError(
        `--batch must be at most the number of training rows (${nTrain}), but got ${batch}`,
      );
    }
    // 3. train with progress, then save atomically
    const { featureNames, labels } = data;
    const config: VaeConfig = { inputDim: D, latentDim: latent, hidden, likelihood, nLabels: labels.length };
    const total = steps ?? (epochs ?? 1) * Math.floor(nTrain / batch);
    const bar = createProgress({ label: "vae train", total, stream: ctx.err, quiet: json });
    let result: Awaited<ReturnType<typeof trainVae>>;
    try {
      result = await trainVae(vaeInit(kInit, config), kTrain, trainingBatch(data, trainRows), {
        config,
        ...(steps !== undefined ? { steps } : { epochs }),
        batchSize: batch,
        lr,
        beta,
        klWarmupSteps: warmup,
        ...(validRows.length > 0
          ? { valid: trainingBatch(data, validRows), evalEvery: Math.max(1, Math.floor(total / 10)) }
          : {}),
        onProgress: (p) =>
          bar.update(
            p.step,
            `loss ${formatNumber(p.loss)}${p.beta !== beta ? ` beta ${formatNumber(p.beta, 3)}` : ""}${p.validElbo !== undefined ? ` valid ELBO ${formatNumber(p.validElbo)}` : ""}`,
          ),
      });
    } catch (e) {
      if (e instanceof NonFiniteLossError) {
        tree.dispose([e.params, e.optState]);
        throw new NumericalError(`vae train: ${e.message}; nothing written to ${out} (try a lower --lr)`);
      }
      throw e;
    }
    tree.dispose(result.optState);
    const last = Math.min(result.losses.length, 50);
    const trainLoss = result.losses.slice(-last).reduce((a, b) => a + b, 0) / last;
    const validElbo = result.evals.at(-1)?.metric;
    bar.done(`loss ${formatNumber(trainLoss)}`);
    const summary = {
      likelihood,
      latent,
      hidden,
      features: D,
      labels,
      steps: result.steps,
      trainRows: nTrain,
      validRows: validRows.length,
      trainLoss: jsonNumber(trainLoss),
      validElbo: validElbo === undefined ? null : jsonNumber(validElbo),
      out,
    };
    await saveModel(out, result.params, config, {
      featureNames,
      ignoredColumns: drop,
      ...(labelColumn !== undefined ? { labelColumn } : {}),
      labels,
      labelCounts: labels.map((_, k) => trainRows.filter((i) => data.ids![i] === k).length),
      training: {
        data: basename(dataPath),
        seed: seedValue,
        batch,
        lr,
        beta,
        klWarmup: warmup,
        validFraction,
        ...summary,
      },
    });
    if (json) {
      ctx.out(JSON.stringify(summary));
      return;
    }
    ctx.out(
      `trained ${result.steps} steps on ${nTrain} rows: training loss ${formatNumber(trainLoss)} nats/row (mean of the last ${last} steps)` +
        (validElbo !== undefined
          ? `, validation ELBO ${formatNumber(validElbo)} nats/row on ${validRows.length} rows`
          : "") +
        ` -> ${out}`,
    );
  },
};

const encodeCmd: Command = {
  name: "encode",
  summary: "latent means and variances of q(z | x) for each row of a CSV",
  usage: "novelist vae encode VAE.safetensors DATA.csv [--label NAME] [--drop COL,...] [--out Z.csv]",
  positionals: [
    { name: "VAE.safetensors", help: "a model from vae train" },
    { name: "DATA.csv", help: "the model's feature columns (by name)" },
  ],
  options: { label: labelOption, drop: dropOption, out: outOption },
  async run(args, ctx) {
    const [modelPath, dataPath] = positionals(args, ["VAE.safetensors", "DATA.csv"]);
    const drop = list(args, "drop");
    const label = optStr(args, "label");
    const out = optStr(args, "out");
    const m = loadModel(modelPath);
    let labels: number[] | undefined;
    let q: { mean: Array; variance: Array };
    try {
      const d = modelData(m, readCsv(dataPath), dataPath, drop);
      labels = rowLabels(m, label, d.labelCells, dataPath, d.n);
      const x = matrix(d.x, d.n, m.featureNames.length);
      q = encode(m.params, x, { config: m.config, ...(labels ? { labels: int32(labels) } : {}) });
    } catch (e) {
      tree.dispose(m.params);
      throw e;
    }
    const mean = await toHost(q.mean);
    const variance = await toHost(q.variance);
    const L = m.config.latentDim;
    const names = [
      ...globalThis.Array.from({ length: L }, (_, i) => `z${i + 1}`),
      ...globalThis.Array.from({ length: L }, (_, i) => `var${i + 1}`),
    ];
    const values: number[] = [];
    for (let i = 0; i < mean.length / L; i++)
      values.push(...mean.slice(i * L, (i + 1) * L), ...variance.slice(i * L, (i + 1) * L));
    await writeTextResult(ctx, out, outputCsv(m, names, values, labels));
  },
};

const decodeCmd: Command = {
  name: "decode",
  summary: "decoder means E[x | z] for latent rows (columns z1..zL)",
  usage: "novelist vae decode VAE.safetensors Z.csv [--library L] [--label NAME] [--out X.csv]",
  positionals: [
    { name: "VAE.safetensors", help: "a model from vae train" },
    {
      name: "Z.csv",
      help: "columns z1..zL (var1..varL and the label column, as vae encode writes, are allowed)",
    },
  ],
  options: {
    library: {
      type: "string",
      value: "L",
      help: "count models: library size (default: the training geometric mean)",
    },
    label: labelOption,
    out: outOption,
  },
  async run(args, ctx) {
    const [modelPath, zPath] = positionals(args, ["VAE.safetensors", "Z.csv"]);
    const label = optStr(args, "label");
    const out = optStr(args, "out");
    const m = loadModel(modelPath);
    let x: Array;
    let labels: number[] | undefined;
    try {
      const library = libraryOption(args, m);
      const { z, n, labelCells } = latentData(m, readCsv(zPath), zPath);
      labels = rowLabels(m, label, labelCells, zPath, n);
      x = decodeMean(m.params, matrix(z, n, m.config.latentDim), {
        config: m.config,
        ...(labels ? { labels: int32(labels) } : {}),
        ...(library !== undefined ? { library } : {}),
      });
    } catch (e) {
      tree.dispose(m.params);
      throw e;
    }
    await writeTextResult(ctx, out, outputCsv(m, m.featureNames, await toHost(x), labels));
  },
};

const sampleCmd: Command = {
  name: "sample",
  summary: "draw rows from the generative model (or decoder means with --mean)",
  usage:
    "novelist vae sample VAE.safetensors -n N [--mean] [--label NAME] [--library L] [--seed N] [--out X.csv]",
  positionals: [{ name: "VAE.safetensors", help: "a model from vae train" }],
  options: {
    n: { type: "string", short: "n", value: "N", help: "number of rows" },
    mean: { type: "boolean", help: "E[x | z] for z ~ N(0, I) instead of a draw of x" },
    label: {
      type: "string",
      value: "NAME",
      help: "conditional models: the label of every row (default: drawn by the training frequencies)",
    },
    library: {
      type: "string",
      value: "L",
      help: "count models: library size (default: drawn log-normally as scvi-tools)",
    },
    seed: seedOption,
    out: outOption,
  },
  async run(args, ctx) {
    const [modelPath] = positionals(args, ["VAE.safetensors"]);
    const n = num(args, "n", undefined, { integer: true, min: 1, max: 10_000_000 });
    const label = optStr(args, "label");
    const out = optStr(args, "out");
    const key = random.key(seed(args));
    let m: Model;
    try {
      m = loadModel(modelPath);
    } catch (e) {
      key.dispose();
      throw e;
    }
    let x: Array;
    let labels: number[] | undefined;
    try {
      const library = libraryOption(args, m);
      const ks = random.split(key, 2);
      const kLabels = ks.ref.slice(0);
      const kSample = ks.slice(1);
      if (m.config.nLabels > 0 && label === undefined) {
        labels = drawLabels(m, kLabels, n);
      } else {
        kLabels.dispose();
        labels = rowLabels(m, label, undefined, modelPath, n);
      }
      x = sample(m.params, kSample, n, {
        config: m.config,
        mean: flag(args, "mean"),
        ...(labels ? { labels: int32(labels) } : {}),
        ...(library !== undefined ? { library } : {}),
      });
    } catch (e) {
      tree.dispose(m.params);
      throw e;
    }
    await writeTextResult(ctx, out, outputCsv(m, m.featureNames, await toHost(x), labels));
  },
};

const interpolateCmd: Command = {
  name: "interpolate",
  summary: "decoded path between two rows of a CSV through their latent means",
  usage:
    "novelist vae interpolate VAE.safetensors DATA.csv --from ROW --to ROW [--steps 8] [--spherical] [--out PATH.csv]",
  details: [
    "ROW is a data row number: 1 is the first row after the header. Output row s is t = (s-1)/(steps-1).",
  ],
  positionals: [
    { name: "VAE.safetensors", help: "a model from vae train" },
    { name: "DATA.csv", help: "the model's feature columns (by name)" },
  ],
  options: {
    from: { type: "string", value: "ROW", help: "start row (1-based, after the header)" },
    to: { type: "string", value: "ROW", help: "end row (1-based, after the header)" },
    steps: { type: "string", value: "N", help: "points on the path, both ends included (default 8)" },
    spherical: { type: "boolean", help: "great-circle (slerp) path instead of a straight line" },
    label: labelOption,
    drop: dropOption,
    out: outOption,
  },
  async run(args, ctx) {
    const [modelPath, dataPath] = positionals(args, ["VAE.safetensors", "DATA.csv"]);
    const from = num(args, "from", undefined, { integer: true, min: 1 });
    const to = num(args, "to", undefined, { integer: true, min: 1 });
    const steps = num(args, "steps", 8, { integer: true, min: 2, max: 1_000_000 });
    const label = optStr(args, "label");
    const drop = list(args, "drop");
    const out = optStr(args, "out");
    const m = loadModel(modelPath);
    let decoded: Array;
    let labels: number[] | undefined;
    try {
      const table = readCsv(dataPath);
      const n = table.rows.length;
      for (const [name, r] of [
        ["from", from],
        ["to", to],
      ] as const)
        if (r > n) throw new ValueError(`--${name} must be a row of ${dataPath} (1 to ${n}), but got ${r}`);
      const d = modelData(m, table, dataPath, drop, [from - 1, to - 1]);
      const rl = rowLabels(m, label, d.labelCells, dataPath, 2);
      if (rl && rl[0] !== rl[1])
        throw new ValueError(
          `rows ${from} and ${to} of ${dataPath} have different labels (${m.labels[rl[0]]}, ${m.labels[rl[1]]}); choose one with --label`,
        );
      const D = m.featureNames.length;
      const path = interpolate(m.params, matrix(d.x.slice(0, D), 1, D), matrix(d.x.slice(D), 1, D), steps, {
        config: m.config,
        spherical: flag(args, "spherical"),
        ...(rl ? { label: rl[0] } : {}),
      });
      path.latent.dispose();
      decoded = path.decoded;
      labels = rl ? new globalThis.Array<number>(steps).fill(rl[0]) : undefined;
    } catch (e) {
      tree.dispose(m.params);
      throw e;
    }
    await writeTextResult(ctx, out, outputCsv(m, m.featureNames, await toHost(decoded), labels));
  },
};

const score: Command = {
  name: "score",
  summary: "mean ELBO and importance-weighted log p(x) of a CSV's rows (nats per row)",
  usage: "novelist vae score VAE.safetensors DATA.csv [--k 100] [--seed N] [--json]",
  details: [
    "Both bounds use K draws of z per row (the ELBO averages them, the IWAE bound of Burda et al. 2016 averages",
    "the importance weights), so IWAE >= ELBO up to Monte-Carlo noise. Count models condition on the observed",
    "library size: the bounds are on log p(x | l).",
  ],
  positionals: [
    { name: "VAE.safetensors", help: "a model from vae train" },
    { name: "DATA.csv", help: "the model's feature columns (by name)" },
  ],
  options: {
    k: { type: "string", value: "K", help: "draws of z per row (default 100)" },
    label: labelOption,
    drop: dropOption,
    seed: seedOption,
    json: { type: "boolean", help: 'print {"rows", "k", "elbo", "iwae", "elboPerRow", "iwaePerRow"}' },
  },
  async run(args, ctx) {
    const [modelPath, dataPath] = positionals(args, ["VAE.safetensors", "DATA.csv"]);
    const K = num(args, "k", 100, { integer: true, min: 1, max: 100_000 });
    const label = optStr(args, "label");
    const drop = list(args, "drop");
    const seedValue = seed(args);
    const m = loadModel(modelPath);
    let elboRows: number[];
    let iwaeRows: number[];
    try {
      const d = modelData(m, readCsv(dataPath), dataPath, drop);
      const labels = rowLabels(m, label, d.labelCells, dataPath, d.n);
      ({ elboRows, iwaeRows } = await rowBounds(m, random.key(seedValue), d, { K, labels }));
    } catch (e) {
      tree.dispose(m.params);
      throw e;
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const e = mean(elboRows);
    const w = mean(iwaeRows);
    if (flag(args, "json")) {
      ctx.out(
        JSON.stringify({
          rows: elboRows.length,
          k: K,
          seed: seedValue,
          likelihood: m.config.likelihood,
          elbo: jsonNumber(e),
          iwae: jsonNumber(w),
          elboPerRow: elboRows.map(jsonNumber),
          iwaePerRow: iwaeRows.map(jsonNumber),
        }),
      );
      return;
    }
    ctx.out(
      [
        `rows: ${elboRows.length}`,
        `ELBO (${K} draws per row): ${formatNumber(e, 6)} nats/row`,
        `IWAE log p(x) (K = ${K}): ${formatNumber(w, 6)} nats/row`,
      ].join("\n"),
    );
  },
};

/** `novelist vae ...` */
export const vaeCommand: Command = {
  name: "vae",
  summary: "variational autoencoders: train, encode, decode, sample, interpolate, score",
  usage: "novelist vae <train|encode|decode|sample|interpolate|score> [options]",
  details: [
    "Example:",
    "  novelist vae train counts.csv --likelihood nb --latent 10 --label-column batch --out vae.safetensors",
    "  novelist vae encode vae.safetensors counts.csv --out z.csv",
    "  novelist vae decode vae.safetensors z.csv --library 1000",
    "  novelist vae sample vae.safetensors -n 100 --seed 1 --out samples.csv",
    "  novelist vae interpolate vae.safetensors counts.csv --from 1 --to 2 --spherical",
    "  novelist vae score vae.safetensors held-out.csv --k 100 --json",
  ],
  options: {},
  subcommands: [train, encodeCmd, decodeCmd, sampleCmd, interpolateCmd, score],
};
