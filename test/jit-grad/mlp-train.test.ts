/**
 * The MLP path (src/nn, src/train/train-step.ts, src/train/fit.ts) and the optimizers (src/optim): the
 * gradient of an MLP loss through every activation, layer norm, dropout and an embedding is the same
 * eagerly and under `jit`; and a jitted train step (`makeTrainStep`, as `fit` runs it) gives the same
 * params, optimizer state and loss as the same body run eagerly, for clipped Adam with a warm-up
 * schedule, AdamW, and Nesterov SGD (clipping and the updates run inside the jitted step, undifferentiated).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Array, np, random, tree } from "../../src/jax.js";
import {
  ACTIVATION_NAMES,
  dropout,
  type Embedding,
  embeddingApply,
  embeddingInit,
  type LayerNorm,
  layerNormApply,
  layerNormInit,
  type Mlp,
  mlpApply,
  mlpInit,
} from "../../src/nn/index.js";
import {
  adam,
  adamw,
  chain,
  clipByGlobalNorm,
  type Optimizer,
  sgd,
  warmupCosineSchedule,
} from "../../src/optim/index.js";
import { makeTrainStep, trainStepBody } from "../../src/train/index.js";
import { assertJitGradMatchesEager, treeDiff } from "./helpers.js";

type Net = { emb: Embedding; ln: LayerNorm; mlp: Mlp };

const init = (): Net => {
  const ks = random.split(random.key(0), 2);
  return {
    emb: embeddingInit(ks.ref.slice(0), 5, 4, { std: 0.5 }),
    ln: layerNormInit(4),
    mlp: mlpInit(ks.slice(1), [4, 6, 2]),
  };
};

/** Mean squared error of the MLP on layer-normed embeddings plus features, summed over all activations. */
function loss(p: Net, key: Array, batch: { ids: Array; x: Array; y: Array }): Array {
  const h = layerNormApply(p.ln, embeddingApply(p.emb, batch.ids).add(batch.x)); // [B, 4]
  const dropped = dropout(key, h, { rate: 0.25 });
  let total: Array = np.array(0);
  for (const name of ACTIVATION_NAMES) {
    const out = mlpApply(tree.ref(p.mlp), dropped.ref, { activation: name }); // [B, 2]
    total = total.add(np.square(out.sub(batch.y.ref)).mean());
  }
  tree.dispose([p.mlp, dropped, batch.y]);
  return total;
}

const batch = () => ({
  ids: np.array([0, 1, 2, 3, 4, 1], { dtype: np.int32 }),
  x: random.normal(random.key(1), [6, 4]),
  y: random.normal(random.key(2), [6, 2]),
});

test("MLP loss (every activation, layer norm, dropout, embedding): jit(grad) equals grad", () => {
  assertJitGradMatchesEager("mlp loss", loss, init, () => [random.key(3), batch()]);
});

const optimizers: [string, () => Optimizer<never>][] = [
  [
    "clipByGlobalNorm + Adam, warm-up cosine lr",
    () =>
      chain(
        clipByGlobalNorm(0.3),
        adam({ lr: warmupCosineSchedule({ peakValue: 0.05, warmupSteps: 2, decaySteps: 6 }) }),
      ) as Optimizer<never>,
  ],
  ["AdamW, weight decay 0.1", () => adamw({ lr: 0.02, weightDecay: 0.1 }) as Optimizer<never>],
  ["SGD, Nesterov momentum", () => sgd({ lr: 0.05, momentum: 0.9, nesterov: true }) as Optimizer<never>],
];

for (const [name, make] of optimizers)
  test(`train step (${name}): jitted and eager steps agree over 3 steps`, () => {
    const opt = make();
    const jitted = makeTrainStep(loss, opt);
    const eager = trainStepBody(loss, opt);
    let pj = init();
    let sj = opt.init(tree.ref(pj));
    let pe = init();
    let se = opt.init(tree.ref(pe));
    for (let i = 0; i < 3; i++) {
      let lj: Array;
      let le: Array;
      let aux: unknown;
      [pj, sj, lj, aux] = jitted(pj, sj, random.key(10 + i), batch());
      tree.dispose(aux as never);
      [pe, se, le, aux] = eager(pe, se, random.key(10 + i), batch());
      tree.dispose(aux as never);
      const a = lj.item() as number;
      const b = le.item() as number;
      assert.ok(Math.abs(a - b) <= 1e-5 * Math.abs(b), `step ${i}: loss ${a} (jit) vs ${b} (eager)`);
    }
    const dp = treeDiff(pj, pe);
    assert.ok(dp.maxErr <= 1e-5 * dp.scale, `params differ by ${dp.maxErr}: ${dp.at}`);
    const ds = treeDiff(sj, se);
    assert.ok(ds.maxErr <= 1e-5 * Math.max(ds.scale, 1), `optimizer states differ by ${ds.maxErr}: ${ds.at}`);
    jitted.dispose();
  });
