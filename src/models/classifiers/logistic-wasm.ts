/**
 * The WebAssembly SIMD kernels of logistic regression (f64x2, two doubles per instruction), as listings
 * in the text format's instruction syntax assembled by wasm-assembler.ts: `scores` (logits X·Wᵀ),
 * `grad` (the gradient Rᵀ·X) and `softmax` (weighted residuals s (p − onehot(y)) in place). The driver
 * that lays out memory and falls back to plain TypeScript is `lossGradFor` in logistic-kernels.ts.
 * References: Bishop, Pattern Recognition and Machine Learning (2006) eqs. 4.91, 4.109 (softmax
 * gradient); WebAssembly Core Specification 2.0 and its fixed-width SIMD instructions.
 */
import {
  C2,
  C3,
  C4,
  C5,
  C6,
  C7,
  C8,
  C9,
  C10,
  C11,
  C12,
  C13,
  LN2_HI,
  LN2_LO,
  ROUND,
} from "./exp-non-positive.js";
import { assembleModule, loop, type WasmFunction } from "./wasm-assembler.js";

/** A product kernel `(x, r, w, rows, rowBytes, K)`; addresses in bytes into the imported memory. */
export type Kernel = (x: number, r: number, w: number, rows: number, rowBytes: number, K: number) => void;

/** The module's exports: {@link SCORES}, {@link GRAD} and {@link SOFTMAX} as JavaScript functions. */
export type SimdKernels = { scores: Kernel; grad: Kernel; softmax: (...a: number[]) => number };

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

let simdModule: WebAssembly.Module | null | undefined;

/**
 * The compiled module (imports memory `env.mem`; exports `scores`, `grad`, `softmax` as
 * {@link SimdKernels}), or null where WebAssembly SIMD is unavailable (compiled once).
 */
export function compiledSimd(): WebAssembly.Module | null {
  if (simdModule === undefined) {
    try {
      simdModule =
        typeof WebAssembly === "object"
          ? new WebAssembly.Module(assembleModule({ scores: SCORES, grad: GRAD, softmax: SOFTMAX }))
          : null;
    } catch {
      simdModule = null;
    }
  }
  return simdModule;
}
