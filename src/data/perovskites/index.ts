/** ABX3 perovskites: Shannon radii per site, charge-neutral compositions, t, μ and Bartel et al.'s τ. */

export {
  type Composition,
  candidateProblem,
  composition,
  describeComposition,
  enumeratePerovskites,
  isChargeNeutral,
  labelComposition,
  type PerovskiteRow,
} from "./compositions.js";
export {
  A_SITE_IONS,
  B_SITE_IONS,
  type Ion,
  ionSymbol,
  type PerovskiteSite,
  siteIons,
  X_SITE_IONS,
} from "./shannon-radii.js";
export {
  bartelTau,
  goldschmidtTolerance,
  octahedralFactor,
  T_RANGE,
  TAU_THRESHOLD,
} from "./tolerance.js";
