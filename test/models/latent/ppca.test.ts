import assert from "node:assert/strict";
import { test } from "node:test";
import { NumericalError, ValueError } from "../../../src/errors.js";
import { random } from "../../../src/jax.js";
import {
  cholesky,
  choleskySolve,
  logDetFromCholesky,
  matmul,
  solve,
  transpose,
} from "../../../src/linalg/dense.js";
import { fromRows, type Matrix, zeros } from "../../../src/linalg/matrix.js";
import {
  type PpcaModel,
  pcaFit,
  pcaInverseTransform,
  pcaTransform,
  ppcaCovariance,
  ppcaFit,
  ppcaLogProb,
  ppcaPosterior,
  ppcaReconstruct,
  ppcaSample,
} from "../../../src/models/latent/index.js";
import { centre } from "../../../src/models/latent/pca.js";
import { fixture, formula, load, near, subset } from "./fixture.js";

const byName = (name: string) => fixture.datasets.find((d) => d.name === name)!;

/** The sample covariance `XcᵀXc / (n − ddof)` `[d, d]`. */
function sampleCovariance(X: Matrix, ddof = 0): Matrix {
  const { Xc } = centre(X);
  const S = matmul(transpose(Xc), Xc);
  for (let i = 0; i < S.data.length; i++) S.data[i] /= X.rows - ddof;
  return S;
}

/** log N(x; μ, C) for each row by a dense Cholesky of C (the O(d³) reference). */
function denseLogProb(model: PpcaModel, X: Matrix): Float64Array {
  const C = ppcaCovariance(model);
  const L = cholesky(C);
  const d = C.rows;
  const logdet = logDetFromCholesky(L);
  return Float64Array.from({ length: X.rows }, (_, i) => {
    const r = Float64Array.from({ length: d }, (_, j) => X.data[i * d + j] - model.mean[j]);
    const z = choleskySolve(L, r);
    let quad = 0;
    for (let j = 0; j < d; j++) quad += r[j] * z[j];
    return -0.5 * (d * Math.log(2 * Math.PI) + logdet + quad);
  });
}

test("ppcaFit (maximum likelihood): σ², eigenvalues and the density match numpy/scipy", () => {
  for (const ds of fixture.datasets) {
    const X = load(ds);
    const Xs = subset(X, ds.rows);
    for (const c of ds.ppca_ml) {
      const what = `${ds.name} q=${c.q}`;
      const m = ppcaFit(X, { nComponents: c.q });
      assert.equal(m.ddof, 0);
      near([m.noiseVariance], [c.noise_variance], 1e-9, `${what}: σ²`);
      near(m.eigenvalues, c.eigenvalues, 1e-9, `${what}: eigenvalues`);
      const wwt = ppcaCovariance(m);
      const diag = Float64Array.from({ length: ds.d }, (_, j) => wwt.data[j * ds.d + j] - m.noiseVariance);
      near(diag, c.WWt_diag, 1e-9, `${what}: diag(W Wᵀ)`);
      near(ppcaLogProb(m, Xs), c.logpdf, 1e-9, `${what}: scipy multivariate_normal.logpdf`);
    }
  }
});

test("ppcaLogProb with ddof 1 is scikit-learn's PCA.score_samples", () => {
  for (const ds of fixture.datasets) {
    const X = load(ds);
    const Xs = subset(X, ds.rows);
    for (const c of ds.cases) {
      if (!c.score_samples || c.noise_variance === 0) continue;
      const what = `${ds.name} k=${c.n_components}`;
      const m = ppcaFit(X, { nComponents: c.n_components_, ddof: 1 });
      near([m.noiseVariance], [c.noise_variance], 1e-9, `${what}: σ² = noise_variance_`);
      near(m.eigenvalues, c.explained_variance, 1e-9, `${what}: eigenvalues = explained_variance_`);
      near(ppcaLogProb(m, Xs), c.score_samples, 1e-9, `${what}: score_samples`);
    }
  }
});

test("ppcaLogProb (Woodbury, O(ndq)) equals the dense Gaussian log-density", () => {
  for (const [X, q] of [
    [load(byName("wine")), 3],
    [formula(60, 90), 4],
  ] as [Matrix, number][]) {
    const m = ppcaFit(X, { nComponents: q });
    near(ppcaLogProb(m, X), Array.from(denseLogProb(m, X)), 1e-11, "log-density");
  }
});

test("ppcaFit: W Wᵀ + σ² I reproduces the sample covariance on the retained subspace, and its trace", () => {
  for (const [name, X, q] of [
    ["lowrank", load(byName("lowrank")), 5],
    ["formula 300×120 (eigen path)", formula(300, 120), 6],
  ] as [string, Matrix, number][]) {
    const m = ppcaFit(X, { nComponents: q });
    const S = sampleCovariance(X);
    const C = ppcaCovariance(m);
    const U = m.components; // [q, d]
    const proj = (A: Matrix) => matmul(matmul(U, A), transpose(U));
    near(proj(C).data, Array.from(proj(S).data), 1e-10, `${name}: Uᵀ C U = Uᵀ S U`);
    let trC = 0;
    let trS = 0;
    for (let j = 0; j < X.cols; j++) {
      trC += C.data[j * X.cols + j];
      trS += S.data[j * X.cols + j];
    }
    assert.ok(Math.abs(trC - trS) < 1e-10 * trS, `${name}: trace`);
    // W = U (Λ − σ²)^{1/2}: the columns of W are orthogonal with squared norms λ − σ²
    const WtW = matmul(transpose(m.W), m.W);
    for (let a = 0; a < q; a++)
      for (let b = 0; b < q; b++) {
        const want = a === b ? m.eigenvalues[a] - m.noiseVariance : 0;
        assert.ok(
          Math.abs(WtW.data[a * q + b] - want) < 1e-10 * m.eigenvalues[0],
          `${name}: WᵀW[${a}, ${b}]`,
        );
      }
  }
});

test("ppcaPosterior: mean = M⁻¹Wᵀ(x − μ) = Wᵀ C⁻¹ (x − μ), cov = σ² M⁻¹; least squares as σ² → 0", () => {
  const X = load(byName("lowrank"));
  const m = ppcaFit(X, { nComponents: 5 });
  const { mean, cov } = ppcaPosterior(m, X);
  assert.deepEqual([mean.rows, mean.cols, cov.rows, cov.cols], [200, 5, 5, 5]);
  // Wᵀ C⁻¹ (x − μ), by a dense solve
  const { Xc } = centre(X);
  const R = zeros(X.rows, X.cols);
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < X.cols; j++) R.data[i * X.cols + j] = X.data[i * X.cols + j] - m.mean[j];
  const dense = transpose(matmul(transpose(m.W), solve(ppcaCovariance(m), transpose(R))));
  near(mean.data, Array.from(dense.data), 1e-10, "posterior mean");
  // cov = σ² M⁻¹, and I − Wᵀ C⁻¹ W equals it too
  const WtCinvW = matmul(transpose(m.W), solve(ppcaCovariance(m), m.W));
  const alt = WtCinvW.data.map((v, i) => (i % 6 === 0 ? 1 : 0) - v);
  near(cov.data, Array.from(alt), 1e-10, "posterior covariance");
  // σ² → 0: the posterior mean becomes the least-squares coefficients (WᵀW)⁻¹Wᵀ(x − μ)
  const tiny: PpcaModel = { ...m, noiseVariance: 1e-14 };
  const ls = transpose(solve(matmul(transpose(m.W), m.W), matmul(transpose(m.W), transpose(Xc))));
  near(ppcaPosterior(tiny, X).mean.data, Array.from(ls.data), 1e-9, "least squares");
});

test("ppcaReconstruct: projection = PCA's inverse_transform(transform); posterior mean shrinks towards μ", () => {
  const X = load(byName("wine"));
  const m = ppcaFit(X, { nComponents: 3 });
  const pca = pcaFit(X, { nComponents: 3 });
  const proj = ppcaReconstruct(m, X);
  near(proj.data, Array.from(pcaInverseTransform(pca, pcaTransform(pca, X)).data), 1e-10, "projection");
  const shrunk = ppcaReconstruct(m, X, { kind: "posterior-mean" });
  const post = ppcaPosterior(m, X).mean;
  const Wz = matmul(post, transpose(m.W));
  for (let i = 0; i < X.rows; i++) {
    let a = 0;
    let b = 0;
    for (let j = 0; j < X.cols; j++) {
      const k = i * X.cols + j;
      assert.ok(Math.abs(shrunk.data[k] - (Wz.data[k] + m.mean[j])) < 1e-9 * (1 + Math.abs(shrunk.data[k])));
      a += (shrunk.data[k] - m.mean[j]) ** 2;
      b += (proj.data[k] - m.mean[j]) ** 2;
    }
    assert.ok(a <= b * (1 + 1e-12), `row ${i}: the posterior mean lies closer to μ`);
  }
});

test("ppcaSample: 20,000 draws with a fixed key have the model's mean and covariance", () => {
  const X = load(byName("iris"));
  const m = ppcaFit(X, { nComponents: 2 });
  const N = 20000;
  const S = ppcaSample(m, random.key(42), N);
  assert.deepEqual([S.rows, S.cols], [N, 4]);
  const { mean, Xc } = centre(S);
  const C = ppcaCovariance(m);
  const emp = matmul(transpose(Xc), Xc);
  for (let a = 0; a < 4; a++) {
    const se = Math.sqrt(C.data[a * 4 + a] / N);
    assert.ok(Math.abs(mean[a] - m.mean[a]) < 5 * se, `mean[${a}]`);
    for (let b = 0; b < 4; b++) {
      const cab = C.data[a * 4 + b];
      const seab = Math.sqrt((C.data[a * 4 + a] * C.data[b * 4 + b] + cab * cab) / N);
      assert.ok(Math.abs(emp.data[a * 4 + b] / (N - 1) - cab) < 5 * seab, `cov[${a}, ${b}]`);
    }
  }
  // same key, same draws; without noise the draws lie on the q-dimensional principal subspace
  assert.deepEqual(ppcaSample(m, random.key(7), 5).data, ppcaSample(m, random.key(7), 5).data);
  const clean = ppcaSample(m, random.key(8), 50, { noise: false });
  const back = ppcaReconstruct(m, clean);
  near(back.data, Array.from(clean.data), 1e-12, "noise-free samples are their own projection");
  assert.equal(ppcaSample(m, random.key(9), 0).rows, 0);
});

test("ppcaFit and friends: argument checks", () => {
  const X = load(byName("iris"));
  assert.throws(
    () => ppcaFit(X, { nComponents: 4 }),
    /ppcaFit: nComponents must be an integer in \[1, 3\] \(d − 1\), but got 4/,
  );
  assert.throws(() => ppcaFit(X, { nComponents: 0 }), ValueError);
  assert.throws(() => ppcaFit(X, { nComponents: 1.5 }), ValueError);
  assert.throws(
    () => ppcaFit(X, {} as never),
    /nComponents must be an integer in \[1, 3\] \(d − 1\), but got undefined/,
  );
  assert.throws(
    () => ppcaFit(X, { nComponents: 1, ddof: 2 as never }),
    /ppcaFit: ddof must be 0 or 1, but got 2/,
  );
  const wide = formula(5, 8);
  assert.throws(() => ppcaFit(wide, { nComponents: 5, ddof: 1 }), /\[1, 4\] \(min\(n, d\) − 1\), but got 5/);
  const bad = { rows: 2, cols: 2, data: Float64Array.of(1, 2, 3, Number.POSITIVE_INFINITY) };
  assert.throws(
    () => ppcaFit(bad, { nComponents: 1 }),
    /ppcaFit: X must be finite, but X\[1, 1\] is Infinity/,
  );
  assert.throws(() => ppcaFit(fromRows([[1, 2, 3]]), { nComponents: 1 }), /at least 2 row\(s\), but has 1/);
  // data on a line in 3-D: no noise left for q = 1
  const line = fromRows([0, 1, 2, 3, 4].map((t) => [t, 2 * t + 1, -t]));
  assert.throws(() => ppcaFit(line, { nComponents: 1 }), NumericalError);
  const m = ppcaFit(X, { nComponents: 2 });
  assert.throws(
    () => ppcaLogProb(m, zeros(3, 5)),
    /ppcaLogProb: X must have 4 features \(columns\) as in fit, but has 5/,
  );
  assert.throws(
    () => ppcaReconstruct(m, X, { kind: "mode" as never }),
    /kind must be "projection" or "posterior-mean"/,
  );
  const key = random.key(1);
  assert.throws(() => ppcaSample(m, key, -1), /ppcaSample: n must be a non-negative integer, but got -1/);
  assert.equal(key.refCount, 0);
});
