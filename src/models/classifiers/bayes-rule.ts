/**
 * Bayes' rule, once for every generative classifier: given its log joint log p(x, y = c) (nats), the
 * posterior, the prediction, the marginal log p(x) and the joint at given labels follow the same way
 * for LDA, QDA, Gaussian naive Bayes and mixture classifiers.
 */
import { ValueError } from "../../errors.js";
import { logSumExpRows } from "../../linalg/dense.js";
import { checkFinite, checkShape, type Matrix } from "../../linalg/matrix.js";
import { argmaxLabels, logSoftmaxRows, softmaxRows } from "./gaussian-sampling.js";
import { encodeWithClasses, type Label } from "./labels.js";

/** What Bayes' rule needs of a fitted model. */
type Fitted = { classes: Label[]; nFeatures: number };

/** The methods derived from `joint(fitted, X) -> [n, C]` log p(x, y = c); `name` prefixes errors. */
export function bayesRule<F extends Fitted>(name: string, joint: (fitted: F, X: Matrix) => Matrix) {
  const checked = (fitted: F, X: Matrix, method: string): Matrix => {
    const fn = `${name}.${method}`;
    checkShape(X, fn, "X", fitted.nFeatures);
    checkFinite(X, "X", fn);
    return joint(fitted, X);
  };
  return {
    /** `[n, C]` log p(x, y = c), nats. */
    logJoint: (fitted: F, X: Matrix): Matrix => checked(fitted, X, "logJoint"),
    /** `[n]` log p(x_i, y_i) for given labels, nats; a label never seen in fit is an error. */
    logJointAt(fitted: F, X: Matrix, y: ArrayLike<Label>): Float64Array {
      const fn = `${name}.logJointAt`;
      if (y.length !== X.rows) {
        throw new ValueError(`${fn}: y must have one label per row of X (${X.rows}), but has ${y.length}`);
      }
      const ids = encodeWithClasses(y, fitted.classes, fn);
      const J = checked(fitted, X, "logJointAt");
      return Float64Array.from(ids, (c, i) => J.data[i * J.cols + c]);
    },
    /** `[n]` log p(x) = logsumexp_c log p(x, y = c), nats. */
    logMarginal: (fitted: F, X: Matrix): Float64Array => logSumExpRows(checked(fitted, X, "logMarginal")),
    /** `[n, C]` posterior P(y = c | x): the softmax of the joint. */
    predictProba: (fitted: F, X: Matrix): Matrix => softmaxRows(checked(fitted, X, "predictProba")),
    /** `[n, C]` log posterior, nats (a stable log-softmax). */
    predictLogProba: (fitted: F, X: Matrix): Matrix => logSoftmaxRows(checked(fitted, X, "predictLogProba")),
    /** `[n]` the most probable class of each row (ties to the first class). */
    predict: (fitted: F, X: Matrix): Label[] => argmaxLabels(checked(fitted, X, "predict"), fitted.classes),
  };
}
