/**
 * The Hénon map (Hénon 1976, "A two-dimensional mapping with a strange attractor", Commun. Math.
 * Phys. 50:69): x' = 1 - a x² + y, y' = b x, with a = 1.4, b = 0.3. Its attractor has correlation
 * dimension D2 ≈ 1.21 (Grassberger & Procaccia 1983: 1.21 ± 0.01) and capacity dimension ≈ 1.26.
 */
import { NumericalError, ValueError } from "../../errors.js";
import { hostUniforms } from "../../host-random.js";
import type { Array } from "../../jax.js";
import type { Matrix } from "../../linalg/matrix.js";

/** Options of `henon`. */
export type HenonOptions = {
  a?: number;
  b?: number;
  /** iterations discarded before the first point (default 1000) */
  transient?: number;
};

/**
 * `n` consecutive points `[n, 2]` of a Hénon orbit after a `transient`, started within 0.01 (per
 * coordinate, uniform from `key`) of the map's fixed point (x*, b x*), which lies on the attractor;
 * consumes `key`, deterministic given it. Throws NumericalError if the orbit escapes (|x| > 1e6).
 */
export function henon(key: Array, n: number, opts: HenonOptions = {}): Matrix {
  const fn = "henon";
  const { a = 1.4, b = 0.3, transient = 1000 } = opts;
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(transient) || transient < 0) {
    key.dispose();
    throw new ValueError(
      `${fn}: n must be an integer >= 1 and transient >= 0, but got n ${n}, transient ${transient}`,
    );
  }
  if (!Number.isFinite(a) || !Number.isFinite(b) || a === 0) {
    key.dispose();
    throw new ValueError(`${fn}: a and b must be finite with a != 0, but got a ${a}, b ${b}`);
  }
  const u = hostUniforms(key, 2);
  // fixed point: a x² + (1 - b) x - 1 = 0, the root that lies on the attractor
  const xs = (-(1 - b) + Math.sqrt((1 - b) * (1 - b) + 4 * a)) / (2 * a);
  let x = xs + 0.02 * (u[0] - 0.5);
  let y = b * xs + 0.02 * (u[1] - 0.5);
  const out = new Float64Array(2 * n);
  for (let t = 0, k = 0; k < n; t++) {
    const xn = 1 - a * x * x + y;
    y = b * x;
    x = xn;
    if (!(Math.abs(x) < 1e6))
      throw new NumericalError(`${fn}: the orbit escaped to infinity at iteration ${t}`);
    if (t >= transient) {
      out[2 * k] = x;
      out[2 * k + 1] = y;
      k++;
    }
  }
  return { rows: n, cols: 2, data: out };
}
