/**
 * ARPA back-off language model files, the text format SRILM and KenLM read and write
 * (SRILM ngram-format(5)): `\data\`, `ngram k=count` lines, one `\k-grams:` section per order with
 * lines `log10 p <TAB> w1 … wk [<TAB> log10 backoff]`, then `\end\`. Interpolated models (KN, WB,
 * MLE) are written the way KenLM writes them: each listed n-gram's probability already includes
 * the interpolated lower-order mass and each context's backoff is its interpolation weight γ, so
 * standard backoff scoring reproduces the model exactly. `<s>` gets log10 p = −99 (never predicted)
 * and a zero probability (MLE) is written −99, as SRILM and KenLM do; reading keeps every number
 * as written (−99 means 10^−99). Lines before `\data\` are ignored, except our own `# novelist`
 * header, which carries the order, estimator and tokeniser so that a model can be scored as trained.
 */
import { describe, FormatError, ValueError } from "../../errors.js";
import { MAX_ORDER } from "./counts.js";
import type { NgramModel } from "./model.js";
import {
  capacity,
  findEntry,
  growTo,
  hashTable,
  insertEntry,
  type NgramTable,
  rootTable,
  unigramTable,
} from "./ngram-table.js";
import { BOS, BOS_ID, EOS, EOS_ID, resolveTokenizer, type TokenizerKind, UNK, UNK_ID } from "./tokenize.js";
import { vocabFromWords } from "./vocab.js";

const LN10 = Math.LN10;

/** Options of {@link toArpa}. */
export type ArpaWriteOptions = {
  /** significant digits of each number (KenLM writes about 7); default 10, so a round trip is exact to ~1e−9 */
  digits?: number;
  /** write the `# novelist` header lines before `\data\`; default true */
  header?: boolean;
};

function formatLog10(lnValue: number, digits: number): string {
  if (lnValue === Number.NEGATIVE_INFINITY) return "-99";
  const x = lnValue / LN10;
  if (x === 0) return "0";
  const s = x.toPrecision(digits);
  if (s.includes("e")) return s.replace(/\.?0+e/, "e");
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/** The ARPA text of a model, in chunks of lines (write each chunk as it comes for large models). */
export function* arpaChunks(m: NgramModel, opts: ArpaWriteOptions = {}): Generator<string> {
  const digits = opts.digits ?? 10;
  if (!Number.isInteger(digits) || digits < 1 || digits > 17)
    throw new ValueError(`toArpa: digits must be an integer from 1 to 17, but got ${describe(digits)}`);
  if (m.smoothing === "addk")
    throw new ValueError(
      "toArpa: an add-k model cannot be written as ARPA: it gives every unseen continuation of a context the same probability and unseen contexts the uniform distribution, which backoff weights cannot express; use smoothing kn, wb or mle for ARPA files",
    );
  const N = m.order;
  const words = m.vocab.words;
  const counts: number[] = [];
  for (let n = 1; n <= N; n++) {
    let c = 0;
    const lp = m.logProb[n];
    for (let e = 0; e < m.tables[n].size; e++) if (!Number.isNaN(lp[e])) c++;
    counts.push(c);
  }
  const head: string[] = [];
  if (opts.header ?? true) {
    const tok = m.tokenizer;
    const fields = [`order=${N}`, `smoothing=${m.info.smoothing ?? m.smoothing}`];
    if (tok) fields.push(`tokenizer=${tok.kind}`, `lowercase=${tok.lowercase}`);
    for (const [k, v] of Object.entries(m.info))
      if (
        !["order", "smoothing", "tokenizer", "lowercase"].includes(k) &&
        /^[\w.+-]+$/.test(k) &&
        /^\S+$/.test(v)
      )
        fields.push(`${k}=${v}`);
    head.push(`# novelist ngram: ${fields.join(" ")}`);
    for (const d of m.discounts ?? [])
      head.push(
        `# novelist discounts: order=${d.order} D1=${d.D[0]} D2=${d.D[1]} D3+=${d.D[2]} fallback=${d.fallback}`,
      );
  }
  head.push("\\data\\");
  for (let n = 1; n <= N; n++) head.push(`ngram ${n}=${counts[n - 1]}`);
  yield `${head.join("\n")}\n`;
  for (let n = 1; n <= N; n++) {
    const t = m.tables[n];
    const lp = m.logProb[n];
    const bw = m.logBow[n];
    const isContext = new Uint8Array(t.size);
    if (n < N) {
      const up = m.tables[n + 1];
      for (let e = 0; e < up.size; e++) isContext[up.parent[e]] = 1;
    }
    let lines: string[] = [`\n\\${n}-grams:`];
    const ids = new Int32Array(n);
    for (let e = 0; e < t.size; e++) {
      if (Number.isNaN(lp[e])) continue;
      let x = e;
      for (let k = n; k >= 1; k--) {
        ids[k - 1] = m.tables[k].word[x];
        x = m.tables[k].parent[x];
      }
      let text = words[ids[0]];
      for (let k = 1; k < n; k++) text += ` ${words[ids[k]]}`;
      const p = n === 1 && e === BOS_ID ? "-99" : formatLog10(lp[e], digits);
      let line = `${p}\t${text}`;
      if (n < N && (isContext[e] || bw[e] !== 0)) line += `\t${formatLog10(bw[e], digits)}`;
      lines.push(line);
      if (lines.length >= 8192) {
        yield `${lines.join("\n")}\n`;
        lines = [];
      }
    }
    if (lines.length > 0) yield `${lines.join("\n")}\n`;
  }
  yield "\n\\end\\\n";
}

/** The ARPA text of a model (see {@link arpaChunks}); add-k models are refused (ValueError). */
export function toArpa(m: NgramModel, opts: ArpaWriteOptions = {}): string {
  return [...arpaChunks(m, opts)].join("");
}

function parseLog10(s: string): number {
  if (s === "-inf" || s === "-Infinity" || s === "-INF") return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number.NaN;
  return Number(s);
}

/**
 * Read an ARPA file into a model scored with backoff semantics (`smoothing: "arpa"`). Missing
 * `<unk>` gets log10 p = −100 (KenLM's default), a missing `<s>` or `</s>` gets −99; an n-gram whose
 * prefix is not listed gets that prefix as a blank context (probability unlisted, backoff 1), as KenLM
 * does. Malformed input is a FormatError naming `source` and the line.
 */
export function fromArpa(text: string, source = "arpa"): NgramModel {
  let pos = 0;
  let lineNo = 0;
  const nextLine = (): string | null => {
    if (pos >= text.length) return null;
    let end = text.indexOf("\n", pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    pos = end + 1;
    lineNo++;
    return line;
  };
  const fail = (msg: string): never => {
    throw new FormatError(`${source}: line ${lineNo}: ${msg}`);
  };
  // 1. anything before \data\ (our header is parsed for its key=value fields)
  const info: Record<string, string> = {};
  let line = nextLine();
  while (line !== null && line.trim() !== "\\data\\") {
    const h = /^#\s*novelist ngram:(.*)$/.exec(line);
    if (h)
      for (const f of h[1].trim().split(/\s+/)) {
        const eq = f.indexOf("=");
        if (eq > 0) info[f.slice(0, eq)] = f.slice(eq + 1);
      }
    line = nextLine();
  }
  if (line === null)
    throw new FormatError(`${source}: line ${lineNo}: expected \\data\\, but the file ended`);
  // 2. ngram k=count
  const declared: number[] = [];
  for (line = nextLine(); line !== null; line = nextLine()) {
    const t = line.trim();
    if (t === "") {
      if (declared.length > 0) break;
      continue;
    }
    const m = /^ngram\s+(\d+)\s*=\s*(\d+)$/.exec(t);
    if (!m) {
      if (t.startsWith("\\") && declared.length > 0) break;
      fail(`expected "ngram k=count", but got ${describe(t)}`);
    }
    const k = Number(m![1]);
    if (k !== declared.length + 1)
      fail(`expected the count of ${declared.length + 1}-grams, but got ${describe(t)}`);
    declared.push(Number(m![2]));
  }
  const N = declared.length;
  if (N === 0) fail('expected at least one "ngram k=count" line after \\data\\');
  if (N > MAX_ORDER) fail(`order ${N} is above the largest supported, ${MAX_ORDER}`);
  // 3. sections
  const readSection = (n: number, onLine: (fields: string[]) => void): void => {
    let l = line;
    while (l !== null && l.trim() === "") l = nextLine();
    if (l === null || l.trim() !== `\\${n}-grams:`)
      fail(`expected \\${n}-grams:, but got ${l === null ? "the end of the file" : describe(l.trim())}`);
    let seen = 0;
    for (l = nextLine(); l !== null; l = nextLine()) {
      const t = l.trim();
      if (t === "") continue;
      if (t.startsWith("\\")) break;
      const fields = t.split(/\s+/);
      if (fields.length !== n + 1 && fields.length !== n + 2)
        fail(
          `a ${n}-gram line must have a log10 probability, ${n} word(s) and an optional backoff, but got ${describe(t)}`,
        );
      seen++;
      onLine(fields);
    }
    line = l;
    if (seen !== declared[n - 1])
      fail(`\\data\\ declares ${declared[n - 1]} ${n}-grams, but the section has ${seen}`);
  };
  const num = (s: string, what: string): number => {
    const x = parseLog10(s);
    if (Number.isNaN(x)) fail(`${what} must be a number, but got ${describe(s)}`);
    return x;
  };
  // unigrams first: they define the vocabulary
  const uni: { w: string; p: number; b: number }[] = [];
  const seenWords = new Set<string>();
  readSection(1, (f) => {
    if (seenWords.has(f[1])) fail(`duplicate unigram ${describe(f[1])}`);
    seenWords.add(f[1]);
    uni.push({
      w: f[1],
      p: num(f[0], "the log10 probability"),
      b: f.length === 3 ? num(f[2], "the log10 backoff") : 0,
    });
  });
  const vocab = vocabFromWords(uni.map((u) => u.w));
  const V = vocab.words.length;
  const tables: NgramTable[] = [rootTable(), unigramTable(V)];
  const logProb: Float64Array[] = [new Float64Array(1), new Float64Array(V)];
  const logBow: Float64Array[] = [new Float64Array(1), new Float64Array(V)];
  if (!seenWords.has(UNK)) {
    logProb[1][UNK_ID] = -100 * LN10;
    info.unk = "added";
  }
  if (!seenWords.has(EOS)) logProb[1][EOS_ID] = -99 * LN10;
  for (const u of uni) {
    const id = vocab.index.get(u.w)!;
    logProb[1][id] = u.p * LN10;
    logBow[1][id] = u.b * LN10;
  }
  logProb[1][BOS_ID] = Number.NEGATIVE_INFINITY;
  for (let n = 2; n <= N; n++) {
    const t = hashTable(n, declared[n - 1]);
    tables.push(t);
    logProb.push(new Float64Array(capacity(t)).fill(Number.NaN));
    logBow.push(new Float64Array(capacity(t)));
  }
  const put = (n: number, parent: number, w: number): number => {
    const t = tables[n];
    const before = t.size;
    const e = insertEntry(t, parent, w);
    if (t.size > before && e >= logProb[n].length) {
      const oldLen = logProb[n].length;
      logProb[n] = growTo(logProb[n], capacity(t));
      logProb[n].fill(Number.NaN, oldLen);
      logBow[n] = growTo(logBow[n], capacity(t));
    }
    return e;
  };
  for (let n = 2; n <= N; n++) {
    readSection(n, (f) => {
      let e = 0;
      for (let k = 1; k <= n; k++) {
        const id = vocab.index.get(f[k]);
        if (id === undefined) fail(`the word ${describe(f[k])} of this ${n}-gram is not among the 1-grams`);
        if (k === 1) e = id!;
        else if (k < n) {
          const x = findEntry(tables[k], e, id!);
          e = x >= 0 ? x : put(k, e, id!);
        } else {
          const before = tables[n].size;
          const x = put(n, e, id!);
          if (tables[n].size === before && !Number.isNaN(logProb[n][x]))
            fail(`duplicate ${n}-gram ${describe(f.slice(1, n + 1).join(" "))}`);
          logProb[n][x] = num(f[0], "the log10 probability") * LN10;
          logBow[n][x] = f.length === n + 2 ? num(f[n + 1], "the log10 backoff") * LN10 : 0;
        }
      }
    });
  }
  if (line === null || line.trim() !== "\\end\\")
    fail(`expected \\end\\, but got ${line === null ? "the end of the file" : describe(line.trim())}`);
  let tokenizer: NgramModel["tokenizer"] = null;
  if (info.tokenizer !== undefined) {
    try {
      tokenizer = resolveTokenizer({
        kind: info.tokenizer as TokenizerKind,
        lowercase: info.lowercase === "true",
      });
    } catch {
      tokenizer = null;
    }
  }
  for (const special of [BOS, EOS])
    if (!seenWords.has(special)) info[special === BOS ? "bos" : "eos"] = "added";
  return {
    order: N,
    vocab,
    smoothing: "arpa",
    k: null,
    discounts: null,
    tokenizer,
    tables,
    logProb,
    logBow,
    info,
  };
}
