/**
 * The classifier family behind one interface, by kind, for the CLI and the web lab: fit from the
 * common settings, predict, and (generative models only) sample. Unsupervised `gmm` (no labels) is a
 * plain Gaussian mixture whose classes are its components; with labels, one mixture per class.
 */
import { ValueError } from "../../errors.js";
import type { Array as JaxArray } from "../../jax.js";
import type { Matrix } from "../../linalg/matrix.js";
import type { AnyFitted, ClassifierKind } from "./checkpoint.js";
import { GaussianMixture, type GaussianMixtureFitted } from "./gaussian-mixture.js";
import { GaussianNB, type GaussianNBFitted } from "./gaussian-nb.js";
import type { Label } from "./labels.js";
import { LDA, type LDAFitted } from "./lda.js";
import {
  LOGREG_CANNOT_SAMPLE,
  LogisticRegression,
  type LogisticRegressionFitted,
} from "./logistic-regression.js";
import { MixtureClassifier, type MixtureClassifierFitted } from "./mixture-classifier.js";
import { QDA, type QDAFitted } from "./qda.js";

/** Settings a user can give any classifier; each kind reads those that apply to it. */
export type FitSettings = {
  solver?: "svd" | "lsqr" | "eigen";
  shrinkage?: "auto" | number;
  regParam?: number;
  varSmoothing?: number;
  C?: number;
  components?: number;
  covariance?: "full" | "diag" | "spherical";
};

/** One kind of classifier, behind the common interface. */
export type ClassifierApi = {
  /** `y` may be undefined only for gmm; `key` is consumed (used by gmm, disposed otherwise) */
  fit: (X: Matrix, y: Label[] | undefined, key: JaxArray, s: FitSettings) => AnyFitted;
  predictProba: (f: AnyFitted, X: Matrix) => Matrix;
  predict: (f: AnyFitted, X: Matrix) => Label[];
  /** absent for discriminative models */
  sample?: (f: AnyFitted, key: JaxArray, n: number, opts: { class?: Label }) => { X: Matrix; y: Label[] };
  /** why `sample` is absent */
  cannotSample?: string;
};

function noKey<T>(key: JaxArray, f: () => T): T {
  key.dispose();
  return f();
}

function needLabels(kind: string, y: Label[] | undefined): Label[] {
  if (!y) throw new ValueError(`${kind}: fit needs labels (y); only gmm fits without them`);
  return y;
}

// biome-ignore lint/suspicious/noExplicitAny: each entry narrows AnyFitted to its own fitted type
type Any = any;

const gmmApi = (f: AnyFitted) =>
  (f as { supervised?: boolean }).supervised ? MixtureClassifier : GaussianMixture;

/** Every classifier kind. */
export const CLASSIFIERS: Readonly<Record<ClassifierKind, ClassifierApi>> = {
  lda: {
    fit: (X, y, key, s) =>
      noKey(key, () =>
        LDA.fit(X, needLabels("lda", y), { solver: s.solver, shrinkage: s.shrinkage ?? null }),
      ),
    predictProba: (f, X) => LDA.predictProba(f as LDAFitted, X),
    predict: (f, X) => LDA.predict(f as LDAFitted, X),
    sample: (f, key, n, o) => LDA.sample(f as LDAFitted, key, n, o),
  },
  qda: {
    fit: (X, y, key, s) => noKey(key, () => QDA.fit(X, needLabels("qda", y), { regParam: s.regParam })),
    predictProba: (f, X) => QDA.predictProba(f as QDAFitted, X),
    predict: (f, X) => QDA.predict(f as QDAFitted, X),
    sample: (f, key, n, o) => QDA.sample(f as QDAFitted, key, n, o),
  },
  gnb: {
    fit: (X, y, key, s) =>
      noKey(key, () => GaussianNB.fit(X, needLabels("gnb", y), { varSmoothing: s.varSmoothing })),
    predictProba: (f, X) => GaussianNB.predictProba(f as GaussianNBFitted, X),
    predict: (f, X) => GaussianNB.predict(f as GaussianNBFitted, X),
    sample: (f, key, n, o) => GaussianNB.sample(f as GaussianNBFitted, key, n, o),
  },
  logreg: {
    fit: (X, y, key, s) => noKey(key, () => LogisticRegression.fit(X, needLabels("logreg", y), { C: s.C })),
    predictProba: (f, X) => LogisticRegression.predictProba(f as LogisticRegressionFitted, X),
    predict: (f, X) => LogisticRegression.predict(f as LogisticRegressionFitted, X),
    cannotSample: LOGREG_CANNOT_SAMPLE,
  },
  gmm: {
    fit: (X, y, key, s) => {
      const opts = { covarianceType: s.covariance ?? "full", nInit: 3 } as const;
      return y
        ? MixtureClassifier.fit(key, X, y, { ...opts, nComponents: s.components ?? 2 })
        : GaussianMixture.fit(key, X, { ...opts, nComponents: s.components ?? 3 });
    },
    predictProba: (f, X) => gmmApi(f).predictProba(f as Any, X),
    predict: (f, X) => gmmApi(f).predict(f as Any, X),
    sample: (f, key, n, o) => gmmApi(f).sample(f as Any, key, n, o),
  },
};

export type { GaussianMixtureFitted, MixtureClassifierFitted };
