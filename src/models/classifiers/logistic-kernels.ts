/**
 * The hot loops of logistic regression in float64: the penalised log loss F and its gradient (one
 * pass over the data: logits X·Wᵀ, softmax or sigmoid, then the gradient (P − Y)ᵀ·X, block by block
 * so each block of rows is read from cache the second time), the scores for prediction, and the
 * Hessian for Newton's method.
 * Two back ends compute the same sums: plain TypeScript (register-blocked, 4 rows × 2 classes), and
 * WebAssembly SIMD (f64x2, about 3× faster on the two products: listings in logistic-wasm.ts,
 * assembled by wasm-assembler.ts), used wherever the engine validates it (Node ≥ 16.4, current
 * browsers); otherwise the plain one. Both take e^t from exp-non-positive.ts.
 * F as in logistic-regression.ts: F(θ) = Σᵢ sᵢ ℓᵢ(θ) + (λ/2)‖W‖², ℓ = log loss in nats.
 * References: Bishop, Pattern Recognition and Machine Learning (2006) eqs. 4.91, 4.109–4.110
 * (gradient and Hessian of the softmax log loss); WebAssembly Core Specification 2.0 §5 (binary
 * format) and its fixed-width SIMD instructions.
 */
import type { Matrix } from "../../linalg/matrix.js";
import { expNonPositive } from "./exp-non-positive.js";
import { compiledSimd, type SimdKernels } from "./logistic-wasm.js";

/** e^t for t ≤ 0 within 2 ulp, as both back ends compute it (defined in exp-non-positive.ts). */
export { expNonPositive };

/** The fitting problem in the internal layout: θ = K rows of [w (d), b (if fitIntercept)]. */
export type Problem = {
  /** `[n, d]` row-major features */
  x: Float64Array;
  n: number;
  d: number;
  /** parameters per row: d + 1 with an intercept, else d */
  p: number;
  /** coefficient rows: 1 (sigmoid) or the number of classes (softmax) */
  K: number;
  /** `[n]` class index of each row */
  ids: Int32Array;
  /** `[n]` weight sᵢ of each row */
  sw: Float64Array;
  /** 1 / C, or 0 without a penalty */
  lambda: number;
  fitIntercept: boolean;
};

/** F(θ) in nats; writes ∇F `[K p]` into `grad` and, if given, the probabilities `[n, K]` into `probs`. */
export type LossGrad = (th: Float64Array, grad: Float64Array, probs?: Float64Array | null) => number;

/** Rows per block: a block of X (BLOCK·d doubles) stays in cache between the two products. */
const BLOCK = 256;

// ---------------------------------------------------------------------------------------------
// Plain TypeScript kernels
// ---------------------------------------------------------------------------------------------

/**
 * `Z[r, k] = bias[k] + Σ_j x[i0 + r, j] · W[k, j]` for rows i0..i0+m of `x` `[·, d]` and `W` rows
 * `wStride` apart, in register blocks of 4 rows × 2 classes.
 */
function scoresBlock(
  x: Float64Array,
  d: number,
  W: Float64Array,
  wStride: number,
  bias: Float64Array,
  K: number,
  Z: Float64Array,
  i0: number,
  m: number,
): void {
  let r = 0;
  for (; r + 4 <= m; r += 4) {
    const o0 = (i0 + r) * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    let k = 0;
    for (; k + 2 <= K; k += 2) {
      const w0 = k * wStride;
      const w1 = w0 + wStride;
      let a0 = bias[k];
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      let c0 = bias[k + 1];
      let c1 = c0;
      let c2 = c0;
      let c3 = c0;
      for (let j = 0; j < d; j++) {
        const u = W[w0 + j];
        const v = W[w1 + j];
        const x0 = x[o0 + j];
        const x1 = x[o1 + j];
        const x2 = x[o2 + j];
        const x3 = x[o3 + j];
        a0 += u * x0;
        a1 += u * x1;
        a2 += u * x2;
        a3 += u * x3;
        c0 += v * x0;
        c1 += v * x1;
        c2 += v * x2;
        c3 += v * x3;
      }
      const z = r * K + k;
      Z[z] = a0;
      Z[z + K] = a1;
      Z[z + 2 * K] = a2;
      Z[z + 3 * K] = a3;
      Z[z + 1] = c0;
      Z[z + K + 1] = c1;
      Z[z + 2 * K + 1] = c2;
      Z[z + 3 * K + 1] = c3;
    }
    if (k < K) {
      const w = k * wStride;
      let s0 = bias[k];
      let s1 = s0;
      let s2 = s0;
      let s3 = s0;
      for (let j = 0; j < d; j++) {
        const a = W[w + j];
        s0 += a * x[o0 + j];
        s1 += a * x[o1 + j];
        s2 += a * x[o2 + j];
        s3 += a * x[o3 + j];
      }
      const z = r * K + k;
      Z[z] = s0;
      Z[z + K] = s1;
      Z[z + 2 * K] = s2;
      Z[z + 3 * K] = s3;
    }
  }
  for (; r < m; r++) {
    const o = (i0 + r) * d;
    for (let k = 0; k < K; k++) {
      const w = k * wStride;
      let s = bias[k];
      for (let j = 0; j < d; j++) s += W[w + j] * x[o + j];
      Z[r * K + k] = s;
    }
  }
}

/**
 * `G[k, j] += Σ_r R[r, k] · x[i0 + r, j]` (G rows `gStride` apart) and `gb[k] += Σ_r R[r, k]` (the
 * intercept gradient), in register blocks of 4 rows × 2 classes.
 */
function gradBlock(
  x: Float64Array,
  d: number,
  R: Float64Array,
  K: number,
  i0: number,
  m: number,
  G: Float64Array,
  gStride: number,
  gb: Float64Array,
): void {
  const m4 = m - (m % 4);
  let k = 0;
  for (; k + 2 <= K; k += 2) {
    const g = k * gStride;
    const h = g + gStride;
    let sa = 0;
    let sc = 0;
    for (let r = 0; r < m4; r += 4) {
      const z = r * K + k;
      const a0 = R[z];
      const a1 = R[z + K];
      const a2 = R[z + 2 * K];
      const a3 = R[z + 3 * K];
      const c0 = R[z + 1];
      const c1 = R[z + K + 1];
      const c2 = R[z + 2 * K + 1];
      const c3 = R[z + 3 * K + 1];
      sa += a0 + a1 + a2 + a3;
      sc += c0 + c1 + c2 + c3;
      const o0 = (i0 + r) * d;
      const o1 = o0 + d;
      const o2 = o1 + d;
      const o3 = o2 + d;
      for (let j = 0; j < d; j++) {
        const x0 = x[o0 + j];
        const x1 = x[o1 + j];
        const x2 = x[o2 + j];
        const x3 = x[o3 + j];
        G[g + j] += a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
        G[h + j] += c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3;
      }
    }
    gb[k] += sa;
    gb[k + 1] += sc;
  }
  if (k < K) {
    const g = k * gStride;
    let sa = 0;
    for (let r = 0; r < m4; r += 4) {
      const a0 = R[r * K + k];
      const a1 = R[(r + 1) * K + k];
      const a2 = R[(r + 2) * K + k];
      const a3 = R[(r + 3) * K + k];
      sa += a0 + a1 + a2 + a3;
      const o0 = (i0 + r) * d;
      const o1 = o0 + d;
      const o2 = o1 + d;
      const o3 = o2 + d;
      for (let j = 0; j < d; j++)
        G[g + j] += a0 * x[o0 + j] + a1 * x[o1 + j] + a2 * x[o2 + j] + a3 * x[o3 + j];
    }
    gb[k] += sa;
  }
  for (let r = m4; r < m; r++) {
    const o = (i0 + r) * d;
    for (let k = 0; k < K; k++) {
      const a = R[r * K + k];
      const g = k * gStride;
      gb[k] += a;
      for (let j = 0; j < d; j++) G[g + j] += a * x[o + j];
    }
  }
}

/**
 * The middle of a pass, shared by both back ends: for rows i0..i0+m with logits `Z[zo + r K + k]`
 * (intercepts included), write the weighted residuals sᵢ(P − Y) over them in place, the
 * probabilities into `probs` if given, and return Σ sᵢ ℓᵢ over the rows (Bishop eq. 4.108; softplus
 * form for K = 1).
 */
function residualsBlock(
  pr: Problem,
  Z: Float64Array,
  zo: number,
  i0: number,
  m: number,
  probs: Float64Array | null | undefined,
): number {
  const { K, ids, sw } = pr;
  let loss = 0;
  if (K === 1) {
    for (let r = 0; r < m; r++) {
      const z = Z[zo + r];
      const y = ids[i0 + r];
      const s = sw[i0 + r];
      const e = expNonPositive(-Math.abs(z));
      // ℓ = softplus(z) − y z = log(1 + e^{−|z|}) + max(z, 0) − y z
      loss += s * (Math.log1p(e) + Math.max(z, 0) - y * z);
      const q = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      if (probs) probs[i0 + r] = q;
      Z[zo + r] = s * (q - y);
    }
    return loss;
  }
  for (let r = 0; r < m; r++) {
    const o = zo + r * K;
    const y = ids[i0 + r];
    const s = sw[i0 + r];
    // 1. the largest logit, whose exponential is 1
    let top = 0;
    for (let k = 1; k < K; k++) if (Z[o + k] > Z[o + top]) top = k;
    const max = Z[o + top];
    const zy = Z[o + y];
    // 2. the other exponentials, shifted by the maximum (no overflow); ℓ = log Σₖ e^(zₖ − max) + max − z_y
    let se = 1;
    for (let k = 0; k < K; k++) {
      const e = k === top ? 1 : expNonPositive(Z[o + k] - max);
      Z[o + k] = e;
      se += k === top ? 0 : e;
    }
    loss += s * (Math.log(se) + max - zy);
    // 3. weighted residuals s (p − onehot(y))
    const inv = 1 / se;
    if (probs) for (let k = 0; k < K; k++) probs[(i0 + r) * K + k] = Z[o + k] * inv;
    const sInv = s * inv;
    for (let k = 0; k < K; k++) Z[o + k] *= sInv;
    Z[o + y] -= s;
  }
  return loss;
}

/** Add the penalty (λ/2)‖W‖² to F and λW to ∇F; return the new F. */
function addPenalty(pr: Problem, th: Float64Array, grad: Float64Array, loss: number): number {
  const { d, p, K, lambda } = pr;
  if (!(lambda > 0)) return loss;
  let pen = 0;
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < d; j++) {
      const w = th[k * p + j];
      pen += w * w;
      grad[k * p + j] += lambda * w;
    }
  }
  return loss + 0.5 * lambda * pen;
}

/** F(θ) and ∇F in plain TypeScript (the reference back end; see {@link LossGrad}). */
export function lossGradPlain(
  pr: Problem,
  th: Float64Array,
  grad: Float64Array,
  probs: Float64Array | null = null,
): number {
  const { x, n, d, p, K, fitIntercept } = pr;
  grad.fill(0);
  const Z = new Float64Array(BLOCK * K);
  const b = new Float64Array(K);
  const gb = new Float64Array(K);
  if (fitIntercept) for (let k = 0; k < K; k++) b[k] = th[k * p + d];
  let loss = 0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const m = Math.min(BLOCK, n - i0);
    scoresBlock(x, d, th, p, b, K, Z, i0, m);
    loss += residualsBlock(pr, Z, 0, i0, m, probs);
    gradBlock(x, d, Z, K, i0, m, grad, p, gb);
  }
  if (fitIntercept) for (let k = 0; k < K; k++) grad[k * p + d] = gb[k];
  return addPenalty(pr, th, grad, loss);
}

/** Scores `X·coefᵀ + intercept` `[n, K]` for `X` `[n, d]`, `coef` `[K, d]` (decision function). */
export function linearScores(X: Matrix, coef: Matrix, intercept: Float64Array): Float64Array {
  const { rows: n, cols: d, data: x } = X;
  const K = coef.rows;
  const out = new Float64Array(n * K);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const m = Math.min(BLOCK, n - i0);
    scoresBlock(x, d, coef.data, d, intercept, K, out.subarray(i0 * K, (i0 + m) * K), i0, m);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// WebAssembly SIMD back end: memory layout and the pass over the blocks (kernels in logistic-wasm.ts)
// ---------------------------------------------------------------------------------------------

/** Largest wasm memory we ask for (bytes); bigger problems use the plain back end. */
const MAX_WASM_BYTES = 2 ** 31;

/**
 * F and ∇F with the SIMD kernels. X is copied once into wasm memory as rows [x, 1 (with an
 * intercept), zeros to an even length], so θ's rows [w, b] are the weight rows as they stand and the
 * products give the intercepts' logits and gradient too; the row count is padded to a multiple of 4
 * with zero rows, which add nothing to the sums. Returns null where the module or the memory is
 * unavailable.
 */
function simdLossGrad(pr: Problem): LossGrad | null {
  const mod = compiledSimd();
  if (mod === null) return null;
  const { x, n, d, p, K, ids, sw } = pr;
  // 1. layout (in doubles): X [n4, dp] | W [K, dp] | G [K, dp] | R [BLOCK, K] | sw [n4] | Σe [BLOCK] |
  //    ids [n4] (int32); padding rows have x = 0, weight 0, class 0
  const dp = p + (p % 2);
  const n4 = n + ((4 - (n % 4)) % 4);
  const xAt = 0;
  const wAt = n4 * dp;
  const gAt = wAt + K * dp;
  const rAt = gAt + K * dp;
  const swAt = rAt + BLOCK * K;
  const seAt = swAt + n4;
  const idsAt = 2 * (seAt + BLOCK);
  const bytes = 4 * (idsAt + n4);
  if (bytes > MAX_WASM_BYTES) return null;
  let heap: Float64Array;
  let heapI32: Int32Array;
  let kernels: SimdKernels;
  try {
    const mem = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
    kernels = new WebAssembly.Instance(mod, { env: { mem } }).exports as typeof kernels;
    heap = new Float64Array(mem.buffer);
    heapI32 = new Int32Array(mem.buffer);
  } catch {
    return null;
  }
  const { scores, grad, softmax } = kernels;
  for (let i = 0; i < n; i++) {
    const o = xAt + i * dp;
    for (let j = 0; j < d; j++) heap[o + j] = x[i * d + j];
    if (p > d) heap[o + d] = 1;
  }
  heap.set(sw, swAt);
  // with equal weights (no class weights), Σ s log Σe = s log Π Σe: one log per ~1e280 of product
  const s0 = sw[0];
  const equalWeights = sw.every((v) => v === s0);
  heapI32.set(ids, idsAt);
  const rowBytes = dp * 8;
  return (th, g, probs = null) => {
    // 2. θ's rows into W; the gradient accumulator G cleared
    for (let k = 0; k < K; k++) heap.set(th.subarray(k * p, (k + 1) * p), wAt + k * dp);
    heap.fill(0, gAt, gAt + K * dp);
    // 3. per block of rows: logits, residuals (softmax in wasm; the logs, the sigmoid and the
    //    probabilities for Newton in TS), gradient
    let loss = 0;
    for (let i0 = 0; i0 < n; i0 += BLOCK) {
      const m = Math.min(BLOCK, n - i0);
      const m4 = m + ((4 - (m % 4)) % 4);
      const xBlock = (xAt + i0 * dp) * 8;
      scores(xBlock, rAt * 8, wAt * 8, m4, rowBytes, K);
      if (K === 1 || probs) {
        loss += residualsBlock(pr, heap, rAt, i0, m, probs);
      } else {
        loss += softmax(rAt * 8, (idsAt + i0) * 4, (swAt + i0) * 8, seAt * 8, m4, K);
        if (equalWeights) {
          let product = 1;
          for (let r = 0; r < m; r++) {
            product *= heap[seAt + r];
            if (product > 1e280) {
              loss += s0 * Math.log(product);
              product = 1;
            }
          }
          loss += s0 * Math.log(product);
        } else {
          for (let r = 0; r < m; r++) loss += sw[i0 + r] * Math.log(heap[seAt + r]);
        }
      }
      grad(xBlock, rAt * 8, gAt * 8, m4, rowBytes, K);
    }
    // 4. the gradient out of G, plus the penalty
    for (let k = 0; k < K; k++) g.set(heap.subarray(gAt + k * dp, gAt + k * dp + p), k * p);
    return addPenalty(pr, th, g, loss);
  };
}

/**
 * An evaluator of F and ∇F for `pr`: "simd" (WebAssembly, falling back to plain where unavailable),
 * "plain", or "auto" (= "simd"). Also returns which back end it chose.
 */
export function lossGradFor(
  pr: Problem,
  backend: "auto" | "simd" | "plain" = "auto",
): { lossGrad: LossGrad; backend: "simd" | "plain" } {
  const simd = backend === "plain" ? null : simdLossGrad(pr);
  if (simd !== null) return { lossGrad: simd, backend: "simd" };
  return { lossGrad: (th, g, probs = null) => lossGradPlain(pr, th, g, probs), backend: "plain" };
}

// ---------------------------------------------------------------------------------------------
// Newton's method: the exact Hessian
// ---------------------------------------------------------------------------------------------

/** `H += X̃ᵀ diag(a) X̃` into the `[p, p]` block at (k·p, l·p) of the `[K p, K p]` matrix `H`. */
function addWeightedGram(pr: Problem, a: Float64Array, H: Float64Array, k: number, l: number): void {
  const { x, n, d, p, K, fitIntercept } = pr;
  const B = new Float64Array(p * p);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const r0 = i * d;
    const r1 = r0 + d;
    const a0 = a[i];
    const a1 = a[i + 1];
    for (let j = 0; j < d; j++) {
      const v0 = a0 * x[r0 + j];
      const v1 = a1 * x[r1 + j];
      const bj = j * p;
      for (let c = j; c < d; c++) B[bj + c] += v0 * x[r0 + c] + v1 * x[r1 + c];
      if (fitIntercept) B[bj + d] += v0 + v1;
    }
    if (fitIntercept) B[d * p + d] += a0 + a1;
  }
  for (; i < n; i++) {
    const r0 = i * d;
    const a0 = a[i];
    for (let j = 0; j < d; j++) {
      const v0 = a0 * x[r0 + j];
      const bj = j * p;
      for (let c = j; c < d; c++) B[bj + c] += v0 * x[r0 + c];
      if (fitIntercept) B[bj + d] += v0;
    }
    if (fitIntercept) B[d * p + d] += a0;
  }
  const P = K * p;
  for (let j = 0; j < p; j++) {
    for (let c = 0; c < p; c++) {
      const v = j <= c ? B[j * p + c] : B[c * p + j];
      H[(k * p + j) * P + l * p + c] += v;
      if (k !== l) H[(l * p + j) * P + k * p + c] += v;
    }
  }
}

/**
 * The Hessian of F `[K p, K p]` from the probabilities `[n, K]` (Bishop eq. 4.110 weighted by sᵢ),
 * plus λ on the coefficient diagonal. For the softmax, also adds μ·uuᵀ for each shift direction u
 * (the same column in every class): H u = λu there and the gradient is orthogonal to u, so the
 * Newton step is unchanged while the loss part's null space is removed.
 */
export function hessian(pr: Problem, probs: Float64Array): Float64Array {
  const { n, d, p, K, sw, lambda } = pr;
  const P = K * p;
  const H = new Float64Array(P * P);
  const a = new Float64Array(n);
  if (K === 1) {
    for (let i = 0; i < n; i++) a[i] = sw[i] * probs[i] * (1 - probs[i]);
    addWeightedGram(pr, a, H, 0, 0);
  } else {
    for (let k = 0; k < K; k++) {
      for (let l = k; l < K; l++) {
        for (let i = 0; i < n; i++) {
          const pk = probs[i * K + k];
          a[i] = sw[i] * (k === l ? pk * (1 - pk) : -pk * probs[i * K + l]);
        }
        addWeightedGram(pr, a, H, k, l);
      }
    }
  }
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) H[(k * p + j) * P + k * p + j] += lambda;
  if (K > 1) {
    let tr = 0;
    for (let i = 0; i < P; i++) tr += H[i * P + i];
    const mu = tr / P / K;
    for (let j = 0; j < p; j++)
      for (let k = 0; k < K; k++) for (let l = 0; l < K; l++) H[(k * p + j) * P + l * p + j] += mu;
  }
  return H;
}
