/**
 * Training the pair HMM from unaligned pairs (Durbin et al. 1998, §3.3 Baum–Welch and Viterbi
 * training, applied to the pair HMM of §4.2). The E-step takes expected transition counts
 * A_kl = Σ f^k(i,j) a_kl e_l b^l(i',j') / P(x,y) from the forward and backward matrices (or counts
 * along the Viterbi path); the M-step for the tied parameters is exact:
 *   τ = A_End / (A_End + A_MM + A_MG + A_GM + A_GG),
 *   δ = (1−τ) A_MG / (2 (A_MM + A_MG)),  ε = (1−τ) A_GG / (A_GG + A_GM),
 * where A_MG counts M→X and M→Y, A_GG counts X→X and Y→Y, A_GM counts X→M and Y→M, and A_End counts
 * every state → End. Emissions (optional): symmetrised expected pair counts for p(a,b) and the
 * gap-state residue counts for q(a); a count of an ambiguity code (B, Z, X) is shared among its members
 * in proportion to their current probabilities, which is the E-step for the hidden member.
 */
import { ValueError } from "../../errors.js";
import { ALPHABET_SIZE, CODE_MEMBERS, EMISSION_SIZE, type Encoded } from "./alphabet.js";
import { backwardRows } from "./backward.js";
import { forwardRows } from "./forward.js";
import { logTables, type PairHmmParams, validateParams } from "./model.js";
import { BLOCK_SHIFT, blockCount, scaledBackwardRows, scaledForwardRows, scaledTables } from "./scaled.js";
import { viterbi } from "./viterbi.js";

/** Options for {@link trainPairHmm}. */
export type TrainOptions = {
  /** "baum-welch" (EM, default) or "viterbi" (hard counts along the best alignment). */
  method?: "baum-welch" | "viterbi";
  /** Maximum number of M-steps (default 50). */
  iterations?: number;
  /** Stop when the objective improves by less than this many nats (default 1e-6). */
  tolerance?: number;
  /** Also re-estimate p(a,b) (symmetrised) and q(a) (default false). */
  emissions?: boolean;
  /** Pseudocount added to every emission count (default 0.01; 0 gives the plain MLE). */
  pseudocount?: number;
};

/** Trained params and the objective (nats, summed over pairs) at each iteration's parameters. */
export type TrainResult = { params: PairHmmParams; logLikelihood: number[] };

/** Expected (or Viterbi) sufficient statistics of a set of pairs. */
type Counts = {
  mm: number;
  mg: number;
  gm: number;
  gg: number;
  end: number;
  match: Float64Array;
  background: Float64Array;
  objective: number;
};

function emptyCounts(): Counts {
  return {
    mm: 0,
    mg: 0,
    gm: 0,
    gg: 0,
    end: 0,
    match: new Float64Array(EMISSION_SIZE * EMISSION_SIZE),
    background: new Float64Array(EMISSION_SIZE),
    objective: 0,
  };
}

/**
 * Add the expected counts of one pair under `params` (forward/backward, Durbin eq. 3.20 for pairs):
 * in the scaled probability frame of `scaled.ts` when it keeps full precision, else in log space.
 */
function addExpected(c: Counts, params: PairHmmParams, x: Encoded, y: Encoded): void {
  logTables(params, x, y, "trainPairHmm"); // validates
  if (!addExpectedScaled(c, params, x, y)) addExpectedLog(c, params, x, y);
}

/**
 * The E-step in the scaled frame: each expected transition count is f̂ · a · odds · b̂ times
 * exp(block scales − log P̃) (the background factors of f and b multiply to ∏q(x)∏q(y) and cancel).
 * Returns false, adding nothing, when the scaled recursions report lost precision or disagree.
 */
function addExpectedScaled(c: Counts, params: PairHmmParams, x: Encoded, y: Encoded): boolean {
  const s = scaledTables(params, x, y);
  const n = x.length;
  const m = y.length;
  const w = m + 1;
  const nb = blockCount(w);
  const E = EMISSION_SIZE;
  const fM = new Float64Array((n + 1) * w);
  const fX = new Float64Array((n + 1) * w);
  const fY = new Float64Array((n + 1) * w);
  const fs = new Float64Array((n + 1) * nb);
  const logP = scaledForwardRows(s, x, y, (i, M, X, Y, scales) => {
    fM.set(M, i * w);
    fX.set(X, i * w);
    fY.set(Y, i * w);
    fs.set(scales, i * nb);
  });
  if (!Number.isFinite(logP)) return false;
  const logOdds = logP - s.logBackground;
  const { mm, mg, gg, gm, odds } = s;
  const local = { mm: 0, mg: 0, gm: 0, gg: 0 };
  const match = new Float64Array(E * E);
  const background = new Float64Array(E);
  // exp(scale of the source block + scale of the target block − log P̃), per target block b:
  const up = new Float64Array(nb); // source (i−1, same block)
  const upLeft = new Float64Array(nb); // source (i−1, block b−1)
  const left = new Float64Array(nb); // source (i, block b−1); (i, same block) is `same`
  const same = new Float64Array(nb);
  const logPBack = scaledBackwardRows(s, x, y, (i, M, X, Y, scales) => {
    for (let b = 0; b < nb; b++) {
      const sb = scales[b] - logOdds;
      same[b] = Math.exp(fs[i * nb + b] + sb);
      left[b] = b > 0 ? Math.exp(fs[i * nb + b - 1] + sb) : 0;
      if (i > 0) {
        up[b] = Math.exp(fs[(i - 1) * nb + b] + sb);
        upLeft[b] = b > 0 ? Math.exp(fs[(i - 1) * nb + b - 1] + sb) : 0;
      }
    }
    const kc = i * w;
    const kp = (i - 1) * w;
    const row = i > 0 ? x[i - 1] * E : 0;
    for (let j = 0; j <= m; j++) {
      const b = j >> BLOCK_SHIFT;
      const fromLeftBlock = j > 0 && (j - 1) >> BLOCK_SHIFT !== b;
      if (i > 0) {
        if (j > 0) {
          // M move (i−1, j−1) → (i, j), emitting (x_i, y_j)
          const pair = row + y[j - 1];
          const to = odds[pair] * M[j] * (fromLeftBlock ? upLeft[b] : up[b]);
          const fromM = fM[kp + j - 1] * mm * to;
          const fromG = (fX[kp + j - 1] + fY[kp + j - 1]) * gm * to;
          local.mm += fromM;
          local.gm += fromG;
          match[pair] += fromM + fromG;
        }
        // X move (i−1, j) → (i, j), emitting x_i
        const to = X[j] * up[b];
        const fromM = fM[kp + j] * mg * to;
        const fromX = fX[kp + j] * gg * to;
        local.mg += fromM;
        local.gg += fromX;
        background[x[i - 1]] += fromM + fromX;
      }
      if (j > 0) {
        // Y move (i, j−1) → (i, j), emitting y_j
        const to = Y[j] * (fromLeftBlock ? left[b] : same[b]);
        const fromM = fM[kc + j - 1] * mg * to;
        const fromY = fY[kc + j - 1] * gg * to;
        local.mg += fromM;
        local.gg += fromY;
        background[y[j - 1]] += fromM + fromY;
      }
    }
  });
  const agree = Math.abs(logPBack - logP) <= 1e-9 * Math.max(1, Math.abs(logP));
  const finite = [local.mm, local.mg, local.gm, local.gg].every(Number.isFinite);
  if (!agree || !finite) return false;
  c.mm += local.mm;
  c.mg += local.mg;
  c.gm += local.gm;
  c.gg += local.gg;
  for (let k = 0; k < match.length; k++) c.match[k] += match[k];
  for (let k = 0; k < background.length; k++) c.background[k] += background[k];
  c.objective += logP;
  c.end += 1;
  return true;
}

/** The E-step in exact log space (the fallback of `addExpected`). */
function addExpectedLog(c: Counts, params: PairHmmParams, x: Encoded, y: Encoded): void {
  const t = logTables(params, x, y, "trainPairHmm");
  const n = x.length;
  const m = y.length;
  const w = m + 1;
  const size = (n + 1) * w;
  const fM = new Float64Array(size);
  const fX = new Float64Array(size);
  const fY = new Float64Array(size);
  const bM = new Float64Array(size);
  const bX = new Float64Array(size);
  const bY = new Float64Array(size);
  const logP = forwardRows(t, x, y, (i, M, X, Y) => {
    fM.set(M, i * w);
    fX.set(X, i * w);
    fY.set(Y, i * w);
  });
  backwardRows(t, x, y, (i, M, X, Y) => {
    bM.set(M, i * w);
    bX.set(X, i * w);
    bY.set(Y, i * w);
  });
  c.objective += logP;
  const { mm, mg, gg, gm, match, background } = t;
  const ex = Math.exp;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      const k = i * w + j;
      const fm = fM[k] - logP;
      const fx = fX[k] - logP;
      const fy = fY[k] - logP;
      if (i < n && j < m) {
        // into M at (i+1, j+1), emitting (x_{i+1}, y_{j+1})
        const pair = x[i] * EMISSION_SIZE + y[j];
        const to = match[pair] + bM[k + w + 1];
        const fromM = ex(fm + mm + to);
        const fromG = ex(fx + gm + to) + ex(fy + gm + to);
        c.mm += fromM;
        c.gm += fromG;
        c.match[pair] += fromM + fromG;
      }
      if (i < n) {
        // into X at (i+1, j), emitting x_{i+1}
        const to = background[x[i]] + bX[k + w];
        const fromM = ex(fm + mg + to);
        const fromX = ex(fx + gg + to);
        c.mg += fromM;
        c.gg += fromX;
        c.background[x[i]] += fromM + fromX;
      }
      if (j < m) {
        // into Y at (i, j+1), emitting y_{j+1}
        const to = background[y[j]] + bY[k + 1];
        const fromM = ex(fm + mg + to);
        const fromY = ex(fy + gg + to);
        c.mg += fromM;
        c.gg += fromY;
        c.background[y[j]] += fromM + fromY;
      }
    }
  }
  c.end += 1;
}

/** Add the counts along the Viterbi alignment of one pair (Viterbi training). */
function addViterbi(c: Counts, params: PairHmmParams, x: Encoded, y: Encoded): void {
  const { columns, logProb } = viterbi(params, x, y);
  c.objective += logProb;
  let prev = 0; // Begin behaves as M
  for (const [i, j] of columns) {
    const s = i >= 0 && j >= 0 ? 0 : i >= 0 ? 1 : 2;
    if (prev === 0) {
      if (s === 0) c.mm++;
      else c.mg++;
    } else if (s === 0) c.gm++;
    else c.gg++;
    if (s === 0) c.match[x[i] * EMISSION_SIZE + y[j]]++;
    else if (s === 1) c.background[x[i]]++;
    else c.background[y[j]]++;
    prev = s;
  }
  c.end += 1;
}

/**
 * Expected counts of the 20 amino acids from counts over the emission codes: a count of code A (and
 * pair A, B) goes to its members a (pairs a, b) in proportion to q(a) (p(a,b)) under `old`.
 */
function memberCounts(c: Counts, old: PairHmmParams): { match: Float64Array; background: Float64Array } {
  const K = ALPHABET_SIZE;
  const E = EMISSION_SIZE;
  const match = new Float64Array(K * K);
  const background = new Float64Array(K);
  for (let A = 0; A < E; A++) {
    const ma = CODE_MEMBERS[A];
    const cb = c.background[A];
    if (cb > 0) {
      let z = 0;
      for (const a of ma) z += old.background[a];
      for (const a of ma) background[a] += z > 0 ? (cb * old.background[a]) / z : cb / ma.length;
    }
    for (let B = 0; B < E; B++) {
      const cm = c.match[A * E + B];
      if (!(cm > 0)) continue;
      const mb = CODE_MEMBERS[B];
      let z = 0;
      for (const a of ma) for (const b of mb) z += old.match[a * K + b];
      for (const a of ma)
        for (const b of mb)
          match[a * K + b] += z > 0 ? (cm * old.match[a * K + b]) / z : cm / (ma.length * mb.length);
    }
  }
  return { match, background };
}

/** The exact M-step for the tied transitions, and optionally the emissions. */
function maximise(c: Counts, old: PairHmmParams, emissions: boolean, pseudocount: number): PairHmmParams {
  const tau = c.end / (c.end + c.mm + c.mg + c.gm + c.gg);
  const delta = c.mg > 0 ? ((1 - tau) * c.mg) / (2 * (c.mm + c.mg)) : old.delta;
  const epsilon = c.gg > 0 && c.gg + c.gm > 0 ? ((1 - tau) * c.gg) / (c.gg + c.gm) : old.epsilon;
  let match = old.match;
  let background = old.background;
  if (emissions) {
    const counts = memberCounts(c, old);
    match = new Float64Array(400);
    for (let a = 0; a < 20; a++)
      for (let b = 0; b < 20; b++)
        match[a * 20 + b] = 0.5 * (counts.match[a * 20 + b] + counts.match[b * 20 + a]) + pseudocount;
    const sm = match.reduce((s, v) => s + v, 0);
    if (sm > 0) for (let k = 0; k < 400; k++) match[k] /= sm;
    else match = old.match;
    background = counts.background.map((v) => v + pseudocount);
    const sb = background.reduce((s, v) => s + v, 0);
    if (sb > 0) for (let k = 0; k < 20; k++) background[k] /= sb;
    else background = old.background;
  }
  return { delta, epsilon, tau, match, background };
}

/**
 * Train δ, ε, τ (and optionally the emissions) from unaligned pairs by Baum–Welch (Durbin §3.3) or
 * Viterbi training; `logLikelihood[k]` is Σ log P(x,y) (or Σ Viterbi log P(x,y,π*)) in nats at the
 * parameters after k M-steps, non-decreasing for Baum–Welch without pseudocounts.
 */
export function trainPairHmm(
  params: PairHmmParams,
  pairs: { x: Encoded; y: Encoded }[],
  opts: TrainOptions = {},
): TrainResult {
  const fn = "trainPairHmm";
  validateParams(params, fn);
  const method = opts.method ?? "baum-welch";
  const iterations = opts.iterations ?? 50;
  const tolerance = opts.tolerance ?? 1e-6;
  const pseudocount = opts.pseudocount ?? 0.01;
  if (method !== "baum-welch" && method !== "viterbi")
    throw new ValueError(`${fn}: opts.method must be "baum-welch" or "viterbi", but got ${String(method)}`);
  if (!(Number.isInteger(iterations) && iterations >= 0))
    throw new ValueError(`${fn}: opts.iterations must be an integer >= 0, but got ${iterations}`);
  if (!(tolerance >= 0)) throw new ValueError(`${fn}: opts.tolerance must be >= 0, but got ${tolerance}`);
  if (!(pseudocount >= 0 && Number.isFinite(pseudocount)))
    throw new ValueError(`${fn}: opts.pseudocount must be finite and >= 0, but got ${pseudocount}`);
  if (pairs.length === 0) throw new ValueError(`${fn}: pairs must be non-empty, but got 0 pairs`);
  const add = method === "viterbi" ? addViterbi : addExpected;
  let current: PairHmmParams = {
    ...params,
    match: Float64Array.from(params.match),
    background: Float64Array.from(params.background),
  };
  const logLikelihood: number[] = [];
  for (let it = 0; ; it++) {
    const c = emptyCounts();
    for (const { x, y } of pairs) add(c, current, x, y);
    logLikelihood.push(c.objective);
    if (it === iterations) break;
    if (it > 0 && c.objective - logLikelihood[it - 1] < tolerance) break;
    const next = maximise(c, current, opts.emissions ?? false, pseudocount);
    try {
      validateParams(next, fn);
    } catch {
      break; // a degenerate M-step (e.g. no gaps at all): keep the last valid parameters
    }
    current = next;
  }
  return { params: current, logLikelihood };
}
