/**
 * Sampling from an n-gram model through the one `generate` that every autoregressive model shares
 * (temperature, top-k, explicit key): the model is adapted to a `NextTokenModel`.
 */
import { describe, ValueError } from "../../errors.js";
import { type Array as JaxArray, random } from "../../jax.js";
import { generate, type NextTokenModel } from "../autoregressive/generate.js";
import type { NgramModel } from "./model.js";
import { nextLogProbs } from "./score.js";
import { BOS_ID, EOS_ID } from "./tokenize.js";
import { decode } from "./vocab.js";

/** The model as `generate` sees it: `[V]` next-token log-probabilities (nats; `<s>` is −∞). */
export function asNextTokenModel(m: NgramModel): NextTokenModel {
  return { vocabSize: m.vocab.words.length, nextLogProbs: (context) => nextLogProbs(m, context) };
}

/** Options of {@link sample}. */
export type SampleOptions = {
  /** the longest sentence, in tokens (a sentence that reaches it is cut there); default 100 */
  maxTokens?: number;
  /** default 1; 0 is greedy */
  temperature?: number;
  /** sample among the k most probable tokens only; default all */
  topK?: number;
  /** tokens (strings) each sentence starts with, after `<s>`; default none */
  prefix?: readonly string[];
};

/**
 * `n` sentences, each generated from `<s>` until `</s>` (not included) or `maxTokens`, as token
 * lists (join with `detokenize`). Consumes `key`; the same key gives the same sentences.
 */
export function sample(m: NgramModel, key: JaxArray, n: number, opts: SampleOptions = {}): string[][] {
  if (!Number.isInteger(n) || n < 0) {
    key.dispose();
    throw new ValueError(`sample: n must be an integer >= 0, but got ${describe(n)}`);
  }
  const maxTokens = opts.maxTokens ?? 100;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    key.dispose();
    throw new ValueError(`sample: maxTokens must be an integer >= 1, but got ${describe(maxTokens)}`);
  }
  if (n === 0) {
    key.dispose();
    return [];
  }
  const prefixIds = (opts.prefix ?? []).map((t) => m.vocab.index.get(t) ?? 0);
  const model = asNextTokenModel(m);
  const keys = random.split(key, n);
  const out: string[][] = [];
  try {
    for (let i = 0; i < n; i++) {
      const ids = generate(model, keys.ref.slice(i), {
        prompt: [BOS_ID, ...prefixIds],
        maxTokens,
        stopToken: EOS_ID,
        temperature: opts.temperature,
        topK: opts.topK,
      });
      const body = ids.length > 0 && ids[ids.length - 1] === EOS_ID ? ids.subarray(0, ids.length - 1) : ids;
      out.push([...(opts.prefix ?? []), ...decode(m.vocab, body)]);
    }
  } finally {
    keys.dispose();
  }
  return out;
}
