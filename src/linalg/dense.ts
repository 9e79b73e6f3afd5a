/**
 * Dense float64 linear algebra shared by the model families (classifiers, latent spaces), in plain TypeScript over row-major
 * `Matrix` values: products, Cholesky and triangular solves, LU, symmetric eigendecomposition
 * (cyclic Jacobi) and the thin SVD (Householder QR, then one-sided Jacobi on R). Written for the
 * shapes these models meet: many rows, d ≤ ~100 columns. References: Golub & Van Loan, Matrix
 * Computations (4th ed.), §4.2 (Cholesky), §3.4 (LU), §5.2 (Householder QR), §8.5 (Jacobi), §8.6.3
 * (one-sided Jacobi SVD).
 */
import { NumericalError, ValueError } from "../errors.js";
import { type Matrix, zeros } from "./matrix.js";

/** The `[n, n]` identity. */
export function identity(n: number): Matrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** A copy of `a`. */
export function copyMatrix(a: Matrix): Matrix {
  return { rows: a.rows, cols: a.cols, data: a.data.slice() };
}

/** `aᵀ`: `[m, n] -> [n, m]`. */
export function transpose(a: Matrix): Matrix {
  const { rows: m, cols: n, data } = a;
  const out = zeros(n, m);
  const o = out.data;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) o[j * m + i] = data[i * n + j];
  return out;
}

/** `a b`: `[m, k] × [k, n] -> [m, n]` (i-k-j loop order: unit stride on `b` and the output). */
export function matmul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows)
    throw new ValueError(
      `matmul: inner dimensions must match, but got [${a.rows}, ${a.cols}] × [${b.rows}, ${b.cols}]`,
    );
  const m = a.rows;
  const k = a.cols;
  const n = b.cols;
  const out = zeros(m, n);
  const A = a.data;
  const B = b.data;
  const C = out.data;
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = A[i * k + p];
      if (aip === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) C[ci + j] += aip * B[bp + j];
    }
  }
  return out;
}

/** `a bᵀ`: `[m, k] × [n, k]ᵀ -> [m, n]` (dot products of rows: unit stride on both). */
export function matmulTransposeB(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.cols)
    throw new ValueError(
      `matmulTransposeB: a and b must have the same number of columns, but got ${a.cols} and ${b.cols}`,
    );
  const m = a.rows;
  const k = a.cols;
  const n = b.rows;
  const out = zeros(m, n);
  const A = a.data;
  const B = b.data;
  const C = out.data;
  let i = 0;
  // four rows of a at a time: four independent accumulators share each load of b
  for (; i + 4 <= m; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        const b = B[bj + p];
        s0 += A[a0 + p] * b;
        s1 += A[a1 + p] * b;
        s2 += A[a2 + p] * b;
        s3 += A[a3 + p] * b;
      }
      C[i * n + j] = s0;
      C[(i + 1) * n + j] = s1;
      C[(i + 2) * n + j] = s2;
      C[(i + 3) * n + j] = s3;
    }
  }
  for (; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[ai + p] * B[bj + p];
      C[i * n + j] = s;
    }
  }
  return out;
}

/** `a x`: `[m, n] × [n] -> [m]`. */
export function matvec(a: Matrix, x: ArrayLike<number>): Float64Array {
  if (x.length !== a.cols) throw new ValueError(`matvec: x must have ${a.cols} entries, but has ${x.length}`);
  const out = new Float64Array(a.rows);
  const n = a.cols;
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a.data[i * n + j] * x[j];
    out[i] = s;
  }
  return out;
}

/**
 * The Gram matrix `XᵀX`: `[n, d] -> [d, d]`, accumulating the upper triangle four rows at a time
 * (the `[d, d]` accumulator stays in cache) and mirroring it.
 */
export function gram(X: Matrix): Matrix {
  const { rows: n, cols: d, data: x } = X;
  const out = zeros(d, d);
  const g = out.data;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = i * d;
    const r1 = r0 + d;
    const r2 = r1 + d;
    const r3 = r2 + d;
    for (let j = 0; j < d; j++) {
      const a0 = x[r0 + j];
      const a1 = x[r1 + j];
      const a2 = x[r2 + j];
      const a3 = x[r3 + j];
      const gj = j * d;
      for (let k = j; k < d; k++)
        g[gj + k] += a0 * x[r0 + k] + a1 * x[r1 + k] + a2 * x[r2 + k] + a3 * x[r3 + k];
    }
  }
  for (; i < n; i++) {
    const r = i * d;
    for (let j = 0; j < d; j++) {
      const a = x[r + j];
      const gj = j * d;
      for (let k = j; k < d; k++) g[gj + k] += a * x[r + k];
    }
  }
  for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) g[j * d + k] = g[k * d + j];
  return out;
}

function checkSquare(a: Matrix, fn: string): number {
  if (a.rows !== a.cols) throw new ValueError(`${fn}: matrix must be square, but is [${a.rows}, ${a.cols}]`);
  return a.rows;
}

/**
 * Lower Cholesky factor `L` with `a = L Lᵀ` (Golub & Van Loan Alg. 4.2.1). Reads the lower triangle
 * of `a`. Throws a `NumericalError` naming the failing pivot when `a` is not positive definite; the
 * error carries `pivot` (its index).
 */
export function cholesky(a: Matrix, fn = "cholesky"): Matrix {
  const n = checkSquare(a, fn);
  const L = zeros(n, n);
  const l = L.data;
  const A = a.data;
  for (let j = 0; j < n; j++) {
    const lj = j * n;
    let s = A[lj + j];
    for (let k = 0; k < j; k++) s -= l[lj + k] * l[lj + k];
    if (!(s > 0) || !Number.isFinite(s)) {
      throw Object.assign(new NumericalError(`${fn}: matrix is not positive definite (pivot ${j} is ${s})`), {
        pivot: j,
      });
    }
    const ljj = Math.sqrt(s);
    l[lj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const li = i * n;
      let t = A[li + j];
      for (let k = 0; k < j; k++) t -= l[li + k] * l[lj + k];
      l[li + j] = t / ljj;
    }
  }
  return L;
}

type Rhs = Float64Array | Matrix;

function rhsMatrix(b: Rhs, n: number, fn: string): Matrix {
  const m: Matrix = b instanceof Float64Array ? { rows: b.length, cols: 1, data: b } : b;
  if (m.rows !== n) throw new ValueError(`${fn}: right-hand side must have ${n} rows, but has ${m.rows}`);
  return copyMatrix(m);
}

function rhsResult<B extends Rhs>(b: B, x: Matrix): B {
  return (b instanceof Float64Array ? x.data : x) as B;
}

/** Solve `L x = b` for lower-triangular `L` `[n, n]`; `b` is `[n]` or `[n, k]` (forward substitution). */
export function solveLowerTriangular<B extends Rhs>(L: Matrix, b: B): B {
  const n = checkSquare(L, "solveLowerTriangular");
  const x = rhsMatrix(b, n, "solveLowerTriangular");
  const k = x.cols;
  const X = x.data;
  const l = L.data;
  for (let i = 0; i < n; i++) {
    const xi = i * k;
    for (let p = 0; p < i; p++) {
      const lip = l[i * n + p];
      if (lip === 0) continue;
      const xp = p * k;
      for (let c = 0; c < k; c++) X[xi + c] -= lip * X[xp + c];
    }
    const d = l[i * n + i];
    for (let c = 0; c < k; c++) X[xi + c] /= d;
  }
  return rhsResult(b, x);
}

/** Solve `U x = b` for upper-triangular `U` `[n, n]`; `b` is `[n]` or `[n, k]` (back substitution). */
export function solveUpperTriangular<B extends Rhs>(U: Matrix, b: B): B {
  const n = checkSquare(U, "solveUpperTriangular");
  const x = rhsMatrix(b, n, "solveUpperTriangular");
  const k = x.cols;
  const X = x.data;
  const u = U.data;
  for (let i = n - 1; i >= 0; i--) {
    const xi = i * k;
    for (let p = i + 1; p < n; p++) {
      const uip = u[i * n + p];
      if (uip === 0) continue;
      const xp = p * k;
      for (let c = 0; c < k; c++) X[xi + c] -= uip * X[xp + c];
    }
    const d = u[i * n + i];
    for (let c = 0; c < k; c++) X[xi + c] /= d;
  }
  return rhsResult(b, x);
}

/** Solve `Lᵀ x = b` for lower-triangular `L` without forming `Lᵀ`. */
function solveLowerTransposed(L: Matrix, x: Matrix): void {
  const n = L.rows;
  const k = x.cols;
  const X = x.data;
  const l = L.data;
  for (let i = n - 1; i >= 0; i--) {
    const xi = i * k;
    const d = l[i * n + i];
    for (let c = 0; c < k; c++) X[xi + c] /= d;
    for (let p = 0; p < i; p++) {
      const lip = l[i * n + p];
      if (lip === 0) continue;
      const xp = p * k;
      for (let c = 0; c < k; c++) X[xp + c] -= lip * X[xi + c];
    }
  }
}

/** Solve `(L Lᵀ) x = b` given the lower Cholesky factor `L`; `b` is `[n]` or `[n, k]`. */
export function choleskySolve<B extends Rhs>(L: Matrix, b: B): B {
  const n = checkSquare(L, "choleskySolve");
  const x = solveLowerTriangular(L, rhsMatrix(b, n, "choleskySolve"));
  solveLowerTransposed(L, x);
  return rhsResult(b, x);
}

/** `log det(L Lᵀ) = 2 Σ log L_ii` (nats) from a Cholesky factor. */
export function logDetFromCholesky(L: Matrix): number {
  const n = checkSquare(L, "logDetFromCholesky");
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L.data[i * n + i]);
  return 2 * s;
}

function isSymmetric(a: Matrix): boolean {
  const n = a.rows;
  const A = a.data;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const x = A[i * n + j];
      const y = A[j * n + i];
      if (Math.abs(x - y) > 1e-12 * Math.max(Math.abs(x), Math.abs(y), 1e-300)) return false;
    }
  }
  return true;
}

/**
 * LU factorisation with partial pivoting, `P a = L U` (Golub & Van Loan Alg. 3.4.1), packed in one
 * matrix (unit-diagonal `L` below, `U` on and above) with the row permutation. Throws a
 * `NumericalError` when `a` is singular.
 */
export function luFactor(a: Matrix, fn = "luFactor"): { lu: Matrix; perm: Int32Array } {
  const n = checkSquare(a, fn);
  const lu = copyMatrix(a);
  const A = lu.data;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let scale = 0;
  for (let i = 0; i < A.length; i++) scale = Math.max(scale, Math.abs(A[i]));
  for (let k = 0; k < n; k++) {
    let p = k;
    let big = Math.abs(A[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(A[i * n + k]);
      if (v > big) {
        big = v;
        p = i;
      }
    }
    if (!(big > n * Number.EPSILON * scale)) {
      throw new NumericalError(`${fn}: matrix is singular (no usable pivot in column ${k})`);
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = A[k * n + j];
        A[k * n + j] = A[p * n + j];
        A[p * n + j] = t;
      }
      const t = perm[k];
      perm[k] = perm[p];
      perm[p] = t;
    }
    const pivot = A[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = A[i * n + k] / pivot;
      A[i * n + k] = f;
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) A[i * n + j] -= f * A[k * n + j];
    }
  }
  return { lu, perm };
}

/**
 * Solve `a x = b` (`a` `[n, n]`, `b` `[n]` or `[n, k]`): Cholesky when `a` is symmetric positive
 * definite, otherwise LU with partial pivoting. Throws a `NumericalError` when `a` is singular.
 */
export function solve<B extends Rhs>(a: Matrix, b: B): B {
  const n = checkSquare(a, "solve");
  if (isSymmetric(a)) {
    try {
      return choleskySolve(cholesky(a, "solve"), b);
    } catch (e) {
      if (!(e instanceof NumericalError)) throw e;
    }
  }
  const { lu, perm } = luFactor(a, "solve");
  const x0 = rhsMatrix(b, n, "solve");
  const k = x0.cols;
  const x = zeros(n, k);
  for (let i = 0; i < n; i++) x.data.set(x0.data.subarray(perm[i] * k, (perm[i] + 1) * k), i * k);
  const A = lu.data;
  const X = x.data;
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < i; p++) {
      const f = A[i * n + p];
      if (f !== 0) for (let c = 0; c < k; c++) X[i * k + c] -= f * X[p * k + c];
    }
  }
  return rhsResult(b, solveUpperTriangular(lu, x));
}

/**
 * Eigendecomposition of a symmetric `[n, n]` matrix by cyclic Jacobi rotations (Golub & Van Loan
 * Alg. 8.5.3): `a = V diag(values) Vᵀ`, values ascending, eigenvectors in the columns of `vectors`.
 * Accurate to rounding (relative to ‖a‖) for n ≤ ~100.
 */
export function eighSym(a: Matrix): { values: Float64Array; vectors: Matrix } {
  const n = checkSquare(a, "eighSym");
  const A = new Float64Array(n * n);
  // symmetrise from both triangles so a slightly asymmetric input is treated consistently
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) A[i * n + j] = 0.5 * (a.data[i * n + j] + a.data[j * n + i]);
  const V = identity(n).data;
  let total = 0;
  for (let i = 0; i < A.length; i++) total += A[i] * A[i];
  const tiny = Number.EPSILON * Number.EPSILON * total;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] * A[p * n + q];
    if (off <= tiny || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (apq === 0) continue;
        const app = A[p * n + p];
        const aqq = A[q * n + q];
        if (
          Math.abs(apq) <= 1e-300 ||
          Math.abs(apq) < Number.EPSILON * 1e-3 * Math.sqrt(Math.abs(app * aqq))
        ) {
          A[p * n + q] = 0;
          A[q * n + p] = 0;
          continue;
        }
        // rotation that zeroes a_pq (G&VL Alg. 8.5.1)
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p];
          const akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k];
          const aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        A[p * n + q] = 0;
        A[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p];
          const vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => A[i * n + i] - A[j * n + j]);
  const values = new Float64Array(n);
  const vectors = zeros(n, n);
  for (let c = 0; c < n; c++) {
    const src = order[c];
    values[c] = A[src * n + src];
    for (let k = 0; k < n; k++) vectors.data[k * n + c] = V[k * n + src];
  }
  return { values, vectors };
}

/**
 * The `R` factor of a thin QR of a tall `[m, n]` matrix (m ≥ n), `[n, n]` upper triangular with
 * rows of either sign, computed by streaming blocks of rows through Householder reflections of
 * `[R; block]` (a cache-friendly tall-skinny QR; Golub & Van Loan §5.2, §5.6).
 */
export function qrR(a: Matrix, blockRows = 128): Matrix {
  const { rows: m, cols: n, data: A } = a;
  const R = zeros(n, n);
  const r = R.data;
  const B = new Float64Array(blockRows * n);
  const v = new Float64Array(blockRows);
  const w = new Float64Array(n);
  for (let start = 0; start < m; start += blockRows) {
    const b = Math.min(blockRows, m - start);
    B.set(A.subarray(start * n, (start + b) * n));
    for (let k = 0; k < n; k++) {
      let sigma = 0;
      for (let i = 0; i < b; i++) sigma += B[i * n + k] * B[i * n + k];
      if (sigma === 0) continue;
      const alpha = r[k * n + k];
      const norm = Math.sqrt(alpha * alpha + sigma);
      const beta = alpha > 0 ? -norm : norm;
      const v0 = alpha - beta;
      const tau = (beta - alpha) / beta;
      for (let i = 0; i < b; i++) {
        v[i] = B[i * n + k] / v0;
        B[i * n + k] = 0;
      }
      r[k * n + k] = beta;
      // w_j = R_kj + Σ_i v_i B_ij for j > k (four rows at a time); then R_kj -= τ w_j, B_ij -= τ v_i w_j
      for (let j = k + 1; j < n; j++) w[j] = r[k * n + j];
      let i = 0;
      for (; i + 4 <= b; i += 4) {
        const v0i = v[i];
        const v1i = v[i + 1];
        const v2i = v[i + 2];
        const v3i = v[i + 3];
        const b0 = i * n;
        const b1 = b0 + n;
        const b2 = b1 + n;
        const b3 = b2 + n;
        for (let j = k + 1; j < n; j++)
          w[j] += v0i * B[b0 + j] + v1i * B[b1 + j] + v2i * B[b2 + j] + v3i * B[b3 + j];
      }
      for (; i < b; i++) {
        const vi = v[i];
        const bi = i * n;
        for (let j = k + 1; j < n; j++) w[j] += vi * B[bi + j];
      }
      for (let j = k + 1; j < n; j++) {
        w[j] *= tau;
        r[k * n + j] -= w[j];
      }
      for (i = 0; i < b; i++) {
        const vi = v[i];
        if (vi === 0) continue;
        const bi = i * n;
        for (let j = k + 1; j < n; j++) B[bi + j] -= vi * w[j];
      }
    }
  }
  return R;
}

/**
 * Householder QR of a tall `[m, n]` matrix (m ≥ n), thin form: `q` `[m, n]` with orthonormal
 * columns and `r` `[n, n]` upper triangular, `a = q r` (Golub & Van Loan Alg. 5.2.1).
 */
export function qr(a: Matrix): { q: Matrix; r: Matrix } {
  const { rows: m, cols: n } = a;
  if (m < n)
    throw new ValueError(`qr: matrix must have at least as many rows as columns, but is [${m}, ${n}]`);
  const W = a.data.slice();
  const taus = new Float64Array(n);
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sigma = 0;
    for (let i = k + 1; i < m; i++) sigma += W[i * n + k] * W[i * n + k];
    const alpha = W[k * n + k];
    if (sigma === 0) {
      taus[k] = 0;
      continue;
    }
    const norm = Math.sqrt(alpha * alpha + sigma);
    const beta = alpha > 0 ? -norm : norm;
    const v0 = alpha - beta;
    taus[k] = (beta - alpha) / beta;
    for (let i = k + 1; i < m; i++) W[i * n + k] /= v0;
    W[k * n + k] = beta;
    const tau = taus[k];
    for (let j = k + 1; j < n; j++) w[j] = W[k * n + j];
    for (let i = k + 1; i < m; i++) {
      const vi = W[i * n + k];
      for (let j = k + 1; j < n; j++) w[j] += vi * W[i * n + j];
    }
    for (let j = k + 1; j < n; j++) {
      w[j] *= tau;
      W[k * n + j] -= w[j];
    }
    for (let i = k + 1; i < m; i++) {
      const vi = W[i * n + k];
      for (let j = k + 1; j < n; j++) W[i * n + j] -= vi * w[j];
    }
  }
  const r = zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) r.data[i * n + j] = W[i * n + j];
  // q = H_0 H_1 ... H_{n-1} [I; 0], applying the reflectors backwards
  const q = zeros(m, n);
  const Q = q.data;
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const tau = taus[k];
    if (tau === 0) continue;
    for (let j = k; j < n; j++) w[j] = Q[k * n + j];
    for (let i = k + 1; i < m; i++) {
      const vi = W[i * n + k];
      for (let j = k; j < n; j++) w[j] += vi * Q[i * n + j];
    }
    for (let j = k; j < n; j++) {
      w[j] *= tau;
      Q[k * n + j] -= w[j];
    }
    for (let i = k + 1; i < m; i++) {
      const vi = W[i * n + k];
      for (let j = k; j < n; j++) Q[i * n + j] -= vi * w[j];
    }
  }
  return { q, r };
}

/**
 * One-sided Jacobi SVD of a square `[n, n]` matrix (Golub & Van Loan §8.6.3, Hestenes): rotates
 * pairs of columns until they are orthogonal. Returns `rowsU` (`[n, n]`, row i is column i of U),
 * `s` and `vt`, unsorted.
 */
function jacobiSvdSquare(a: Matrix): { rowsU: Float64Array; s: Float64Array; vt: Float64Array } {
  const n = a.rows;
  const W = transpose(a).data; // row i of W = column i of a
  const Vt = identity(n).data;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let k = 0; k < n; k++) {
          const wp = W[p * n + k];
          const wq = W[q * n + k];
          alpha += wp * wp;
          beta += wq * wq;
          gamma += wp * wq;
        }
        if (gamma === 0 || Math.abs(gamma) <= Number.EPSILON * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let k = 0; k < n; k++) {
          const wp = W[p * n + k];
          const wq = W[q * n + k];
          W[p * n + k] = c * wp - s * wq;
          W[q * n + k] = s * wp + c * wq;
          const vp = Vt[p * n + k];
          const vq = Vt[q * n + k];
          Vt[p * n + k] = c * vp - s * vq;
          Vt[q * n + k] = s * vp + c * vq;
        }
      }
    }
    if (!rotated) break;
  }
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let k = 0; k < n; k++) t += W[i * n + k] * W[i * n + k];
    s[i] = Math.sqrt(t);
    if (s[i] > 0) for (let k = 0; k < n; k++) W[i * n + k] /= s[i];
  }
  return { rowsU: W, s, vt: Vt };
}

/**
 * Replace the rows `i` of `rows` (`[n, m]`, row-major) where `s[i] = 0` by unit vectors orthogonal to
 * all other rows (Gram–Schmidt on the standard basis, twice): completes an orthonormal set of rows.
 */
export function completeOrthonormalRows(rows: Float64Array, n: number, m: number, s: Float64Array): void {
  let e = 0;
  for (let i = 0; i < n; i++) {
    if (s[i] > 0) continue;
    for (; e < m; e++) {
      const v = new Float64Array(m);
      v[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < n; j++) {
          if (j === i || (s[j] === 0 && j > i)) continue;
          let d = 0;
          for (let k = 0; k < m; k++) d += rows[j * m + k] * v[k];
          for (let k = 0; k < m; k++) v[k] -= d * rows[j * m + k];
        }
      }
      let norm = 0;
      for (let k = 0; k < m; k++) norm += v[k] * v[k];
      norm = Math.sqrt(norm);
      if (norm > 0.5) {
        for (let k = 0; k < m; k++) rows[i * m + k] = v[k] / norm;
        e++;
        break;
      }
    }
  }
}

/**
 * Thin SVD `a = u diag(s) vt` of an `[m, n]` matrix, k = min(m, n): `u` `[m, k]`, `s` `[k]`
 * descending, `vt` `[k, n]` (as `numpy.linalg.svd(a, full_matrices=False)`). Tall matrices go
 * through Householder QR and a one-sided Jacobi SVD of R; wide ones through their transpose.
 * With `computeU: false`, `u` is `null` and R comes from the streaming `qrR` (faster for m ≫ n).
 */
export function svd(a: Matrix, opts?: { computeU?: true }): { u: Matrix; s: Float64Array; vt: Matrix };
export function svd(a: Matrix, opts: { computeU: false }): { u: null; s: Float64Array; vt: Matrix };
export function svd(
  a: Matrix,
  opts: { computeU?: boolean } = {},
): { u: Matrix | null; s: Float64Array; vt: Matrix } {
  const computeU = opts.computeU ?? true;
  const { rows: m, cols: n } = a;
  if (m === 0 || n === 0) throw new ValueError(`svd: matrix must be non-empty, but is [${m}, ${n}]`);
  if (m < n) {
    const t = svd(transpose(a));
    return { u: computeU ? transpose(t.vt) : null, s: t.s, vt: transpose(t.u) };
  }
  let q: Matrix | null = null;
  let r: Matrix;
  if (computeU) ({ q, r } = qr(a));
  else r = qrR(a);
  const { rowsU, s, vt } = jacobiSvdSquare(r);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => s[j] - s[i]);
  const sSorted = new Float64Array(n);
  const vtSorted = zeros(n, n);
  const uRows = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const src = order[c];
    sSorted[c] = s[src];
    vtSorted.data.set(vt.subarray(src * n, (src + 1) * n), c * n);
    uRows.set(rowsU.subarray(src * n, (src + 1) * n), c * n);
  }
  if (!computeU || q === null) return { u: null, s: sSorted, vt: vtSorted };
  completeOrthonormalRows(uRows, n, n, sSorted);
  // u = q · U_r, where U_r's columns are the rows of uRows
  const u = matmulTransposeB(q, { rows: n, cols: n, data: uRows });
  return { u, s: sSorted, vt: vtSorted };
}

/** Row-wise `log Σ_j exp(m_ij)`: `[n, k] -> [n]`, shifted by each row's maximum (nats). */
export function logSumExpRows(m: Matrix): Float64Array {
  const { rows, cols, data } = m;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) if (data[o + j] > max) max = data[o + j];
    if (max === Number.NEGATIVE_INFINITY || !Number.isFinite(max)) {
      out[i] = max;
      continue;
    }
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(data[o + j] - max);
    out[i] = max + Math.log(s);
  }
  return out;
}
