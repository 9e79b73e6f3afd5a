/**
 * The three-state pair HMM of Durbin et al. (1998), Biological Sequence Analysis, fig. 4.2 / §4.2:
 * a match state M emitting aligned pairs (x_i, y_j) with p(a,b), an insert state X emitting x_i against a
 * gap with q(a), an insert state Y emitting y_j against a gap with q(b), and begin/end states.
 * Transitions: M→M 1−2δ−τ, M→X δ, M→Y δ, X→X ε, X→M 1−ε−τ, Y→Y ε, Y→M 1−ε−τ, every state→End τ;
 * Begin behaves as M. X↔Y transitions are forbidden.
 */
import { ValueError } from "../../errors.js";
import { ALPHABET_SIZE, checkEncoded, type Encoded } from "./alphabet.js";
import {
  BLOSUM62,
  checkDistribution,
  extendEmissions,
  pairEmissions,
  ROBINSON_FREQUENCIES,
} from "./matrices.js";

/** Pair-HMM parameters: gap open δ, gap extend ε, end τ, match p(a,b) `[20*20]`, background q(a) `[20]`. */
export type PairHmmParams = {
  delta: number;
  epsilon: number;
  tau: number;
  match: Float64Array;
  background: Float64Array;
};

/** State indices used in alignments and tracebacks. */
export const STATE_M = 0;
/** Insert in x (x_i against a gap). */
export const STATE_X = 1;
/** Insert in y (gap against y_j). */
export const STATE_Y = 2;

/** Throw a ValueError unless `params` is a valid pair HMM (Durbin §4.2 constraints). */
export function validateParams(params: PairHmmParams, fn = "validateParams"): void {
  const { delta, epsilon, tau } = params;
  for (const [name, v] of [
    ["delta", delta],
    ["epsilon", epsilon],
    ["tau", tau],
  ] as const)
    if (!(typeof v === "number" && v > 0 && v < 1))
      throw new ValueError(`${fn}: params.${name} must be in (0, 1), but got ${v}`);
  if (!(2 * delta + tau < 1))
    throw new ValueError(`${fn}: params must have 2*delta + tau < 1, but got ${2 * delta + tau}`);
  if (!(epsilon + tau < 1))
    throw new ValueError(`${fn}: params must have epsilon + tau < 1, but got ${epsilon + tau}`);
  checkDistribution(fn, "params.match", params.match, ALPHABET_SIZE * ALPHABET_SIZE);
  checkDistribution(fn, "params.background", params.background, ALPHABET_SIZE);
}

/**
 * The library's default gaps: Baum–Welch (transitions only, BLOSUM62 emissions) on 654 unaligned pairs
 * from the Pfam seeds fn3 and RRM_1 that ship as training families (`scripts/train-pair-hmm-defaults.ts`
 * reproduces them; 25 M-steps from δ 0.02, ε 0.6, τ 0.01, log-likelihood −295,836 → −295,704 nats).
 * The evaluation families (Pkinase, Caudal_act) played no part. τ ≈ 1/85 reflects domain lengths of
 * ~75–100 residues: it sets the end probability and barely moves alignments.
 */
export const TRAINED_GAPS = { delta: 0.0313984, epsilon: 0.558709, tau: 0.0117933 } as const;

/**
 * Parameters with emissions from BLOSUM62 and the Robinson–Robinson background (λ = 0.3176) and the
 * given gaps; defaults are `TRAINED_GAPS` (δ 0.0314, ε 0.559, τ 0.0118, trained on fn3 and RRM_1).
 */
export function blosum62Params(opts: { delta?: number; epsilon?: number; tau?: number } = {}): PairHmmParams {
  const { match } = pairEmissions(BLOSUM62, ROBINSON_FREQUENCIES);
  const params = {
    delta: opts.delta ?? TRAINED_GAPS.delta,
    epsilon: opts.epsilon ?? TRAINED_GAPS.epsilon,
    tau: opts.tau ?? TRAINED_GAPS.tau,
    match,
    background: Float64Array.from(ROBINSON_FREQUENCIES),
  };
  validateParams(params, "blosum62Params");
  return params;
}

/** Natural logs of the transitions and emissions, shared by the dynamic programmes. */
export type LogTables = {
  /** log(1−2δ−τ): M→M (and Begin→M). */
  mm: number;
  /** log δ: M→X, M→Y. */
  mg: number;
  /** log ε: X→X, Y→Y. */
  gg: number;
  /** log(1−ε−τ): X→M, Y→M. */
  gm: number;
  /** log τ: any state → End. */
  end: number;
  /** log P(A,B) over the emission codes `[23*23]` (stride `EMISSION_SIZE`; B, Z, X summed over members). */
  match: Float64Array;
  /** log P(A) over the emission codes `[23]`. */
  background: Float64Array;
};

/** Validate params and sequences, then return the log tables (`fn` names the caller in errors). */
export function logTables(params: PairHmmParams, x: Encoded, y: Encoded, fn: string): LogTables {
  validateParams(params, fn);
  checkEncoded(fn, "x", x);
  checkEncoded(fn, "y", y);
  const { delta, epsilon, tau } = params;
  const ext = extendEmissions(params.match, params.background);
  return {
    mm: Math.log(1 - 2 * delta - tau),
    mg: Math.log(delta),
    gg: Math.log(epsilon),
    gm: Math.log(1 - epsilon - tau),
    end: Math.log(tau),
    match: ext.match.map(Math.log),
    background: ext.background.map(Math.log),
  };
}

/** log(e^a + e^b), exact, safe for −∞. */
export function logAdd(a: number, b: number): number {
  if (a < b) return b === Number.NEGATIVE_INFINITY ? b : b + Math.log1p(Math.exp(a - b));
  return a === Number.NEGATIVE_INFINITY ? a : a + Math.log1p(Math.exp(b - a));
}

/** log(e^a + e^b + e^c), exact, safe for −∞. */
export function logAdd3(a: number, b: number, c: number): number {
  const m = a > b ? Math.max(a, c) : Math.max(b, c);
  if (m === Number.NEGATIVE_INFINITY) return m;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m));
}
