/**
 * Host-side dense float64 linear algebra (row-major `Matrix` over Float64Array), shared by the model
 * families whose fits are closed-form: classifiers and latent spaces (PCA, probabilistic PCA).
 */
export * from "./dense.js";
export * from "./eigh-tridiagonal.js";
export * from "./matrix.js";
