// Test helper: counts live backend buffers by wrapping the jax-js backend's malloc/incRef/decRef.
// jax-js 0.1.25 does not export `getBackend`, so we find the internal chunk that defines it from the
// import line of dist/index.js (robust to the chunk's hashed file name) and import that same module.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { np } from "../../src/jax.js";

type Backend = {
  malloc(size: number, init?: Uint8Array): number;
  incRef(slot: number): void;
  decRef(slot: number): void;
};

let counter: { live: () => number } | undefined;

/** Start counting (idempotent); `live()` is the number of buffers allocated since then and not freed. */
export async function liveBufferCounter(): Promise<{ live: () => number }> {
  if (counter) return counter;
  const indexPath = join(dirname(createRequire(import.meta.url).resolve("@jax-js/jax")), "index.js");
  const m = /\b(\w+) as getBackend\b[^;]*?from "(\.\/[^"]+)"/.exec(readFileSync(indexPath, "utf8"));
  if (!m) throw new Error("liveBufferCounter: cannot find getBackend in @jax-js/jax/dist/index.js");
  const chunk = await import(pathToFileURL(join(dirname(indexPath), m[2])).href);
  np.zeros([1]).dispose(); // make sure the default backend is initialised
  const be = chunk[m[1]]() as Backend;
  const refs = new Map<number, number>();
  const { malloc, incRef, decRef } = be;
  be.malloc = (size, init) => {
    const slot = malloc.call(be, size, init);
    refs.set(slot, 1);
    return slot;
  };
  be.incRef = (slot) => {
    incRef.call(be, slot);
    const r = refs.get(slot);
    if (r !== undefined) refs.set(slot, r + 1);
  };
  be.decRef = (slot) => {
    decRef.call(be, slot);
    const r = refs.get(slot);
    if (r === undefined) return;
    if (r <= 1) refs.delete(slot);
    else refs.set(slot, r - 1);
  };
  counter = { live: () => refs.size };
  return counter;
}
