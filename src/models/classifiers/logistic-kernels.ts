/**
 * The hot loops of logistic regression in float64: the penalised log loss F and its gradient (one
 * pass over the data: logits X·Wᵀ, softmax or sigmoid, then the gradient (P − Y)ᵀ·X, block by block
 * so each block of rows is read from cache the second time), the scores for prediction, and the
 * Hessian for Newton's method.
 * Two back ends compute the same sums: plain TypeScript (register-blocked, 4 rows × 2 classes), and
 * WebAssembly SIMD (f64x2, about 3× faster on the two products) emitted below as a few hundred bytes
 * and used wherever the engine validates it (Node ≥ 16.4, current browsers); otherwise the plain one.
 * F as in logistic-regression.ts: F(θ) = Σᵢ sᵢ ℓᵢ(θ) + (λ/2)‖W‖², ℓ = log loss in nats.
 * References: Bishop, Pattern Recognition and Machine Learning (2006) eqs. 4.91, 4.109–4.110
 * (gradient and Hessian of the softmax log loss); WebAssembly Core Specification 2.0 §5 (binary
 * format) and its fixed-width SIMD instructions.
 */
import type { Matrix } from "./matrix.js";

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

/** 2^k for integers k in [−1100, 1099] (0 below 2^−1074), index k + 1100. */
const POW2 = Float64Array.from({ length: 2200 }, (_, i) => 2 ** (i - 1100));
const ROUND = 6755399441055744; // 1.5·2^52: (t + ROUND) − ROUND rounds t to an integer
const LN2_HI = 0.6931471803691238; // ln 2 = LN2_HI + LN2_LO (fdlibm), LN2_HI with 21 trailing zero bits (k·LN2_HI is exact)
const LN2_LO = 1.9082149292705877e-10;
// 1/j!, j = 2..13, as constants: a division per coefficient would cost more than the exp
const C2 = 1 / 2;
const C3 = 1 / 6;
const C4 = 1 / 24;
const C5 = 1 / 120;
const C6 = 1 / 720;
const C7 = 1 / 5040;
const C8 = 1 / 40320;
const C9 = 1 / 362880;
const C10 = 1 / 3628800;
const C11 = 1 / 39916800;
const C12 = 1 / 479001600;
const C13 = 1 / 6227020800;

/**
 * e^t for t ≤ 0 within 2 ulp (about 25% faster than Math.exp here): t = k ln2 + u with |u| ≤ ln2/2
 * (Cody–Waite, ln2 split as in fdlibm's e_exp.c), e^u by its Taylor polynomial of degree 13
 * (truncation < 4e-18, evaluated by Estrin's scheme), times 2^k from a table. NaN gives NaN.
 */
export function expNonPositive(t: number): number {
  if (t < -745.2) return 0;
  const k = t * Math.LOG2E + ROUND - ROUND;
  const u = t - k * LN2_HI - k * LN2_LO;
  const u2 = u * u;
  const u4 = u2 * u2;
  const lo = 1 + u + u2 * (C2 + u * C3) + u4 * (C4 + u * C5 + u2 * (C6 + u * C7));
  const hi = C8 + u * C9 + u2 * (C10 + u * C11) + u4 * (C12 + u * C13);
  return POW2[(k | 0) + 1100] * (lo + u4 * u4 * hi);
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
// WebAssembly SIMD kernels
// ---------------------------------------------------------------------------------------------

/** Unsigned LEB128 (WebAssembly Core Spec §5.2.2). */
function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(byte & 0x40)) || (v === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** The instructions the kernels use (Core Spec §5.4; memory arguments: alignment 2³, offset 0). */
const wasm = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  mul: [0x6c],
  gtS: [0x4a],
  geS: [0x4e],
  f64Load: [0x2b, 3, 0],
  f64Store: [0x39, 3, 0],
  f64Add: [0xa0],
  v128Load: [0xfd, ...uleb(0), 3, 0],
  v128Store: [0xfd, ...uleb(11), 3, 0],
  f64x2Splat: [0xfd, ...uleb(20)],
  f64x2Lane: (l: number) => [0xfd, ...uleb(33), l],
  f64x2Add: [0xfd, ...uleb(240)],
  f64x2Mul: [0xfd, ...uleb(242)],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  f64Const: (v: number) => [0x44, ...new Uint8Array(new Float64Array([v]).buffer)],
  i32Load: [0x28, 2, 0],
  /** both lanes `v` */
  f64x2Const: (v: number) => [0xfd, ...uleb(12), ...new Uint8Array(new Float64Array([v, v]).buffer)],
  f64x2Replace: (l: number) => [0xfd, ...uleb(34), l],
  f64x2Sub: [0xfd, ...uleb(241)],
  f64x2Div: [0xfd, ...uleb(243)],
  f64x2Max: [0xfd, ...uleb(245)],
  f64x2Ge: [0xfd, ...uleb(76)],
  v128And: [0xfd, ...uleb(78)],
  i64x2Shl: [0xfd, ...uleb(203)],
  i64x2Add: [0xfd, ...uleb(206)],
  /** `while (!exit) { body }`: `exit` leaves an i32 condition on the stack */
  loop: (exit: number[], body: number[]) => [
    0x02,
    0x40,
    0x03,
    0x40,
    ...exit,
    0x0d,
    1,
    ...body,
    0x0c,
    0,
    0x0b,
    0x0b,
  ],
  /** `if (cond) { body }` */
  when: (cond: number[], body: number[]) => [...cond, 0x04, 0x40, ...body, 0x0b],
};

const I32 = 0x7f;
const V128 = 0x7b;

/** Parameters of both kernels (i32 byte addresses and counts). */
const ARG = { x: 0, r: 1, w: 2, rows: 3, rowBytes: 4, K: 5 };
/** i32 locals: row q, class k, byte column j, row pointers x₀..x₃, class-row pointers c₀, c₁. */
const L = { q: 6, k: 7, j: 8, xr: 9, cr: 13 };
const N_I32 = 9;
/** v128 locals: acc/coefficients (8), x values (4), weights/gradient (2) */
const V = { a: 15, xv: 23, wv: 27 };
const N_V128 = 14;

/** `local = base + (index + extra) · scale` for an i32 local. */
function address(local: number, base: number, index: number[], extra: number, scale: number[]): number[] {
  const { get, set, i32, add, mul } = wasm;
  return [...get(base), ...index, ...i32(extra), ...add, ...scale, ...mul, ...add, ...set(local)];
}

/** `f64` address of `R[q + r, k + c]` = r + (q + r)·K·8 + (k + c)·8 on the stack. */
function residualAddress(r: number, c: number): number[] {
  const { get, i32, add, mul } = wasm;
  return [
    ...get(ARG.r),
    ...get(L.q),
    ...i32(r),
    ...add,
    ...get(ARG.K),
    ...mul,
    ...get(L.k),
    ...add,
    ...i32(c),
    ...add,
    ...i32(8),
    ...mul,
    ...add,
  ];
}

/** Row pointers x_r = x + (q + r)·rowBytes, and class-row pointers c_c = w + (k + c)·rowBytes. */
function pointers(nc: number): number[] {
  const { get } = wasm;
  const out: number[] = [];
  for (let r = 0; r < 4; r++) out.push(...address(L.xr + r, ARG.x, get(L.q), r, get(ARG.rowBytes)));
  for (let c = 0; c < nc; c++) out.push(...address(L.cr + c, ARG.w, get(L.k), c, get(ARG.rowBytes)));
  return out;
}

/** `while (j < rowBytes) { body; j += 16 }` */
function columnLoop(body: number[]): number[] {
  const { get, set, i32, add, geS, loop } = wasm;
  return [
    ...i32(0),
    ...set(L.j),
    ...loop(
      [...get(L.j), ...get(ARG.rowBytes), ...geS],
      [...body, ...get(L.j), ...i32(16), ...add, ...set(L.j)],
    ),
  ];
}

/** `v128.load(pointer + j)` */
function loadAt(pointer: number): number[] {
  return [...wasm.get(pointer), ...wasm.get(L.j), ...wasm.add, ...wasm.v128Load];
}

/**
 * Scores for 4 rows × `nc` classes: `R[q + r, k + c] = Σ_j x[q + r, j] w[k + c, j]`, two columns per
 * f64x2 accumulator, the two lanes added at the end.
 */
function scoresTile(nc: number): number[] {
  const { get, set, f64x2Splat, f64x2Add, f64x2Mul, f64x2Lane, f64Add, f64Store } = wasm;
  const zero = [0x44, 0, 0, 0, 0, 0, 0, 0, 0, ...f64x2Splat];
  const out = pointers(nc);
  for (let i = 0; i < 4 * nc; i++) out.push(...zero, ...set(V.a + i));
  const body: number[] = [];
  for (let r = 0; r < 4; r++) body.push(...loadAt(L.xr + r), ...set(V.xv + r));
  for (let c = 0; c < nc; c++) body.push(...loadAt(L.cr + c), ...set(V.wv + c));
  for (let c = 0; c < nc; c++)
    for (let r = 0; r < 4; r++)
      body.push(
        ...get(V.a + 4 * c + r),
        ...get(V.xv + r),
        ...get(V.wv + c),
        ...f64x2Mul,
        ...f64x2Add,
        ...set(V.a + 4 * c + r),
      );
  out.push(...columnLoop(body));
  for (let c = 0; c < nc; c++)
    for (let r = 0; r < 4; r++) {
      const acc = get(V.a + 4 * c + r);
      out.push(
        ...residualAddress(r, c),
        ...acc,
        ...f64x2Lane(0),
        ...acc,
        ...f64x2Lane(1),
        ...f64Add,
        ...f64Store,
      );
    }
  return out;
}

/** Gradient for 4 rows × `nc` classes: `G[k + c, j] += Σ_r R[q + r, k + c] x[q + r, j]`. */
function gradTile(nc: number): number[] {
  const { get, set, f64Load, f64x2Splat, f64x2Add, f64x2Mul, v128Store } = wasm;
  const out = pointers(nc);
  for (let c = 0; c < nc; c++)
    for (let r = 0; r < 4; r++)
      out.push(...residualAddress(r, c), ...f64Load, ...f64x2Splat, ...set(V.a + 4 * c + r));
  const body: number[] = [];
  for (let r = 0; r < 4; r++) body.push(...loadAt(L.xr + r), ...set(V.xv + r));
  for (let c = 0; c < nc; c++) {
    const term = (r: number) => [...get(V.a + 4 * c + r), ...get(V.xv + r), ...f64x2Mul];
    // address for the store, then g + ((a₀x₀ + a₁x₁) + (a₂x₂ + a₃x₃))
    body.push(...get(L.cr + c), ...get(L.j), ...wasm.add, ...loadAt(L.cr + c));
    body.push(
      ...term(0),
      ...term(1),
      ...f64x2Add,
      ...term(2),
      ...term(3),
      ...f64x2Add,
      ...f64x2Add,
      ...f64x2Add,
    );
    body.push(...v128Store);
  }
  out.push(...columnLoop(body));
  return out;
}

/** A kernel over rows in steps of 4 and classes in pairs, then the last class if K is odd. */
function kernel(tile: (nc: number) => number[]): number[] {
  const { get, set, i32, add, gtS, geS, loop, when } = wasm;
  const classes = [
    ...i32(0),
    ...set(L.k),
    ...loop(
      [...get(L.k), ...i32(2), ...add, ...get(ARG.K), ...gtS],
      [...tile(2), ...get(L.k), ...i32(2), ...add, ...set(L.k)],
    ),
    ...when([...get(ARG.K), ...get(L.k), ...gtS], tile(1)),
  ];
  const body = [
    ...i32(0),
    ...set(L.q),
    ...loop(
      [...get(L.q), ...get(ARG.rows), ...geS],
      [...classes, ...get(L.q), ...i32(4), ...add, ...set(L.q)],
    ),
    0x0b,
  ];
  const locals = [...uleb(2), ...uleb(N_I32), I32, ...uleb(N_V128), V128];
  return [...uleb(locals.length + body.length), ...locals, ...body];
}

/** Parameters and locals of the softmax kernel (i32, then f64 `acc`, then v128). */
const S = { z: 0, ys: 1, ws: 2, se: 3, rows: 4, K: 5, r: 6, k: 7, p0: 8, p1: 9, acc: 10, mx: 11, sum: 12 };
const SV = { t: 13, kf: 14, u: 15, u2: 16, u4: 17 };

/** e^t on both lanes of local `SV.t` (t ≤ 0): {@link expNonPositive} in f64x2, 0 below t = −708. */
function expLanes(): number[] {
  const {
    get,
    i32,
    f64x2Const: c,
    f64x2Add,
    f64x2Sub,
    f64x2Mul,
    f64x2Ge,
    v128And,
    i64x2Shl,
    i64x2Add,
  } = wasm;
  const add = (a: number[], b: number[]) => [...a, ...b, ...f64x2Add];
  const sub = (a: number[], b: number[]) => [...a, ...b, ...f64x2Sub];
  const mul = (a: number[], b: number[]) => [...a, ...b, ...f64x2Mul];
  const [t, kf, u, u2, u4] = [get(SV.t), get(SV.kf), get(SV.u), get(SV.u2), get(SV.u4)];
  const lo = add(
    add(add(c(1), u), mul(u2, add(c(C2), mul(u, c(C3))))),
    mul(u4, add(add(c(C4), mul(u, c(C5))), mul(u2, add(c(C6), mul(u, c(C7)))))),
  );
  const hi = add(
    add(add(c(C8), mul(u, c(C9))), mul(u2, add(c(C10), mul(u, c(C11))))),
    mul(u4, add(c(C12), mul(u, c(C13)))),
  );
  return [
    // 1. k = round(t / ln2) (as a double), u = t − k ln2
    ...sub(add(mul(t, c(Math.LOG2E)), c(ROUND)), c(ROUND)),
    ...wasm.set(SV.kf),
    ...sub(sub(t, mul(kf, c(LN2_HI))), mul(kf, c(LN2_LO))),
    ...wasm.set(SV.u),
    ...mul(u, u),
    ...wasm.set(SV.u2),
    ...mul(u2, u2),
    ...wasm.set(SV.u4),
    // 2. e^u · 2^k: k added to the exponent bits (kf + ROUND holds k in its low bits)
    ...add(lo, mul(mul(u4, u4), hi)),
    ...add(kf, c(ROUND)),
    ...i32(52),
    ...i64x2Shl,
    ...i64x2Add,
    // 3. zero where t < −708 (the shifted exponent would leave the normal range)
    ...t,
    ...c(-708),
    ...f64x2Ge,
    ...v128And,
  ];
}

/**
 * `softmax(z, ys, ws, se, rows, K) -> Σ s (max − z_y)`: for pairs of rows of the logits `z` `[rows, K]`
 * (one row per f64x2 lane), overwrite the logits with the weighted residuals s (p − onehot(y)) and
 * write Σₖ e^(zₖ − max) to `se[r]` (`ys` i32 classes, `ws` f64 weights; rows even).
 */
function softmaxKernel(): number[] {
  const { get, set, i32, add, mul, geS, loop, f64Load, f64Store, f64Sub, f64Mul, f64Add, f64Const } = wasm;
  const { i32Load, f64x2Splat, f64x2Replace, f64x2Lane, f64x2Sub, f64x2Max, f64x2Add, f64x2Div } = wasm;
  const { f64x2Mul, v128Load, v128Store } = wasm;
  const at = (base: number, index: number[], size: number) => [
    ...get(base),
    ...index,
    ...i32(size),
    ...mul,
    ...add,
  ];
  const rowPtr = (i: number) => (i === 0 ? S.p0 : S.p1);
  const rowIndex = (i: number) => [...get(S.r), ...i32(i), ...add];
  /** logit k of both rows as one f64x2 */
  const pair = [
    ...at(S.p0, get(S.k), 8),
    ...f64Load,
    ...f64x2Splat,
    ...at(S.p1, get(S.k), 8),
    ...f64Load,
    ...f64x2Replace(1),
  ];
  /** store the f64x2 in local `v` back to column k of both rows */
  const storePair = (v: number) => [
    ...at(S.p0, get(S.k), 8),
    ...get(v),
    ...f64x2Lane(0),
    ...f64Store,
    ...at(S.p1, get(S.k), 8),
    ...get(v),
    ...f64x2Lane(1),
    ...f64Store,
  ];
  const forClasses = (from: number, body: number[]) => [
    ...i32(from),
    ...set(S.k),
    ...loop([...get(S.k), ...get(S.K), ...geS], [...body, ...get(S.k), ...i32(1), ...add, ...set(S.k)]),
  ];
  const weight = (i: number) => [...at(S.ws, rowIndex(i), 8), ...f64Load];
  const yAddress = (i: number) => at(rowPtr(i), [...at(S.ys, rowIndex(i), 4), ...i32Load], 8);
  const row = [
    ...at(S.z, [...get(S.r), ...get(S.K), ...mul], 8),
    ...set(S.p0),
    ...at(S.p0, get(S.K), 8),
    ...set(S.p1),
    // 1. the maxima of the two rows
    ...i32(0),
    ...set(S.k),
    ...pair,
    ...set(S.mx),
    ...forClasses(1, [...get(S.mx), ...pair, ...f64x2Max, ...set(S.mx)]),
    // 2. acc += s (max − z_y) for each row
    ...[0, 1].flatMap((i) => [
      ...get(S.acc),
      ...weight(i),
      ...get(S.mx),
      ...f64x2Lane(i),
      ...yAddress(i),
      ...f64Load,
      ...f64Sub,
      ...f64Mul,
      ...f64Add,
      ...set(S.acc),
    ]),
    // 3. exponentials in place and their sums
    ...wasm.f64x2Const(0),
    ...set(S.sum),
    ...forClasses(0, [
      ...pair,
      ...get(S.mx),
      ...f64x2Sub,
      ...set(SV.t),
      ...expLanes(),
      ...set(SV.t),
      ...storePair(SV.t),
      ...get(S.sum),
      ...get(SV.t),
      ...f64x2Add,
      ...set(S.sum),
    ]),
    ...at(S.se, get(S.r), 8),
    ...get(S.sum),
    ...v128Store,
    // 4. residuals s e / Σe, then − s in column y
    ...at(S.ws, get(S.r), 8),
    ...v128Load,
    ...get(S.sum),
    ...f64x2Div,
    ...set(S.sum),
    ...forClasses(0, [...pair, ...get(S.sum), ...f64x2Mul, ...set(SV.t), ...storePair(SV.t)]),
    ...[0, 1].flatMap((i) => [
      ...yAddress(i),
      ...yAddress(i),
      ...f64Load,
      ...weight(i),
      ...f64Sub,
      ...f64Store,
    ]),
  ];
  const body = [
    ...f64Const(0),
    ...set(S.acc),
    ...i32(0),
    ...set(S.r),
    ...loop([...get(S.r), ...get(S.rows), ...geS], [...row, ...get(S.r), ...i32(2), ...add, ...set(S.r)]),
    ...get(S.acc),
    0x0b,
  ];
  const locals = [...uleb(3), ...uleb(4), I32, ...uleb(1), 0x7c, ...uleb(7), V128];
  return [...uleb(locals.length + body.length), ...locals, ...body];
}

/**
 * The module: imports memory `env.mem`, exports `scores(x, r, w, rows, rowBytes, K)`,
 * `grad(x, r, g, rows, rowBytes, K)` (byte addresses; rows a multiple of 4, rowBytes of 16) and
 * `softmax(z, ys, ws, se, rows, K)`.
 */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
  const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
  const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
  const sixI32 = [0x60, ...uleb(6), ...new Array(6).fill(I32)];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(
      1,
      vec([
        [...sixI32, 0],
        [...sixI32, 1, 0x7c],
      ]),
    ),
    ...section(2, vec([[...name("env"), ...name("mem"), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0], [0], [1]])),
    ...section(
      7,
      vec([
        [...name("scores"), 0, 0],
        [...name("grad"), 0, 1],
        [...name("softmax"), 0, 2],
      ]),
    ),
    ...section(10, vec([kernel(scoresTile), kernel(gradTile), softmaxKernel()])),
  ]);
}

let simdModule: WebAssembly.Module | null | undefined;

/** The compiled SIMD module, or null where WebAssembly SIMD is unavailable (compiled once). */
function compiledSimd(): WebAssembly.Module | null {
  if (simdModule === undefined) {
    try {
      simdModule = typeof WebAssembly === "object" ? new WebAssembly.Module(moduleBytes()) : null;
    } catch {
      simdModule = null;
    }
  }
  return simdModule;
}

type Kernel = (x: number, r: number, w: number, rows: number, rowBytes: number, K: number) => void;

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
  let kernels: { scores: Kernel; grad: Kernel; softmax: (...a: number[]) => number };
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
    heap.set(x.subarray(i * d, (i + 1) * d), xAt + i * dp);
    if (p > d) heap[xAt + i * dp + d] = 1;
  }
  heap.set(sw, swAt);
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
        for (let r = 0; r < m; r++) loss += sw[i0 + r] * Math.log(heap[seAt + r]);
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
