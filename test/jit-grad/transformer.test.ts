/**
 * Transformer (src/models/transformer, also what src/models/autoregressive/text-model.ts trains):
 * the gradient of the training loss is the same eagerly and under `jit`. The configs cover the
 * differentiated slices of the model: the q/k/v split of the fused projection and the position table
 * cut to the batch length (T = 5 < contextLength = 8, so the gradient's zero rows come from a `pad`).
 */
import { test } from "node:test";
import { type Array, np, random } from "../../src/jax.js";
import { type TokenBatch, type TransformerConfig, transformer } from "../../src/models/transformer/index.js";
import { assertJitGradMatchesEager } from "./helpers.js";

const base: TransformerConfig = {
  vocabSize: 7,
  contextLength: 8,
  nLayers: 1,
  dModel: 8,
  nHeads: 2,
  dMlp: 16,
  dropout: 0,
  tieWeights: false,
  maskKind: "causal",
};

/** A `[2, 5]` batch whose second row is padded after three targets. */
function batch(): TokenBatch {
  return {
    inputs: np.array(
      [
        [0, 1, 2, 3, 4],
        [0, 5, 6, 1, 1],
      ],
      { dtype: np.int32 },
    ),
    targets: np.array(
      [
        [1, 2, 3, 4, 5],
        [5, 6, 1, 0, 0],
      ],
      { dtype: np.int32 },
    ),
    mask: np.array([
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0],
    ]),
  };
}

const variants: [string, Partial<TransformerConfig>][] = [
  ["causal, untied head", {}],
  ["bidirectional, tied weights, dropout 0.1", { maskKind: "bidirectional", tieWeights: true, dropout: 0.1 }],
];

for (const [name, change] of variants)
  test(`transformer (${name}): jit(grad(loss)) equals grad(loss)`, () => {
    const m = transformer({ ...base, ...change });
    const params = () => m.init(random.key(3));
    assertJitGradMatchesEager(
      "transformer loss",
      (p, key: Array, b: TokenBatch) => m.loss(p, key, b),
      params,
      () => [random.key(9), batch()],
    );
    m.dispose();
  });
