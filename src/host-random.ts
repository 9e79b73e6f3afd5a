/**
 * Random numbers on the host (plain Float64Array) drawn from a jax-js PRNG key, for samplers written
 * in plain TypeScript (Markov chains, n-gram and HMM sampling). Keys still flow explicitly: the same
 * key gives the same numbers, in Node and in the browser.
 */
import { type Array, random } from "./jax.js";

/** `n` uniform doubles in [0, 1) with 53 random bits each; consumes `key`. */
export function hostUniforms(key: Array, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 0) {
    key.dispose();
    return out;
  }
  const bits = random.bits(key, [n, 2]).dataSync() as Uint32Array;
  for (let i = 0; i < n; i++) {
    // 27 high bits of the first word and 26 of the second: (a * 2^26 + b) / 2^53, as numpy does
    const a = bits[2 * i] >>> 5;
    const b = bits[2 * i + 1] >>> 6;
    out[i] = (a * 67108864 + b) / 9007199254740992;
  }
  return out;
}

/** Index drawn from the discrete distribution `probs[offset .. offset+k)` by inversion with uniform `u`. */
export function drawIndex(
  probs: ArrayLike<number>,
  u: number,
  offset = 0,
  k = probs.length - offset,
): number {
  let acc = 0;
  for (let j = 0; j < k - 1; j++) {
    acc += probs[offset + j];
    if (u < acc) return j;
  }
  return k - 1;
}
