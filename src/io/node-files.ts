/**
 * NODE-ONLY file helpers for checkpoints: atomic writes (temp file in the same directory, fsync,
 * rename) and reading a checkpoint file with errors that name the path. Imports `node:fs`; browser
 * code must not import this file, and no index that the browser bundle uses re-exports it.
 */
import { randomBytes } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FormatError } from "../errors.js";
import {
  type Checkpoint,
  type DecodeCheckpointOptions,
  decodeCheckpoint,
  encodeCheckpoint,
} from "./checkpoint.js";

/** Write `bytes` to `path` atomically: readers see the old file or the new one, never a partial one. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const fh = await open(tmp, "wx");
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  // make the rename itself durable where the platform allows fsync on a directory
  try {
    const d = await open(dir, "r");
    await d.sync().finally(() => d.close());
  } catch {
    // not supported (e.g. Windows): the rename is still atomic
  }
}

/** Encode `ckpt` (consuming its params) and write it atomically to `path`. */
export async function writeCheckpointFile(path: string, ckpt: Checkpoint): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(ckpt));
}

/** Read and decode a checkpoint file; errors are one line naming the path (`checkpoint: <path>: ...`). */
export async function readCheckpointFile(
  path: string,
  opts: Omit<DecodeCheckpointOptions, "context"> = {},
): Promise<Checkpoint> {
  let bytes: Uint8Array;
  try {
    const buf = await readFile(path);
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FormatError(
      `checkpoint: ${path}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message}`,
    );
  }
  return decodeCheckpoint(bytes, { ...opts, context: `checkpoint: ${path}` });
}
