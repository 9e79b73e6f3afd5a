/**
 * Multivariate normal with full covariance, parameterised by a lower-triangular Cholesky factor
 * `scaleTril` (Σ = L Lᵀ) or by `covariance` (factorised with `np.linalg.cholesky` in every call;
 * differentiable). Event shape `[d]`. Reference: distrax `MultivariateNormalTri`.
 */
import { describe, ValueError } from "../errors.js";
import { type Array, lax, np, random } from "../jax.js";
import {
  broadcastShapesOf,
  checkData,
  checkRank,
  checkSampleShape,
  type Distribution,
  floatDtype,
  HALF_LOG_2PI,
  isConcrete,
  valuesOf,
} from "./distribution.js";
import { log, scalar } from "./elementary.js";

/** `loc: [...batch, d]` with `scaleTril: [...batch, d, d]` (upper triangle ignored) or `covariance`. */
export type MultivariateNormalParams = { loc: Array; scaleTril: Array } | { loc: Array; covariance: Array };

const FN = "MultivariateNormal";

function matrixOf(p: MultivariateNormalParams): [string, Array] {
  return "scaleTril" in p ? ["scaleTril", p.scaleTril] : ["covariance", p.covariance];
}

function shapes(p: MultivariateNormalParams): { batch: number[]; d: number } {
  const [name, m] = matrixOf(p);
  checkRank(FN, "loc", p.loc, 1, "[...batch, d]");
  checkRank(FN, name, m, 2, "[...batch, d, d]");
  const d = p.loc.shape[p.loc.ndim - 1];
  const [r, c] = m.shape.slice(m.ndim - 2);
  if (r !== d || c !== d) {
    throw new ValueError(
      `${FN}: ${name} must have shape [..., ${d}, ${d}] to match loc, but got ${describe(m.shape)}`,
    );
  }
  const batch = broadcastShapesOf(FN, { loc: p.loc.shape.slice(0, -1), [name]: m.shape.slice(0, -2) });
  return { batch, d };
}

/** The Cholesky factor L (lower triangle only); consumes the matrix leaf. */
function choleskyOf(p: MultivariateNormalParams): Array {
  return "scaleTril" in p ? np.tril(p.scaleTril) : cholesky(p.covariance);
}

/**
 * Lower Cholesky factor of the symmetrised `(S + Sᵀ)/2`, `[..., d, d]`; consumes `S`. Concrete
 * arrays use jax-js's routine; tracers use the Cholesky–Banachiewicz recurrence written out column
 * by column, since the routine's gradient (a triangular solve) cannot be compiled under `jit` in
 * jax-js 0.1.25. NaN where S is not positive definite.
 */
export function cholesky(S: Array): Array {
  if (isConcrete(S)) return np.linalg.cholesky(S);
  const d = S.shape[S.ndim - 1];
  const lead = S.shape.slice(0, -2).map((): [] => []);
  const sym = S.ref.add(np.matrixTranspose(S)).mul(0.5);
  let L: Array | null = null; // first j columns, [..., d, j]
  for (let j = 0; j < d; j++) {
    let v = sym.ref.slice(...lead, [], j); // [..., d]
    if (L !== null) {
      const rowJ = L.ref.slice(...lead, j, []); // [..., j]
      v = v.sub(L.ref.mul(np.expandDims(rowJ, -2)).sum(-1));
    }
    const diag = np.sqrt(v.ref.slice(...lead, j));
    const below = np.arange(d).greaterEqual(j).astype(v.dtype); // zero above the diagonal
    const col = v.div(np.expandDims(diag, -1)).mul(below);
    L = L === null ? np.expandDims(col, -1) : np.concatenate([L, np.expandDims(col, -1)], -1);
  }
  sym.dispose();
  return L!;
}

function logDet(L: Array): Array {
  return log(np.diagonal(L, 0, -2, -1)).sum(-1);
}

/**
 * z = L⁻¹ b for lower-triangular `L: [...batchL, d, d]` and `b: [..., d]` (broadcast); consumes
 * both. Concrete arrays use jax-js's `triangularSolve` routine; tracers (inside `jit`, `grad`)
 * use forward substitution written out over the d rows, because jax-js 0.1.25 cannot compile
 * `triangularSolve` inside `jit` ("routine primitive triangular_solve input is not imm").
 */
export function solveLower(L: Array, b: Array): Array {
  const d = L.shape[L.ndim - 1];
  const full = np.broadcastShapes(b.shape.slice(0, -1), L.shape.slice(0, -2));
  if (isConcrete(L) && isConcrete(b)) {
    if (L.ndim === 2) {
      const rows = b.reshape([-1, d]); // [n, d]: solve z Lᵀ = b row by row
      return lax.linalg
        .triangularSolve(L, rows, { leftSide: false, lower: true, transposeA: true })
        .reshape([...b.shape.slice(0, -1), d]);
    }
    const Lb = np.broadcastTo(L, [...full, d, d]);
    const rows = np.broadcastTo(b, [...full, d]).reshape([...full, 1, d]);
    return lax.linalg
      .triangularSolve(Lb, rows, { leftSide: false, lower: true, transposeA: true })
      .reshape([...full, d]);
  }
  // z_i = (b_i - Σ_{j<i} L_ij z_j) / L_ii
  const lead = L.shape.slice(0, -2).map((): [] => []);
  const bLead = b.shape.slice(0, -1).map((): [] => []);
  let z: Array | null = null;
  for (let i = 0; i < d; i++) {
    let num = b.ref.slice(...bLead, i);
    if (z !== null)
      num = num.sub(
        L.ref
          .slice(...lead, i, [0, i])
          .mul(z.ref)
          .sum(-1),
      );
    const zi = num.div(L.ref.slice(...lead, i, i)).reshape([...full, 1]);
    z = z === null ? zi : np.concatenate([z, zi], -1);
  }
  L.dispose();
  b.dispose();
  return z!;
}

function batchShape(p: MultivariateNormalParams): number[] {
  return shapes(p).batch;
}

/**
 * MultivariateNormal(loc, Σ = L Lᵀ): `logProb = -½|L⁻¹(x-μ)|² - Σ log L_ii - (d/2) log 2π`,
 * entropy `(d/2)(1 + log 2π) + Σ log L_ii`, reparameterised sampling `μ + L ε`.
 */
export const MultivariateNormal = {
  name: FN,
  reparameterized: true,
  batchShape,
  eventShape: (p: MultivariateNormalParams): number[] => [shapes(p).d],

  /** `x: [...sample, ...batch, d] -> [...sample, ...batch]`, nats. */
  logProb(p: MultivariateNormalParams, x: Array): Array {
    const { batch, d } = shapes(p);
    checkData(`${FN}.logProb`, x, batch, [d]);
    const dt = floatDtype(p.loc.dtype, matrixOf(p)[1].dtype, x.dtype);
    const L = choleskyOf(p).astype(dt);
    const diff = x.astype(dt).sub(p.loc); // [...sample, ...batch, d]
    const z = solveLower(L.ref, diff);
    const maha = z.ref.mul(z).sum(-1);
    return maha
      .mul(-0.5)
      .sub(logDet(L))
      .sub(scalar(d * HALF_LOG_2PI, dt));
  },

  /** `[...sampleShape, ...batch, d]`, differentiable in `loc` and the matrix. */
  sample(p: MultivariateNormalParams, key: Array, sampleShape: number[] = []): Array {
    checkSampleShape(`${FN}.sample`, sampleShape);
    const { batch, d } = shapes(p);
    const dt = floatDtype(p.loc.dtype, matrixOf(p)[1].dtype);
    const L = choleskyOf(p).astype(dt);
    const eps = random.normal(key, [...sampleShape, ...batch, d]).astype(dt);
    // (L ε)_i = Σ_j L_ij ε_j, by broadcasting: jax-js 0.1.25 matmul mis-broadcasts [S, B, 1, d] @ [B, d, d]
    const scaled = eps
      .reshape([...sampleShape, ...batch, 1, d])
      .mul(L)
      .sum(-1);
    return scaled.add(p.loc);
  },

  /** `[...batch, d]`. */
  mean(p: MultivariateNormalParams): Array {
    const { batch, d } = shapes(p);
    matrixOf(p)[1].dispose();
    return np.broadcastTo(p.loc, [...batch, d]);
  },

  /** Diagonal of Σ, `[...batch, d]`. */
  variance(p: MultivariateNormalParams): Array {
    const { batch, d } = shapes(p);
    p.loc.dispose();
    const L = choleskyOf(p);
    return np.broadcastTo(L.ref.mul(L).sum(-1), [...batch, d]);
  },

  /** Σ = L Lᵀ, `[...batch, d, d]`. */
  covariance(p: MultivariateNormalParams): Array {
    const { batch, d } = shapes(p);
    p.loc.dispose();
    const L = choleskyOf(p);
    return np.broadcastTo(np.matmul(L.ref, np.matrixTranspose(L)), [...batch, d, d]);
  },

  /** Nats, `[...batch]`. */
  entropy(p: MultivariateNormalParams): Array {
    const { batch, d } = shapes(p);
    p.loc.dispose();
    const L = choleskyOf(p);
    const dt = L.dtype;
    return np.broadcastTo(logDet(L).add(scalar(d * (0.5 + HALF_LOG_2PI), dt)), batch);
  },

  validate(p: MultivariateNormalParams): void {
    const { d } = shapes(p);
    const loc = valuesOf(p.loc);
    if (loc?.some((v) => !Number.isFinite(v)))
      throw new ValueError(`${FN}: loc must be finite, but got ${describe(loc)}`);
    const [name, m] = matrixOf(p);
    if (!isConcrete(m)) return;
    const a = valuesOf(m)!;
    for (let off = 0; off < a.length; off += d * d) {
      for (let i = 0; i < d; i++) {
        if (name === "scaleTril" && !(a[off + i * d + i] > 0)) {
          throw new ValueError(
            `${FN}: scaleTril must have a positive diagonal, but got ${a[off + i * d + i]} at [${i}, ${i}]`,
          );
        }
        for (let j = 0; j < i && name === "covariance"; j++) {
          const x = a[off + i * d + j];
          const y = a[off + j * d + i];
          if (Math.abs(x - y) > 1e-6 * (Math.abs(x) + Math.abs(y) + 1e-30)) {
            throw new ValueError(
              `${FN}: covariance must be symmetric, but got ${x} at [${i}, ${j}] and ${y} at [${j}, ${i}]`,
            );
          }
        }
      }
    }
    if (name === "covariance") {
      const diag = Float64Array.from(
        np.diagonal(np.linalg.cholesky(m.ref), 0, -2, -1).dataSync() as ArrayLike<number>,
      );
      if (diag.some((v) => !(v > 0))) {
        throw new ValueError(
          `${FN}: covariance must be positive definite, but its Cholesky factor has diagonal ${describe(diag)}`,
        );
      }
    }
  },
} satisfies Distribution<MultivariateNormalParams> & { covariance(p: MultivariateNormalParams): Array };
