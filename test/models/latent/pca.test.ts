import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../../src/errors.js";
import { random } from "../../../src/jax.js";
import { matmulTransposeB } from "../../../src/linalg/dense.js";
import { fromRows, type Matrix, zeros } from "../../../src/linalg/matrix.js";
import { pcaFit, pcaInverseTransform, pcaTransform } from "../../../src/models/latent/index.js";
import { centre } from "../../../src/models/latent/pca.js";
import { svdEigen, svdJacobi } from "../../../src/models/latent/pca-solvers.js";
import { fixture, formula, load, near, subset } from "./fixture.js";

const TOL = 1e-9;

test("pcaFit: matches scikit-learn's PCA(svd_solver='full') on every fixture case", () => {
  for (const ds of fixture.datasets) {
    const X = load(ds);
    const Xs = subset(X, ds.rows);
    for (const c of ds.cases) {
      const what = `${ds.name} k=${c.n_components}${c.whiten ? " whiten" : ""}`;
      const m = pcaFit(X, { nComponents: c.n_components, whiten: c.whiten, solver: "full" });
      assert.equal(m.components.rows, c.n_components_, `${what}: n_components_`);
      assert.equal(m.nSamples, ds.n);
      assert.equal(m.solver, "full");
      near(m.mean, c.mean, TOL, `${what}: mean`);
      near(m.components.data, c.components, TOL, `${what}: components`);
      near(m.explainedVariance, c.explained_variance, TOL, `${what}: explained_variance`);
      near(m.explainedVarianceRatio, c.explained_variance_ratio, TOL, `${what}: explained_variance_ratio`);
      near(m.singularValues, c.singular_values, TOL, `${what}: singular_values`);
      near([m.noiseVariance], [c.noise_variance], TOL, `${what}: noise_variance`);
      const Z = pcaTransform(m, Xs);
      near(Z.data, c.transform, TOL, `${what}: transform`);
      const Z5 = fromRows(c.transform.slice(0, 5));
      near(pcaInverseTransform(m, Z5).data, c.inverse_transform, TOL, `${what}: inverse_transform`);
    }
  }
});

test("pcaFit: the scatter-eigendecomposition path agrees with the Jacobi SVD path", () => {
  const cases: [string, Matrix][] = [
    ["lowrank", load(fixture.datasets.find((d) => d.name === "lowrank")!)],
    ["wide", load(fixture.datasets.find((d) => d.name === "wide")!)],
    ["formula 150×90", formula(150, 90)],
    ["formula 60×90", formula(60, 90)],
  ];
  for (const [name, X] of cases) {
    const { Xc } = centre(X);
    const r = Math.min(X.rows, X.cols);
    const k = Math.min(8, r - 1);
    const jac = svdJacobi(Xc, () => k);
    const eig = svdEigen(Xc, () => k);
    // singular values: the eigen path resolves s² to ~ε s_max², so s to ε s_max² / s, and reports
    // those below √(r ε) s_max as 0
    const s0 = jac.s[0];
    for (let j = 0; j < r; j++) {
      const tol = Math.max(
        1e-12 * s0 + (1e-13 * s0 ** 2) / Math.max(jac.s[j], 1e-300),
        1.01 * Math.sqrt(r * 2 ** -52) * s0,
      );
      assert.ok(Math.abs(eig.s[j] - jac.s[j]) <= tol, `${name}: s[${j}] ${eig.s[j]} vs ${jac.s[j]}`);
    }
    near(eig.components, Array.from(jac.components), 1e-9, `${name}: components`);
  }
});

test("pcaFit: every component (k = min(n, d)) by both paths, rank-deficient wide data included", () => {
  for (const X of [formula(40, 25), formula(20, 45)]) {
    const { Xc } = centre(X);
    const r = Math.min(X.rows, X.cols);
    for (const res of [svdJacobi(Xc, () => r), svdEigen(Xc, () => r)]) {
      const V = { rows: r, cols: X.cols, data: res.components };
      const G = matmulTransposeB(V, V);
      for (let i = 0; i < r; i++)
        for (let j = 0; j < r; j++)
          assert.ok(Math.abs(G.data[i * r + j] - (i === j ? 1 : 0)) < 1e-10, `VVᵀ[${i}, ${j}]`);
    }
    const m = pcaFit(X, { solver: "full" });
    assert.equal(m.components.rows, r);
    assert.equal(m.noiseVariance, 0);
    // all components: the inverse transform of the transform gives X back
    const back = pcaInverseTransform(m, pcaTransform(m, X));
    near(back.data, Array.from(X.data), 1e-12, "reconstruction");
  }
});

test("pcaFit: the randomized solver agrees with the exact one on data with a spectral gap", () => {
  for (const [name, X, k] of [
    ["lowrank", load(fixture.datasets.find((d) => d.name === "lowrank")!), 5],
    ["formula 400×160", formula(400, 160), 5],
    ["formula 120×300", formula(120, 300), 6],
  ] as [string, Matrix, number][]) {
    const full = pcaFit(X, { nComponents: k, solver: "full" });
    const rnd = pcaFit(X, { nComponents: k, solver: "randomized", key: random.key(3) });
    assert.equal(rnd.solver, "randomized");
    near(rnd.singularValues, Array.from(full.singularValues), 1e-10, `${name}: singular values`);
    near(rnd.explainedVarianceRatio, Array.from(full.explainedVarianceRatio), 1e-10, `${name}: ratio`);
    near([rnd.noiseVariance], [full.noiseVariance], 1e-8, `${name}: noise variance`);
    near(rnd.components.data, Array.from(full.components.data), 1e-8, `${name}: components`);
  }
});

test("pcaFit: randomized solver with few iterations: lower bounds that tighten with power iterations; keys are consumed", () => {
  const X = formula(200, 120);
  const full = pcaFit(X, { nComponents: 3, solver: "full" });
  const key = random.key(0);
  const rough = pcaFit(X, { nComponents: 3, solver: "randomized", nIter: 0, nOversamples: 2, key });
  assert.equal(key.refCount, 0);
  const better = pcaFit(X, {
    nComponents: 3,
    solver: "randomized",
    nIter: 1,
    nOversamples: 10,
    key: random.key(0),
  });
  // Rayleigh–Ritz values from a subspace are lower bounds on the singular values
  for (let j = 0; j < 3; j++) {
    const s = full.singularValues[j];
    assert.ok(rough.singularValues[j] <= s * (1 + 1e-12), `s[${j}] is a lower bound`);
    assert.ok(rough.singularValues[j] >= 0.75 * s, `s[${j}] is within 25%`);
    assert.ok(Math.abs(better.singularValues[j] - s) <= 1e-9 * s, `s[${j}] after one power iteration`);
  }
  // the same key gives the same fit; no key gives a fixed seed
  const again = pcaFit(X, {
    nComponents: 3,
    solver: "randomized",
    nIter: 0,
    nOversamples: 2,
    key: random.key(0),
  });
  assert.deepEqual(again.components.data, rough.components.data);
  const r1 = pcaFit(X, { nComponents: 3, solver: "randomized" });
  const r2 = pcaFit(X, { nComponents: 3, solver: "randomized" });
  assert.deepEqual(r1.components.data, r2.components.data);
  const k2 = random.key(0);
  pcaFit(X, { nComponents: 3, solver: "full", key: k2 });
  assert.equal(k2.refCount, 0);
});

test("pcaFit: solver 'auto' follows scikit-learn's rule", () => {
  const small = formula(100, 20);
  assert.equal(pcaFit(small, { nComponents: 3 }).solver, "full");
  const tall = formula(520, 12);
  assert.equal(pcaFit(tall, { nComponents: 3 }).solver, "randomized");
  assert.equal(pcaFit(tall, { nComponents: 10 }).solver, "full"); // 10 ≥ 0.8 · 12
  assert.equal(pcaFit(tall, { nComponents: 0.9 }).solver, "full");
});

test("pcaTransform: whitened scores have unit sample variance and uncorrelated columns", () => {
  const X = load(fixture.datasets.find((d) => d.name === "wine")!);
  const m = pcaFit(X, { nComponents: 4, whiten: true });
  const Z = pcaTransform(m, X);
  const { Xc: Zc } = centre(Z);
  const cov = matmulTransposeB(
    { rows: 4, cols: Z.rows, data: transposeData(Zc) },
    { rows: 4, cols: Z.rows, data: transposeData(Zc) },
  );
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++)
      assert.ok(Math.abs(cov.data[i * 4 + j] / (Z.rows - 1) - (i === j ? 1 : 0)) < 1e-10, `cov[${i}, ${j}]`);
  // scores have zero mean on the training data
  for (let j = 0; j < 4; j++) {
    let s = 0;
    for (let i = 0; i < Z.rows; i++) s += Z.data[i * 4 + j];
    assert.ok(Math.abs(s / Z.rows) < 1e-10);
  }
});

function transposeData(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) out[j * m.rows + i] = m.data[i * m.cols + j];
  return out;
}

test("pcaFit: argument checks name the argument, the expectation and the value", () => {
  const X = fromRows([
    [1, 2, 3],
    [4, 5, 7],
    [0, 1, 1],
  ]);
  const bad = zeros(3, 3);
  bad.data[4] = Number.NaN;
  assert.throws(() => pcaFit(bad), /pcaFit: X must be finite, but X\[1, 1\] is NaN/);
  assert.throws(() => pcaFit(fromRows([[1, 2, 3]])), /pcaFit: X must have at least 2 row\(s\), but has 1/);
  for (const k of [0, 4, 1.5, -0.2, Number.NaN])
    assert.throws(
      () => pcaFit(X, { nComponents: k }),
      /pcaFit: nComponents must be an integer in \[1, 3\] \(min\(n, d\)\) or a fraction in \(0, 1\), but got/,
    );
  assert.throws(
    () => pcaFit(X, { nComponents: 0.5, solver: "randomized" }),
    /must be an integer with solver "randomized"/,
  );
  assert.throws(
    () => pcaFit(X, { solver: "arpack" as never }),
    /solver must be "full", "randomized" or "auto", but got "arpack"/,
  );
  assert.throws(() => pcaFit(X, { nIter: -1, solver: "randomized" }), /nIter must be a non-negative integer/);
  const key = random.key(1);
  assert.throws(() => pcaFit(X, { nComponents: 9, key }), ValueError);
  assert.equal(key.refCount, 0);
  const m = pcaFit(X, { nComponents: 2 });
  assert.throws(
    () => pcaTransform(m, zeros(2, 4)),
    /pcaTransform: X must have 3 features \(columns\) as in fit, but has 4/,
  );
  assert.throws(
    () => pcaInverseTransform(m, zeros(2, 3)),
    /pcaInverseTransform: Z must be a Matrix with 2 columns/,
  );
});
