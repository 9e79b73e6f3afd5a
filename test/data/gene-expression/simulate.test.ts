import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCsv } from "../../../src/data/csv.js";
import {
  type CountSimulation,
  countsCsv,
  logNormalize,
  selectCells,
  simulateCounts,
  splitCells,
} from "../../../src/data/gene-expression/index.js";
import { random } from "../../../src/jax.js";
import { liveBufferCounter } from "../../train/live-buffers.js";

// Default-sized simulations shared by the statistical tests (about half a second each); the two
// differ only in dropout.
const DEFAULT = simulateCounts(random.key(2024), { dropout: true, keepMeans: true });
const PLAIN = simulateCounts(random.key(2024));

test("same key, same data; another key, other data; shapes and ground truth are consistent", () => {
  const opts = { cells: 300, genes: 80 };
  const a = simulateCounts(random.key(1), opts);
  const b = simulateCounts(random.key(1), opts);
  const c = simulateCounts(random.key(2), opts);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.counts, c.counts);
  assert.equal(a.counts.length, 300 * 80);
  assert.equal(a.geneNames.length, 80);
  assert.equal(a.geneNames[0], "gene1");
  assert.deepEqual(a.typeNames, ["root", "A", "B", "A2", "B2"]);
  assert.deepEqual(a.pathFrom, [-1, 0, 0, 1, 2]);
  assert.equal(a.pathFactors.length, 5 * 80);
  assert.equal(a.cellMeans, undefined);
  assert.equal(a.dropped, undefined);
  assert.ok(a.counts.every((x) => Number.isInteger(x) && x >= 0));
  const depth = [0, 1, 1, 2, 2];
  for (let i = 0; i < 300; i++) {
    const k = a.cellType[i];
    assert.ok(k >= 0 && k < 5);
    assert.ok(a.pseudotime[i] >= depth[k] && a.pseudotime[i] < depth[k] + 1);
  }
  for (let k = 0; k < 5; k++)
    assert.ok(a.cellType.filter((t) => t === k).length > 30, `type ${k} is populated`);

  const d = DEFAULT;
  assert.equal(d.cells, 2000);
  assert.equal(d.genes, 500);
  assert.equal(d.counts.length, 2000 * 500);
  assert.equal(d.cellMeans?.length, 2000 * 500);
  // cell means are normalised to the library size
  for (const c of [0, 1, 999]) {
    let total = 0;
    for (let g = 0; g < d.genes; g++) total += d.cellMeans![c * d.genes + g];
    assert.ok(Math.abs(total / d.libSize[c] - 1) < 1e-12);
  }
  // outliers are about 5 % of genes
  const outliers = d.isOutlier.reduce((s, x) => s + x, 0);
  assert.ok(outliers > 10 && outliers < 45, `outlier genes ${outliers}`);
});

test("turning dropout on only zeroes counts: every other draw is unchanged", () => {
  const opts = { cells: 200, genes: 60 };
  const plain = simulateCounts(random.key(9), opts);
  const dropped = simulateCounts(random.key(9), { ...opts, dropout: true });
  let n = 0;
  for (let i = 0; i < plain.counts.length; i++) {
    if (dropped.dropped![i]) {
      n++;
      assert.equal(dropped.counts[i], 0);
    } else assert.equal(dropped.counts[i], plain.counts[i]);
  }
  assert.ok(n > 0);
  assert.deepEqual(dropped.libSize, plain.libSize);
});

test("counts are negative binomial: variance = μ + φ(μ) μ² with Splatter's trended BCV", () => {
  // one path, no DE, a fixed library size: every cell of a gene has the same expected mean μ_g
  const cells = 4000;
  const s = simulateCounts(random.key(77), {
    cells,
    genes: 150,
    pathFrom: [-1],
    deProb: 0,
    libScale: 0,
    keepMeans: true,
  });
  let extraObs = 0;
  let extraExp = 0;
  let overdispersed = 0;
  let high = 0;
  for (let g = 0; g < s.genes; g++) {
    const mu = s.cellMeans![g];
    let m = 0;
    for (let c = 0; c < cells; c++) m += s.counts[c * s.genes + g];
    m /= cells;
    let v = 0;
    for (let c = 0; c < cells; c++) v += (s.counts[c * s.genes + g] - m) ** 2;
    v /= cells - 1;
    // φ(μ) = BCV² = ((bcvCommon + 1/√μ) · sqrt(df/χ²_g))², the Gamma-Poisson extra variance φ μ²
    const phi = ((0.1 + 1 / Math.sqrt(mu)) * s.bcvScale[g]) ** 2;
    assert.ok(
      Math.abs(m - mu) < 5 * Math.sqrt((mu + phi * mu * mu) / cells),
      `gene ${g}: mean ${m} vs μ ${mu}`,
    );
    if (mu > 2) {
      extraObs += v - m;
      extraExp += phi * mu * mu;
      high++;
      if (v / m > 1.5) overdispersed++;
    }
  }
  assert.ok(high > 50);
  assert.ok(Math.abs(extraObs / extraExp - 1) < 0.05, `extra variance ratio ${extraObs / extraExp}`);
  assert.equal(overdispersed, high, "every gene with μ > 2 is clearly over-dispersed relative to Poisson");
});

test("library sizes are log-normal(libLoc, libScale); observed totals track them", () => {
  const d = DEFAULT;
  const logs = Array.from(d.libSize, Math.log);
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
  assert.ok(Math.abs(mean - 8) < 4 * (0.2 / Math.sqrt(2000)), `mean log library size ${mean}`);
  assert.ok(Math.abs(sd - 0.2) < 0.015, `sd log library size ${sd}`);
  const plain = PLAIN;
  const totals = Array.from({ length: plain.cells }, (_, c) =>
    plain.counts.subarray(c * plain.genes, (c + 1) * plain.genes).reduce((a, b) => a + b, 0),
  );
  const ratio = totals.reduce((a, t, c) => a + t / plain.libSize[c], 0) / plain.cells;
  assert.ok(Math.abs(ratio - 1) < 0.03, `observed / expected library size ${ratio}`);
});

test("dropout follows the logistic in log true mean and falls as the mean rises", () => {
  const d = DEFAULT;
  // bins of log true mean: observed dropout fraction vs the mean logistic probability in the bin
  const edges = [-Infinity, -2, -1, 0, 1, 2, 3, Infinity];
  const hits = new Float64Array(edges.length - 1);
  const probs = new Float64Array(edges.length - 1);
  const n = new Float64Array(edges.length - 1);
  for (let i = 0; i < d.counts.length; i++) {
    const x = Math.log(d.trueMeans![i]);
    let b = 0;
    while (x >= edges[b + 1]) b++;
    n[b]++;
    hits[b] += d.dropped![i];
    probs[b] += 1 / (1 + Math.exp(x)); // dropoutMid 0, dropoutShape -1
  }
  let prev = 1;
  for (let b = 0; b < n.length; b++) {
    assert.ok(n[b] > 1000, `bin ${b} populated`);
    const frac = hits[b] / n[b];
    assert.ok(Math.abs(frac - probs[b] / n[b]) < 0.01, `bin ${b}: dropout ${frac} vs ${probs[b] / n[b]}`);
    assert.ok(frac < prev, `dropout falls with the mean (bin ${b})`);
    prev = frac;
  }
});

test("cell types are separable: nearest-centroid accuracy on log-normalised counts", () => {
  const d = PLAIN;
  const G = d.genes;
  const K = d.typeNames.length;
  const X = logNormalize(d.counts, G);
  const { train, test: held } = splitCells(d.cells, 0.2, random.key(5));
  const Xtrain = selectCells(X, G, train);
  const centroids = new Float64Array(K * G);
  const sizes = new Float64Array(K);
  train.forEach((c, r) => {
    sizes[d.cellType[c]]++;
    for (let g = 0; g < G; g++) centroids[d.cellType[c] * G + g] += Xtrain[r * G + g];
  });
  for (let k = 0; k < K; k++) for (let g = 0; g < G; g++) centroids[k * G + g] /= sizes[k];
  let correct = 0;
  let midCorrect = 0;
  let mid = 0;
  const adjacent = (i: number, j: number) =>
    d.pathFrom[i] === j || d.pathFrom[j] === i || d.pathFrom[i] === d.pathFrom[j];
  for (const c of held) {
    let best = 0;
    let bestD = Infinity;
    for (let k = 0; k < K; k++) {
      let dist = 0;
      for (let g = 0; g < G; g++) dist += (X[c * G + g] - centroids[k * G + g]) ** 2;
      if (dist < bestD) [best, bestD] = [k, dist];
    }
    const truth = d.cellType[c];
    const inMiddle = d.pseudotime[c] % 1 > 0.2 && d.pseudotime[c] % 1 < 0.8;
    if (inMiddle) mid++;
    if (best === truth) {
      correct++;
      if (inMiddle) midCorrect++;
    } else assert.ok(adjacent(best, truth), `cell ${c}: ${truth} confused with non-adjacent ${best}`);
  }
  // cells near a branch point look like both neighbours; away from it the types separate well
  assert.ok(correct / held.length > 0.8, `accuracy ${correct / held.length}`);
  assert.ok(midCorrect / mid > 0.93, `accuracy mid-path ${midCorrect / mid}`);
});

test("splitCells is a deterministic partition of the cells", () => {
  const a = splitCells(1000, 0.2, random.key(3));
  assert.deepEqual(splitCells(1000, 0.2, random.key(3)), a);
  assert.notDeepEqual(splitCells(1000, 0.2, random.key(4)).test, a.test);
  assert.equal(a.test.length, 200);
  assert.equal(a.train.length, 800);
  const all = [...a.train, ...a.test].sort((x, y) => x - y);
  assert.deepEqual(
    all,
    Array.from({ length: 1000 }, (_, i) => i),
  );
  for (let i = 1; i < a.test.length; i++) assert.ok(a.test[i] > a.test[i - 1]);
  assert.equal(splitCells(3, 0.01, random.key(0)).test.length, 1);
});

test("countsCsv writes a cell_type column, optional pseudotime and one column per gene", () => {
  const s: CountSimulation = simulateCounts(random.key(6), { cells: 20, genes: 7 });
  const table = parseCsv(countsCsv(s, { pseudotime: true }));
  assert.deepEqual(table.header, ["cell_type", "pseudotime", ...s.geneNames]);
  assert.equal(table.rows.length, 20);
  assert.equal(table.rows[3][0], s.typeNames[s.cellType[3]]);
  assert.ok(Math.abs(Number(table.rows[3][1]) - s.pseudotime[3]) < 1e-6);
  assert.deepEqual(table.rows[3].slice(2).map(Number), Array.from(s.counts.subarray(21, 28)));
  assert.equal(parseCsv(countsCsv(s)).header[1], "gene1");
});

test("logNormalize and selectCells: values and bad input", () => {
  const x = logNormalize(new Float64Array([1, 3, 0, 0]), 2, 4);
  assert.deepEqual(Array.from(x), [Math.log1p(1), Math.log1p(3), 0, 0]);
  assert.deepEqual(Array.from(selectCells(new Float64Array([1, 2, 3, 4, 5, 6]), 2, [2, 0])), [5, 6, 1, 2]);
  assert.throws(
    () => logNormalize(new Float64Array(5), 2),
    /logNormalize: genes must divide the matrix length 5/,
  );
  assert.throws(
    () => selectCells(new Float64Array(4), 2, [2]),
    /selectCells: rows\[0\] must be a cell index in \[0, 2\)/,
  );
});

test("bad options are ValueErrors naming the option", () => {
  const bad: [object, RegExp][] = [
    [{ cells: 0 }, /simulateCounts: cells must be a positive integer, but got 0/],
    [{ genes: 1.5 }, /genes must be a positive integer, but got 1\.5/],
    [{ pathFrom: [] }, /pathFrom must be a non-empty array/],
    [{ pathFrom: [0] }, /pathFrom\[0\] must be -1 \(the origin\) or an earlier path index/],
    [
      { pathFrom: [-1, 1] },
      /pathFrom\[1\] must be -1 \(the origin\) or an earlier path index 0\.\.0, but got 1/,
    ],
    [{ typeNames: ["a"] }, /typeNames must be 5 strings \(one per path\)/],
    [{ typeProb: [0.5, 0.5, 0, 0, 0.1] }, /typeProb must sum to 1/],
    [{ typeProb: [1] }, /typeProb must have 5 entries/],
    [{ deProb: 1.5 }, /deProb must be a probability in \[0, 1\], but got 1\.5/],
    [{ libScale: -1 }, /libScale must be a non-negative number, but got -1/],
    [{ meanShape: 0 }, /meanShape must be a positive number, but got 0/],
    [{ bcvDf: Number.NaN }, /bcvDf must be a positive number, but got NaN/],
  ];
  for (const [opts, re] of bad) assert.throws(() => simulateCounts(random.key(0), opts), re);
  assert.throws(() => splitCells(1, 0.2, random.key(0)), /splitCells: n must be an integer >= 2, but got 1/);
  assert.throws(
    () => splitCells(10, 1, random.key(0)),
    /splitCells: testFraction must be in \(0, 1\), but got 1/,
  );
  // custom paths get generic names
  assert.deepEqual(simulateCounts(random.key(0), { cells: 5, genes: 3, pathFrom: [-1, 0] }).typeNames, [
    "type1",
    "type2",
  ]);
});

test("keys are consumed: simulating, splitting and bad options leave no live arrays behind", async () => {
  const counter = await liveBufferCounter();
  const before = counter.live();
  simulateCounts(random.key(1), { cells: 50, genes: 20, dropout: true });
  splitCells(50, 0.2, random.key(2));
  assert.throws(() => simulateCounts(random.key(3), { cells: -1 }));
  assert.throws(() => splitCells(50, 2, random.key(4)));
  assert.equal(counter.live(), before);
});
