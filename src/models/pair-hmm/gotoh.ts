/**
 * Gotoh's affine-gap global alignment (Gotoh 1982, J. Mol. Biol. 162:705; Durbin et al. 1998, §2.4,
 * eq. 2.16) with plain additive scores, written independently of the pair HMM so that it can check it,
 * and the log-odds scores that make it equivalent to the pair HMM's Viterbi (Durbin §4.2).
 */
import { ValueError } from "../../errors.js";
import { checkEncoded, EMISSION_SIZE, type Encoded } from "./alphabet.js";
import { extendEmissions } from "./matrices.js";
import { type PairHmmParams, validateParams } from "./model.js";

/**
 * Scores for {@link gotoh}: substitution s(a,b) `[23*23]` over the emission codes (index a*23+b), a gap of length k costs
 * `gapOpen + (k−1)·gapExtend`, or `endGapOpen + (k−1)·gapExtend` when it ends the alignment
 * (default `gapOpen`). Gap columns after gap columns of the other sequence are not allowed.
 */
export type GotohScores = {
  substitution: Float64Array;
  gapOpen: number;
  gapExtend: number;
  endGapOpen?: number;
};

/** A Gotoh alignment: `columns` as in `Alignment` (-1 for a gap) and its total score. */
export type GotohAlignment = { columns: [number, number][]; score: number };

const NEG = Number.NEGATIVE_INFINITY;

function checkScores(fn: string, s: GotohScores): void {
  if (!(s.substitution instanceof Float64Array) || s.substitution.length !== EMISSION_SIZE * EMISSION_SIZE)
    throw new ValueError(
      `${fn}: scores.substitution must be a Float64Array of ${EMISSION_SIZE * EMISSION_SIZE}, but got ${s.substitution}`,
    );
  for (const [name, v] of [
    ["gapOpen", s.gapOpen],
    ["gapExtend", s.gapExtend],
    ["endGapOpen", s.endGapOpen ?? s.gapOpen],
  ] as const)
    if (!Number.isFinite(v)) throw new ValueError(`${fn}: scores.${name} must be finite, but got ${v}`);
}

/**
 * Best global alignment under affine gaps: three full matrices M, Ix, Iy `[(n+1)*(m+1)]`
 * (Durbin eq. 2.16), traceback preferring M, then Ix, then Iy on ties.
 */
export function gotoh(x: Encoded, y: Encoded, scores: GotohScores): GotohAlignment {
  checkEncoded("gotoh", "x", x);
  checkEncoded("gotoh", "y", y);
  checkScores("gotoh", scores);
  const { substitution: s, gapOpen: d, gapExtend: e } = scores;
  const endAdjust = (scores.endGapOpen ?? d) - d;
  const n = x.length;
  const m = y.length;
  const w = m + 1;
  const M = new Float64Array((n + 1) * w).fill(NEG);
  const Ix = new Float64Array((n + 1) * w).fill(NEG);
  const Iy = new Float64Array((n + 1) * w).fill(NEG);
  M[0] = 0;
  for (let i = 0; i <= n; i++)
    for (let j = 0; j <= m; j++) {
      const k = i * w + j;
      if (i > 0 && j > 0) {
        const p = k - w - 1;
        M[k] = s[x[i - 1] * EMISSION_SIZE + y[j - 1]] + Math.max(M[p], Ix[p], Iy[p]);
      }
      if (i > 0) Ix[k] = Math.max(M[k - w] - d, Ix[k - w] - e);
      if (j > 0) Iy[k] = Math.max(M[k - 1] - d, Iy[k - 1] - e);
    }
  // Termination: a trailing gap pays endGapOpen instead of gapOpen.
  const last = n * w + m;
  const ends = [M[last], Ix[last] - endAdjust, Iy[last] - endAdjust];
  let state = 0;
  if (ends[1] > ends[state]) state = 1;
  if (ends[2] > ends[state]) state = 2;
  const score = ends[state];
  // Traceback by recomputing which predecessor gave each value.
  const columns: [number, number][] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const k = i * w + j;
    if (state === 0) {
      const p = k - w - 1;
      const sub = s[x[i - 1] * EMISSION_SIZE + y[j - 1]];
      state = M[k] === sub + M[p] ? 0 : M[k] === sub + Ix[p] ? 1 : 2;
      columns.push([--i, --j]);
    } else if (state === 1) {
      state = Ix[k] === M[k - w] - d ? 0 : 1;
      columns.push([--i, -1]);
    } else {
      state = Iy[k] === M[k - 1] - d ? 0 : 2;
      columns.push([-1, --j]);
    }
  }
  columns.reverse();
  return { columns, score };
}

/** The score of a given alignment `columns` under {@link GotohScores} (−∞ if a gap in x follows one in y). */
export function gotohScoreOf(
  x: Encoded,
  y: Encoded,
  columns: [number, number][],
  scores: GotohScores,
): number {
  checkScores("gotohScoreOf", scores);
  let total = 0;
  let prev = 0;
  for (const [i, j] of columns) {
    const state = i >= 0 && j >= 0 ? 0 : i >= 0 ? 1 : 2;
    if (state === 0) total += scores.substitution[x[i] * EMISSION_SIZE + y[j]];
    else if (state === prev) total -= scores.gapExtend;
    else if (prev === 0) total -= scores.gapOpen;
    else return NEG;
    prev = state;
  }
  if (prev !== 0) total -= (scores.endGapOpen ?? scores.gapOpen) - scores.gapOpen;
  return total;
}

/**
 * Gotoh scores equivalent to a pair HMM against the random model with end probability η (Durbin §4.2):
 * s(a,b) = log(p_ab/(q_a q_b)) + log((1−2δ−τ)/(1−η)²), d = −log(δ(1−ε−τ)/((1−η)(1−2δ−τ))),
 * e = −log(ε/(1−η)); a trailing gap is followed by End (τ), not M, so it opens at d + log((1−ε−τ)/(1−2δ−τ)).
 * Then log P(x,y,π) = score(π) + log P(x,y|R) + log(τ/η²) for every alignment π.
 */
export function gotohScoresFor(params: PairHmmParams, eta = params.tau): GotohScores {
  validateParams(params, "gotohScoresFor");
  if (!(typeof eta === "number" && eta > 0 && eta < 1))
    throw new ValueError(`gotohScoresFor: eta must be in (0, 1), but got ${eta}`);
  const { delta, epsilon, tau } = params;
  const { match, background: q } = extendEmissions(params.match, params.background);
  const E = EMISSION_SIZE;
  const mm = Math.log(1 - 2 * delta - tau);
  const gm = Math.log(1 - epsilon - tau);
  const l1 = Math.log1p(-eta);
  const substitution = new Float64Array(E * E);
  for (let a = 0; a < E; a++)
    for (let b = 0; b < E; b++)
      substitution[a * E + b] = Math.log(match[a * E + b] / (q[a] * q[b])) + mm - 2 * l1;
  const gapOpen = -(Math.log(delta) + gm - l1 - mm);
  return {
    substitution,
    gapOpen,
    gapExtend: -(Math.log(epsilon) - l1),
    endGapOpen: gapOpen + gm - mm,
  };
}
