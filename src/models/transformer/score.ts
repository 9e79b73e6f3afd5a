/**
 * Scoring held-out text with a trained transformer: per-sequence log-probabilities (chain rule, nats),
 * per-token scores, mean NLL and perplexity `exp(NLL / tokens)` (Jurafsky & Martin, "Speech and
 * Language Processing", 3rd ed., eq. 3.15, in nats). Runs fixed-shape batches through one jitted
 * forward; sums in float64 on the host. The first token of each sequence is context only (`<s>`).
 */
import { describe, ValueError } from "../../errors.js";
import { tree } from "../../jax.js";
import { scoredTokens, sequenceWindows, toTokenBatch, type Windows } from "./batches.js";
import type { Compiled } from "./compiled.js";
import type { TransformerParams } from "./model.js";

/** Options of scoring: rows per forward pass (default 32) and window stride (default contextLength). */
export type ScoreOptions = { batchSize?: number; stride?: number };

/** Scores of a list of sequences; `tokenLogProbs[i][j]` is `log p(seq_i[j+1] | seq_i[0..j])`. */
export type SequenceScores = {
  /** `[nSequences]` log-probability of each sequence given its first token, nats */
  logProb: Float64Array;
  /** per sequence, `[length - 1]` per-token log-probabilities, nats */
  tokenLogProbs: Float64Array[];
  /** number of scored tokens (sum of `length - 1`) */
  tokens: number;
  /** mean negative log-likelihood per scored token, nats */
  nll: number;
  /** `exp(nll)` */
  perplexity: number;
};

function batchSizeOf(fn: string, opts: ScoreOptions): number {
  const b = opts.batchSize ?? 32;
  if (!Number.isInteger(b) || b < 1)
    throw new ValueError(`${fn}: batchSize must be a positive integer, but got ${describe(b)}`);
  return b;
}

/**
 * Log-probabilities of `sequences` (token ids; each scored from its second token). Longer than
 * `contextLength + 1`: sliding windows `stride` apart. Consumes `params`.
 */
export function scoreSequences(
  compiled: Compiled,
  params: TransformerParams,
  sequences: readonly ArrayLike<number>[],
  opts: ScoreOptions = {},
): SequenceScores {
  const { contextLength, vocabSize } = compiled.config;
  let w: Windows;
  let B: number;
  try {
    B = batchSizeOf("logProb", opts);
    w = sequenceWindows(sequences, { contextLength, vocabSize, stride: opts.stride });
  } catch (e) {
    tree.dispose(params);
    throw e;
  }
  const T = w.T;
  const perToken = sequences.map((s) => new Float64Array(s.length - 1));
  try {
    for (let start = 0; start < w.rows; start += B) {
      const count = Math.min(B, w.rows - start);
      const batch = toTokenBatch(w, { start, count, padTo: B });
      batch.mask.dispose();
      const lp = compiled.tokenLogProbs(tree.ref(params), batch.inputs, batch.targets).dataSync(); // [B, T]
      for (let r = 0; r < count; r++) {
        const row = start + r;
        const out = perToken[w.source[row]];
        for (let t = 0; t < T; t++) if (w.mask[row * T + t] === 1) out[w.offset[row] + t - 1] = lp[r * T + t];
      }
    }
  } finally {
    tree.dispose(params);
  }
  const logProb = Float64Array.from(perToken, (xs) => xs.reduce((a, b) => a + b, 0));
  const tokens = perToken.reduce((n, xs) => n + xs.length, 0);
  const nll = -logProb.reduce((a, b) => a + b, 0) / tokens;
  return { logProb, tokenLogProbs: perToken, tokens, nll, perplexity: Math.exp(nll) };
}

/**
 * Mean next-token NLL over the scored targets of `windows` (nats per token, dropout off), in
 * fixed-shape batches of `batchSize` rows (the last padded). Consumes `params`.
 */
export function evalLoss(
  compiled: Compiled,
  params: TransformerParams,
  windows: Windows,
  opts: { batchSize?: number } = {},
): number {
  let B: number;
  try {
    B = batchSizeOf("evalLoss", opts);
    if (windows.T > compiled.config.contextLength)
      throw new ValueError(
        `evalLoss: windows must have T <= contextLength (${compiled.config.contextLength}), but got T = ${windows.T}`,
      );
    if (scoredTokens(windows) === 0) throw new ValueError("evalLoss: windows must score at least one token");
  } catch (e) {
    tree.dispose(params);
    throw e;
  }
  let sum = 0;
  let count = 0;
  try {
    for (let start = 0; start < windows.rows; start += B) {
      const n = Math.min(B, windows.rows - start);
      const [s, c] = compiled.nllSum(tree.ref(params), toTokenBatch(windows, { start, count: n, padTo: B }));
      sum += s.item();
      count += c.item();
    }
  } finally {
    tree.dispose(params);
  }
  return sum / count;
}
