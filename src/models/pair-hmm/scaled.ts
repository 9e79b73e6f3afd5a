/**
 * Scaled forward/backward of the pair HMM in probability space (Durbin et al. 1998, §3.6 "Scaling
 * probabilities", as HMMER's forward filter does): emissions as odds p(a,b)/(q(a)q(b)) and 1 for gaps
 * (the background product ∏q(x)∏q(y) is the same for every alignment and added back in log space), and
 * each row divided by the previous row's sum; log P accumulates the logs of the row sums. Cells below
 * 1e-290 of their row's frame are flushed to 0 (they carry < e^-650 relative weight).
 */
import type { Encoded } from "./alphabet.js";
import type { PairHmmParams } from "./model.js";

const TINY = 1e-290;

/** Linear transition and odds tables for the scaled recursions. */
export type ScaledTables = {
  mm: number;
  mg: number;
  gg: number;
  gm: number;
  end: number;
  /** p(a,b)/(q(a)q(b)) `[20*20]`. */
  odds: Float64Array;
  /** Σ log q(x_i) + Σ log q(y_j), nats. */
  logBackground: number;
};

/**
 * Whether the scaled recursions are safe: with lengths differing by k, the cells that matter may sit
 * ~k columns from a row's peak, a factor ε^k smaller; beyond ~e^-350 use the exact log-space code.
 */
export function scaledSafe(params: PairHmmParams, n: number, m: number): boolean {
  return Math.abs(n - m) * -Math.log(params.epsilon) - Math.log(params.delta) < 350;
}

/** Linear tables for already-validated params and sequences. */
export function scaledTables(params: PairHmmParams, x: Encoded, y: Encoded): ScaledTables {
  const { delta, epsilon, tau, match, background } = params;
  const odds = new Float64Array(400);
  for (let a = 0; a < 20; a++)
    for (let b = 0; b < 20; b++) odds[a * 20 + b] = match[a * 20 + b] / (background[a] * background[b]);
  let logBackground = 0;
  for (let i = 0; i < x.length; i++) logBackground += Math.log(background[x[i]]);
  for (let j = 0; j < y.length; j++) logBackground += Math.log(background[y[j]]);
  return {
    mm: 1 - 2 * delta - tau,
    mg: delta,
    gg: epsilon,
    gm: 1 - epsilon - tau,
    end: tau,
    odds,
    logBackground,
  };
}

/**
 * Scaled forward rows; `onRow(i, M, X, Y, logScale)` sees row i `[m+1]` (reused buffers) in odds
 * frame, where the true f^k(i,j) = v · exp(logScale + Σ_{k≤i} log q(x_k) + Σ_{l≤j} log q(y_l)).
 * Returns log P(x,y) in nats.
 */
export function scaledForwardRows(
  t: ScaledTables,
  x: Encoded,
  y: Encoded,
  onRow?: (i: number, M: Float64Array, X: Float64Array, Y: Float64Array, logScale: number) => void,
): number {
  const n = x.length;
  const m = y.length;
  const { mm, mg, gg, gm, odds } = t;
  let pM = new Float64Array(m + 1);
  let pX = new Float64Array(m + 1);
  let pY = new Float64Array(m + 1);
  let cM = new Float64Array(m + 1);
  let cX = new Float64Array(m + 1);
  let cY = new Float64Array(m + 1);
  // 1. Row 0: Begin (= M at (0,0)), then only Y.
  pM[0] = 1;
  let sum = 1;
  for (let j = 1; j <= m; j++) {
    let v = mg * pM[j - 1] + gg * pY[j - 1];
    if (v < TINY) v = 0;
    pY[j] = v;
    sum += v;
  }
  let logScale = 0;
  if (onRow) onRow(0, pM, pX, pY, 0);
  // 2. Rows 1..n, each in the frame of the previous row divided by its sum.
  for (let i = 1; i <= n; i++) {
    const inv = 1 / sum;
    logScale += Math.log(sum);
    const row = x[i - 1] * 20;
    const mmI = mm * inv;
    const gmI = gm * inv;
    const mgI = mg * inv;
    const ggI = gg * inv;
    cM[0] = 0;
    cY[0] = 0;
    let x0 = mgI * pM[0] + ggI * pX[0];
    if (x0 < TINY) x0 = 0;
    cX[0] = x0;
    sum = x0;
    let prevM = 0;
    let prevY = 0;
    for (let j = 1; j <= m; j++) {
      let vm = odds[row + y[j - 1]] * (mmI * pM[j - 1] + gmI * (pX[j - 1] + pY[j - 1]));
      if (vm < TINY) vm = 0;
      let vx = mgI * pM[j] + ggI * pX[j];
      if (vx < TINY) vx = 0;
      let vy = mg * prevM + gg * prevY;
      if (vy < TINY) vy = 0;
      cM[j] = vm;
      cX[j] = vx;
      cY[j] = vy;
      prevM = vm;
      prevY = vy;
      sum += vm + vx + vy;
    }
    if (onRow) onRow(i, cM, cX, cY, logScale);
    [pM, cM] = [cM, pM];
    [pX, cX] = [cX, pX];
    [pY, cY] = [cY, pY];
  }
  // 3. Termination.
  return Math.log(t.end * (pM[m] + pX[m] + pY[m])) + logScale + t.logBackground;
}

/**
 * Scaled backward rows from n down to 0; `onRow(i, M, X, Y, logScale)` sees row i `[m+1]` (reused
 * buffers), where b^k(i,j) = v · exp(logScale + Σ_{k>i} log q(x_k) + Σ_{l>j} log q(y_l)).
 * Returns log P(x,y) = b^M(0,0) in nats.
 */
export function scaledBackwardRows(
  t: ScaledTables,
  x: Encoded,
  y: Encoded,
  onRow?: (i: number, M: Float64Array, X: Float64Array, Y: Float64Array, logScale: number) => void,
): number {
  const n = x.length;
  const m = y.length;
  const { mm, mg, gg, gm, odds } = t;
  let nM = new Float64Array(m + 1);
  let nX = new Float64Array(m + 1);
  let nY = new Float64Array(m + 1);
  let cM = new Float64Array(m + 1);
  let cX = new Float64Array(m + 1);
  let cY = new Float64Array(m + 1);
  // 1. Row n: only Y moves remain; every state ends with τ at (n,m).
  cM[m] = t.end;
  cX[m] = t.end;
  cY[m] = t.end;
  let sum = 3 * t.end;
  for (let j = m - 1; j >= 0; j--) {
    const yNext = cY[j + 1];
    let vm = mg * yNext;
    if (vm < TINY) vm = 0;
    let vy = gg * yNext;
    if (vy < TINY) vy = 0;
    cM[j] = vm;
    cX[j] = 0;
    cY[j] = vy;
    sum += vm + vy;
  }
  let logScale = 0;
  if (onRow) onRow(n, cM, cX, cY, 0);
  [nM, cM] = [cM, nM];
  [nX, cX] = [cX, nX];
  [nY, cY] = [cY, nY];
  // 2. Rows n-1..0 in the frame of the next row divided by its sum.
  for (let i = n - 1; i >= 0; i--) {
    const inv = 1 / sum;
    logScale += Math.log(sum);
    const row = x[i] * 20;
    const mmI = mm * inv;
    const gmI = gm * inv;
    const mgI = mg * inv;
    const ggI = gg * inv;
    {
      const xNext = nX[m];
      let vm = mgI * xNext;
      if (vm < TINY) vm = 0;
      let vx = ggI * xNext;
      if (vx < TINY) vx = 0;
      cM[m] = vm;
      cX[m] = vx;
      cY[m] = 0;
      sum = vm + vx;
    }
    let nextY = 0;
    for (let j = m - 1; j >= 0; j--) {
      const em = odds[row + y[j]] * nM[j + 1];
      const xNext = nX[j];
      let vm = mmI * em + mgI * xNext + mg * nextY;
      if (vm < TINY) vm = 0;
      const dm = gmI * em;
      let vx = dm + ggI * xNext;
      if (vx < TINY) vx = 0;
      let vy = dm + gg * nextY;
      if (vy < TINY) vy = 0;
      cM[j] = vm;
      cX[j] = vx;
      cY[j] = vy;
      nextY = vy;
      sum += vm + vx + vy;
    }
    if (onRow) onRow(i, cM, cX, cY, logScale);
    [nM, cM] = [cM, nM];
    [nX, cX] = [cX, nX];
    [nY, cY] = [cY, nY];
  }
  return Math.log(nM[0]) + logScale + t.logBackground;
}
