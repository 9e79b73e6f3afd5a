/**
 * Divergence throughput: jsDivergence and klDivergence on vectors of length 10, 1000, 100000 and on
 * a 10000 x 100 batch along axis 1, beside SciPy's `jensenshannon` and `entropy(p, q)` on the same
 * sizes (bench/divergences_scipy.py, spawned here). Plain Float64Array loops, one thread.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  fromCounts,
  jsDivergence,
  jsDivergenceBatch,
  klDivergence,
  klDivergenceBatch,
} from "../src/metrics/index.js";
import { type BenchOptions, type BenchTable, timeIt } from "./table.js";

type Case = { fn: "js" | "kl"; rows: number; k: number };
type ScipyResult = Case & { sec: number };
type ScipyRun = { scipy: string; numpy: string; results: ScipyResult[] };

const CASES: Case[] = [10, 1000, 100000].flatMap((k) => [
  { fn: "js" as const, rows: 1, k },
  { fn: "kl" as const, rows: 1, k },
]);
CASES.push({ fn: "js", rows: 10000, k: 100 }, { fn: "kl", rows: 10000, k: 100 });

/** Seeded Dirichlet(1) rows: `rows` probability vectors of length `k`, row-major. */
function dirichletRows(seed: number, rows: number, k: number): Float64Array {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const w = new Float64Array(rows * k);
  for (let i = 0; i < w.length; i++) w[i] = -Math.log(u());
  return fromCounts(w, { shape: [rows, k], axis: 1 });
}

/** Run the SciPy side; null (with the reason) when python3 or SciPy is missing or fails. */
function runScipy(quick: boolean): { run: ScipyRun | null; why: string } {
  const script = fileURLToPath(new URL("./divergences_scipy.py", import.meta.url));
  const r = spawnSync("python3", [script, ...(quick ? ["--quick"] : [])], {
    encoding: "utf8",
    timeout: 300_000,
  });
  if (r.error) return { run: null, why: `python3 could not be run (${r.error.message})` };
  if (r.status !== 0)
    return { run: null, why: `python3 ${script} failed: ${r.stderr.trim().split("\n").pop()}` };
  try {
    return { run: JSON.parse(r.stdout) as ScipyRun, why: "" };
  } catch {
    return { run: null, why: "python3 printed no JSON" };
  }
}

/** Seconds per call of one case on our side. */
function timeOurs(c: Case, quick: boolean): number {
  const P = dirichletRows(1, c.rows, c.k);
  const Q = dirichletRows(2, c.rows, c.k);
  let sink = 0;
  let f: () => void;
  if (c.rows === 1) {
    const g = c.fn === "js" ? jsDivergence : klDivergence;
    f = () => {
      sink += g(P, Q);
    };
  } else {
    const g = c.fn === "js" ? jsDivergenceBatch : klDivergenceBatch;
    const shape = [c.rows, c.k];
    f = () => {
      sink += g(P, Q, shape, 1)[0];
    };
  }
  const elements = c.rows * c.k;
  const inner = Math.max(1, Math.round((quick ? 2e5 : 2e6) / elements));
  const ms = timeIt(f, { warmup: quick ? 2 : 5, reps: quick ? 3 : 7, inner });
  if (!Number.isFinite(sink)) throw new Error("bench: non-finite divergence");
  return ms / 1000;
}

const NAMES = { js: ["jsDivergence", "jensenshannon"], kl: ["klDivergence", "entropy(p, q)"] } as const;

/** The divergence throughput table (vectors/s and elements/s, SciPy side by side when available). */
export async function run(opts: BenchOptions): Promise<BenchTable[]> {
  opts.log("divergences: running SciPy side (python3 bench/divergences_scipy.py)");
  const { run: scipy, why } = runScipy(opts.quick);
  const columns = ["function (ours / scipy)", "input", "vectors/s", "elements/s"];
  if (scipy) columns.push("scipy vectors/s", "scipy elements/s", "ours ÷ scipy");
  const rows: (string | number)[][] = [];
  for (const c of CASES) {
    opts.log(`divergences: ${c.fn} rows=${c.rows} k=${c.k}`);
    const sec = timeOurs(c, opts.quick);
    const input = c.rows === 1 ? `k = ${c.k}` : `batch ${c.rows} × ${c.k}, axis 1`;
    const row: (string | number)[] = [
      `${NAMES[c.fn][0]} / ${NAMES[c.fn][1]}`,
      input,
      c.rows / sec,
      (c.rows * c.k) / sec,
    ];
    if (scipy) {
      const s = scipy.results.find((x) => x.fn === c.fn && x.rows === c.rows && x.k === c.k);
      if (s) row.push(c.rows / s.sec, (c.rows * c.k) / s.sec, s.sec / sec);
      else row.push("-", "-", "-");
    }
    rows.push(row);
  }
  const notes = [
    "Throughput, higher is better; one vector = one divergence value (a batch counts its rows).",
    "Inputs: Dirichlet(1) draws, float64. Ours validates in the same pass (entries >= 0, sums within 1e-9) and uses SciPy 1.17's rel_entr branches.",
  ];
  if (scipy)
    notes.push(
      `SciPy ${scipy.scipy} / NumPy ${scipy.numpy} through python3 (bench/divergences_scipy.py), same sizes; ` +
        "jensenshannon also renormalises p, q and takes the square root. At k = 10 SciPy's time is mostly Python call overhead.",
      "ours ÷ scipy = SciPy seconds per call / ours (> 1: ours is faster).",
    );
  else notes.push(`SciPy column omitted: ${why}.`);
  return [{ title: "Divergence throughput (float64, one thread)", columns, rows, notes }];
}
