/**
 * The two GAN updates: jitted and eager bodies give the same new params, optimizer states and losses, and
 * jitted and eager loss gradients agree (jax-js 0.1.25 has had jit-only gradient bugs, e.g. through `slice`).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Array, grad, jit, random, tree } from "../../../src/jax.js";
import { type GanLossName, resolveGanConfig } from "../../../src/models/gan/config.js";
import { discriminatorTerms, generatorLossFromValues } from "../../../src/models/gan/losses.js";
import { discriminatorApply, ganInitResolved, generatorApply } from "../../../src/models/gan/networks.js";
import { discriminatorStepBody, generatorStepBody } from "../../../src/models/gan/steps.js";
import type { Mlp } from "../../../src/nn/mlp.js";
import { adam } from "../../../src/optim/adam.js";

function assertTreesClose(a: unknown, b: unknown, rtol: number, atol: number, what: string) {
  const la = tree.leaves(a as never) as Array[];
  const lb = tree.leaves(b as never) as Array[];
  assert.equal(la.length, lb.length);
  la.forEach((x, i) => {
    const u = x.dataSync() as ArrayLike<number>;
    const v = lb[i].dataSync() as ArrayLike<number>;
    for (let j = 0; j < u.length; j++)
      assert.ok(
        Math.abs(u[j] - v[j]) <= atol + rtol * Math.abs(v[j]),
        `${what}: leaf ${i}[${j}]: ${u[j]} vs ${v[j]}`,
      );
  });
}

for (const loss of ["non-saturating", "wgan-gp"] as GanLossName[]) {
  test(`${loss}: jit and eager updates agree (float32, rtol 1e-5)`, () => {
    const cfg = resolveGanConfig({
      dataDim: 3,
      latentDim: 2,
      generatorHidden: [16],
      discriminatorHidden: [16, 16],
      loss,
    });
    const p = ganInitResolved(random.key(0), cfg);
    const data = random.normal(random.key(1), [40, 3]);
    const dOpt = adam(cfg.discriminatorAdam);
    const gOpt = adam(cfg.generatorAdam);
    const dState = dOpt.init(tree.ref(p.discriminator));
    const gState = gOpt.init(tree.ref(p.generator));
    const dBody = discriminatorStepBody(cfg, dOpt, 8, 40);
    const gBody = generatorStepBody(cfg, gOpt, 8);
    const dJit = jit(dBody);
    const gJit = jit(gBody);
    // discriminator update
    const args = () =>
      [tree.ref(p.discriminator), tree.ref(dState), tree.ref(p.generator), random.key(2), data.ref] as const;
    const eager = dBody(...args());
    const jitted = dJit(...args());
    assertTreesClose(jitted, eager, 1e-5, 1e-7, "discriminator step");
    // generator update
    const gArgs = () =>
      [tree.ref(p.generator), tree.ref(gState), tree.ref(p.discriminator), random.key(3)] as const;
    const gEager = gBody(...gArgs());
    const gJitted = gJit(...gArgs());
    assertTreesClose(gJitted, gEager, 1e-5, 1e-7, "generator step");
    // the update moved the params it should, and reported finite losses
    const [d2, s2, out] = dBody(...args());
    tree.dispose(s2);
    assert.equal(out.shape[0], 4);
    assert.ok((out.js() as number[]).every(Number.isFinite));
    const before = p.discriminator.layers[0].w.ref.js() as number[][];
    assert.notDeepEqual(d2.layers[0].w.js(), before);
    dJit.dispose();
    gJit.dispose();
    tree.dispose([p, data, dState, gState]);
  });
}

for (const loss of ["non-saturating", "wgan-gp"] as GanLossName[]) {
  test(`${loss}: jitted and eager loss gradients agree for both networks (float32, 1e-5 of the largest entry)`, () => {
    const cfg = resolveGanConfig({
      dataDim: 3,
      latentDim: 2,
      generatorHidden: [16],
      discriminatorHidden: [16, 16],
      loss,
    });
    const p = ganInitResolved(random.key(10), cfg);
    const xReal = random.normal(random.key(11), [8, 3]);
    const z = random.normal(random.key(12), [8, 2]);
    const dGrad = (d: Mlp, g: Mlp, k: Array, x: Array, zz: Array) =>
      grad((dd: Mlp) => discriminatorTerms(dd, k, x, generatorApply(g, zz, cfg), cfg).loss)(d);
    const gGrad = (g: Mlp, d: Mlp, zz: Array) =>
      grad((gg: Mlp) =>
        generatorLossFromValues(discriminatorApply(d, generatorApply(gg, zz, cfg), cfg), cfg),
      )(g);
    const dArgs = () =>
      [tree.ref(p.discriminator), tree.ref(p.generator), random.key(13), xReal.ref, z.ref] as const;
    assertTreesClose(
      jit(dGrad)(...dArgs()),
      dGrad(...dArgs()),
      0,
      1e-5 * maxAbs(dGrad(...dArgs())),
      "D gradient",
    );
    const gArgs = () => [tree.ref(p.generator), tree.ref(p.discriminator), z.ref] as const;
    assertTreesClose(
      jit(gGrad)(...gArgs()),
      gGrad(...gArgs()),
      0,
      1e-5 * maxAbs(gGrad(...gArgs())),
      "G gradient",
    );
    tree.dispose([p, xReal, z]);
  });
}

function maxAbs(t: unknown): number {
  return Math.max(
    ...(tree.leaves(t as never) as Array[]).flatMap((a) =>
      globalThis.Array.from(a.dataSync() as Float32Array, Math.abs),
    ),
  );
}
