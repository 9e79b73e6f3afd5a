/**
 * Viterbi algorithm of the pair HMM (Durbin et al. 1998, §4.2, Algorithm "Viterbi for pair HMMs") in
 * log space: the most probable alignment and its log-probability log P(x, y, π*) in nats. The score runs
 * in two rows; the traceback keeps one byte of back-pointers per cell (not the score matrices).
 */
import { ValueError } from "../../errors.js";
import type { Alignment } from "./alignment.js";
import { EMISSION_SIZE, type Encoded } from "./alphabet.js";
import { type LogTables, logTables, type PairHmmParams, STATE_M, STATE_X, STATE_Y } from "./model.js";

const NEG = Number.NEGATIVE_INFINITY;

// Back-pointer byte: bits 0-1 the predecessor of M (0 M, 1 X, 2 Y); bit 2 set if X came from X;
// bit 3 set if Y came from Y.
function viterbiRows(t: LogTables, x: Encoded, y: Encoded, trace: Uint8Array | null): [number, number] {
  const n = x.length;
  const m = y.length;
  const w = m + 1;
  const { mm, mg, gg, gm, match, background } = t;
  let pM = new Float64Array(w).fill(NEG);
  let pX = new Float64Array(w).fill(NEG);
  let pY = new Float64Array(w).fill(NEG);
  let cM = new Float64Array(w);
  let cX = new Float64Array(w);
  let cY = new Float64Array(w);
  const qy = new Float64Array(m);
  for (let j = 0; j < m; j++) qy[j] = background[y[j]];
  // 1. Row 0: Begin = M(0,0), then Y only.
  pM[0] = 0;
  for (let j = 1; j <= m; j++) {
    const a = mg + pM[j - 1];
    const b = gg + pY[j - 1];
    pY[j] = qy[j - 1] + Math.max(b, a);
    if (trace) trace[j] = b > a ? 8 : 0;
  }
  // 2. Rows 1..n.
  for (let i = 1; i <= n; i++) {
    const row = x[i - 1] * EMISSION_SIZE;
    const qx = background[x[i - 1]];
    const base = i * w;
    cM[0] = NEG;
    cY[0] = NEG;
    {
      const a = mg + pM[0];
      const b = gg + pX[0];
      cX[0] = qx + Math.max(b, a);
      if (trace) trace[base] = b > a ? 4 : 0;
    }
    for (let j = 1; j <= m; j++) {
      let ptr = 0;
      const a = mm + pM[j - 1];
      const b = gm + pX[j - 1];
      const c = gm + pY[j - 1];
      let best = a;
      if (b > best) {
        best = b;
        ptr = 1;
      }
      if (c > best) {
        best = c;
        ptr = 2;
      }
      cM[j] = match[row + y[j - 1]] + best;
      const d = mg + pM[j];
      const e = gg + pX[j];
      if (e > d) {
        cX[j] = qx + e;
        ptr |= 4;
      } else cX[j] = qx + d;
      const f = mg + cM[j - 1];
      const g = gg + cY[j - 1];
      if (g > f) {
        cY[j] = qy[j - 1] + g;
        ptr |= 8;
      } else cY[j] = qy[j - 1] + f;
      if (trace) trace[base + j] = ptr;
    }
    [pM, cM] = [cM, pM];
    [pX, cX] = [cX, pX];
    [pY, cY] = [cY, pY];
  }
  // 3. Termination: the best final state (ties: M, then X, then Y).
  let last = STATE_M;
  let best = pM[m];
  if (pX[m] > best) {
    best = pX[m];
    last = STATE_X;
  }
  if (pY[m] > best) {
    best = pY[m];
    last = STATE_Y;
  }
  return [t.end + best, last];
}

/** Viterbi log-probability log P(x, y, π*) in nats, in O(m) memory. */
export function viterbiScore(params: PairHmmParams, x: Encoded, y: Encoded): number {
  return viterbiRows(logTables(params, x, y, "viterbiScore"), x, y, null)[0];
}

/** The most probable alignment π* and log P(x, y, π*) in nats; (n+1)(m+1) bytes of back-pointers. */
export function viterbi(params: PairHmmParams, x: Encoded, y: Encoded): Alignment {
  const t = logTables(params, x, y, "viterbi");
  const w = y.length + 1;
  const cells = (x.length + 1) * w;
  if (cells > 2 ** 31)
    throw new ValueError(`viterbi: (n+1)*(m+1) must be at most 2^31 cells, but got ${cells}`);
  const trace = new Uint8Array(cells);
  const [logProb, last] = viterbiRows(t, x, y, trace);
  // Traceback (Durbin §4.2): follow the back-pointers from (n, m) to Begin at (0, 0).
  const columns: [number, number][] = [];
  let i = x.length;
  let j = y.length;
  let state = last;
  while (i > 0 || j > 0) {
    const ptr = trace[i * w + j];
    if (state === STATE_M) {
      columns.push([i - 1, j - 1]);
      state = ptr & 3;
      i--;
      j--;
    } else if (state === STATE_X) {
      columns.push([i - 1, -1]);
      state = ptr & 4 ? STATE_X : STATE_M;
      i--;
    } else {
      columns.push([-1, j - 1]);
      state = ptr & 8 ? STATE_Y : STATE_M;
      j--;
    }
  }
  columns.reverse();
  return { columns, logProb };
}
