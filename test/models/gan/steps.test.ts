/** The two GAN updates: jitted and eager bodies give the same new params, optimizer states and losses. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Array, jit, random, tree } from "../../../src/jax.js";
import { type GanLossName, resolveGanConfig } from "../../../src/models/gan/config.js";
import { ganInitResolved } from "../../../src/models/gan/networks.js";
import { discriminatorStepBody, generatorStepBody } from "../../../src/models/gan/steps.js";
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
