/**
 * Posterior match probabilities of the pair HMM (Durbin et al. 1998, §4.4, eq. 4.2):
 * P(x_i ◇ y_j | x, y) = f^M(i,j) b^M(i,j) / P(x,y), in the scaled probability frame of `scaled.ts`
 * (the background factors of f and b multiply to ∏q(x)∏q(y) for every cell and cancel), falling back
 * to log space when scaling is unsafe or forward and backward disagree.
 */
import type { Encoded } from "./alphabet.js";
import { backwardRows } from "./backward.js";
import { forwardRows } from "./forward.js";
import { logTables, type PairHmmParams } from "./model.js";
import { scaledBackwardRows, scaledForwardRows, scaledSafe, scaledTables } from "./scaled.js";

/** Match posteriors `[n*m]` (index i*m+j, 0-based residues) and log P(x,y) in nats. */
export type MatchPosterior = { posterior: Float64Array; logProb: number };

/**
 * P(x_i ◇ y_j | x, y) `[n*m]` for all i, j; keeps one `[n*m]` matrix (forward f^M, overwritten in place
 * by the posterior during the backward pass) plus rows.
 */
export function matchPosterior(params: PairHmmParams, x: Encoded, y: Encoded): MatchPosterior {
  const t = logTables(params, x, y, "matchPosterior");
  const n = x.length;
  const m = y.length;
  const posterior = new Float64Array(n * m);
  if (scaledSafe(params, n, m)) {
    const s = scaledTables(params, x, y);
    const fScale = new Float64Array(n + 1);
    // 1. Scaled forward, keeping f̂^M(i,j) for i, j >= 1 and each row's log scale.
    const logProb = scaledForwardRows(s, x, y, (i, M, _X, _Y, logScale) => {
      fScale[i] = logScale;
      if (i > 0) posterior.set(M.subarray(1), (i - 1) * m);
    });
    // 2. Scaled backward: posterior = f̂ b̂ exp(frames − log P̃), P̃ the odds-frame probability.
    const logOdds = logProb - s.logBackground;
    const back = scaledBackwardRows(s, x, y, (i, M, _X, _Y, logScale) => {
      if (i === 0) return;
      const off = (i - 1) * m;
      const c = Math.exp(fScale[i] + logScale - logOdds);
      for (let j = 0; j < m; j++) posterior[off + j] *= M[j + 1] * c;
    });
    if (Number.isFinite(logProb) && Math.abs(back - logProb) <= 1e-9 * Math.max(1, Math.abs(logProb)))
      return { posterior, logProb };
  }
  // Exact log space.
  const logProb = forwardRows(t, x, y, (i, M) => {
    if (i > 0) posterior.set(M.subarray(1), (i - 1) * m);
  });
  backwardRows(t, x, y, (i, M) => {
    if (i === 0) return;
    const off = (i - 1) * m;
    for (let j = 0; j < m; j++) posterior[off + j] = Math.exp(posterior[off + j] + M[j + 1] - logProb);
  });
  return { posterior, logProb };
}
