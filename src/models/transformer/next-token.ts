/**
 * A causal transformer as a `NextTokenModel` for the shared `generate` (models/autoregressive). The
 * context is cropped to its last `contextLength` tokens and right-padded to exactly `contextLength`, and
 * the position to read is a traced int32 scalar, so one jitted forward serves every step without
 * recompiling (causal attention keeps the padding from influencing earlier positions). Log-softmax in
 * float64 on the host. Reference: nanoGPT `GPT.generate` (crop to `block_size`).
 */
import { describe, ValueError } from "../../errors.js";
import { np, tree } from "../../jax.js";
import type { NextTokenModel } from "../autoregressive/generate.js";
import type { Compiled } from "./compiled.js";
import type { TransformerParams } from "./model.js";

/** Options of `asNextTokenModel`: `bos` is used as the context when `generate` passes an empty one. */
export type NextTokenOptions = { bos?: number };

/** A `NextTokenModel` that owns params and compiled code: call `dispose()` when done. */
export type DisposableNextTokenModel = NextTokenModel & { dispose(): void };

/** `logits` (float32 or float64) -> float64 log-softmax. */
function hostLogSoftmax(logits: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(logits);
  let max = Number.NEGATIVE_INFINITY;
  for (const v of out) if (v > max) max = v;
  let total = 0;
  for (const v of out) total += Math.exp(v - max);
  const lse = max + Math.log(total);
  for (let i = 0; i < out.length; i++) out[i] -= lse;
  return out;
}

/**
 * Wrap params (consumed) as a `NextTokenModel`: `nextLogProbs(context)` -> `[V]` log-probabilities of
 * the next token, nats. Requires a causal config. `compiled` is shared with the caller (not disposed
 * unless `ownsCompiled`).
 */
export function nextTokenModel(
  compiled: Compiled,
  params: TransformerParams,
  opts: NextTokenOptions & { ownsCompiled?: boolean } = {},
): DisposableNextTokenModel {
  const { contextLength: C, vocabSize: V, maskKind } = compiled.config;
  const fail = (msg: string) => {
    tree.dispose(params);
    if (opts.ownsCompiled) compiled.dispose();
    return new ValueError(`asNextTokenModel: ${msg}`);
  };
  if (maskKind !== "causal") throw fail(`config.maskKind must be "causal", but got ${describe(maskKind)}`);
  const { bos } = opts;
  if (bos !== undefined && !(Number.isInteger(bos) && bos >= 0 && bos < V))
    throw fail(`opts.bos must be a token id in [0, ${V}), but got ${describe(bos)}`);
  let live = true;
  const buf = new Int32Array(C);
  return {
    vocabSize: V,
    nextLogProbs(context: Int32Array): Float64Array {
      if (!live) throw new ValueError("nextLogProbs: this model has been disposed");
      let ctx: ArrayLike<number> = context;
      if (ctx.length === 0) {
        if (bos === undefined)
          throw new ValueError(
            "nextLogProbs: context must hold at least one token (give generate a prompt such as <s>, or asNextTokenModel a bos id)",
          );
        ctx = [bos];
      }
      // 1. the last C tokens, right-padded with id 0
      const n = Math.min(ctx.length, C);
      buf.fill(0);
      for (let i = 0; i < n; i++) {
        const id = ctx[ctx.length - n + i];
        if (!Number.isInteger(id) || id < 0 || id >= V)
          throw new ValueError(
            `nextLogProbs: context ids must be integers in [0, ${V}), but got ${describe(id)}`,
          );
        buf[i] = id;
      }
      // 2. logits at the last real position, one compiled shape for every call
      const tokens = np.array(buf, { shape: [1, C], dtype: np.int32 });
      const position = np.array(n - 1, { dtype: np.int32 });
      const logits = compiled.logitsAt(tree.ref(params), tokens, position).dataSync(); // [V]
      return hostLogSoftmax(logits as ArrayLike<number>);
    },
    dispose() {
      if (!live) return;
      live = false;
      tree.dispose(params);
      if (opts.ownsCompiled) compiled.dispose();
    },
  };
}
