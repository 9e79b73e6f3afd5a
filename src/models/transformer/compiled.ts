/**
 * The jitted functions a transformer reuses across calls (scoring, evaluation, generation), created
 * lazily once per model so that each compiles once per input shape (JAXJS.md: "each new input shape
 * recompiles"). Params are always arguments, never captured (captured arrays are baked in at trace).
 */
import { type Array, jit, nn, np } from "../../jax.js";
import { paramDtype, type ResolvedConfig } from "./config.js";
import { nllSum, type TokenBatch, tokenLogProbs } from "./loss.js";
import { applyModel, type TransformerParams } from "./model.js";

type Jitted<F> = F & { dispose(): void };

/** Jitted forward functions of one config; each consumes its arguments. Call `dispose()` when done. */
export type Compiled = {
  config: ResolvedConfig;
  /** `(params, inputs [B, T], targets [B, T]) -> [B, T]` log-probabilities of the targets, nats */
  tokenLogProbs(params: TransformerParams, inputs: Array, targets: Array): Array;
  /** `(params, batch) -> [NLL sum over masked targets (nats), masked count]`, dropout off */
  nllSum(params: TransformerParams, batch: TokenBatch): [Array, Array];
  /** `(params, tokens [1, T], position int32 []) -> [V]` logits at `position`, dropout off */
  logitsAt(params: TransformerParams, tokens: Array, position: Array): Array;
  dispose(): void;
};

/** Build the (lazily jitted) functions for `config`. */
export function makeCompiled(config: ResolvedConfig): Compiled {
  let lp: Jitted<Compiled["tokenLogProbs"]> | undefined;
  let nll: Jitted<Compiled["nllSum"]> | undefined;
  let at: Jitted<Compiled["logitsAt"]> | undefined;
  return {
    config,
    tokenLogProbs(params, inputs, targets) {
      lp ??= jit((p: TransformerParams, i: Array, t: Array) =>
        tokenLogProbs(config, p, i, t),
      ) as unknown as Jitted<Compiled["tokenLogProbs"]>;
      return lp(params, inputs, targets);
    },
    nllSum(params, batch) {
      nll ??= jit((p: TransformerParams, b: TokenBatch) => nllSum(config, p, b)) as unknown as Jitted<
        Compiled["nllSum"]
      >;
      return nll(params, batch);
    },
    logitsAt(params, tokens, position) {
      at ??= jit((p: TransformerParams, tok: Array, pos: Array) => {
        const T = tok.shape[1];
        const logits = applyModel(config, p, tok).reshape([T, config.vocabSize]); // [T, V]
        const pick = nn.oneHot(pos.reshape([1]), T).astype(paramDtype(config)); // [1, T]
        return np.matmul(pick, logits).reshape([config.vocabSize]); // [V]
      }) as unknown as Jitted<Compiled["logitsAt"]>;
      return at(params, tokens, position);
    },
    dispose() {
      lp?.dispose();
      nll?.dispose();
      at?.dispose();
      lp = nll = at = undefined;
    },
  };
}
