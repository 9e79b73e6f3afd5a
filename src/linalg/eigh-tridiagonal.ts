/**
 * Symmetric eigendecomposition for larger matrices (n in the hundreds to thousands), where cyclic
 * Jacobi (`eighSym`) is too slow: Householder tridiagonalisation (Golub & Van Loan Alg. 8.3.1), all
 * eigenvalues by the implicit QL algorithm with Wilkinson-like shifts (EISPACK `tql1`/`tql2`, as in
 * JAMA; G&VL §8.3.5), and eigenvectors either by accumulating the QL rotations (all of them) or by
 * inverse iteration with reorthogonalisation inside clusters (a few of them; LAPACK `dstein`, G&VL
 * §8.2.2), mapped back through the Householder reflectors.
 */
import { NumericalError, ValueError } from "../errors.js";
import { type Matrix, zeros } from "./matrix.js";

/**
 * `a = Q T Qᵀ` with `T` symmetric tridiagonal: `diag` `[n]`, `off` `[n − 1]` (`T[i, i+1]`), and
 * `Q = H_0 ⋯ H_{n−3}` kept as Householder vectors: row k of `reflectors` (`[n, n]`) holds `v_k`
 * in columns k+1..n−1 (`v_k[k+1] = 1`), with `betas[k]`, `H_k = I − β_k v_k v_kᵀ`.
 */
export type Tridiagonal = {
  n: number;
  diag: Float64Array;
  off: Float64Array;
  reflectors: Float64Array;
  betas: Float64Array;
};

/**
 * Householder tridiagonalisation of a symmetric `[n, n]` matrix (G&VL Alg. 8.3.1), reading and
 * updating only the upper triangle (so each row of the trailing block is contiguous). The rank-2
 * update of step k is applied lazily, in the same pass over the trailing block as step k + 1's
 * product `A v`: one sweep over memory per step, ≈ (2/3)n³ multiply-adds. The input is not modified.
 */
export function tridiagonalize(a: Matrix): Tridiagonal {
  const n = a.rows;
  if (a.cols !== n)
    throw new ValueError(`tridiagonalize: matrix must be square, but is [${a.rows}, ${a.cols}]`);
  const A = a.data.slice();
  const diag = new Float64Array(n);
  const off = new Float64Array(Math.max(n - 1, 0));
  const betas = new Float64Array(n);
  let v = new Float64Array(n);
  let w = new Float64Array(n);
  // the pending update A −= vp wpᵀ + wp vpᵀ from the previous step (none when pending is false)
  let vp = new Float64Array(n);
  let wp = new Float64Array(n);
  let pending = false;
  for (let k = 0; k < n - 2; k++) {
    const rk = k * n;
    if (pending) {
      const vk = vp[k];
      const wk = wp[k];
      for (let j = k; j < n; j++) A[rk + j] -= vk * wp[j] + wk * vp[j];
    }
    diag[k] = A[rk + k];
    // 1. Householder vector for x = A[k, k+1:] (= the column below the diagonal): H x = μ e_1
    let sigma = 0;
    for (let j = k + 2; j < n; j++) sigma += A[rk + j] * A[rk + j];
    const x0 = A[rk + k + 1];
    if (sigma === 0) {
      off[k] = x0;
      betas[k] = 0;
      if (pending) {
        for (let i = k + 1; i < n; i++) {
          const ri = i * n;
          const vi = vp[i];
          const wi = wp[i];
          for (let j = i; j < n; j++) A[ri + j] -= vi * wp[j] + wi * vp[j];
        }
        pending = false;
      }
      continue;
    }
    const mu = Math.sqrt(x0 * x0 + sigma);
    const v0 = x0 <= 0 ? x0 - mu : -sigma / (x0 + mu);
    const beta = (2 * v0 * v0) / (sigma + v0 * v0);
    v[k + 1] = 1;
    for (let j = k + 2; j < n; j++) v[j] = A[rk + j] / v0;
    off[k] = mu;
    betas[k] = beta;
    A[rk + k + 1] = 1;
    for (let j = k + 2; j < n; j++) A[rk + j] = v[j];
    // 2. one pass over the trailing block: apply the pending update to row i, then p += A' v (upper triangle)
    const p = w;
    p.fill(0, k + 1);
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const vi = v[i];
      if (pending) {
        const ui = vp[i];
        const zi = wp[i];
        const aii = A[ri + i] - (ui * wp[i] + zi * vp[i]);
        A[ri + i] = aii;
        let s = aii * vi;
        for (let j = i + 1; j < n; j++) {
          const aij = A[ri + j] - (ui * wp[j] + zi * vp[j]);
          A[ri + j] = aij;
          s += aij * v[j];
          p[j] += aij * vi;
        }
        p[i] += s;
      } else {
        let s = A[ri + i] * vi;
        for (let j = i + 1; j < n; j++) {
          const aij = A[ri + j];
          s += aij * v[j];
          p[j] += aij * vi;
        }
        p[i] += s;
      }
    }
    // 3. w = β p − (β² pᵀv / 2) v; the update A' −= v wᵀ + w vᵀ becomes pending
    let pv = 0;
    for (let i = k + 1; i < n; i++) {
      p[i] *= beta;
      pv += p[i] * v[i];
    }
    const half = (beta * pv) / 2;
    for (let i = k + 1; i < n; i++) p[i] -= half * v[i];
    [vp, v] = [v, vp];
    [wp, w] = [w, wp];
    pending = true;
  }
  if (pending) {
    for (let i = Math.max(n - 2, 0); i < n; i++) {
      const ri = i * n;
      for (let j = i; j < n; j++) A[ri + j] -= vp[i] * wp[j] + wp[i] * vp[j];
    }
  }
  if (n >= 2) {
    diag[n - 2] = A[(n - 2) * n + n - 2];
    off[n - 2] = A[(n - 2) * n + n - 1];
  }
  if (n >= 1) diag[n - 1] = A[n * n - 1];
  return { n, diag, off, reflectors: A, betas };
}

/**
 * Apply `Q = H_0 ⋯ H_{n−3}` to each row `y` of `rows` (`[m, n]`), in place: `y ← Q y`. Rows go four
 * at a time, so each reflector is read once per four rows.
 */
export function applyReflectors(t: Tridiagonal, rows: Float64Array, m: number): void {
  const { n, reflectors: R, betas } = t;
  let r = 0;
  for (; r + 4 <= m; r += 4) {
    const y0 = r * n;
    const y1 = y0 + n;
    const y2 = y1 + n;
    const y3 = y2 + n;
    for (let k = n - 3; k >= 0; k--) {
      const beta = betas[k];
      if (beta === 0) continue;
      const rk = k * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = k + 1; j < n; j++) {
        const h = R[rk + j];
        s0 += h * rows[y0 + j];
        s1 += h * rows[y1 + j];
        s2 += h * rows[y2 + j];
        s3 += h * rows[y3 + j];
      }
      s0 *= beta;
      s1 *= beta;
      s2 *= beta;
      s3 *= beta;
      for (let j = k + 1; j < n; j++) {
        const h = R[rk + j];
        rows[y0 + j] -= s0 * h;
        rows[y1 + j] -= s1 * h;
        rows[y2 + j] -= s2 * h;
        rows[y3 + j] -= s3 * h;
      }
    }
  }
  for (; r < m; r++) {
    const y = r * n;
    for (let k = n - 3; k >= 0; k--) {
      const beta = betas[k];
      if (beta === 0) continue;
      const rk = k * n;
      let s = 0;
      for (let j = k + 1; j < n; j++) s += R[rk + j] * rows[y + j];
      s *= beta;
      for (let j = k + 1; j < n; j++) rows[y + j] -= s * R[rk + j];
    }
  }
}

/**
 * Implicit QL on a symmetric tridiagonal matrix (EISPACK `tql2`, as JAMA): returns the eigenvalues
 * ascending. With `vt` (`[n, n]`, row i a vector), each plane rotation is applied to rows i, i+1, so
 * that on return row j of `vt` has been carried to the eigenvector of value j (start from the identity
 * for T's eigenvectors).
 */
export function tridiagonalQL(diag: Float64Array, off: Float64Array, vt?: Float64Array): Float64Array {
  const n = diag.length;
  const d = diag.slice();
  const e = new Float64Array(n);
  e.set(off.subarray(0, Math.max(n - 1, 0)));
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  let budget = 30 * n + 30;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      do {
        if (--budget < 0)
          throw new NumericalError(
            `tridiagonalQL: no convergence for eigenvalue ${l} after ${30 * n} iterations`,
          );
        // 1. shift from the leading 2×2 block
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        // 2. implicit QL sweep from m up to l
        p = d[m];
        let c = 1;
        let c2 = 1;
        let c3 = 1;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (vt) {
            const ri = i * n;
            const rj = ri + n;
            for (let k = 0; k < n; k++) {
              const a = vt[rj + k];
              const b = vt[ri + k];
              vt[rj + k] = s * b + c * a;
              vt[ri + k] = c * b - s * a;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  // 3. sort ascending (selection sort: n swaps of rows at most)
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    for (let j = i + 1; j < n; j++) if (d[j] < d[k]) k = j;
    if (k === i) continue;
    const t = d[k];
    d[k] = d[i];
    d[i] = t;
    if (vt) {
      for (let c = 0; c < n; c++) {
        const u = vt[i * n + c];
        vt[i * n + c] = vt[k * n + c];
        vt[k * n + c] = u;
      }
    }
  }
  return d;
}

/** A small deterministic generator (mulberry32) for starting vectors, uniform in (−1, 1). */
function starter(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/**
 * Eigenvectors of the tridiagonal `T` for the sorted eigenvalues `values[lo..n)` by inverse
 * iteration (LAPACK `dstein`): for each, Gaussian elimination with partial pivoting of `T − λI`
 * (tiny pivots replaced by ε‖T‖), three solves from a fixed pseudo-random start, modified
 * Gram–Schmidt against the vectors already found whose eigenvalues lie within 10⁻³‖T‖₁, and equal
 * eigenvalues nudged apart by 10ε|λ|. Returns rows `[n − lo, n]` (row r for `values[lo + r]`),
 * each unit-norm with its largest entry positive.
 */
export function tridiagonalInverseIteration(
  diag: Float64Array,
  off: Float64Array,
  values: Float64Array,
  lo: number,
): Float64Array {
  const n = diag.length;
  const m = n - lo;
  const out = new Float64Array(m * n);
  let norm = 0;
  for (let i = 0; i < n; i++)
    norm = Math.max(
      norm,
      Math.abs(diag[i]) + (i > 0 ? Math.abs(off[i - 1]) : 0) + (i < n - 1 ? Math.abs(off[i]) : 0),
    );
  if (norm === 0) {
    // T = 0: any orthonormal set will do
    for (let r = 0; r < m; r++) out[r * n + lo + r] = 1;
    return out;
  }
  const ortol = 1e-3 * norm;
  const tiny = Number.EPSILON * norm;
  const u0 = new Float64Array(n);
  const u1 = new Float64Array(n);
  const u2 = new Float64Array(n);
  const mult = new Float64Array(n);
  const swap = new Uint8Array(n);
  const x = new Float64Array(n);
  let clusterStart = 0;
  let prev = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < m; r++) {
    let lambda = values[lo + r];
    if (r > 0) {
      if (lambda - values[lo + r - 1] > ortol) clusterStart = r;
      const pertol = 10 * Math.abs(Number.EPSILON * lambda);
      if (lambda - prev < pertol) lambda = prev + pertol;
    }
    prev = lambda;
    // 1. factor P (T − λI) = L U, U with two superdiagonals
    let p0 = diag[0] - lambda;
    let p1 = n > 1 ? off[0] : 0;
    for (let k = 0; k < n - 1; k++) {
      const c = off[k];
      const a = diag[k + 1] - lambda;
      const b = k + 1 < n - 1 ? off[k + 1] : 0;
      if (Math.abs(p0) >= Math.abs(c)) {
        const piv = p0 === 0 ? tiny : p0;
        const f = c / piv;
        u0[k] = piv;
        u1[k] = p1;
        u2[k] = 0;
        mult[k] = f;
        swap[k] = 0;
        p0 = a - f * p1;
        p1 = b;
      } else {
        const f = p0 / c;
        u0[k] = c;
        u1[k] = a;
        u2[k] = b;
        mult[k] = f;
        swap[k] = 1;
        p0 = p1 - f * a;
        p1 = -f * b;
      }
    }
    u0[n - 1] = p0;
    for (let k = 0; k < n; k++) if (Math.abs(u0[k]) < tiny) u0[k] = u0[k] < 0 ? -tiny : tiny;
    // 2. three solves from a pseudo-random start, reorthogonalised inside the cluster
    const rand = starter(lo + r + 1);
    for (let i = 0; i < n; i++) x[i] = rand();
    for (let it = 0; it < 3; it++) {
      let s = 0;
      for (let i = 0; i < n; i++) s = Math.max(s, Math.abs(x[i]));
      for (let i = 0; i < n; i++) x[i] /= s;
      for (let k = 0; k < n - 1; k++) {
        if (swap[k]) {
          const t = x[k];
          x[k] = x[k + 1];
          x[k + 1] = t - mult[k] * x[k];
        } else x[k + 1] -= mult[k] * x[k];
      }
      for (let k = n - 1; k >= 0; k--) {
        let t = x[k];
        if (k + 1 < n) t -= u1[k] * x[k + 1];
        if (k + 2 < n) t -= u2[k] * x[k + 2];
        t /= u0[k];
        x[k] = t;
        if (Math.abs(t) > 1e150) {
          for (let i = 0; i < n; i++) x[i] *= 1e-150;
        }
      }
      for (let q = clusterStart; q < r; q++) {
        const o = q * n;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += x[i] * out[o + i];
        for (let i = 0; i < n; i++) x[i] -= dot * out[o + i];
      }
    }
    // 3. normalise, largest entry positive
    let s = 0;
    let big = 0;
    for (let i = 0; i < n; i++) {
      s += x[i] * x[i];
      if (Math.abs(x[i]) > Math.abs(x[big])) big = i;
    }
    if (!(s > 0) || !Number.isFinite(s))
      throw new NumericalError(
        `tridiagonalInverseIteration: inverse iteration failed for eigenvalue ${lo + r}`,
      );
    const scale = (x[big] < 0 ? -1 : 1) / Math.sqrt(s);
    const o = r * n;
    for (let i = 0; i < n; i++) out[o + i] = x[i] * scale;
  }
  return out;
}

/**
 * Eigendecomposition of a symmetric `[n, n]` matrix, `a = V diag(values) Vᵀ`, values ascending
 * (as `eighSym`, for n up to a few thousand): Householder tridiagonalisation, implicit QL, and
 * eigenvectors for the `top` largest values only (default all): `vectors` is `[n, top]`, its columns
 * for `values[n − top..n)` in ascending order. Few vectors (top ≤ n/4) come from inverse iteration,
 * many from the accumulated QL rotations. Golub & Van Loan §8.3.
 */
export function eighTridiagonal(
  a: Matrix,
  opts: { top?: number } = {},
): { values: Float64Array; vectors: Matrix } {
  const n = a.rows;
  if (a.cols !== n)
    throw new ValueError(`eighTridiagonal: matrix must be square, but is [${a.rows}, ${a.cols}]`);
  const top = opts.top ?? n;
  if (!Number.isInteger(top) || top < 0 || top > n)
    throw new ValueError(`eighTridiagonal: top must be an integer in [0, ${n}], but got ${top}`);
  const t = tridiagonalize(a);
  const { values, rows } = tridiagonalEigen(t, top);
  const vectors = zeros(n, top);
  for (let c = 0; c < top; c++) for (let i = 0; i < n; i++) vectors.data[i * top + c] = rows[c * n + i];
  return { values, vectors };
}

/**
 * All eigenvalues (ascending) of the matrix behind `t`, and its eigenvectors for the `top` largest as
 * rows `[top, n]` (row r for `values[n − top + r]`).
 */
export function tridiagonalEigen(t: Tridiagonal, top: number): { values: Float64Array; rows: Float64Array } {
  const n = t.n;
  let values: Float64Array;
  let rows: Float64Array;
  if (top === 0) {
    values = tridiagonalQL(t.diag, t.off);
    rows = new Float64Array(0);
  } else if (4 * top <= n) {
    values = tridiagonalQL(t.diag, t.off);
    rows = tridiagonalInverseIteration(t.diag, t.off, values, n - top);
  } else {
    const vt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) vt[i * n + i] = 1;
    values = tridiagonalQL(t.diag, t.off, vt);
    rows = vt.slice((n - top) * n);
  }
  applyReflectors(t, rows, top);
  return { values, rows };
}
