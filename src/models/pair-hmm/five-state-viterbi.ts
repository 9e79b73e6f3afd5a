/**
 * Viterbi decoding of the five-state ProbCons pair HMM (Do et al. 2005, Genome Res. 15:330; recursion
 * of Durbin et al. 1998, §4.2 with max for sum): the most probable state path and its log probability.
 */
import type { Alignment } from "./alignment.js";
import { EMISSION_SIZE, type Encoded } from "./alphabet.js";
import { FIVE_STATES, type FiveStateParams, fiveStateLogTables } from "./five-state.js";

const NEG = Number.NEGATIVE_INFINITY;
const DI = [1, 1, 0, 1, 0];
const DJ = [1, 0, 1, 0, 1];

/** A Viterbi alignment: `columns` and `logProb` as `Alignment`, and the state of each column `[columns]` (0 M, 1 X1, 2 Y1, 3 X2, 4 Y2). */
export type FiveStateAlignment = Alignment & { states: Int8Array };

/** Most probable state path of the five-state model: columns, states, log P(x, y, π*) in nats; O(nm) memory. */
export function fiveStateViterbi(params: FiveStateParams, x: Encoded, y: Encoded): FiveStateAlignment {
  const t = fiveStateLogTables(params, x, y, "fiveStateViterbi");
  const n = x.length;
  const m = y.length;
  const S = FIVE_STATES;
  const w = m + 1;
  const size = (n + 1) * w;
  const v = Array.from({ length: S }, () => new Float64Array(size).fill(NEG));
  // back[l][cell]: the state before l at this cell's source, −1 for Begin.
  const back = Array.from({ length: S }, () => new Int8Array(size).fill(-1));
  // 1. v^l(i,j) = e_l + max(Begin→l at the first column, max_k v^k(source) + log a(k→l)).
  for (let i = 0; i <= n; i++)
    for (let j = 0; j <= m; j++)
      for (let l = 0; l < S; l++) {
        const si = i - DI[l];
        const sj = j - DJ[l];
        if (si < 0 || sj < 0) continue;
        const src = si * w + sj;
        let best = si === 0 && sj === 0 ? t.begin[l] : NEG;
        let arg = -1;
        for (let k = 0; k < S; k++) {
          const c = v[k][src] + t.trans[k * S + l];
          if (c > best) {
            best = c;
            arg = k;
          }
        }
        if (best === NEG) continue;
        const e =
          l === 0
            ? t.match[x[i - 1] * EMISSION_SIZE + y[j - 1]]
            : t.background[DJ[l] === 0 ? x[i - 1] : y[j - 1]];
        v[l][i * w + j] = e + best;
        back[l][i * w + j] = arg;
      }
  // 2. Termination: the best state at (n,m), then End with τ (the empty pair is Begin → End).
  if (n === 0 && m === 0) return { columns: [], logProb: t.end, states: new Int8Array(0) };
  let state = 0;
  for (let k = 1; k < S; k++) if (v[k][size - 1] > v[state][size - 1]) state = k;
  const logProb = v[state][size - 1] + t.end;
  // 3. Traceback from (n,m) to Begin.
  const columns: [number, number][] = [];
  const states: number[] = [];
  let i = n;
  let j = m;
  while (state >= 0 && (i > 0 || j > 0)) {
    const prev = back[state][i * w + j];
    columns.push([DI[state] ? i - 1 : -1, DJ[state] ? j - 1 : -1]);
    states.push(state);
    i -= DI[state];
    j -= DJ[state];
    state = prev;
  }
  columns.reverse();
  states.reverse();
  return { columns, logProb, states: Int8Array.from(states) };
}
