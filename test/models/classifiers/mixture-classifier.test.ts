import assert from "node:assert/strict";
import { test } from "node:test";
import { iris } from "../../../src/data/datasets/index.js";
import { random } from "../../../src/jax.js";
import { fromRows, takeRows } from "../../../src/linalg/matrix.js";
import { GaussianMixture } from "../../../src/models/classifiers/gaussian-mixture.js";
import { MixtureClassifier } from "../../../src/models/classifiers/mixture-classifier.js";

const X = fromRows(iris.X);
const y = iris.y.map((c) => iris.classNames[c]);

test("one mixture per class; Bayes' rule over them; log p(x) is the logsumexp of the joint", () => {
  const f = MixtureClassifier.fit(random.key(1), X, y, { nComponents: 2, covarianceType: "diag" });
  assert.deepEqual(f.classes, ["setosa", "versicolor", "virginica"]);
  assert.equal(f.mixtures.length, 3);
  // class c's mixture is exactly GaussianMixture fitted to class c's rows with the c-th split key
  const keys = random.split(random.key(1), 3);
  const rows = y.flatMap((c, i) => (c === "versicolor" ? [i] : []));
  const alone = GaussianMixture.fit(keys.slice(1), takeRows(X, rows), {
    nComponents: 2,
    covarianceType: "diag",
  });
  assert.deepEqual(alone.means, f.mixtures[1].means);
  const P = MixtureClassifier.predictProba(f, X);
  const J = MixtureClassifier.logJoint(f, X);
  const M = MixtureClassifier.logMarginal(f, X);
  for (let i = 0; i < X.rows; i++) {
    let s = 0;
    let e = 0;
    for (let c = 0; c < 3; c++) {
      s += P.data[i * 3 + c];
      e += Math.exp(J.data[i * 3 + c] - M[i]);
    }
    assert.ok(Math.abs(s - 1) < 1e-12 && Math.abs(e - 1) < 1e-12);
  }
  const acc = MixtureClassifier.predict(f, X).filter((p, i) => p === y[i]).length / X.rows;
  assert.ok(acc > 0.93, `training accuracy ${acc}`);
});

test("samples follow the priors (or the fixed class) and are reproducible", () => {
  const f = MixtureClassifier.fit(random.key(2), X, y, { nComponents: 2 });
  const s = MixtureClassifier.sample(f, random.key(3), 3000);
  for (const c of f.classes) {
    const frac = s.y.filter((v) => v === c).length / 3000;
    assert.ok(Math.abs(frac - 1 / 3) < 0.03, `${c}: ${frac}`);
  }
  const only = MixtureClassifier.sample(f, random.key(4), 50, { class: "setosa" });
  assert.ok(only.y.every((v) => v === "setosa"));
  // setosa's petals are short: sampled petal length near the class mean 1.46 cm
  let m = 0;
  for (let i = 0; i < 50; i++) m += only.X.data[i * 4 + 2] / 50;
  assert.ok(Math.abs(m - 1.46) < 0.15, `mean petal length ${m}`);
  assert.deepEqual(MixtureClassifier.sample(f, random.key(4), 50, { class: "setosa" }), only);
  assert.throws(
    () => MixtureClassifier.sample(f, random.key(5), 5, { class: "rose" }),
    /class never seen in fit/,
  );
});
