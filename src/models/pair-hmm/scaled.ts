/**
 * Scaled forward/backward of the pair HMM in probability space (Durbin et al. 1998, §3.6 "Scaling
 * probabilities", as HMMER's forward filter does): emissions as odds p(a,b)/(q(a)q(b)) and 1 for gaps
 * (the background product ∏q(x)∏q(y) is the same for every alignment and added back in log space).
 *
 * Scaling is per block of `BLOCK` columns, not per row: a row's cells can span far more than a double's
 * range (a long gap at the start of x sits at column 0, e^-1000 below the row's diagonal in the odds
 * frame, and can still carry the final probability), but neighbouring cells differ by a bounded factor
 * per column, so each block of a row gets its own log scale, taken from the previous row's block sum.
 * The recursions report loss instead of hiding it: any positive value that falls below `TINY` of its
 * block's frame (or a cross-block factor that underflows) makes them return NaN, and every caller then
 * runs the exact log-space recursion. A finite result is therefore accurate to rounding.
 */
import { EMISSION_SIZE, type Encoded } from "./alphabet.js";
import { extendEmissions } from "./matrices.js";
import type { PairHmmParams } from "./model.js";

/** Values below this in their block's frame count as lost precision (the result becomes NaN). */
const TINY = 1e-290;
/** log2 of the block width. */
export const BLOCK_SHIFT = 5;
/** Columns per scaling block (32). */
export const BLOCK = 1 << BLOCK_SHIFT;

/** Linear transition and odds tables for the scaled recursions. */
export type ScaledTables = {
  mm: number;
  mg: number;
  gg: number;
  gm: number;
  end: number;
  /** P(A,B)/(P(A)P(B)) over the emission codes `[23*23]`. */
  odds: Float64Array;
  /** Σ log P(x_i) + Σ log P(y_j), nats. */
  logBackground: number;
  /** log δ and log ε, for the boundary rows. */
  logMg: number;
  logGg: number;
};

/** Linear tables for already-validated params and sequences. */
export function scaledTables(params: PairHmmParams, x: Encoded, y: Encoded): ScaledTables {
  const { delta, epsilon, tau } = params;
  const { match, background } = extendEmissions(params.match, params.background);
  const E = EMISSION_SIZE;
  const odds = new Float64Array(E * E);
  for (let a = 0; a < E; a++)
    for (let b = 0; b < E; b++) odds[a * E + b] = match[a * E + b] / (background[a] * background[b]);
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
    logMg: Math.log(delta),
    logGg: Math.log(epsilon),
  };
}

/** Number of scaling blocks of a row of `width` cells. */
export function blockCount(width: number): number {
  return (width + BLOCK - 1) >> BLOCK_SHIFT;
}

/**
 * Called with each finished row `i` `[m+1]` per state (reused buffers: copy what you keep) and the log
 * scale of each block `[blockCount(m+1)]` (reused): cell j's value is v · exp(scales[j >> BLOCK_SHIFT]).
 */
export type ScaledRowCallback = (
  i: number,
  M: Float64Array,
  X: Float64Array,
  Y: Float64Array,
  scales: Float64Array,
) => void;

/** Whether a freshly computed value is lost: positive but below `TINY` of its frame. */
function tiny(v: number): boolean {
  return v < TINY && v > 0;
}

/** Whether a cross-block factor exp(d) can carry values without underflow or overflow. */
function badFactor(f: number): boolean {
  return !(f >= TINY && f < Number.POSITIVE_INFINITY);
}

/**
 * Scaled forward rows; in row i the true f^k(i,j) = v · exp(scales[j >> BLOCK_SHIFT] + Σ_{k≤i} log q(x_k)
 * + Σ_{l≤j} log q(y_l)). Returns log P(x,y) in nats, or NaN when precision was lost (module note).
 */
export function scaledForwardRows(
  t: ScaledTables,
  x: Encoded,
  y: Encoded,
  onRow?: ScaledRowCallback,
): number {
  const n = x.length;
  const m = y.length;
  const w = m + 1;
  const nb = blockCount(w);
  const { mm, mg, gg, gm, odds } = t;
  let pM = new Float64Array(w);
  let pX = new Float64Array(w);
  let pY = new Float64Array(w);
  let cM = new Float64Array(w);
  let cX = new Float64Array(w);
  let cY = new Float64Array(w);
  let pScale = new Float64Array(nb);
  let cScale = new Float64Array(nb);
  let pSum = new Float64Array(nb);
  let cSum = new Float64Array(nb);
  // 1. Row 0: Begin (= M at (0,0)), then only Y: f^Y(0,j) = δ ε^(j−1) in the odds frame, each block
  //    scaled by its first cell.
  pM[0] = 1;
  pSum[0] = 1;
  for (let b = 0; b < nb; b++) {
    const lo = b << BLOCK_SHIFT;
    const hi = Math.min(lo + BLOCK, w);
    const scale = b === 0 ? 0 : t.logMg + (lo - 1) * t.logGg;
    pScale[b] = scale;
    for (let j = Math.max(lo, 1); j < hi; j++) {
      const v = Math.exp(t.logMg + (j - 1) * t.logGg - scale);
      if (tiny(v)) return Number.NaN;
      pY[j] = v;
      pSum[b] += v;
    }
  }
  if (onRow) onRow(0, pM, pX, pY, pScale);
  // 2. Rows 1..n; block b of row i is in the frame of block b of row i−1 divided by its sum.
  for (let i = 1; i <= n; i++) {
    const row = x[i - 1] * EMISSION_SIZE;
    let lost = false;
    let prevM = 0;
    let prevY = 0;
    for (let b = 0; b < nb; b++) {
      const lo = b << BLOCK_SHIFT;
      const hi = Math.min(lo + BLOCK, w);
      const s = pSum[b];
      if (!(s > 0 && s < Number.POSITIVE_INFINITY)) return Number.NaN;
      const scale = pScale[b] + Math.log(s);
      cScale[b] = scale;
      const inv = 1 / s;
      const mmI = mm * inv;
      const gmI = gm * inv;
      const mgI = mg * inv;
      const ggI = gg * inv;
      let sum = 0;
      let j = lo;
      if (b === 0) {
        const vx = mgI * pM[0] + ggI * pX[0];
        lost ||= tiny(vx);
        cM[0] = 0;
        cX[0] = vx;
        cY[0] = 0;
        sum = vx;
        j = 1;
      } else {
        // Column lo: its diagonal and left neighbours live in block b−1's frames.
        const fp = Math.exp(pScale[b - 1] - scale);
        const fc = Math.exp(cScale[b - 1] - scale);
        lost ||= badFactor(fp) || badFactor(fc);
        const vm = odds[row + y[lo - 1]] * (mm * pM[lo - 1] + gm * (pX[lo - 1] + pY[lo - 1])) * fp;
        const vx = mgI * pM[lo] + ggI * pX[lo];
        const vy = (mg * prevM + gg * prevY) * fc;
        lost ||= tiny(vm) || tiny(vx) || tiny(vy);
        cM[lo] = vm;
        cX[lo] = vx;
        cY[lo] = vy;
        prevM = vm;
        prevY = vy;
        sum = vm + vx + vy;
        j = lo + 1;
      }
      for (; j < hi; j++) {
        let vm = odds[row + y[j - 1]] * (mmI * pM[j - 1] + gmI * (pX[j - 1] + pY[j - 1]));
        let vx = mgI * pM[j] + ggI * pX[j];
        let vy = mg * prevM + gg * prevY;
        if (vm < TINY) {
          lost ||= vm > 0;
          vm = 0;
        }
        if (vx < TINY) {
          lost ||= vx > 0;
          vx = 0;
        }
        if (vy < TINY) {
          lost ||= vy > 0;
          vy = 0;
        }
        cM[j] = vm;
        cX[j] = vx;
        cY[j] = vy;
        prevM = vm;
        prevY = vy;
        sum += vm + vx + vy;
      }
      cSum[b] = sum;
    }
    if (lost) return Number.NaN;
    if (onRow) onRow(i, cM, cX, cY, cScale);
    [pM, cM] = [cM, pM];
    [pX, cX] = [cX, pX];
    [pY, cY] = [cY, pY];
    [pScale, cScale] = [cScale, pScale];
    [pSum, cSum] = [cSum, pSum];
  }
  // 3. Termination at (n, m), in the last block's frame.
  return Math.log(t.end * (pM[m] + pX[m] + pY[m])) + pScale[nb - 1] + t.logBackground;
}

/**
 * Scaled backward rows from n down to 0; in row i the true b^k(i,j) = v · exp(scales[j >> BLOCK_SHIFT]
 * + Σ_{k>i} log q(x_k) + Σ_{l>j} log q(y_l)). Returns log P(x,y) = b^M(0,0) in nats, or NaN when
 * precision was lost (module note).
 */
export function scaledBackwardRows(
  t: ScaledTables,
  x: Encoded,
  y: Encoded,
  onRow?: ScaledRowCallback,
): number {
  const n = x.length;
  const m = y.length;
  const w = m + 1;
  const nb = blockCount(w);
  const { mm, mg, gg, gm, odds } = t;
  let nM = new Float64Array(w);
  let nX = new Float64Array(w);
  let nY = new Float64Array(w);
  let cM = new Float64Array(w);
  let cX = new Float64Array(w);
  let cY = new Float64Array(w);
  let nScale = new Float64Array(nb);
  let cScale = new Float64Array(nb);
  let nSum = new Float64Array(nb);
  let cSum = new Float64Array(nb);
  // 1. Row n: only Y moves remain, b^Y(n,j) = ε^(m−j) τ and b^M(n,j) = δ ε^(m−j−1) τ (b^k(n,m) = τ),
  //    each block scaled by its last cell's b^Y.
  const logEnd = Math.log(t.end);
  for (let b = 0; b < nb; b++) {
    const lo = b << BLOCK_SHIFT;
    const hi = Math.min(lo + BLOCK, w);
    const scale = logEnd + (m - (hi - 1)) * t.logGg;
    nScale[b] = scale;
    let sum = 0;
    for (let j = lo; j < hi; j++) {
      const vy = Math.exp(logEnd + (m - j) * t.logGg - scale);
      const vm = j === m ? vy : Math.exp(t.logMg + logEnd + (m - j - 1) * t.logGg - scale);
      if (tiny(vm) || tiny(vy)) return Number.NaN;
      nM[j] = vm;
      nX[j] = j === m ? vy : 0;
      nY[j] = vy;
      sum += vm + nX[j] + vy;
    }
    nSum[b] = sum;
  }
  if (onRow) onRow(n, nM, nX, nY, nScale);
  // 2. Rows n−1..0; block b of row i is in the frame of block b of row i+1 divided by its sum.
  for (let i = n - 1; i >= 0; i--) {
    const row = x[i] * EMISSION_SIZE;
    let lost = false;
    let nextY = 0;
    for (let b = nb - 1; b >= 0; b--) {
      const lo = b << BLOCK_SHIFT;
      const hi = Math.min(lo + BLOCK, w);
      const s = nSum[b];
      if (!(s > 0 && s < Number.POSITIVE_INFINITY)) return Number.NaN;
      const scale = nScale[b] + Math.log(s);
      cScale[b] = scale;
      const inv = 1 / s;
      const mmI = mm * inv;
      const gmI = gm * inv;
      const mgI = mg * inv;
      const ggI = gg * inv;
      let sum: number;
      let j = hi - 1;
      if (b === nb - 1) {
        // Column m: only X moves (down the last column) remain.
        const xNext = nX[m];
        const vm = mgI * xNext;
        const vx = ggI * xNext;
        lost ||= tiny(vm) || tiny(vx);
        cM[m] = vm;
        cX[m] = vx;
        cY[m] = 0;
        nextY = 0;
        sum = vm + vx;
      } else {
        // Column hi−1: its diagonal and right neighbours live in block b+1's frames.
        const fn = Math.exp(nScale[b + 1] - scale);
        const fc = Math.exp(cScale[b + 1] - scale);
        lost ||= badFactor(fn) || badFactor(fc);
        const em = odds[row + y[j]] * nM[j + 1] * fn;
        const xNext = nX[j];
        const ny = nextY * fc;
        const vm = mm * em + mgI * xNext + mg * ny;
        const dm = gm * em;
        const vx = dm + ggI * xNext;
        const vy = dm + gg * ny;
        lost ||= tiny(vm) || tiny(vx) || tiny(vy);
        cM[j] = vm;
        cX[j] = vx;
        cY[j] = vy;
        nextY = vy;
        sum = vm + vx + vy;
      }
      for (j--; j >= lo; j--) {
        const em = odds[row + y[j]] * nM[j + 1];
        const xNext = nX[j];
        let vm = mmI * em + mgI * xNext + mg * nextY;
        const dm = gmI * em;
        let vx = dm + ggI * xNext;
        let vy = dm + gg * nextY;
        if (vm < TINY) {
          lost ||= vm > 0;
          vm = 0;
        }
        if (vx < TINY) {
          lost ||= vx > 0;
          vx = 0;
        }
        if (vy < TINY) {
          lost ||= vy > 0;
          vy = 0;
        }
        cM[j] = vm;
        cX[j] = vx;
        cY[j] = vy;
        nextY = vy;
        sum += vm + vx + vy;
      }
      cSum[b] = sum;
    }
    if (lost) return Number.NaN;
    if (onRow) onRow(i, cM, cX, cY, cScale);
    [nM, cM] = [cM, nM];
    [nX, cX] = [cX, nX];
    [nY, cY] = [cY, nY];
    [nScale, cScale] = [cScale, nScale];
    [nSum, cSum] = [cSum, nSum];
  }
  return Math.log(nM[0]) + nScale[0] + t.logBackground;
}

/**
 * Write a scaled row `[m+1]` per state into full log matrices at offset `off`: cell j becomes
 * log v + scales[j >> BLOCK_SHIFT] + `rowBackground` + `colBackground[j]` (the odds frame's background
 * factors, prefix sums for forward rows, suffix sums for backward rows).
 */
export function storeLogRow(
  out: { logM: Float64Array; logX: Float64Array; logY: Float64Array },
  off: number,
  rows: { M: Float64Array; X: Float64Array; Y: Float64Array },
  scales: Float64Array,
  rowBackground: number,
  colBackground: Float64Array,
): void {
  const { M, X, Y } = rows;
  for (let j = 0; j < colBackground.length; j++) {
    const c = scales[j >> BLOCK_SHIFT] + rowBackground + colBackground[j];
    out.logM[off + j] = Math.log(M[j]) + c;
    out.logX[off + j] = Math.log(X[j]) + c;
    out.logY[off + j] = Math.log(Y[j]) + c;
  }
}
