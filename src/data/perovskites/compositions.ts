/**
 * ABX3 compositions over the built-in site vocabularies, labelled with Goldschmidt's t, the
 * octahedral factor μ and Bartel et al.'s τ (Sci. Adv. 2019, 5:eaav0693). A composition is three
 * indices, one per site, so that a generative model can use one categorical per site.
 *
 * Site assignment: an ion is placed on a site only if it is in that site's vocabulary (with that
 * site's radius), and a composition is a candidate when it is charge-neutral (nA + nB + 3 nX = 0),
 * A and B are different elements, and rA > rB, as Bartel et al. require (they call the larger
 * cation A; τ is undefined for rA = rB). nA may equal nB (LaAlO3) or exceed it (BaLiF3).
 */
import { describe, ValueError } from "../../errors.js";
import { A_SITE_IONS, B_SITE_IONS, type Ion, X_SITE_IONS } from "./shannon-radii.js";
import { bartelTau, goldschmidtTolerance, octahedralFactor, T_RANGE, TAU_THRESHOLD } from "./tolerance.js";

/** An ABX3 composition: indices into A_SITE_IONS, B_SITE_IONS and X_SITE_IONS. */
export type Composition = { a: number; b: number; x: number };

/** A candidate composition with its radii and descriptors. */
export type PerovskiteRow = Composition & {
  /** "Ca2+ Ti4+ O2-": unique, unlike the formula (Eu2+Ti4+O3 and Eu3+Ti3+O3 are both "EuTiO3") */
  id: string;
  /** "CaTiO3" */
  formula: string;
  nA: number;
  nB: number;
  nX: number;
  /** Shannon radii, Å */
  rA: number;
  rB: number;
  rX: number;
  /** Goldschmidt tolerance factor */
  t: number;
  /** octahedral factor rB / rX */
  mu: number;
  /** Bartel et al.'s τ */
  tau: number;
  /** τ < 4.18: predicted perovskite */
  perovskite: boolean;
  /** 0.825 < t < 1.059: predicted perovskite by Goldschmidt's rule in Bartel et al.'s best range */
  tPerovskite: boolean;
};

function ions(fn: string, c: Composition): [Ion, Ion, Ion] {
  if (c === null || typeof c !== "object")
    throw new ValueError(`${fn}: composition must be {a, b, x}, but got ${describe(c)}`);
  const pick = (name: "a" | "b" | "x", vocab: readonly Ion[]) => {
    const i = c[name];
    if (!Number.isInteger(i) || i < 0 || i >= vocab.length)
      throw new ValueError(`${fn}: ${name} must be an index in [0, ${vocab.length}), but got ${describe(i)}`);
    return vocab[i];
  };
  return [pick("a", A_SITE_IONS), pick("b", B_SITE_IONS), pick("x", X_SITE_IONS)];
}

/** True when the oxidation states balance: nA + nB + 3 nX = 0. */
export function isChargeNeutral(c: Composition): boolean {
  const [A, B, X] = ions("isChargeNeutral", c);
  return A.charge + B.charge + 3 * X.charge === 0;
}

/** The formula of a composition, e.g. "CaTiO3" (A, B, then X3). */
export function describeComposition(c: Composition): string {
  const [A, B, X] = ions("describeComposition", c);
  return `${A.element}${B.element}${X.element}3`;
}

/** The composition of three ion symbols, e.g. ("Ca2+", "Ti4+", "O2-"); unknown symbols list the site's ions. */
export function composition(aIon: string, bIon: string, xIon: string): Composition {
  const find = (site: string, symbol: string, vocab: readonly Ion[]) => {
    const i = vocab.findIndex((ion) => ion.symbol === symbol);
    if (i < 0)
      throw new ValueError(
        `composition: ${site} must be one of ${vocab.map((ion) => ion.symbol).join(", ")}, but got ${describe(symbol)}`,
      );
    return i;
  };
  return {
    a: find("aIon", aIon, A_SITE_IONS),
    b: find("bIon", bIon, B_SITE_IONS),
    x: find("xIon", xIon, X_SITE_IONS),
  };
}

/** Why a composition is not a candidate ABX3 (null when it is one). */
export function candidateProblem(c: Composition): string | null {
  const [A, B, X] = ions("candidateProblem", c);
  if (A.charge + B.charge + 3 * X.charge !== 0)
    return `${A.symbol} ${B.symbol} ${X.symbol} is not charge-neutral (${A.charge} + ${B.charge} + 3 × ${X.charge} ≠ 0)`;
  if (A.element === B.element) return `A and B are the same element (${A.element})`;
  if (!(A.radius > B.radius)) return `rA (${A.radius} Å) must exceed rB (${B.radius} Å)`;
  return null;
}

/** Label one candidate composition with radii, t, μ and τ; a non-candidate is a ValueError saying why. */
export function labelComposition(c: Composition): PerovskiteRow {
  const problem = candidateProblem(c);
  if (problem !== null) throw new ValueError(`labelComposition: ${problem}`);
  const [A, B, X] = ions("labelComposition", c);
  const t = goldschmidtTolerance(A.radius, B.radius, X.radius);
  const tau = bartelTau(A.radius, B.radius, X.radius, A.charge);
  return {
    a: c.a,
    b: c.b,
    x: c.x,
    id: `${A.symbol} ${B.symbol} ${X.symbol}`,
    formula: `${A.element}${B.element}${X.element}3`,
    nA: A.charge,
    nB: B.charge,
    nX: X.charge,
    rA: A.radius,
    rB: B.radius,
    rX: X.radius,
    t,
    mu: octahedralFactor(B.radius, X.radius),
    tau,
    perovskite: tau < TAU_THRESHOLD,
    tPerovskite: t > T_RANGE[0] && t < T_RANGE[1],
  };
}

/**
 * Every candidate ABX3 over the site vocabularies, labelled (X outermost, then A, then B, each in
 * vocabulary order); `anions` restricts X to the given symbols (default all).
 */
export function enumeratePerovskites(opts: { anions?: string[] } = {}): PerovskiteRow[] {
  const anions = opts.anions ?? X_SITE_IONS.map((ion) => ion.symbol);
  for (const s of anions)
    if (!X_SITE_IONS.some((ion) => ion.symbol === s))
      throw new ValueError(
        `enumeratePerovskites: anions must be among ${X_SITE_IONS.map((ion) => ion.symbol).join(", ")}, but got ${describe(s)}`,
      );
  const rows: PerovskiteRow[] = [];
  for (let x = 0; x < X_SITE_IONS.length; x++) {
    if (!anions.includes(X_SITE_IONS[x].symbol)) continue;
    for (let a = 0; a < A_SITE_IONS.length; a++)
      for (let b = 0; b < B_SITE_IONS.length; b++)
        if (candidateProblem({ a, b, x }) === null) rows.push(labelComposition({ a, b, x }));
  }
  return rows;
}
