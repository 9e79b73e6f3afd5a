/**
 * GAN losses: the non-saturating losses against hand-computed values, WGAN-GP's parts, the gradient
 * penalty against finite differences of the critic (its value and its gradient w.r.t. the critic's
 * weights, i.e. double backprop through the hand-written input gradient), and the stable softplus.
 * Tolerances: float64 checks use central differences with h = 1e-6 on piecewise-linear (leaky ReLU)
 * critics, so they are exact up to rounding (rtol 1e-6); float32 results are compared with float64 at rtol 1e-5.
 * jax-js's exp/log are float32-accurate even in float64, so anything through softplus is checked at
 * rtol 3e-6 (values) or atol 3e-4 (differences with h = 1e-3).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Array, grad, np, random, tree } from "../../../src/jax.js";
import { resolveGanConfig } from "../../../src/models/gan/config.js";
import { discriminatorLoss, generatorLoss, gradientPenalty } from "../../../src/models/gan/losses.js";
import {
  criticInputGradient,
  discriminatorApply,
  ganInitResolved,
  softplus,
} from "../../../src/models/gan/networks.js";
import type { Mlp } from "../../../src/nn/mlp.js";
import { fixedMlp, hostMlp, softplusHost, toFloat64 } from "./helpers.js";

// D: [2] -> leaky(x W1 + b1) [2] -> [1]; values checked by hand and with numpy (float64)
const SMALL = [
  {
    w: [
      [1, -1],
      [0.5, 2],
    ],
    b: [0.1, -0.2],
  },
  { w: [[1.5], [-0.5]], b: [0.3] },
];
const X_REAL = [
  [1, 2],
  [-1, 0.5],
];
const X_FAKE = [
  [0, 0],
  [2, -1],
];
const smallConfig = (loss: "non-saturating" | "wgan-gp", gpWeight = 10) => ({
  dataDim: 2,
  latentDim: 1,
  discriminatorHidden: [2],
  loss,
  gpWeight,
});

function close(actual: number, expected: number, rtol: number, atol = 0, what = "") {
  assert.ok(
    Math.abs(actual - expected) <= atol + rtol * Math.abs(expected),
    `${what}: ${actual} vs ${expected} (rtol ${rtol}, atol ${atol})`,
  );
}

test("non-saturating discriminator and generator losses equal hand-computed values", () => {
  // logits: real [2.05, -0.60975], fake [0.451, 2.721] (leaky slope 0.01 on the second hidden unit of row 2)
  const real = X_REAL.map((x) => hostMlp(SMALL, x));
  const fake = X_FAKE.map((x) => hostMlp(SMALL, x));
  assert.deepEqual(
    real.map((v) => +v.toFixed(10)),
    [2.05, -0.60975],
  );
  assert.deepEqual(
    fake.map((v) => +v.toFixed(10)),
    [0.451, 2.721],
  );
  const dExpected = 2.446742586028064; // numpy: mean(logaddexp(0, -real)) + mean(logaddexp(0, fake))
  close(
    (softplusHost(-real[0]) + softplusHost(-real[1]) + softplusHost(fake[0]) + softplusHost(fake[1])) / 2,
    dExpected,
    1e-14,
  );
  for (const dtype of [np.float64, np.float32]) {
    const rtol = 3e-6; // jax-js's exp and log1p are float32-accurate even in float64
    const config = smallConfig("non-saturating");
    const t = discriminatorLoss(
      fixedMlp(SMALL, dtype),
      random.key(0),
      np.array(X_REAL, { dtype }),
      np.array(X_FAKE, { dtype }),
      { config },
    );
    close(t.loss.item() as number, dExpected, rtol, 0, `D loss ${dtype}`);
    close(t.real.item() as number, (2.05 - 0.60975) / 2, rtol, 0, "mean real logit");
    close(t.fake.item() as number, (0.451 + 2.721) / 2, rtol, 0, "mean fake logit");
    assert.equal(t.penalty.item(), 0);
    const g = generatorLoss(fixedMlp(SMALL, dtype), np.array(X_FAKE, { dtype }), { config });
    close(g.item() as number, 0.2782968786515422, rtol, 0, "G loss"); // mean(logaddexp(0, -fake))
  }
});

test("WGAN-GP critic loss is E D(fake) - E D(real) + λ·penalty; generator loss is -E D(fake)", () => {
  const none = discriminatorLoss(
    fixedMlp(SMALL),
    random.key(3),
    np.array(X_REAL, { dtype: np.float64 }),
    np.array(X_FAKE, { dtype: np.float64 }),
    { config: smallConfig("wgan-gp", 0) },
  );
  close(none.loss.item() as number, (0.451 + 2.721) / 2 - (2.05 - 0.60975) / 2, 1e-12, 0, "λ = 0");
  tree.dispose([none.real, none.fake, none.penalty]);
  const t = discriminatorLoss(
    fixedMlp(SMALL),
    random.key(3),
    np.array(X_REAL, { dtype: np.float64 }),
    np.array(X_FAKE, { dtype: np.float64 }),
    { config: smallConfig("wgan-gp", 10) },
  );
  const [loss, real, fake, pen] = [t.loss, t.real, t.fake, t.penalty].map((a) => a.item() as number);
  assert.ok(pen > 0);
  close(loss, fake - real + 10 * pen, 1e-12, 0, "parts");
  const g = generatorLoss(fixedMlp(SMALL), np.array(X_FAKE, { dtype: np.float64 }), {
    config: smallConfig("wgan-gp"),
  });
  close(g.item() as number, -(0.451 + 2.721) / 2, 1e-12, 0, "G loss");
});

// a random float64 critic [3] -> 8 -> 8 -> [1] and points to check at
const cfg3 = resolveGanConfig({ dataDim: 3, latentDim: 2, discriminatorHidden: [8, 8], loss: "wgan-gp" });
const critic64 = (seed: number): Mlp => toFloat64(ganInitResolved(random.key(seed), cfg3).discriminator);
const points = (seed: number, n: number, dtype = np.float64) =>
  random.normal(random.key(seed), [n, 3]).astype(dtype);

/** Central-difference input gradient of D at each row of `x` (host numbers), float64. */
function fdInputGradient(d: Mlp, x: number[][], h = 1e-6): number[][] {
  const f = (rows: number[][]) =>
    discriminatorApply(tree.ref(d), np.array(rows, { dtype: np.float64 }), cfg3).js() as number[];
  return x.map((row) =>
    row.map((_, j) => {
      const up = row.map((v, k) => (k === j ? v + h : v));
      const dn = row.map((v, k) => (k === j ? v - h : v));
      const [a, b] = f([up, dn]);
      return (a - b) / (2 * h);
    }),
  );
}

test("gradient penalty equals mean (‖∇x D‖ - 1)² from finite differences of D (float64; float32 within 1e-5)", () => {
  const d = critic64(1);
  const xs = points(2, 6).js() as number[][];
  const fd = fdInputGradient(d, xs);
  const g = criticInputGradient(tree.ref(d), np.array(xs, { dtype: np.float64 }), cfg3).js() as number[][];
  for (const [i, row] of g.entries())
    for (const [j, v] of row.entries()) close(v, fd[i][j], 1e-6, 1e-9, `∇D[${i}][${j}]`);
  const expected = fd.reduce((s, r) => s + (Math.hypot(...r) - 1) ** 2, 0) / fd.length;
  const p64 = gradientPenalty(tree.ref(d), np.array(xs, { dtype: np.float64 }), {
    config: cfg3,
  }).item() as number;
  close(p64, expected, 1e-6, 0, "penalty float64");
  const d32 = tree.map((a: Array) => a.astype(np.float32), d as never) as unknown as Mlp;
  const p32 = gradientPenalty(d32, np.array(xs, { dtype: np.float32 }), { config: cfg3 }).item() as number;
  close(p32, expected, 1e-5, 0, "penalty float32");
});

/** Central differences of `f(params)` w.r.t. a few entries of each weight and bias of `d` (float64). */
function checkWeightGradient(d: Mlp, f: (p: Mlp) => Array, what: string, h = 1e-6, rtol = 1e-6, atol = 1e-9) {
  const analytic = grad(f)(tree.ref(d)) as Mlp;
  d.layers.forEach((layer, li) => {
    for (const name of ["w", "b"] as const) {
      const a = layer[name] as Array;
      const values = a.ref.js() as number[] | number[][];
      const flat = (values as (number | number[])[]).flat() as number[];
      const ga = ((analytic.layers[li][name] as Array).ref.js() as (number | number[])[]).flat() as number[];
      for (const idx of [0, Math.floor(flat.length / 2), flat.length - 1]) {
        const perturbed = (delta: number) => {
          const v = flat.slice();
          v[idx] += delta;
          const p = tree.ref(d);
          (p.layers[li][name] as Array).dispose();
          p.layers[li][name] = np.array(v, { dtype: np.float64 }).reshape(a.shape);
          return f(p).item() as number;
        };
        const fd = (perturbed(h) - perturbed(-h)) / (2 * h);
        close(ga[idx], fd, rtol, atol, `${what}: d/d layers[${li}].${name}[${idx}]`);
      }
    }
  });
  tree.dispose(analytic);
}

test("the gradient penalty's gradient w.r.t. the critic's weights matches finite differences (double backprop)", () => {
  const d = critic64(4);
  const x = points(5, 7);
  checkWeightGradient(d, (p) => gradientPenalty(p, x.ref, { config: cfg3 }), "penalty");
  // the whole WGAN-GP critic loss (fixed key: the same interpolates at every evaluation)
  const xFake = points(6, 7);
  checkWeightGradient(
    d,
    (p) => discriminatorLoss(p, random.key(7), x.ref, xFake.ref, { config: cfg3 }).loss,
    "WGAN-GP critic loss",
  );
  const ns = { ...cfg3, loss: "non-saturating" as const };
  // softplus goes through exp/log1p, float32-accurate even in float64 (loss rounding ~2e-7 / 2h)
  checkWeightGradient(
    d,
    (p) => discriminatorLoss(p, random.key(7), x.ref, xFake.ref, { config: ns }).loss,
    "NS loss",
    1e-3,
    1e-3,
    3e-4,
  );
  // the output bias does not move the input gradient, so its penalty gradient is exactly zero
  const g = grad((p: Mlp) => gradientPenalty(p, x.ref, { config: cfg3 }))(tree.ref(d)) as Mlp;
  assert.deepEqual(g.layers[2].b!.ref.js(), [0]);
  tree.dispose([g, d, x, xFake]);
});

test("softplus is stable: finite values and gradients for large |x|", () => {
  const x = np.array([-1000, -100, -1, 0, 1, 100, 1000]);
  const v = softplus(x.ref).js() as number[];
  const expected = [0, 0, Math.log1p(Math.exp(-1)), Math.LN2, 1 + Math.log1p(Math.exp(-1)), 100, 1000];
  for (const [i, e] of expected.entries()) close(v[i], e, 1e-6, 1e-30, `softplus(${i})`);
  const g = grad((t: Array) => softplus(t).sum())(x).js() as number[];
  assert.ok(g.every(Number.isFinite));
  close(g[6], 1, 1e-7);
  close(g[0], 0, 0, 1e-30);
});
