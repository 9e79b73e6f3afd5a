/**
 * Interpolated modified Kneser–Ney (Chen & Goodman 1998, §3.5 and eq. 26), computed as KenLM's
 * lmplz does (lm/builder/adjust_counts.cc, initial_probabilities.cc, interpolate.cc):
 *  1. adjusted counts a(g): the raw count for the highest order and for n-grams starting with `<s>`;
 *     otherwise the continuation count N1+(• g), the number of distinct words seen before g;
 *  2. per order, count-of-counts n1..n4 of the adjusted counts give Y = n1 / (n1 + 2 n2) and three
 *     discounts D_k = k − (k + 1) Y n_{k+1} / n_k for k = 1, 2, 3+;
 *  3. per context c: u(w | c) = (a(cw) − D(a(cw))) / Σ_w a(cw) and
 *     γ(c) = (D1 N1(c•) + D2 N2(c•) + D3 N3+(c•)) / Σ_w a(cw);
 *  4. p(w | c) = u(w | c) + γ(c) p(w | c′) with c′ = c minus its first word, down to the unigrams,
 *     which interpolate with the uniform distribution over the V − 1 tokens other than `<s>`
 *     (so `<unk>` and every unseen token get γ(ε) / (V − 1), as KenLM's `interpolate_unigrams`).
 * Fallback: when an order's discounts are undefined (some n_k = 0 for k = 1..3) or out of range
 * (D_k ≤ 0 or D_k > k, which small or artificial corpora produce), that order uses the fixed
 * discounts `fallback` (default D1 = 0.5, D2 = 1, D3+ = 1.5, KenLM's `--discount_fallback`), and the
 * model records `fallback: true` for it. Training never fails for this reason.
 */
import { describe, ValueError } from "../../errors.js";
import { childSums, continuationCounts, type NgramCounts, startsWithBos } from "./counts.js";

/** The three discounts of one order and the count-of-counts they came from. */
export type KnDiscount = {
  /** n-gram order */
  order: number;
  /** D1, D2, D3+ */
  D: [number, number, number];
  /** count-of-counts n1, n2, n3, n4 of the adjusted counts */
  n: [number, number, number, number];
  /** true when Chen & Goodman's estimate was undefined or out of range and `fallback` was used */
  fallback: boolean;
};

/** KenLM's `--discount_fallback` default. */
export const DEFAULT_DISCOUNT_FALLBACK: [number, number, number] = [0.5, 1, 1.5];

/** Check user-given fallback discounts: 0 < D_k ≤ k. */
export function checkFallback(d: unknown, fn: string): [number, number, number] {
  const ok =
    Array.isArray(d) &&
    d.length === 3 &&
    d.every((x, i) => typeof x === "number" && x > 0 && x <= i + 1 && Number.isFinite(x));
  if (!ok)
    throw new ValueError(
      `${fn}: discountFallback must be [D1, D2, D3] with 0 < D_k <= k, but got ${describe(d)}`,
    );
  return [d[0], d[1], d[2]];
}

/** Adjusted counts a(g) for every order (index 0 unused). */
export function adjustedCounts(c: NgramCounts): Int32Array[] {
  const bos = startsWithBos(c);
  const out: Int32Array[] = [new Int32Array(1)];
  for (let n = 1; n <= c.order; n++) {
    const size = c.tables[n].size;
    const raw = c.counts[n];
    if (n === c.order) {
      out.push(raw.slice(0, size));
      continue;
    }
    const cont = continuationCounts(c, n);
    const b = bos[n];
    for (let e = 0; e < size; e++) if (b[e]) cont[e] = raw[e];
    out.push(cont);
  }
  return out;
}

/** Chen & Goodman's discounts (eq. 26) from the adjusted counts of one order, with the fallback. */
export function discountsFor(
  a: Int32Array,
  size: number,
  order: number,
  fallback: [number, number, number],
): KnDiscount {
  const n: [number, number, number, number] = [0, 0, 0, 0];
  for (let e = 0; e < size; e++) {
    const k = a[e];
    if (k >= 1 && k <= 4) n[k - 1]++;
  }
  let ok = n[0] > 0 && n[1] > 0 && n[2] > 0;
  const D: [number, number, number] = [0, 0, 0];
  if (ok) {
    const Y = n[0] / (n[0] + 2 * n[1]);
    for (let k = 1; k <= 3; k++) {
      D[k - 1] = k - ((k + 1) * Y * n[k]) / n[k - 1];
      if (!(D[k - 1] > 0 && D[k - 1] <= k)) ok = false;
    }
  }
  return { order, D: ok ? D : [...fallback], n, fallback: !ok };
}

/**
 * The discounted part u (`alpha[n][e]`) and the backoff mass γ (`gamma[n][c]`, NaN where c has no
 * continuation) of interpolated modified Kneser–Ney, plus the discounts used.
 */
export function kneserNey(
  c: NgramCounts,
  fallback: [number, number, number],
): { alpha: Float64Array[]; gamma: Float64Array[]; discounts: KnDiscount[] } {
  const a = adjustedCounts(c);
  const alpha: Float64Array[] = [new Float64Array(1)];
  const gamma: Float64Array[] = [];
  const discounts: KnDiscount[] = [];
  for (let n = 1; n <= c.order; n++) {
    const t = c.tables[n];
    const an = a[n];
    const d = discountsFor(an, t.size, n, fallback);
    discounts.push(d);
    const [D1, D2, D3] = d.D;
    const { total } = childSums(c, n, an);
    // γ numerator per context: D1 N1 + D2 N2 + D3 N3+
    const g = new Float64Array(c.tables[n - 1].size);
    const al = new Float64Array(t.size);
    const parent = t.parent;
    for (let e = 0; e < t.size; e++) {
      const k = an[e];
      if (k <= 0) continue;
      const D = k === 1 ? D1 : k === 2 ? D2 : D3;
      g[parent[e]] += D;
      al[e] = (k - D) / total[parent[e]];
    }
    for (let p = 0; p < g.length; p++) g[p] = total[p] > 0 ? g[p] / total[p] : Number.NaN;
    alpha.push(al);
    gamma.push(g);
  }
  return { alpha, gamma, discounts };
}
