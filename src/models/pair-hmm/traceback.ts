/**
 * Stochastic traceback of the pair HMM (Durbin et al. 1998, §4.3, "sampling alignments"): draw
 * alignments π from their posterior P(π | x, y) by walking back through the forward matrices, choosing
 * each predecessor state l of state k with probability ∝ f^l · a_lk. Keys flow explicitly.
 */
import { ValueError } from "../../errors.js";
import { hostUniforms } from "../../host-random.js";
import type { Array as JaxArray } from "../../jax.js";
import type { Alignment } from "./alignment.js";
import { EMISSION_SIZE, type Encoded } from "./alphabet.js";
import { forwardRows } from "./forward.js";
import { logTables, type PairHmmParams, STATE_M, STATE_X } from "./model.js";

/** Options for {@link sampleAlignments}: `count` alignments to draw (default 1). */
export type SampleAlignmentsOptions = { count?: number };

/** Pick 0, 1 or 2 with probability ∝ exp(a), exp(b), exp(c) (log weights, −∞ allowed) using uniform `u`. */
function pick3(a: number, b: number, c: number, u: number): number {
  const mx = a > b ? Math.max(a, c) : Math.max(b, c);
  const wa = Math.exp(a - mx);
  const wb = Math.exp(b - mx);
  const wc = Math.exp(c - mx);
  const r = u * (wa + wb + wc);
  if (r < wa) return 0;
  return r < wa + wb ? 1 : 2;
}

/**
 * Draw `count` alignments of x `[n]` and y `[m]` from P(π | x, y) (Durbin §4.3), each with its
 * log P(x, y, π) in nats; consumes `key`; O(nm) memory (the forward matrices).
 */
export function sampleAlignments(
  params: PairHmmParams,
  key: JaxArray,
  x: Encoded,
  y: Encoded,
  opts: SampleAlignmentsOptions = {},
): Alignment[] {
  const count = opts.count ?? 1;
  let t: ReturnType<typeof logTables>;
  try {
    if (!(Number.isInteger(count) && count >= 0))
      throw new ValueError(`sampleAlignments: opts.count must be an integer >= 0, but got ${count}`);
    t = logTables(params, x, y, "sampleAlignments");
  } catch (e) {
    key.dispose();
    throw e;
  }
  const n = x.length;
  const m = y.length;
  const w = m + 1;
  const size = (n + 1) * w;
  const fM = new Float64Array(size);
  const fX = new Float64Array(size);
  const fY = new Float64Array(size);
  forwardRows(t, x, y, (i, M, X, Y) => {
    fM.set(M, i * w);
    fX.set(X, i * w);
    fY.set(Y, i * w);
  });
  const steps = n + m + 1;
  const u = hostUniforms(key, count * steps);
  const { mm, mg, gg, gm, match, background } = t;
  const out: Alignment[] = [];
  for (let s = 0; s < count; s++) {
    let k = s * steps;
    // 1. The last state: ∝ f^l(n, m) · τ (τ is common to every state).
    const last = n * w + m;
    let state = pick3(fM[last], fX[last], fY[last], u[k++]);
    let i = n;
    let j = m;
    let logProb = t.end;
    const columns: [number, number][] = [];
    // 2. Walk back to Begin (M at (0, 0)); from state `state` at (i, j) choose its predecessor.
    while (i > 0 || j > 0) {
      let prev: number;
      if (state === STATE_M) {
        columns.push([i - 1, j - 1]);
        logProb += match[x[i - 1] * EMISSION_SIZE + y[j - 1]];
        i--;
        j--;
        const c = i * w + j;
        prev = pick3(mm + fM[c], gm + fX[c], gm + fY[c], u[k++]);
        logProb += prev === STATE_M ? mm : gm;
      } else if (state === STATE_X) {
        columns.push([i - 1, -1]);
        logProb += background[x[i - 1]];
        i--;
        const c = i * w + j;
        prev = pick3(mg + fM[c], gg + fX[c], Number.NEGATIVE_INFINITY, u[k++]);
        logProb += prev === STATE_M ? mg : gg;
      } else {
        columns.push([-1, j - 1]);
        logProb += background[y[j - 1]];
        j--;
        const c = i * w + j;
        prev = pick3(mg + fM[c], Number.NEGATIVE_INFINITY, gg + fY[c], u[k++]);
        logProb += prev === STATE_M ? mg : gg;
      }
      state = prev;
    }
    columns.reverse();
    out.push({ columns, logProb });
  }
  return out;
}
