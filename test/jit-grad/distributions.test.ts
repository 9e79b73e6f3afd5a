/**
 * Distributions (src/distributions) as used inside jitted losses: the gradient of `Σ logProb(params, x)`
 * (plus `Σ entropy(params)` where it has a closed form) w.r.t. the params is the same eagerly and under
 * `jit`. The summed log-density sends a constant cotangent into each distribution's code, the case in
 * which jax-js 0.1.25 compiles a wrong gradient through `slice`; MultivariateNormal's unrolled Cholesky
 * and forward substitution slice row by row.
 */
import { test } from "node:test";
import {
  Bernoulli,
  Categorical,
  Dirichlet,
  type Distribution,
  Gamma,
  independent,
  MultivariateNormal,
  NegativeBinomial,
  Normal,
  Poisson,
  ZeroInflatedNegativeBinomial,
} from "../../src/distributions/index.js";
import { type Array, type JsTree, np, random } from "../../src/jax.js";
import { assertJitGradMatchesEager } from "./helpers.js";

const a = (v: number[] | number[][] | number[][][]) => np.array(v);
const counts = () => np.array([0, 1, 3, 7, 2, 0]);
const loc3 = () => a([0.3, -0.2, 0.5]);
const xs3 = () =>
  a([
    [0.1, 0.4, -0.3],
    [1.2, -0.7, 0.9],
  ]);
const spd = () =>
  a([
    [2.0, 0.3, -0.4],
    [0.3, 1.5, 0.2],
    [-0.4, 0.2, 1.1],
  ]);
const tril = () =>
  a([
    [1.3, 0.0, 0.0],
    [0.4, 0.9, 0.0],
    [-0.2, 0.5, 1.6],
  ]);

type Case = [string, Distribution<never>, () => JsTree<Array>, () => Array];
const cases: Case[] = [
  ["Normal", Normal as never, () => ({ loc: a([0.2, -1]), scale: a([0.7, 1.8]) }), () => a([0.5, 0.1])],
  [
    "independent(Normal, 1)",
    independent(Normal, 1) as never,
    () => ({ loc: a([0.2, -1, 0.4]), scale: a([0.7, 1.8, 1.1]) }),
    xs3,
  ],
  [
    "MultivariateNormal (scaleTril)",
    MultivariateNormal as never,
    () => ({ loc: loc3(), scaleTril: tril() }),
    xs3,
  ],
  [
    "MultivariateNormal (covariance)",
    MultivariateNormal as never,
    () => ({ loc: loc3(), covariance: spd() }),
    xs3,
  ],
  [
    "MultivariateNormal (batched covariance)",
    MultivariateNormal as never,
    () => ({
      loc: np.stack([loc3(), loc3().mul(2)]),
      covariance: np.stack([spd(), tril().add(np.eye(3).mul(2))]),
    }),
    () => xs3().reshape([2, 3]),
  ],
  ["Bernoulli (logits)", Bernoulli as never, () => ({ logits: a([0.3, -1.2, 2]) }), () => a([1, 0, 1])],
  ["Bernoulli (probs)", Bernoulli as never, () => ({ probs: a([0.3, 0.6, 0.9]) }), () => a([1, 0, 1])],
  [
    "Categorical (logits)",
    Categorical as never,
    () => ({ logits: a([0.3, -1.2, 2, 0.1]) }),
    () => np.array([0, 2, 3, 2], { dtype: np.int32 }),
  ],
  [
    "Categorical (probs)",
    Categorical as never,
    () => ({ probs: a([0.1, 0.2, 0.3, 0.4]) }),
    () => np.array([0, 2, 3, 2], { dtype: np.int32 }),
  ],
  ["Poisson (rate)", Poisson as never, () => ({ rate: a([0.5, 2, 4, 6, 1, 0.2]) }), counts],
  ["Poisson (logRate)", Poisson as never, () => ({ logRate: a([-0.5, 0.7, 1.4, 1.8, 0, -1.6]) }), counts],
  [
    "NegativeBinomial",
    NegativeBinomial as never,
    () => ({ mu: a([0.5, 2, 4, 6, 1, 0.2]), theta: a([0.8, 3, 0.4, 10, 1, 2]) }),
    counts,
  ],
  [
    "ZeroInflatedNegativeBinomial",
    ZeroInflatedNegativeBinomial as never,
    () => ({
      mu: a([0.5, 2, 4, 6, 1, 0.2]),
      theta: a([0.8, 3, 0.4, 10, 1, 2]),
      ziLogits: a([-1, 0.5, 0, 2, -3, 1]),
    }),
    counts,
  ],
  [
    "Gamma",
    Gamma as never,
    () => ({ concentration: a([0.7, 2.5, 9]), rate: a([1.5, 0.4, 2]) }),
    () => a([0.3, 4, 5]),
  ],
  [
    "Dirichlet",
    Dirichlet as never,
    () => ({ concentration: a([0.8, 2.5, 4]) }),
    () =>
      a([
        [0.2, 0.3, 0.5],
        [0.6, 0.1, 0.3],
      ]),
  ],
];

for (const [name, dist, params, x] of cases)
  test(`${name}: jit(grad) equals grad for Σ logProb, Σ entropy and reparameterised Σ sample`, () => {
    const logProb = (p: never, xx: Array) => dist.logProb(p, xx).sum();
    assertJitGradMatchesEager(`${name} logProb`, logProb, params as never, () => [x()]);
    const entropy = dist.entropy;
    if (entropy !== undefined)
      assertJitGradMatchesEager(`${name} entropy`, (p: never) => entropy(p).sum(), params as never);
    if (dist.reparameterized) {
      const sample = (p: never, key: Array) => dist.sample(p, key, [4]).sum();
      assertJitGradMatchesEager(`${name} sample`, sample, params as never, () => [random.key(7)]);
    }
  });
