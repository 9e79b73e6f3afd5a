/**
 * GAN (src/models/gan): the discriminator/critic loss gradient (non-saturating, and WGAN-GP with its
 * hand-written input-gradient penalty) and the generator loss gradient are the same eagerly and under
 * `jit`. (test/models/gan/steps.test.ts checks the full update bodies too; this is the family's entry
 * in the standing jit-vs-eager check.)
 */
import { test } from "node:test";
import { type Array, random, tree } from "../../src/jax.js";
import { resolveGanConfig } from "../../src/models/gan/config.js";
import {
  discriminatorLoss,
  type GanConfig,
  type GanLossName,
  ganInit,
  generatorLoss,
} from "../../src/models/gan/index.js";
import { generatorApply } from "../../src/models/gan/networks.js";
import type { Mlp } from "../../src/nn/mlp.js";
import { assertJitGradMatchesEager } from "./helpers.js";

for (const loss of ["non-saturating", "wgan-gp"] as GanLossName[])
  test(`gan (${loss}): jit(grad) equals grad for the discriminator and generator losses`, () => {
    const config: GanConfig = {
      dataDim: 3,
      latentDim: 2,
      generatorHidden: [6],
      discriminatorHidden: [6],
      activation: "tanh",
      loss,
    };
    const cfg = resolveGanConfig(config);
    const net = (which: "generator" | "discriminator") => () => {
      const p = ganInit(random.key(1), config);
      tree.dispose(which === "generator" ? p.discriminator : p.generator);
      return p[which];
    };
    const xReal = () => random.normal(random.key(2), [8, 3]);
    const xFake = () => random.normal(random.key(3), [8, 3]).mul(0.5);
    const dLoss = (d: Mlp, key: Array, real: Array, fake: Array) => {
      const t = discriminatorLoss(d, key, real, fake, { config });
      tree.dispose([t.real, t.fake, t.penalty]);
      return t.loss;
    };
    assertJitGradMatchesEager("discriminator loss", dLoss, net("discriminator"), () => [
      random.key(4),
      xReal(),
      xFake(),
    ]);
    const gLoss = (g: Mlp, d: Mlp, z: Array) => generatorLoss(d, generatorApply(g, z, cfg), { config });
    assertJitGradMatchesEager("generator loss", gLoss, net("generator"), () => [
      net("discriminator")(),
      random.normal(random.key(5), [8, 2]),
    ]);
  });
