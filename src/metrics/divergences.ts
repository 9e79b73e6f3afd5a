/**
 * Divergences between discrete distributions given as probability vectors (number[] or
 * Float64Array, each summing to 1 within 1e-9; use `fromCounts` for counts). Plain loops over
 * doubles, one pass, no allocation. Units: nats unless `base` is given (the result is then divided
 * by ln(base), as in `scipy.stats.entropy`). Inputs are used as given, never renormalised, so a sum
 * off 1 by d <= 1e-9 can move a result by O(d); SciPy instead divides p and q by their sums.
 */
import { NumericalError, ValueError } from "../errors.js";
import {
  crossEntropyKernel,
  entropyKernel,
  hellingerKernel,
  jsKernel,
  klKernel,
  l1Kernel,
  type PairKernel,
} from "./kernels.js";
import {
  checkArray,
  checkPair,
  checkProbabilities,
  type DivergenceOptions,
  diagnosePair,
  logOfBase,
  type SliceLabel,
  vectorLabel,
} from "./validate.js";

const PQ: [string, string] = ["p", "q"];

/** Argument names for messages: `opts.names` or `["p", "q"]` (a shared constant: no allocation). */
function names(opts: DivergenceOptions | undefined): [string, string] {
  return opts?.names ?? PQ;
}

/** Labels of the two arguments, built only on the error path. */
function labels(opts: DivergenceOptions | undefined): [SliceLabel, SliceLabel] {
  const [a, b] = names(opts);
  return [vectorLabel(a), vectorLabel(b)];
}

/**
 * Shannon entropy H(p) = -sum p log p of a probability vector `[k]`, in nats (or `base` units);
 * terms with p = 0 are 0. Ref: Cover & Thomas, Elements of Information Theory (2006), eq. 2.1;
 * matches `scipy.stats.entropy(p)`.
 */
export function entropy(p: ArrayLike<number>, opts?: DivergenceOptions): number {
  const fn = "entropy";
  const name = opts?.names?.[0] ?? "p";
  const n = checkArray(fn, name, p);
  const lb = logOfBase(fn, opts);
  const r = entropyKernel(p, 0, 1, n);
  if (Number.isNaN(r)) {
    checkProbabilities(fn, vectorLabel(name), p);
    throw new NumericalError(`${fn}: got NaN from an input that passes validation (please report)`);
  }
  return r / lb;
}

/**
 * Kullback–Leibler divergence KL(p || q) = sum p log(p/q) of two `[k]` probability vectors, in nats
 * (or `base` units); 0·log(0/q) = 0, and +Infinity when q = 0 < p somewhere (honestly infinite).
 * Ref: Cover & Thomas (2006), eq. 2.26; matches `scipy.stats.entropy(p, q)`.
 */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>, opts?: DivergenceOptions): number {
  const fn = "klDivergence";
  const n = checkPair(fn, p, q, names(opts));
  const lb = logOfBase(fn, opts);
  const r = klKernel(p, q, 0, 1, n);
  if (Number.isNaN(r)) diagnosePair(fn, labels(opts), p, q);
  return r / lb;
}

/**
 * Cross-entropy H(p, q) = -sum p log q = H(p) + KL(p || q) of two `[k]` probability vectors, in nats
 * (or `base` units); +Infinity when q = 0 < p somewhere. Ref: Cover & Thomas (2006), ch. 2;
 * equals `scipy.stats.entropy(p) + scipy.stats.entropy(p, q)`.
 */
export function crossEntropy(p: ArrayLike<number>, q: ArrayLike<number>, opts?: DivergenceOptions): number {
  const fn = "crossEntropy";
  const n = checkPair(fn, p, q, names(opts));
  const lb = logOfBase(fn, opts);
  const r = crossEntropyKernel(p, q, 0, 1, n);
  if (Number.isNaN(r)) diagnosePair(fn, labels(opts), p, q);
  return r / lb;
}

/**
 * Jensen–Shannon divergence JSD(p, q) = ½KL(p || m) + ½KL(q || m), m = (p+q)/2, of two `[k]`
 * probability vectors, in nats (or `base` units): symmetric, 0 iff p = q, at most ln 2 (= ln 2 for
 * disjoint supports), always finite. Ref: Lin (1991), IEEE Trans. Inf. Theory 37(1):145–151; equals
 * the square of `scipy.spatial.distance.jensenshannon(p, q)`, computed in SciPy's order
 * ((Σ rel_entr(p, m) + Σ rel_entr(q, m)) / ln(base) / 2). Rounding below 0 returns 0.
 */
export function jsDivergence(p: ArrayLike<number>, q: ArrayLike<number>, opts?: DivergenceOptions): number {
  const fn = "jsDivergence";
  const n = checkPair(fn, p, q, names(opts));
  const lb = logOfBase(fn, opts);
  const r = jsKernel(p, q, 0, 1, n);
  if (Number.isNaN(r)) diagnosePair(fn, labels(opts), p, q);
  return jsFinish(r, lb);
}

/**
 * Jensen–Shannon distance sqrt(JSD(p, q)) of two `[k]` probability vectors (JSD in nats, or `base`
 * units, base > 1): a metric on distributions, at most sqrt(ln 2). Ref: Endres & Schindelin (2003),
 * IEEE Trans. Inf. Theory 49(7):1858–1860; what `scipy.spatial.distance.jensenshannon(p, q, base)`
 * returns.
 */
export function jsDistance(p: ArrayLike<number>, q: ArrayLike<number>, opts?: DivergenceOptions): number {
  const fn = "jsDistance";
  const n = checkPair(fn, p, q, names(opts));
  const lb = logOfBase(fn, opts, true);
  const r = jsKernel(p, q, 0, 1, n);
  if (Number.isNaN(r)) diagnosePair(fn, labels(opts), p, q);
  return Math.sqrt(jsFinish(r, lb));
}

/**
 * Total variation distance TV(p, q) = ½ sum |p - q| of two `[k]` probability vectors, in [0, 1];
 * unitless (`base` is checked but has no effect). Ref: Levin, Peres & Wilmer, Markov Chains and
 * Mixing Times (2nd ed.), Prop. 4.2.
 */
export function totalVariation(p: ArrayLike<number>, q: ArrayLike<number>, opts?: DivergenceOptions): number {
  const fn = "totalVariation";
  const n = checkPair(fn, p, q, names(opts));
  logOfBase(fn, opts);
  const r = l1Kernel(p, q, 0, 1, n);
  if (Number.isNaN(r)) diagnosePair(fn, labels(opts), p, q);
  return 0.5 * r;
}

/**
 * Hellinger distance H(p, q) = sqrt(1 - sum sqrt(p q)) = (1/sqrt 2)·||sqrt p - sqrt q||_2 of two `[k]`
 * probability vectors, in [0, 1]: the ½-normalised convention (Wikipedia "Hellinger distance");
 * texts such as Tsybakov (2009), §2.4, omit the ½ and get [0, sqrt 2]. Computed from the norm
 * form, which has no cancellation near p = q (1 - BC loses ~8 digits there), so no clamping is
 * needed. Unitless: `base` is checked but has no effect.
 */
export function hellinger(p: ArrayLike<number>, q: ArrayLike<number>, opts?: DivergenceOptions): number {
  const fn = "hellinger";
  const n = checkPair(fn, p, q, names(opts));
  logOfBase(fn, opts);
  const r = hellingerKernel(p, q, 0, 1, n);
  if (Number.isNaN(r)) diagnosePair(fn, labels(opts), p, q);
  return Math.sqrt(0.5 * r);
}

/**
 * JSD from the kernel's raw `Σ rel_entr(p,m) + Σ rel_entr(q,m)` in SciPy's order (/ ln(base) / 2).
 * The raw sum is >= 0 in exact arithmetic (log-sum inequality), so rounding below 0 is set to 0.
 */
function jsFinish(raw: number, logBase: number): number {
  return Math.max(raw, 0) / logBase / 2;
}

/** Names of the divergences, as used by the CLI's `--metric`. */
export const DIVERGENCE_NAMES = ["kl", "cross-entropy", "js", "js-distance", "tv", "hellinger"] as const;

/** One of `DIVERGENCE_NAMES`. */
export type DivergenceName = (typeof DIVERGENCE_NAMES)[number];

/** A divergence of two `[k]` probability vectors. */
export type Divergence = (p: ArrayLike<number>, q: ArrayLike<number>, opts?: DivergenceOptions) => number;

/** Registry name -> function (`--metric js|js-distance|kl|cross-entropy|tv|hellinger`). */
export const DIVERGENCES: Readonly<Record<DivergenceName, Divergence>> = {
  kl: klDivergence,
  "cross-entropy": crossEntropy,
  js: jsDivergence,
  "js-distance": jsDistance,
  tv: totalVariation,
  hellinger,
};

/**
 * The divergence `metric` (`"js"`, `"kl"`, ...; see `DIVERGENCES`) of two `[k]` probability vectors,
 * in nats or `base` units; throws a ValueError for an unknown name.
 */
export function divergence(
  metric: DivergenceName,
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  opts?: DivergenceOptions,
): number {
  return DIVERGENCES[checkDivergenceName("divergence", metric)](p, q, opts);
}

/** Whether `name` is one of `DIVERGENCE_NAMES`. */
export function isDivergenceName(name: unknown): name is DivergenceName {
  return typeof name === "string" && (DIVERGENCE_NAMES as readonly string[]).includes(name);
}

/** Throw a ValueError unless `name` is a divergence name. */
export function checkDivergenceName(fn: string, name: unknown): DivergenceName {
  if (!isDivergenceName(name))
    throw new ValueError(
      `${fn}: metric must be one of ${DIVERGENCE_NAMES.join(", ")}, but got ${JSON.stringify(name)}`,
    );
  return name;
}

/** How a divergence is computed from a kernel: used by `batched`. */
export type DivergenceSpec = {
  kernel: PairKernel;
  /** whether a base in (0, 1) is refused (the JS distance: a square root of a divergence) */
  baseAboveOne?: boolean;
  /** whether `base` changes the value (false for tv and hellinger, which are unitless) */
  usesBase: boolean;
  finish: (raw: number, logBase: number) => number;
};

/** Kernel and finishing step of each divergence (the same arithmetic as the vector functions). */
export const DIVERGENCE_SPECS: Readonly<Record<DivergenceName, DivergenceSpec>> = {
  kl: { kernel: klKernel, usesBase: true, finish: (r, lb) => r / lb },
  "cross-entropy": {
    kernel: crossEntropyKernel,
    usesBase: true,
    finish: (r, lb) => r / lb,
  },
  js: { kernel: jsKernel, usesBase: true, finish: jsFinish },
  "js-distance": {
    kernel: jsKernel,
    baseAboveOne: true,
    usesBase: true,
    finish: (r, lb) => Math.sqrt(jsFinish(r, lb)),
  },
  tv: { kernel: l1Kernel, usesBase: false, finish: (r) => 0.5 * r },
  hellinger: { kernel: hellingerKernel, usesBase: false, finish: (r) => Math.sqrt(0.5 * r) },
};
