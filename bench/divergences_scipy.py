"""SciPy side of bench/divergences.ts: throughput of jensenshannon and entropy(p, q) (KL).

Usage: python3 bench/divergences_scipy.py [--quick]
Prints one JSON object: versions and, per case, seconds per call (best of the repeats).
Same sizes as the TypeScript bench: vectors of length 10, 1000, 100000 and a 10000 x 100 batch
reduced along axis 1. Inputs are Dirichlet(1) draws (the values do not affect the timing).
"""

import json
import sys
import timeit

import numpy as np
import scipy
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy

quick = "--quick" in sys.argv[1:]
rng = np.random.default_rng(0)


def per_call(f, budget):
    """Seconds per call: calls grouped so a group takes ~budget seconds; best of several groups."""
    t = timeit.Timer(f)
    t.timeit(number=3)  # warm up
    once = t.timeit(number=1)
    number = max(1, int(budget / max(once, 1e-7)))
    repeats = 2 if quick else 5
    return min(t.repeat(repeat=repeats, number=number)) / number


budget = 0.02 if quick else 0.2
results = []
for k in [10, 1000, 100000]:
    p = rng.dirichlet(np.ones(k))
    q = rng.dirichlet(np.ones(k))
    results.append({"fn": "js", "rows": 1, "k": k, "sec": per_call(lambda: jensenshannon(p, q), budget)})
    results.append({"fn": "kl", "rows": 1, "k": k, "sec": per_call(lambda: entropy(p, q), budget)})
rows, k = 10000, 100
P = rng.dirichlet(np.ones(k), size=rows)
Q = rng.dirichlet(np.ones(k), size=rows)
results.append({"fn": "js", "rows": rows, "k": k, "sec": per_call(lambda: jensenshannon(P, Q, axis=1), budget)})
results.append({"fn": "kl", "rows": rows, "k": k, "sec": per_call(lambda: entropy(P, Q, axis=1), budget)})

print(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__, "results": results}))
