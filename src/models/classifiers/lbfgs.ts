/**
 * Limited-memory BFGS for smooth unconstrained minimisation in float64 (plain TypeScript), with a
 * line search satisfying the strong Wolfe conditions. References: Nocedal & Wright, Numerical
 * Optimization (2nd ed.), Algorithm 7.4 (two-loop recursion), Algorithms 3.5–3.6 (line search and
 * zoom), eq. (7.20) (initial Hessian scaling γ = sᵀy / yᵀy).
 */
import { ValueError } from "../../errors.js";

/** `f(x)` and its gradient written into `grad` (same length as `x`). */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Options of {@link lbfgs}. */
export type LbfgsOptions = {
  /** iterations (default 1000) */
  maxIter?: number;
  /** stored correction pairs (default 10) */
  memory?: number;
  /** stop when this returns true for the current point and gradient (default: ‖g‖∞ ≤ 1e-8) */
  stop?: (x: Float64Array, grad: Float64Array, f: number) => boolean;
};

/** What {@link lbfgs} returns. */
export type LbfgsResult = {
  x: Float64Array;
  f: number;
  grad: Float64Array;
  /** iterations taken (one line search each) */
  nIter: number;
  /** objective evaluations */
  nEval: number;
  /** `stop` returned true */
  converged: boolean;
  /** why it stopped */
  message: "converged" | "max iterations" | "line search failed";
};

const C1 = 1e-4;
const C2 = 0.9;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Minimiser of the cubic through (a, fa, ga) and (b, fb, gb), or NaN (Nocedal & Wright eq. 3.59). */
function cubicMin(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (disc < 0) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (gb + d2 - d1)) / (gb - ga + 2 * d2);
}

type Trial = { t: number; f: number; g: number };

/**
 * Strong-Wolfe line search along `dir` from `x` (value `f0`, slope `g0 < 0`). Writes the accepted
 * point, gradient and value into `xNew`, `gNew`; returns the step, or 0 when it fails.
 */
function lineSearch(
  fun: Objective,
  x: Float64Array,
  f0: number,
  g0: number,
  dir: Float64Array,
  t0: number,
  xNew: Float64Array,
  gNew: Float64Array,
  counter: { nEval: number; f: number },
): number {
  const evalAt = (t: number): Trial => {
    for (let i = 0; i < x.length; i++) xNew[i] = x[i] + t * dir[i];
    const f = fun(xNew, gNew);
    counter.nEval++;
    return { t, f, g: dot(gNew, dir) };
  };
  // sufficient decrease (Armijo, N&W eq. 3.6a); where f's change is within eps|f0| of f0, f is
  // rounding noise and decides nothing: the derivative-only "approximate Wolfe" condition of Hager &
  // Zhang (2005, eq. 4.1), g(t) <= (2 c1 - 1) g0, takes its place (for a quadratic it implies f(t) <=
  // f0 + c1 t g0).
  const epsF = 1e-10 * Math.abs(f0);
  const decrease = (tr: Trial) =>
    Number.isFinite(tr.f) &&
    (Math.abs(tr.f - f0) <= epsF ? tr.g <= (2 * C1 - 1) * g0 : tr.f <= f0 + C1 * tr.t * g0);
  const accept = (tr: Trial) => {
    counter.f = tr.f;
    return tr.t;
  };
  let prev: Trial = { t: 0, f: f0, g: g0 };
  let t = t0;
  for (let it = 0; it < 30; it++) {
    const cur = evalAt(t);
    if (!decrease(cur) || (it > 0 && cur.f >= prev.f)) {
      return zoom(prev, cur);
    }
    if (Math.abs(cur.g) <= -C2 * g0) return accept(cur);
    if (cur.g >= 0) return zoom(cur, prev);
    prev = cur;
    t *= 4;
  }
  return 0;

  // Nocedal & Wright Algorithm 3.6: `lo` satisfies sufficient decrease, the minimiser lies between
  function zoom(lo: Trial, hi: Trial): number {
    for (let it = 0; it < 40; it++) {
      let t = Number.isFinite(hi.f) ? cubicMin(lo.t, lo.f, lo.g, hi.t, hi.f, hi.g) : Number.NaN;
      const a = Math.min(lo.t, hi.t);
      const b = Math.max(lo.t, hi.t);
      const margin = 0.1 * (b - a);
      if (!(t > a + margin && t < b - margin)) t = 0.5 * (a + b);
      if (b - a <= 1e-16 * Math.max(1, b)) break;
      const cur = evalAt(t);
      if (!decrease(cur) || cur.f > lo.f + epsF) {
        hi = cur;
      } else {
        if (Math.abs(cur.g) <= -C2 * g0) return accept(cur);
        if (cur.g * (hi.t - lo.t) >= 0) hi = lo;
        lo = cur;
      }
    }
    // no Wolfe point found: accept the best sufficient-decrease point if it moved at all
    if (lo.t > 0 && lo.f < f0) {
      evalAt(lo.t);
      return accept(lo);
    }
    return 0;
  }
}

/**
 * Minimise `fun` from `x0` by L-BFGS with a strong-Wolfe line search (Nocedal & Wright Alg. 7.5).
 * Returns the last point; `converged` says whether `stop` accepted it.
 */
export function lbfgs(fun: Objective, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const maxIter = opts.maxIter ?? 1000;
  const m = opts.memory ?? 10;
  if (!Number.isInteger(maxIter) || maxIter < 0)
    throw new ValueError(`lbfgs: maxIter must be an integer >= 0, but got ${maxIter}`);
  if (!Number.isInteger(m) || m < 1)
    throw new ValueError(`lbfgs: memory must be an integer >= 1, but got ${m}`);
  const stop = opts.stop ?? ((_x, g) => maxAbs(g) <= 1e-8);
  const n = x0.length;
  let x = x0.slice();
  let g = new Float64Array(n);
  let f = fun(x, g);
  const counter = { nEval: 1, f };
  if (!Number.isFinite(f)) throw new ValueError(`lbfgs: the objective must be finite at x0, but is ${f}`);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const dir = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  let gamma = 1;
  for (let iter = 0; iter < maxIter; iter++) {
    if (stop(x, g, f))
      return { x, f, grad: g, nIter: iter, nEval: counter.nEval, converged: true, message: "converged" };
    // 1. two-loop recursion: dir = -H g
    for (let i = 0; i < n; i++) dir[i] = -g[i];
    for (let j = S.length - 1; j >= 0; j--) {
      alpha[j] = rho[j] * dot(S[j], dir);
      const y = Y[j];
      for (let i = 0; i < n; i++) dir[i] -= alpha[j] * y[i];
    }
    for (let i = 0; i < n; i++) dir[i] *= gamma;
    for (let j = 0; j < S.length; j++) {
      const beta = rho[j] * dot(Y[j], dir);
      const s = S[j];
      for (let i = 0; i < n; i++) dir[i] += (alpha[j] - beta) * s[i];
    }
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // not a descent direction (rounding): restart from steepest descent
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -g[i];
      slope = dot(g, dir);
    }
    // 2. line search; the first step is scaled so that it moves at most 1 in the largest coordinate
    const t0 = S.length === 0 ? Math.min(1, 1 / Math.max(maxAbs(dir), 1e-300)) : 1;
    const t = lineSearch(fun, x, f, slope, dir, t0, xNew, gNew, counter);
    if (t === 0) {
      const ok = stop(x, g, f);
      return {
        x,
        f,
        grad: g,
        nIter: iter,
        nEval: counter.nEval,
        converged: ok,
        message: ok ? "converged" : "line search failed",
      };
    }
    // 3. store the correction pair (skip it when the curvature condition fails)
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      gamma = sy / dot(y, y);
    }
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = counter.f;
  }
  const ok = stop(x, g, f);
  return {
    x,
    f,
    grad: g,
    nIter: maxIter,
    nEval: counter.nEval,
    converged: ok,
    message: ok ? "converged" : "max iterations",
  };
}
