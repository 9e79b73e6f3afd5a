/**
 * Posterior match probabilities of the pair HMM (Durbin et al. 1998, §4.4, eq. 4.2):
 * P(x_i ◇ y_j | x, y) = f^M(i,j) b^M(i,j) / P(x,y), computed in log space.
 */
import type { Encoded } from "./alphabet.js";
import { backwardRows } from "./backward.js";
import { forwardRows } from "./forward.js";
import { logTables, type PairHmmParams } from "./model.js";

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
  // 1. Forward, keeping f^M(i,j) for i, j >= 1.
  const logProb = forwardRows(t, x, y, (i, M) => {
    if (i > 0) posterior.set(M.subarray(1), (i - 1) * m);
  });
  // 2. Backward, combining row by row: exp(f^M + b^M - log P).
  backwardRows(t, x, y, (i, M) => {
    if (i === 0) return;
    const off = (i - 1) * m;
    for (let j = 0; j < m; j++) posterior[off + j] = Math.exp(posterior[off + j] + M[j + 1] - logProb);
  });
  return { posterior, logProb };
}
