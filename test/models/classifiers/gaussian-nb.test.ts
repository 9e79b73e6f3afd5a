import assert from "node:assert/strict";
import { test } from "node:test";
import { NumericalError } from "../../../src/errors.js";
import { random } from "../../../src/jax.js";
import { logSumExpRows } from "../../../src/linalg/dense.js";
import { fromRows, takeRows } from "../../../src/linalg/matrix.js";
import { decodeFitted, encodeFitted } from "../../../src/models/classifiers/checkpoint.js";
import { GaussianNB } from "../../../src/models/classifiers/gaussian-nb.js";
import { type Case, fixture, load, near } from "./discriminant-fixture.js";

test("GaussianNB agrees with scikit-learn on Iris, Wine and Breast Cancer", () => {
  for (const ds of fixture.datasets) {
    const { X, y } = load(ds.name);
    const Xs = takeRows(X, ds.rows);
    const c = ds.cases.find((k) => k.model === "gnb") as Case;
    const f = GaussianNB.fit(X, y);
    near(f.means.data, c.theta, 0, 1e-12, `${ds.name} theta`);
    near(f.variances.data, c.var, 0, 1e-10, `${ds.name} var`);
    near(f.priors, c.priors, 0, 1e-12, `${ds.name} priors`);
    near([f.epsilon], [c.epsilon], 0, 1e-10, `${ds.name} epsilon`);
    near(GaussianNB.predictProba(f, Xs).data, c.predict_proba, 1e-6, 0, `${ds.name} predict_proba`);
    assert.deepEqual(GaussianNB.predict(f, Xs), c.predict, `${ds.name} predict`);
    near(GaussianNB.logJoint(f, Xs).data, c.log_joint, 1e-8, 1e-9, `${ds.name} logJoint`);
  }
});

test("GaussianNB: probabilities sum to 1, logMarginal = logsumexp(logJoint), string labels round-trip", () => {
  const { X, y } = load("iris");
  const names = ["setosa", "versicolor", "virginica"];
  const f = GaussianNB.fit(
    X,
    y.map((c) => names[c]),
    { priors: [0.5, 0.25, 0.25] },
  );
  assert.deepEqual(f.classes, names);
  const p = GaussianNB.predictProba(f, X);
  const lp = GaussianNB.predictLogProba(f, X);
  const J = GaussianNB.logJoint(f, X);
  const lm = GaussianNB.logMarginal(f, X);
  const lse = logSumExpRows(J);
  for (let i = 0; i < X.rows; i++) {
    let s = 0;
    for (let c = 0; c < 3; c++) {
      s += p.data[i * 3 + c];
      assert.ok(Math.abs(Math.exp(lp.data[i * 3 + c]) - p.data[i * 3 + c]) < 1e-12);
    }
    assert.ok(Math.abs(s - 1) < 1e-12);
    assert.equal(lm[i], lse[i]);
  }
  const pred = GaussianNB.predict(f, X);
  assert.ok(pred.every((v) => names.includes(v as string)));
  assert.equal(GaussianNB.logJointAt(f, takeRows(X, [3]), ["virginica"])[0], J.data[3 * 3 + 2]);
  assert.throws(
    () => GaussianNB.logJointAt(f, takeRows(X, [3]), ["rose"]),
    /"rose" is a class never seen in fit/,
  );
});

test("GaussianNB.sample: independent features with the class means and variances (fixed key)", () => {
  const { X, y } = load("wine");
  const f = GaussianNB.fit(X, y);
  const n = 20000;
  const d = 13;
  const s = GaussianNB.sample(f, random.key(5), n, { class: 1 });
  assert.ok(s.y.every((v) => v === 1));
  for (const j of [0, 4, 12]) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += s.X.data[i * d + j] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (s.X.data[i * d + j] - mean) ** 2 / (n - 1);
    const ref = f.variances.data[d + j];
    assert.ok(Math.abs(mean - f.means.data[d + j]) < 5 * Math.sqrt(ref / n));
    assert.ok(Math.abs(v / ref - 1) < 0.05);
  }
  let c01 = 0;
  for (let i = 0; i < n; i++)
    c01 += (s.X.data[i * d] - f.means.data[d]) * (s.X.data[i * d + 1] - f.means.data[d + 1]);
  assert.ok(Math.abs(c01 / n / Math.sqrt(f.variances.data[d] * f.variances.data[d + 1])) < 0.05);
  const mixed = GaussianNB.sample(f, random.key(6), 4000);
  for (let c = 0; c < 3; c++)
    assert.ok(Math.abs(mixed.y.filter((v) => v === c).length / 4000 - f.priors[c]) < 0.03);
});

test("GaussianNB bad input and zero variance", () => {
  const { X, y } = load("iris");
  assert.throws(
    () =>
      GaussianNB.fit(
        X,
        y.map(() => 0),
      ),
    /at least 2 classes/,
  );
  const constant = fromRows([
    [1, 1],
    [1, 1],
    [1, 1],
  ]);
  assert.throws(
    () => GaussianNB.fit(constant, [0, 1, 1]),
    (e: unknown) =>
      e instanceof NumericalError &&
      /variance of feature 0 in class 0 is 0.*varSmoothing > 0/.test(e.message),
  );
  const bad = fromRows([
    [1, 2],
    [3, 4],
  ]);
  bad.data[1] = Number.NaN;
  assert.throws(() => GaussianNB.fit(bad, [0, 1]), /X\[0, 1\] is NaN/);
  const f = GaussianNB.fit(X, y);
  assert.throws(() => GaussianNB.predictProba(f, bad), /must have 4 features/);
  assert.throws(() => GaussianNB.fit(X, y, { varSmoothing: -1 }), /varSmoothing must be a finite number ≥ 0/);
  assert.throws(() => GaussianNB.fit(X, y, { priors: [0.2, 0.2, 0.2] }), /priors must sum to 1/);
  assert.throws(() => GaussianNB.sample(f, random.key(1), 2.5), /n must be a non-negative integer/);
});

test("a fitted GaussianNB round-trips through a checkpoint", () => {
  const { X, y } = load("wine");
  const f = GaussianNB.fit(X, y, { varSmoothing: 1e-6 });
  const back = decodeFitted(encodeFitted(f), "m.safetensors", "gnb") as typeof f;
  assert.deepEqual(back, f);
  assert.deepEqual(GaussianNB.predictProba(back, X), GaussianNB.predictProba(f, X));
});
