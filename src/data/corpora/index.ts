/**
 * The built-in text corpora for the autoregressive models, as metadata only: this module reads no
 * file, so it runs in a browser. Node code reads a corpus with
 * `readFileSync(new URL(`../data/corpora/${corpus.file}`, import.meta.url), "utf8")` (path relative to
 * the reading module); provenance and licences are in `src/data/corpora/README.md`.
 */
import { describe, ValueError } from "../../errors.js";

/** One built-in corpus: a UTF-8 (here pure ASCII) text file with LF line endings next to this module. */
export type Corpus = {
  /** short name used on the command line, e.g. "names" */
  name: string;
  /** file name inside `src/data/corpora/` */
  file: string;
  description: string;
  /** where the text comes from: repository, path, commit, and the original origin */
  source: string;
  licence: string;
  /** "lines": one document per line (character models); "text": one running text (word models) */
  unit: "lines" | "text";
  /** exact file size in bytes, so a loader can detect a truncated or altered file */
  bytes: number;
  /** number of `\n` characters in the file */
  newlines: number;
};

/** makemore's 32,033 US first names (2018), one per line, lower-case a-z, 228,145 bytes. */
export const names: Corpus = {
  name: "names",
  file: "names.txt",
  description:
    "the 32,033 most common US baby names of 2018 (girls' then boys' lists, 29,494 distinct), one per " +
    "line, lower-case a-z; the training set of Karpathy's makemore",
  source:
    "karpathy/makemore names.txt (stored copy read from karpathy/nn-zero-to-hero " +
    "my_code/makemore/names.txt at d143607db8bdec78f5574a7cb03daa0c0d9d58b6); names from the US Social " +
    "Security Administration's public baby-name data (ssa.gov)",
  licence: "SSA data: US-government work, public domain; makemore repository: MIT",
  unit: "lines",
  bytes: 228145,
  newlines: 32032,
};

/** The first two plays of char-rnn's tiny Shakespeare (Coriolanus and Richard III), 317,026 bytes. */
export const shakespeare: Corpus = {
  name: "shakespeare",
  file: "shakespeare.txt",
  description:
    "Shakespeare's Coriolanus and Richard III as speaker-labelled dialogue: the first 317,026 of the " +
    "1,115,394 characters of char-rnn's tiny Shakespeare, cut at the end of Richard III",
  source:
    "karpathy/char-rnn data/tinyshakespeare/input.txt at d1d7aa34fdb3626174bce1d753e6cc6845ce7087 " +
    "(a prefix); plays by William Shakespeare (1564-1616)",
  licence: "public domain (the plays); char-rnn repository: MIT",
  unit: "text",
  bytes: 317026,
  newlines: 11697,
};

/** Every built-in corpus by name. */
export const CORPORA: Readonly<Record<string, Corpus>> = { names, shakespeare };

/** The built-in corpus called `name`; throws ValueError listing the known names otherwise. */
export function getCorpus(name: string): Corpus {
  const corpus = Object.hasOwn(CORPORA, name) ? CORPORA[name] : undefined;
  if (corpus === undefined) {
    const known = Object.keys(CORPORA).join(", ");
    throw new ValueError(`getCorpus: name must be one of ${known}, but got ${describe(name)}`);
  }
  return corpus;
}
