/**
 * The hand-written critic input gradient (WGAN-GP's penalty): equal to `grad` nested in `grad` in float64
 * for every activation (values and the penalty's gradient w.r.t. the weights), and in float32 equal to
 * the float64 result (jax-js 0.1.25's nested `grad` is wrong in float32, which this guards against).
 * Tolerances: float64, rtol 1e-9 for piecewise-linear activations and 1e-5 for those through exp/tanh/erf
 * (float32-accurate in jax-js even in float64); float32 vs float64, 1e-4 of the largest entry.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Array, grad, np, random, tree } from "../../../src/jax.js";
import { resolveGanConfig } from "../../../src/models/gan/config.js";
import { gradientPenaltyResolved } from "../../../src/models/gan/losses.js";
import {
  criticInputGradient,
  criticInputGradientNested,
  ganInitResolved,
} from "../../../src/models/gan/networks.js";
import { ACTIVATION_NAMES, type ActivationName } from "../../../src/nn/activations.js";
import type { Mlp } from "../../../src/nn/mlp.js";
import { toFloat64 } from "./helpers.js";

const PIECEWISE_LINEAR: ActivationName[] = ["relu", "leakyRelu", "identity"];
const flat = (x: Array) => (x.js() as unknown[]).flat(3) as number[];

function assertClose(a: number[], b: number[], rtol: number, what: string) {
  const scale = Math.max(...b.map(Math.abs));
  assert.equal(a.length, b.length);
  for (const [i, v] of a.entries())
    assert.ok(Math.abs(v - b[i]) <= rtol * scale, `${what}[${i}]: ${v} vs ${b[i]} (scale ${scale})`);
}

for (const act of ACTIVATION_NAMES) {
  test(`${act}: hand-written input gradient and its weight gradient equal nested grad (float64)`, () => {
    const cfg = resolveGanConfig({
      dataDim: 3,
      latentDim: 2,
      discriminatorHidden: [6, 5],
      activation: act,
      loss: "wgan-gp",
    });
    const d = toFloat64(ganInitResolved(random.key(1), cfg).discriminator);
    const x = random.normal(random.key(2), [7, 3]).astype(np.float64);
    const rtol = PIECEWISE_LINEAR.includes(act) ? 1e-9 : 1e-5;
    const ours = flat(criticInputGradient(tree.ref(d), x.ref, cfg));
    const ref = flat(criticInputGradientNested(tree.ref(d), x.ref, cfg));
    assertClose(ours, ref, rtol, "∇x D");
    const penaltyNested = (p: Mlp) => {
      const g = criticInputGradientNested(p, x.ref, cfg);
      return np.square(np.sqrt(np.square(g).sum(-1).add(1e-12)).sub(1)).mean();
    };
    const gOurs = grad((p: Mlp) => gradientPenaltyResolved(p, x.ref, cfg))(tree.ref(d)) as Mlp;
    const gRef = grad(penaltyNested)(d) as Mlp;
    assertClose(
      (tree.leaves(gOurs) as Array[]).flatMap(flat),
      (tree.leaves(gRef) as Array[]).flatMap(flat),
      rtol,
      "∂penalty/∂θ",
    );
    x.dispose();
  });
}

test("float32 penalty gradient w.r.t. the critic's weights equals the float64 one (128-128 critic, 256 points)", () => {
  const cfg = resolveGanConfig({ dataDim: 3, latentDim: 3, loss: "wgan-gp" });
  const d32 = ganInitResolved(random.key(3), cfg).discriminator;
  const x32 = random.normal(random.key(4), [256, 3]);
  const d64 = toFloat64(tree.ref(d32));
  const x64 = x32.ref.astype(np.float64);
  const g32 = grad((p: Mlp) => gradientPenaltyResolved(p, x32, cfg))(d32) as Mlp;
  const g64 = grad((p: Mlp) => gradientPenaltyResolved(p, x64, cfg))(d64) as Mlp;
  (tree.leaves(g32) as Array[]).forEach((a, i) => {
    const b = (tree.leaves(g64) as Array[])[i];
    assertClose(flat(a), flat(b), 1e-4, `leaf ${i}`);
  });
});
