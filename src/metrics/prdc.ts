/**
 * k-NN precision, recall, density and coverage of generated samples against real ones (Naeem, Oh,
 * Uh, Choi & Yoo 2020, "Reliable fidelity and diversity metrics for generative models", ICML, eqs.
 * 1–4; precision and recall after Kynkäänniemi et al. 2019). Each real point x_i carries a ball of
 * radius NND_k(x_i), its distance to its k-th nearest neighbour among the other real points (and each
 * fake point likewise among the fakes, for recall). A point is inside a ball when its distance is <=
 * the radius, ties inside (the `prdc` package uses a strict <, which differs only on exact ties).
 * k-d trees: O((n + m) log) per query in low dimension, never an O(n·m) matrix.
 */
import { ValueError } from "../errors.js";
import type { Matrix } from "../linalg/matrix.js";
import { ballCover, buildKdTree, countCoveringBalls, type KdTree, kNearest } from "./neighbours.js";
import { asPoints, checkPositiveInt, checkSameDim, type Points } from "./points.js";

/** The four PRDC numbers, each in [0, 1] except density (>= 0, about 1 when the distributions match). */
export type Prdc = { precision: number; recall: number; density: number; coverage: number };

/** Squared distance from each row of `X` to its k-th nearest other row `[n]`. */
function kthNeighbourRadii2(tree: KdTree, X: Matrix, k: number): Float64Array {
  const { distances } = kNearest(tree, X, k, { self: true, squared: true });
  const r = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) r[i] = distances[i * k + k - 1];
  return r;
}

/**
 * Precision, recall, density and coverage of `fake` `[m, d]` against `real` `[n, d]` with
 * k-nearest-neighbour balls (default k = 5, Naeem et al. 2020 eqs. 1–4; both sets need > k points).
 */
export function prdc(real: Points, fake: Points, opts: { k?: number } = {}): Prdc {
  const fn = "prdc";
  const k = opts.k ?? 5;
  checkPositiveInt(k, fn, "k");
  const x = asPoints(real, fn, "real");
  const y = asPoints(fake, fn, "fake");
  checkSameDim(x, y, fn, "real", "fake");
  if (x.rows <= k || y.rows <= k)
    throw new ValueError(
      `${fn}: real and fake must have more than k = ${k} points, but have ${x.rows} and ${y.rows}`,
    );
  const realTree = buildKdTree(x);
  const fakeTree = buildKdTree(y);
  // squared radii and squared distances throughout, so that ties are decided exactly
  const realRadii2 = kthNeighbourRadii2(realTree, x, k);
  const fakeRadii2 = kthNeighbourRadii2(fakeTree, y, k);
  const realBalls = ballCover(realTree, realRadii2);
  const fakeBalls = ballCover(fakeTree, fakeRadii2);
  // precision (eq. 1) and density (eq. 3): fake points inside real balls
  let inside = 0;
  let memberships = 0;
  for (let j = 0; j < y.rows; j++) {
    const c = countCoveringBalls(realBalls, y.data, j);
    if (c > 0) inside++;
    memberships += c;
  }
  // recall (eq. 2): real points inside fake balls
  let recalled = 0;
  for (let i = 0; i < x.rows; i++) recalled += countCoveringBalls(fakeBalls, x.data, i, true);
  // coverage (eq. 4): real balls holding at least one fake point (the nearest fake is close enough)
  const nearestFake2 = kNearest(fakeTree, x, 1, { squared: true }).distances;
  let covered = 0;
  for (let i = 0; i < x.rows; i++) if (nearestFake2[i] <= realRadii2[i]) covered++;
  return {
    precision: inside / y.rows,
    recall: recalled / x.rows,
    density: memberships / (k * y.rows),
    coverage: covered / x.rows,
  };
}
