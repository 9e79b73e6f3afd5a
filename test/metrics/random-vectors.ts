// Seeded random probability vectors for the divergence tests (plain doubles, no jax-js).
import { fromCounts } from "../../src/metrics/index.js";

/** mulberry32: a small seeded uniform generator on [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Dirichlet(1, ..., 1) draw of length k (normalised exponentials), with a fraction `zeros` of entries set to 0. */
export function randomProbs(u: () => number, k: number, zeros = 0): Float64Array {
  const w = new Float64Array(k);
  for (let i = 0; i < k; i++) w[i] = u() < zeros ? 0 : -Math.log(1 - u());
  if (w.every((x) => x === 0)) w[Math.floor(u() * k)] = 1;
  return fromCounts(w);
}
