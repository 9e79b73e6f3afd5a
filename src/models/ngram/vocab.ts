/**
 * Vocabulary of an n-gram model: ids 0, 1, 2 are `<unk>`, `<s>`, `</s>`; then the kept tokens by
 * descending count (ties in code-unit order). Tokens seen fewer than `minCount` times map to `<unk>`,
 * as SRILM's `-vocab`/`-unk` and NLTK's `Vocabulary(unk_cutoff=...)` do.
 */
import { describe, ValueError } from "../../errors.js";
import { BOS, BOS_ID, EOS, EOS_ID, UNK, UNK_ID } from "./tokenize.js";

/** A vocabulary: `words[id]` and its inverse. */
export type Vocab = {
  /** `[V]` token strings; `words[0..2]` are `<unk>`, `<s>`, `</s>` */
  words: string[];
  /** token → id */
  index: Map<string, number>;
};

/** Sentences as one flat id array: sentence `s` is `ids[offsets[s] .. offsets[s + 1])`, without `<s>`/`</s>`. */
export type EncodedCorpus = {
  /** `[T]` token ids */
  ids: Int32Array;
  /** `[S + 1]` sentence starts, `offsets[S] = T` */
  offsets: Int32Array;
};

/** Options of {@link buildVocab}. */
export type VocabOptions = {
  /** Keep tokens seen at least this often (default 1: all); rarer ones become `<unk>`. */
  minCount?: number;
  /** Keep at most this many tokens besides the three specials (the most frequent); default all. */
  maxSize?: number;
};

/** A vocabulary from a word list (`<unk>`, `<s>`, `</s>` are put first if absent or moved there). */
export function vocabFromWords(words: readonly string[]): Vocab {
  const out = [UNK, BOS, EOS];
  const index = new Map<string, number>([
    [UNK, UNK_ID],
    [BOS, BOS_ID],
    [EOS, EOS_ID],
  ]);
  for (const w of words) {
    if (index.has(w)) continue;
    if (w.length === 0 || /\s/u.test(w))
      throw new ValueError(
        `vocabFromWords: tokens must be non-empty without whitespace, but got ${describe(w)}`,
      );
    index.set(w, out.length);
    out.push(w);
  }
  return { words: out, index };
}

/** Count tokens and keep those seen at least `minCount` times. */
export function buildVocab(sentences: readonly (readonly string[])[], opts: VocabOptions = {}): Vocab {
  const minCount = opts.minCount ?? 1;
  if (!Number.isInteger(minCount) || minCount < 1)
    throw new ValueError(`buildVocab: minCount must be an integer >= 1, but got ${describe(minCount)}`);
  const maxSize = opts.maxSize ?? Number.POSITIVE_INFINITY;
  if (!(maxSize === Number.POSITIVE_INFINITY || (Number.isInteger(maxSize) && maxSize >= 0)))
    throw new ValueError(`buildVocab: maxSize must be an integer >= 0, but got ${describe(maxSize)}`);
  const counts = new Map<string, number>();
  for (const s of sentences) for (const t of s) counts.set(t, (counts.get(t) ?? 0) + 1);
  const kept = [...counts]
    .filter(([w, c]) => c >= minCount && w !== UNK && w !== BOS && w !== EOS)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxSize)
    .map(([w]) => w);
  return vocabFromWords(kept);
}

/** Ids of tokens (unknown ones → `<unk>`); `<s>`/`</s>` inside a sentence are ValueErrors. */
export function encode(vocab: Vocab, tokens: readonly string[], fn = "encode"): Int32Array {
  const out = new Int32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const id = vocab.index.get(tokens[i]) ?? UNK_ID;
    if (id === BOS_ID || id === EOS_ID)
      throw new ValueError(
        `${fn}: sentences must not contain the reserved token ${tokens[i]} (the model adds it), but token ${i} is ${tokens[i]}`,
      );
    out[i] = id;
  }
  return out;
}

/** Encode sentences into one flat corpus. */
export function encodeCorpus(vocab: Vocab, sentences: readonly (readonly string[])[]): EncodedCorpus {
  let total = 0;
  for (const s of sentences) total += s.length;
  const ids = new Int32Array(total);
  const offsets = new Int32Array(sentences.length + 1);
  let at = 0;
  for (let s = 0; s < sentences.length; s++) {
    offsets[s] = at;
    try {
      ids.set(encode(vocab, sentences[s]), at);
    } catch (e) {
      if (e instanceof ValueError) throw new ValueError(`encodeCorpus: sentence ${s + 1}: ${e.message}`);
      throw e;
    }
    at += sentences[s].length;
  }
  offsets[sentences.length] = at;
  return { ids, offsets };
}

/** Token strings of ids. */
export function decode(vocab: Vocab, ids: ArrayLike<number>): string[] {
  return Array.from(ids, (id) => vocab.words[id] ?? UNK);
}

/** Whether a token is in the vocabulary (`<unk>` itself counts as known). */
export function isKnown(vocab: Vocab, token: string): boolean {
  return vocab.index.has(token);
}
