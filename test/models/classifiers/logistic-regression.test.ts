import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { breastCancer, iris, wine } from "../../../src/data/datasets/index.js";
import { ValueError } from "../../../src/errors.js";
import { fromRows, type Matrix } from "../../../src/linalg/matrix.js";
import {
  expNonPositive,
  lossGradFor,
  type Problem,
} from "../../../src/models/classifiers/logistic-kernels.js";
import {
  LOGREG_CANNOT_SAMPLE,
  LogisticRegression,
  type LogisticRegressionFitted,
  type LogisticRegressionOptions,
} from "../../../src/models/classifiers/logistic-regression.js";

type Case = {
  name: string;
  C: number;
  penalty: "l2" | "none";
  fit_intercept: boolean;
  class_weight: "balanced" | Record<string, number> | null;
  mean: number[];
  std: number[];
  coef: number[][];
  intercept: number[];
  objective: number;
  n_iter: number;
  ncg_coef: number[][];
  ncg_intercept: number[];
  ncg_proba: number[][];
  opt_coef: number[][];
  opt_intercept: number[];
  opt_objective: number;
  predict: number[];
  ncg_predict: number[];
};
type Fixture = {
  sklearn: string;
  synthetic: Record<"binary" | "three", { X: number[][]; y: number[] }>;
  cases: Case[];
};

const fixture: Fixture = JSON.parse(
  readFileSync(new URL("../../fixtures/classifiers/logistic.json", import.meta.url), "utf8"),
);

function dataFor(c: Case): { X: Matrix; y: number[] } {
  const source = c.name.startsWith("iris")
    ? iris
    : c.name.startsWith("breast_cancer")
      ? breastCancer
      : c.name.startsWith("wine")
        ? wine
        : c.name.startsWith("binary")
          ? fixture.synthetic.binary
          : fixture.synthetic.three;
  const rows = source.X.map((r) => r.map((v, j) => (v - c.mean[j]) / c.std[j]));
  return { X: fromRows(rows), y: source.y };
}

function optionsFor(c: Case, solver: "newton" | "lbfgs"): LogisticRegressionOptions {
  return {
    C: c.C,
    penalty: c.penalty,
    fitIntercept: c.fit_intercept,
    classWeight: c.class_weight ?? undefined,
    solver,
  };
}

/** max |a − b| / max |b|: relative error over a whole coefficient array. */
function relErr(a: ArrayLike<number>, b: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

/** The gradient of F by a separate, naive formula (per sample, per class), max |·|. */
function naiveGradMax(f: LogisticRegressionFitted, X: Matrix, y: number[], sw: number[]): number {
  const { n, d } = { n: X.rows, d: X.cols };
  const K = f.coef.rows;
  const lam = f.penalty === "l2" ? 1 / f.C : 0;
  const gw = Array.from({ length: K }, (_, k) =>
    Array.from({ length: d }, (_, j) => lam * f.coef.data[k * d + j]),
  );
  const gb = new Array(K).fill(0);
  for (let i = 0; i < n; i++) {
    const xi = Array.from(X.data.subarray(i * d, (i + 1) * d));
    const z = Array.from(
      { length: K },
      (_, k) => f.intercept[k] + xi.reduce((s, v, j) => s + v * f.coef.data[k * d + j], 0),
    );
    const r =
      K === 1
        ? [1 / (1 + Math.exp(-z[0])) - (y[i] === 1 ? 1 : 0)]
        : z.map((zk, k) => Math.exp(zk) / z.reduce((s, v) => s + Math.exp(v), 0) - (y[i] === k ? 1 : 0));
    for (let k = 0; k < K; k++) {
      gb[k] += sw[i] * r[k];
      for (let j = 0; j < d; j++) gw[k][j] += sw[i] * r[k] * xi[j];
    }
  }
  const all = [...gw.flat(), ...(f.fitIntercept ? gb : [])];
  return Math.max(...all.map(Math.abs));
}

function sampleWeights(c: Case, y: number[]): number[] {
  const classes = [...new Set(y)].sort((a, b) => a - b);
  if (c.class_weight === "balanced") {
    const counts = classes.map((k) => y.filter((v) => v === k).length);
    return y.map((v) => y.length / (classes.length * counts[classes.indexOf(v)]));
  }
  if (c.class_weight) return y.map((v) => (c.class_weight as Record<string, number>)[String(v)] ?? 1);
  return y.map(() => 1);
}

for (const solver of ["newton", "lbfgs"] as const) {
  test(`fixtures (${solver}): coefficients, probabilities and the optimum agree with scikit-learn ${fixture.sklearn}`, () => {
    for (const c of fixture.cases) {
      const { X, y } = dataFor(c);
      const f = LogisticRegression.fit(X, y, optionsFor(c, solver));
      const what = `${c.name} (${solver})`;
      assert.equal(f.solver, solver);
      assert.ok(f.converged && f.gradNorm < 1e-8, `${what}: gradient ${f.gradNorm}`);
      // sklearn newton-cg at tol 1e-14, and the numpy-polished optimum
      assert.ok(
        relErr(f.coef.data, c.ncg_coef.flat()) < 1e-5,
        `${what}: coef vs newton-cg ${relErr(f.coef.data, c.ncg_coef.flat())}`,
      );
      assert.ok(relErr(f.coef.data, c.opt_coef.flat()) < 1e-6, `${what}: coef vs optimum`);
      if (c.fit_intercept) {
        assert.ok(relErr(f.intercept, c.ncg_intercept) < 1e-5, `${what}: intercept vs newton-cg`);
        assert.ok(relErr(f.intercept, c.opt_intercept) < 1e-6, `${what}: intercept vs optimum`);
      }
      // sklearn's default lbfgs stops on its own rules: ours is at least as good and close
      const F = LogisticRegression.objective(f, X, y).value;
      assert.ok(
        F <= c.objective + 1e-12 * Math.abs(c.objective),
        `${what}: F ${F} > sklearn lbfgs ${c.objective}`,
      );
      assert.ok(
        Math.abs(F - c.opt_objective) <= 1e-12 * Math.abs(c.opt_objective) + 1e-12,
        `${what}: F vs optimum`,
      );
      assert.ok(relErr(f.coef.data, c.coef.flat()) < 2e-3, `${what}: coef vs sklearn lbfgs`);
      const proba = LogisticRegression.predictProba(f, X);
      const ref = c.ncg_proba.flat();
      for (let i = 0; i < ref.length; i++)
        assert.ok(Math.abs(proba.data[i] - ref[i]) < 1e-6, `${what}: proba[${i}]`);
      const pred = LogisticRegression.predict(f, X);
      const mismatches = pred.filter((p, i) => p !== c.ncg_predict[i]).length;
      assert.equal(mismatches, 0, `${what}: predictions`);
      // an independent float64 gradient at our solution
      assert.ok(naiveGradMax(f, X, y, sampleWeights(c, y)) < 1e-8, `${what}: naive gradient`);
    }
  });
}

test("objective: gradient matches central finite differences", () => {
  for (const name of ["wine C=1.0", "breast_cancer weights C=1", "iris no intercept C=1"]) {
    const c = fixture.cases.find((k) => k.name === name)!;
    const { X, y } = dataFor(c);
    const f = LogisticRegression.fit(X, y, { ...optionsFor(c, "newton"), maxIter: 2 });
    // move away from the optimum so the gradient is not ~0
    const coef = { ...f.coef, data: f.coef.data.map((v, i) => v + 0.3 * Math.sin(i + 1)) };
    const intercept = f.intercept.map((v, i) => v - 0.2 * Math.cos(i));
    const at: LogisticRegressionFitted = { ...f, coef, intercept };
    const { gradCoef, gradIntercept } = LogisticRegression.objective(at, X, y);
    const h = 1e-5;
    for (let i = 0; i < coef.data.length; i += 3) {
      const plus = { ...at, coef: { ...coef, data: coef.data.slice() } };
      const minus = { ...at, coef: { ...coef, data: coef.data.slice() } };
      plus.coef.data[i] += h;
      minus.coef.data[i] -= h;
      const fd =
        (LogisticRegression.objective(plus, X, y).value - LogisticRegression.objective(minus, X, y).value) /
        (2 * h);
      assert.ok(
        Math.abs(fd - gradCoef.data[i]) <= 1e-6 * Math.max(1, Math.abs(fd)),
        `${name} coef[${i}]: ${fd} vs ${gradCoef.data[i]}`,
      );
    }
    if (c.fit_intercept) {
      for (let k = 0; k < intercept.length; k++) {
        const plus = { ...at, intercept: intercept.slice() };
        const minus = { ...at, intercept: intercept.slice() };
        plus.intercept[k] += h;
        minus.intercept[k] -= h;
        const fd =
          (LogisticRegression.objective(plus, X, y).value - LogisticRegression.objective(minus, X, y).value) /
          (2 * h);
        assert.ok(
          Math.abs(fd - gradIntercept[k]) <= 1e-6 * Math.max(1, Math.abs(fd)),
          `${name} intercept[${k}]`,
        );
      }
    } else {
      assert.deepEqual(Array.from(gradIntercept), new Array(gradIntercept.length).fill(0));
    }
  }
});

test("invariants: probabilities sum to 1, log-probabilities, argmax, zero-sum multinomial intercepts", () => {
  const X = fromRows(iris.X);
  const f = LogisticRegression.fit(X, iris.y, { C: 10 });
  const p = LogisticRegression.predictProba(f, X);
  const lp = LogisticRegression.predictLogProba(f, X);
  const pred = LogisticRegression.predict(f, X);
  const z = LogisticRegression.decisionFunction(f, X);
  assert.equal(z.cols, 3);
  for (let i = 0; i < X.rows; i++) {
    let s = 0;
    let best = 0;
    for (let k = 0; k < 3; k++) {
      s += p.data[i * 3 + k];
      assert.ok(Math.abs(Math.exp(lp.data[i * 3 + k]) - p.data[i * 3 + k]) < 1e-15);
      if (p.data[i * 3 + k] > p.data[i * 3 + best]) best = k;
    }
    assert.ok(Math.abs(s - 1) < 1e-14);
    assert.equal(pred[i], best);
  }
  assert.ok(Math.abs(f.intercept.reduce((a, b) => a + b, 0)) < 1e-12);
  // binary: one logit row; P(class 1) = σ(z); string labels kept and sorted
  const labels = breastCancer.y.map((v) => (v === 1 ? "benign" : "malignant"));
  const mean = breastCancer.X[0].map(
    (_, j) => breastCancer.X.reduce((s, r) => s + r[j], 0) / breastCancer.X.length,
  );
  const Xb = fromRows(breastCancer.X.map((r) => r.map((v, j) => v - mean[j])));
  const fb = LogisticRegression.fit(Xb, labels, { C: 0.01 });
  assert.deepEqual(fb.classes, ["benign", "malignant"]);
  assert.equal(fb.coef.rows, 1);
  const zb = LogisticRegression.decisionFunction(fb, Xb);
  const pb = LogisticRegression.predictProba(fb, Xb);
  const lpb = LogisticRegression.predictLogProba(fb, Xb);
  for (let i = 0; i < Xb.rows; i++) {
    assert.ok(Math.abs(pb.data[2 * i + 1] - 1 / (1 + Math.exp(-zb.data[i]))) < 1e-15);
    assert.ok(Math.abs(pb.data[2 * i] + pb.data[2 * i + 1] - 1) < 1e-15);
    assert.ok(Math.abs(Math.exp(lpb.data[2 * i]) - pb.data[2 * i]) < 1e-15);
  }
  // extreme logits stay finite in log space
  const far: Matrix = { rows: 1, cols: 30, data: Xb.data.slice(0, 30).map((v) => v * 1e4) };
  const lpf = LogisticRegression.predictLogProba(fb, far);
  assert.ok(lpf.data.every(Number.isFinite));
});

test("a discriminative model: no sample / logJoint, and the CLI's reason", () => {
  assert.ok(!("sample" in LogisticRegression));
  assert.ok(!("logJoint" in LogisticRegression));
  assert.ok(!("logMarginal" in LogisticRegression));
  assert.match(LOGREG_CANNOT_SAMPLE, /P\(y\|x\) only/);
  assert.match(LOGREG_CANNOT_SAMPLE, /lda, qda, gnb or gmm/);
});

test("bad input", () => {
  const X = fromRows(iris.X);
  assert.throws(
    () =>
      LogisticRegression.fit(
        X,
        iris.y.map(() => 0),
      ),
    /at least 2 classes/,
  );
  assert.throws(() => LogisticRegression.fit(X, iris.y.slice(1)), /one label per row/);
  assert.throws(
    () => LogisticRegression.fit(X, iris.y, { C: 0 }),
    /C must be a finite number > 0, but got 0/,
  );
  assert.throws(() => LogisticRegression.fit(X, iris.y, { tol: -1 }), ValueError);
  assert.throws(() => LogisticRegression.fit(X, iris.y, { maxIter: 0 }), /maxIter must be an integer >= 1/);
  assert.throws(
    () => LogisticRegression.fit(X, iris.y, { penalty: "l1" as "l2" }),
    /penalty must be "l2" or "none"/,
  );
  assert.throws(
    () => LogisticRegression.fit(X, iris.y, { classWeight: { 7: 1 } }),
    /classWeight names class "7"/,
  );
  const bad = { ...X, data: X.data.slice() };
  bad.data[4 * 5 + 2] = Number.NaN;
  assert.throws(() => LogisticRegression.fit(bad, iris.y), /X\[5, 2\] is NaN/);
  const f = LogisticRegression.fit(X, iris.y);
  assert.throws(() => LogisticRegression.predict(f, fromRows([[1, 2, 3]])), /must have 4 features/);
  assert.throws(
    () =>
      LogisticRegression.objective(
        f,
        X,
        iris.y.map((v) => v + 5),
      ),
    /never seen in fit/,
  );
});

test('solver "auto": L-BFGS for wide problems, finished by Newton when ill-conditioning stalls it', () => {
  // raw Wine, each column repeated six times with tiny perturbations: 78 nearly collinear features
  const X = fromRows(
    wine.X.map((r) =>
      Array.from({ length: 6 }, (_, t) => r.map((v) => v * (1 + 0.01 * t) + 1e-3 * Math.sin(t * v))).flat(),
    ),
  );
  const f = LogisticRegression.fit(X, wine.y, { C: 1 });
  assert.ok(f.solver === "lbfgs" || f.solver === "lbfgs+newton");
  assert.ok(f.converged && f.gradNorm < 1e-8, `gradient ${f.gradNorm} (${f.solver})`);
  const g = LogisticRegression.objective(f, X, wine.y);
  assert.ok(Math.max(...g.gradCoef.data.map(Math.abs), ...g.gradIntercept.map(Math.abs)) < 1e-8);
});

test("not converging is reported, not hidden: maxIter 1", () => {
  const X = fromRows(iris.X);
  const f = LogisticRegression.fit(X, iris.y, { maxIter: 1 });
  assert.equal(f.converged, false);
  assert.ok(f.gradNorm > 1e-8);
  assert.equal(f.nIter, 1);
});

/** A problem in the kernels' layout from a dataset's rows, with weights and a nonzero θ. */
function kernelCase(
  rows: number[][],
  y: number[],
  K: number,
  fitIntercept: boolean,
  opts: { equalWeights?: boolean; thetaScale?: number } = {},
) {
  const n = rows.length;
  const d = rows[0].length;
  const p = fitIntercept ? d + 1 : d;
  const ids = Int32Array.from(y);
  const pr: Problem = {
    x: Float64Array.from(rows.flat()),
    n,
    d,
    p,
    K,
    ids,
    sw: Float64Array.from(ids, (c) => (opts.equalWeights ? 1.5 : 0.5 + 0.25 * c)),
    lambda: 0.3,
    fitIntercept,
  };
  const scale = opts.thetaScale ?? 0.4;
  const th = Float64Array.from({ length: K * p }, (_, i) => scale * Math.sin(1.7 * i + 0.3));
  return { pr, th };
}

test("kernels: the WebAssembly SIMD and plain TypeScript back ends compute the same F, gradient and probabilities", () => {
  const bc = breastCancer.X.map((r) => r.map((v, j) => v / (j % 10 === 3 ? 1000 : 10)));
  const cases = [
    // name, rows, labels, K (1 = sigmoid), intercept: odd and even d, K odd/even, n across blocks and not a multiple of 4
    { name: "breast cancer, sigmoid", rows: bc, y: breastCancer.y, K: 1, fitIntercept: true },
    { name: "wine, 3 classes", rows: wine.X, y: wine.y, K: 3, fitIntercept: true },
    {
      name: "scaled wine, equal weights",
      rows: wine.X.map((r) => r.map((v, j) => v / wine.X[0][j])),
      y: wine.y,
      K: 3,
      fitIntercept: true,
      opts: { equalWeights: true },
    },
    {
      // near-uniform softmax over 16 classes: the product of the sums passes 1e280 within a block
      name: "bc, 16 classes, equal weights, small θ",
      rows: bc.slice(0, 300),
      y: bc.slice(0, 300).map((_, i) => i % 16),
      K: 16,
      fitIntercept: true,
      opts: { equalWeights: true, thetaScale: 0.01 },
    },
    { name: "iris, no intercept", rows: iris.X, y: iris.y, K: 3, fitIntercept: false },
    {
      name: "bc, 4 classes, 2 blocks + 1",
      rows: bc.slice(0, 513).map((r) => r.slice(0, 7)),
      y: bc.slice(0, 513).map((_, i) => (i * 7) % 4),
      K: 4,
      fitIntercept: true,
    },
    {
      name: "bc, 5 classes, d = 30, no intercept",
      rows: bc.slice(0, 299),
      y: bc.slice(0, 299).map((_, i) => (i * 3) % 5),
      K: 5,
      fitIntercept: false,
    },
  ];
  for (const c of cases) {
    const { pr, th } = kernelCase(c.rows, c.y, c.K, c.fitIntercept, "opts" in c ? c.opts : {});
    const simd = lossGradFor(pr, "simd");
    const plain = lossGradFor(pr, "plain");
    assert.equal(simd.backend, "simd", "Node has WebAssembly SIMD");
    assert.equal(plain.backend, "plain");
    const P = th.length;
    const [gs, gp] = [new Float64Array(P), new Float64Array(P)];
    const [ps, pp] = [new Float64Array(pr.n * c.K), new Float64Array(pr.n * c.K)];
    const fs = simd.lossGrad(th, gs);
    const fp = plain.lossGrad(th, gp, pp);
    assert.ok(Math.abs(fs - fp) <= 1e-13 * Math.abs(fp), `${c.name}: F ${fs} vs ${fp}`);
    const gmax = Math.max(...gp.map(Math.abs));
    for (let i = 0; i < P; i++)
      assert.ok(Math.abs(gs[i] - gp[i]) <= 1e-13 * gmax, `${c.name}: grad[${i}] ${gs[i]} vs ${gp[i]}`);
    // the probabilities path (Newton's) of the SIMD back end, and the plain one, against a naive softmax
    assert.ok(Math.abs(simd.lossGrad(th, gs, ps) - fp) <= 1e-13 * Math.abs(fp));
    const { x, d, p } = pr;
    for (let i = 0; i < pr.n; i += 7) {
      const z = Array.from({ length: c.K }, (_, k) => {
        let s = c.fitIntercept ? th[k * p + d] : 0;
        for (let j = 0; j < d; j++) s += th[k * p + j] * x[i * d + j];
        return s;
      });
      const ref =
        c.K === 1
          ? [1 / (1 + Math.exp(-z[0]))]
          : z.map((v) => Math.exp(v) / z.reduce((a, b) => a + Math.exp(b), 0));
      for (let k = 0; k < c.K; k++) {
        assert.ok(Math.abs(pp[i * c.K + k] - ref[k]) < 1e-14, `${c.name}: plain p[${i}, ${k}]`);
        assert.ok(Math.abs(ps[i * c.K + k] - ref[k]) < 1e-14, `${c.name}: simd p[${i}, ${k}]`);
      }
    }
  }
});

test("kernels: expNonPositive agrees with Math.exp within 2 ulp on (−708, 0], and its edge cases", () => {
  let worst = 0;
  for (let i = 0; i <= 200_000; i++) {
    const t = -708 * (i / 200_000) ** 2;
    const ref = Math.exp(t);
    worst = Math.max(worst, Math.abs(expNonPositive(t) - ref) / ref);
  }
  assert.ok(worst <= 4.5e-16, `max relative error ${worst}`);
  assert.equal(expNonPositive(0), 1);
  assert.equal(expNonPositive(-0), 1);
  assert.equal(expNonPositive(-746), 0);
  assert.equal(expNonPositive(Number.NEGATIVE_INFINITY), 0);
  assert.ok(Number.isNaN(expNonPositive(Number.NaN)));
  assert.ok(Math.abs(expNonPositive(-740) - Math.exp(-740)) < 1e-320);
});

test("L-BFGS: on an ill-conditioned fit it converges far below rounding of F (line search by the derivative there)", () => {
  // Breast Cancer, standardised, C = 100: near-separable, hundreds of iterations; near the optimum F's
  // changes (~1e-14 on F ≈ 19) are rounding noise, which must not decide the line search
  const c = fixture.cases.find((k) => k.name === "breast_cancer C=100.0")!;
  const { X, y } = dataFor(c);
  const f = LogisticRegression.fit(X, y, { ...optionsFor(c, "lbfgs"), tol: 1e-11 });
  assert.ok(f.converged && f.gradNorm <= 1e-11, `gradient ${f.gradNorm} after ${f.nIter} iterations`);
  assert.ok(relErr(f.coef.data, c.opt_coef.flat()) < 1e-7);
});
