/**
 * Tokenisers for n-gram language models: one sentence per line; characters, punctuation-aware words,
 * or whitespace-separated tokens (text already tokenised, as KenLM and SRILM expect). The sentence
 * boundaries `<s>` and `</s>` and the unknown token `<unk>` are added by the model, never by these.
 */
import { describe, ValueError } from "../../errors.js";

/** Unknown token (ARPA/KenLM spelling). */
export const UNK = "<unk>";
/** Sentence start (context only, never predicted). */
export const BOS = "<s>";
/** Sentence end (predicted after the last token of each sentence). */
export const EOS = "</s>";
/** Fixed ids of the special tokens in every {@link Vocab}. */
export const UNK_ID = 0;
/** Id of `<s>`. */
export const BOS_ID = 1;
/** Id of `</s>`. */
export const EOS_ID = 2;

/**
 * What a character model writes for a run of whitespace (U+2581, SentencePiece's convention), since
 * ARPA files separate tokens by whitespace.
 */
export const SPACE = "\u2581";

/** How text becomes tokens. */
export type TokenizerKind = "char" | "word" | "whitespace";

/** Tokeniser settings (saved with a model so that scoring tokenises as training did). */
export type TokenizerOptions = {
  /**
   * `"char"`: every Unicode code point is a token, a run of whitespace is one `▁` token.
   * `"word"` (default): words are runs of letters, marks and digits joined by inner apostrophes or
   * hyphens (`don't`, `well-known`); numbers keep inner `.`/`,` (`3.14`, `1,000`); every other
   * non-space character (punctuation, symbols) is a token of its own.
   * `"whitespace"`: tokens are the whitespace-separated fields, unchanged (pre-tokenised text).
   */
  kind?: TokenizerKind;
  /** Lower-case the text first (`String.prototype.toLowerCase`); default false. */
  lowercase?: boolean;
};

const WORD_RE =
  /\p{N}+(?:[.,]\p{N}+)+|[\p{L}\p{M}\p{N}]+(?:['\u2019-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;
const SPACE_RE = /\s+/u;

/** Check and fill in tokeniser options. */
export function resolveTokenizer(opts: TokenizerOptions = {}, fn = "tokenize"): Required<TokenizerOptions> {
  const kind = opts.kind ?? "word";
  if (kind !== "char" && kind !== "word" && kind !== "whitespace")
    throw new ValueError(`${fn}: kind must be "char", "word" or "whitespace", but got ${describe(kind)}`);
  const lowercase = opts.lowercase ?? false;
  if (typeof lowercase !== "boolean")
    throw new ValueError(`${fn}: lowercase must be a boolean, but got ${describe(lowercase)}`);
  return { kind, lowercase };
}

/** Split text into sentences: one per line (LF or CRLF), trimmed; blank lines are skipped. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.length > 0) out.push(line);
  }
  return out;
}

/** Tokens of one sentence (no `<s>`/`</s>`). */
export function tokenize(sentence: string, opts: TokenizerOptions = {}): string[] {
  const { kind, lowercase } = resolveTokenizer(opts);
  let s = sentence.trim();
  if (lowercase) s = s.toLowerCase();
  if (s.length === 0) return [];
  if (kind === "whitespace") return s.split(SPACE_RE);
  if (kind === "word") return s.match(WORD_RE) ?? [];
  const out: string[] = [];
  let inSpace = false;
  for (const ch of s) {
    if (/\s/u.test(ch)) {
      if (!inSpace) out.push(SPACE);
      inSpace = true;
    } else {
      out.push(ch);
      inSpace = false;
    }
  }
  return out;
}

/** Tokenise text: one token list per non-blank line. */
export function tokenizeText(text: string, opts: TokenizerOptions = {}): string[][] {
  const resolved = resolveTokenizer(opts, "tokenizeText");
  return splitSentences(text).map((line) => tokenize(line, resolved));
}

/** Join tokens back into text: characters without separators (`▁` becomes a space), words with spaces. */
export function detokenize(tokens: readonly string[], opts: TokenizerOptions = {}): string {
  const { kind } = resolveTokenizer(opts, "detokenize");
  if (kind === "char") return tokens.map((t) => (t === SPACE ? " " : t)).join("");
  return tokens.join(" ");
}
