"""SciPy side of bench/dimension.ts: correlation sums with scipy.spatial.cKDTree.count_neighbors.

Usage: python3 bench/dimension_scipy.py POINTS.f64 N D THEILER REFS R_MIN R_MAX COUNT FIT_MIN FIT_MAX [--quick]
POINTS.f64 holds the N x D float64 points (row-major, little-endian) written by the TypeScript bench,
so both sides count the very same points. Reference rows are evenly spaced, floor((k + 0.5) N / REFS),
as in Novelist's correlationSum without a key. Pairs with |i - j| <= THEILER are subtracted exactly.
Prints one JSON object: versions, seconds (best of the repeats; tree builds + counting + Theiler
correction), the pair counts per radius and the least-squares slope over [FIT_MIN, FIT_MAX].
"""

import json
import sys
import time

import numpy as np
import scipy
from scipy.spatial import cKDTree

args = [a for a in sys.argv[1:] if not a.startswith("--")]
quick = "--quick" in sys.argv[1:]
path, n, d, w, m = args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4])
r_min, r_max, count, fit_min, fit_max = float(args[5]), float(args[6]), int(args[7]), float(args[8]), float(args[9])
X = np.fromfile(path, dtype="<f8").reshape(n, d)
radii = r_min * np.exp(np.log(r_max / r_min) / (count - 1) * np.arange(count))
radii[-1] = r_max
refs = np.arange(n) if m >= n else np.floor((np.arange(m) + 0.5) * n / m).astype(int)


def correlation_sum():
    tree = cKDTree(X, leafsize=8)
    ref_tree = tree if m >= n else cKDTree(X[refs], leafsize=8)
    pairs = ref_tree.count_neighbors(tree, radii).astype(float)
    # Theiler window (and self-pairs): subtract pairs (i, i + lag), |lag| <= w, i a reference
    total = 0
    for lag in range(-w, w + 1):
        j = refs + lag
        ok = (j >= 0) & (j < n)
        dist2 = np.sum((X[refs[ok]] - X[j[ok]]) ** 2, axis=1)
        pairs -= np.sum(dist2[:, None] <= radii[None, :] ** 2, axis=0)
        total += int(ok.sum())
    return pairs, len(refs) * n - total


times = []
for _ in range(1 if quick else 3):
    t0 = time.perf_counter()
    pairs, total = correlation_sum()
    times.append(time.perf_counter() - t0)
C = pairs / total
sel = (radii >= fit_min * (1 - 1e-12)) & (radii <= fit_max * (1 + 1e-12))
slope = float(np.polyfit(np.log(radii[sel]), np.log(C[sel]), 1)[0])
print(json.dumps({
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "sec": min(times),
    "pairs": pairs.tolist(),
    "dimension": slope,
}))
