/**
 * Chapter "Autoregressive models": a sequence written one token at a time, each conditioned on what
 * came before. A makemore-style table of held-out nats per token for n-gram models (unigram, bigram,
 * add-k, Witten–Bell, Kneser–Ney 3 and 5) and a causal transformer on the same tokens, with samples.
 */
import { readCorpus } from "../../cli/files.js";
import { names, shakespeare } from "../../data/corpora/index.js";
import { hostUniforms } from "../../host-random.js";
import { np, random, tree } from "../../jax.js";
import {
  sampleText,
  textNatsPerToken,
  trainTextTransformer,
} from "../../models/autoregressive/text-model.js";
import { detokenize, Ngram, type NgramModel, type TokenizerOptions } from "../../models/ngram/index.js";
import type { Chapter, ChapterContext, ChapterResult, SummaryTable } from "../chapter.js";

type Row = { model: string; nats: number; samples: string[] };

/**
 * Lines shuffled by `key` and cut into train / validation / test (80 / 10 / 10). With `distinct`,
 * repeated lines are kept once first, so that no test line was seen in training (names.txt lists a
 * name given to girls and to boys twice).
 */
function split(
  text: string,
  key: ReturnType<typeof random.key>,
  opts: { limit?: number; distinct?: boolean } = {},
) {
  let lines = text.split("\n").filter((l) => l.trim() !== "");
  if (opts.distinct) lines = [...new Set(lines)];
  const u = hostUniforms(key, lines.length);
  const order = lines.map((_, i) => i).sort((a, b) => u[a] - u[b]);
  lines = order.map((i) => lines[i]).slice(0, opts.limit);
  const a = Math.floor(0.8 * lines.length);
  const b = Math.floor(0.9 * lines.length);
  return {
    train: lines.slice(0, a).join("\n"),
    valid: lines.slice(a, b).join("\n"),
    test: lines.slice(b).join("\n"),
  };
}

/** The n-gram rows: each model fitted on train, add-k's k chosen on validation, scored on test. */
function ngramRows(
  data: ReturnType<typeof split>,
  tokenizer: Required<TokenizerOptions>,
  minCount: number,
  key: ReturnType<typeof random.key>,
): Row[] {
  const fit = (order: number, smoothing: "kn" | "wb" | "addk" | "mle", k?: number) =>
    Ngram.fitText(data.train, { order, smoothing, k, minCount, tokenizer });
  const ks = [1, 0.1, 0.01, 0.001];
  const addk = ks
    .map((k) => ({ k, m: fit(3, "addk", k) }))
    .reduce((best, c) =>
      Ngram.evaluateText(c.m, data.valid).natsPerToken < Ngram.evaluateText(best.m, data.valid).natsPerToken
        ? c
        : best,
    );
  const models: [string, NgramModel][] = [
    ["unigram (KN-1)", fit(1, "kn")],
    ["bigram (KN-2)", fit(2, "kn")],
    [`add-k 3-gram (k = ${addk.k}, chosen on validation)`, addk.m],
    ["Witten–Bell 3-gram", fit(3, "wb")],
    ["Kneser–Ney 3-gram", fit(3, "kn")],
    ["Kneser–Ney 5-gram", fit(5, "kn")],
  ];
  const keys = np.unstack(random.split(key, models.length));
  return models.map(([model, m], i) => ({
    model,
    nats: Ngram.evaluateText(m, data.test).natsPerToken,
    samples: Ngram.sample(m, keys[i], 4, { maxTokens: 40 }).map((t) => detokenize(t, tokenizer)),
  }));
}

function table(title: string, rows: Row[]): SummaryTable {
  return {
    title,
    columns: ["model", "held-out nats/token", "perplexity", "samples"],
    rows: rows.map((r) => [
      r.model,
      r.nats,
      Math.exp(r.nats),
      r.samples.map((s) => s.slice(0, 40)).join(" · "),
    ]),
  };
}

async function run(ctx: ChapterContext): Promise<ChapterResult> {
  const steps = { smoke: 20, quick: 2500, full: 10000 }[ctx.scale];
  const keys = np.unstack(random.split(random.key(ctx.seed + 10), 6));
  // 1. characters: names
  const nameData = split(readCorpus(names), keys[0], {
    distinct: true,
    limit: ctx.scale === "smoke" ? 3000 : undefined,
  });
  const charTok = { kind: "char", lowercase: false } as const;
  const charRows = ngramRows(nameData, charTok, 1, keys[1]);
  const bar = ctx.progress("autoregressive: training the character transformer", steps);
  const evals: { step: number; loss: number; kind: string }[] = [];
  const tm = await trainTextTransformer(keys[2], nameData.train, nameData.valid, {
    tokenizer: charTok,
    architecture: {
      contextLength: 16,
      nLayers: 2,
      dModel: 64,
      nHeads: 4,
      dropout: 0,
      tieWeights: true,
      maskKind: "causal",
    },
    training: {
      steps,
      batchSize: 32,
      lr: 3e-3,
      evalEvery: Math.max(10, Math.floor(steps / 10)),
      onProgress: (info) => {
        bar.update(info.step, `loss ${info.loss.toFixed(3)}`);
        if (info.step % Math.max(1, Math.floor(steps / 50)) === 0)
          evals.push({ step: info.step, loss: info.loss, kind: "training batch" });
        if (info.evalMetric !== undefined)
          evals.push({ step: info.step, loss: info.evalMetric, kind: "validation" });
      },
    },
  });
  bar.done();
  tree.dispose(tm.result.optState);
  const trName = `transformer (2 layers, d 64, ${steps} steps)`;
  charRows.push({
    model: trName,
    nats: textNatsPerToken(tm, nameData.test),
    samples: sampleText(tm, keys[3], 4, { maxTokens: 20 }),
  });
  tree.dispose(tm.params);
  tm.model.dispose();
  // 2. words: Shakespeare, lower-cased, rare words as <unk>
  const wordData = split(readCorpus(shakespeare), keys[4], {
    limit: ctx.scale === "smoke" ? 2000 : undefined,
  });
  const wordRows = ngramRows(wordData, { kind: "word", lowercase: true }, 2, keys[5]);

  const charTable = table(
    "Names, characters: held-out nats per token (with </s>) on 10% of the distinct names",
    charRows,
  );
  const wordTable = table(
    "Shakespeare, words (lower-cased; words seen once are <unk>): held-out nats per token",
    wordRows,
  );
  const get = (rows: Row[], prefix: string) => rows.find((r) => r.model.startsWith(prefix))!.nats;
  const says = (rows: Row[]) => {
    const kn3 = get(rows, "Kneser–Ney 3");
    const ak = get(rows, "add-k");
    return kn3 < ak
      ? `Kneser–Ney 3-gram beats add-k 3-gram by ${(ak - kn3).toFixed(3)} nats/token`
      : `add-k 3-gram is not beaten by Kneser–Ney here (${ak.toFixed(3)} vs ${kn3.toFixed(3)})`;
  };
  const best = Math.min(get(charRows, "Kneser–Ney 3"), get(charRows, "Kneser–Ney 5"));
  const tr = get(charRows, "transformer");
  const finding = [
    `- On names (characters): ${says(charRows)}.`,
    `- On Shakespeare (words): ${says(wordRows)}.`,
    tr < best
      ? `- The transformer beats the best Kneser–Ney model on characters: ${tr.toFixed(3)} against ${best.toFixed(3)} nats/token, after ${steps} training steps.`
      : `- After ${steps} steps the transformer (${tr.toFixed(3)} nats/token) has not yet beaten the best Kneser–Ney model (${best.toFixed(3)}); \`novelist tour --full\` trains it ${ctx.scale === "full" ? "this long" : "4× longer"}.`,
  ].join("\n");
  return {
    summary: [charTable, wordTable],
    blocks: [
      {
        kind: "text",
        markdown:
          "The simplest generative story writes a sequence one piece at a time: P(e, m, m, a) = P(e | <s>) · P(m | e) · P(m | e m) · P(a | e m m) · P(</s> | e m m a). An n-gram model keeps the last n − 1 tokens of context and smooths the counts; a transformer reads the whole context through attention. Both are scored the same way: held-out nats per token, counting the end of each line, on a random 10% of the lines that no model saw.",
      },
      { kind: "table", table: charTable },
      { kind: "table", table: wordTable },
      { kind: "text", markdown: finding },
      {
        kind: "plot",
        caption: "Held-out nats per token (lower is better) for each model on each corpus.",
        spec: {
          data: {
            values: [
              ...charRows.map((r) => ({ corpus: "names (characters)", model: r.model, nats: r.nats })),
              ...wordRows.map((r) => ({ corpus: "Shakespeare (words)", model: r.model, nats: r.nats })),
            ],
          },
          facet: { column: { field: "corpus", type: "nominal", title: null } },
          spec: {
            width: 260,
            height: 180,
            mark: "bar",
            encoding: {
              y: { field: "model", type: "nominal", sort: null, title: null },
              x: { field: "nats", type: "quantitative", title: "nats / token" },
            },
          },
          resolve: { scale: { x: "independent", y: "independent" } },
        },
      },
      {
        kind: "plot",
        caption:
          "The character transformer's loss while training (nats per token): training batches and the held-out validation set.",
        spec: {
          data: { values: evals },
          width: 520,
          height: 200,
          mark: { type: "line", point: false },
          encoding: {
            x: { field: "step", type: "quantitative" },
            y: { field: "loss", type: "quantitative", title: "nats / token", scale: { zero: false } },
            color: { field: "kind", type: "nominal", title: null },
          },
        },
      },
    ],
  };
}

/** The autoregressive chapter. */
export const autoregressiveChapter: Chapter = {
  id: "autoregressive",
  title: "Autoregressive models: n-grams and a transformer",
  blurb: "held-out nats per token of smoothed n-gram models and a causal transformer, with samples",
  run,
};
