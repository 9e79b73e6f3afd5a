/**
 * A generative classifier whose class-conditionals are Gaussian mixtures: P(y) from the class
 * frequencies (or given priors) and P(x | y = c) a `GaussianMixture` fitted to class c's rows —
 * mixture discriminant analysis (Hastie & Tibshirani 1996, JRSS B 58(1)), fitted per class by EM.
 * Classifies by Bayes' rule and samples like LDA/QDA, with more flexible class shapes.
 */
import { ValueError } from "../../errors.js";
import { hostUniforms } from "../../host-random.js";
import { type Array as JaxArray, np, random } from "../../jax.js";
import { checkFinite, checkShape, type Matrix, takeRows, zeros } from "../../linalg/matrix.js";
import { bayesRule } from "./bayes-rule.js";
import {
  GaussianMixture,
  type GaussianMixtureFitted,
  type GaussianMixtureOptions,
} from "./gaussian-mixture.js";
import { resolvePriors } from "./gaussian-sampling.js";
import { checkTrainingLabels, encodeWithClasses, type Label } from "./labels.js";

/** Options: the mixture options used for every class, and optional class priors. */
export type MixtureClassifierOptions = GaussianMixtureOptions & { priors?: ArrayLike<number> | null };

/** A fitted mixture classifier (plain object; `supervised` tells it from an unsupervised mixture). */
export type MixtureClassifierFitted = {
  kind: "gmm";
  supervised: true;
  classes: Label[];
  nFeatures: number;
  /** `[C]` */
  priors: Float64Array;
  /** one mixture per class, in the order of `classes` */
  mixtures: GaussianMixtureFitted[];
};

/** Fit one Gaussian mixture per class; consumes `key` (split into one key per class). */
function fit(
  key: JaxArray,
  X: Matrix,
  y: ArrayLike<Label>,
  opts: MixtureClassifierOptions = {},
): MixtureClassifierFitted {
  const fn = "MixtureClassifier.fit";
  let labels: ReturnType<typeof checkTrainingLabels>;
  let priors: Float64Array;
  try {
    checkShape(X, fn, "X");
    checkFinite(X, "X", fn);
    labels = checkTrainingLabels(fn, X.rows, y, { minPerClass: opts.nComponents ?? 1 });
    priors = resolvePriors(fn, opts.priors ?? null, labels.counts);
  } catch (e) {
    key.dispose();
    throw e;
  }
  const { classes, ids } = labels;
  const { priors: _ignored, ...gmmOpts } = opts;
  const keys = np.unstack(random.split(key, classes.length));
  const mixtures = classes.map((_, c) => {
    const rows: number[] = [];
    for (let i = 0; i < ids.length; i++) if (ids[i] === c) rows.push(i);
    return GaussianMixture.fit(keys[c], takeRows(X, rows), gmmOpts);
  });
  return { kind: "gmm", supervised: true, classes, nFeatures: X.cols, priors, mixtures };
}

/** Draw `n` rows: classes from the priors (or the given class), x from that class's mixture; consumes `key`. */
function sample(
  f: MixtureClassifierFitted,
  key: JaxArray,
  n: number,
  opts: { class?: Label } = {},
): { X: Matrix; y: Label[] } {
  const fn = "MixtureClassifier.sample";
  if (!Number.isInteger(n) || n < 0) {
    key.dispose();
    throw new ValueError(`${fn}: n must be an integer >= 0, but got ${n}`);
  }
  let fixed = -1;
  if (opts.class !== undefined) {
    try {
      fixed = encodeWithClasses([opts.class], f.classes, fn, "class")[0];
    } catch (e) {
      key.dispose();
      throw e;
    }
  }
  const ks = random.split(key, 2);
  const kClass = ks.ref.slice(0);
  const kDraw = ks.slice(1);
  // 1. how many rows of each class
  const u = hostUniforms(kClass, n);
  const C = f.classes.length;
  const counts = new Int32Array(C);
  const rowClass = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let c = fixed;
    if (c < 0) {
      let acc = 0;
      c = C - 1;
      for (let k = 0; k < C - 1; k++) {
        acc += f.priors[k];
        if (u[i] < acc) {
          c = k;
          break;
        }
      }
    }
    rowClass[i] = c;
    counts[c]++;
  }
  // 2. each class's rows from its mixture, placed back in draw order
  const X = zeros(n, f.nFeatures);
  const y: Label[] = Array.from(rowClass, (c) => f.classes[c]);
  const keys = np.unstack(random.split(kDraw, C));
  for (let c = 0; c < C; c++) {
    const drawn = GaussianMixture.sample(f.mixtures[c], keys[c], counts[c]).X;
    let j = 0;
    for (let i = 0; i < n; i++) {
      if (rowClass[i] === c)
        X.data.set(drawn.data.subarray(j * f.nFeatures, ++j * f.nFeatures), i * f.nFeatures);
    }
  }
  return { X, y };
}

/** `[n, C]` log P(c) + log p(x | c), nats (inputs checked by Bayes' rule). */
function joint(f: MixtureClassifierFitted, X: Matrix): Matrix {
  const C = f.classes.length;
  const out = zeros(X.rows, C);
  for (let c = 0; c < C; c++) {
    const lp = GaussianMixture.logProb(f.mixtures[c], X);
    const lprior = Math.log(f.priors[c]);
    for (let i = 0; i < X.rows; i++) out.data[i * C + c] = lprior + lp[i];
  }
  return out;
}

/** Mixture discriminant analysis as a record of pure functions (see the module comment). */
export const MixtureClassifier = { fit, ...bayesRule("MixtureClassifier", joint), sample };
