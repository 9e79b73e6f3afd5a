/**
 * Substitution matrices and the pair-emission probabilities they imply. A log-odds score matrix s(a,b)
 * with background q(a) corresponds to the target frequencies p(a,b) = q(a) q(b) exp(λ s(a,b)), with λ
 * the unique positive root of Σ_ab q(a) q(b) exp(λ s(a,b)) = 1 (Karlin & Altschul 1990, PNAS 87:2264;
 * Durbin et al. 1998, Biological Sequence Analysis, §2.7).
 */
import { ValueError } from "../../errors.js";
import { ALPHABET_SIZE, CODE_MEMBERS, EMISSION_SIZE } from "./alphabet.js";

/**
 * BLOSUM62 (Henikoff & Henikoff 1992, PNAS 89:10915), half-bit units, rows/columns in ARNDCQEGHILKMFPSTWYV
 * order: `[20*20]` row-major. Provenance: the 20×20 core of the NCBI `BLOSUM62` file (as distributed with
 * BLAST, ftp.ncbi.nih.gov/blast/matrices/BLOSUM62), read from the copy in the public repository
 * UnixJunkie/interlig (file `BLOSUM62`, commit c5702d6); checked symmetric in the tests.
 */
// biome-ignore format: the table reads as a table
export const BLOSUM62: Int8Array = Int8Array.from([
    4, -1, -2, -2,  0, -1, -1,  0, -2, -1, -1, -1, -1, -2, -1,  1,  0, -3, -2,  0, // A
   -1,  5,  0, -2, -3,  1,  0, -2,  0, -3, -2,  2, -1, -3, -2, -1, -1, -3, -2, -3, // R
   -2,  0,  6,  1, -3,  0,  0,  0,  1, -3, -3,  0, -2, -3, -2,  1,  0, -4, -2, -3, // N
   -2, -2,  1,  6, -3,  0,  2, -1, -1, -3, -4, -1, -3, -3, -1,  0, -1, -4, -3, -3, // D
    0, -3, -3, -3,  9, -3, -4, -3, -3, -1, -1, -3, -1, -2, -3, -1, -1, -2, -2, -1, // C
   -1,  1,  0,  0, -3,  5,  2, -2,  0, -3, -2,  1,  0, -3, -1,  0, -1, -2, -1, -2, // Q
   -1,  0,  0,  2, -4,  2,  5, -2,  0, -3, -3,  1, -2, -3, -1,  0, -1, -3, -2, -2, // E
    0, -2,  0, -1, -3, -2, -2,  6, -2, -4, -4, -2, -3, -3, -2,  0, -2, -2, -3, -3, // G
   -2,  0,  1, -1, -3,  0,  0, -2,  8, -3, -3, -1, -2, -1, -2, -1, -2, -2,  2, -3, // H
   -1, -3, -3, -3, -1, -3, -3, -4, -3,  4,  2, -3,  1,  0, -3, -2, -1, -3, -1,  3, // I
   -1, -2, -3, -4, -1, -2, -3, -4, -3,  2,  4, -2,  2,  0, -3, -2, -1, -2, -1,  1, // L
   -1,  2,  0, -1, -3,  1,  1, -2, -1, -3, -2,  5, -1, -3, -1,  0, -1, -3, -2, -2, // K
   -1, -1, -2, -3, -1,  0, -2, -3, -2,  1,  2, -1,  5,  0, -2, -1, -1, -1, -1,  1, // M
   -2, -3, -3, -3, -2, -3, -3, -3, -1,  0,  0, -3,  0,  6, -4, -2, -2,  1,  3, -1, // F
   -1, -2, -2, -1, -3, -1, -1, -2, -2, -3, -3, -1, -2, -4,  7, -1, -1, -4, -3, -2, // P
    1, -1,  1,  0, -1,  0,  0,  0, -1, -2, -2,  0, -1, -2, -1,  4,  1, -3, -2, -2, // S
    0, -1,  0, -1, -1, -1, -1, -2, -2, -1, -1, -1, -1, -2, -1,  1,  5, -2, -2,  0, // T
   -3, -3, -4, -4, -2, -2, -3, -2, -2, -3, -2, -3, -1,  1, -4, -3, -2, 11,  2, -3, // W
   -2, -2, -2, -3, -2, -1, -2, -3,  2, -1, -1, -2, -1,  3, -3, -2, -2,  2,  7, -1, // Y
    0, -3, -3, -3, -1, -2, -2, -3, -3,  3,  1, -2,  1, -1, -2, -2,  0, -3, -1,  4, // V
]);

/**
 * Robinson & Robinson (1991, PNAS 88:8880) amino-acid frequencies `[20]` in ARNDCQEGHILKMFPSTWYV order,
 * normalised to sum 1. These are the standard protein background of NCBI BLAST (`Robinson_prob` in
 * blast_stat.c, per-thousand values 78.05 (A) ... 64.41 (V)), under which BLAST reports the ungapped
 * BLOSUM62 λ = 0.3176 per score unit.
 */
export const ROBINSON_FREQUENCIES: Float64Array = normalise([
  78.05, 51.29, 44.87, 53.64, 19.25, 42.64, 62.95, 73.77, 21.99, 51.42, 90.19, 57.44, 22.43, 38.56, 52.03,
  71.2, 58.41, 13.3, 32.16, 64.41,
]);

function normalise(xs: number[]): Float64Array {
  const total = xs.reduce((a, b) => a + b, 0);
  return Float64Array.from(xs, (x) => x / total);
}

/** Pair emissions implied by a score matrix: `match` p(a,b) `[20*20]`, and λ (nats per score unit). */
export type PairEmissions = { match: Float64Array; lambda: number };

/**
 * p(a,b) = q(a) q(b) exp(λ s(a,b)) `[20*20]` from scores `[20*20]` and background q `[20]`, with λ > 0
 * found by bisection so that Σ p = 1 (Karlin & Altschul 1990, eq. 3). Requires a negative expected score
 * Σ q(a) q(b) s(a,b) < 0 and some positive score, as every substitution matrix has.
 */
export function pairEmissions(scores: ArrayLike<number>, background: ArrayLike<number>): PairEmissions {
  const K = ALPHABET_SIZE;
  if (scores.length !== K * K)
    throw new ValueError(`pairEmissions: scores must have ${K * K} entries, but got ${scores.length}`);
  checkDistribution("pairEmissions", "background", background, K);
  let expected = 0;
  let maxScore = Number.NEGATIVE_INFINITY;
  for (let a = 0; a < K; a++)
    for (let b = 0; b < K; b++) {
      const s = scores[a * K + b];
      if (!Number.isFinite(s))
        throw new ValueError(`pairEmissions: scores must be finite, but got ${s} at (${a}, ${b})`);
      expected += background[a] * background[b] * s;
      if (background[a] * background[b] > 0) maxScore = Math.max(maxScore, s);
    }
  if (!(expected < 0 && maxScore > 0))
    throw new ValueError(
      `pairEmissions: scores must have a negative expected score and some positive score, but got expected ${expected}, max ${maxScore}`,
    );
  // f(λ) = Σ q q exp(λ s) - 1 is convex with f(0) = 0, f'(0) < 0 and f → ∞: one positive root.
  const f = (lambda: number): number => {
    let total = 0;
    for (let a = 0; a < K; a++)
      for (let b = 0; b < K; b++)
        total += background[a] * background[b] * Math.exp(lambda * scores[a * K + b]);
    return total - 1;
  };
  let hi = 1;
  while (f(hi) <= 0) hi *= 2;
  let lo = 0;
  // 1. Move lo off the root at 0: any point where f < 0 bounds the positive root from below.
  for (let t = hi / 2; t > 1e-12; t /= 2)
    if (f(t) < 0) {
      lo = t;
      break;
    }
  // 2. Bisection to machine precision.
  for (let it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  const lambda = 0.5 * (lo + hi);
  const match = new Float64Array(K * K);
  let total = 0;
  for (let a = 0; a < K; a++)
    for (let b = 0; b < K; b++) {
      const p = background[a] * background[b] * Math.exp(lambda * scores[a * K + b]);
      match[a * K + b] = p;
      total += p;
    }
  // Remove the last ~1e-15 of bisection error so the table sums to 1 to rounding.
  for (let k = 0; k < K * K; k++) match[k] /= total;
  return { match, lambda };
}

/** Throw unless `p` `[k]` is a probability vector (entries ≥ 0, finite, sum 1 within 1e-9). */
export function checkDistribution(fn: string, arg: string, p: ArrayLike<number>, k: number): void {
  if (p.length !== k) throw new ValueError(`${fn}: ${arg} must have ${k} entries, but got ${p.length}`);
  let total = 0;
  for (let i = 0; i < k; i++) {
    if (!(p[i] >= 0 && Number.isFinite(p[i])))
      throw new ValueError(`${fn}: ${arg} entries must be finite and >= 0, but got ${p[i]} at index ${i}`);
    total += p[i];
  }
  if (Math.abs(total - 1) > 1e-9) throw new ValueError(`${fn}: ${arg} must sum to 1, but got sum ${total}`);
}

/** Emission tables over the 23 emission codes (amino acids, then B, Z, X). */
export type ExtendedEmissions = {
  /** P(a ∈ A, b ∈ B) `[23*23]`: the summed p(a,b) of the members of codes A and B. */
  match: Float64Array;
  /** P(a ∈ A) `[23]`: the summed q(a) of the members of code A (1 for X). */
  background: Float64Array;
};

/**
 * Emissions of the ambiguity codes: an ambiguous residue is the event "one of its members", so it is
 * emitted with the summed probability of its members, in match states P(A, B) = Σ_{a∈A, b∈B} p(a,b)
 * and in gap states P(A) = Σ_{a∈A} q(a). X against any b then scores log-odds log(Σ_a p(a,b)/q(b)),
 * ≈ 0 when p's marginal is q. Takes validated `match` `[20*20]` and `background` `[20]`.
 */
export function extendEmissions(match: ArrayLike<number>, background: ArrayLike<number>): ExtendedEmissions {
  const E = EMISSION_SIZE;
  const ext = new Float64Array(E * E);
  for (let A = 0; A < E; A++) {
    const ma = CODE_MEMBERS[A];
    for (let B = 0; B < E; B++) {
      let total = 0;
      for (const a of ma) for (const b of CODE_MEMBERS[B]) total += match[a * ALPHABET_SIZE + b];
      ext[A * E + B] = total;
    }
  }
  return { match: ext, background: extendBackground(background) };
}

/** P(a ∈ A) `[23]` for each emission code A from q `[20]` (see `extendEmissions`). */
export function extendBackground(background: ArrayLike<number>): Float64Array {
  const bg = new Float64Array(EMISSION_SIZE);
  for (let A = 0; A < EMISSION_SIZE; A++) for (const a of CODE_MEMBERS[A]) bg[A] += background[a];
  return bg;
}
