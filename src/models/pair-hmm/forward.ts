/**
 * Forward algorithm of the pair HMM (Durbin et al. 1998, §4.2, "Forward calculation for pair HMMs") in
 * log space: f^k(i,j) = log P(x_1..i, y_1..j, state k at (i,j)), log P(x,y) summed over every alignment.
 * Two paths compute it: probability space with per-block scaling (`scaled.ts`: no exp/log in the
 * inner loop, ~20× faster), which reports any loss of precision, and exact log space (log-sum-exp, no
 * table approximation), run whenever the scaled path reports a loss.
 */
import { EMISSION_SIZE, type Encoded } from "./alphabet.js";
import { type LogTables, logTables, type PairHmmParams } from "./model.js";
import { scaledForwardRows, scaledTables, storeLogRow } from "./scaled.js";

const NEG = Number.NEGATIVE_INFINITY;

/** Full forward matrices, each `[(n+1)*(m+1)]` row-major (index i*(m+1)+j), nats, and log P(x,y). */
export type ForwardMatrices = {
  logM: Float64Array;
  logX: Float64Array;
  logY: Float64Array;
  logProb: number;
};

/**
 * Run the forward recursion row by row in two rows of memory; `onRow(i, M, X, Y)` sees each finished
 * row `[m+1]` (reused buffers: copy what you keep). Returns log P(x,y) in nats.
 */
export function forwardRows(
  t: LogTables,
  x: Encoded,
  y: Encoded,
  onRow?: (i: number, M: Float64Array, X: Float64Array, Y: Float64Array) => void,
): number {
  const n = x.length;
  const m = y.length;
  const { mm, mg, gg, gm, match, background } = t;
  let pM = new Float64Array(m + 1).fill(NEG);
  let pX = new Float64Array(m + 1).fill(NEG);
  let pY = new Float64Array(m + 1).fill(NEG);
  let cM = new Float64Array(m + 1);
  let cX = new Float64Array(m + 1);
  let cY = new Float64Array(m + 1);
  const qy = new Float64Array(m);
  for (let j = 0; j < m; j++) qy[j] = background[y[j]];
  // 1. Row 0: Begin (= M at (0,0)), then only Y can be reached.
  pM[0] = 0;
  for (let j = 1; j <= m; j++) {
    const a = mg + pM[j - 1];
    const b = gg + pY[j - 1];
    pY[j] = qy[j - 1] + (a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b)));
  }
  if (onRow) onRow(0, pM, pX, pY);
  // 2. Rows 1..n (eq. of Durbin §4.2: M from the diagonal, X from above, Y from the left).
  for (let i = 1; i <= n; i++) {
    const row = x[i - 1] * EMISSION_SIZE;
    const qx = background[x[i - 1]];
    cM[0] = NEG;
    cY[0] = NEG;
    {
      const a = mg + pM[0];
      const b = gg + pX[0];
      const mx = Math.max(a, b);
      cX[0] = mx === NEG ? NEG : qx + mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx));
    }
    for (let j = 1; j <= m; j++) {
      // M
      const a = mm + pM[j - 1];
      const b = gm + pX[j - 1];
      const c = gm + pY[j - 1];
      let mx = a > b ? Math.max(a, c) : Math.max(b, c);
      cM[j] =
        mx === NEG
          ? NEG
          : match[row + y[j - 1]] + mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx) + Math.exp(c - mx));
      // X
      const d = mg + pM[j];
      const e = gg + pX[j];
      mx = Math.max(d, e);
      cX[j] = mx === NEG ? NEG : qx + mx + Math.log(Math.exp(d - mx) + Math.exp(e - mx));
      // Y
      const f = mg + cM[j - 1];
      const g = gg + cY[j - 1];
      mx = Math.max(f, g);
      cY[j] = mx === NEG ? NEG : qy[j - 1] + mx + Math.log(Math.exp(f - mx) + Math.exp(g - mx));
    }
    if (onRow) onRow(i, cM, cX, cY);
    [pM, cM] = [cM, pM];
    [pX, cX] = [cX, pX];
    [pY, cY] = [cY, pY];
  }
  // 3. Termination: every state → End with τ.
  const a = pM[m];
  const b = pX[m];
  const c = pY[m];
  const mx = a > b ? Math.max(a, c) : Math.max(b, c);
  if (mx === NEG) return NEG;
  return t.end + mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx) + Math.exp(c - mx));
}

/**
 * log P(x,y) in nats summed over all alignments, in O(m) memory (Durbin §4.2); scaled probability
 * space (`scaled.ts`), or exact log space when that reports lost precision.
 */
export function forwardScore(params: PairHmmParams, x: Encoded, y: Encoded): number {
  const t = logTables(params, x, y, "forwardScore");
  const lp = scaledForwardRows(scaledTables(params, x, y), x, y);
  if (Number.isFinite(lp)) return lp;
  return forwardRows(t, x, y);
}

/** Full forward matrices `[(n+1)*(m+1)]` per state and log P(x,y) (nats); O(nm) memory. */
export function forward(params: PairHmmParams, x: Encoded, y: Encoded): ForwardMatrices {
  const t = logTables(params, x, y, "forward");
  const w = y.length + 1;
  const size = (x.length + 1) * w;
  const logM = new Float64Array(size);
  const logX = new Float64Array(size);
  const logY = new Float64Array(size);
  // 1. Scaled probability space; NaN when it lost precision, then exact log space.
  {
    // Σ_{l≤j} log q(y_l) and Σ_{k≤i} log q(x_k): the background factors of the odds frame.
    const cumY = new Float64Array(w);
    for (let j = 1; j < w; j++) cumY[j] = cumY[j - 1] + t.background[y[j - 1]];
    let cumX = 0;
    const logProb = scaledForwardRows(scaledTables(params, x, y), x, y, (i, M, X, Y, scales) => {
      if (i > 0) cumX += t.background[x[i - 1]];
      storeLogRow({ logM, logX, logY }, i * w, { M, X, Y }, scales, cumX, cumY);
    });
    if (Number.isFinite(logProb)) return { logM, logX, logY, logProb };
  }
  const logProb = forwardRows(t, x, y, (i, M, X, Y) => {
    logM.set(M, i * w);
    logX.set(X, i * w);
    logY.set(Y, i * w);
  });
  return { logM, logX, logY, logProb };
}
