import assert from "node:assert/strict";
import { test } from "node:test";
import { NumericalError } from "../../src/errors.js";
import {
  cholesky,
  choleskySolve,
  eighSym,
  gram,
  identity,
  logDetFromCholesky,
  logSumExpRows,
  luFactor,
  matmul,
  matmulTransposeB,
  matvec,
  qr,
  qrR,
  solve,
  solveLowerTriangular,
  solveUpperTriangular,
  svd,
  transpose,
} from "../../src/linalg/dense.js";
import { type Matrix, zeros } from "../../src/linalg/matrix.js";

/** A small deterministic generator (mulberry32) for test matrices. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

function random(rows: number, cols: number, seed: number): Matrix {
  const r = rng(seed);
  const m = zeros(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = r();
  return m;
}

function spd(n: number, seed: number): Matrix {
  const g = gram(random(n + 3, n, seed));
  for (let i = 0; i < n; i++) g.data[i * n + i] += 0.1;
  return g;
}

function naiveMatmul(a: Matrix, b: Matrix): Matrix {
  const out = zeros(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.data[i * a.cols + k] * b.data[k * b.cols + j];
      out.data[i * b.cols + j] = s;
    }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function close(a: Matrix | Float64Array, b: Matrix | Float64Array, tol = 1e-10, what = ""): void {
  const da = a instanceof Float64Array ? a : a.data;
  const db = b instanceof Float64Array ? b : b.data;
  const d = maxAbsDiff(da, db);
  assert.ok(d <= tol, `${what}: max |difference| ${d} > ${tol}`);
}

test("matmul, matmulTransposeB, matvec, transpose and gram agree with the definitions", () => {
  const a = random(7, 5, 1);
  const b = random(5, 3, 2);
  close(matmul(a, b), naiveMatmul(a, b), 1e-14, "matmul");
  close(matmulTransposeB(a, transpose(b)), naiveMatmul(a, b), 1e-14, "a bᵀ");
  close(
    matvec(a, b.data.subarray(0, 5)),
    naiveMatmul(a, { rows: 5, cols: 1, data: b.data.slice(0, 5) }),
    1e-14,
  );
  for (const n of [1, 3, 4, 9, 10]) {
    const x = random(n, 6, 10 + n);
    close(gram(x), naiveMatmul(transpose(x), x), 1e-13, `gram n=${n}`);
  }
  assert.throws(() => matmul(a, a), /inner dimensions must match/);
});

test("cholesky: A = L Lᵀ, triangular solves, log det; a non-positive-definite pivot is named", () => {
  for (const n of [1, 4, 30]) {
    const A = spd(n, 3 + n);
    const L = cholesky(A);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) assert.equal(L.data[i * n + j], 0);
    close(matmulTransposeB(L, L), A, 1e-10 * n, "L Lᵀ");
    const b = random(n, 2, 7);
    const x = choleskySolve(L, b);
    close(matmul(A, x), b, 1e-10, "A x = b");
    const bv = b.data.slice(0, n);
    const xv = choleskySolve(L, new Float64Array(bv.subarray(0, n)));
    assert.ok(xv instanceof Float64Array && xv.length === n);
    const y = solveLowerTriangular(L, b);
    close(matmul(L, y), b, 1e-10, "L y = b");
    const z = solveUpperTriangular(transpose(L), b);
    close(matmul(transpose(L), z), b, 1e-10, "Lᵀ z = b");
    const { values } = eighSym(A);
    const logDet = values.reduce((s, v) => s + Math.log(v), 0);
    assert.ok(Math.abs(logDetFromCholesky(L) - logDet) < 1e-10 * Math.max(1, Math.abs(logDet)));
  }
  const bad: Matrix = { rows: 3, cols: 3, data: new Float64Array([1, 2, 0, 2, 4, 0, 0, 0, 1]) };
  assert.throws(
    () => cholesky(bad),
    (e: unknown) =>
      e instanceof NumericalError &&
      /not positive definite \(pivot 1/.test(e.message) &&
      (e as unknown as { pivot: number }).pivot === 1,
  );
});

test("solve: SPD via Cholesky, general via LU with pivoting; singular is a NumericalError", () => {
  const A = spd(6, 11);
  const b = random(6, 3, 12);
  close(matmul(A, solve(A, b)), b, 1e-10, "SPD");
  const G = random(8, 8, 13);
  G.data[0] = 0; // forces a pivot
  const bv = random(8, 1, 14).data;
  const x = solve(G, bv);
  close(matvec(G, x), bv, 1e-10, "general");
  const { lu, perm } = luFactor(G);
  assert.equal(lu.rows, 8);
  assert.deepEqual(
    [...perm].sort((p, q) => p - q),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
  const S: Matrix = { rows: 3, cols: 3, data: new Float64Array([1, 2, 3, 2, 4, 6, 1, 0, 1]) };
  assert.throws(() => solve(S, new Float64Array(3)), NumericalError);
});

test("eighSym: A V = V Λ, VᵀV = I, ascending, for well-separated and repeated eigenvalues", () => {
  for (const n of [1, 2, 5, 40]) {
    const A = spd(n, 20 + n);
    const { values, vectors: V } = eighSym(A);
    for (let i = 1; i < n; i++) assert.ok(values[i - 1] <= values[i]);
    const VL = zeros(n, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) VL.data[i * n + j] = V.data[i * n + j] * values[j];
    close(matmul(A, V), VL, 1e-10, `AV = VΛ n=${n}`);
    close(matmul(transpose(V), V), identity(n), 1e-10, "VᵀV = I");
  }
  // a projector: eigenvalues 0, 0, 1, 1 (repeated) and an indefinite matrix
  const P = matmulTransposeB(
    { rows: 4, cols: 2, data: new Float64Array([1, 0, 0, 1, 0, 0, 0, 0]) },
    { rows: 4, cols: 2, data: new Float64Array([1, 0, 0, 1, 0, 0, 0, 0]) },
  );
  close(eighSym(P).values, new Float64Array([0, 0, 1, 1]), 1e-14, "projector");
  const I: Matrix = { rows: 2, cols: 2, data: new Float64Array([0, 1, 1, 0]) };
  close(eighSym(I).values, new Float64Array([-1, 1]), 1e-14, "indefinite");
});

function checkSvd(a: Matrix, tol = 1e-10): void {
  const { u, s, vt } = svd(a);
  const k = Math.min(a.rows, a.cols);
  assert.equal(u.rows, a.rows);
  assert.equal(u.cols, k);
  assert.equal(vt.rows, k);
  assert.equal(vt.cols, a.cols);
  for (let i = 1; i < k; i++) assert.ok(s[i - 1] >= s[i], "descending");
  const us = zeros(a.rows, k);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < k; j++) us.data[i * k + j] = u.data[i * k + j] * s[j];
  close(matmul(us, vt), a, tol, "U S Vᵀ = A");
  close(matmul(transpose(u), u), identity(k), tol, "UᵀU = I");
  close(matmulTransposeB(vt, vt), identity(k), tol, "V Vᵀ = I");
  const sNoU = svd(a, { computeU: false });
  assert.equal(sNoU.u, null);
  close(sNoU.s, s, tol * 10, "s without U");
  // singular values are the square roots of gram's eigenvalues
  const ev = eighSym(a.rows >= a.cols ? gram(a) : gram(transpose(a))).values.reverse();
  for (let i = 0; i < k; i++) assert.ok(Math.abs(Math.sqrt(Math.max(ev[i], 0)) - s[i]) < 1e-7);
}

test("svd: U S Vᵀ = A with orthonormal factors for tall, wide, square and rank-deficient matrices", () => {
  checkSvd(random(200, 6, 31));
  checkSvd(random(5, 9, 32));
  checkSvd(random(7, 7, 33));
  checkSvd(random(1, 1, 34));
  // rank 2 in 5 columns: duplicated and combined columns
  const r = random(30, 2, 35);
  const a = zeros(30, 5);
  for (let i = 0; i < 30; i++) {
    const x = r.data[2 * i];
    const y = r.data[2 * i + 1];
    a.data.set([x, y, x + y, 2 * x, 0], i * 5);
  }
  checkSvd(a);
  const { s } = svd(a);
  assert.ok(s[2] < 1e-14 && s[4] === 0, `rank 2: ${s}`);
});

test("qr and the streaming qrR give the same R up to row signs", () => {
  const a = random(150, 8, 41);
  const { q, r } = qr(a);
  close(matmul(q, r), a, 1e-12, "QR = A");
  close(matmul(transpose(q), q), identity(8), 1e-12, "QᵀQ = I");
  for (const block of [1, 7, 64, 500]) {
    const r2 = qrR(a, block);
    for (let i = 0; i < 8; i++) {
      const sign = Math.sign(r.data[i * 8 + i]) * Math.sign(r2.data[i * 8 + i]);
      for (let j = 0; j < 8; j++) assert.ok(Math.abs(r.data[i * 8 + j] - sign * r2.data[i * 8 + j]) < 1e-12);
    }
  }
});

test("logSumExpRows is shift-stable and handles -Infinity rows", () => {
  const m: Matrix = {
    rows: 3,
    cols: 3,
    data: new Float64Array([0, 0, 0, 1000, 1000, -Infinity, -Infinity, -Infinity, -Infinity]),
  };
  const out = logSumExpRows(m);
  assert.ok(Math.abs(out[0] - Math.log(3)) < 1e-15);
  assert.ok(Math.abs(out[1] - (1000 + Math.log(2))) < 1e-12);
  assert.equal(out[2], Number.NEGATIVE_INFINITY);
});
