#!/usr/bin/env python3
"""scikit-learn side of bench/classifiers.ts: makes the synthetic data (written for the TypeScript side
to read), then times LDA and LogisticRegression fit + predict_proba on it. Prints JSON.

Usage: /usr/bin/python3 bench/classifiers_sklearn.py --n 100000 --d 50 --k 5 --out DIR [--reps 3]
"""
import argparse
import json
import os
import time

import numpy as np
import sklearn
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import LogisticRegression

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, default=100000)
ap.add_argument("--d", type=int, default=50)
ap.add_argument("--k", type=int, default=5)
ap.add_argument("--reps", type=int, default=3)
ap.add_argument("--out", required=True)
a = ap.parse_args()

# k Gaussian classes with random means and one random covariance: the data LDA assumes.
rng = np.random.default_rng(0)
means = rng.normal(scale=0.7, size=(a.k, a.d))
A = rng.normal(size=(a.d, a.d)) / np.sqrt(a.d)
y = rng.integers(0, a.k, size=a.n)
X = means[y] + rng.normal(size=(a.n, a.d)) @ A.T
X.astype("<f8").tofile(os.path.join(a.out, "X.f64"))
y.astype("<i4").tofile(os.path.join(a.out, "y.i32"))


def best(fn):
    times = []
    for _ in range(a.reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def lda():
    m = LinearDiscriminantAnalysis(solver="svd").fit(X, y)
    m.predict_proba(X)


def logreg():
    m = LogisticRegression(C=1.0, max_iter=1000).fit(X, y)
    m.predict_proba(X)
    return m.n_iter_[0]


n_iter = int(LogisticRegression(C=1.0, max_iter=1000).fit(X, y).n_iter_[0])
print(
    json.dumps(
        {
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "lda_s": best(lda),
            "logreg_s": best(logreg),
            "logreg_iters": n_iter,
        }
    )
)
