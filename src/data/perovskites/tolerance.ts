/**
 * Geometric descriptors of ABX3 perovskite formability from ionic radii (Å): Goldschmidt's tolerance
 * factor, the octahedral factor, and Bartel et al.'s τ (Sci. Adv. 2019, 5:eaav0693, equation 1),
 * which classifies 92 % of their 576 experimentally characterised ABX3 solids correctly with
 * "perovskite iff τ < 4.18".
 */
import { describe, ValueError } from "../../errors.js";

/** Bartel et al.'s threshold: τ below it predicts a perovskite. */
export const TAU_THRESHOLD = 4.18;

/** The range of t Bartel et al. found most accurate for Goldschmidt's rule (their Fig. 1). */
export const T_RANGE: readonly [number, number] = [0.825, 1.059];

function radius(fn: string, name: string, r: number): void {
  if (typeof r !== "number" || !Number.isFinite(r) || r <= 0)
    throw new ValueError(`${fn}: ${name} must be a positive radius in Å, but got ${describe(r)}`);
}

/** Goldschmidt tolerance factor `t = (rA + rX) / (√2 (rB + rX))` (Goldschmidt 1926). */
export function goldschmidtTolerance(rA: number, rB: number, rX: number): number {
  radius("goldschmidtTolerance", "rA", rA);
  radius("goldschmidtTolerance", "rB", rB);
  radius("goldschmidtTolerance", "rX", rX);
  return (rA + rX) / (Math.SQRT2 * (rB + rX));
}

/** Octahedral factor `μ = rB / rX`. */
export function octahedralFactor(rB: number, rX: number): number {
  radius("octahedralFactor", "rB", rB);
  radius("octahedralFactor", "rX", rX);
  return rB / rX;
}

/**
 * Bartel et al.'s tolerance factor `τ = rX/rB − nA (nA − (rA/rB) / ln(rA/rB))` (their equation 1),
 * with `nA` the A-site oxidation state; defined for `rA > rB` (the larger cation is A).
 */
export function bartelTau(rA: number, rB: number, rX: number, nA: number): number {
  radius("bartelTau", "rA", rA);
  radius("bartelTau", "rB", rB);
  radius("bartelTau", "rX", rX);
  if (!Number.isInteger(nA) || nA < 1)
    throw new ValueError(`bartelTau: nA must be a positive integer oxidation state, but got ${describe(nA)}`);
  if (!(rA > rB))
    throw new ValueError(
      `bartelTau: rA must exceed rB (A is the larger cation), but got rA ${rA} and rB ${rB}`,
    );
  const ratio = rA / rB;
  return rX / rB - nA * (nA - ratio / Math.log(ratio));
}
