/**
 * Shannon effective ionic radii (Å) of the candidate ions for each site of an ABX3 perovskite:
 * R. D. Shannon (1976), "Revised effective ionic radii and systematic studies of interatomic
 * distances in halides and chalcogenides", Acta Cryst. A32:751–767.
 *
 * Values were read from `Shannon_Effective_Ionic_Radii.csv` in Bartel et al.'s repository
 * (github.com/CJBartel/perovskite-stability, commit 0cae5592; their transcription of Shannon's table
 * via J. Van Horn's Radii.xls), `record` being its `Rec.#` column, and spot-checked against
 * pymatgen's `pymatgen/core/periodic_table.json` ("Shannon radii", commit 005f172d): Ag⁺, Al³⁺, B³⁺,
 * Ba²⁺, Be²⁺, Bi³⁺, Bi⁵⁺, Br⁻, Se²⁻, Se⁴⁺, Si⁴⁺, Sm³⁺, Sn⁴⁺, Sr²⁺, Ta⁵⁺, Tb³⁺, Te⁴⁺, Th⁴⁺, Ti²⁺/³⁺/⁴⁺,
 * Tl⁺/³⁺ and Tm²⁺/³⁺ agree. One value is not Shannon's: Sn²⁺ (CN 6, 1.15 Å), which Bartel et al.
 * append to the file as row 498 (pymatgen's table, like Shannon's, has no Sn²⁺); it is flagged by
 * `source` and kept because CsSnX3 halide perovskites need it.
 *
 * Coordination follows Bartel et al. (2019, Sci. Adv. 5:eaav0693, and their `PredictPerovskites.py`):
 * A takes the radius at the coordination number nearest 12, B at the one nearest 6, X at 6. Where
 * Shannon has no 12-coordinate (A) or 6-coordinate (B) radius the nearest available one is used and
 * the ion is flagged `substituted` (e.g. Li⁺ and Ag⁺ at CN 8, the late lanthanides at CN 9). For
 * Cr, Mn, Fe, Co, Ni and Cu with both spin states, Bartel's rule takes high spin for d4–d7 and low
 * spin otherwise (so Co³⁺ and Ni³⁺ are high spin, although LaCoO3 is low spin at low temperature).
 */

/** The three sites of ABX3: A (cuboctahedral, CN 12), B (octahedral, CN 6), X (anion). */
export type PerovskiteSite = "A" | "B" | "X";

/** One ion of a site vocabulary, with its Shannon radius for that site. */
export type Ion = {
  /** element and charge, e.g. "Ca2+", "K+", "O2-" */
  symbol: string;
  element: string;
  /** oxidation state (negative for anions) */
  charge: number;
  site: PerovskiteSite;
  /** coordination number the radius is for */
  coordination: number;
  /** spin state where Shannon lists both */
  spin?: "HS" | "LS";
  /** Shannon effective ionic radius, Å */
  radius: number;
  /** true when `coordination` is not the site's own (12 for A, 6 for B and X) */
  substituted: boolean;
  /** row `Rec.#` of the radii file */
  record: number;
  /** where the value comes from */
  source: "Shannon 1976" | "Bartel et al. 2019 (not in Shannon 1976)";
};

const SITE_CN: Record<PerovskiteSite, number> = { A: 12, B: 6, X: 6 };

/** "Ca2+" from ("Ca", 2); "O2-" from ("O", -2); "K+" from ("K", 1). */
export function ionSymbol(element: string, charge: number): string {
  const n = Math.abs(charge);
  return `${element}${n === 1 ? "" : n}${charge > 0 ? "+" : "-"}`;
}

// [element, charge, coordination, radius, record, spin?]
type Row = [string, number, number, number, number, ("HS" | "LS")?];

// Ions of the radii file that are not in Shannon (1976): appended by Bartel et al.
const NOT_IN_SHANNON = new Set(["Sn2+"]);

function site(s: PerovskiteSite, rows: Row[]): readonly Ion[] {
  return Object.freeze(
    rows.map(([element, charge, coordination, radius, record, spin]) => {
      const ion: Ion = {
        symbol: ionSymbol(element, charge),
        element,
        charge,
        site: s,
        coordination,
        radius,
        substituted: coordination !== SITE_CN[s],
        record,
        source: NOT_IN_SHANNON.has(ionSymbol(element, charge))
          ? "Bartel et al. 2019 (not in Shannon 1976)"
          : "Shannon 1976",
      };
      if (spin) ion.spin = spin;
      return Object.freeze(ion);
    }),
  );
}

/** A-site cations (radius at the coordination nearest 12), ordered by charge then atomic number. */
export const A_SITE_IONS: readonly Ion[] = site("A", [
  ["Li", 1, 8, 0.92, 215],
  ["Na", 1, 12, 1.39, 256],
  ["K", 1, 12, 1.64, 206],
  ["Rb", 1, 12, 1.72, 355],
  ["Ag", 1, 8, 1.28, 8],
  ["Cs", 1, 12, 1.88, 115],
  ["Tl", 1, 12, 1.7, 440],
  ["Mg", 2, 8, 0.89, 222],
  ["Ca", 2, 12, 1.34, 64],
  ["Mn", 2, 8, 0.96, 228],
  ["Fe", 2, 8, 0.92, 154, "HS"],
  ["Co", 2, 8, 0.9, 95],
  ["Ni", 2, 6, 0.69, 273],
  ["Zn", 2, 8, 0.9, 491],
  ["Sr", 2, 12, 1.44, 404],
  ["Cd", 2, 12, 1.31, 70],
  ["Ba", 2, 12, 1.61, 40],
  ["Eu", 2, 10, 1.35, 140],
  ["Hg", 2, 8, 1.14, 184],
  ["Pb", 2, 12, 1.49, 317],
  ["Sc", 3, 8, 0.87, 379],
  ["Y", 3, 9, 1.075, 480],
  ["In", 3, 8, 0.92, 196],
  ["La", 3, 12, 1.36, 212],
  ["Ce", 3, 12, 1.34, 76],
  ["Pr", 3, 9, 1.179, 335],
  ["Nd", 3, 12, 1.27, 269],
  ["Sm", 3, 12, 1.24, 393],
  ["Eu", 3, 9, 1.12, 144],
  ["Gd", 3, 9, 1.107, 169],
  ["Tb", 3, 9, 1.095, 413],
  ["Dy", 3, 9, 1.083, 131],
  ["Ho", 3, 10, 1.12, 188],
  ["Er", 3, 9, 1.062, 135],
  ["Tm", 3, 9, 1.052, 448],
  ["Yb", 3, 9, 1.042, 487],
  ["Lu", 3, 9, 1.032, 218],
  ["Bi", 3, 8, 1.17, 46],
]);

/** B-site cations (radius at the coordination nearest 6), ordered by charge then atomic number. */
export const B_SITE_IONS: readonly Ion[] = site("B", [
  ["Li", 1, 6, 0.76, 214],
  ["Na", 1, 6, 1.02, 252],
  ["Be", 2, 6, 0.45, 43],
  ["Mg", 2, 6, 0.72, 221],
  ["Ca", 2, 6, 1.0, 59],
  ["Ti", 2, 6, 0.86, 432],
  ["V", 2, 6, 0.79, 462],
  ["Cr", 2, 6, 0.8, 101, "HS"],
  ["Mn", 2, 6, 0.83, 226, "HS"],
  ["Fe", 2, 6, 0.78, 153, "HS"],
  ["Co", 2, 6, 0.745, 94, "HS"],
  ["Ni", 2, 6, 0.69, 273],
  ["Cu", 2, 6, 0.73, 122],
  ["Zn", 2, 6, 0.74, 490],
  ["Ge", 2, 6, 0.73, 170],
  ["Sr", 2, 6, 1.18, 399],
  ["Cd", 2, 6, 0.95, 67],
  ["Sn", 2, 6, 1.15, 498],
  ["Ba", 2, 6, 1.35, 34],
  ["Eu", 2, 6, 1.17, 136],
  ["Dy", 2, 6, 1.07, 125],
  ["Tm", 2, 6, 1.03, 444],
  ["Yb", 2, 6, 1.02, 481],
  ["Hg", 2, 6, 1.02, 183],
  ["Pb", 2, 6, 1.19, 311],
  ["B", 3, 6, 0.27, 33],
  ["Al", 3, 6, 0.535, 15],
  ["Sc", 3, 6, 0.745, 378],
  ["Ti", 3, 6, 0.67, 433],
  ["V", 3, 6, 0.64, 463],
  ["Cr", 3, 6, 0.615, 102],
  ["Mn", 3, 6, 0.645, 231, "HS"],
  ["Fe", 3, 6, 0.645, 158, "HS"],
  ["Co", 3, 6, 0.61, 97, "HS"],
  ["Ni", 3, 6, 0.6, 275, "HS"],
  ["Ga", 3, 6, 0.62, 165],
  ["Y", 3, 6, 0.9, 477],
  ["Rh", 3, 6, 0.665, 362],
  ["In", 3, 6, 0.8, 195],
  ["Ho", 3, 6, 0.901, 185],
  ["Er", 3, 6, 0.89, 132],
  ["Tm", 3, 6, 0.88, 446],
  ["Yb", 3, 6, 0.868, 484],
  ["Lu", 3, 6, 0.861, 216],
  ["Tl", 3, 6, 0.885, 442],
  ["C", 4, 6, 0.16, 58],
  ["Si", 4, 6, 0.4, 385],
  ["Ti", 4, 6, 0.605, 436],
  ["V", 4, 6, 0.58, 465],
  ["Cr", 4, 6, 0.55, 104],
  ["Mn", 4, 6, 0.53, 233],
  ["Fe", 4, 6, 0.585, 160],
  ["Co", 4, 6, 0.53, 99, "HS"],
  ["Ge", 4, 6, 0.53, 172],
  ["Se", 4, 6, 0.5, 381],
  ["Zr", 4, 6, 0.72, 494],
  ["Nb", 4, 6, 0.68, 258],
  ["Mo", 4, 6, 0.65, 239],
  ["Ru", 4, 6, 0.62, 366],
  ["Sn", 4, 6, 0.69, 396],
  ["Te", 4, 6, 0.97, 423],
  ["Ce", 4, 6, 0.87, 77],
  ["Hf", 4, 6, 0.71, 176],
  ["Ir", 4, 6, 0.625, 198],
  ["Pb", 4, 6, 0.775, 320],
  ["Th", 4, 6, 0.94, 426],
  ["U", 4, 6, 0.89, 450],
  ["N", 5, 4, 0.13, 249],
  ["P", 5, 6, 0.38, 303],
  ["V", 5, 6, 0.54, 469],
  ["Nb", 5, 6, 0.64, 261],
  ["Mo", 5, 6, 0.61, 241],
  ["Sb", 5, 6, 0.6, 377],
  ["I", 5, 6, 0.95, 191],
  ["Ta", 5, 6, 0.64, 407],
  ["W", 5, 6, 0.62, 471],
  ["Bi", 5, 6, 0.76, 47],
  ["U", 5, 6, 0.76, 455],
]);

/** X-site anions (6-coordinate radii, as Bartel et al. use for every anion). */
export const X_SITE_IONS: readonly Ion[] = site("X", [
  ["O", -2, 6, 1.4, 288],
  ["F", -1, 6, 1.33, 148],
  ["Cl", -1, 6, 1.81, 84],
  ["Br", -1, 6, 1.96, 51],
  ["I", -1, 6, 2.2, 189],
  ["S", -2, 6, 1.84, 370],
  ["Se", -2, 6, 1.98, 380],
]);

/** The vocabulary of one site. */
export function siteIons(s: PerovskiteSite): readonly Ion[] {
  return s === "A" ? A_SITE_IONS : s === "B" ? B_SITE_IONS : X_SITE_IONS;
}
