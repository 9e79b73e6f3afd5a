import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cli, tempDir } from "./helpers.js";

test("fit -> save -> predict round-trips every model through a file; predictions match in-process fits", async () => {
  const d = tempDir();
  const p = (f: string) => join(d, f);
  assert.equal((await cli("data", "export", "iris", "--out", p("iris.csv"))).code, 0);
  for (const model of ["lda", "qda", "gnb", "logreg", "gmm"]) {
    const fit = await cli(
      "classify",
      "fit",
      "--model",
      model,
      "--data",
      p("iris.csv"),
      "--label",
      "class",
      "--out",
      p(`${model}.st`),
      "--json",
    );
    assert.equal(fit.code, 0, fit.err);
    assert.deepEqual(JSON.parse(fit.out).classes, ["setosa", "versicolor", "virginica"]);
    const pred = await cli(
      "classify",
      "predict",
      "--model",
      p(`${model}.st`),
      "--data",
      p("iris.csv"),
      "--proba",
      "--json",
    );
    assert.equal(pred.code, 0, pred.err);
    const r = JSON.parse(pred.out);
    assert.equal(r.predictions.length, 150);
    assert.ok(r.accuracy > 0.9, `${model} accuracy ${r.accuracy}`);
    for (const row of r.proba)
      assert.ok(Math.abs(row.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-12);
  }
  const csv = await cli(
    "classify",
    "predict",
    "--model",
    p("lda.st"),
    "--data",
    p("iris.csv"),
    "--out",
    p("pred.csv"),
  );
  assert.equal(csv.code, 0);
  assert.match(readFileSync(p("pred.csv"), "utf8"), /^prediction\nsetosa\n/);
  assert.match(csv.err, /accuracy on 150 labelled rows: 98\.00%/);
});

test("sample: generative models draw rows with the feature header; a class can be fixed; logreg refuses and says why", async () => {
  const d = tempDir();
  const p = (f: string) => join(d, f);
  await cli("data", "export", "iris", "--out", p("iris.csv"));
  await cli(
    "classify",
    "fit",
    "--model",
    "lda",
    "--data",
    p("iris.csv"),
    "--label",
    "class",
    "--out",
    p("lda.st"),
  );
  await cli(
    "classify",
    "fit",
    "--model",
    "logreg",
    "--data",
    p("iris.csv"),
    "--label",
    "class",
    "--out",
    p("lr.st"),
  );
  const s = await cli(
    "classify",
    "sample",
    "--model",
    p("lda.st"),
    "-n",
    "4",
    "--class",
    "virginica",
    "--seed",
    "3",
  );
  assert.equal(s.code, 0, s.err);
  const lines = s.out.trim().split("\n");
  assert.equal(lines[0], "sepal length (cm),sepal width (cm),petal length (cm),petal width (cm),class");
  assert.equal(lines.length, 5);
  assert.ok(lines.slice(1).every((l) => l.endsWith(",virginica")));
  assert.equal(
    (
      await cli(
        "classify",
        "sample",
        "--model",
        p("lda.st"),
        "-n",
        "4",
        "--class",
        "virginica",
        "--seed",
        "3",
      )
    ).out,
    s.out,
  );
  const lr = await cli("classify", "sample", "--model", p("lr.st"), "-n", "4");
  assert.equal(lr.code, 1);
  assert.match(lr.err, /logistic regression models P\(y\|x\) only; it has no P\(x\) to sample from/);
  const bad = await cli("classify", "sample", "--model", p("lda.st"), "-n", "4", "--class", "rose");
  assert.equal(bad.code, 1);
  assert.match(bad.err, /--class must be one of setosa, versicolor, virginica, but got "rose"/);
});

test("gmm without labels is an unsupervised mixture whose classes are its components", async () => {
  const d = tempDir();
  const p = (f: string) => join(d, f);
  writeFileSync(
    p("x.csv"),
    `a,b\n${Array.from({ length: 60 }, (_, i) => `${(i % 2) * 10 + Math.sin(i)},${Math.cos(i * 7)}`).join("\n")}\n`,
  );
  const fit = await cli(
    "classify",
    "fit",
    "--model",
    "gmm",
    "--components",
    "2",
    "--data",
    p("x.csv"),
    "--out",
    p("g.st"),
    "--json",
  );
  assert.equal(fit.code, 0, fit.err);
  assert.deepEqual(JSON.parse(fit.out).classes, [0, 1]);
  const s = await cli("classify", "sample", "--model", p("g.st"), "-n", "3");
  assert.match(s.out, /^a,b,component\n/);
});

test("bad input: non-numeric cell, single class, unseen label, mismatched features, missing label", async () => {
  const d = tempDir();
  const p = (f: string) => join(d, f);
  writeFileSync(p("nan.csv"), "x,y,label\n1,2,a\n3,oops,b\n");
  writeFileSync(p("one.csv"), "x,y,label\n1,2,a\n3,4,a\n5,6,a\n");
  writeFileSync(p("train.csv"), "x,y,label\n1,2,a\n3,4,b\n5,5,a\n2,7,b\n");
  writeFileSync(p("unseen.csv"), "x,y,label\n1,2,c\n");
  writeFileSync(p("wide.csv"), "x,y,z,label\n1,2,3,a\n");
  const fit = (f: string, m = "lda") =>
    cli("classify", "fit", "--model", m, "--data", p(f), "--label", "label", "--out", p("m.st"));
  const nan = await fit("nan.csv");
  assert.equal(nan.code, 1);
  assert.match(nan.err, /nan\.csv: row 3, column "y" must be a number, but got "oops"/);
  const one = await fit("one.csv", "gnb");
  assert.equal(one.code, 1);
  assert.match(one.err, /y must hold at least 2 classes/);
  assert.equal((await fit("train.csv", "gnb")).code, 0);
  const unseen = await cli("classify", "predict", "--model", p("m.st"), "--data", p("unseen.csv"));
  assert.equal(unseen.code, 1);
  assert.match(unseen.err, /"c" is a class never seen in fit \(classes: "a", "b"\)/);
  const wide = await cli("classify", "predict", "--model", p("m.st"), "--data", p("wide.csv"));
  assert.equal(wide.code, 1);
  assert.match(wide.err, /feature columns must be x, y as in fit, but are x, y, z/);
  const nolabel = await cli(
    "classify",
    "fit",
    "--model",
    "lda",
    "--data",
    p("train.csv"),
    "--out",
    p("m.st"),
  );
  assert.equal(nolabel.code, 2);
  assert.match(nolabel.err, /missing required option --label \(only gmm can fit without labels\)/);
  writeFileSync(p("collinear.csv"), "x,y,label\n1,2,a\n2,4,a\n3,6,a\n4,8,b\n5,10,b\n6,12,b\n");
  const args = ["--solver", "lsqr", "--data", p("collinear.csv"), "--label", "label", "--out", p("m.st")];
  const singular = await cli("classify", "fit", "--model", "lda", ...args);
  assert.equal(singular.code, 1);
  assert.match(singular.err, /singular.*use solver "svd" or shrinkage/);
  assert.equal(singular.err.split("\n").filter(Boolean).length, 1);
  const kind = await cli(
    "classify",
    "fit",
    "--model",
    "svm",
    "--data",
    p("train.csv"),
    "--label",
    "label",
    "--out",
    p("m.st"),
  );
  assert.equal(kind.code, 2);
});

test("experiment gen-vs-disc on a built-in dataset and on a CSV, with --json", async () => {
  const r = await cli(
    "experiment",
    "gen-vs-disc",
    "--dataset",
    "iris",
    "--repeats",
    "3",
    "--sizes",
    "9,30,90",
    "--json",
  );
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(j.sizes, [9, 30, 90]);
  for (const m of ["gnb", "lda", "logreg"]) {
    assert.equal(j.error[m].length, 3);
    assert.ok(j.error[m].every((e: number) => e >= 0 && e < 0.5));
  }
  const d = tempDir();
  await cli("data", "export", "wine", "--out", join(d, "wine.csv"));
  const t = await cli(
    "experiment",
    "gen-vs-disc",
    "--data",
    join(d, "wine.csv"),
    "--label",
    "class",
    "--repeats",
    "2",
  );
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /training size\s+gnb error %\s+lda error %\s+logreg error %/);
  const both = await cli("experiment", "gen-vs-disc", "--dataset", "iris", "--data", "x.csv");
  assert.equal(both.code, 2);
  const size = await cli("experiment", "gen-vs-disc", "--dataset", "iris", "--sizes", "1000");
  assert.equal(size.code, 1);
  assert.match(size.err, /sizes must be integers in \[3, 105\], but got 1000/);
});
