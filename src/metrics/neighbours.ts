/**
 * A k-d tree over `[n, d]` float64 points for the neighbour searches behind the sample metrics: k
 * nearest neighbours (PRDC radii, k-NN divergence), counts of points within many radii at once
 * (correlation sums), and counts of balls of per-point radius that contain a query (PRDC). Median
 * splits on the widest side of each node's tight bounding box (Friedman, Bentley & Finkel 1977);
 * memory O(n·d), never O(n²).
 *
 * Exactness: a node is decided from its box with distances computed the same way as point distances
 * (differences, squares, sums over coordinates 0..d-1), and floating-point rounding is monotone, so
 * the box bounds never contradict the per-point distances: every count equals the brute-force count
 * with `sqDist`, bit for bit. Comparisons are on squared distances; "within r" means d <= r.
 */
import { ValueError } from "../errors.js";
import type { Matrix } from "../linalg/matrix.js";
import { checkPositiveInt, sqDist } from "./points.js";

/** A k-d tree: points reordered into tree order, node ranges, children and bounding boxes. */
export type KdTree = {
  n: number;
  d: number;
  /** `[n, d]` the points in tree order */
  points: Float64Array;
  /** tree position -> row of the original matrix */
  index: Int32Array;
  /** node `b` holds tree positions `start[b] .. end[b])`; children `b + 1` and `right[b]`, or -1 for a leaf */
  start: Int32Array;
  end: Int32Array;
  right: Int32Array;
  /** `[nodes, d]` tight bounding boxes */
  lo: Float64Array;
  hi: Float64Array;
};

/** Build a k-d tree over the rows of `X` `[n, d]`; leaves hold at most `leafSize` points (default 16). */
export function buildKdTree(X: Matrix, opts: { leafSize?: number } = {}): KdTree {
  const leafSize = opts.leafSize ?? 16;
  checkPositiveInt(leafSize, "buildKdTree", "leafSize");
  const { rows: n, cols: d, data } = X;
  if (n < 1) throw new ValueError(`buildKdTree: X must have at least 1 point, but has ${n}`);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  // leaves hold at least floor((leafSize + 1) / 2) points (or are a split-free block of identical points)
  const cap = 2 * Math.max(1, Math.floor(n / Math.floor((leafSize + 1) / 2))) + 1;
  const start = new Int32Array(cap);
  const end = new Int32Array(cap);
  const right = new Int32Array(cap);
  const lo = new Float64Array(cap * d);
  const hi = new Float64Array(cap * d);
  let count = 0;

  const build = (s: number, e: number): number => {
    const b = count++;
    start[b] = s;
    end[b] = e;
    right[b] = -1;
    // 1. tight bounding box
    for (let c = 0; c < d; c++) {
      lo[b * d + c] = Number.POSITIVE_INFINITY;
      hi[b * d + c] = Number.NEGATIVE_INFINITY;
    }
    for (let t = s; t < e; t++) {
      const o = idx[t] * d;
      for (let c = 0; c < d; c++) {
        const v = data[o + c];
        if (v < lo[b * d + c]) lo[b * d + c] = v;
        if (v > hi[b * d + c]) hi[b * d + c] = v;
      }
    }
    if (e - s <= leafSize) return b;
    // 2. split the widest side at the median
    let dim = 0;
    let width = -1;
    for (let c = 0; c < d; c++) {
      const w = hi[b * d + c] - lo[b * d + c];
      if (w > width) {
        width = w;
        dim = c;
      }
    }
    if (width === 0) return b; // all points identical: keep as one leaf
    const mid = (s + e) >> 1;
    select(idx, data, d, dim, s, e - 1, mid);
    build(s, mid);
    right[b] = build(mid, e);
    return b;
  };
  build(0, n);

  const points = new Float64Array(n * d);
  for (let t = 0; t < n; t++) points.set(data.subarray(idx[t] * d, idx[t] * d + d), t * d);
  return {
    n,
    d,
    points,
    index: idx,
    start: start.slice(0, count),
    end: end.slice(0, count),
    right: right.slice(0, count),
    lo: lo.slice(0, count * d),
    hi: hi.slice(0, count * d),
  };
}

/** Hoare quickselect on `idx[l..r]` by coordinate `dim`, so that position `k` holds its order statistic. */
function select(
  idx: Int32Array,
  data: Float64Array,
  d: number,
  dim: number,
  l: number,
  r: number,
  k: number,
) {
  while (r > l) {
    const m = (l + r) >> 1;
    // median of three as pivot value
    const a = data[idx[l] * d + dim];
    const b = data[idx[m] * d + dim];
    const c = data[idx[r] * d + dim];
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c)); // median of three
    let i = l;
    let j = r;
    while (i <= j) {
      while (data[idx[i] * d + dim] < pivot) i++;
      while (data[idx[j] * d + dim] > pivot) j--;
      if (i <= j) {
        const t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else return;
  }
}

/** Depth of the tree (a single leaf has depth 1). */
function depth(tree: KdTree): number {
  const { right } = tree;
  const at = (b: number): number => (right[b] < 0 ? 1 : 1 + Math.max(at(b + 1), at(right[b])));
  return at(0);
}

/** Squared distances from query `q[qo .. qo+d)` to node `b`'s box: [nearest, farthest]. */
function boxBounds(tree: KdTree, b: number, q: Float64Array, qo: number, out: Float64Array): void {
  const { d, lo, hi } = tree;
  let near = 0;
  let far = 0;
  for (let c = 0; c < d; c++) {
    const v = q[qo + c];
    const l = lo[b * d + c] - v;
    const h = hi[b * d + c] - v;
    if (l > 0) near += l * l;
    else if (h < 0) near += h * h;
    const fl = l * l;
    const fh = h * h;
    far += Math.max(fl, fh);
  }
  out[0] = near;
  out[1] = far;
}

/** Squared distance from the query to node `b`'s box (0 inside). */
function boxNear(tree: KdTree, b: number, q: Float64Array, qo: number): number {
  const { d, lo, hi } = tree;
  let near = 0;
  for (let c = 0; c < d; c++) {
    const v = q[qo + c];
    const l = lo[b * d + c] - v;
    if (l > 0) near += l * l;
    else {
      const h = v - hi[b * d + c];
      if (h > 0) near += h * h;
    }
  }
  return near;
}

/**
 * k nearest neighbours of each row of `queries` `[q, d]` among the tree's points: Euclidean
 * distances `[q, k]` ascending (squared with `squared: true`) and original row indices `[q, k]`.
 * With `self: true` the queries are
 * the tree's own points in original order and each point's own row is skipped (duplicates elsewhere
 * still count, at distance 0).
 */
export function kNearest(
  tree: KdTree,
  queries: Matrix,
  k: number,
  opts: { self?: boolean; squared?: boolean } = {},
): { distances: Float64Array; indices: Int32Array } {
  checkPositiveInt(k, "kNearest", "k");
  const self = opts.self ?? false;
  const squared = opts.squared ?? false;
  const { d, points, index, start, end, right } = tree;
  if (queries.cols !== d)
    throw new ValueError(`kNearest: queries must have dimension ${d} like the tree, but got ${queries.cols}`);
  if (self && queries.rows !== tree.n)
    throw new ValueError(
      `kNearest: with self, queries must be the tree's ${tree.n} points, but got ${queries.rows}`,
    );
  const avail = tree.n - (self ? 1 : 0);
  if (k > avail)
    throw new ValueError(`kNearest: k must be at most ${avail} (points available), but got ${k}`);
  const nq = queries.rows;
  const q = queries.data;
  const distances = new Float64Array(nq * k);
  const indices = new Int32Array(nq * k);
  const hd = new Float64Array(k); // max-heap of squared distances
  const hi = new Int32Array(k);
  const stack = new Int32Array(256);
  const stackNear = new Float64Array(256);
  for (let i = 0; i < nq; i++) {
    const qo = i * d;
    let size = 0;
    let sp = 0;
    stack[sp] = 0;
    stackNear[sp++] = 0;
    while (sp > 0) {
      sp--;
      const b = stack[sp];
      if (size === k && stackNear[sp] > hd[0]) continue;
      const r = right[b];
      if (r < 0) {
        for (let t = start[b]; t < end[b]; t++) {
          const orig = index[t];
          if (self && orig === i) continue;
          const s = sqDist(q, i, points, t, d);
          if (size < k) {
            // sift up
            let c = size++;
            while (c > 0) {
              const p = (c - 1) >> 1;
              if (hd[p] >= s) break;
              hd[c] = hd[p];
              hi[c] = hi[p];
              c = p;
            }
            hd[c] = s;
            hi[c] = orig;
          } else if (s < hd[0]) {
            // replace the root, sift down
            let c = 0;
            for (;;) {
              let m = 2 * c + 1;
              if (m >= k) break;
              if (m + 1 < k && hd[m + 1] > hd[m]) m++;
              if (hd[m] <= s) break;
              hd[c] = hd[m];
              hi[c] = hi[m];
              c = m;
            }
            hd[c] = s;
            hi[c] = orig;
          }
        }
        continue;
      }
      const nl = boxNear(tree, b + 1, q, qo);
      const nr = boxNear(tree, r, q, qo);
      // push the farther child first so the nearer one is searched first
      if (nl <= nr) {
        stack[sp] = r;
        stackNear[sp++] = nr;
        stack[sp] = b + 1;
        stackNear[sp++] = nl;
      } else {
        stack[sp] = b + 1;
        stackNear[sp++] = nl;
        stack[sp] = r;
        stackNear[sp++] = nr;
      }
    }
    // heap -> ascending
    for (let m = k - 1; m >= 0; m--) {
      distances[i * k + m] = squared ? hd[0] : Math.sqrt(hd[0]);
      indices[i * k + m] = hi[0];
      const s = hd[m];
      const o = hi[m];
      let c = 0;
      for (;;) {
        let j = 2 * c + 1;
        if (j >= m) break;
        if (j + 1 < m && hd[j + 1] > hd[j]) j++;
        if (hd[j] <= s) break;
        hd[c] = hd[j];
        hi[c] = hi[j];
        c = j;
      }
      hd[c] = s;
      hi[c] = o;
    }
  }
  return { distances, indices };
}

/**
 * Add to `counts` (length K) the number of pairs (query point, tree point) within each radius:
 * `counts[k] += #{(i, j) : |q_i - x_j|^2 <= r2[k]}` for ascending squared radii `r2`, over all points
 * of `queries` and `tree` (pass the same tree twice for all ordered pairs, self-pairs included: each unordered pair
 * of distinct nodes is then visited once and counted twice). A
 * dual-tree traversal (Gray & Moore 2001; scipy's `cKDTree.count_neighbors`): a pair of nodes is
 * resolved at once for every radius that its box-to-box distance bounds do not straddle.
 */
export function countPairsWithinRadii(
  queries: KdTree,
  tree: KdTree,
  r2: Float64Array,
  counts: Float64Array,
): void {
  const d = tree.d;
  if (queries.d !== d)
    throw new ValueError(
      `countPairsWithinRadii: trees must have the same dimension, but got ${queries.d} and ${d}`,
    );
  const K = r2.length;
  if (counts.length !== K)
    throw new ValueError(`countPairsWithinRadii: counts must have ${K} entries, but got ${counts.length}`);
  const { points: qp, start: qs, end: qe, right: qr, lo: qlo, hi: qhi } = queries;
  const { points: tp, start: ts, end: te, right: tr, lo: tlo, hi: thi } = tree;
  const diff = new Float64Array(K + 1);
  const same = queries === tree;
  // depth-first: each pop pushes at most 3 pairs, so the stack stays within 3·(depthA + depthB) + 1
  const stack = new Int32Array(5 * 3 * (depth(queries) + depth(tree) + 2));
  let sp = 0;
  stack[0] = 0;
  stack[1] = 0;
  stack[2] = 0;
  stack[3] = K;
  stack[4] = 1;
  sp = 1;
  while (sp > 0) {
    const o = 5 * --sp;
    const A = stack[o];
    const B = stack[o + 1];
    let a = stack[o + 2];
    let z = stack[o + 3];
    const weight = stack[o + 4];
    // 1. box-to-box squared distance bounds
    let near = 0;
    let far = 0;
    let sizeA = 0;
    let sizeB = 0;
    for (let c = 0; c < d; c++) {
      const la = qlo[A * d + c];
      const ha = qhi[A * d + c];
      const lb = tlo[B * d + c];
      const hb = thi[B * d + c];
      const g1 = lb - ha;
      const g2 = la - hb;
      if (g1 > 0) near += g1 * g1;
      else if (g2 > 0) near += g2 * g2;
      const f1 = hb - la;
      const f2 = ha - lb;
      far += f1 > f2 ? f1 * f1 : f2 * f2;
      sizeA += (ha - la) * (ha - la);
      sizeB += (hb - lb) * (hb - lb);
    }
    // 2. radii below `near` count nothing, radii from `far` on count everything
    while (a < z && r2[a] < near) a++;
    if (a === K) continue;
    let zz = a;
    while (zz < z && r2[zz] < far) zz++;
    z = zz;
    if (a === z) {
      diff[z] += weight * (qe[A] - qs[A]) * (te[B] - ts[B]);
      continue;
    }
    const leafA = qr[A] < 0;
    const leafB = tr[B] < 0;
    if (leafA && leafB) {
      // 3. leaf pair: every distance
      const top = r2[z - 1];
      for (let i = qs[A]; i < qe[A]; i++) {
        for (let j = ts[B]; j < te[B]; j++) {
          const s = sqDist(qp, i, tp, j, d);
          if (s > top) {
            diff[z] += weight;
            continue;
          }
          let x = a;
          let y = z - 1;
          while (x < y) {
            const m = (x + y) >> 1;
            if (r2[m] >= s) y = m;
            else x = m + 1;
          }
          diff[x] += weight;
        }
      }
      continue;
    }
    // 4. split: a node paired with itself into (L, L), (R, R) and (L, R) counted twice; otherwise
    //    the larger box (a leaf is never split)
    let n1A = A;
    let n1B = B;
    let n2A = A;
    let n2B = B;
    if (same && A === B) {
      stack.set([A + 1, qr[A], a, z, 2 * weight], 5 * sp++);
      n1A = n1B = A + 1;
      n2A = n2B = qr[A];
    } else if (leafB || (!leafA && sizeA >= sizeB)) {
      n1A = A + 1;
      n2A = qr[A];
    } else {
      n1B = B + 1;
      n2B = tr[B];
    }
    let p = 5 * sp++;
    stack[p] = n1A;
    stack[p + 1] = n1B;
    stack[p + 2] = a;
    stack[p + 3] = z;
    stack[p + 4] = weight;
    p = 5 * sp++;
    stack[p] = n2A;
    stack[p + 1] = n2B;
    stack[p + 2] = a;
    stack[p + 3] = z;
    stack[p + 4] = weight;
  }
  let acc = 0;
  for (let k = 0; k < K; k++) {
    acc += diff[k];
    counts[k] += acc;
  }
}

/** Balls of per-point radius around a tree's points, with each node's largest and smallest squared radius. */
export type BallCover = { tree: KdTree; r2: Float64Array; nodeMax: Float64Array; nodeMin: Float64Array };

/** Balls around the tree's points of squared radii `radii2` (one per original row, >= 0). */
export function ballCover(tree: KdTree, radii2: Float64Array): BallCover {
  const { n, index, start, end, right } = tree;
  if (radii2.length !== n)
    throw new ValueError(`ballCover: radii2 must have ${n} values, but got ${radii2.length}`);
  const r2 = new Float64Array(n);
  for (let t = 0; t < n; t++) r2[t] = radii2[index[t]];
  const nodes = start.length;
  const nodeMax = new Float64Array(nodes);
  const nodeMin = new Float64Array(nodes);
  // children have larger ids than their parent: fill bottom-up
  for (let b = nodes - 1; b >= 0; b--) {
    const r = right[b];
    if (r < 0) {
      let mx = Number.NEGATIVE_INFINITY;
      let mn = Number.POSITIVE_INFINITY;
      for (let t = start[b]; t < end[b]; t++) {
        if (r2[t] > mx) mx = r2[t];
        if (r2[t] < mn) mn = r2[t];
      }
      nodeMax[b] = mx;
      nodeMin[b] = mn;
    } else {
      nodeMax[b] = Math.max(nodeMax[b + 1], nodeMax[r]);
      nodeMin[b] = Math.min(nodeMin[b + 1], nodeMin[r]);
    }
  }
  return { tree, r2, nodeMax, nodeMin };
}

/**
 * Number of balls in `cover` containing the query row `qi` of `q` (width d) (`|x_t - q|^2 <= r_t^2`, ties
 * inside); with `firstOnly` it stops at the first (returns 0 or 1).
 */
export function countCoveringBalls(cover: BallCover, q: Float64Array, qi: number, firstOnly = false): number {
  const { tree, r2, nodeMax, nodeMin } = cover;
  const { d, points, start, end, right } = tree;
  const stack = new Int32Array(256);
  const bounds = new Float64Array(2);
  let count = 0;
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const b = stack[--sp];
    boxBounds(tree, b, q, qi * d, bounds);
    if (bounds[0] > nodeMax[b]) continue;
    if (bounds[1] <= nodeMin[b]) {
      count += end[b] - start[b];
      if (firstOnly) return 1;
      continue;
    }
    const r = right[b];
    if (r < 0) {
      for (let t = start[b]; t < end[b]; t++) {
        if (sqDist(points, t, q, qi, d) <= r2[t]) {
          count++;
          if (firstOnly) return 1;
        }
      }
      continue;
    }
    stack[sp++] = r;
    stack[sp++] = b + 1;
  }
  return count;
}
