/**
 * The SVD back-ends behind PCA and probabilistic PCA, on a centred data matrix `Xc` `[n, d]`: the
 * exact thin SVD (Householder QR + one-sided Jacobi) for small problems, the eigendecomposition of
 * the `[d, d]` scatter `XcᵀXc` (or the `[n, n]` Gram `Xc Xcᵀ` when n < d) by Householder
 * tridiagonalisation for large ones, and the randomized SVD of Halko, Martinsson & Tropp (2011),
 * Alg. 4.4 (as scikit-learn's `randomized_svd`), plus cache-blocked products and scikit-learn's
 * `svd_flip` sign convention. Internal to `models/latent`.
 */
import { completeOrthonormalRows, matmul, qr, svd, transpose } from "../../linalg/dense.js";
import { tridiagonalEigen, tridiagonalize } from "../../linalg/eigh-tridiagonal.js";
import type { Matrix } from "../../linalg/matrix.js";

/** Largest min(n, d) handled by the exact Jacobi SVD; beyond it the scatter/Gram eigendecomposition. */
export const JACOBI_MAX = 100;

/** A truncated SVD of `Xc`: singular values (all min(n, d) for exact solvers, k for randomized) and `[k, d]` rows. */
export type SvdResult = { s: Float64Array; components: Float64Array; k: number };

const PB = 512;

/** `a bᵀ` for row-major `a` `[m, p]` and `b` `[l, p]`: `[m, l]`, in 4×4 register blocks over 512-long panels of p. */
export function matmulNT(a: Float64Array, m: number, b: Float64Array, l: number, p: number): Float64Array {
  return blockedNT(a, m, b, l, p, false);
}

/** `a aᵀ` for row-major `a` `[m, p]`: `[m, m]` (upper blocks computed, then mirrored). */
export function gramRows(a: Float64Array, m: number, p: number): Float64Array {
  const c = blockedNT(a, m, a, m, p, true);
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) c[i * m + j] = c[j * m + i];
  return c;
}

function blockedNT(
  A: Float64Array,
  m: number,
  B: Float64Array,
  l: number,
  p: number,
  upper: boolean,
): Float64Array {
  const C = new Float64Array(m * l);
  const m4 = m - (m % 4);
  const l4 = l - (l % 4);
  for (let q0 = 0; q0 < p; q0 += PB) {
    const q1 = Math.min(p, q0 + PB);
    for (let i = 0; i < m4; i += 4) {
      const a0 = i * p;
      const a1 = a0 + p;
      const a2 = a1 + p;
      const a3 = a2 + p;
      for (let j = upper ? i : 0; j < l4; j += 4) {
        const b0 = j * p;
        const b1 = b0 + p;
        const b2 = b1 + p;
        const b3 = b2 + p;
        let s00 = 0,
          s01 = 0,
          s02 = 0,
          s03 = 0,
          s10 = 0,
          s11 = 0,
          s12 = 0,
          s13 = 0;
        let s20 = 0,
          s21 = 0,
          s22 = 0,
          s23 = 0,
          s30 = 0,
          s31 = 0,
          s32 = 0,
          s33 = 0;
        for (let q = q0; q < q1; q++) {
          const x0 = B[b0 + q];
          const x1 = B[b1 + q];
          const x2 = B[b2 + q];
          const x3 = B[b3 + q];
          let y = A[a0 + q];
          s00 += y * x0;
          s01 += y * x1;
          s02 += y * x2;
          s03 += y * x3;
          y = A[a1 + q];
          s10 += y * x0;
          s11 += y * x1;
          s12 += y * x2;
          s13 += y * x3;
          y = A[a2 + q];
          s20 += y * x0;
          s21 += y * x1;
          s22 += y * x2;
          s23 += y * x3;
          y = A[a3 + q];
          s30 += y * x0;
          s31 += y * x1;
          s32 += y * x2;
          s33 += y * x3;
        }
        const c0 = i * l + j;
        const c1 = c0 + l;
        const c2 = c1 + l;
        const c3 = c2 + l;
        C[c0] += s00;
        C[c0 + 1] += s01;
        C[c0 + 2] += s02;
        C[c0 + 3] += s03;
        C[c1] += s10;
        C[c1 + 1] += s11;
        C[c1 + 2] += s12;
        C[c1 + 3] += s13;
        C[c2] += s20;
        C[c2 + 1] += s21;
        C[c2 + 2] += s22;
        C[c2 + 3] += s23;
        C[c3] += s30;
        C[c3 + 1] += s31;
        C[c3 + 2] += s32;
        C[c3 + 3] += s33;
      }
    }
    // edges: the last m mod 4 rows (all columns), and the last l mod 4 columns of the first m4 rows
    for (let i = 0; i < m; i++) {
      const j0 = i < m4 ? l4 : upper ? i : 0;
      const ai = i * p;
      for (let j = j0; j < l; j++) {
        const bj = j * p;
        let s = 0;
        for (let q = q0; q < q1; q++) s += A[ai + q] * B[bj + q];
        C[i * l + j] += s;
      }
    }
  }
  return C;
}

/**
 * scikit-learn's `svd_flip` (u-based): flip each row of `components` (`[k, d]`) so that the score
 * column `Xc vⱼ` (∝ column j of U) has its largest-magnitude entry positive (first one on ties).
 */
export function svdFlip(Xc: Matrix, components: Float64Array, k: number): void {
  const { rows: n, cols: d } = Xc;
  const scores = matmulNT(Xc.data, n, components, k, d); // [n, k]
  for (let j = 0; j < k; j++) {
    let best = 0;
    let big = -1;
    for (let i = 0; i < n; i++) {
      const v = Math.abs(scores[i * k + j]);
      if (v > big) {
        big = v;
        best = i;
      }
    }
    if (scores[best * k + j] < 0) for (let c = 0; c < d; c++) components[j * d + c] = -components[j * d + c];
  }
}

/**
 * Exact thin SVD of `Xc` through `svd` (Householder QR, then one-sided Jacobi), keeping the first
 * `pick(s)` right singular vectors. Accurate to rounding; for min(n, d) ≤ ~100.
 */
export function svdJacobi(Xc: Matrix, pick: (s: Float64Array) => number): SvdResult {
  const d = Xc.cols;
  const { s, vt } = Xc.rows >= d ? svd(Xc, { computeU: false }) : svd(Xc);
  const k = pick(s);
  const components = vt.data.slice(0, k * d);
  svdFlip(Xc, components, k);
  return { s, components, k };
}

/**
 * Thin SVD of `Xc` from the eigendecomposition of `XcᵀXc` `[d, d]` (n ≥ d) or `Xc Xcᵀ` `[n, n]`
 * (n < d, components `Xcᵀ u / s`), with Householder tridiagonalisation and eigenvectors for the
 * first `pick(s)` only. Singular values below √(r ε) s_max (r = min(n, d); unresolvable from the
 * squared matrix) are reported as 0. Cost ≈ n·r²/2 + (2/3)r³ multiply-adds.
 */
export function svdEigen(Xc: Matrix, pick: (s: Float64Array) => number): SvdResult {
  const { rows: n, cols: d } = Xc;
  const wide = n < d;
  const r = wide ? n : d;
  const scatter = wide ? gramRows(Xc.data, n, d) : gramRows(transpose(Xc).data, d, n);
  const t = tridiagonalize({ rows: r, cols: r, data: scatter });
  const ascending = tridiagonalEigen(t, 0).values;
  const lmax = Math.max(ascending[r - 1], 0);
  const s = new Float64Array(r);
  for (let j = 0; j < r; j++) {
    const lam = ascending[r - 1 - j];
    s[j] = lam > r * Number.EPSILON * lmax ? Math.sqrt(lam) : 0;
  }
  const k = pick(s);
  const rows = tridiagonalEigen(t, k).rows; // [k, r], ascending
  let components: Float64Array = new Float64Array(k * d);
  if (!wide) {
    for (let j = 0; j < k; j++) components.set(rows.subarray((k - 1 - j) * r, (k - j) * r), j * d);
  } else {
    const u = new Float64Array(k * n);
    for (let j = 0; j < k; j++) u.set(rows.subarray((k - 1 - j) * n, (k - j) * n), j * n);
    components = matmul({ rows: k, cols: n, data: u }, Xc).data;
    for (let j = 0; j < k; j++) {
      if (s[j] === 0) continue;
      for (let c = 0; c < d; c++) components[j * d + c] /= s[j];
    }
    completeOrthonormalRows(components, k, d, s);
  }
  svdFlip(Xc, components, k);
  return { s, components, k };
}

/** Orthonormal basis `[m, l]` of the columns of `y` `[m, l]` (thin Householder QR), returned transposed `[l, m]`. */
function orthonormalT(y: Float64Array, m: number, l: number): Float64Array {
  return transpose(qr({ rows: m, cols: l, data: y }).q).data;
}

/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, Alg. 4.3 with QR re-orthonormalisation as
 * Alg. 4.4; scikit-learn's `randomized_svd`): a Gaussian test matrix `[d, k + oversamples]` from
 * `normals`, `powerIterations` subspace iterations, then the exact SVD of the small projected matrix.
 * Works on the transpose when n < d, as scikit-learn does. Returns k singular values and components.
 */
export function svdRandomized(
  Xc: Matrix,
  k: number,
  oversamples: number,
  powerIterations: number,
  normals: (count: number) => Float64Array,
): SvdResult {
  const { rows: n, cols: d } = Xc;
  const flip = n < d;
  // M = Xc (or Xcᵀ), [m, p]; both layouts kept so that every product is "rows times rows"
  const M = flip ? transpose(Xc).data : Xc.data;
  const Mt = flip ? Xc.data : transpose(Xc).data;
  const m = flip ? d : n;
  const p = flip ? n : d;
  const l = Math.min(k + oversamples, m, p);
  // 1. Y = M Ω, Ω ~ N(0, 1) [p, l] (kept as Ωᵀ [l, p]); Q = orth(Y)
  const omegaT = normals(l * p);
  let qT = orthonormalT(matmulNT(M, m, omegaT, l, p), m, l); // [l, m]
  // 2. power iterations: Q ← orth(M orth(Mᵀ Q))
  for (let it = 0; it < powerIterations; it++) {
    const zT = orthonormalT(matmulNT(Mt, p, qT, l, m), p, l); // [l, p]
    qT = orthonormalT(matmulNT(M, m, zT, l, p), m, l);
  }
  // 3. B = Qᵀ M [l, p] = (Mᵀ Q)ᵀ; SVD of B; left vectors of M are Q Û, right ones are B's
  const B = transpose({ rows: p, cols: l, data: matmulNT(Mt, p, qT, l, m) });
  const { u: uHat, s, vt } = svd(B);
  const kk = Math.min(k, s.length);
  // components: rows of Vᵀ (right vectors of Xc); for the transposed problem, Xc's right vectors are M's left ones
  let components: Float64Array;
  if (!flip) components = vt.data.slice(0, kk * p);
  else {
    const uT = transpose(uHat); // [l', l]
    const lead = { rows: kk, cols: uT.cols, data: uT.data.slice(0, kk * uT.cols) };
    components = matmul(lead, { rows: l, cols: m, data: qT }).data; // [kk, m = d]
  }
  const out: SvdResult = { s: s.slice(0, kk), components, k: kk };
  svdFlip(Xc, out.components, kk);
  return out;
}

/** Standard normals from uniforms in [0, 1) by Box–Muller (pairs: √(−2 ln(1−u₁)) (cos, sin)(2π u₂)). */
export function boxMuller(u: Float64Array, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u[i]));
    const t = 2 * Math.PI * u[i + 1];
    out[i] = r * Math.cos(t);
    if (i + 1 < count) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

/** `count` uniforms in [0, 1) from a fixed seed (mulberry32), for the randomized solver when no key is given. */
export function seededUniforms(count: number, seed = 0x9e3779b9): Float64Array {
  const out = new Float64Array(count);
  let a = seed >>> 0;
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return out;
}
