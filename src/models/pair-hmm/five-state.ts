/**
 * The five-state pair HMM of ProbCons (Do et al. 2005, Genome Res. 15:330, fig. 1 and Methods): a match
 * state M and two pairs of gap states, (X1, Y1) for short gaps and (X2, Y2) for long gaps. Transitions:
 * M→X_k, M→Y_k δ_k; M→M 1−2δ1−2δ2−τ; X_k→X_k, Y_k→Y_k ε_k; X_k→M, Y_k→M 1−ε_k−τ; every state→End τ;
 * no X↔Y or short↔long moves. Begin→End τ and Begin→k (1−τ) π_k for a begin distribution π over
 * (M, X1, Y1, X2, Y2), or, without π, Begin behaves as M (Durbin et al. 1998, §4.2, as `model.ts`).
 * Exact log space throughout (nats); O(nm) time.
 */
import { ValueError } from "../../errors.js";
import { ALPHABET_SIZE, checkEncoded, EMISSION_SIZE, type Encoded } from "./alphabet.js";
import {
  BLOSUM62,
  checkDistribution,
  extendEmissions,
  pairEmissions,
  ROBINSON_FREQUENCIES,
} from "./matrices.js";
import { TRAINED_GAPS } from "./model.js";

/**
 * Five-state pair-HMM parameters: gap open δ_k and extend ε_k for the short (k = 0) and long (k = 1)
 * gap pairs, end τ, optional begin distribution π `[5]` over (M, X1, Y1, X2, Y2), match p(a,b) `[20*20]`,
 * background q(a) `[20]`.
 */
export type FiveStateParams = {
  delta: readonly [number, number];
  epsilon: readonly [number, number];
  tau: number;
  begin?: readonly number[];
  match: Float64Array;
  background: Float64Array;
};

/** Number of states: M, X1, Y1, X2, Y2 (ProbCons's order: match, then each gap pair X, Y). */
export const FIVE_STATES = 5;

/**
 * ProbCons's protein defaults (`Defaults.h` of ProbCons 1.1: `gapOpen2Default`, `gapExtend2Default`,
 * `initDistrib2Default`, fitted by EM on BAliBASE 2.0): δ = (0.0119511066, 0.008008334786),
 * ε = (0.3965826333, 0.8988758326), π = (0.6814756989, 8.615339902e-5, 8.615339902e-5, 0.1591759622,
 * 0.1591759622) renormalised from its float32 sum 0.99999993. ProbCons has no τ (its end weights are π).
 */
export const PROBCONS_GAPS = {
  delta: [0.0119511066, 0.008008334786] as const,
  epsilon: [0.3965826333, 0.8988758326] as const,
  begin: normalise([0.6814756989, 8.615339902e-5, 8.615339902e-5, 0.1591759622, 0.1591759622]),
} as const;

function normalise(p: number[]): readonly number[] {
  const s = p.reduce((a, b) => a + b, 0);
  return Object.freeze(p.map((v) => v / s));
}

/** Throw a ValueError naming the field unless `params` is a valid five-state pair HMM. */
export function validateFiveStateParams(params: FiveStateParams, fn = "validateFiveStateParams"): void {
  const { delta, epsilon, tau } = params;
  for (const [name, v] of [
    ["delta", delta],
    ["epsilon", epsilon],
  ] as const)
    if (!(Array.isArray(v) && v.length === 2))
      throw new ValueError(`${fn}: params.${name} must be a pair [short, long], but got ${String(v)}`);
  for (const [name, v] of [
    ["delta[0]", delta[0]],
    ["delta[1]", delta[1]],
    ["epsilon[0]", epsilon[0]],
    ["epsilon[1]", epsilon[1]],
    ["tau", tau],
  ] as const)
    if (!(typeof v === "number" && v > 0 && v < 1))
      throw new ValueError(`${fn}: params.${name} must be in (0, 1), but got ${v}`);
  const open = 2 * delta[0] + 2 * delta[1] + tau;
  if (!(open < 1))
    throw new ValueError(`${fn}: params must have 2*delta[0] + 2*delta[1] + tau < 1, but got ${open}`);
  for (const k of [0, 1])
    if (!(epsilon[k] + tau < 1))
      throw new ValueError(`${fn}: params must have epsilon[${k}] + tau < 1, but got ${epsilon[k] + tau}`);
  if (params.begin !== undefined) checkDistribution(fn, "params.begin", params.begin, FIVE_STATES);
  checkDistribution(fn, "params.match", params.match, ALPHABET_SIZE * ALPHABET_SIZE);
  checkDistribution(fn, "params.background", params.background, ALPHABET_SIZE);
}

/**
 * Five-state parameters with ProbCons's gaps and begin distribution (`PROBCONS_GAPS`), emissions from
 * BLOSUM62 and the Robinson–Robinson background (as `blosum62Params`), and τ = `TRAINED_GAPS.tau`.
 */
export function probconsParams(
  opts: {
    delta?: readonly [number, number];
    epsilon?: readonly [number, number];
    tau?: number;
    begin?: readonly number[];
  } = {},
): FiveStateParams {
  const { match } = pairEmissions(BLOSUM62, ROBINSON_FREQUENCIES);
  const params: FiveStateParams = {
    delta: opts.delta ?? PROBCONS_GAPS.delta,
    epsilon: opts.epsilon ?? PROBCONS_GAPS.epsilon,
    tau: opts.tau ?? TRAINED_GAPS.tau,
    begin: opts.begin ?? PROBCONS_GAPS.begin,
    match,
    background: Float64Array.from(ROBINSON_FREQUENCIES),
  };
  validateFiveStateParams(params, "probconsParams");
  return params;
}

/** Natural logs of the five-state transitions and emissions. */
export type FiveStateLogTables = {
  /** log a(k→l) `[5*5]` (index k*5+l), −∞ where forbidden. */
  trans: Float64Array;
  /** log P(Begin→l) `[5]`. */
  begin: Float64Array;
  /** log τ: any state (and Begin) → End. */
  end: number;
  /** log P(A,B) over the emission codes `[23*23]`. */
  match: Float64Array;
  /** log P(A) over the emission codes `[23]`. */
  background: Float64Array;
};

/** Validate params and sequences, then return the log tables (`fn` names the caller in errors). */
export function fiveStateLogTables(
  params: FiveStateParams,
  x: Encoded,
  y: Encoded,
  fn: string,
): FiveStateLogTables {
  validateFiveStateParams(params, fn);
  checkEncoded(fn, "x", x);
  checkEncoded(fn, "y", y);
  const { delta, epsilon, tau } = params;
  const S = FIVE_STATES;
  const a = new Float64Array(S * S);
  a[0] = 1 - 2 * delta[0] - 2 * delta[1] - tau;
  for (const k of [0, 1]) {
    const gx = 1 + 2 * k;
    const gy = 2 + 2 * k;
    a[gx] = delta[k];
    a[gy] = delta[k];
    a[gx * S + gx] = epsilon[k];
    a[gy * S + gy] = epsilon[k];
    a[gx * S] = 1 - epsilon[k] - tau;
    a[gy * S] = 1 - epsilon[k] - tau;
  }
  const begin =
    params.begin === undefined ? a.slice(0, S) : Float64Array.from(params.begin, (p) => (1 - tau) * p);
  const ext = extendEmissions(params.match, params.background);
  return {
    trans: a.map(Math.log),
    begin: begin.map(Math.log),
    end: Math.log(tau),
    match: ext.match.map(Math.log),
    background: ext.background.map(Math.log),
  };
}

const NEG = Number.NEGATIVE_INFINITY;
/** Which neighbour each state emits from: M diagonal, X_k up (x only), Y_k left (y only). */
const DI = [1, 1, 0, 1, 0];
const DJ = [1, 0, 1, 0, 1];

/** log Σ exp(v[k]) for k < count, exact, safe for −∞. */
function logSumExp(v: Float64Array, count: number): number {
  let mx = NEG;
  for (let k = 0; k < count; k++) if (v[k] > mx) mx = v[k];
  if (mx === NEG) return NEG;
  let s = 0;
  for (let k = 0; k < count; k++) s += Math.exp(v[k] - mx);
  return mx + Math.log(s);
}

/** log emission of state l arriving at cell (i,j) (1-based residues x_i, y_j). */
function emission(t: FiveStateLogTables, x: Encoded, y: Encoded, l: number, i: number, j: number): number {
  if (l === 0) return t.match[x[i - 1] * EMISSION_SIZE + y[j - 1]];
  return DJ[l] === 0 ? t.background[x[i - 1]] : t.background[y[j - 1]];
}

/**
 * Forward recursion in two rows of memory: f^l(i,j) = log P(x_1..i, y_1..j, state l at (i,j)), rows
 * `[5][m+1]` passed to `onRow(i, rows)` (reused buffers: copy what you keep). Returns log P(x,y), nats.
 */
export function fiveStateForwardRows(
  t: FiveStateLogTables,
  x: Encoded,
  y: Encoded,
  onRow?: (i: number, rows: readonly Float64Array[]) => void,
): number {
  const n = x.length;
  const m = y.length;
  const S = FIVE_STATES;
  let prev = Array.from({ length: S }, () => new Float64Array(m + 1).fill(NEG));
  let cur = Array.from({ length: S }, () => new Float64Array(m + 1));
  const terms = new Float64Array(S + 1);
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++)
      for (let l = 0; l < S; l++) {
        const si = i - DI[l];
        const sj = j - DJ[l];
        if (si < 0 || sj < 0) {
          cur[l][j] = NEG;
          continue;
        }
        // 1. Predecessors: every state k at the source cell (this row for Y, which moves left), and Begin.
        const src = DI[l] === 0 ? cur : prev;
        for (let k = 0; k < S; k++) terms[k] = src[k][sj] + t.trans[k * S + l];
        terms[S] = si === 0 && sj === 0 ? t.begin[l] : NEG;
        cur[l][j] = emission(t, x, y, l, i, j) + logSumExp(terms, S + 1);
      }
    if (onRow) onRow(i, cur);
    [prev, cur] = [cur, prev];
  }
  // 2. Termination: every state → End with τ; the empty pair is Begin → End.
  if (n === 0 && m === 0) return t.end;
  for (let k = 0; k < S; k++) terms[k] = prev[k][m];
  return t.end + logSumExp(terms, S);
}

/**
 * Backward recursion in two rows of memory: b^k(i,j) = log P(x_{i+1..n}, y_{j+1..m} | state k at (i,j)),
 * rows `[5][m+1]` passed to `onRow(i, rows)` from i = n down to 0. Returns log P(x,y) from Begin, nats.
 */
export function fiveStateBackwardRows(
  t: FiveStateLogTables,
  x: Encoded,
  y: Encoded,
  onRow?: (i: number, rows: readonly Float64Array[]) => void,
): number {
  const n = x.length;
  const m = y.length;
  const S = FIVE_STATES;
  let next = Array.from({ length: S }, () => new Float64Array(m + 1).fill(NEG));
  let cur = Array.from({ length: S }, () => new Float64Array(m + 1));
  const arrive = new Float64Array(S);
  const terms = new Float64Array(S + 1);
  // arrive[l] = log e_l(next cell) + b^l(next cell): the rest after moving into state l from (i,j).
  const arrivals = (i: number, j: number) => {
    for (let l = 0; l < S; l++) {
      const ti = i + DI[l];
      const tj = j + DJ[l];
      arrive[l] = ti > n || tj > m ? NEG : emission(t, x, y, l, ti, tj) + (DI[l] === 0 ? cur : next)[l][tj];
    }
  };
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      arrivals(i, j);
      const endHere = i === n && j === m ? t.end : NEG;
      for (let k = 0; k < S; k++) {
        for (let l = 0; l < S; l++) terms[l] = t.trans[k * S + l] + arrive[l];
        terms[S] = endHere;
        cur[k][j] = logSumExp(terms, S + 1);
      }
    }
    if (onRow) onRow(i, cur);
    [next, cur] = [cur, next];
  }
  // Begin at (0,0): the rows just finished are row 0, now in `next`; Y arrivals read `cur`, so swap back.
  [next, cur] = [cur, next];
  arrivals(0, 0);
  for (let l = 0; l < S; l++) terms[l] = t.begin[l] + arrive[l];
  terms[S] = n === 0 && m === 0 ? t.end : NEG;
  return logSumExp(terms, S + 1);
}

/** log P(x,y) in nats summed over every state path of the five-state model; O(m) memory. */
export function fiveStateForwardScore(params: FiveStateParams, x: Encoded, y: Encoded): number {
  return fiveStateForwardRows(fiveStateLogTables(params, x, y, "fiveStateForwardScore"), x, y);
}

/** log P(x,y) in nats by the backward recursion (equals the forward score); O(m) memory. */
export function fiveStateBackwardScore(params: FiveStateParams, x: Encoded, y: Encoded): number {
  return fiveStateBackwardRows(fiveStateLogTables(params, x, y, "fiveStateBackwardScore"), x, y);
}

/** Match posteriors `[n*m]` (index i*m+j, 0-based residues) and log P(x,y) in nats. */
export type FiveStatePosterior = { posterior: Float64Array; logProb: number };

/**
 * P(x_i ◇ y_j | x, y) = exp(f^M(i,j) + b^M(i,j) − log P(x,y)) `[n*m]` (Do et al. 2005, eq. 2; Durbin
 * §4.4); keeps one `[n*m]` matrix (f^M, overwritten by the posterior in the backward pass). Feed it to
 * `meaAlignment(posterior, n, m)` for the ProbCons MEA alignment.
 */
export function fiveStateMatchPosterior(params: FiveStateParams, x: Encoded, y: Encoded): FiveStatePosterior {
  const t = fiveStateLogTables(params, x, y, "fiveStateMatchPosterior");
  const n = x.length;
  const m = y.length;
  const posterior = new Float64Array(n * m);
  const logProb = fiveStateForwardRows(t, x, y, (i, rows) => {
    if (i > 0) posterior.set(rows[0].subarray(1), (i - 1) * m);
  });
  fiveStateBackwardRows(t, x, y, (i, rows) => {
    if (i === 0) return;
    const off = (i - 1) * m;
    const bM = rows[0];
    for (let j = 0; j < m; j++) posterior[off + j] = Math.exp(posterior[off + j] + bM[j + 1] - logProb);
  });
  return { posterior, logProb };
}
