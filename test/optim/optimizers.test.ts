import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { type Array, jit, np, tree } from "../../src/jax.js";
import {
  adam,
  adamw,
  chain,
  clipByGlobalNorm,
  type Optimizer,
  type Params,
  sgd,
  warmupCosineSchedule,
} from "../../src/optim/index.js";

type P = { w: Array; b: Array };
type Raw = { w: number[][]; b: number[] };
type Case = {
  name: string;
  optimizer: "sgd" | "adam" | "adamw";
  // biome-ignore lint/suspicious/noExplicitAny: options straight from JSON
  options: any;
  schedule?: {
    initValue: number;
    peakValue: number;
    warmupSteps: number;
    decaySteps: number;
    endValue: number;
  };
  clipNorm?: number;
  trajectory: Raw[];
};
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/optim/trajectories.json", import.meta.url), "utf8"),
) as { steps: number; init: Raw; grads: Raw[]; cases: Case[] };

const toP = (r: Raw): P => ({ w: np.array(r.w), b: np.array(r.b) });

function build(c: Case): Optimizer {
  const o = { ...c.options, ...(c.schedule ? { lr: warmupCosineSchedule(c.schedule) } : {}) };
  const opt: Optimizer = c.optimizer === "sgd" ? sgd(o) : c.optimizer === "adam" ? adam(o) : adamw(o);
  return c.clipNorm === undefined ? opt : chain(clipByGlobalNorm(c.clipNorm), opt);
}

function maxRelErr(got: number[], want: number[]): number {
  let m = 0;
  for (let i = 0; i < want.length; i++)
    m = Math.max(m, Math.abs(got[i] - want[i]) / (0.1 + Math.abs(want[i])));
  return m;
}

for (const c of fixture.cases) {
  test(`${c.name}: trajectory matches PyTorch (${fixture.steps} steps, jitted update)`, () => {
    const opt = build(c);
    let params = toP(fixture.init);
    let state = opt.init(tree.ref(params));
    const update = jit((g: P, s: Params, p: P) => opt.update(g, s, p));
    let worst = 0;
    for (let t = 0; t < fixture.steps; t++) {
      [params, state] = update(toP(fixture.grads[t]), state, params) as [P, Params];
      const want = c.trajectory[t];
      const w = params.w.ref.js() as number[][];
      const b = params.b.ref.js() as number[];
      const err = maxRelErr([...w.flat(), ...b], [...want.w.flat(), ...want.b]);
      worst = Math.max(worst, err);
      assert.ok(err < 2e-6, `${c.name} step ${t}: relative error ${err}`);
    }
    if (process.env.VERBOSE) console.log(c.name, worst);
    tree.dispose([params, state]);
    update.dispose();
  });
}

test("adam: eager updates follow the same trajectory, and the state counts steps in int32", () => {
  const c = fixture.cases.find((x) => x.name === "adam")!;
  const opt = build(c);
  let p = toP(fixture.init);
  let s = opt.init(tree.ref(p)) as { count: Array };
  for (let t = 0; t < 4; t++) [p, s] = opt.update(toP(fixture.grads[t]), s, p) as [P, { count: Array }];
  const want = c.trajectory[3];
  const got = [...(p.w.ref.js() as number[][]).flat(), ...(p.b.ref.js() as number[])];
  const err = maxRelErr(got, [...want.w.flat(), ...want.b]);
  assert.ok(err < 2e-6, `relative error ${err}`);
  assert.equal(s.count.dtype, np.int32);
  assert.equal(s.count.ref.item(), 4);
  tree.dispose([p, s]);
});

test("a wrong rule is caught: Adam's trajectory differs from AdamW's", () => {
  const a = fixture.cases.find((x) => x.name === "adamw")!.trajectory[11].w.flat();
  const b = fixture.cases.find((x) => x.name === "adam")!.trajectory[11].w.flat();
  assert.ok(maxRelErr(a, b) > 1e-3);
});

test("optimizers reject bad options and mismatched trees with one-line errors", () => {
  assert.throws(() => adam({ b1: 1 }), /adam: b1 must be a number in \[0, 1\), but got 1/);
  assert.throws(() => sgd({ lr: 0.1, momentum: -1 }), /sgd: momentum must be/);
  assert.throws(() => sgd({ lr: 0.1, nesterov: true }), /nesterov requires momentum/);
  assert.throws(() => clipByGlobalNorm(0), /clipByGlobalNorm: maxNorm must be a finite number > 0/);
  const opt = adam();
  const p = toP(fixture.init);
  const s = opt.init(tree.ref(p));
  assert.throws(
    () => opt.update({ w: np.ones([3, 2]) } as unknown as P, s, p),
    /adam: grads must have the same structure as params/,
  );
});
