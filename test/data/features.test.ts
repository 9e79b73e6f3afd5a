import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCsv } from "../../src/data/csv.js";
import { DATASETS } from "../../src/data/datasets/index.js";
import { datasetCsv, featureTable } from "../../src/data/features.js";

test("features and labels are split by name; numeric labels become numbers", () => {
  const t = featureTable(parseCsv("a,label,b\n1,2,3.5\n4,10,-6e-3\n"), { label: "label" });
  assert.deepEqual(t.featureNames, ["a", "b"]);
  assert.deepEqual(t.X, [
    [1, 3.5],
    [4, -0.006],
  ]);
  assert.deepEqual(t.y, [2, 10]);
  assert.deepEqual(featureTable(parseCsv("x,c\n1,cat\n2,dog\n"), { label: "c" }).y, ["cat", "dog"]);
});

test("missing and non-numeric cells name the row and the column; a missing label column lists the columns", () => {
  assert.throws(
    () => featureTable(parseCsv("a,b\n1,2\n3,\n"), { source: "t.csv" }),
    /t\.csv: row 3, column "b" is empty/,
  );
  assert.throws(
    () => featureTable(parseCsv("a,b\n1,x\n"), { source: "t.csv" }),
    /t\.csv: row 2, column "b" must be a number, but got "x"/,
  );
  assert.throws(
    () => featureTable(parseCsv("a,b\n1,2\n"), { label: "y", source: "t.csv" }),
    /label column "y" not found; columns are "a", "b"/,
  );
  assert.throws(
    () => featureTable(parseCsv("a,b\n"), { source: "t.csv" }),
    /t\.csv: has a header but no data rows/,
  );
});

test("built-in datasets: shapes, classes, and the CSV export round-trips", () => {
  const shapes = { iris: [150, 4, 3], wine: [178, 13, 3], "breast-cancer": [569, 30, 2] };
  for (const [name, [n, d, c]] of Object.entries(shapes)) {
    const ds = DATASETS[name];
    assert.equal(ds.X.length, n);
    assert.ok(ds.X.every((r) => r.length === d && r.every(Number.isFinite)));
    assert.equal(ds.classNames.length, c);
    assert.equal(ds.y.length, n);
    const t = featureTable(parseCsv(datasetCsv(ds)), { label: "class" });
    assert.deepEqual(t.X, ds.X);
    assert.deepEqual(
      t.y,
      ds.y.map((k) => ds.classNames[k]),
    );
  }
  // Fisher's iris as in scikit-learn and R: row 35 (index 34) is 4.9, 3.1, 1.5, 0.2 (UCI has 0.1)
  assert.deepEqual(DATASETS.iris.X[34], [4.9, 3.1, 1.5, 0.2]);
});
