/**
 * Estimators on top of n-gram counts, each giving every counted n-gram a log-probability and every
 * context a log backoff weight:
 *  - interpolated estimators (MLE, Witten–Bell, modified Kneser–Ney) have the form
 *    p(w | c) = α(c, w) + γ(c) p(w | c′), so the backoff (ARPA) form is exact: a counted n-gram stores
 *    p(w | c) and its context stores γ(c); unseen contexts back off with weight 1;
 *  - add-k (Lidstone; k = 1 is Laplace) is flat: p(w | c) = (c(cw) + k) / (c(c•) + k V′) for the full
 *    context c, and 1 / V′ when c was never seen (NLTK's `Lidstone`); a context's "backoff" slot holds
 *    k / (c(c•) + k V′), the probability of each unseen continuation.
 * V′ = V − 1: the outcomes are the vocabulary (with `<unk>`) and `</s>`, never `<s>`.
 * References: Chen & Goodman (1998) §2; Witten & Bell (1991); SRILM ngram-discount(7).
 */

import { childSums, type NgramCounts } from "./counts.js";
import { BOS_ID } from "./tokenize.js";

/** Per-entry log-probabilities and log backoffs (nats) of orders 0..N. */
export type Estimate = {
  /** `[N + 1]` ln p(w | c) of each n-gram; `logProb[0]` unused */
  logProb: Float64Array[];
  /** `[N + 1]` ln γ(c) of each context (0 = back off with weight 1); add-k: ln p(unseen | c) */
  logBow: Float64Array[];
};

/** Combine α and γ into probabilities (recursively from the uniform distribution) and take logs. */
export function interpolate(c: NgramCounts, alpha: Float64Array[], gamma: Float64Array[]): Estimate {
  const N = c.order;
  const outcomes = c.vocabSize - 1;
  const prob: Float64Array[] = [new Float64Array(1)];
  const uni = new Float64Array(c.vocabSize);
  const g0 = Number.isNaN(gamma[0][0]) ? 0 : gamma[0][0];
  for (let w = 0; w < c.vocabSize; w++) uni[w] = w === BOS_ID ? 0 : alpha[1][w] + g0 / outcomes;
  prob.push(uni);
  for (let n = 2; n <= N; n++) {
    const t = c.tables[n];
    const p = new Float64Array(t.size);
    const lower = prob[n - 1];
    const suf = c.suffix[n];
    const g = gamma[n - 1];
    const a = alpha[n];
    for (let e = 0; e < t.size; e++) {
      const ge = g[t.parent[e]];
      p[e] = a[e] + (Number.isNaN(ge) ? 0 : ge) * lower[suf[e]];
    }
    prob.push(p);
  }
  const logProb = prob.map((p) => p.map(Math.log));
  const logBow: Float64Array[] = [];
  for (let n = 0; n <= N; n++) {
    const size = c.tables[n].size;
    const b = new Float64Array(size);
    if (n < N) {
      const g = gamma[n];
      for (let e = 0; e < size; e++) b[e] = Number.isNaN(g[e]) ? 0 : Math.log(g[e]);
    }
    logBow.push(b);
  }
  return { logProb, logBow };
}

/** Maximum likelihood: p(w | c) = c(cw) / c(c•); γ = 0 for seen contexts (unseen events get 0). */
export function mle(c: NgramCounts): Estimate {
  const alpha: Float64Array[] = [new Float64Array(1)];
  const gamma: Float64Array[] = [];
  for (let n = 1; n <= c.order; n++) {
    const t = c.tables[n];
    const cnt = c.counts[n];
    const { total } = childSums(c, n, cnt);
    const a = new Float64Array(t.size);
    for (let e = 0; e < t.size; e++) a[e] = cnt[e] > 0 ? cnt[e] / total[t.parent[e]] : 0;
    alpha.push(a);
    gamma.push(total.map((T) => (T > 0 ? 0 : Number.NaN)));
  }
  return interpolate(c, alpha, gamma);
}

/**
 * Interpolated Witten–Bell: p(w | c) = (c(cw) + N1+(c•) p(w | c′)) / (c(c•) + N1+(c•)), the
 * unigrams interpolated with the uniform distribution (SRILM `-wbdiscount -interpolate`).
 */
export function wittenBell(c: NgramCounts): Estimate {
  const alpha: Float64Array[] = [new Float64Array(1)];
  const gamma: Float64Array[] = [];
  for (let n = 1; n <= c.order; n++) {
    const t = c.tables[n];
    const cnt = c.counts[n];
    const { total, distinct } = childSums(c, n, cnt);
    const a = new Float64Array(t.size);
    for (let e = 0; e < t.size; e++) {
      const p = t.parent[e];
      a[e] = cnt[e] > 0 ? cnt[e] / (total[p] + distinct[p]) : 0;
    }
    alpha.push(a);
    gamma.push(total.map((T, p) => (T > 0 ? distinct[p] / (T + distinct[p]) : Number.NaN)));
  }
  return interpolate(c, alpha, gamma);
}

/** Flat add-k (Lidstone) smoothing; see the file header. */
export function addK(c: NgramCounts, k: number): Estimate {
  const N = c.order;
  const outcomes = c.vocabSize - 1;
  const logProb: Float64Array[] = [new Float64Array(1)];
  const logBow: Float64Array[] = [];
  for (let n = 1; n <= N; n++) {
    const t = c.tables[n];
    const cnt = c.counts[n];
    const { total } = childSums(c, n, cnt);
    const lp = new Float64Array(t.size);
    for (let e = 0; e < t.size; e++) {
      const T = total[t.parent[e]];
      lp[e] = Math.log((cnt[e] + k) / (T + k * outcomes));
    }
    if (n === 1) lp[BOS_ID] = Number.NEGATIVE_INFINITY;
    logProb.push(lp);
    logBow.push(total.map((T) => Math.log(k / (T + k * outcomes))));
  }
  logBow.push(new Float64Array(c.tables[N].size));
  return { logProb, logBow };
}
