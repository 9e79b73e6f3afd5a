/**
 * Backward algorithm of the pair HMM (Durbin et al. 1998, §4.4, "the backward algorithm" for pair HMMs)
 * in log space: b^k(i,j) = log P(x_{i+1..n}, y_{j+1..m} | state k at (i,j)); b^M(0,0) = log P(x,y).
 */
import { EMISSION_SIZE, type Encoded } from "./alphabet.js";
import { type LogTables, logTables, type PairHmmParams } from "./model.js";
import { scaledBackwardRows, scaledTables, storeLogRow } from "./scaled.js";

const NEG = Number.NEGATIVE_INFINITY;

/** Full backward matrices, each `[(n+1)*(m+1)]` row-major (index i*(m+1)+j), nats, and log P(x,y). */
export type BackwardMatrices = {
  logM: Float64Array;
  logX: Float64Array;
  logY: Float64Array;
  logProb: number;
};

/**
 * Run the backward recursion from row n down to row 0 in two rows of memory; `onRow(i, M, X, Y)` sees
 * each finished row `[m+1]` (reused buffers). Returns log P(x,y) = b^M(0,0) (Begin behaves as M).
 */
export function backwardRows(
  t: LogTables,
  x: Encoded,
  y: Encoded,
  onRow?: (i: number, M: Float64Array, X: Float64Array, Y: Float64Array) => void,
): number {
  const n = x.length;
  const m = y.length;
  const { mm, mg, gg, gm, match, background } = t;
  let nM = new Float64Array(m + 1);
  let nX = new Float64Array(m + 1);
  let nY = new Float64Array(m + 1);
  let cM = new Float64Array(m + 1);
  let cX = new Float64Array(m + 1);
  let cY = new Float64Array(m + 1);
  const qy = new Float64Array(m);
  for (let j = 0; j < m; j++) qy[j] = background[y[j]];
  // 1. Row n: only Y moves remain; every state ends with τ at (n,m).
  cM[m] = t.end;
  cX[m] = t.end;
  cY[m] = t.end;
  for (let j = m - 1; j >= 0; j--) {
    const yNext = qy[j] + cY[j + 1];
    cM[j] = mg + yNext;
    cX[j] = NEG;
    cY[j] = gg + yNext;
  }
  if (onRow) onRow(n, cM, cX, cY);
  [nM, cM] = [cM, nM];
  [nX, cX] = [cX, nX];
  [nY, cY] = [cY, nY];
  // 2. Rows n-1..0: from (i,j) the next emission is x_{i+1}/y_{j+1} (0-based x[i], y[j]).
  for (let i = n - 1; i >= 0; i--) {
    const row = x[i] * EMISSION_SIZE;
    const qx = background[x[i]];
    {
      const xNext = qx + nX[m];
      cM[m] = mg + xNext;
      cX[m] = gg + xNext;
      cY[m] = NEG;
    }
    for (let j = m - 1; j >= 0; j--) {
      const mNext = match[row + y[j]] + nM[j + 1];
      const xNext = qx + nX[j];
      const yNext = qy[j] + cY[j + 1];
      // M: to M, X or Y
      const a = mm + mNext;
      const b = mg + xNext;
      const c = mg + yNext;
      let mx = a > b ? Math.max(a, c) : Math.max(b, c);
      cM[j] = mx === NEG ? NEG : mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx) + Math.exp(c - mx));
      // X: to M or X
      const d = gm + mNext;
      const e = gg + xNext;
      mx = Math.max(d, e);
      cX[j] = mx === NEG ? NEG : mx + Math.log(Math.exp(d - mx) + Math.exp(e - mx));
      // Y: to M or Y
      const g = gg + yNext;
      mx = Math.max(d, g);
      cY[j] = mx === NEG ? NEG : mx + Math.log(Math.exp(d - mx) + Math.exp(g - mx));
    }
    if (onRow) onRow(i, cM, cX, cY);
    [nM, cM] = [cM, nM];
    [nX, cX] = [cX, nX];
    [nY, cY] = [cY, nY];
  }
  return nM[0];
}

/** log P(x,y) in nats by the backward recursion, in O(m) memory; scaled when safe (as `forwardScore`). */
export function backwardScore(params: PairHmmParams, x: Encoded, y: Encoded): number {
  const t = logTables(params, x, y, "backwardScore");
  const lp = scaledBackwardRows(scaledTables(params, x, y), x, y);
  if (Number.isFinite(lp)) return lp;
  return backwardRows(t, x, y);
}

/** Full backward matrices `[(n+1)*(m+1)]` per state and log P(x,y) (nats); O(nm) memory. */
export function backward(params: PairHmmParams, x: Encoded, y: Encoded): BackwardMatrices {
  const t = logTables(params, x, y, "backward");
  const n = x.length;
  const m = y.length;
  const w = m + 1;
  const size = (n + 1) * w;
  const logM = new Float64Array(size);
  const logX = new Float64Array(size);
  const logY = new Float64Array(size);
  // 1. Scaled probability space; NaN when it lost precision, then exact log space.
  {
    // Σ_{l>j} log q(y_l) and Σ_{k>i} log q(x_k): the background factors of the odds frame.
    const cumY = new Float64Array(w);
    for (let j = m - 1; j >= 0; j--) cumY[j] = cumY[j + 1] + t.background[y[j]];
    let cumX = 0;
    const logProb = scaledBackwardRows(scaledTables(params, x, y), x, y, (i, M, X, Y, scales) => {
      if (i < n) cumX += t.background[x[i]];
      storeLogRow({ logM, logX, logY }, i * w, { M, X, Y }, scales, cumX, cumY);
    });
    if (Number.isFinite(logProb)) return { logM, logX, logY, logProb };
  }
  const logProb = backwardRows(t, x, y, (i, M, X, Y) => {
    logM.set(M, i * w);
    logX.set(X, i * w);
    logY.set(Y, i * w);
  });
  return { logM, logX, logY, logProb };
}
