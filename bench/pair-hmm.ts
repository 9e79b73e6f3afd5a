/**
 * Pair-HMM bench: forward, backward, match posteriors (forward+backward), Viterbi and MEA on two
 * 2,000-residue proteins (y a 30%-substituted copy of x), in cells per second; ProbCons 1.12
 * (bench/pair_hmm_probcons.sh, Debian `probcons`) aligns the same two sequences side by side: its
 * pairwise run (`-c 0 -ir 0`: posterior by forward/backward and MEA, no consistency or refinement) is
 * compared with ours (matchPosterior + meaAlignment) as a ratio; its default run is listed too.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeProtein } from "../src/models/pair-hmm/alphabet.js";
import { backwardScore } from "../src/models/pair-hmm/backward.js";
import { forwardScore } from "../src/models/pair-hmm/forward.js";
import { meaAlignment } from "../src/models/pair-hmm/mea.js";
import { blosum62Params } from "../src/models/pair-hmm/model.js";
import { matchPosterior } from "../src/models/pair-hmm/posterior.js";
import { viterbi } from "../src/models/pair-hmm/viterbi.js";
import { type BenchOptions, type BenchTable, fmt, timeIt } from "./table.js";

type ProbconsResult = { probcons: string; default_s: number[]; pairwise_s: number[] };

const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];

/** Two related proteins of `length` residues, Robinson background, seeded. */
function pair(length: number): [Int8Array, Int8Array] {
  let s = 20261128;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const x = Int8Array.from({ length }, () => Math.floor(u() * 20));
  const y = Int8Array.from(x, (a) => (u() < 0.3 ? Math.floor(u() * 20) : a));
  return [x, y];
}

function runProbcons(fasta: string, reps: number): ProbconsResult | string {
  const r = spawnSync(
    "sh",
    [fileURLToPath(new URL("./pair_hmm_probcons.sh", import.meta.url)), fasta, String(reps)],
    {
      encoding: "utf8",
    },
  );
  if (r.status !== 0) return (r.stdout || r.stderr || `exit ${r.status}`).trim();
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as ProbconsResult;
}

/** Run the bench: one table, with a ProbCons column when `probcons` is installed. */
export async function run(opts: BenchOptions): Promise<BenchTable[]> {
  const length = 2000;
  const [x, y] = pair(length);
  const cells = length * length;
  const p = blosum62Params();
  const t = { warmup: opts.quick ? 0 : 1, reps: opts.quick ? 1 : 5, inner: 1 };
  opts.log(`pair-hmm: ${length} x ${length}, ${opts.quick ? "quick" : `${t.reps} reps`}`);
  const fwd = timeIt(() => forwardScore(p, x, y), t) / 1000;
  const bwd = timeIt(() => backwardScore(p, x, y), t) / 1000;
  const post = timeIt(() => matchPosterior(p, x, y), t) / 1000;
  const vit = timeIt(() => viterbi(p, x, y), t) / 1000;
  const { posterior } = matchPosterior(p, x, y);
  const mea = timeIt(() => meaAlignment(posterior, length, length), t) / 1000;
  const ours = post + mea;

  const dir = mkdtempSync(join(tmpdir(), "novelist-pairhmm-"));
  const fasta = join(dir, "pair.fasta");
  writeFileSync(fasta, `>x\n${decodeProtein(x)}\n>y\n${decodeProtein(y)}\n`);
  const pc = runProbcons(fasta, opts.quick ? 1 : 5);
  rmSync(dir, { recursive: true, force: true });
  const have = typeof pc !== "string";

  const row = (name: string, s: number, ref?: number) => {
    const r: (string | number)[] = [name, s, cells / s / 1e6];
    if (have) r.push(ref === undefined ? "" : ref, ref === undefined ? "" : s / ref);
    return r;
  };
  const pcPair = have ? median(pc.pairwise_s) : undefined;
  const columns = ["step (2,000 × 2,000)", "ours (s)", "ours (Mcells/s)"];
  if (have) columns.push(`ProbCons ${pc.probcons} (s)`, "ours ÷ ProbCons");
  const rows = [
    row("forward (scaled, 2 rows)", fwd),
    row("backward (scaled, 2 rows)", bwd),
    row("forward+backward posteriors (matchPosterior)", post),
    row("Viterbi with traceback", vit),
    row("MEA from posteriors", mea),
    row("pairwise alignment: posteriors + MEA", ours, pcPair),
  ];
  if (have)
    rows.push(["ProbCons default run (consistency 2, refinement 100)", "", "", median(pc.default_s), ""]);
  const notes = [
    "Ours: three-state pair HMM (Durbin §4.2), BLOSUM62 emissions, trained default gaps, float64 in probability space scaled per block of 32 columns (exact log space whenever that reports lost precision), one thread.",
    have
      ? `ProbCons ${pc.probcons} (Debian package) on the same two sequences via bench/pair_hmm_probcons.sh, median wall time of ${pc.pairwise_s.length} runs of \`probcons -c 0 -ir 0\` (whole process: reading, five-state posterior by forward/backward (single precision, approximate log-add), MEA, output); ratio = ours (posteriors + MEA) ÷ ProbCons, below 1 means we are faster. Runs: ${pc.pairwise_s.map(fmt).join(", ")} s.`
      : `ProbCons column omitted: ${pc}. Install it with \`apt-get install probcons\`.`,
  ];
  return [{ title: "Pair HMM: two 2,000-residue proteins", columns, rows, notes }];
}
