/**
 * One `generate` for every autoregressive model (n-gram and transformer alike), as makemore does:
 * the model gives log-probabilities of the next token given the context; sampling (temperature,
 * top-k) happens here, on the host, from an explicit key.
 */
import { ValueError } from "../../errors.js";
import { hostUniforms } from "../../host-random.js";
import type { Array as JaxArray } from "../../jax.js";

/** What `generate` needs from a model: next-token log-probabilities (nats) over the vocabulary. */
export type NextTokenModel = {
  /** vocabulary size V */
  vocabSize: number;
  /** `[V]` log P(next = v | context), nats; `context` holds token ids, oldest first */
  nextLogProbs: (context: Int32Array) => Float64Array;
};

/** Options for {@link generate}. */
export type GenerateOptions = {
  /** token ids to start from (e.g. `[<s>]`); default none */
  prompt?: ArrayLike<number>;
  /** stop after this many new tokens */
  maxTokens: number;
  /** stop when this token is drawn (it is included in the output) */
  stopToken?: number;
  /** divide log-probabilities by this before sampling; 0 means greedy (argmax); default 1 */
  temperature?: number;
  /** sample only among the k most probable tokens; default all */
  topK?: number;
};

/**
 * Sample a continuation token by token: p ∝ exp(logp / temperature), restricted to the top k.
 * Returns the new tokens (without the prompt). Consumes `key`.
 */
export function generate(model: NextTokenModel, key: JaxArray, opts: GenerateOptions): Int32Array {
  const { maxTokens, stopToken, temperature = 1, topK } = opts;
  if (!Number.isInteger(maxTokens) || maxTokens < 0) {
    key.dispose();
    throw new ValueError(`generate: maxTokens must be an integer >= 0, but got ${maxTokens}`);
  }
  if (!(temperature >= 0) || !Number.isFinite(temperature)) {
    key.dispose();
    throw new ValueError(`generate: temperature must be a finite number >= 0, but got ${temperature}`);
  }
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) {
    key.dispose();
    throw new ValueError(`generate: topK must be an integer >= 1, but got ${topK}`);
  }
  const u = hostUniforms(key, maxTokens);
  const context = Array.from(opts.prompt ?? []);
  const out: number[] = [];
  const V = model.vocabSize;
  const weights = new Float64Array(V);
  for (let t = 0; t < maxTokens; t++) {
    const logp = model.nextLogProbs(Int32Array.from(context));
    if (logp.length !== V)
      throw new ValueError(`generate: the model returned ${logp.length} log-probabilities, expected ${V}`);
    const next = temperature === 0 ? argmax(logp) : draw(logp, temperature, topK, u[t], weights);
    out.push(next);
    context.push(next);
    if (next === stopToken) break;
  }
  return Int32Array.from(out);
}

function argmax(x: Float64Array): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
  return best;
}

function draw(
  logp: Float64Array,
  temperature: number,
  topK: number | undefined,
  u: number,
  w: Float64Array,
): number {
  const V = logp.length;
  // 1. the top-k threshold (the k-th largest log-probability), if any
  let threshold = Number.NEGATIVE_INFINITY;
  if (topK !== undefined && topK < V) threshold = Float64Array.from(logp).sort()[V - topK];
  // 2. tempered, normalised weights over the kept tokens
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < V; i++) if (logp[i] >= threshold && logp[i] > max) max = logp[i];
  let total = 0;
  for (let i = 0; i < V; i++) {
    w[i] = logp[i] >= threshold ? Math.exp((logp[i] - max) / temperature) : 0;
    total += w[i];
  }
  // 3. inversion
  let acc = 0;
  const target = u * total;
  let last = 0;
  for (let i = 0; i < V; i++) {
    if (w[i] === 0) continue;
    last = i;
    acc += w[i];
    if (target < acc) return i;
  }
  return last;
}
