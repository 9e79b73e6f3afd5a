/** Errors for bad shapes and values, ownership (every method consumes its arguments exactly once), independent(). */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  Bernoulli,
  Categorical,
  Dirichlet,
  Gamma,
  independent,
  MultivariateNormal,
  NegativeBinomial,
  Normal,
  Poisson,
  ZeroInflatedNegativeBinomial,
} from "../../src/distributions/index.js";
import { ValueError } from "../../src/errors.js";
import { type Array, jit, np, random } from "../../src/jax.js";
import { arr, type Case, DISTS, loadFixture, paramsOf, values } from "./helpers.js";

test("shape errors name the arguments", () => {
  assert.throws(
    () => Normal.logProb({ loc: arr([0, 1]), scale: arr([1, 2, 3]) }, arr([0, 0])),
    /Normal: shapes of loc \[2\] and scale \[3\] must broadcast/,
  );
  assert.throws(
    () => Normal.logProb({ loc: arr([0, 1]), scale: arr([1, 2]) }, arr([0, 0, 0])),
    /Normal.logProb: x must broadcast/,
  );
  assert.throws(
    () =>
      MultivariateNormal.logProb(
        {
          loc: arr([0, 0, 0]),
          scaleTril: arr([
            [1, 0],
            [0, 1],
          ]),
        },
        arr([0, 0, 0]),
      ),
    /MultivariateNormal: scaleTril must have shape \[\.\.\., 3, 3\]/,
  );
  const eye = () =>
    arr([
      [1, 0],
      [0, 1],
    ]);
  assert.throws(
    () => MultivariateNormal.logProb({ loc: arr([0, 0]), covariance: eye() }, arr([0, 0, 0])),
    /MultivariateNormal.logProb: x must have trailing event shape \[2\]/,
  );
  assert.throws(
    () => Categorical.sample({ logits: arr(1) }, random.key(0)),
    /Categorical: logits must have shape \[\.\.\.batch, K\]/,
  );
  assert.throws(
    () => Dirichlet.mean({ concentration: arr([2]) }),
    /Dirichlet: concentration must have K >= 2/,
  );
  assert.throws(
    () => Normal.sample({ loc: arr(0), scale: arr(1) }, random.key(0), [2.5]),
    /sampleShape must be a list of non-negative integers/,
  );
});

test("validate rejects bad values, naming the argument", () => {
  assert.throws(() => Gamma.validate({ concentration: arr([1]), rate: arr([-2]) }), ValueError);
  assert.throws(
    () => Normal.validate({ loc: arr([0]), scale: arr([-1]) }),
    /Normal: scale must be positive and finite, but got \[-1\]/,
  );
  assert.throws(
    () => Normal.validate({ loc: arr([Number.NaN]), scale: arr([1]) }),
    /Normal: loc must be finite/,
  );
  assert.throws(
    () => Bernoulli.validate({ probs: arr([0.5, 1.5]) }),
    /Bernoulli: probs must be in \[0, 1\], but got \[1.5\]/,
  );
  assert.throws(() => Categorical.validate({ probs: arr([0.5, 0.6]) }), /Categorical: probs must sum to 1/);
  assert.throws(() => Poisson.validate({ rate: arr([-1]) }), /Poisson: rate must be non-negative/);
  assert.throws(
    () => NegativeBinomial.validate({ mu: arr([1]), theta: arr([0]) }),
    /NegativeBinomial: theta must be positive/,
  );
  assert.throws(
    () => ZeroInflatedNegativeBinomial.validate({ mu: arr([-2]), theta: arr([1]), ziLogits: arr([0]) }),
    /ZeroInflatedNegativeBinomial: mu must be positive/,
  );
  assert.throws(
    () => Gamma.validate({ concentration: arr([0]), rate: arr([1]) }),
    /Gamma: concentration must be positive/,
  );
  assert.throws(
    () => Dirichlet.validate({ concentration: arr([1, -1]) }),
    /Dirichlet: concentration must be positive/,
  );
  assert.throws(
    () =>
      MultivariateNormal.validate({
        loc: arr([0, 0]),
        covariance: arr([
          [1, 2],
          [2, 1],
        ]),
      }),
    /MultivariateNormal: covariance must be positive definite/,
  );
  assert.throws(
    () =>
      MultivariateNormal.validate({
        loc: arr([0, 0]),
        covariance: arr([
          [1, 0.5],
          [0.4, 1],
        ]),
      }),
    /MultivariateNormal: covariance must be symmetric/,
  );
  assert.throws(
    () =>
      MultivariateNormal.validate({
        loc: arr([0, 0]),
        scaleTril: arr([
          [1, 0],
          [0.3, -1],
        ]),
      }),
    /MultivariateNormal: scaleTril must have a positive diagonal/,
  );
});

test("validate consumes nothing and skips tracers inside jit", () => {
  const p = { loc: arr([0, 1]), scale: arr([1, 2]) };
  Normal.validate(p);
  assert.equal(values(Normal.logProb(p, arr([0, 1]))).length, 2);
  const f = jit((q: { loc: Array; scale: Array }) => {
    Normal.validate(q); // values unknown while tracing: no check, no throw
    return Normal.entropy(q);
  });
  assert.ok(Number.isNaN(values(f({ loc: arr([0]), scale: arr([-1]) }))[0]));
  f.dispose();
});

test("every method consumes each parameter leaf, the data and the key exactly once", () => {
  const { cases } = loadFixture<{ cases: Case[] }>("distributions.json");
  for (const c of cases) {
    const d = DISTS[c.dist];
    const calls: [string, (p: Record<string, Array>) => Array, Array[]][] = [];
    const x = () => arr(c.x, c.dist === "Categorical" ? np.int32 : np.float32);
    const xs = x();
    calls.push(["logProb", (p) => d.logProb(p, xs), [xs]]);
    const k = random.key(1);
    calls.push(["sample", (p) => d.sample(p, k, [2]), [k]]);
    for (const m of ["mean", "variance", "entropy"] as const) {
      const f = d[m];
      if (f) calls.push([m, (p) => f(p), []]);
    }
    for (const [name, call, extra] of calls) {
      const p = paramsOf(c, np.float32);
      const kept = Object.values(p).map((a) => a.ref);
      const extraKept = extra.map((a) => a.ref);
      values(call(p));
      for (const a of [...kept, ...extraKept]) {
        assert.equal(a.refCount, 1, `${c.dist}.${name}: an argument was not consumed exactly once`);
        a.dispose();
      }
    }
  }
});

test("independent(Normal, 1) is a diagonal Gaussian: sums over the last axis", () => {
  const DiagNormal = independent(Normal, 1);
  const p = () => ({ loc: arr([[0, 1, 2]]), scale: arr([1, 0.5, 2]) });
  assert.deepEqual(DiagNormal.batchShape(p()), [1]);
  assert.deepEqual(DiagNormal.eventShape(p()), [3]);
  const x = [
    [0.1, 0.2, 0.3],
    [1, 1, 1],
  ];
  const got = values(DiagNormal.logProb(p(), arr(x)));
  const per = values(Normal.logProb(p(), arr(x)));
  assert.deepEqual(got.length, 2);
  got.forEach((v, i) => {
    assert.ok(Math.abs(v - (per[3 * i] + per[3 * i + 1] + per[3 * i + 2])) < 1e-5);
  });
  const h = values(DiagNormal.entropy!(p()));
  const hs = values(Normal.entropy(p()));
  assert.ok(Math.abs(h[0] - hs.reduce((a, b) => a + b, 0)) < 1e-5);
  assert.throws(() => independent(Normal, -1), /independent: ndims must be a non-negative integer/);
  assert.throws(
    () => independent(Normal, 3).batchShape(p()),
    /Independent\(Normal\): batch shape must have at least 3 axes/,
  );
});
