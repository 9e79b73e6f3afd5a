/**
 * The generative direction of the pair HMM (Durbin et al. 1998, §4.2): walk Begin → M/X/Y … → End,
 * emitting p(a,b) in M and q(a) in X and Y, giving a related pair (x, y) with its true alignment.
 */
import { drawIndex, hostUniforms } from "../../host-random.js";
import { type Array as JaxArray, random } from "../../jax.js";
import type { Encoded } from "./alphabet.js";
import { type PairHmmParams, STATE_M, STATE_X, STATE_Y, validateParams } from "./model.js";

/** A sampled pair: residue codes x `[n]`, y `[m]`, and the true alignment columns (-1 for gaps). */
export type SampledPair = { x: Encoded; y: Encoded; columns: [number, number][] };

const CHUNK = 4096;

/** Sample one related pair with its true alignment; consumes `key`; the same key gives the same pair. */
export function samplePair(params: PairHmmParams, key: JaxArray): SampledPair {
  try {
    validateParams(params, "samplePair");
  } catch (e) {
    key.dispose();
    throw e;
  }
  const { delta, epsilon, tau, match, background } = params;
  // Rows: from M (and Begin), X, Y; columns: to M, X, Y, End.
  const T = Float64Array.from([
    1 - 2 * delta - tau,
    delta,
    delta,
    tau,
    1 - epsilon - tau,
    epsilon,
    0,
    tau,
    1 - epsilon - tau,
    0,
    epsilon,
    tau,
  ]);
  let current = key;
  let buf: Float64Array = new Float64Array(0);
  let pos = 0;
  const next = (): number => {
    if (pos >= buf.length) {
      const keys = random.split(current, 2);
      buf = hostUniforms(keys.ref.slice(0), CHUNK);
      current = keys.slice(1);
      pos = 0;
    }
    return buf[pos++];
  };
  const xs: number[] = [];
  const ys: number[] = [];
  const columns: [number, number][] = [];
  let state = STATE_M;
  for (;;) {
    const to = drawIndex(T, next(), state * 4, 4);
    if (to === 3) break;
    state = to;
    if (state === STATE_M) {
      const k = drawIndex(match, next());
      columns.push([xs.length, ys.length]);
      xs.push((k / 20) | 0);
      ys.push(k % 20);
    } else if (state === STATE_X) {
      columns.push([xs.length, -1]);
      xs.push(drawIndex(background, next()));
    } else if (state === STATE_Y) {
      columns.push([-1, ys.length]);
      ys.push(drawIndex(background, next()));
    }
  }
  current.dispose();
  return { x: Int8Array.from(xs), y: Int8Array.from(ys), columns };
}
