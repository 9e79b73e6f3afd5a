/**
 * Maximum expected accuracy alignment from match posteriors, as in ProbCons (Do et al. 2005, Genome Res.
 * 15:330, eq. 3): maximise the sum of P(x_i ◇ y_j | x, y) over aligned pairs, gaps scoring 0.
 */
import { ValueError } from "../../errors.js";

/** An MEA alignment: `columns` as in `Alignment` (-1 for a gap) and its expected number of correct pairs. */
export type MeaAlignment = { columns: [number, number][]; expectedAccuracy: number };

/** MEA alignment of posteriors `[n*m]` (index i*m+j, from `matchPosterior`); O(nm) memory. */
export function meaAlignment(posterior: Float64Array, n: number, m: number): MeaAlignment {
  if (posterior.length !== n * m)
    throw new ValueError(
      `meaAlignment: posterior must have n*m = ${n * m} entries, but got ${posterior.length}`,
    );
  const w = m + 1;
  const A = new Float64Array((n + 1) * w);
  // 1. A(i,j) = max(A(i-1,j-1) + P(i,j), A(i-1,j), A(i,j-1)).
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++) {
      const d = A[(i - 1) * w + j - 1] + posterior[(i - 1) * m + j - 1];
      const u = A[(i - 1) * w + j];
      const l = A[i * w + j - 1];
      A[i * w + j] = d >= u && d >= l ? d : Math.max(u, l);
    }
  // 2. Traceback, preferring a match, then a gap in y, then a gap in x.
  const columns: [number, number][] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const here = A[i * w + j];
    if (i > 0 && j > 0 && here === A[(i - 1) * w + j - 1] + posterior[(i - 1) * m + j - 1]) {
      columns.push([--i, --j]);
    } else if (i > 0 && (j === 0 || here === A[(i - 1) * w + j])) {
      columns.push([--i, -1]);
    } else {
      columns.push([-1, --j]);
    }
  }
  columns.reverse();
  return { columns, expectedAccuracy: A[n * w + m] };
}
