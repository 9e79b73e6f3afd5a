import assert from "node:assert/strict";
import { test } from "node:test";
import { NumericalError } from "../../../src/errors.js";
import { random } from "../../../src/jax.js";
import { logSumExpRows } from "../../../src/linalg/dense.js";
import { fromRows, type Matrix, takeRows, zeros } from "../../../src/linalg/matrix.js";
import { decodeFitted, encodeFitted } from "../../../src/models/classifiers/checkpoint.js";
import { QDA } from "../../../src/models/classifiers/qda.js";
import { fixture, flat, load, near } from "./discriminant-fixture.js";

test("QDA agrees with scikit-learn (reg_param 0 and 0.1) on Iris, Wine and Breast Cancer", () => {
  let checked = 0;
  for (const ds of fixture.datasets) {
    const { X, y } = load(ds.name);
    const Xs = takeRows(X, ds.rows);
    for (const c of ds.cases.filter((k) => k.model === "qda")) {
      const what = `${ds.name} reg_param=${c.params.reg_param}`;
      assert.equal(c.collinear_warning, false);
      const f = QDA.fit(X, y, { regParam: c.params.reg_param as number });
      near(f.means.data, c.means, 0, 1e-12, `${what} means`);
      near(f.priors, c.priors, 0, 1e-12, `${what} priors`);
      near(f.scalings.data, c.scalings, 0, 1e-9, `${what} scalings`);
      QDA.covariances(f).forEach((S, k) => {
        const ref = (c.covariance as number[][][])[k];
        const scale = Math.max(...flat(ref).map(Math.abs));
        near(S.data, ref, 1e-10 * scale, 0, `${what} covariance ${k}`);
      });
      near(QDA.predictProba(f, Xs).data, c.predict_proba, 1e-6, 0, `${what} predict_proba`);
      near(QDA.decisionFunction(f, Xs).data, c.decision_function, 1e-7, 1e-7, `${what} decision_function`);
      assert.deepEqual(QDA.predict(f, Xs), c.predict, `${what} predict`);
      near(QDA.logJoint(f, Xs).data, c.log_joint, 1e-7, 1e-8, `${what} logJoint`);
      checked++;
    }
  }
  assert.equal(checked, 6);
});

test("QDA posteriors are softmax(logJoint); logMarginal = logsumexp(logJoint); probabilities sum to 1", () => {
  const { X, y } = load("wine");
  const f = QDA.fit(X, y, { regParam: 0.05 });
  const p = QDA.predictProba(f, X);
  const lp = QDA.predictLogProba(f, X);
  const J = QDA.logJoint(f, X);
  const lm = QDA.logMarginal(f, X);
  const lse = logSumExpRows(J);
  for (let i = 0; i < X.rows; i++) {
    let s = 0;
    for (let c = 0; c < 3; c++) {
      s += p.data[i * 3 + c];
      assert.ok(Math.abs(Math.exp(J.data[i * 3 + c] - lm[i]) - p.data[i * 3 + c]) < 1e-12);
      assert.ok(Math.abs(Math.exp(lp.data[i * 3 + c]) - p.data[i * 3 + c]) < 1e-12);
    }
    assert.ok(Math.abs(s - 1) < 1e-12);
    assert.equal(lm[i], lse[i]);
  }
  const at = QDA.logJointAt(f, takeRows(X, [0, 100]), [y[0], y[100]]);
  assert.equal(at[1], J.data[100 * 3 + y[100]]);
  assert.throws(() => QDA.logJointAt(f, takeRows(X, [0]), [5]), /y\[0\] = 5 is a class never seen in fit/);
});

test("QDA.sample: per-class mean and covariance match the regularised class Gaussian (fixed key)", () => {
  const { X, y } = load("iris");
  const f = QDA.fit(X, y, { regParam: 0.1 });
  const n = 20000;
  const d = 4;
  const S = QDA.covariances(f);
  for (const c of [0, 2]) {
    const s = QDA.sample(f, random.key(10 + c), n, { class: c });
    assert.ok(s.y.every((v) => v === c));
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += s.X.data[i * d + j] / n;
    for (let j = 0; j < d; j++) {
      const sd = Math.sqrt(S[c].data[j * d + j]);
      assert.ok(Math.abs(mean[j] - f.means.data[c * d + j]) < (5 * sd) / Math.sqrt(n));
      for (let k = 0; k < d; k++) {
        let cov = 0;
        for (let i = 0; i < n; i++) cov += (s.X.data[i * d + j] - mean[j]) * (s.X.data[i * d + k] - mean[k]);
        cov /= n - 1;
        const scale = Math.sqrt(S[c].data[j * d + j] * S[c].data[k * d + k]);
        assert.ok(Math.abs(cov - S[c].data[j * d + k]) < 0.05 * scale, `class ${c} cov[${j}, ${k}]`);
      }
    }
  }
  const mixed = QDA.sample(f, random.key(3), 3000);
  const freq = [0, 1, 2].map((c) => mixed.y.filter((v) => v === c).length / 3000);
  for (const q of freq) assert.ok(Math.abs(q - 1 / 3) < 0.04);
});

test("a class with fewer samples than features: NumericalError suggesting regParam; regParam > 0 gives finite results", () => {
  const { X: X0, y: y0 } = load("wine");
  // keep only 5 samples of class 2 (13 features)
  const idx: number[] = [];
  let kept = 0;
  for (let i = 0; i < y0.length; i++) if (y0[i] !== 2 || kept++ < 5) idx.push(i);
  const X = takeRows(X0, idx);
  const y = idx.map((i) => ["a", "b", "c"][y0[i]]);
  assert.throws(
    () => QDA.fit(X, y),
    (e: unknown) =>
      e instanceof NumericalError &&
      /class "c" is singular \(rank 4 < 13 features, from 5 samples\); use regParam > 0/.test(e.message),
  );
  const f = QDA.fit(X, y, { regParam: 0.2 });
  assert.deepEqual(f.classes, ["a", "b", "c"]);
  const finite = (m: Matrix | Float64Array) =>
    (m instanceof Float64Array ? m : m.data).every(Number.isFinite);
  assert.ok(finite(QDA.predictProba(f, X0)) && finite(QDA.logJoint(f, X0)) && finite(QDA.logMarginal(f, X0)));
  // the completed axes are orthonormal
  const R = f.rotations[2];
  for (let a = 0; a < 13; a++)
    for (let b = 0; b < 13; b++) {
      let dot = 0;
      for (let j = 0; j < 13; j++) dot += R.data[j * 13 + a] * R.data[j * 13 + b];
      assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-10);
    }
  assert.ok(finite(QDA.sample(f, random.key(4), 20, { class: "c" }).X));
  // collinear features within a class
  const Xc = zeros(X0.rows, 14);
  for (let i = 0; i < X0.rows; i++) {
    Xc.data.set(X0.data.subarray(i * 13, (i + 1) * 13), i * 14);
    Xc.data[i * 14 + 13] = 2 * X0.data[i * 13];
  }
  assert.throws(() => QDA.fit(Xc, y0), /class 0 is singular \(rank 13 < 14 features.*use regParam > 0/);
});

test("QDA bad input: single-sample class, single class, NaN, feature count, options", () => {
  const { X, y } = load("iris");
  const idx = [...Array.from({ length: 100 }, (_, i) => i), 100];
  assert.throws(
    () =>
      QDA.fit(
        takeRows(X, idx),
        idx.map((i) => y[i]),
      ),
    /class 2 must have at least 2 sample\(s\), but has 1/,
  );
  assert.throws(
    () =>
      QDA.fit(
        X,
        y.map(() => "x"),
      ),
    /at least 2 classes/,
  );
  const bad = fromRows([
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
  ]);
  bad.data[4] = Number.POSITIVE_INFINITY;
  assert.throws(() => QDA.fit(bad, [0, 0, 1, 1]), /X\[2, 0\] is Infinity/);
  const f = QDA.fit(X, y);
  assert.throws(() => QDA.predict(f, bad), /must have 4 features/);
  assert.throws(() => QDA.fit(X, y, { regParam: -0.1 }), /regParam must be a number in \[0, 1\]/);
  assert.throws(() => QDA.fit(X, y, { priors: [1, 0] }), /priors must have one entry per class/);
});

test("a fitted QDA round-trips through a checkpoint", () => {
  const { X, y } = load("iris");
  const f = QDA.fit(X, y, { regParam: 0.1 });
  const back = decodeFitted(encodeFitted(f), "m.safetensors", "qda") as typeof f;
  assert.deepEqual(back, f);
  assert.deepEqual(QDA.predictProba(back, X), QDA.predictProba(f, X));
});
