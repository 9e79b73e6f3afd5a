/**
 * The logistic map x' = r x (1 - x) at the accumulation point of its period-doubling cascade,
 * r∞ = 3.5699456718709449 (Feigenbaum 1978, J. Stat. Phys. 19:25), where the attractor is a Cantor
 * set of correlation dimension D2 ≈ 0.50 (Grassberger & Procaccia 1983: 0.500 ± 0.005).
 */
import { NumericalError, ValueError } from "../../errors.js";
import { hostUniforms } from "../../host-random.js";
import type { Array } from "../../jax.js";
import type { Matrix } from "../../linalg/matrix.js";

/** The Feigenbaum point r∞ of the logistic map. */
export const FEIGENBAUM_R = 3.569945671870945; // 3.5699456718709449 rounded to the nearest double

/** Options of `logisticMap`. */
export type LogisticMapOptions = {
  /** growth rate in (0, 4] (default r∞) */
  r?: number;
  /** iterations discarded before the first point (default 100000: convergence at r∞ is slow) */
  transient?: number;
};

/**
 * `n` consecutive iterates `[n, 1]` of the logistic map after a `transient`, from x0 uniform in
 * [0.2, 0.8] drawn with `key`; consumes `key`, deterministic given it.
 */
export function logisticMap(key: Array, n: number, opts: LogisticMapOptions = {}): Matrix {
  const fn = "logisticMap";
  const { r = FEIGENBAUM_R, transient = 100000 } = opts;
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(transient) || transient < 0) {
    key.dispose();
    throw new ValueError(
      `${fn}: n must be an integer >= 1 and transient >= 0, but got n ${n}, transient ${transient}`,
    );
  }
  if (!(r > 0 && r <= 4)) {
    key.dispose();
    throw new ValueError(`${fn}: r must be in (0, 4], but got ${r}`);
  }
  let x = 0.2 + 0.6 * hostUniforms(key, 1)[0];
  for (let t = 0; t < transient; t++) x = r * x * (1 - x);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    x = r * x * (1 - x);
    out[k] = x;
  }
  if (!Number.isFinite(x)) throw new NumericalError(`${fn}: the orbit is not finite`);
  return { rows: n, cols: 1, data: out };
}
