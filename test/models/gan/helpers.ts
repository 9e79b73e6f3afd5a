/** Shared pieces of the GAN tests: small fixed networks, float64 casts, the ring-of-Gaussians data and mode coverage. */
import { type Array, np, random, tree } from "../../../src/jax.js";
import type { Mlp } from "../../../src/nn/mlp.js";

/** An MLP with the given weights `[in, out]` and biases, as `dtype` arrays. */
export function fixedMlp(layers: { w: number[][]; b: number[] }[], dtype = np.float64): Mlp {
  return { layers: layers.map((l) => ({ w: np.array(l.w, { dtype }), b: np.array(l.b, { dtype }) })) };
}

/** Cast every leaf of a params pytree (consumed) to float64. */
export function toFloat64<T>(p: T): T {
  return tree.map((a: Array) => a.astype(np.float64), p as never) as T;
}

/** Host leaky ReLU (slope 0.01, as src/nn's "leakyRelu"). */
export const leaky = (h: number) => (h > 0 ? h : 0.01 * h);

/** Host forward pass of an MLP given as plain numbers, leaky ReLU between layers: one row -> scalar output. */
export function hostMlp(layers: { w: number[][]; b: number[] }[], x: number[]): number {
  let h = x;
  layers.forEach((l, i) => {
    const out = l.b.map((b, j) => b + h.reduce((s, hk, k) => s + hk * l.w[k][j], 0));
    h = i < layers.length - 1 ? out.map(leaky) : out;
  });
  return h[0];
}

/** Stable host softplus. */
export const softplusHost = (t: number) => Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));

/** K Gaussian modes of standard deviation `sd` evenly spaced on a circle of radius `radius`. */
export const RING = { modes: 8, radius: 2, sd: 0.2 };

/** `n` rows `[n, 2]` of the ring mixture (modes in turn), from `key` (consumed). */
export function ringData(key: Array, n: number): Array {
  const { modes, radius, sd } = RING;
  const centres: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * (i % modes)) / modes;
    centres.push([radius * Math.cos(a), radius * Math.sin(a)]);
  }
  return np.array(centres).add(random.normal(key, [n, 2]).mul(sd));
}

/**
 * Mode coverage of samples `[m, 2]`: the share of samples within 3 sd of each mode centre. A mode is
 * covered when it holds at least `minShare` of the samples (a fifth of its fair share 1/K by default).
 */
export function modeCoverage(samples: number[][], minShare = 1 / (5 * RING.modes)) {
  const { modes, radius, sd } = RING;
  const shares = new globalThis.Array(modes).fill(0);
  for (const [x, y] of samples)
    for (let k = 0; k < modes; k++) {
      const a = (2 * Math.PI * k) / modes;
      if (Math.hypot(x - radius * Math.cos(a), y - radius * Math.sin(a)) < 3 * sd)
        shares[k] += 1 / samples.length;
    }
  return {
    shares,
    covered: shares.filter((s) => s >= minShare).length,
    inModes: shares.reduce((a, b) => a + b, 0),
  };
}

/** Mean `[d]` and population covariance `[d][d]` of rows. */
export function meanCov(rows: number[][]): { mean: number[]; cov: number[][] } {
  const n = rows.length;
  const d = rows[0].length;
  const mean = globalThis.Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / n);
  const cov = globalThis.Array.from({ length: d }, (_, i) =>
    globalThis.Array.from(
      { length: d },
      (_, j) => rows.reduce((s, r) => s + (r[i] - mean[i]) * (r[j] - mean[j]), 0) / n,
    ),
  );
  return { mean, cov };
}

/** Euclidean / Frobenius distances between two `meanCov` results. */
export function momentDistance(a: ReturnType<typeof meanCov>, b: ReturnType<typeof meanCov>) {
  return {
    mean: Math.hypot(...a.mean.map((m, i) => m - b.mean[i])),
    cov: Math.hypot(...a.cov.flatMap((r, i) => r.map((c, j) => c - b.cov[i][j]))),
  };
}
