/**
 * The VAE's boundary functions (`elbo`, `encode`, `reconstruct`, `iwaeLogLikelihood`, ...) run their
 * array code through `jit`, compiled once per config, static option and input shape and reused across
 * calls (JAXJS.md: each trace costs 60-400 ms). Called with tracers (inside someone else's `jit` or
 * `grad`) they run the same code inline instead. `clearVaeCache()` frees the compiled code.
 */
import { type Array, jit, tree } from "../../jax.js";
import { isConcrete } from "./checks.js";
import type { ResolvedVaeConfig } from "./config.js";

type Disposable = { dispose(): void };

const cache = new Map<string, Disposable>();

/** The jitted `make()` for (`name`, `cfg`, `extra`), compiled on first use and kept. */
export function cachedJit<F extends (...args: never[]) => unknown>(
  name: string,
  cfg: ResolvedVaeConfig,
  extra: string,
  make: () => F,
): F {
  const key = `${name}|${JSON.stringify(cfg)}|${extra}`;
  let f = cache.get(key);
  if (f === undefined) {
    f = jit(make() as never) as unknown as Disposable;
    cache.set(key, f);
  }
  return f as unknown as F;
}

/** Free every compiled VAE function (they are rebuilt on next use). */
export function clearVaeCache(): void {
  for (const f of cache.values()) f.dispose();
  cache.clear();
}

/** True when every array leaf of the arguments holds values (none is a tracer). */
export function allConcrete(...xs: unknown[]): boolean {
  return tree.leaves(xs as never).every((a) => isConcrete(a as Array));
}
