// Shared by the pair-HMM tests: a seeded generator, random parameters and the brute-force enumeration.
import { BLOSUM62, pairEmissions, ROBINSON_FREQUENCIES } from "../../../src/models/pair-hmm/matrices.js";
import type { PairHmmParams } from "../../../src/models/pair-hmm/model.js";

/** mulberry32: a small seeded uniform generator for test data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random residues `[length]` drawn from `background`. */
export function randomSequence(u: () => number, length: number, background = ROBINSON_FREQUENCIES) {
  const out = new Int8Array(length);
  for (let i = 0; i < length; i++) {
    let r = u();
    let k = 0;
    while (k < 19 && r >= background[k]) r -= background[k++];
    out[i] = k;
  }
  return out;
}

/** Random valid parameters: random gaps, a random (asymmetric) match table and background. */
export function randomParams(u: () => number): PairHmmParams {
  const background = new Float64Array(20).map(() => 0.2 + u());
  const sb = background.reduce((a, b) => a + b, 0);
  for (let k = 0; k < 20; k++) background[k] /= sb;
  const match = new Float64Array(400).map(() => 0.1 + u());
  const sm = match.reduce((a, b) => a + b, 0);
  for (let k = 0; k < 400; k++) match[k] /= sm;
  const tau = 0.01 + 0.2 * u();
  const delta = (1 - tau) * (0.05 + 0.4 * u());
  const epsilon = (1 - tau) * (0.05 + 0.9 * u());
  return { delta, epsilon, tau, match, background };
}

/** BLOSUM62-derived emissions with given gaps. */
export function blosumParams(delta: number, epsilon: number, tau: number): PairHmmParams {
  const { match } = pairEmissions(BLOSUM62, ROBINSON_FREQUENCIES);
  return { delta, epsilon, tau, match, background: Float64Array.from(ROBINSON_FREQUENCIES) };
}

/** Sum, maximum and match posteriors over every state path, by plain recursion (probability space). */
export function enumerate(p: PairHmmParams, x: Int8Array, y: Int8Array) {
  const n = x.length;
  const m = y.length;
  const T = [
    [1 - 2 * p.delta - p.tau, p.delta, p.delta],
    [1 - p.epsilon - p.tau, p.epsilon, 0],
    [1 - p.epsilon - p.tau, 0, p.epsilon],
  ];
  let total = 0;
  let max = 0;
  let paths = 0;
  const match = new Float64Array(n * m);
  const cells: number[] = [];
  const go = (i: number, j: number, s: number, prob: number) => {
    if (i === n && j === m) {
      const end = prob * p.tau;
      total += end;
      paths++;
      if (end > max) max = end;
      for (const c of cells) match[c] += end;
      return;
    }
    if (i < n && j < m) {
      cells.push(i * m + j);
      go(i + 1, j + 1, 0, prob * T[s][0] * p.match[x[i] * 20 + y[j]]);
      cells.pop();
    }
    if (i < n && T[s][1] > 0) go(i + 1, j, 1, prob * T[s][1] * p.background[x[i]]);
    if (j < m && T[s][2] > 0) go(i, j + 1, 2, prob * T[s][2] * p.background[y[j]]);
  };
  go(0, 0, 0, 1);
  for (let k = 0; k < n * m; k++) match[k] /= total;
  return { total, max, match, paths };
}
