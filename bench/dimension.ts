/**
 * Correlation dimension of the Lorenz attractor: 20,000 standardised Lorenz-63 points (RK4, dt 0.01,
 * one point per 0.1 time units), Theiler window 10, 21 log-spaced radii from 0.01 to 1; all points as
 * references, and 4,000 evenly spaced references. Beside SciPy's `cKDTree.count_neighbors` (also a
 * dual-tree count) on the very same points (bench/dimension_scipy.py, spawned here), whose pair counts
 * must equal ours.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { standardize } from "../src/data/dynamical/index.js";
import { lorenz } from "../src/data/dynamical/lorenz.js";
import { random } from "../src/jax.js";
import { correlationSum, fitCorrelationDimension } from "../src/metrics/index.js";
import { runPythonJson } from "./reference.js";
import { type BenchOptions, type BenchTable, timeIt } from "./table.js";

type ScipyRun = { scipy: string; numpy: string; sec: number; pairs: number[]; dimension: number };

const N = 20000;
const THEILER = 10;
const RADII = { min: 0.01, max: 1, count: 21 };
const FIT: [number, number] = [0.05, 0.5];

/** The correlation dimension table: ours and SciPy's time, D2 from each, and whether the counts agree. */
export async function run(opts: BenchOptions): Promise<BenchTable[]> {
  const X = standardize(lorenz(random.key(0), N)).Z;
  const dir = mkdtempSync(join(tmpdir(), "novelist-dimension-"));
  const file = join(dir, "lorenz.f64");
  writeFileSync(file, new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
  const columns = ["references", "ms (ours)", "D2 (ours)"];
  const rows: (string | number)[][] = [];
  const notes = [
    `${N} Lorenz-63 points (σ 10, ρ 28, β 8/3; RK4 dt 0.01, every 10th step after 2,000; standardised), Theiler window ${THEILER}, ${RADII.count} radii ${RADII.min}–${RADII.max} (log-spaced), D2 = least-squares slope of log C on log r over r in [${FIT[0]}, ${FIT[1]}] (literature: 2.05 ± 0.01, Grassberger & Procaccia 1983).`,
    "ms: one full correlationSum (k-d tree builds, dual-tree count, Theiler correction); median of repeats, one thread.",
  ];
  let why = "";
  let anyScipy = false;
  try {
    for (const refs of [N, 4000]) {
      opts.log(`dimension: ours, ${refs} references`);
      let cs = correlationSum(X, { radii: RADII, theiler: THEILER, references: refs });
      const ms = timeIt(
        () => {
          cs = correlationSum(X, { radii: RADII, theiler: THEILER, references: refs });
        },
        opts.quick ? { warmup: 0, reps: 1, inner: 1 } : { warmup: 1, reps: 5, inner: 1 },
      );
      const dim = fitCorrelationDimension(cs, { range: FIT }).dimension;
      const row: (string | number)[] = [refs === N ? `all ${N}` : `${refs} (evenly spaced)`, ms, dim];
      opts.log(`dimension: scipy, ${refs} references`);
      const args = [file, N, 3, THEILER, refs, RADII.min, RADII.max, RADII.count, FIT[0], FIT[1]].map(String);
      const { result, why: w } = runPythonJson<ScipyRun>(
        "dimension_scipy.py",
        opts.quick ? [...args, "--quick"] : args,
        {
          python: "python3",
          probeImport: "scipy.spatial",
          install: "pip install scipy",
        },
      );
      if (result) {
        anyScipy = true;
        const same = result.pairs.every((p, k) => p === cs.pairs[k]);
        row.push(result.sec * 1000, result.dimension, (result.sec * 1000) / ms, same ? "yes" : "NO");
      } else {
        why = w;
        row.push("-", "-", "-", "-");
      }
      rows.push(row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (anyScipy) {
    columns.push("ms (scipy)", "D2 (scipy)", "ours ÷ scipy (speed)", "same pair counts");
    notes.push(
      "SciPy: cKDTree(leafsize=8).count_neighbors over the same 21 radii, Theiler pairs subtracted with NumPy (bench/dimension_scipy.py, python3, best of 3); same reference rows.",
      "ours ÷ scipy = SciPy time / ours (> 1: ours is faster). 'same pair counts': every radius's count equal.",
    );
  } else {
    for (const r of rows) r.splice(3);
    notes.push(`SciPy columns omitted: ${why}.`);
  }
  return [{ title: "Correlation dimension (Lorenz-63, 20,000 points)", columns, rows, notes }];
}
