import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChapterContext } from "../../src/report/chapter.js";
import { pairHmmChapter, sumOfPairsAccuracy } from "../../src/report/chapters/pair-hmm.js";

const ctx: ChapterContext = {
  scale: "smoke",
  seed: 0,
  progress: () => ({ update: () => {}, done: () => {} }),
  log: () => {},
};

test("sumOfPairsAccuracy: fraction of reference residue pairs recovered, gaps ignored", () => {
  const ref: [number, number][] = [
    [0, 0],
    [1, -1],
    [2, 1],
    [3, 2],
  ];
  assert.equal(sumOfPairsAccuracy(ref, ref), 1);
  assert.equal(
    sumOfPairsAccuracy(ref, [
      [0, 0],
      [1, 1],
      [2, 2],
      [3, -1],
    ]),
    1 / 3,
  );
  assert.ok(Number.isNaN(sumOfPairsAccuracy([[0, -1]], [[0, -1]])));
});

test("pair-hmm chapter at smoke scale: training, accuracy and sampled-pair tables, heat-map", async () => {
  const res = await pairHmmChapter.run(ctx);
  assert.equal(pairHmmChapter.id, "pair-hmm");
  const [train, evaluation, sampled] = res.summary;
  assert.match(train.title, /Baum–Welch/);
  const trained = Object.fromEntries(train.rows.map((r) => [r[0], r[2]]));
  for (const k of ["δ (gap open)", "ε (gap extend)", "τ (end)"]) {
    const v = trained[k] as number;
    assert.ok(v > 0 && v < 1, `${k} = ${v}`);
  }
  assert.deepEqual(evaluation.columns, ["family", "pairs", "mean identity", "parameters", "Viterbi", "MEA"]);
  assert.ok(evaluation.rows.length >= 2);
  for (const r of evaluation.rows)
    for (const v of [r[2], r[4], r[5]]) assert.ok(typeof v === "number" && v >= 0 && v <= 1, String(r));
  assert.equal(sampled.rows.length, 3);
  for (const r of sampled.rows)
    for (const v of [r[3], r[4], r[5]]) assert.ok(typeof v === "number" && v >= 0 && v <= 1, String(r));
  const plots = res.blocks.filter((b) => b.kind === "plot");
  assert.equal(plots.length, 1);
  const text = res.blocks.filter((b) => b.kind === "text").map((b) => (b.kind === "text" ? b.markdown : ""));
  assert.ok(text.some((t) => /MEA is (higher|lower|equal) than Viterbi/.test(t)));
});
