/**
 * Ng & Jordan (2001), "On discriminative vs. generative classifiers: a comparison of logistic
 * regression and naive Bayes" (NIPS 14): test error against training-set size, averaged over repeated
 * random splits. The generative models (Gaussian naive Bayes, LDA) are expected to approach their
 * (higher) asymptotic error with fewer examples; logistic regression to win with many.
 */
import { ValueError } from "../../errors.js";
import { hostUniforms } from "../../host-random.js";
import type { Array as JaxArray } from "../../jax.js";
import { type Matrix, takeRows } from "../../linalg/matrix.js";
import { GaussianNB } from "./gaussian-nb.js";
import { encodeClasses, type Label } from "./labels.js";
import { LDA } from "./lda.js";
import { LogisticRegression } from "./logistic-regression.js";

/** The models compared, by name. */
export const CURVE_MODELS = ["gnb", "lda", "logreg"] as const;

/** One of {@link CURVE_MODELS}. */
export type CurveModel = (typeof CURVE_MODELS)[number];

/** Options for {@link learningCurve}. */
export type LearningCurveOptions = {
  /** training-set sizes (default: about 8 sizes from 2 per class up to the whole training pool) */
  sizes?: number[];
  /** random splits per size (default 20) */
  repeats?: number;
  /** fraction of the data held out for testing in each split (default 0.3) */
  testFraction?: number;
  /** inverse regularisation of logistic regression (default 1) */
  C?: number;
  /** called after each split with (done, total) */
  onProgress?: (done: number, total: number) => void;
};

/** Mean test error (and its standard error over splits) of each model at each size. */
export type LearningCurve = {
  sizes: number[];
  repeats: number;
  models: CurveModel[];
  /** `error[model][i]`: mean test error at `sizes[i]` */
  error: Record<CurveModel, number[]>;
  stderr: Record<CurveModel, number[]>;
};

/** Default sizes: geometric from 2 per class up to the training pool. */
export function defaultSizes(n: number, classes: number, testFraction: number): number[] {
  const max = Math.floor(n * (1 - testFraction));
  const min = Math.min(max, 2 * classes);
  const out = new Set<number>();
  for (let i = 0; i < 8; i++) out.add(Math.round(min * (max / min) ** (i / 7)));
  return [...out].sort((a, b) => a - b);
}

/** Run the experiment; consumes `key`. Features are standardised on each training set. */
export function learningCurve(
  key: JaxArray,
  X: Matrix,
  y: readonly Label[],
  opts: LearningCurveOptions = {},
): LearningCurve {
  const { classes, ids } = encodeClasses(y, "learningCurve");
  const C = classes.length;
  const testFraction = opts.testFraction ?? 0.3;
  const repeats = opts.repeats ?? 20;
  const sizes = opts.sizes ?? defaultSizes(X.rows, C, testFraction);
  const pool = Math.floor(X.rows * (1 - testFraction));
  for (const m of sizes) {
    if (!Number.isInteger(m) || m < C || m > pool) {
      key.dispose();
      throw new ValueError(`learningCurve: sizes must be integers in [${C}, ${pool}], but got ${m}`);
    }
  }
  const u = hostUniforms(key, repeats * X.rows);
  const error = Object.fromEntries(CURVE_MODELS.map((m) => [m, sizes.map(() => [] as number[])])) as Record<
    CurveModel,
    number[][]
  >;
  let done = 0;
  for (let r = 0; r < repeats; r++) {
    // 1. a stratified random order: each class shuffled, then dealt round-robin so that any prefix
    //    holds every class in proportion (and at least one of each from the first C rows)
    const order = stratifiedOrder(ids, C, u.subarray(r * X.rows, (r + 1) * X.rows));
    const nTest = X.rows - pool;
    const test = order.slice(0, nTest);
    const trainPool = order.slice(nTest);
    const Xtest = takeRows(X, test);
    const ytest = Array.from(test, (i) => y[i]);
    for (const [s, m] of sizes.entries()) {
      const train = trainPool.slice(0, m);
      const { Xtr, Xte } = standardise(takeRows(X, train), Xtest);
      const ytr = Array.from(train, (i) => y[i]);
      if (new Set(ytr).size < 2) continue;
      const fits: Record<CurveModel, () => Label[]> = {
        gnb: () => GaussianNB.predict(GaussianNB.fit(Xtr, ytr), Xte),
        lda: () => LDA.predict(LDA.fit(Xtr, ytr, { solver: "svd" }), Xte),
        logreg: () => LogisticRegression.predict(LogisticRegression.fit(Xtr, ytr, { C: opts.C ?? 1 }), Xte),
      };
      for (const model of CURVE_MODELS) {
        const pred = fits[model]();
        let wrong = 0;
        for (let i = 0; i < pred.length; i++) if (pred[i] !== ytest[i]) wrong++;
        error[model][s].push(wrong / pred.length);
      }
    }
    opts.onProgress?.(++done, repeats);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const se = (xs: number[]) => {
    const m = mean(xs);
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1) / xs.length);
  };
  return {
    sizes,
    repeats,
    models: [...CURVE_MODELS],
    error: Object.fromEntries(CURVE_MODELS.map((m) => [m, error[m].map(mean)])) as Record<
      CurveModel,
      number[]
    >,
    stderr: Object.fromEntries(CURVE_MODELS.map((m) => [m, error[m].map(se)])) as Record<
      CurveModel,
      number[]
    >,
  };
}

function stratifiedOrder(ids: Int32Array, C: number, u: Float64Array): Int32Array {
  const byClass: number[][] = Array.from({ length: C }, () => []);
  for (let i = 0; i < ids.length; i++) byClass[ids[i]].push(i);
  // Fisher–Yates within each class, then deal: class c's k-th member lands at position (k + offset_c) / n_c
  const keyed: { i: number; at: number }[] = [];
  for (const members of byClass) {
    for (let k = members.length - 1; k > 0; k--) {
      const j = Math.floor(u[members[k]] * (k + 1));
      [members[k], members[j]] = [members[j], members[k]];
    }
    members.forEach((i, k) => {
      keyed.push({ i, at: (k + 0.5) / members.length });
    });
  }
  keyed.sort((a, b) => a.at - b.at || a.i - b.i);
  return Int32Array.from(keyed, (k) => k.i);
}

function standardise(Xtr: Matrix, Xte: Matrix): { Xtr: Matrix; Xte: Matrix } {
  const d = Xtr.cols;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < Xtr.rows; i++) for (let j = 0; j < d; j++) mean[j] += Xtr.data[i * d + j] / Xtr.rows;
  for (let i = 0; i < Xtr.rows; i++)
    for (let j = 0; j < d; j++) sd[j] += (Xtr.data[i * d + j] - mean[j]) ** 2 / Xtr.rows;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]) || 1;
  const apply = (m: Matrix): Matrix => {
    const out = { rows: m.rows, cols: d, data: new Float64Array(m.data.length) };
    for (let i = 0; i < m.rows; i++)
      for (let j = 0; j < d; j++) out.data[i * d + j] = (m.data[i * d + j] - mean[j]) / sd[j];
    return out;
  };
  return { Xtr: apply(Xtr), Xte: apply(Xte) };
}
