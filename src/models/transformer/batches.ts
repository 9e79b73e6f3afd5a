/**
 * Fixed-shape training and scoring windows from token ids: a list of sequences (e.g. names, each
 * `<s> n a m e </s>`) or one long token stream. Each row holds `T = contextLength` input positions,
 * the next token at each as target, and a mask (1 = scored, 0 = padding or already scored). A sequence
 * longer than `T + 1` is cut into windows `stride` apart, and each target is scored exactly once, by
 * the first window that reaches it (the sliding-window evaluation of Hugging Face's "Perplexity of
 * fixed-length models"; `stride = T` gives disjoint windows; `scoreOverlap` scores every target of
 * every window, for training). The first token of a sequence is context
 * only (like `<s>` in an n-gram model). Host-side typed arrays; `toTokenBatch` makes jax arrays.
 */
import { describe, ValueError } from "../../errors.js";
import { np } from "../../jax.js";
import type { TokenBatch } from "./loss.js";

/** Windows on the host: `inputs`, `targets` (int32) and `mask` (0/1) are row-major `[rows, T]`. */
export type Windows = {
  rows: number;
  T: number;
  inputs: Int32Array;
  targets: Int32Array;
  mask: Float32Array;
  /** `[rows]`: which sequence each row comes from */
  source: Int32Array;
  /** `[rows]`: position in its sequence of the row's target 0 (target t is `sequence[offset + t]`) */
  offset: Int32Array;
};

/** Options of `sequenceWindows`: window length T, vocabulary size (ids are checked), stride (default T). */
export type WindowOptions = {
  contextLength: number;
  vocabSize: number;
  stride?: number;
  /**
   * score every target a window holds, also those an earlier window already scored (default false).
   * For training windows with `stride < T`: more (overlapping) examples per token; never for scoring.
   */
  scoreOverlap?: boolean;
};

function positiveInt(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new ValueError(`${fn}: ${name} must be a positive integer, but got ${describe(v)}`);
  return v;
}

/** Window start positions for a sequence of `n` tokens (targets at positions 1..n-1). */
function windowStarts(n: number, T: number, stride: number): number[] {
  const starts = [0];
  let s = 0;
  while (s + T < n - 1) {
    s = Math.min(s + stride, n - 1 - T);
    starts.push(s);
  }
  return starts;
}

/**
 * Cut `sequences` (token ids, each at least 2 tokens) into `[rows, T]` windows; throws `ValueError` on
 * ids outside `0 .. vocabSize-1` or a sequence shorter than 2.
 */
export function sequenceWindows(sequences: readonly ArrayLike<number>[], opts: WindowOptions): Windows {
  const fn = "sequenceWindows";
  const T = positiveInt(fn, "contextLength", opts.contextLength);
  const V = positiveInt(fn, "vocabSize", opts.vocabSize);
  const stride = opts.stride === undefined ? T : positiveInt(fn, "stride", opts.stride);
  if (stride > T)
    throw new ValueError(`${fn}: stride must be at most contextLength (${T}), but got ${stride}`);
  if (!globalThis.Array.isArray(sequences) || sequences.length === 0)
    throw new ValueError(
      `${fn}: sequences must be a non-empty list of token-id sequences, but got ${describe(sequences)}`,
    );
  // 1. check ids and count rows
  let rows = 0;
  sequences.forEach((seq, i) => {
    const n = seq?.length;
    if (typeof n !== "number" || n < 2)
      throw new ValueError(`${fn}: sequence ${i} must hold at least 2 tokens, but got ${describe(n ?? seq)}`);
    for (let j = 0; j < n; j++) {
      const id = seq[j];
      if (!Number.isInteger(id) || id < 0 || id >= V)
        throw new ValueError(
          `${fn}: token ids must be integers in [0, ${V}), but sequence ${i} has ${describe(id)} at position ${j}`,
        );
    }
    rows += windowStarts(n, T, stride).length;
  });
  // 2. fill the rows; padding inputs/targets are id 0 with mask 0
  const w: Windows = {
    rows,
    T,
    inputs: new Int32Array(rows * T),
    targets: new Int32Array(rows * T),
    mask: new Float32Array(rows * T),
    source: new Int32Array(rows),
    offset: new Int32Array(rows),
  };
  let r = 0;
  sequences.forEach((seq, i) => {
    const n = seq.length;
    let scoredUpTo = 0; // targets at positions 1..scoredUpTo are already scored
    for (const s of windowStarts(n, T, stride)) {
      const end = Math.min(s + T, n - 1); // last target position in this window
      for (let t = 0; s + 1 + t <= end; t++) {
        w.inputs[r * T + t] = seq[s + t];
        w.targets[r * T + t] = seq[s + 1 + t];
        if (opts.scoreOverlap === true || s + 1 + t > scoredUpTo) w.mask[r * T + t] = 1;
      }
      scoredUpTo = end;
      w.source[r] = i;
      w.offset[r] = s + 1;
      r++;
    }
  });
  return w;
}

/** Windows over one long token stream (a corpus as one sequence); see `sequenceWindows`. */
export function streamWindows(tokens: ArrayLike<number>, opts: WindowOptions): Windows {
  return sequenceWindows([tokens], opts);
}

/**
 * Rows `start .. start+count-1` of `w` as a jax `TokenBatch` of `[padTo, T]` (default `[count, T]`);
 * rows past `count` are padding with mask 0, so every batch of a loop keeps one shape.
 */
export function toTokenBatch(
  w: Windows,
  opts: { start?: number; count?: number; padTo?: number } = {},
): TokenBatch {
  const start = opts.start ?? 0;
  const count = opts.count ?? w.rows - start;
  const rows = opts.padTo ?? count;
  if (
    !Number.isInteger(start) ||
    start < 0 ||
    !Number.isInteger(count) ||
    count < 0 ||
    start + count > w.rows
  )
    throw new ValueError(
      `toTokenBatch: rows ${describe(start)} .. ${describe(start)} + ${describe(count)} must lie within the ${w.rows} windows`,
    );
  if (!Number.isInteger(rows) || rows < Math.max(count, 1))
    throw new ValueError(
      `toTokenBatch: padTo must be an integer >= count (${count}), but got ${describe(rows)}`,
    );
  const T = w.T;
  const cut = <A extends Int32Array | Float32Array>(a: A, out: A) => {
    out.set(a.subarray(start * T, (start + count) * T));
    return out;
  };
  const shape = [rows, T];
  return {
    inputs: np.array(cut(w.inputs, new Int32Array(rows * T)), { shape, dtype: np.int32 }),
    targets: np.array(cut(w.targets, new Int32Array(rows * T)), { shape, dtype: np.int32 }),
    mask: np.array(cut(w.mask, new Float32Array(rows * T)), { shape, dtype: np.float32 }),
  };
}

/** Number of scored targets in `w` (the sum of its mask). */
export function scoredTokens(w: Windows): number {
  let n = 0;
  for (const m of w.mask) n += m;
  return n;
}
