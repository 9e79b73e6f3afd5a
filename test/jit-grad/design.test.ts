/**
 * Perovskite design model (src/models/design): the gradient of the joint training loss (β-ELBO + λ BCE,
 * `makeDesignLoss`) w.r.t. the params, and the gradient of the latent-ascent objective w.r.t. z (as
 * `optimizeLatents` climbs it), are the same eagerly and under `jit`.
 */
import { test } from "node:test";
import { enumeratePerovskites } from "../../src/data/perovskites/index.js";
import { type Array, nn, np, random, tree } from "../../src/jax.js";
import {
  type DesignBatch,
  type DesignParams,
  designInit,
  makeDesignLoss,
} from "../../src/models/design/index.js";
import { propertyLogit } from "../../src/models/design/networks.js";
import type { Mlp } from "../../src/nn/mlp.js";
import { assertJitGradMatchesEager, scalarLoss } from "./helpers.js";

const rows = enumeratePerovskites().filter((_, i) => i % 211 === 0); // 14 candidates across the anions
const config = { latentDim: 3, hidden: [8], propertyHidden: [4] };

function batch(): DesignBatch {
  const col = (s: "a" | "b" | "x") =>
    np.array(
      Int32Array.from(rows, (r) => r[s]),
      { dtype: np.int32 },
    );
  return {
    a: col("a"),
    b: col("b"),
    x: col("x"),
    y: np.array(Float32Array.from(rows, (r) => (r.perovskite ? 1 : 0))),
  };
}

for (const ionFeatures of [true, false])
  test(`design loss (ionFeatures ${ionFeatures}): jit(grad(loss)) equals grad(loss)`, () => {
    const loss = scalarLoss(makeDesignLoss({ beta: 0.5, lambda: 2 }));
    assertJitGradMatchesEager(
      "design loss",
      (p: DesignParams, key: Array, b: DesignBatch) => loss(p, key, b),
      () => designInit(random.key(4), { ...config, ionFeatures }),
      () => [random.key(5), batch()],
    );
  });

test("design latent objective (logit and log-probability): jit(grad) equals grad w.r.t. z", () => {
  for (const objective of ["logit", "logProb"]) {
    // the objective of optimizeLatents: f(z) or log σ(f(z)), minus ½ ρ ‖z‖², summed over points
    const total = (z: Array, p: Mlp) => {
      const f = propertyLogit(p, z.ref);
      const gain = objective === "logit" ? f : nn.logSigmoid(f);
      return gain.sub(z.ref.mul(z).sum(-1).mul(0.5)).sum();
    };
    const head = () => {
      const p = designInit(random.key(4), config);
      tree.dispose([p.encoder, p.decoder]);
      return p.property;
    };
    assertJitGradMatchesEager(
      `latent ${objective}`,
      total,
      () => random.normal(random.key(6), [5, config.latentDim]),
      () => [head()],
    );
  }
});
