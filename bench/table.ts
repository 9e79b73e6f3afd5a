/**
 * What every benchmark returns: tables that `bench/run.ts` prints to the terminal and writes into
 * bench/RESULTS.md. A bench module exports `run(opts): Promise<BenchTable[]>`.
 */
export type BenchTable = {
  /** e.g. "MLP train step (batch 256, 3→256→256→3, Adam)" */
  title: string;
  columns: string[];
  rows: (string | number)[][];
  /** free text printed under the table: what was compared, what was skipped and why */
  notes?: string[];
};

/** Options every bench receives; `quick` shrinks repetitions (used by a smoke test). */
export type BenchOptions = { quick: boolean; log: (line: string) => void };

/** Format a number for a table cell: 3 significant digits, no exponent for ordinary magnitudes. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(2);
  return x.toPrecision(3).replace(/\.?0+$/, (m) => (m.startsWith(".") ? "" : m));
}

/** Render one table as GitHub markdown. */
export function toMarkdown(t: BenchTable): string {
  const lines = [
    `### ${t.title}`,
    "",
    `| ${t.columns.join(" | ")} |`,
    `|${t.columns.map(() => "---").join("|")}|`,
  ];
  for (const r of t.rows) lines.push(`| ${r.map((c) => (typeof c === "number" ? fmt(c) : c)).join(" | ")} |`);
  if (t.notes?.length) lines.push("", ...t.notes.map((n) => `- ${n}`));
  return lines.join("\n");
}

/** Time `fn` (ms per call): `warmup` untimed calls, then median of `reps` timed batches of `inner` calls. */
export function timeIt(
  fn: () => void,
  opts: { warmup?: number; reps?: number; inner?: number } = {},
): number {
  const { warmup = 3, reps = 5, inner = 10 } = opts;
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    times.push((performance.now() - t0) / inner);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
