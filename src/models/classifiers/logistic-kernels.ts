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
import type { Matrix } from "../../linalg/matrix.js";

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
// WebAssembly SIMD kernels: listings in the text format's instruction syntax, assembled below
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

const f64Bytes = (v: number) => Array.from(new Uint8Array(new Float64Array([v]).buffer));

/** Opcodes of the instructions the kernels use (Core Spec §5.4; SIMD: 0xfd then a LEB128 index). */
const OPCODES: Record<string, number[]> = {
  block: [0x02],
  loop: [0x03],
  if: [0x04],
  end: [0x0b],
  br: [0x0c],
  br_if: [0x0d],
  "local.get": [0x20],
  "local.set": [0x21],
  "i32.load": [0x28],
  "f64.load": [0x2b],
  "f64.store": [0x39],
  "i32.const": [0x41],
  "f64.const": [0x44],
  "i32.gt_s": [0x4a],
  "i32.ge_s": [0x4e],
  "i32.add": [0x6a],
  "i32.mul": [0x6c],
  "f64.add": [0xa0],
  "f64.sub": [0xa1],
  "f64.mul": [0xa2],
  "v128.load": [0xfd, ...uleb(0)],
  "v128.store": [0xfd, ...uleb(11)],
  "v128.const": [0xfd, ...uleb(12)],
  "f64x2.splat": [0xfd, ...uleb(20)],
  "f64x2.extract_lane": [0xfd, ...uleb(33)],
  "f64x2.replace_lane": [0xfd, ...uleb(34)],
  "f64x2.ge": [0xfd, ...uleb(76)],
  "v128.and": [0xfd, ...uleb(78)],
  "i64x2.shl": [0xfd, ...uleb(203)],
  "i64x2.add": [0xfd, ...uleb(206)],
  "f64x2.add": [0xfd, ...uleb(240)],
  "f64x2.sub": [0xfd, ...uleb(241)],
  "f64x2.mul": [0xfd, ...uleb(242)],
  "f64x2.div": [0xfd, ...uleb(243)],
  "f64x2.max": [0xfd, ...uleb(245)],
};

const TYPES = { i32: 0x7f, f64: 0x7c, v128: 0x7b };

/** A function: i32 parameters, an optional f64 result, typed locals, and its instructions. */
type WasmFunction = {
  params: string[];
  result?: "f64";
  locals: [keyof typeof TYPES, string[]][];
  body: string;
};

/**
 * Assemble a function body from linear text-format instructions (`;;` comments; `$name` locals;
 * `f64x2.const v` = `v128.const f64x2 v v`); memory accesses use offset 0, natural alignment ≤ 8.
 */
function assemble(fn: WasmFunction): { type: number[]; code: number[] } {
  const index = new Map<string, number>();
  for (const name of [...fn.params, ...fn.locals.flatMap(([, names]) => names)]) index.set(name, index.size);
  const tokens = fn.body
    .replace(/;;[^\n]*/g, " ")
    .split(/\s+/)
    .filter(Boolean);
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const name = tokens[i] === "f64x2.const" ? "v128.const" : tokens[i];
    const op = OPCODES[name];
    if (op === undefined) throw new Error(`assemble: unknown instruction ${tokens[i]}`);
    out.push(...op);
    if (name === "block" || name === "loop" || name === "if") out.push(0x40);
    else if (name === "br" || name === "br_if") out.push(...uleb(Number(tokens[++i])));
    else if (name.startsWith("local.")) {
      const local = index.get(tokens[++i].slice(1));
      if (local === undefined) throw new Error(`assemble: unknown local ${tokens[i]}`);
      out.push(...uleb(local));
    } else if (name === "i32.const") out.push(...sleb(Number(tokens[++i])));
    else if (name === "f64.const") out.push(...f64Bytes(Number(tokens[++i])));
    else if (name === "v128.const")
      out.push(...f64Bytes(Number(tokens[++i])), ...f64Bytes(Number(tokens[i])));
    else if (name.endsWith("load") || name.endsWith("store")) out.push(name === "i32.load" ? 2 : 3, 0);
    else if (name.endsWith("_lane")) out.push(Number(tokens[++i]));
  }
  out.push(0x0b);
  const locals = [
    ...uleb(fn.locals.length),
    ...fn.locals.flatMap(([t, names]) => [...uleb(names.length), TYPES[t]]),
  ];
  const type = [0x60, ...uleb(fn.params.length), ...fn.params.map(() => TYPES.i32)];
  type.push(...(fn.result ? [1, TYPES[fn.result]] : [0]));
  return { type, code: [...uleb(locals.length + out.length), ...locals, ...out] };
}

/** `init; while (!(exit)) { body; next }` */
const loop = (init: string, exit: string, body: string, next: string) =>
  `${init}\nblock loop ${exit} br_if 1\n${body}\n${next} br 0 end end`;
const each = (n: number, line: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => line(i)).join("\n");
/** One line per cell (row r of 4, class c of nc) of a tile. */
const cells = (nc: number, line: (r: number, c: number) => string) =>
  each(4 * nc, (i) => line(i % 4, i >> 2));

/**
 * Both product kernels walk rows in steps of 4 (`q`) and classes in pairs (`k`), then the last class
 * when K is odd; a tile is 4 rows × `nc` classes. Addresses are bytes; rows of X, W and G are
 * `rowBytes` apart (a multiple of 16: two columns per f64x2); R is `[rows, K]`.
 */
const PRODUCT_LOCALS: WasmFunction["locals"] = [
  ["i32", ["q", "k", "j", "x0", "x1", "x2", "x3", "c0", "c1"]],
  [
    "v128",
    ["a00", "a01", "a02", "a03", "a10", "a11", "a12", "a13", "xv0", "xv1", "xv2", "xv3", "wv0", "wv1"],
  ],
];
const PRODUCT_PARAMS = ["x", "r", "w", "rows", "rowBytes", "K"];

function tiled(tile: (nc: number) => string): string {
  const pairs = loop(
    "i32.const 0 local.set $k",
    "local.get $k i32.const 2 i32.add local.get $K i32.gt_s",
    tile(2),
    "local.get $k i32.const 2 i32.add local.set $k",
  );
  const rowQuads = loop(
    "i32.const 0 local.set $q",
    "local.get $q local.get $rows i32.ge_s",
    `${pairs}\nlocal.get $K local.get $k i32.gt_s if ${tile(1)} end`,
    "local.get $q i32.const 4 i32.add local.set $q",
  );
  return rowQuads;
}

/** Row pointers $x0..$x3 of rows q..q+3, class-row pointers $c0, $c1 of rows k, k+1 of W (or G). */
const tilePointers = (nc: number) =>
  each(
    4,
    (r) =>
      `local.get $x local.get $q i32.const ${r} i32.add local.get $rowBytes i32.mul i32.add local.set $x${r}`,
  ) +
  `\n${each(nc, (c) => `local.get $w local.get $k i32.const ${c} i32.add local.get $rowBytes i32.mul i32.add local.set $c${c}`)}`;

/** The address of R[q + r, k + c]. */
const cell = (r: number, c: number) =>
  `local.get $r local.get $q i32.const ${r} i32.add local.get $K i32.mul local.get $k i32.add i32.const ${c} i32.add i32.const 8 i32.mul i32.add`;

/** `for (j = 0; j < rowBytes; j += 16) body` */
const columns = (body: string) =>
  loop(
    "i32.const 0 local.set $j",
    "local.get $j local.get $rowBytes i32.ge_s",
    body,
    "local.get $j i32.const 16 i32.add local.set $j",
  );

/** `scores(x, r, w, rows, rowBytes, K)`: R[q + r, k + c] = Σ_j x[q + r, j] w[k + c, j]. */
const SCORES: WasmFunction = {
  params: PRODUCT_PARAMS,
  locals: PRODUCT_LOCALS,
  body: tiled(
    (nc) => `
      ${tilePointers(nc)}
      ${cells(nc, (r, c) => `f64x2.const 0 local.set $a${c}${r}`)}
      ${columns(`
        ${each(4, (r) => `local.get $x${r} local.get $j i32.add v128.load local.set $xv${r}`)}
        ${each(nc, (c) => `local.get $c${c} local.get $j i32.add v128.load local.set $wv${c}`)}
        ${cells(nc, (r, c) => `local.get $a${c}${r} local.get $xv${r} local.get $wv${c} f64x2.mul f64x2.add local.set $a${c}${r}`)}`)}
      ;; the two lanes (even and odd columns) added
      ${cells(nc, (r, c) => `${cell(r, c)} local.get $a${c}${r} f64x2.extract_lane 0 local.get $a${c}${r} f64x2.extract_lane 1 f64.add f64.store`)}`,
  ),
};

/** `grad(x, r, g, rows, rowBytes, K)`: G[k + c, j] += Σ_r R[q + r, k + c] x[q + r, j]. */
const GRAD: WasmFunction = {
  params: PRODUCT_PARAMS,
  locals: PRODUCT_LOCALS,
  body: tiled(
    (nc) => `
      ${tilePointers(nc)}
      ${cells(nc, (r, c) => `${cell(r, c)} f64.load f64x2.splat local.set $a${c}${r}`)}
      ${columns(`
        ${each(4, (r) => `local.get $x${r} local.get $j i32.add v128.load local.set $xv${r}`)}
        ${each(nc, (c) => {
          const term = (r: number) => `local.get $a${c}${r} local.get $xv${r} f64x2.mul`;
          return `local.get $c${c} local.get $j i32.add local.get $c${c} local.get $j i32.add v128.load
            ${term(0)} ${term(1)} f64x2.add ${term(2)} ${term(3)} f64x2.add f64x2.add f64x2.add v128.store`;
        })}`)}`,
  ),
};

/** `a + u·b` on both lanes. */
const linear = (a: number, b: number) => `f64x2.const ${a} local.get $u f64x2.const ${b} f64x2.mul f64x2.add`;

/** e^t on both lanes of `$t` (t ≤ 0), as {@link expNonPositive} does it; 0 below t = −708. */
const EXP = `
  ;; k = round(t / ln 2) as a double, u = t − k ln 2
  local.get $t f64x2.const ${Math.LOG2E} f64x2.mul f64x2.const ${ROUND} f64x2.add f64x2.const ${ROUND} f64x2.sub local.set $kf
  local.get $t local.get $kf f64x2.const ${LN2_HI} f64x2.mul f64x2.sub local.get $kf f64x2.const ${LN2_LO} f64x2.mul f64x2.sub local.set $u
  local.get $u local.get $u f64x2.mul local.set $u2
  local.get $u2 local.get $u2 f64x2.mul local.set $u4
  ;; e^u = lo + u⁸ hi (Estrin's scheme)
  ${linear(1, 1)} local.get $u2 ${linear(C2, C3)} f64x2.mul f64x2.add
  local.get $u4 ${linear(C4, C5)} local.get $u2 ${linear(C6, C7)} f64x2.mul f64x2.add f64x2.mul f64x2.add
  local.get $u4 local.get $u4 f64x2.mul
  ${linear(C8, C9)} local.get $u2 ${linear(C10, C11)} f64x2.mul f64x2.add local.get $u4 ${linear(C12, C13)} f64x2.mul f64x2.add
  f64x2.mul f64x2.add
  ;; × 2^k: k added to the exponent bits (kf + ROUND holds k in its low bits)
  local.get $kf f64x2.const ${ROUND} f64x2.add i32.const 52 i64x2.shl i64x2.add
  ;; 0 where t < −708, beyond which the exponent would leave the normal range
  local.get $t f64x2.const -708 f64x2.ge v128.and`;

/** Logit k of rows r, r + 1 as one f64x2, and storing local `$v` back there. */
const pair = `local.get $p0 local.get $k i32.const 8 i32.mul i32.add f64.load f64x2.splat
  local.get $p1 local.get $k i32.const 8 i32.mul i32.add f64.load f64x2.replace_lane 1`;
const storePair = (v: string) => `
  local.get $p0 local.get $k i32.const 8 i32.mul i32.add local.get ${v} f64x2.extract_lane 0 f64.store
  local.get $p1 local.get $k i32.const 8 i32.mul i32.add local.get ${v} f64x2.extract_lane 1 f64.store`;
const forClasses = (from: number, body: string) =>
  loop(
    `i32.const ${from} local.set $k`,
    "local.get $k local.get $K i32.ge_s",
    body,
    "local.get $k i32.const 1 i32.add local.set $k",
  );
/** The weight of row r + i, and the address of its logit at its class y. */
const weight = (i: number) =>
  `local.get $ws local.get $r i32.const ${i} i32.add i32.const 8 i32.mul i32.add f64.load`;
const yCell = (i: number) =>
  `local.get $p${i} local.get $ys local.get $r i32.const ${i} i32.add i32.const 4 i32.mul i32.add i32.load i32.const 8 i32.mul i32.add`;

/**
 * `softmax(z, ys, ws, se, rows, K) -> Σ s (max − z_y)`: for rows of logits `z` `[rows, K]` taken in
 * pairs (one row per lane), overwrite the logits with the weighted residuals s (p − onehot(y)) and
 * write Σₖ e^(zₖ − max) to `se[r]`; `ys` i32 classes, `ws` f64 weights, rows even.
 */
const SOFTMAX: WasmFunction = {
  params: ["z", "ys", "ws", "se", "rows", "K"],
  result: "f64",
  locals: [
    ["i32", ["r", "k", "p0", "p1"]],
    ["f64", ["acc"]],
    ["v128", ["mx", "sum", "t", "kf", "u", "u2", "u4"]],
  ],
  body: `f64.const 0 local.set $acc
    ${loop(
      "i32.const 0 local.set $r",
      "local.get $r local.get $rows i32.ge_s",
      `local.get $z local.get $r local.get $K i32.mul i32.const 8 i32.mul i32.add local.set $p0
      local.get $p0 local.get $K i32.const 8 i32.mul i32.add local.set $p1
      ;; 1. the maxima of the two rows
      i32.const 0 local.set $k ${pair} local.set $mx
      ${forClasses(1, `local.get $mx ${pair} f64x2.max local.set $mx`)}
      ;; 2. acc += s (max − z_y), row by row
      ${each(2, (i) => `local.get $acc ${weight(i)} local.get $mx f64x2.extract_lane ${i} ${yCell(i)} f64.load f64.sub f64.mul f64.add local.set $acc`)}
      ;; 3. e^(z − max) in place, and the sums into se[r], se[r + 1]
      f64x2.const 0 local.set $sum
      ${forClasses(0, `${pair} local.get $mx f64x2.sub local.set $t ${EXP} local.set $t ${storePair("$t")} local.get $sum local.get $t f64x2.add local.set $sum`)}
      local.get $se local.get $r i32.const 8 i32.mul i32.add local.get $sum v128.store
      ;; 4. residuals s e / Σe, then − s at column y
      local.get $ws local.get $r i32.const 8 i32.mul i32.add v128.load local.get $sum f64x2.div local.set $sum
      ${forClasses(0, `${pair} local.get $sum f64x2.mul local.set $t ${storePair("$t")}`)}
      ${each(2, (i) => `${yCell(i)} ${yCell(i)} f64.load ${weight(i)} f64.sub f64.store`)}`,
      "local.get $r i32.const 2 i32.add local.set $r",
    )}
    local.get $acc`,
};

/** The module: imports memory `env.mem`; exports `scores`, `grad` and `softmax` (above). */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
  const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
  const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
  const fns = [SCORES, GRAD, SOFTMAX].map(assemble);
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(fns.map((f) => f.type))),
    ...section(2, vec([[...name("env"), ...name("mem"), 0x02, 0x00, 0x01]])),
    ...section(3, vec(fns.map((_, i) => [i]))),
    ...section(7, vec(["scores", "grad", "softmax"].map((s, i) => [...name(s), 0x00, i]))),
    ...section(10, vec(fns.map((f) => f.code))),
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
