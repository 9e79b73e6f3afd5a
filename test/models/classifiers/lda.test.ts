import assert from "node:assert/strict";
import { test } from "node:test";
import { NumericalError, ValueError } from "../../../src/errors.js";
import { random } from "../../../src/jax.js";
import { logSumExpRows } from "../../../src/linalg/dense.js";
import { fromRows, type Matrix, takeRows, zeros } from "../../../src/linalg/matrix.js";
import { decodeFitted, encodeFitted } from "../../../src/models/classifiers/checkpoint.js";
import { LDA, type LDAOptions } from "../../../src/models/classifiers/lda.js";
import { ledoitWolf } from "../../../src/models/classifiers/shrinkage.js";
import { DATA, fixture, flat, load, near } from "./discriminant-fixture.js";

/** Coefficients: |a − b| ≤ rtol × (largest |b| in the same row). */
function nearRows(actual: Matrix, expected: number[][], rtol: number, what: string): void {
  assert.equal(actual.rows, expected.length, `${what}: rows`);
  for (let r = 0; r < expected.length; r++) {
    const scale = Math.max(...expected[r].map(Math.abs));
    near(
      actual.data.subarray(r * actual.cols, (r + 1) * actual.cols),
      expected[r],
      rtol * scale,
      0,
      `${what} row ${r}`,
    );
  }
}

function ldaOptions(p: Record<string, unknown>): LDAOptions {
  return {
    solver: p.solver as LDAOptions["solver"],
    shrinkage: p.shrinkage as LDAOptions["shrinkage"],
    priors: p.priors as number[] | null,
  };
}

test("the built-in datasets hold scikit-learn's values", () => {
  for (const ds of fixture.datasets) {
    const data = DATA[ds.name as keyof typeof DATA];
    assert.equal(data.X.length, ds.n);
    assert.equal(data.X[0].length, ds.d);
    assert.equal(data.X[0][0], ds.check.X00);
    assert.equal(data.X[ds.n - 1][ds.d - 1], ds.check.Xlast);
    assert.equal(
      data.y.reduce((s, v) => s + v, 0),
      ds.check.y_sum,
    );
  }
});

test("LDA agrees with scikit-learn on Iris, Wine and Breast Cancer for every solver and shrinkage", () => {
  let checked = 0;
  for (const ds of fixture.datasets) {
    const { X, y } = load(ds.name);
    const Xs = takeRows(X, ds.rows);
    for (const c of ds.cases.filter((k) => k.model === "lda")) {
      const what = `${ds.name} ${JSON.stringify(c.params)}`;
      const f = LDA.fit(X, y, ldaOptions(c.params));
      near(f.means.data, c.means, 0, 1e-12, `${what} means`);
      near(f.priors, c.priors, 0, 1e-12, `${what} priors`);
      nearRows(f.coef, c.coef as number[][], 1e-5, `${what} coef`);
      const coefScale = Math.max(...flat(c.coef).map(Math.abs));
      near(f.intercept, c.intercept, 1e-5 * coefScale, 1e-5, `${what} intercept`);
      near(f.covariance.data, c.covariance, 0, 1e-9, `${what} covariance`);
      near(LDA.predictProba(f, Xs).data, c.predict_proba, 1e-6, 0, `${what} predict_proba`);
      near(LDA.decisionFunction(f, Xs).data, c.decision_function, 1e-6, 1e-6, `${what} decision_function`);
      assert.deepEqual(LDA.predict(f, Xs), c.predict, `${what} predict`);
      near(LDA.logJoint(f, Xs).data, c.log_joint, 1e-8, 1e-9, `${what} logJoint`);
      if (c.xbar) near(f.xbar, c.xbar, 0, 1e-12, `${what} xbar`);
      if (c.explained_variance_ratio) {
        near(
          f.explainedVarianceRatio,
          c.explained_variance_ratio,
          1e-8,
          0,
          `${what} explained_variance_ratio`,
        );
        // transform: each column is defined up to its sign
        const t = LDA.transform(f, takeRows(X, [0, 1, 2, 3, 4]));
        const ref = c.transform_first5 as number[][];
        assert.equal(t.cols, ref[0].length, `${what} transform dims`);
        for (let k = 0; k < t.cols; k++) {
          const sign = Math.sign(t.data[k]) * Math.sign(ref[0][k]);
          const col = Array.from({ length: 5 }, (_, i) => sign * t.data[i * t.cols + k]);
          const scale = Math.max(...ref.map((r) => Math.abs(r[k])));
          near(
            col,
            ref.map((r) => r[k]),
            1e-6 * scale,
            0,
            `${what} transform column ${k}`,
          );
        }
      }
      checked++;
    }
  }
  assert.equal(checked, 17);
});

test("svd and lsqr agree: the svd decision function is lsqr's with the pooled (n − C) covariance", () => {
  for (const name of ["iris", "wine", "breast-cancer"]) {
    const { X, y } = load(name);
    const a = LDA.fit(X, y, { solver: "svd" });
    const b = LDA.fit(X, y, { solver: "lsqr" });
    const C = a.classes.length;
    const s = (X.rows - C) / X.rows;
    const fa = LDA.decisionFunction(a, X);
    const fb = LDA.decisionFunction(b, X);
    const logPrior = Array.from(a.priors, Math.log);
    for (let i = 0; i < X.rows; i++) {
      if (C === 2) {
        const lr = logPrior[1] - logPrior[0];
        const u = (fa.data[i] - lr) / s;
        const v = fb.data[i] - lr;
        assert.ok(Math.abs(u - v) < 1e-7 * Math.max(1, Math.abs(v)), `${name} row ${i}: ${u} vs ${v}`);
        continue;
      }
      // (f_svd − log π)/s − (f_lsqr − log π) is the same for every class
      const g = Array.from(
        { length: C },
        (_, c) => (fa.data[i * C + c] - logPrior[c]) / s - (fb.data[i * C + c] - logPrior[c]),
      );
      for (let c = 1; c < C; c++)
        assert.ok(Math.abs(g[c] - g[0]) < 1e-7 * Math.max(1, Math.abs(g[0])), `${name} row ${i}`);
    }
    const pa = LDA.predictProba(a, X);
    const pb = LDA.predictProba(b, X);
    let agree = 0;
    const la = LDA.predict(a, X);
    const lb = LDA.predict(b, X);
    for (let i = 0; i < X.rows; i++) if (la[i] === lb[i]) agree++;
    assert.ok(agree >= X.rows - 1, `${name}: ${agree} of ${X.rows} predictions agree`);
    let maxDiff = 0;
    for (let k = 0; k < pa.data.length; k++) maxDiff = Math.max(maxDiff, Math.abs(pa.data[k] - pb.data[k]));
    assert.ok(maxDiff < 0.05, `${name}: probabilities differ by ${maxDiff}`);
  }
});

test("probabilities sum to 1, logMarginal = logsumexp(logJoint), and lsqr/eigen posteriors equal softmax(logJoint)", () => {
  const { X, y } = load("wine");
  for (const solver of ["svd", "lsqr", "eigen"] as const) {
    const f = LDA.fit(X, y, { solver });
    const p = LDA.predictProba(f, X);
    const lp = LDA.predictLogProba(f, X);
    const J = LDA.logJoint(f, X);
    const lm = LDA.logMarginal(f, X);
    const lse = logSumExpRows(J);
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let c = 0; c < 3; c++) {
        s += p.data[i * 3 + c];
        assert.ok(Math.abs(Math.exp(lp.data[i * 3 + c]) - p.data[i * 3 + c]) < 1e-12);
        if (solver !== "svd")
          assert.ok(Math.abs(Math.exp(J.data[i * 3 + c] - lm[i]) - p.data[i * 3 + c]) < 1e-9);
      }
      assert.ok(Math.abs(s - 1) < 1e-12);
      assert.ok(Math.abs(lm[i] - lse[i]) < 1e-12);
    }
  }
  // two classes: logistic of the decision function, stable log-probabilities
  const bc = load("breast-cancer");
  const f = LDA.fit(bc.X, bc.y);
  const p = LDA.predictProba(f, bc.X);
  const lp = LDA.predictLogProba(f, bc.X);
  for (let i = 0; i < bc.X.rows; i++) {
    assert.ok(Math.abs(p.data[2 * i] + p.data[2 * i + 1] - 1) < 1e-12);
    assert.ok(Number.isFinite(lp.data[2 * i]) && Number.isFinite(lp.data[2 * i + 1]));
  }
  const at = LDA.logJointAt(f, takeRows(bc.X, [0, 1]), [bc.y[0], bc.y[1]]);
  const J = LDA.logJoint(f, takeRows(bc.X, [0, 1]));
  assert.equal(at[0], J.data[bc.y[0]]);
  assert.equal(at[1], J.data[2 + bc.y[1]]);
});

test("LDA.sample draws classes from the priors and x from N(mean_c, covariance) (fixed key)", () => {
  const { X, y } = load("iris");
  const f = LDA.fit(X, y, { priors: [0.2, 0.3, 0.5] });
  const n = 20000;
  const s = LDA.sample(f, random.key(7), n);
  assert.equal(s.X.rows, n);
  const d = 4;
  const counts = [0, 0, 0];
  const sums = zeros(3, d);
  for (let i = 0; i < n; i++) {
    const c = s.y[i] as number;
    counts[c]++;
    for (let j = 0; j < d; j++) sums.data[c * d + j] += s.X.data[i * d + j];
  }
  for (let c = 0; c < 3; c++) {
    assert.ok(Math.abs(counts[c] / n - f.priors[c]) < 0.015, `class ${c} frequency ${counts[c] / n}`);
    for (let j = 0; j < d; j++) {
      const sd = Math.sqrt(f.covariance.data[j * d + j]);
      assert.ok(
        Math.abs(sums.data[c * d + j] / counts[c] - f.means.data[c * d + j]) <
          (5 * sd) / Math.sqrt(counts[c]),
      );
    }
  }
  // one class: the pooled covariance
  const one = LDA.sample(f, random.key(8), n, { class: 2 });
  assert.ok(one.y.every((c) => c === 2));
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += one.X.data[i * d + j] / n;
  for (let j = 0; j < d; j++)
    for (let k = 0; k < d; k++) {
      let cov = 0;
      for (let i = 0; i < n; i++)
        cov += (one.X.data[i * d + j] - mean[j]) * (one.X.data[i * d + k] - mean[k]);
      cov /= n - 1;
      const ref = f.covariance.data[j * d + k];
      const scale = Math.sqrt(f.covariance.data[j * d + j] * f.covariance.data[k * d + k]);
      assert.ok(Math.abs(cov - ref) < 0.05 * scale, `cov[${j}, ${k}] ${cov} vs ${ref}`);
    }
  // the same key gives the same draw
  assert.deepEqual(LDA.sample(f, random.key(7), 5).X, LDA.sample(f, random.key(7), 5).X);
  assert.throws(() => LDA.sample(f, random.key(9), 3, { class: "nope" }), /class never seen in fit/);
  assert.throws(() => LDA.sample(f, random.key(9), -1), /n must be a non-negative integer/);
});

test("string labels are kept as given and round-trip through predict", () => {
  const { X, y } = load("iris");
  const names = ["setosa", "versicolor", "virginica"];
  const labels = y.map((c) => names[c]);
  const f = LDA.fit(X, labels);
  assert.deepEqual(f.classes, names);
  const pred = LDA.predict(f, X);
  const ref = LDA.predict(LDA.fit(X, y), X);
  assert.deepEqual(
    pred,
    ref.map((c) => names[c as number]),
  );
  const s = LDA.sample(f, random.key(1), 10, { class: "virginica" });
  assert.ok(s.y.every((c) => c === "virginica"));
});

test("collinear features: lsqr and eigen refuse with a NumericalError suggesting svd or shrinkage; svd and shrinkage work", () => {
  const { X: X0, y } = load("iris");
  // a fifth feature = feature 0 + feature 1
  const X = zeros(X0.rows, 5);
  for (let i = 0; i < X0.rows; i++) {
    X.data.set(X0.data.subarray(i * 4, i * 4 + 4), i * 5);
    X.data[i * 5 + 4] = X0.data[i * 4] + X0.data[i * 4 + 1];
  }
  for (const solver of ["lsqr", "eigen"] as const) {
    assert.throws(
      () => LDA.fit(X, y, { solver }),
      (e: unknown) =>
        e instanceof NumericalError &&
        /singular \(rank 4 < 5 features\); use solver "svd" or shrinkage/.test(e.message),
    );
  }
  const svdFit = LDA.fit(X, y);
  const finite = (m: Matrix | Float64Array) =>
    (m instanceof Float64Array ? m : m.data).every(Number.isFinite);
  assert.ok(
    finite(LDA.predictProba(svdFit, X)) &&
      finite(LDA.transform(svdFit, X)) &&
      finite(LDA.logJoint(svdFit, X)),
  );
  assert.ok(finite(LDA.sample(svdFit, random.key(2), 50).X));
  // agrees with the fit on the original four features
  const ref = LDA.fit(X0, y);
  const p = LDA.predictProba(svdFit, X);
  const q = LDA.predictProba(ref, X0);
  for (let k = 0; k < p.data.length; k++) assert.ok(Math.abs(p.data[k] - q.data[k]) < 1e-8);
  for (const shrinkage of ["auto", 0.1] as const) {
    const f = LDA.fit(X, y, { solver: "lsqr", shrinkage });
    assert.ok(finite(LDA.predictProba(f, X)) && finite(LDA.logJoint(f, X)));
  }
  // a constant feature
  const Xc = zeros(X0.rows, 5);
  for (let i = 0; i < X0.rows; i++) {
    Xc.data.set(X0.data.subarray(i * 4, i * 4 + 4), i * 5);
    Xc.data[i * 5 + 4] = 3;
  }
  assert.throws(() => LDA.fit(Xc, y, { solver: "lsqr" }), /feature 4 has zero variance.*svd/);
  assert.ok(finite(LDA.predictProba(LDA.fit(Xc, y), Xc)));
});

test("bad input gives one-line errors naming the problem", () => {
  const { X, y } = load("iris");
  assert.throws(
    () =>
      LDA.fit(
        X,
        y.map(() => 1),
      ),
    (e: unknown) => e instanceof ValueError && /at least 2 classes/.test(e.message),
  );
  assert.throws(() => LDA.fit(takeRows(X, [0, 60]), [0, 1]), /more samples than classes \(2\), but has 2/);
  const bad = fromRows([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  bad.data[3] = Number.NaN;
  assert.throws(() => LDA.fit(bad, [0, 1, 1]), /X\[1, 1\] is NaN/);
  const f = LDA.fit(X, y);
  assert.throws(() => LDA.predictProba(f, bad), /must have 4 features \(columns\) as in fit, but has 2/);
  assert.throws(() => LDA.logJointAt(f, takeRows(X, [0]), [7]), /y\[0\] = 7 is a class never seen in fit/);
  assert.throws(
    () => LDA.fit(X, y, { solver: "svd", shrinkage: "auto" }),
    /shrinkage must be null with solver "svd"/,
  );
  assert.throws(
    () => LDA.fit(X, y, { solver: "lsqr", shrinkage: 1.5 }),
    /shrinkage must be null, "auto" or a number in \[0, 1\]/,
  );
  assert.throws(() => LDA.fit(X, y, { solver: "qr" as never }), /solver must be "svd", "lsqr" or "eigen"/);
  assert.throws(() => LDA.fit(X, y, { priors: [0.5, 0.5, 0.5] }), /priors must sum to 1, but sum to 1.5/);
  assert.throws(() => LDA.fit(X, y, { priors: [0.5, 0.5] }), /priors must have one entry per class \(3\)/);
  assert.throws(() => LDA.fit(X, y, { nComponents: 3 }), /nComponents must be at most/);
  assert.throws(
    () => LDA.transform(LDA.fit(X, y, { solver: "lsqr" }), X),
    /lsqr finds no discriminant directions/,
  );
  assert.throws(() => LDA.fit(X, y.slice(1)), /one label per row/);
});

test("a fitted LDA is a plain object that round-trips through a checkpoint", () => {
  const { X, y } = load("iris");
  for (const opts of [{}, { solver: "eigen", shrinkage: "auto" }] as LDAOptions[]) {
    const f = LDA.fit(X, y, opts);
    const back = decodeFitted(encodeFitted(f), "m.safetensors", "lda") as typeof f;
    assert.deepEqual(back, f);
    assert.deepEqual(LDA.predictProba(back, X), LDA.predictProba(f, X));
  }
});

test("ledoitWolf matches sklearn.covariance.ledoit_wolf", () => {
  for (const ds of fixture.datasets) {
    const { X } = load(ds.name);
    const { covariance, shrinkage } = ledoitWolf(X);
    near([shrinkage], [ds.ledoit_wolf.shrinkage], 0, 1e-9, `${ds.name} shrinkage`);
    near(covariance.data, ds.ledoit_wolf.covariance, 0, 1e-9, `${ds.name} covariance`);
  }
});
