import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { iris } from "../../../src/data/datasets/index.js";
import { NumericalError, ValueError } from "../../../src/errors.js";
import { np, random } from "../../../src/jax.js";
import { fromRows, type Matrix } from "../../../src/linalg/matrix.js";
import {
  type CovarianceType,
  GaussianMixture,
  type GaussianMixtureFitted,
  type GaussianMixtureInit,
} from "../../../src/models/classifiers/gaussian-mixture.js";

type Run = {
  weights: number[];
  means: number[][];
  covariances: number[] | number[][] | number[][][];
  precisions_cholesky: number[] | number[][] | number[][][];
  lower_bound: number;
  n_iter: number;
  converged: boolean;
  score: number;
  bic: number;
  aic: number;
  n_parameters: number;
  score_samples?: number[];
  predict_proba?: number[][];
  predict?: number[];
};
type Case = {
  name: string;
  data: "iris" | "blobs";
  covariance_type: CovarianceType;
  n_components: number;
  init: { weights: number[]; means: number[][]; precisions: number[] | number[][] | number[][][] };
  tight: Run;
  steps: Run;
  default: Run;
};
const fixture: { sklearn: string; blobs: number[][]; cases: Case[] } = JSON.parse(
  readFileSync(new URL("../../fixtures/classifiers/mixture.json", import.meta.url), "utf8"),
);
const data = (name: "iris" | "blobs"): Matrix => fromRows(name === "iris" ? iris.X : fixture.blobs);

/** scikit-learn's precisions_init array in our list-of-Matrix layout. */
function initOf(c: Case): GaussianMixtureInit {
  const p = c.init.precisions;
  const precisions =
    c.covariance_type === "full"
      ? (p as number[][][]).map((m) => fromRows(m))
      : c.covariance_type === "spherical"
        ? [fromRows((p as number[]).map((v) => [v]))]
        : [fromRows(p as number[][])];
  return { weights: c.init.weights, means: fromRows(c.init.means), precisions };
}

function close(a: ArrayLike<number>, b: number[], rel: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  const scale = Math.max(...b.map(Math.abs));
  for (let i = 0; i < b.length; i++)
    assert.ok(Math.abs(a[i] - b[i]) <= rel * scale, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

const flat = (m: Matrix[]) => m.flatMap((x) => Array.from(x.data));

test(`fixtures: EM from the same initial parameters agrees with scikit-learn ${fixture.sklearn}`, () => {
  for (const c of fixture.cases) {
    const X = data(c.data);
    for (const mode of ["tight", "steps", "default"] as const) {
      const ref = c[mode];
      const opts =
        mode === "tight"
          ? { tol: 1e-10, maxIter: 100000 }
          : mode === "steps"
            ? { tol: 1e-10, maxIter: 5 }
            : {};
      const f = GaussianMixture.fit(random.key(0), X, {
        nComponents: c.n_components,
        covarianceType: c.covariance_type,
        init: initOf(c),
        ...opts,
      });
      const what = `${c.name} (${mode})`;
      assert.equal(f.nIter, ref.n_iter, `${what}: n_iter`);
      assert.equal(f.converged, ref.converged, `${what}: converged`);
      assert.ok(
        Math.abs(f.lowerBound - ref.lower_bound) <= 1e-10 * Math.abs(ref.lower_bound),
        `${what}: lower bound`,
      );
      const score = GaussianMixture.score(f, X);
      assert.ok(
        Math.abs(score - ref.score) <= 1e-10 * Math.abs(ref.score),
        `${what}: score ${score} vs ${ref.score}`,
      );
      close(f.weights, ref.weights, 1e-9, `${what}: weights`);
      close(f.means.data, ref.means.flat(), 1e-9, `${what}: means`);
      close(flat(f.covariances), (ref.covariances as number[]).flat(2), 1e-9, `${what}: covariances`);
      close(
        flat(f.precisionsCholesky),
        (ref.precisions_cholesky as number[]).flat(2),
        1e-9,
        `${what}: precisions_cholesky`,
      );
      assert.ok(Math.abs(GaussianMixture.bic(f, X) - ref.bic) <= 1e-10 * Math.abs(ref.bic), `${what}: bic`);
      assert.ok(Math.abs(GaussianMixture.aic(f, X) - ref.aic) <= 1e-10 * Math.abs(ref.aic), `${what}: aic`);
      assert.equal(GaussianMixture.nParameters(f), ref.n_parameters);
      if (ref.score_samples) {
        close(GaussianMixture.logProb(f, X), ref.score_samples, 1e-10, `${what}: score_samples`);
        const p = GaussianMixture.predictProba(f, X);
        const pp = ref.predict_proba!.flat();
        for (let i = 0; i < pp.length; i++)
          assert.ok(Math.abs(p.data[i] - pp[i]) < 1e-6, `${what}: predict_proba[${i}]`);
        assert.deepEqual(GaussianMixture.predict(f, X), ref.predict);
      }
    }
  }
});

test("EM never decreases the lower bound", () => {
  const cases = [
    { X: data("iris"), covarianceType: "diag" as const, init: "random" as const, seed: 3 },
    { X: data("iris"), covarianceType: "full" as const, init: "kmeans++" as const, seed: 4 },
    { X: data("blobs"), covarianceType: "spherical" as const, init: "random" as const, seed: 5 },
    { X: data("blobs"), covarianceType: "tied" as const, init: "random" as const, seed: 6 },
  ];
  for (const { X, covarianceType, init, seed } of cases) {
    // fitting with maxIter = t returns the lower bound of EM step t from the same start
    let prev = Number.NEGATIVE_INFINITY;
    for (let t = 1; t <= 25; t++) {
      const f = GaussianMixture.fit(random.key(seed), X, {
        nComponents: 3,
        covarianceType,
        init,
        maxIter: t,
        tol: 0,
      });
      assert.equal(f.nIter, t);
      assert.ok(
        f.lowerBound >= prev - 1e-12 * Math.abs(prev),
        `${covarianceType}/${init} step ${t}: ${f.lowerBound} < ${prev}`,
      );
      prev = f.lowerBound;
    }
  }
});

test("restarts keep the best lower bound: nInit = 5 equals the best of its five keys", () => {
  const X = data("blobs");
  for (const init of ["kmeans++", "random"] as const) {
    const opts = { nComponents: 5, covarianceType: "full" as const, init, tol: 1e-6 };
    const singles = np.unstack(random.split(random.key(11), 5)).map((k) => GaussianMixture.fit(k, X, opts));
    const best = GaussianMixture.fit(random.key(11), X, { ...opts, nInit: 5 });
    const bounds = singles.map((s) => s.lowerBound);
    const i = bounds.indexOf(Math.max(...bounds));
    assert.equal(best.lowerBound, bounds[i]);
    assert.deepEqual(Array.from(best.means.data), Array.from(singles[i].means.data));
    assert.equal(best.nIter, singles[i].nIter);
    assert.ok(
      new Set(bounds.map((b) => b.toFixed(6))).size > 1,
      `${init}: all restarts reached the same optimum`,
    );
  }
});

function fitBlobs(covarianceType: CovarianceType): GaussianMixtureFitted {
  return GaussianMixture.fit(random.key(2), data("blobs"), { nComponents: 3, covarianceType, nInit: 2 });
}

test("samples match the mixture's weights and moments; deterministic given the key", () => {
  for (const type of ["full", "tied", "diag", "spherical"] as const) {
    const f = fitBlobs(type);
    const n = 20000;
    const { X, y } = GaussianMixture.sample(f, random.key(9), n);
    const again = GaussianMixture.sample(f, random.key(9), n);
    assert.deepEqual(again.X.data, X.data);
    assert.deepEqual(again.y, y);
    const other = GaussianMixture.sample(f, random.key(10), 5);
    assert.notDeepEqual(Array.from(other.X.data), Array.from(X.data.subarray(0, 10)));
    const d = 2;
    // component frequencies within 4.5 binomial standard errors
    for (let k = 0; k < 3; k++) {
      const freq = y.filter((v) => v === k).length / n;
      const se = Math.sqrt((f.weights[k] * (1 - f.weights[k])) / n);
      assert.ok(Math.abs(freq - f.weights[k]) < 4.5 * se, `${type}: weight ${k}`);
    }
    // mixture mean and covariance: E[x] = Σ π μ, Cov = Σ π (Σ_k + μ μᵀ) − m mᵀ
    const cov = (k: number, a: number, b: number) => {
      const c = f.covariances;
      if (type === "full") return c[k].data[a * d + b];
      if (type === "tied") return c[0].data[a * d + b];
      if (a !== b) return 0;
      return type === "diag" ? c[0].data[k * d + a] : c[0].data[k];
    };
    const m = [0, 1].map((j) => [0, 1, 2].reduce((s, k) => s + f.weights[k] * f.means.data[k * d + j], 0));
    const sm = [0, 1].map((j) => X.data.filter((_, t) => t % d === j).reduce((s, v) => s + v, 0) / n);
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        const c =
          [0, 1, 2].reduce(
            (s, k) => s + f.weights[k] * (cov(k, a, b) + f.means.data[k * d + a] * f.means.data[k * d + b]),
            0,
          ) -
          m[a] * m[b];
        let sc = 0;
        for (let i = 0; i < n; i++) sc += (X.data[i * d + a] - sm[a]) * (X.data[i * d + b] - sm[b]);
        sc /= n;
        assert.ok(
          Math.abs(sc - c) < 0.05 * Math.sqrt(cov(0, a, a) * cov(0, b, b) + c * c),
          `${type}: cov[${a},${b}] ${sc} vs ${c}`,
        );
      }
      const sd = Math.sqrt(
        [0, 1, 2].reduce((s, k) => s + f.weights[k] * (cov(k, a, a) + f.means.data[k * d + a] ** 2), 0) -
          m[a] ** 2,
      );
      assert.ok(Math.abs(sm[a] - m[a]) < 4.5 * (sd / Math.sqrt(n)), `${type}: mean[${a}]`);
    }
    // a fixed component: its own mean
    const one = GaussianMixture.sample(f, random.key(12), 4000, { class: 1 });
    assert.ok(one.y.every((v) => v === 1));
    for (let j = 0; j < d; j++) {
      const mean = one.X.data.filter((_, t) => t % d === j).reduce((s, v) => s + v, 0) / 4000;
      assert.ok(
        Math.abs(mean - f.means.data[d + j]) < 4.5 * Math.sqrt(cov(1, j, j) / 4000),
        `${type}: class 1 mean`,
      );
    }
  }
});

test("invariants: responsibilities, log-marginal, predict, score, BIC/AIC, a plain fitted value", () => {
  const X = data("iris");
  const f = GaussianMixture.fit(random.key(1), X, { nComponents: 3, covarianceType: "full", nInit: 2 });
  const lj = GaussianMixture.logJoint(f, X);
  const lm = GaussianMixture.logMarginal(f, X);
  const p = GaussianMixture.predictProba(f, X);
  const lp = GaussianMixture.predictLogProba(f, X);
  const pred = GaussianMixture.predict(f, X);
  for (let i = 0; i < X.rows; i++) {
    const row = [0, 1, 2].map((k) => lj.data[i * 3 + k]);
    const max = Math.max(...row);
    assert.ok(Math.abs(lm[i] - (max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)))) < 1e-12);
    assert.ok(Math.abs(p.data[i * 3] + p.data[i * 3 + 1] + p.data[i * 3 + 2] - 1) < 1e-14);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(Math.exp(lp.data[i * 3 + k]) - p.data[i * 3 + k]) < 1e-15);
    assert.equal(pred[i], row.indexOf(max));
  }
  const mean = lm.reduce((s, v) => s + v, 0) / X.rows;
  assert.ok(Math.abs(GaussianMixture.score(f, X) - mean) < 1e-14);
  assert.deepEqual(GaussianMixture.logProb(f, X), lm);
  const k = GaussianMixture.nParameters(f);
  assert.equal(k, 3 * 10 + 3 * 4 + 2);
  assert.ok(Math.abs(GaussianMixture.bic(f, X) - (-2 * mean * 150 + k * Math.log(150))) < 1e-9);
  assert.ok(Math.abs(GaussianMixture.aic(f, X) - (-2 * mean * 150 + 2 * k)) < 1e-9);
  assert.deepEqual(f.classes, [0, 1, 2]);
  assert.equal(f.kind, "gmm");
  // a plain object: JSON-able scalars, Matrix / Float64Array leaves, lists of Matrix
  const isMatrix = (v: unknown) =>
    typeof v === "object" && v !== null && (v as Matrix).data instanceof Float64Array;
  for (const [key, v] of Object.entries(f)) {
    const ok =
      v instanceof Float64Array ||
      isMatrix(v) ||
      (Array.isArray(v) && v.every((x) => isMatrix(x) || typeof x === "number")) ||
      ["string", "number", "boolean"].includes(typeof v);
    assert.ok(ok, `field ${key}`);
  }
  // the fitted value on X is at least as likely as a single Gaussian
  const one = GaussianMixture.fit(random.key(1), X, { nComponents: 1 });
  assert.ok(GaussianMixture.score(f, X) > GaussianMixture.score(one, X));
});

test("maxIter 0 returns the initial parameters", () => {
  const c = fixture.cases.find((k) => k.name === "iris kmeans full")!;
  const f = GaussianMixture.fit(random.key(0), data("iris"), { nComponents: 3, init: initOf(c), maxIter: 0 });
  assert.equal(f.nIter, 0);
  assert.equal(f.lowerBound, Number.NEGATIVE_INFINITY);
  close(f.means.data, c.init.means.flat(), 1e-15, "means");
  // covariances are the inverse precisions
  const P = (c.init.precisions as number[][][])[0];
  const S = f.covariances[0];
  for (let a = 0; a < 4; a++)
    for (let b = 0; b < 4; b++) {
      const v = [0, 1, 2, 3].reduce((s, t) => s + S.data[a * 4 + t] * P[t][b], 0);
      assert.ok(Math.abs(v - (a === b ? 1 : 0)) < 1e-9);
    }
});

test("bad input", () => {
  const X = data("iris");
  const key = () => random.key(0);
  assert.throws(() => GaussianMixture.fit(key(), fromRows([[1, 2]])), /at least 2 row/);
  assert.throws(
    () => GaussianMixture.fit(key(), fromRows([[1], [2]]), { nComponents: 3 }),
    /at least nComponents \(3\) rows/,
  );
  assert.throws(
    () => GaussianMixture.fit(key(), X, { covarianceType: "block" as "full" }),
    /covarianceType must be/,
  );
  assert.throws(() => GaussianMixture.fit(key(), X, { nInit: 0 }), /nInit must be an integer >= 1/);
  assert.throws(() => GaussianMixture.fit(key(), X, { regCovar: -1 }), /regCovar must be a number >= 0/);
  const c = fixture.cases.find((k) => k.name === "iris kmeans full")!;
  const init = initOf(c);
  assert.throws(
    () => GaussianMixture.fit(key(), X, { nComponents: 3, init: { ...init, weights: [0.5, 0.5, 0.5] } }),
    /init.weights must sum to 1/,
  );
  assert.throws(
    () =>
      GaussianMixture.fit(key(), X, { nComponents: 3, init: { ...init, means: fromRows([[1, 2, 3, 4]]) } }),
    /init.means must be a \[3, 4\] Matrix/,
  );
  const notPD = {
    ...init,
    precisions: init.precisions.map((m, k) => (k === 1 ? { ...m, data: m.data.map((v) => -v) } : m)),
  };
  assert.throws(
    () => GaussianMixture.fit(key(), X, { nComponents: 3, init: notPD }),
    /init.precisions\[1\] must be positive definite/,
  );
  // a collapsed component without regularisation: a clear NumericalError, not NaN
  const dup = fromRows([
    [0, 0],
    [0, 0],
    [0, 0],
    [5, 5],
    [5, 6],
    [6, 5],
  ]);
  assert.throws(
    () => GaussianMixture.fit(key(), dup, { nComponents: 2, regCovar: 0 }),
    (e: unknown) => e instanceof NumericalError && /not positive definite.*increase regCovar/.test(e.message),
  );
  assert.throws(
    () => GaussianMixture.fit(key(), { rows: 2, cols: 2, data: new Float64Array([1, 2, 3, Number.NaN]) }),
    /X\[1, 1\] is NaN/,
  );
  const f = GaussianMixture.fit(key(), X, { nComponents: 2 });
  assert.throws(() => GaussianMixture.predict(f, fromRows([[1, 2]])), /must have 4 features/);
  assert.throws(() => GaussianMixture.sample(f, key(), 3, { class: 2 }), ValueError);
  assert.throws(() => GaussianMixture.sample(f, key(), -1), /n must be an integer >= 0/);
});
