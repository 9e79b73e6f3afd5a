/**
 * k-nearest-neighbour estimator of the Kullback–Leibler divergence between two continuous
 * distributions from samples (Wang, Kulkarni & Verdú 2009, "Divergence estimation for
 * multidimensional densities via k-nearest-neighbor distances", IEEE Trans. Inf. Theory 55:2392,
 * eq. 5):
 *   D̂(P‖Q) = (d/n) Σ_i log(ν_k(i) / ρ_k(i)) + log(m / (n − 1)),
 * ρ_k(i) the distance from X_i to its k-th nearest neighbour among the other X's, ν_k(i) to its k-th
 * nearest among the Y's. Consistent as n, m → ∞ for fixed k; nats; can be negative at finite n.
 */
import { ValueError } from "../errors.js";
import { buildKdTree, kNearest } from "./neighbours.js";
import { asPoints, checkPositiveInt, checkSameDim, type Points } from "./points.js";

/**
 * KL(P‖Q) in nats from `X` `[n, d]` ~ P and `Y` `[m, d]` ~ Q by k-NN distances (Wang, Kulkarni &
 * Verdú 2009, eq. 5; default k = 1). Needs n > k, m >= k and no zero distances (repeated points).
 */
export function klDivergenceKnn(X: Points, Y: Points, opts: { k?: number } = {}): number {
  const fn = "klDivergenceKnn";
  const k = opts.k ?? 1;
  checkPositiveInt(k, fn, "k");
  const x = asPoints(X, fn, "X");
  const y = asPoints(Y, fn, "Y");
  checkSameDim(x, y, fn);
  const n = x.rows;
  const m = y.rows;
  const d = x.cols;
  if (n <= k || m < k)
    throw new ValueError(
      `${fn}: X must have more than k = ${k} points and Y at least k, but have ${n} and ${m}`,
    );
  const rho2 = kNearest(buildKdTree(x), x, k, { self: true, squared: true }).distances;
  const nu2 = kNearest(buildKdTree(y), x, k, { squared: true }).distances;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const r = rho2[i * k + k - 1];
    const v = nu2[i * k + k - 1];
    if (!(r > 0 && v > 0)) {
      const which = r > 0 ? "Y" : "X";
      throw new ValueError(
        `${fn}: k-NN distances must be positive, but X[${i}] has a distance 0 to its ${k}-th neighbour in ${which} (repeated points; raise k or deduplicate)`,
      );
    }
    acc += Math.log(v / r);
  }
  // log of squared distances: d/n Σ log(ν/ρ) = d/(2n) Σ log(ν²/ρ²)
  return (d / (2 * n)) * acc + Math.log(m / (n - 1));
}
