import assert from "node:assert/strict";
import { test } from "node:test";
import { iris, wine } from "../../../src/data/datasets/index.js";
import { random } from "../../../src/jax.js";
import { fromRows } from "../../../src/linalg/matrix.js";
import { defaultSizes, learningCurve } from "../../../src/models/classifiers/learning-curve.js";

test("learning curves are reproducible from the key, bounded, and improve with data", () => {
  const X = fromRows(wine.X);
  const y = wine.y.map((c) => wine.classNames[c]);
  const a = learningCurve(random.key(5), X, y, { sizes: [6, 40, 120], repeats: 4 });
  const b = learningCurve(random.key(5), X, y, { sizes: [6, 40, 120], repeats: 4 });
  assert.deepEqual(a, b);
  for (const m of a.models) {
    assert.ok(a.error[m].every((e) => e >= 0 && e <= 1));
    assert.ok(a.error[m][2] < a.error[m][0], `${m}: error falls from 6 to 120 examples`);
    assert.ok(a.stderr[m].every((s) => s >= 0));
  }
});

test("default sizes run from 2 per class to the training pool; bad sizes are errors", () => {
  assert.deepEqual(defaultSizes(150, 3, 0.3)[0], 6);
  assert.equal(defaultSizes(150, 3, 0.3).at(-1), 105);
  const X = fromRows(iris.X);
  const y = iris.y;
  assert.throws(
    () => learningCurve(random.key(0), X, y, { sizes: [2] }),
    /sizes must be integers in \[3, 105\], but got 2/,
  );
});
