/**
 * Classifier bench: fit + predict_proba on synthetic data (100,000 × 50, 5 Gaussian classes) for LDA
 * (svd solver) and logistic regression (multinomial, C = 1), with scikit-learn timed side by side on
 * the same data (its script writes the data we read) when /usr/bin/python3 has sklearn.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Matrix } from "../src/linalg/matrix.js";
import { LDA } from "../src/models/classifiers/lda.js";
import { LogisticRegression } from "../src/models/classifiers/logistic-regression.js";
import type { BenchOptions, BenchTable } from "./table.js";

type SkResult = { sklearn: string; numpy: string; lda_s: number; logreg_s: number; logreg_iters: number };

function best(fn: () => void, reps: number): number {
  let t = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return t;
}

/** Run the bench (see the file header). */
export async function run(opts: BenchOptions): Promise<BenchTable[]> {
  const n = opts.quick ? 20_000 : 100_000;
  const d = 50;
  const k = 5;
  const reps = opts.quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), "novelist-bench-"));
  const notes: string[] = [];
  try {
    opts.log("classifiers: scikit-learn side (/usr/bin/python3 bench/classifiers_sklearn.py)");
    const py = spawnSync(
      "/usr/bin/python3",
      [
        "bench/classifiers_sklearn.py",
        "--n",
        String(n),
        "--d",
        String(d),
        "--k",
        String(k),
        "--reps",
        String(reps),
        "--out",
        dir,
      ],
      { encoding: "utf8" },
    );
    if (py.status !== 0) {
      notes.push(
        `scikit-learn not available (${(py.stderr || py.error?.message || "").trim().split("\n").pop()}): its columns are omitted; install python3-sklearn to compare.`,
      );
      return [
        {
          title: "Classifiers",
          columns: ["note"],
          rows: [["bench needs the data that bench/classifiers_sklearn.py writes; it could not run"]],
          notes,
        },
      ];
    }
    const sk = JSON.parse(py.stdout) as SkResult;
    const Xbuf = readFileSync(join(dir, "X.f64"));
    const X: Matrix = {
      rows: n,
      cols: d,
      data: new Float64Array(Xbuf.buffer.slice(Xbuf.byteOffset, Xbuf.byteOffset + Xbuf.byteLength)),
    };
    const ybuf = readFileSync(join(dir, "y.i32"));
    const y = Array.from(
      new Int32Array(ybuf.buffer.slice(ybuf.byteOffset, ybuf.byteOffset + ybuf.byteLength)),
    );
    opts.log("classifiers: LDA");
    const lda = best(() => LDA.predictProba(LDA.fit(X, y, { solver: "svd" }), X), reps);
    opts.log("classifiers: logistic regression");
    const fitLogreg = (tol: number) => {
      let iters = 0;
      const t = best(() => {
        const f = LogisticRegression.fit(X, y, { C: 1, tol });
        iters = f.nIter;
        LogisticRegression.predictProba(f, X);
      }, reps);
      return { t, iters };
    };
    const loose = fitLogreg(1e-4);
    const tight = fitLogreg(1e-8);
    notes.push(
      `Same data in both (written by the Python script: ${k} Gaussian classes, shared random covariance), float64, best of ${reps} run(s).`,
      `scikit-learn ${sk.sklearn} (numpy ${sk.numpy}, Debian python3-sklearn) through /usr/bin/python3 in the same run; its BLAS may use both cores, ours is one thread.`,
      `Logistic regression stops when max |gradient| <= tol, the rule of scikit-learn's lbfgs (gtol = tol): at its default tol 1e-4 ours took ${loose.iters} iterations, scikit-learn ${sk.logreg_iters}; our default tol 1e-8 (the optimum to 1e-8) took ${tight.iters}.`,
      "ours ÷ sklearn = sklearn seconds ÷ ours (> 1: ours is faster).",
    );
    return [
      {
        title: `Classifiers: fit + predict_proba, ${n.toLocaleString("en")} × ${d}, ${k} classes`,
        columns: ["model", "ours (s)", "scikit-learn (s)", "ours ÷ sklearn (speed)"],
        rows: [
          ["LDA (svd)", lda, sk.lda_s, sk.lda_s / lda],
          [
            "logistic regression (multinomial, C = 1), tol 1e-4 both",
            loose.t,
            sk.logreg_s,
            sk.logreg_s / loose.t,
          ],
          ["logistic regression, ours to tol 1e-8", tight.t, sk.logreg_s, sk.logreg_s / tight.t],
        ],
        notes,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
