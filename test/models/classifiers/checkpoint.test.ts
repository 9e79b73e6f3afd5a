import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeFitted, encodeFitted } from "../../../src/models/classifiers/checkpoint.js";
import { encodeSeriesModel } from "../../../src/models/weather/checkpoint.js";

const fitted = {
  kind: "qda" as const,
  classes: ["setosa", 2, "virginica"],
  nFeatures: 2,
  means: { rows: 3, cols: 2, data: new Float64Array([1, 2, 3, 4, 5, 6]) },
  priors: new Float64Array([0.2, 0.3, 0.5]),
  rotations: [
    { rows: 2, cols: 2, data: new Float64Array([1, 0, 0, 1]) },
    { rows: 2, cols: 2, data: new Float64Array([0, 1, 1, 0]) },
  ],
  options: { regParam: 0.1, priors: null, tol: Number.POSITIVE_INFINITY, solver: "svd" },
};

test("a fitted classifier round-trips exactly: matrices, vectors, lists of matrices, JSON and non-finite numbers", () => {
  const back = decodeFitted(encodeFitted(fitted), "m.safetensors");
  assert.deepEqual(back, fitted);
  assert.ok((back.means as { data: unknown }).data instanceof Float64Array);
});

test("loading refuses other models and kinds with one-line errors", () => {
  const bytes = encodeFitted(fitted);
  assert.throws(
    () => decodeFitted(bytes, "m.safetensors", "lda"),
    /m\.safetensors: expected a lda model, but the file holds qda/,
  );
  const weather = encodeSeriesModel({ kind: "iid", states: ["a", "b"], probs: new Float64Array([0.5, 0.5]) });
  assert.throws(
    () => decodeFitted(weather, "w.safetensors"),
    /w\.safetensors: expected a classifier .* but the file holds "weather-iid"/,
  );
  assert.throws(
    () => decodeFitted(bytes.slice(0, bytes.length - 3), "m.safetensors"),
    /m\.safetensors: file is truncated/,
  );
  assert.throws(
    () => encodeFitted({ ...fitted, kind: "svm" as never }),
    /fitted\.kind must be one of lda, qda, gnb, logreg, gmm/,
  );
});
