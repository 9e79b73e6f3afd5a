/**
 * A transformer language model over text: the n-gram family's tokenisers and vocabularies in front of
 * the transformer, so that both kinds of model see the same tokens (`<s> n a m e </s>`) and their
 * held-out nats per token compare directly. Used by `novelist ar` and the report.
 */
import { ValueError } from "../../errors.js";
import { type Array as JaxArray, np, random, tree } from "../../jax.js";
import { BOS_ID, detokenize, EOS_ID, type TokenizerOptions, tokenizeText } from "../ngram/tokenize.js";
import { buildVocab, decode, encode, type Vocab, vocabFromWords } from "../ngram/vocab.js";
import { sequenceWindows } from "../transformer/batches.js";
import { decodeTransformer, encodeTransformer } from "../transformer/checkpoint.js";
import type { TransformerConfig } from "../transformer/config.js";
import type { TransformerParams } from "../transformer/model.js";
import type { TrainOptions, TrainResult } from "../transformer/train.js";
import { type Transformer, transformer } from "../transformer/transformer.js";
import { generate } from "./generate.js";

/** A trained text model: the transformer, its params, and how text becomes tokens. */
export type TextTransformer = {
  model: Transformer;
  params: TransformerParams;
  vocab: Vocab;
  tokenizer: Required<TokenizerOptions>;
};

/** Lines of text as token-id sequences `[<s>, ...tokens, </s>]` (unknown tokens become `<unk>`). */
export function encodeLines(text: string, vocab: Vocab, tokenizer: TokenizerOptions): Int32Array[] {
  return tokenizeText(text, tokenizer).map((tokens) => {
    const ids = encode(vocab, tokens);
    const seq = new Int32Array(ids.length + 2);
    seq[0] = BOS_ID;
    seq.set(ids, 1);
    seq[ids.length + 1] = EOS_ID;
    return seq;
  });
}

/** Options of {@link trainTextTransformer}: architecture, tokens, and training. */
export type TextTransformerOptions = {
  tokenizer: Required<TokenizerOptions>;
  minCount?: number;
  architecture: Omit<TransformerConfig, "vocabSize">;
  training: TrainOptions;
};

/** Build the vocabulary from `train`, then train a transformer on its lines (held-out loss on `valid`). */
export async function trainTextTransformer(
  key: JaxArray,
  train: string,
  valid: string | undefined,
  opts: TextTransformerOptions,
): Promise<TextTransformer & { result: TrainResult }> {
  const vocab = buildVocab(tokenizeText(train, opts.tokenizer), { minCount: opts.minCount ?? 1 });
  const model = transformer({ ...opts.architecture, vocabSize: vocab.words.length });
  const T = model.config.contextLength;
  const windows = (text: string) =>
    sequenceWindows(encodeLines(text, vocab, opts.tokenizer), {
      contextLength: T,
      vocabSize: vocab.words.length,
    });
  const ks = random.split(key, 2);
  const params = model.init(ks.ref.slice(0));
  const result = await model.train(
    params,
    ks.slice(1),
    { train: windows(train), valid: valid ? windows(valid) : undefined },
    opts.training,
  );
  return { model, params: result.params, vocab, tokenizer: opts.tokenizer, result };
}

/** Held-out nats per token (with `</s>`, as the n-gram models count) of a text, one sentence per line. */
export function textNatsPerToken(tm: TextTransformer, text: string): number {
  const seqs = encodeLines(text, tm.vocab, tm.tokenizer);
  if (seqs.length === 0) throw new ValueError("textNatsPerToken: text must hold at least one non-blank line");
  return tm.model.logProb(tree.ref(tm.params), seqs).nll;
}

/** `n` sentences sampled from `<s>` until `</s>` or `maxTokens`; consumes `key`. */
export function sampleText(
  tm: TextTransformer,
  key: JaxArray,
  n: number,
  opts: { temperature?: number; topK?: number; maxTokens?: number } = {},
): string[] {
  if (n === 0) {
    key.dispose();
    return [];
  }
  const keys = np.unstack(random.split(key, n));
  const nt = tm.model.asNextTokenModel(tree.ref(tm.params), { bos: BOS_ID });
  try {
    return keys.map((k) => {
      const ids = generate(nt, k, {
        prompt: [BOS_ID],
        maxTokens: opts.maxTokens ?? 100,
        stopToken: EOS_ID,
        temperature: opts.temperature,
        topK: opts.topK,
      });
      const body = ids[ids.length - 1] === EOS_ID ? ids.subarray(0, ids.length - 1) : ids;
      return detokenize(decode(tm.vocab, body), tm.tokenizer);
    });
  } finally {
    nt.dispose();
  }
}

/** Save a text transformer (params consumed) with its vocabulary and tokenizer. */
export function encodeTextTransformer(tm: TextTransformer): Uint8Array {
  return encodeTransformer(tm.params, tm.model.config, { vocab: tm.vocab.words, tokenizer: tm.tokenizer });
}

/** Load a text transformer saved by {@link encodeTextTransformer}. */
export function decodeTextTransformer(bytes: Uint8Array, source = "model"): TextTransformer {
  const ck = decodeTransformer(bytes, { context: source });
  const words = ck.extra?.vocab;
  const tokenizer = ck.extra?.tokenizer as Required<TokenizerOptions> | undefined;
  if (!Array.isArray(words) || !tokenizer) {
    tree.dispose(ck.params);
    throw new ValueError(`${source}: not a text model (the checkpoint lacks its vocabulary or tokenizer)`);
  }
  return {
    model: transformer(ck.config),
    params: ck.params,
    vocab: vocabFromWords(words as string[]),
    tokenizer,
  };
}
