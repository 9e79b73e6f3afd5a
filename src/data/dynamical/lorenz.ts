/**
 * The Lorenz-63 system (Lorenz 1963, "Deterministic nonperiodic flow", J. Atmos. Sci. 20:130):
 *   dx/dt = σ(y - x),  dy/dt = x(ρ - z) - y,  dz/dt = xy - βz,  with σ = 10, ρ = 28, β = 8/3,
 * integrated with the classical fourth-order Runge–Kutta scheme at a fixed step. Its attractor has
 * correlation dimension D2 ≈ 2.05 (Grassberger & Procaccia 1983).
 */
import { NumericalError, ValueError } from "../../errors.js";
import { hostUniforms } from "../../host-random.js";
import type { Array } from "../../jax.js";
import type { Matrix } from "../../linalg/matrix.js";

/** Options of `lorenz`: parameters, RK4 step, discarded transient and sub-sampling. */
export type LorenzOptions = {
  sigma?: number;
  rho?: number;
  beta?: number;
  /** RK4 step in time units (default 0.01) */
  dt?: number;
  /** keep every `every`-th step (default 10, i.e. one point per 0.1 time units) */
  every?: number;
  /** RK4 steps discarded before the first point (default 2000, i.e. 20 time units) */
  transient?: number;
};

function checkInt(v: number, fn: string, name: string, min: number): void {
  if (!Number.isInteger(v) || v < min)
    throw new ValueError(`${fn}: ${name} must be an integer >= ${min}, but got ${v}`);
}

/**
 * `n` points `[n, 3]` of a Lorenz-63 trajectory (RK4 step `dt`, every `every`-th step after a
 * `transient`), from an initial condition drawn uniformly in [-15, 15] × [-15, 15] × [10, 40] (around
 * the attractor) with `key`; consumes `key`, deterministic given it.
 */
export function lorenz(key: Array, n: number, opts: LorenzOptions = {}): Matrix {
  const fn = "lorenz";
  const { sigma = 10, rho = 28, beta = 8 / 3, dt = 0.01, every = 10, transient = 2000 } = opts;
  try {
    checkInt(n, fn, "n", 1);
    checkInt(every, fn, "every", 1);
    checkInt(transient, fn, "transient", 0);
    if (!(dt > 0 && Number.isFinite(dt)))
      throw new ValueError(`${fn}: dt must be positive and finite, but got ${dt}`);
    for (const [name, v] of [
      ["sigma", sigma],
      ["rho", rho],
      ["beta", beta],
    ] as const)
      if (!Number.isFinite(v)) throw new ValueError(`${fn}: ${name} must be finite, but got ${v}`);
  } catch (e) {
    key.dispose();
    throw e;
  }
  const u = hostUniforms(key, 3);
  let x = -15 + 30 * u[0];
  let y = -15 + 30 * u[1];
  let z = 10 + 30 * u[2];
  const out = new Float64Array(n * 3);
  const h2 = dt / 2;
  const h6 = dt / 6;
  const total = transient + n * every;
  for (let step = 1, k = 0; step <= total; step++) {
    // classical RK4
    const ax = sigma * (y - x);
    const ay = x * (rho - z) - y;
    const az = x * y - beta * z;
    let px = x + h2 * ax;
    let py = y + h2 * ay;
    let pz = z + h2 * az;
    const bx = sigma * (py - px);
    const by = px * (rho - pz) - py;
    const bz = px * py - beta * pz;
    px = x + h2 * bx;
    py = y + h2 * by;
    pz = z + h2 * bz;
    const cx = sigma * (py - px);
    const cy = px * (rho - pz) - py;
    const cz = px * py - beta * pz;
    px = x + dt * cx;
    py = y + dt * cy;
    pz = z + dt * cz;
    const ex = sigma * (py - px);
    const ey = px * (rho - pz) - py;
    const ez = px * py - beta * pz;
    x += h6 * (ax + 2 * bx + 2 * cx + ex);
    y += h6 * (ay + 2 * by + 2 * cy + ey);
    z += h6 * (az + 2 * bz + 2 * cz + ez);
    if (step > transient && (step - transient) % every === 0) {
      out[3 * k] = x;
      out[3 * k + 1] = y;
      out[3 * k + 2] = z;
      k++;
    }
  }
  for (let i = 0; i < out.length; i++)
    if (!Number.isFinite(out[i]))
      throw new NumericalError(`${fn}: the trajectory diverged (dt = ${dt} is too large for RK4 here)`);
  return { rows: n, cols: 3, data: out };
}
