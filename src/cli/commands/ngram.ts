/** `novelist ngram train|score|sample`: n-gram language models in ARPA files, like KenLM's lmplz/query. */
import { random } from "../../jax.js";
import {
  deserialize,
  detokenize,
  fromArpa,
  Ngram,
  type NgramModel,
  SMOOTHINGS,
  type Smoothing,
  serialize,
  toArpa,
} from "../../models/ngram/index.js";
import { type Command, choice, flag, num, optStr, seed, seedOption, str, UsageError } from "../command.js";
import { readText, writeTextResult } from "../files.js";
import { formatNumber, formatTable } from "../table.js";

/** A model file: ARPA (`.arpa`) or Novelist's exact JSON (`.json`, which also holds add-k models). */
export function loadNgram(path: string): NgramModel {
  const text = readText(path, "model");
  return path.endsWith(".json") ? deserialize(text, path) : fromArpa(text, path);
}

function onePositional(args: { positionals: string[] }, what: string): string {
  if (args.positionals.length !== 1) {
    throw new UsageError(`expected one ${what} file, but got ${args.positionals.length} argument(s)`);
  }
  return args.positionals[0];
}

const train: Command = {
  name: "train",
  summary: "count a corpus (one sentence per line) and estimate an n-gram model",
  usage:
    "novelist ngram train CORPUS.txt --order N --out MODEL.arpa [--smoothing kn|wb|addk|mle] [--k K] [--unit word|char]",
  positionals: [{ name: "CORPUS.txt", help: "training text, one sentence per line" }],
  options: {
    order: { type: "string", value: "N", help: "the n-gram order (default 3)" },
    smoothing: {
      type: "string",
      value: "NAME",
      help: "kn (interpolated modified Kneser-Ney, default), wb (Witten-Bell), addk, mle",
    },
    k: { type: "string", value: "K", help: "add-k constant (default 1: Laplace)" },
    unit: { type: "string", value: "word|char", help: "tokens are words (default) or characters" },
    lowercase: { type: "boolean", help: "lower-case the text first" },
    "min-count": { type: "string", value: "C", help: "tokens seen fewer times become <unk> (default 1)" },
    out: {
      type: "string",
      value: "FILE",
      help: "model file: .arpa (KenLM/SRILM format) or .json (exact; add-k needs it)",
    },
    json: { type: "boolean", help: "print a JSON summary" },
  },
  async run(args, ctx) {
    const corpus = onePositional(args, "corpus");
    const out = str(args, "out");
    const smoothing = choice<Smoothing>(args, "smoothing", SMOOTHINGS, "kn");
    const opts = {
      order: num(args, "order", 3, { integer: true, min: 1, max: 20 }),
      smoothing,
      k: args.values.k === undefined ? undefined : num(args, "k", undefined, { min: 0, exclusiveMin: true }),
      minCount: num(args, "min-count", 1, { integer: true, min: 1 }),
      tokenizer: {
        kind: choice(args, "unit", ["word", "char"] as const, "word"),
        lowercase: flag(args, "lowercase"),
      },
    };
    const m = Ngram.fitText(readText(corpus, "corpus"), opts);
    await writeTextResult(ctx, out, out.endsWith(".json") ? serialize(m) : toArpa(m));
    const summary = { order: m.order, smoothing, vocab: m.vocab.words.length, out };
    ctx.out(
      flag(args, "json")
        ? JSON.stringify(summary)
        : `trained ${smoothing} ${m.order}-gram, vocabulary ${summary.vocab} -> ${out}`,
    );
  },
};

const score: Command = {
  name: "score",
  summary: "score text line by line: log10 probability, OOVs, perplexity (like KenLM's query)",
  usage: "novelist ngram score --model MODEL.arpa TEXT.txt [--json]",
  positionals: [{ name: "TEXT.txt", help: "text to score, one sentence per line" }],
  options: {
    model: {
      type: "string",
      value: "FILE",
      help: "a model from ngram train (.arpa or .json), or any ARPA file",
    },
    json: {
      type: "boolean",
      help: 'print {"perplexity", ..., "lines": [{"log10Prob", "oov", "tokens"}]}',
    },
  },
  run(args, ctx) {
    const m = loadNgram(str(args, "model"));
    const text = readText(onePositional(args, "text"), "text");
    const r = Ngram.scoreText(m, text);
    const totals = {
      tokens: r.total.tokens,
      sentences: r.total.sentences,
      oov: r.total.oov,
      log10Prob: r.total.log10Prob,
      natsPerToken: r.total.natsPerToken,
      perplexity: r.total.perplexity,
      perplexityExclOov: r.total.perplexityExclOov,
      perplexityNoEos: r.total.perplexityNoEos,
    };
    if (flag(args, "json")) {
      const sentences = r.sentences.map((s) => ({
        log10Prob: s.log10Prob,
        oov: s.oov,
        tokens: s.tokens.length - 1,
      }));
      ctx.out(JSON.stringify({ ...totals, lines: sentences }));
      return;
    }
    ctx.out(
      formatTable(
        ["line", "tokens", "OOV", "log10 P"],
        r.sentences.map((s, i) => [i + 1, s.tokens.length - 1, s.oov, s.log10Prob]),
      ),
    );
    ctx.out(
      `\nTotal: ${formatNumber(totals.log10Prob, 8)} (log10)  OOV: ${totals.oov}\nPerplexity including OOVs: ${formatNumber(totals.perplexity, 8)}\nPerplexity excluding OOVs: ${formatNumber(totals.perplexityExclOov, 8)}\nnats per token (with </s>): ${formatNumber(totals.natsPerToken, 6)}`,
    );
  },
};

const sample: Command = {
  name: "sample",
  summary: "generate sentences from a model",
  usage:
    "novelist ngram sample --model MODEL.arpa -n N [--seed N] [--temperature T] [--top-k K] [--max-tokens M]",
  options: {
    model: {
      type: "string",
      value: "FILE",
      help: "a model from ngram train (.arpa or .json), or any ARPA file",
    },
    n: { type: "string", short: "n", value: "N", help: "number of sentences (default 10)" },
    temperature: { type: "string", value: "T", help: "sampling temperature, 0 = greedy (default 1)" },
    "top-k": { type: "string", value: "K", help: "sample among the K most probable tokens only" },
    "max-tokens": { type: "string", value: "M", help: "longest sentence, in tokens (default 100)" },
    seed: seedOption,
    json: { type: "boolean", help: "print a JSON list of sentences" },
  },
  run(args, ctx) {
    const m = loadNgram(str(args, "model"));
    const topK =
      optStr(args, "top-k") === undefined
        ? undefined
        : num(args, "top-k", undefined, { integer: true, min: 1 });
    const out = Ngram.sample(
      m,
      random.key(seed(args)),
      num(args, "n", 10, { integer: true, min: 1, max: 1_000_000 }),
      {
        temperature: num(args, "temperature", 1, { min: 0 }),
        topK,
        maxTokens: num(args, "max-tokens", 100, { integer: true, min: 1 }),
      },
    );
    const lines = out.map((t) => detokenize(t, m.tokenizer ?? { kind: "whitespace" }));
    ctx.out(flag(args, "json") ? JSON.stringify(lines) : lines.join("\n"));
  },
};

/** `novelist ngram ...` */
export const ngramCommand: Command = {
  name: "ngram",
  summary: "n-gram language models: train (ARPA), score (like KenLM query), sample",
  usage: "novelist ngram <train|score|sample> [options]",
  details: [
    "Example:",
    "  novelist ngram train corpus.txt --order 5 --smoothing kn --out model.arpa",
    "  novelist ngram score --model model.arpa heldout.txt",
    "  novelist ngram sample --model model.arpa -n 10 --seed 1",
  ],
  options: {},
  subcommands: [train, score, sample],
};
