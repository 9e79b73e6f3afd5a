/**
 * Posterior match probabilities of the pair HMM (Durbin et al. 1998, §4.4, eq. 4.2):
 * P(x_i ◇ y_j | x, y) = f^M(i,j) b^M(i,j) / P(x,y), in the scaled probability frame of `scaled.ts`
 * (the background factors of f and b multiply to ∏q(x)∏q(y) for every cell and cancel), falling back
 * to log space when the scaled recursions report lost precision or forward and backward disagree.
 */
import type { Encoded } from "./alphabet.js";
import { backwardRows } from "./backward.js";
import { forwardRows } from "./forward.js";
import { logTables, type PairHmmParams } from "./model.js";
import { BLOCK_SHIFT, blockCount, scaledBackwardRows, scaledForwardRows, scaledTables } from "./scaled.js";

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
  {
    const s = scaledTables(params, x, y);
    const nb = blockCount(m + 1);
    const fScale = new Float64Array((n + 1) * nb);
    // 1. Scaled forward, keeping f̂^M(i,j) for i, j >= 1 and each row's block log scales.
    const logProb = scaledForwardRows(s, x, y, (i, M, _X, _Y, scales) => {
      fScale.set(scales, i * nb);
      if (i > 0) posterior.set(M.subarray(1), (i - 1) * m);
    });
    // 2. Scaled backward: posterior = f̂ b̂ exp(frames − log P̃), P̃ the odds-frame probability.
    const logOdds = logProb - s.logBackground;
    const factor = new Float64Array(nb);
    const back = scaledBackwardRows(s, x, y, (i, M, _X, _Y, scales) => {
      if (i === 0 || !Number.isFinite(logProb)) return;
      const off = (i - 1) * m;
      for (let b = 0; b < nb; b++) factor[b] = Math.exp(fScale[i * nb + b] + scales[b] - logOdds);
      for (let j = 0; j < m; j++) posterior[off + j] *= M[j + 1] * factor[(j + 1) >> BLOCK_SHIFT];
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
