/** Reading the user's files for the CLI, with one-line errors that name the path. */
import { readFileSync } from "node:fs";
import type { Corpus } from "../data/corpora/index.js";
import { parseCsv, type Table } from "../data/csv.js";
import { ValueError } from "../errors.js";
import { writeFileAtomic } from "../io/node-files.js";
import type { Context } from "./command.js";

/** The text of a file; a missing or unreadable file is a one-line error. */
export function readText(path: string, what = "file"): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message;
    throw new ValueError(`cannot read ${what} ${path}: ${why}`);
  }
}

/** The bytes of a file, with the same errors as {@link readText}. */
export function readBytes(path: string, what = "file"): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ValueError(
      `cannot read ${what} ${path}: ${code === "ENOENT" ? "no such file" : (e as Error).message}`,
    );
  }
}

/** A CSV file parsed with a header row. */
export function readCsv(path: string): Table {
  return parseCsv(readText(path, "CSV file"), path);
}

/** Write a command's text result to `path` atomically (saying so on stderr), or print it when no path is given. */
export async function writeTextResult(ctx: Context, path: string | undefined, text: string): Promise<void> {
  if (!path) {
    ctx.out(text);
    return;
  }
  await writeFileAtomic(path, new TextEncoder().encode(text));
  ctx.err.write(`wrote ${path}\n`);
}

/** The text of a built-in corpus (`src/data/corpora/`), checked against its recorded size. */
export function readCorpus(corpus: Corpus): string {
  const text = readFileSync(new URL(`../data/corpora/${corpus.file}`, import.meta.url), "utf8");
  if (Buffer.byteLength(text) !== corpus.bytes) {
    throw new ValueError(
      `corpus ${corpus.name}: ${corpus.file} has ${Buffer.byteLength(text)} bytes, expected ${corpus.bytes} (altered or truncated?)`,
    );
  }
  return text;
}
