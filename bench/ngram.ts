/**
 * N-gram bench: training and scoring tokens/s on a 1M-token corpus (a deterministic synthetic
 * Zipfian word corpus: 20,000 word types, a Markov mixture so that bigrams and trigrams repeat),
 * modified Kneser–Ney orders 3 and 5 and Witten–Bell order 3, plus ARPA write/read; NLTK 3.8
 * (bench/ngram_nltk.py through /usr/bin/python3) trains and scores the same Witten–Bell model
 * side by side on the same files (its log-probability of the scored slice is checked against
 * ours), and its KneserNeyInterpolated scoring is timed on a few tokens. The built-in character
 * corpora (src/data/corpora/*.txt), when present, get KN-5 rows too.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromArpa, toArpa } from "../src/models/ngram/arpa.js";
import { fitEncoded, fitText, type NgramModel, type Smoothing } from "../src/models/ngram/model.js";
import { evaluateEncoded, evaluateText, makeScorer } from "../src/models/ngram/score.js";
import { EOS_ID } from "../src/models/ngram/tokenize.js";
import { type EncodedCorpus, type Vocab, vocabFromWords } from "../src/models/ngram/vocab.js";
import type { BenchOptions, BenchTable } from "./table.js";

type NltkResult = {
  nltk: string;
  order: number;
  train_tokens: number;
  train_s: number;
  wb_tokens: number;
  wb_s: number;
  wb_logprob: number;
  kn_tokens: number;
  kn_s: number;
};

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** `tokens` words in sentences of mean length 20 from a Zipf(1) law over `W` types mixed with a word-to-word drift. */
function zipfCorpus(tokens: number, W: number, seed: number): EncodedCorpus {
  const rnd = lcg(seed);
  const cdf = new Float64Array(W);
  let acc = 0;
  for (let i = 0; i < W; i++) {
    acc += 1 / (i + 1);
    cdf[i] = acc;
  }
  const draw = () => {
    const u = rnd() * acc;
    let lo = 0;
    let hi = W - 1;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (cdf[m] < u) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  const ids = new Int32Array(tokens);
  const offsets = [0];
  let prev = 0;
  for (let i = 0; i < tokens; i++) {
    const r = draw();
    const w = rnd() < 0.5 ? (prev * 7 + r) % W : r;
    ids[i] = w + 3; // after <unk>, <s>, </s>
    prev = w;
    if (rnd() < 1 / 20 || i === tokens - 1) offsets.push(i + 1);
  }
  return { ids, offsets: Int32Array.from(offsets) };
}

function writeCorpus(path: string, c: EncodedCorpus, vocab: Vocab): void {
  const lines: string[] = [];
  for (let s = 0; s + 1 < c.offsets.length; s++) {
    const words: string[] = [];
    for (let i = c.offsets[s]; i < c.offsets[s + 1]; i++) words.push(vocab.words[c.ids[i]]);
    lines.push(words.join(" "));
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

function best(fn: () => void, reps: number): number {
  let t = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return t;
}

/** Σ ln p of the first `limit` predicted tokens of a corpus (as bench/ngram_nltk.py's events). */
function firstTokensLogProb(m: NgramModel, c: EncodedCorpus, limit: number): number {
  const s = makeScorer(m);
  let total = 0;
  let n = 0;
  for (let k = 0; k + 1 < c.offsets.length; k++) {
    s.reset();
    for (let i = c.offsets[k]; i <= c.offsets[k + 1]; i++) {
      total += s.next(i < c.offsets[k + 1] ? c.ids[i] : EOS_ID);
      if (++n >= limit) return total;
    }
  }
  return total;
}

/** Run the bench (see the file header). */
export async function run(opts: BenchOptions): Promise<BenchTable[]> {
  const T = opts.quick ? 100_000 : 1_000_000;
  const reps = opts.quick ? 1 : 3;
  const W = 20_000;
  opts.log(
    `ngram: synthetic corpus, ${T.toLocaleString("en")} training + ${T.toLocaleString("en")} test tokens`,
  );
  // the vocabulary is the training corpus's word types; unseen test words become <unk>
  const rawTrain = zipfCorpus(T, W, 1);
  const seen = new Uint8Array(W + 3);
  for (const id of rawTrain.ids) seen[id] = 1;
  const kept = Array.from({ length: W }, (_, i) => i + 3).filter((id) => seen[id] === 1);
  const vocab = vocabFromWords(kept.map((id) => `w${id - 3}`));
  const remap = new Int32Array(W + 3);
  kept.forEach((id, j) => {
    remap[id] = j + 3;
  });
  const recode = (c: EncodedCorpus): EncodedCorpus => ({
    ids: c.ids.map((id) => remap[id]),
    offsets: c.offsets,
  });
  const train = recode(rawTrain);
  const test = recode(zipfCorpus(T, W, 2));
  const predicted = (c: EncodedCorpus) => c.ids.length + c.offsets.length - 1;
  const models = new Map<string, NgramModel>();
  const trainRows: (string | number)[][] = [];
  const scoreRows: (string | number)[][] = [];
  const specs: [string, number, Smoothing][] = [
    ["KN-3", 3, "kn"],
    ["KN-5", 5, "kn"],
    ["WB-3", 3, "wb"],
  ];
  for (const [name, order, smoothing] of specs) {
    opts.log(`ngram: train ${name}`);
    let m: NgramModel | undefined;
    const t = best(() => {
      m = fitEncoded(train, vocab, { order, smoothing });
    }, reps);
    models.set(name, m!);
    trainRows.push([name, t, predicted(train) / t / 1e6]);
    opts.log(`ngram: score ${name}`);
    const s = best(() => evaluateEncoded(m!, test), reps);
    scoreRows.push([name, s, predicted(test) / s / 1e6]);
  }

  // NLTK side by side
  const notes: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "novelist-ngram-"));
  let nltk: NltkResult | null = null;
  try {
    writeCorpus(join(dir, "train.txt"), train, vocab);
    writeCorpus(join(dir, "test.txt"), test, vocab);
    const wbTokens = opts.quick ? 5_000 : 20_000;
    const knTokens = opts.quick ? 3 : 10;
    opts.log("ngram: NLTK side (/usr/bin/python3 bench/ngram_nltk.py)");
    const py = spawnSync(
      "/usr/bin/python3",
      [
        "bench/ngram_nltk.py",
        "--train",
        join(dir, "train.txt"),
        "--test",
        join(dir, "test.txt"),
        "--order",
        "3",
        "--wb-tokens",
        String(wbTokens),
        "--kn-tokens",
        String(knTokens),
      ],
      { encoding: "utf8", maxBuffer: 1 << 24 },
    );
    if (py.status === 0) nltk = JSON.parse(py.stdout) as NltkResult;
    else
      notes.push(
        `NLTK not available (${(py.stderr || py.error?.message || "").trim().split("\n").pop()}): its columns are omitted; install python3-nltk to compare.`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  let wbAgree = "";
  if (nltk) {
    const ours = firstTokensLogProb(models.get("WB-3")!, test, nltk.wb_tokens);
    wbAgree = `${Math.abs(ours - nltk.wb_logprob).toExponential(1)} nats apart over ${nltk.wb_tokens.toLocaleString("en")} tokens (total ${ours.toFixed(1)})`;
  }

  // ARPA write/read of the KN-5 model
  opts.log("ngram: ARPA write/read (KN-5)");
  let arpa = "";
  const tw = best(() => {
    arpa = toArpa(models.get("KN-5")!);
  }, 1);
  const tr = best(() => fromArpa(arpa), 1);
  const arpaMB = arpa.length / 1e6;
  arpa = "";

  // built-in character corpora, when present
  const charRows: (string | number)[][] = [];
  for (const name of ["names", "shakespeare"]) {
    const path = join("src", "data", "corpora", `${name}.txt`);
    if (!existsSync(path)) {
      notes.push(`${path} not found: no character rows for it.`);
      continue;
    }
    const text = readFileSync(path, "utf8");
    opts.log(`ngram: ${name}.txt, characters, KN-5`);
    let m: NgramModel | undefined;
    const t = best(() => {
      m = fitText(text, { order: 5, tokenizer: { kind: "char" } });
    }, reps);
    const tokens = Number(m!.info.tokens);
    const s = best(() => evaluateText(m!, text), reps);
    charRows.push([`${name}.txt (${tokens.toLocaleString("en")} chars)`, tokens / t / 1e6, tokens / s / 1e6]);
  }

  const cols = nltk
    ? ["model", "ours (s)", "ours (M tokens/s)", "NLTK (M tokens/s)", "ours ÷ NLTK (speed)"]
    : ["model", "ours (s)", "ours (M tokens/s)"];
  const withNltk = (rows: (string | number)[][], nltkRate: (name: string) => number | null) =>
    rows.map((r) => {
      if (!nltk) return r;
      const rate = nltkRate(String(r[0]));
      return rate === null ? [...r, "—", "—"] : [...r, rate / 1e6, (r[2] as number) / (rate / 1e6)];
    });
  notes.push(
    `Corpus: ${T.toLocaleString("en")} word tokens (+ one </s> per sentence: ${predicted(train).toLocaleString("en")} predicted tokens) from a Zipf law over ${W.toLocaleString("en")} types mixed with a word-to-word drift; scoring is on a second, held-out corpus of the same size. Best of ${reps} run(s), one thread.`,
    "Training = counting every n-gram of every order in typed-array hash tables + estimating; scoring = chain-rule log-probability of every token with backoff lookups (one hash probe per order and token).",
    `ARPA (KN-5, ${arpaMB.toFixed(0)} MB of text): write ${tw.toFixed(2)} s, read ${tr.toFixed(2)} s.`,
  );
  if (nltk) {
    notes.push(
      `NLTK ${nltk.nltk} through /usr/bin/python3 in the same run, fed the same n-grams (one <s>) from the same files. Training: NLTK's fit (counting; the same counts serve all its estimators) on ${nltk.train_tokens.toLocaleString("en")} tokens vs our WB-3 fit. Scoring: NLTK WittenBellInterpolated (unigram interpolated with the uniform distribution, as ours) on the first ${nltk.wb_tokens.toLocaleString("en")} test tokens — same model: ${wbAgree}; NLTK KneserNeyInterpolated (a different estimator: one discount, continuation counts found by scanning all contexts on every call) on ${nltk.kn_tokens} tokens only.`,
      "ours ÷ NLTK = NLTK seconds per token ÷ ours (> 1: ours is faster).",
    );
  }
  const tables: BenchTable[] = [
    {
      title: `N-gram training, ${T.toLocaleString("en")}-token synthetic word corpus (V = ${vocab.words.length.toLocaleString("en")})`,
      columns: cols,
      rows: withNltk(trainRows, (n) => (nltk && n === "WB-3" ? nltk.train_tokens / nltk.train_s : null)),
      notes,
    },
    {
      title: `N-gram scoring, ${T.toLocaleString("en")}-token held-out corpus`,
      columns: cols,
      rows: withNltk(scoreRows, (n) =>
        !nltk
          ? null
          : n === "WB-3"
            ? nltk.wb_tokens / nltk.wb_s
            : n === "KN-3"
              ? nltk.kn_tokens / nltk.kn_s
              : null,
      ),
    },
  ];
  if (charRows.length > 0)
    tables.push({
      title: "N-gram KN-5 on the built-in character corpora (train and score the same text)",
      columns: ["corpus", "training (M tokens/s)", "scoring (M tokens/s)"],
      rows: charRows,
    });
  return tables;
}
