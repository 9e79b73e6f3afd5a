/**
 * k-means clustering in float64 plain TypeScript: k-means++ seeding and Lloyd's iterations, as
 * scikit-learn 1.2's `KMeans(init="k-means++", algorithm="lloyd")` does them (greedy k-means++ with
 * 2 + ⌊ln k⌋ candidates per centre; stop when the labels no longer change or the squared centre shift
 * ≤ tol × mean feature variance). Used to initialise Gaussian mixtures. Randomness comes from a jax-js
 * key (host uniforms), so results are reproducible but not scikit-learn's numbers.
 * References: Arthur & Vassilvitskii (2007), "k-means++: the advantages of careful seeding", SODA;
 * Lloyd (1982), IEEE Trans. Inf. Theory 28(2); scikit-learn `sklearn/cluster/_kmeans.py`.
 */
import { ValueError } from "../../errors.js";
import { hostUniforms } from "../../host-random.js";
import type { Array as JaxArray } from "../../jax.js";
import { checkFinite, checkShape, type Matrix, zeros } from "../../linalg/matrix.js";

/** Options of {@link lloyd} and {@link kmeans}. */
export type KMeansOptions = {
  /** Lloyd iterations (default 300, as scikit-learn) */
  maxIter?: number;
  /** relative tolerance on the squared centre shift, × the mean feature variance (default 1e-4) */
  tol?: number;
};

/** A clustering: centres `[k, d]`, a label per row `[n]`, inertia (Σ squared distances). */
export type KMeansResult = {
  centers: Matrix;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
};

function sqDist(x: Float64Array, a: number, c: Float64Array, b: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = x[a + j] - c[b + j];
    s += t * t;
  }
  return s;
}

function checkClusters(X: Matrix, k: number, fn: string): void {
  checkShape(X, fn, "X");
  checkFinite(X, "X", fn);
  if (!Number.isInteger(k) || k < 1)
    throw new ValueError(`${fn}: nClusters must be an integer >= 1, but got ${k}`);
  if (k > X.rows)
    throw new ValueError(`${fn}: X must have at least nClusters (${k}) rows, but has ${X.rows}`);
}

/**
 * k-means++ seeding: the first centre uniformly, each next one the best (lowest potential) of
 * 2 + ⌊ln k⌋ candidates drawn ∝ squared distance to the nearest centre. Consumes `key`.
 * Returns the centres `[k, d]` and the rows they were taken from.
 */
export function kmeansPlusPlus(
  key: JaxArray,
  X: Matrix,
  nClusters: number,
): { centers: Matrix; indices: Int32Array } {
  try {
    checkClusters(X, nClusters, "kmeansPlusPlus");
  } catch (e) {
    key.dispose();
    throw e;
  }
  const { rows: n, cols: d, data: x } = X;
  const trials = 2 + Math.floor(Math.log(nClusters));
  const u = hostUniforms(key, 1 + (nClusters - 1) * trials);
  const indices = new Int32Array(nClusters);
  indices[0] = Math.min(n - 1, Math.floor(u[0] * n));
  let closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(x, i * d, x, indices[0] * d, d);
    pot += closest[i];
  }
  const cum = new Float64Array(n);
  let cand = new Float64Array(n);
  let best = new Float64Array(n);
  for (let c = 1; c < nClusters; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i];
      cum[i] = acc;
    }
    let bestPot = Number.POSITIVE_INFINITY;
    let bestId = 0;
    for (let t = 0; t < trials; t++) {
      // 1. candidate: the first i with cum[i] >= u·pot (numpy searchsorted, side "left")
      const target = u[1 + (c - 1) * trials + t] * pot;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] >= target) hi = mid;
        else lo = mid + 1;
      }
      // 2. its potential if added
      let candPot = 0;
      for (let i = 0; i < n; i++) {
        cand[i] = Math.min(closest[i], sqDist(x, i * d, x, lo * d, d));
        candPot += cand[i];
      }
      if (candPot < bestPot) {
        bestPot = candPot;
        bestId = lo;
        [best, cand] = [cand, best];
      }
    }
    indices[c] = bestId;
    pot = bestPot;
    [closest, best] = [best, closest];
  }
  const centers = zeros(nClusters, d);
  for (let c = 0; c < nClusters; c++)
    centers.data.set(x.subarray(indices[c] * d, (indices[c] + 1) * d), c * d);
  return { centers, indices };
}

/** Nearest centre of each row; returns the inertia. */
function assign(X: Matrix, centers: Matrix, labels: Int32Array, dist: Float64Array): number {
  const { rows: n, cols: d, data: x } = X;
  const k = centers.rows;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let bestD = Number.POSITIVE_INFINITY;
    let bestC = 0;
    for (let c = 0; c < k; c++) {
      const s = sqDist(x, i * d, centers.data, c * d, d);
      if (s < bestD) {
        bestD = s;
        bestC = c;
      }
    }
    labels[i] = bestC;
    dist[i] = bestD;
    inertia += bestD;
  }
  return inertia;
}

/**
 * Lloyd's algorithm from the given centres `[k, d]`. An empty cluster is moved to the row farthest
 * from its centre (as scikit-learn relocates empty clusters).
 */
export function lloyd(X: Matrix, init: Matrix, opts: KMeansOptions = {}): KMeansResult {
  const fn = "lloyd";
  checkClusters(X, init.rows, fn);
  checkShape(init, fn, "init", X.cols);
  const maxIter = opts.maxIter ?? 300;
  const tol = opts.tol ?? 1e-4;
  if (!Number.isInteger(maxIter) || maxIter < 1)
    throw new ValueError(`${fn}: maxIter must be an integer >= 1, but got ${maxIter}`);
  if (!(tol >= 0)) throw new ValueError(`${fn}: tol must be >= 0, but got ${tol}`);
  const { rows: n, cols: d, data: x } = X;
  const k = init.rows;
  // scikit-learn's _tolerance: tol × mean of the per-feature variances
  let meanVar = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * d + j] - m) ** 2;
    meanVar += v / n;
  }
  const shiftTol = (meanVar / d) * tol;
  let centers: Matrix = { rows: k, cols: d, data: init.data.slice() };
  const labels = new Int32Array(n).fill(-1);
  const old = new Int32Array(n);
  const dist = new Float64Array(n);
  const counts = new Float64Array(k);
  let nIter = 0;
  let converged = false;
  let strict = false;
  for (nIter = 1; nIter <= maxIter; nIter++) {
    old.set(labels);
    assign(X, centers, labels, dist);
    // 1. new centres: cluster means; empty clusters take the farthest rows
    const next = zeros(k, d);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (let j = 0; j < d; j++) next.data[labels[i] * d + j] += x[i * d + j];
    }
    const empty: number[] = [];
    for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
    if (empty.length > 0) {
      const far = Array.from(dist.keys()).sort((a, b) => dist[b] - dist[a] || a - b);
      empty.forEach((c, e) => {
        const i = far[e];
        const from = labels[i];
        for (let j = 0; j < d; j++) {
          next.data[from * d + j] -= x[i * d + j];
          next.data[c * d + j] = x[i * d + j];
        }
        counts[from]--;
        counts[c] = 1;
        labels[i] = c;
      });
    }
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) next.data[c * d + j] /= counts[c];
    // 2. stop on unchanged labels (strict) or a small total squared shift
    let shift = 0;
    for (let t = 0; t < k * d; t++) shift += (next.data[t] - centers.data[t]) ** 2;
    centers = next;
    if (labels.every((l, i) => l === old[i])) {
      converged = strict = true;
      break;
    }
    if (shift <= shiftTol) {
      converged = true;
      break;
    }
  }
  nIter = Math.min(nIter, maxIter);
  // labels consistent with the final centres
  const inertia = strict
    ? labels.reduce((s, l, i) => s + sqDist(x, i * d, centers.data, l * d, d), 0)
    : assign(X, centers, labels, dist);
  return { centers, labels, inertia, nIter, converged };
}

/** k-means: k-means++ seeding then Lloyd's iterations (scikit-learn `KMeans(n_init=1)`). Consumes `key`. */
export function kmeans(key: JaxArray, X: Matrix, nClusters: number, opts: KMeansOptions = {}): KMeansResult {
  const { centers } = kmeansPlusPlus(key, X, nClusters);
  return lloyd(X, centers, opts);
}
