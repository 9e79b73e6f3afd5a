/**
 * A model as JSON text, exact for every estimator (add-k included, which ARPA cannot express): the
 * vocabulary, settings and each table's entries and weights as base64 of little-endian typed arrays.
 * Hash slots are rebuilt on reading by inserting the entries in order (same indices).
 */
import { describe, FormatError } from "../../errors.js";
import { MAX_ORDER } from "./counts.js";
import { type NgramModel, SMOOTHINGS } from "./model.js";
import { hashTable, insertEntry, type NgramTable, rootTable, unigramTable } from "./ngram-table.js";
import { vocabFromWords } from "./vocab.js";

const FORMAT = "novelist-ngram";
const VERSION = 1;

function toBase64(a: Int32Array | Float64Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, Math.min(i + 0x8000, bytes.length)));
  return btoa(bin);
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

type Saved = {
  format: string;
  version: number;
  order: number;
  smoothing: NgramModel["smoothing"];
  k: number | null;
  discounts: NgramModel["discounts"];
  tokenizer: NgramModel["tokenizer"];
  info: Record<string, string>;
  words: string[];
  tables: { size: number; parent: string; word: string; logProb: string; logBow: string }[];
};

/** JSON text of a model (see the file header); `deserialize` reads it back exactly. */
export function serialize(m: NgramModel): string {
  const saved: Saved = {
    format: FORMAT,
    version: VERSION,
    order: m.order,
    smoothing: m.smoothing,
    k: m.k,
    discounts: m.discounts,
    tokenizer: m.tokenizer,
    info: m.info,
    words: m.vocab.words,
    tables: m.tables.map((t, n) => ({
      size: t.size,
      parent: toBase64(t.parent.subarray(0, t.size)),
      word: toBase64(t.word.subarray(0, t.size)),
      logProb: toBase64(m.logProb[n].subarray(0, t.size)),
      logBow: toBase64(m.logBow[n].subarray(0, t.size)),
    })),
  };
  return JSON.stringify(saved);
}

/** Read a model written by {@link serialize}; anything else is a FormatError naming `source`. */
export function deserialize(text: string, source = "model"): NgramModel {
  const fail = (what: string): never => {
    throw new FormatError(`${source}: ${what}`);
  };
  let s: Saved;
  try {
    s = JSON.parse(text) as Saved;
  } catch (e) {
    return fail(`not JSON (${(e as Error).message})`);
  }
  if (s === null || typeof s !== "object" || s.format !== FORMAT)
    fail(`expected a ${FORMAT} file, but got format ${describe((s as Partial<Saved> | null)?.format)}`);
  if (s.version !== VERSION) fail(`expected version ${VERSION}, but got ${describe(s.version)}`);
  if (!Number.isInteger(s.order) || s.order < 1 || s.order > MAX_ORDER)
    fail(`bad order ${describe(s.order)}`);
  if (![...SMOOTHINGS, "arpa"].includes(s.smoothing)) fail(`unknown smoothing ${describe(s.smoothing)}`);
  if (!Array.isArray(s.words) || !Array.isArray(s.tables) || s.tables.length !== s.order + 1)
    fail(`expected ${s.order + 1} tables and a word list`);
  const vocab = vocabFromWords(s.words);
  if (vocab.words.length !== s.words.length)
    fail("the word list must start with <unk>, <s>, </s> and have no duplicates");
  const V = vocab.words.length;
  const tables: NgramTable[] = [];
  const logProb: Float64Array[] = [];
  const logBow: Float64Array[] = [];
  s.tables.forEach((saved, n) => {
    const ints = (b64: string) => {
      const bytes = fromBase64(b64);
      if (bytes.length !== 4 * saved.size) fail(`table ${n}: expected ${saved.size} entries`);
      return new Int32Array(bytes.buffer, 0, saved.size);
    };
    const floats = (b64: string) => {
      const bytes = fromBase64(b64);
      if (bytes.length !== 8 * saved.size) fail(`table ${n}: expected ${saved.size} weights`);
      return new Float64Array(bytes.buffer, 0, saved.size);
    };
    const parent = ints(saved.parent);
    const word = ints(saved.word);
    let t: NgramTable;
    if (n === 0) t = rootTable();
    else if (n === 1) {
      if (saved.size !== V) fail(`the unigram table must have ${V} entries, but has ${saved.size}`);
      t = unigramTable(V);
    } else {
      t = hashTable(n, saved.size);
      const below = tables[n - 1].size;
      for (let e = 0; e < saved.size; e++) {
        if (!(parent[e] >= 0 && parent[e] < below && word[e] >= 0 && word[e] < V))
          fail(`table ${n}: entry ${e} points outside the model`);
        if (insertEntry(t, parent[e], word[e]) !== e) fail(`table ${n}: entry ${e} is a duplicate`);
      }
    }
    tables.push(t);
    logProb.push(floats(saved.logProb));
    logBow.push(floats(saved.logBow));
  });
  return {
    order: s.order,
    vocab,
    smoothing: s.smoothing,
    k: s.k,
    discounts: s.discounts,
    tokenizer: s.tokenizer,
    tables,
    logProb,
    logBow,
    info: s.info ?? {},
  };
}
