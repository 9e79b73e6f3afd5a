import assert from "node:assert/strict";
import { test } from "node:test";
import { ValueError } from "../../src/errors.js";
import { eighSym, matmul, matmulTransposeB, transpose } from "../../src/linalg/dense.js";
import {
  applyReflectors,
  eighTridiagonal,
  tridiagonalize,
  tridiagonalQL,
} from "../../src/linalg/eigh-tridiagonal.js";
import { type Matrix, zeros } from "../../src/linalg/matrix.js";

/** A small deterministic generator (mulberry32), uniform in [−0.5, 0.5). */
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

function randomSymmetric(n: number, seed: number): Matrix {
  const r = rng(seed);
  const a = zeros(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = r();
      a.data[i * n + j] = v;
      a.data[j * n + i] = v;
    }
  return a;
}

/** `Q diag(values) Qᵀ` with a random orthogonal Q (from the eigenvectors of a random symmetric matrix). */
function withSpectrum(values: number[], seed: number): Matrix {
  const n = values.length;
  const q = eighSym(randomSymmetric(n, seed)).vectors;
  const qd = zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) qd.data[i * n + j] = q.data[i * n + j] * values[j];
  const a = matmulTransposeB(qd, q);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[j * n + i] = a.data[i * n + j];
  return a;
}

function norm(a: Matrix): number {
  let s = 0;
  for (const v of a.data) s += v * v;
  return Math.sqrt(s);
}

/** max |A V − V diag(λ)| / ‖A‖ and max |VᵀV − I| for columns of `vectors` matched to the top values. */
function check(a: Matrix, values: Float64Array, vectors: Matrix): { residual: number; orth: number } {
  const n = a.rows;
  const m = vectors.cols;
  const av = matmul(a, vectors);
  let residual = 0;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < m; c++) {
      const lam = values[n - m + c];
      residual = Math.max(residual, Math.abs(av.data[i * m + c] - lam * vectors.data[i * m + c]));
    }
  const g = matmul(transpose(vectors), vectors);
  let orth = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) orth = Math.max(orth, Math.abs(g.data[i * m + j] - (i === j ? 1 : 0)));
  return { residual: residual / Math.max(norm(a), 1e-300), orth };
}

test("tridiagonalize: Q T Qᵀ reproduces the matrix and Q is orthogonal", () => {
  for (const n of [1, 2, 3, 40]) {
    const a = randomSymmetric(n, n);
    const t = tridiagonalize(a);
    // rows of Qᵀ: Q applied to the unit vectors
    const qt = zeros(n, n);
    for (let i = 0; i < n; i++) qt.data[i * n + i] = 1;
    applyReflectors(t, qt.data, n);
    const T = zeros(n, n);
    for (let i = 0; i < n; i++) {
      T.data[i * n + i] = t.diag[i];
      if (i < n - 1) {
        T.data[i * n + i + 1] = t.off[i];
        T.data[(i + 1) * n + i] = t.off[i];
      }
    }
    const q = transpose(qt);
    const back = matmul(matmul(q, T), qt);
    const qtq = matmul(qt, q);
    for (let i = 0; i < n * n; i++) {
      assert.ok(Math.abs(back.data[i] - a.data[i]) < 1e-14, `n=${n}: Q T Qᵀ entry ${i}`);
      assert.ok(Math.abs(qtq.data[i] - (i % (n + 1) === 0 ? 1 : 0)) < 1e-14, `n=${n}: QᵀQ entry ${i}`);
    }
  }
});

test("eighTridiagonal: values and vectors agree with Jacobi (eighSym) on random symmetric matrices", () => {
  for (const [n, seed] of [
    [1, 1],
    [2, 2],
    [3, 3],
    [17, 4],
    [60, 5],
  ]) {
    const a = randomSymmetric(n, seed);
    const ref = eighSym(a);
    const got = eighTridiagonal(a);
    for (let i = 0; i < n; i++)
      assert.ok(Math.abs(got.values[i] - ref.values[i]) < 1e-13, `n=${n} value ${i}`);
    const { residual, orth } = check(a, got.values, got.vectors);
    assert.ok(residual < 1e-13 && orth < 1e-13, `n=${n}: residual ${residual}, orth ${orth}`);
    // same vectors up to sign (the spectrum of a random matrix is simple)
    for (let c = 0; c < n; c++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += got.vectors.data[i * n + c] * ref.vectors.data[i * n + c];
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-10, `n=${n} vector ${c}: |dot| ${Math.abs(dot)}`);
    }
  }
});

test("eighTridiagonal: top-k vectors by inverse iteration match the QL vectors", () => {
  const n = 120;
  const a = randomSymmetric(n, 7);
  const all = eighTridiagonal(a);
  for (const top of [1, 5, 30]) {
    const got = eighTridiagonal(a, { top });
    assert.equal(got.vectors.cols, top);
    const { residual, orth } = check(a, got.values, got.vectors);
    assert.ok(residual < 1e-13 && orth < 1e-12, `top ${top}: residual ${residual}, orth ${orth}`);
    for (let c = 0; c < top; c++) {
      let dot = 0;
      for (let i = 0; i < n; i++)
        dot += got.vectors.data[i * top + c] * all.vectors.data[i * n + n - top + c];
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `top ${top} vector ${c}`);
    }
  }
});

test("eighTridiagonal: repeated and clustered eigenvalues give orthonormal eigenvectors", () => {
  const spectra = [
    [5, 5, 5, 2, 2, 1, 1, 1, 1, 0, 0, 0, -3, -3, 7, 7, 7, 7, 7, 7],
    Array.from({ length: 30 }, (_, i) => 1 + i * 1e-10),
    Array.from({ length: 30 }, (_, i) => (i < 25 ? 0 : i)),
  ];
  spectra.forEach((spectrum, s) => {
    const a = withSpectrum(spectrum, 10 + s);
    const n = spectrum.length;
    const sorted = [...spectrum].sort((x, y) => x - y);
    for (const top of [n, 3, 7]) {
      const got = eighTridiagonal(a, { top });
      for (let i = 0; i < n; i++)
        assert.ok(Math.abs(got.values[i] - sorted[i]) < 1e-13 * 10, `spectrum ${s} value ${i}`);
      const { residual, orth } = check(a, got.values, got.vectors);
      assert.ok(
        residual < 1e-13 && orth < 1e-12,
        `spectrum ${s} top ${top}: residual ${residual}, orth ${orth}`,
      );
    }
  });
});

test("eighTridiagonal: Wilkinson's W21+, whose top eigenvalues come in pairs 1e-14 apart", () => {
  const n = 21;
  const a = zeros(n, n);
  for (let i = 0; i < n; i++) {
    a.data[i * n + i] = Math.abs(10 - i);
    if (i < n - 1) {
      a.data[i * n + i + 1] = 1;
      a.data[(i + 1) * n + i] = 1;
    }
  }
  for (const top of [2, 4, n]) {
    const got = eighTridiagonal(a, { top });
    assert.ok(Math.abs(got.values[n - 1] - 10.746194182903393) < 1e-13);
    const { residual, orth } = check(a, got.values, got.vectors);
    assert.ok(residual < 1e-14 && orth < 1e-13, `top ${top}: residual ${residual}, orth ${orth}`);
  }
});

test("eighTridiagonal: diagonal, zero and already-tridiagonal matrices", () => {
  const n = 9;
  const diag = zeros(n, n);
  for (let i = 0; i < n; i++) diag.data[i * n + i] = (i * 7) % 5;
  const zero = zeros(n, n);
  const tri = zeros(n, n);
  for (let i = 0; i < n; i++) {
    tri.data[i * n + i] = 2;
    if (i < n - 1) {
      tri.data[i * n + i + 1] = -1;
      tri.data[(i + 1) * n + i] = -1;
    }
  }
  for (const a of [diag, zero, tri]) {
    for (const top of [n, 2]) {
      const got = eighTridiagonal(a, { top });
      const ref = eighSym(a).values;
      for (let i = 0; i < n; i++) assert.ok(Math.abs(got.values[i] - ref[i]) < 1e-14);
      const { residual, orth } = check(a, got.values, got.vectors);
      assert.ok(residual < 1e-14 && orth < 1e-13, `residual ${residual}, orth ${orth}`);
    }
  }
  // the second-difference matrix has eigenvalues 2 − 2 cos(kπ/(n+1))
  const values = tridiagonalQL(new Float64Array(n).fill(2), new Float64Array(n - 1).fill(-1));
  for (let k = 1; k <= n; k++)
    assert.ok(Math.abs(values[k - 1] - (2 - 2 * Math.cos((k * Math.PI) / (n + 1)))) < 1e-14);
});

test("eighTridiagonal: a 400 × 400 matrix, top 20 by inverse iteration and all by QL", () => {
  const n = 400;
  const a = randomSymmetric(n, 21);
  for (const top of [20, n]) {
    const got = eighTridiagonal(a, { top });
    const { residual, orth } = check(a, got.values, got.vectors);
    assert.ok(residual < 1e-13 && orth < 1e-12, `top ${top}: residual ${residual}, orth ${orth}`);
  }
});

test("eighTridiagonal: argument checks", () => {
  assert.throws(() => eighTridiagonal(zeros(2, 3)), ValueError);
  assert.throws(
    () => eighTridiagonal(zeros(3, 3), { top: 4 }),
    /top must be an integer in \[0, 3\], but got 4/,
  );
  assert.throws(() => eighTridiagonal(zeros(3, 3), { top: 1.5 }), ValueError);
});
