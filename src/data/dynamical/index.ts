/** Dynamical systems with known attractors: Lorenz-63, the Hénon map, the logistic map at r∞; standardisation. */
export { type HenonOptions, henon } from "./henon.js";
export { FEIGENBAUM_R, type LogisticMapOptions, logisticMap } from "./logistic-map.js";
export { type LorenzOptions, lorenz } from "./lorenz.js";
export {
  applyStandardization,
  invertStandardization,
  type Standardization,
  standardize,
} from "./standardize.js";
