/** `novelist ar train|sample|score`: a causal transformer language model over lines of text. */
import { writeFileAtomic } from "../../io/node-files.js";
import { random } from "../../jax.js";
import {
  decodeTextTransformer,
  encodeTextTransformer,
  sampleText,
  textNatsPerToken,
  trainTextTransformer,
} from "../../models/autoregressive/text-model.js";
import { type Command, choice, flag, num, optStr, seed, seedOption, str, UsageError } from "../command.js";
import { readBytes, readText } from "../files.js";
import { createProgress } from "../progress.js";
import { formatNumber } from "../table.js";

function onePositional(args: { positionals: string[] }, what: string): string {
  if (args.positionals.length !== 1)
    throw new UsageError(`expected one ${what} file, but got ${args.positionals.length} argument(s)`);
  return args.positionals[0];
}

const train: Command = {
  name: "train",
  summary: "train a causal transformer on a corpus (one sentence per line), with progress and held-out loss",
  usage:
    "novelist ar train CORPUS.txt --out MODEL.safetensors [--unit char|word] [--steps N] [architecture options]",
  positionals: [{ name: "CORPUS.txt", help: "training text, one sentence per line" }],
  options: {
    out: {
      type: "string",
      value: "FILE",
      help: "where to save the model (safetensors, with its vocabulary)",
    },
    unit: { type: "string", value: "char|word", help: "tokens are characters (default) or words" },
    lowercase: { type: "boolean", help: "lower-case the text first" },
    "min-count": { type: "string", value: "C", help: "tokens seen fewer times become <unk> (default 1)" },
    valid: {
      type: "string",
      value: "FILE",
      help: "held-out text for the validation loss and early stopping",
    },
    steps: { type: "string", value: "N", help: "training steps (default 2000)" },
    "batch-size": { type: "string", value: "B", help: "sequences per step (default 32)" },
    lr: { type: "string", value: "LR", help: "peak learning rate (default 3e-3)" },
    context: { type: "string", value: "T", help: "context length in tokens (default 16)" },
    layers: { type: "string", value: "L", help: "transformer blocks (default 2)" },
    "d-model": { type: "string", value: "D", help: "width (default 64)" },
    heads: { type: "string", value: "H", help: "attention heads (default 4)" },
    dropout: { type: "string", value: "P", help: "dropout rate (default 0)" },
    patience: {
      type: "string",
      value: "E",
      help: "stop after E evaluations without improvement (needs --valid)",
    },
    seed: seedOption,
    json: { type: "boolean", help: "print a JSON summary" },
  },
  async run(args, ctx) {
    const corpus = onePositional(args, "corpus");
    const out = str(args, "out");
    const validPath = optStr(args, "valid");
    const steps = num(args, "steps", 2000, { integer: true, min: 1 });
    const json = flag(args, "json");
    const bar = createProgress({ label: "ar train", total: steps, stream: ctx.err, quiet: json });
    const key = random.key(seed(args));
    const tm = await trainTextTransformer(
      key,
      readText(corpus, "corpus"),
      validPath ? readText(validPath, "validation text") : undefined,
      {
        tokenizer: {
          kind: choice(args, "unit", ["char", "word"] as const, "char"),
          lowercase: flag(args, "lowercase"),
        },
        minCount: num(args, "min-count", 1, { integer: true, min: 1 }),
        architecture: {
          contextLength: num(args, "context", 16, { integer: true, min: 2 }),
          nLayers: num(args, "layers", 2, { integer: true, min: 1 }),
          dModel: num(args, "d-model", 64, { integer: true, min: 1 }),
          nHeads: num(args, "heads", 4, { integer: true, min: 1 }),
          dropout: num(args, "dropout", 0, { min: 0, max: 1 }),
          tieWeights: true,
          maskKind: "causal",
        },
        training: {
          steps,
          batchSize: num(args, "batch-size", 32, { integer: true, min: 1 }),
          lr: num(args, "lr", 3e-3, { min: 0, exclusiveMin: true }),
          evalEvery: validPath ? Math.max(1, Math.floor(steps / 20)) : undefined,
          patience:
            args.values.patience === undefined
              ? undefined
              : num(args, "patience", undefined, { integer: true, min: 1 }),
          onProgress: (i) =>
            bar.update(
              i.step,
              `loss ${i.loss.toFixed(3)}${i.evalMetric !== undefined ? ` valid ${i.evalMetric.toFixed(3)}` : ""}`,
            ),
        },
      },
    );
    bar.done();
    const best = tm.result.best?.metric;
    const summary = {
      steps: tm.result.steps,
      stopped: tm.result.stopped,
      vocab: tm.vocab.words.length,
      validNatsPerToken: best,
      out,
    };
    await writeFileAtomic(out, encodeTextTransformer(tm));
    tm.model.dispose();
    ctx.out(
      json
        ? JSON.stringify(summary)
        : `trained ${summary.steps} steps (${summary.stopped}), vocabulary ${summary.vocab}${best !== undefined ? `, validation ${formatNumber(best)} nats/token` : ""} -> ${out}`,
    );
  },
};

const sample: Command = {
  name: "sample",
  summary: "generate lines from a trained transformer",
  usage:
    "novelist ar sample --model MODEL.safetensors -n N [--seed N] [--temperature T] [--top-k K] [--max-tokens M]",
  options: {
    model: { type: "string", value: "FILE", help: "a model from ar train" },
    n: { type: "string", short: "n", value: "N", help: "number of lines (default 10)" },
    temperature: { type: "string", value: "T", help: "sampling temperature, 0 = greedy (default 1)" },
    "top-k": { type: "string", value: "K", help: "sample among the K most probable tokens only" },
    "max-tokens": { type: "string", value: "M", help: "longest line, in tokens (default 100)" },
    seed: seedOption,
    json: { type: "boolean", help: "print a JSON list" },
  },
  run(args, ctx) {
    const path = str(args, "model");
    const tm = decodeTextTransformer(readBytes(path, "model"), path);
    try {
      const lines = sampleText(
        tm,
        random.key(seed(args)),
        num(args, "n", 10, { integer: true, min: 1, max: 100_000 }),
        {
          temperature: num(args, "temperature", 1, { min: 0 }),
          topK:
            optStr(args, "top-k") === undefined
              ? undefined
              : num(args, "top-k", undefined, { integer: true, min: 1 }),
          maxTokens: num(args, "max-tokens", 100, { integer: true, min: 1 }),
        },
      );
      ctx.out(flag(args, "json") ? JSON.stringify(lines) : lines.join("\n"));
    } finally {
      tm.model.dispose();
    }
  },
};

const score: Command = {
  name: "score",
  summary: "held-out nats per token and perplexity of a text under a trained transformer",
  usage: "novelist ar score --model MODEL.safetensors TEXT.txt [--json]",
  positionals: [{ name: "TEXT.txt", help: "text to score, one sentence per line" }],
  options: {
    model: { type: "string", value: "FILE", help: "a model from ar train" },
    json: { type: "boolean", help: 'print {"natsPerToken", "perplexity"}' },
  },
  run(args, ctx) {
    const path = str(args, "model");
    const text = readText(onePositional(args, "text"), "text");
    const tm = decodeTextTransformer(readBytes(path, "model"), path);
    try {
      const nats = textNatsPerToken(tm, text);
      ctx.out(
        flag(args, "json")
          ? JSON.stringify({ natsPerToken: nats, perplexity: Math.exp(nats) })
          : `nats per token (with </s>): ${formatNumber(nats, 6)}\nperplexity: ${formatNumber(Math.exp(nats), 6)}`,
      );
    } finally {
      tm.model.dispose();
    }
  },
};

/** `novelist ar ...` */
export const arCommand: Command = {
  name: "ar",
  summary: "a causal transformer language model: train, sample, score",
  usage: "novelist ar <train|sample|score> [options]",
  details: [
    "Example:",
    "  novelist ar train names.txt --valid held.txt --steps 3000 --out names.safetensors",
    "  novelist ar sample --model names.safetensors -n 10 --seed 1",
    "  novelist ar score --model names.safetensors held.txt",
  ],
  options: {},
  subcommands: [train, sample, score],
};
