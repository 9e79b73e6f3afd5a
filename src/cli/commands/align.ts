/**
 * `novelist align a.fasta b.fasta` and `novelist pairhmm sample|train`: pairwise protein alignment
 * with the pair hidden Markov model (forward log P(x,y) over all alignments, Viterbi, MEA, sampling).
 */
import { formatAlignedFasta, parseFasta, type SequenceRecord } from "../../data/sequences/fasta.js";
import { formatStockholm } from "../../data/sequences/stockholm.js";
import { ValueError } from "../../errors.js";
import { random } from "../../jax.js";
import {
  type Alignment,
  alignmentStrings,
  decodeProtein,
  encodeProtein,
  fiveStateForwardScore,
  fiveStateMatchPosterior,
  fiveStateViterbi,
  forwardScore,
  loadParams,
  matchPosterior,
  meaAlignment,
  type PairHmmParams,
  pairEmissions,
  probconsParams,
  ROBINSON_FREQUENCIES,
  sampleAlignments,
  samplePair,
  saveParams,
  TRAINED_GAPS,
  trainPairHmm,
  validateParams,
  viterbi,
} from "../../models/pair-hmm/index.js";
import { SCORE_MATRIX_NAMES, scoreMatrix } from "../../models/pair-hmm/score-matrices.js";
import { type Command, choice, flag, num, optStr, seed, seedOption, str, UsageError } from "../command.js";
import { readText, writeTextResult } from "../files.js";
import { createProgress } from "../progress.js";

/** Parameters from a JSON file, or derived from a substitution matrix with the trained default gaps. */
function paramsFrom(paramsPath: string | undefined, matrix: string): PairHmmParams {
  if (paramsPath) return loadParams(readText(paramsPath, "parameter file"));
  const { match } = pairEmissions(scoreMatrix(matrix).scores, ROBINSON_FREQUENCIES);
  const params = {
    ...TRAINED_GAPS,
    match,
    background: Float64Array.from(ROBINSON_FREQUENCIES),
  };
  validateParams(params, "align");
  return params;
}

function firstRecord(path: string): SequenceRecord {
  const records = parseFasta(readText(path, "FASTA file"), { source: path });
  if (records.length === 0) throw new ValueError(`${path}: holds no sequence`);
  return records[0];
}

/** EMBOSS needle-like pairwise layout: a header of statistics, then blocks of 50 columns. */
function pairFormat(ids: [string, string], rows: [string, string], stats: Record<string, string>): string {
  const lines = ["########################################", "# Program: novelist align"];
  lines.push(`# 1: ${ids[0]}`, `# 2: ${ids[1]}`);
  for (const [k, v] of Object.entries(stats)) lines.push(`# ${`${k}:`.padEnd(21)}${v}`);
  lines.push("#", "#=======================================", "");
  const w = Math.max(ids[0].length, ids[1].length, 13);
  let pos = [1, 1];
  for (let start = 0; start < rows[0].length; start += 50) {
    const a = rows[0].slice(start, start + 50);
    const b = rows[1].slice(start, start + 50);
    const mid = [...a]
      .map((c, k) => (c !== "-" && c === b[k] ? "|" : c === "-" || b[k] === "-" ? " " : "."))
      .join("");
    const ends = [a, b].map((s, r) => pos[r] + [...s].filter((c) => c !== "-").length - 1);
    lines.push(`${ids[0].slice(0, w).padEnd(w)} ${String(pos[0]).padStart(6)} ${a} ${ends[0]}`);
    lines.push(`${"".padEnd(w)} ${"".padStart(6)} ${mid}`);
    lines.push(`${ids[1].slice(0, w).padEnd(w)} ${String(pos[1]).padStart(6)} ${b} ${ends[1]}`, "");
    pos = [ends[0] + 1, ends[1] + 1];
  }
  return `${lines.join("\n")}\n`;
}

const align: Command = {
  name: "align",
  summary: "align two protein sequences with the pair HMM (Viterbi, MEA or a posterior sample)",
  usage:
    "novelist align A.fasta B.fasta [--method viterbi|mea|sample] [--model three-state|five-state] [--matrix BLOSUM62] [--params P.json] [--format pair|fasta|stockholm|json]",
  positionals: [
    { name: "A.fasta", help: "the first sequence (first record of the file)" },
    { name: "B.fasta", help: "the second sequence" },
  ],
  options: {
    method: {
      type: "string",
      value: "NAME",
      help: "viterbi (best alignment, default), mea (maximum expected accuracy), sample (from the posterior)",
    },
    matrix: {
      type: "string",
      value: "NAME",
      help: `substitution matrix for the match emissions: ${SCORE_MATRIX_NAMES.join(", ")} (default BLOSUM62)`,
    },
    params: {
      type: "string",
      value: "FILE",
      help: "pair-HMM parameters (JSON from pairhmm train); overrides --matrix (three-state model only)",
    },
    model: {
      type: "string",
      value: "NAME",
      help: "three-state (default; trained gaps) or five-state (ProbCons's short and long gap states, its published gaps)",
    },
    format: {
      type: "string",
      value: "NAME",
      help: "pair (EMBOSS needle-like, default), fasta, stockholm (with #=GR PP), json",
    },
    seed: seedOption,
  },
  run(args, ctx) {
    if (args.positionals.length !== 2)
      throw new UsageError(`align takes two FASTA files, but got ${args.positionals.length} argument(s)`);
    const method = choice(args, "method", ["viterbi", "mea", "sample"] as const, "viterbi");
    const format = choice(args, "format", ["pair", "fasta", "stockholm", "json"] as const, "pair");
    const matrix = str(args, "matrix", "BLOSUM62");
    if (!SCORE_MATRIX_NAMES.some((n) => n.toLowerCase() === matrix.toLowerCase())) {
      throw new UsageError(
        `--matrix must be one of ${SCORE_MATRIX_NAMES.join(", ")}, but got ${JSON.stringify(matrix)}`,
      );
    }
    const model = choice(args, "model", ["three-state", "five-state"] as const, "three-state");
    if (model === "five-state" && method === "sample")
      throw new UsageError(
        "--method sample needs the three-state model (no stochastic traceback for five-state)",
      );
    if (model === "five-state" && optStr(args, "params") !== undefined)
      throw new UsageError(
        "--params reads three-state parameters; it cannot be used with --model five-state",
      );
    const params = paramsFrom(optStr(args, "params"), matrix);
    const [ra, rb] = args.positionals.map(firstRecord);
    const x = encodeProtein(ra.sequence, ra.id);
    const y = encodeProtein(rb.sequence, rb.id);
    // 1. the sum over all alignments, the best one, and the match posteriors
    // five-state: ProbCons's gaps with the chosen matrix's emissions
    const five =
      model === "five-state"
        ? { ...probconsParams(), match: params.match, background: params.background }
        : null;
    const logP = five ? fiveStateForwardScore(five, x, y) : forwardScore(params, x, y);
    const best: Alignment = five ? fiveStateViterbi(five, x, y) : viterbi(params, x, y);
    const { posterior } = five ? fiveStateMatchPosterior(five, x, y) : matchPosterior(params, x, y);
    const m = y.length;
    let chosen: Alignment = best;
    if (method === "mea")
      chosen = { columns: meaAlignment(posterior, x.length, m).columns, logProb: Number.NaN };
    if (method === "sample") chosen = sampleAlignments(params, random.key(seed(args)), x, y, { count: 1 })[0];
    // 2. statistics and per-column posteriors (gap columns: 0)
    const colPost = chosen.columns.map(([i, j]) => (i >= 0 && j >= 0 ? posterior[i * m + j] : 0));
    // identity counts equal amino acids; ambiguity codes (B, Z, X) are never identical
    const identical = chosen.columns.filter(
      ([i, j]) => i >= 0 && j >= 0 && x[i] === y[j] && x[i] < 20,
    ).length;
    const gaps = chosen.columns.filter(([i, j]) => i < 0 || j < 0).length;
    const L = chosen.columns.length;
    // the rows show the letters as given (U, O, J stay), upper-cased
    const rows = alignmentStrings(chosen, ra.sequence.toUpperCase(), rb.sequence.toUpperCase());
    if (format === "json") {
      ctx.out(
        JSON.stringify({
          method,
          model,
          x: ra.id,
          y: rb.id,
          aligned: rows,
          columns: chosen.columns,
          logProb: logP,
          viterbiLogProb: best.logProb,
          identity: identical / L,
          posteriors: colPost,
        }),
      );
      return;
    }
    if (format === "fasta") {
      ctx.out(
        formatAlignedFasta([
          { id: ra.id, description: ra.description, sequence: rows[0] },
          { id: rb.id, description: rb.description, sequence: rows[1] },
        ]),
      );
      return;
    }
    if (format === "stockholm") {
      const residuePost = (row: 0 | 1) =>
        chosen.columns
          .filter((c) => c[row] >= 0)
          .map(([i, j]) => (i >= 0 && j >= 0 ? posterior[i * m + j] : 0));
      ctx.out(
        formatStockholm(
          {
            sequences: [
              { name: ra.id, aligned: rows[0] },
              { name: rb.id, aligned: rows[1] },
            ],
            gf: [{ tag: "AU", text: `novelist align --method ${method}` }],
            gs: [],
            gr: {},
            gc: {},
          },
          { posteriors: { [ra.id]: residuePost(0), [rb.id]: residuePost(1) } },
        ),
      );
      return;
    }
    const pct = (k: number) => `${k}/${L} (${((100 * k) / L).toFixed(1)}%)`;
    ctx.out(
      pairFormat([ra.id, rb.id], rows, {
        Method: method,
        Model: model,
        Matrix: optStr(args, "params") ? `parameters from ${optStr(args, "params")}` : matrix.toUpperCase(),
        Length: String(L),
        Identity: pct(identical),
        Gaps: pct(gaps),
        "log P(x,y), forward": `${logP.toFixed(4)} nats (all alignments)`,
        "log P, Viterbi": `${best.logProb.toFixed(4)} nats`,
        "Mean posterior": colPost.length ? (colPost.reduce((a, b) => a + b, 0) / L).toFixed(4) : "-",
      }),
    );
  },
};

const sample: Command = {
  name: "sample",
  summary: "sample related sequence pairs with their true alignment (Stockholm, one alignment per pair)",
  usage:
    "novelist pairhmm sample [--params P.json | --matrix NAME] -n N [--length L] [--seed N] [--out FILE]",
  options: {
    params: { type: "string", value: "FILE", help: "pair-HMM parameters (JSON); default BLOSUM62 emissions" },
    matrix: {
      type: "string",
      value: "NAME",
      help: "substitution matrix when no --params (default BLOSUM62)",
    },
    n: { type: "string", short: "n", value: "N", help: "number of pairs (default 10)" },
    length: {
      type: "string",
      value: "L",
      help: "expected alignment length: sets τ = 1/(L+1) (default: the parameters' τ)",
    },
    seed: seedOption,
    out: { type: "string", value: "FILE", help: "write here (default: standard output)" },
  },
  async run(args, ctx) {
    const params = paramsFrom(optStr(args, "params"), str(args, "matrix", "BLOSUM62"));
    if (args.values.length !== undefined) {
      params.tau = 1 / (num(args, "length", undefined, { integer: true, min: 1 }) + 1);
      validateParams(params, "pairhmm sample");
    }
    const n = num(args, "n", 10, { integer: true, min: 1, max: 100_000 });
    const keys = random.split(random.key(seed(args)), n);
    const blocks: string[] = [];
    for (let p = 0; p < n; p++) {
      const s = samplePair(params, keys.ref.slice(p));
      const rows = alignmentStrings(
        { columns: s.columns, logProb: 0 },
        decodeProtein(s.x),
        decodeProtein(s.y),
      );
      blocks.push(
        formatStockholm({
          sequences: [
            { name: `pair${p + 1}_x`, aligned: rows[0] },
            { name: `pair${p + 1}_y`, aligned: rows[1] },
          ],
          gf: [
            { tag: "ID", text: `pair${p + 1}` },
            { tag: "AU", text: "novelist pairhmm sample (true alignment)" },
          ],
          gs: [],
          gr: {},
          gc: {},
        }),
      );
    }
    keys.dispose();
    await writeTextResult(ctx, optStr(args, "out"), blocks.join(""));
  },
};

const train: Command = {
  name: "train",
  summary: "train δ, ε, τ (and optionally the emissions) by Baum-Welch on unaligned pairs",
  usage:
    "novelist pairhmm train PAIRS.fasta --out P.json [--method baum-welch|viterbi] [--emissions] [--iterations N]",
  positionals: [
    { name: "PAIRS.fasta", help: "unaligned sequences, taken two by two (records 1-2, 3-4, ...)" },
  ],
  options: {
    out: { type: "string", value: "FILE", help: "where to write the trained parameters (JSON)" },
    method: { type: "string", value: "NAME", help: "baum-welch (EM, default) or viterbi" },
    emissions: { type: "boolean", help: "also re-estimate the match and background emissions" },
    iterations: { type: "string", value: "N", help: "at most N iterations (default 50)" },
    matrix: { type: "string", value: "NAME", help: "starting emissions (default BLOSUM62)" },
    json: { type: "boolean", help: "print a JSON summary" },
  },
  async run(args, ctx) {
    if (args.positionals.length !== 1)
      throw new UsageError(
        `pairhmm train takes one FASTA file, but got ${args.positionals.length} argument(s)`,
      );
    const path = args.positionals[0];
    const out = str(args, "out");
    const method = choice(args, "method", ["baum-welch", "viterbi"] as const, "baum-welch");
    const iterations = num(args, "iterations", 50, { integer: true, min: 1 });
    const records = parseFasta(readText(path, "FASTA file"), { source: path });
    if (records.length < 2 || records.length % 2 !== 0) {
      throw new ValueError(
        `${path}: must hold an even number (≥ 2) of sequences, taken as pairs, but holds ${records.length}`,
      );
    }
    const pairs = [];
    for (let k = 0; k < records.length; k += 2) {
      pairs.push({
        x: encodeProtein(records[k].sequence, records[k].id),
        y: encodeProtein(records[k + 1].sequence, records[k + 1].id),
      });
    }
    const bar = createProgress({
      label: "pairhmm train",
      total: 1,
      stream: ctx.err,
      quiet: flag(args, "json"),
    });
    const r = trainPairHmm(paramsFrom(undefined, str(args, "matrix", "BLOSUM62")), pairs, {
      method,
      iterations,
      emissions: flag(args, "emissions"),
    });
    bar.update(1);
    bar.done();
    await writeTextResult(ctx, out, saveParams(r.params));
    const ll = r.logLikelihood;
    const summary = {
      pairs: pairs.length,
      iterations: ll.length - 1,
      logLikelihood: ll[ll.length - 1],
      delta: r.params.delta,
      epsilon: r.params.epsilon,
      tau: r.params.tau,
      out,
    };
    ctx.out(
      flag(args, "json")
        ? JSON.stringify(summary)
        : `trained on ${summary.pairs} pairs in ${summary.iterations} iterations: δ ${summary.delta.toFixed(4)}, ε ${summary.epsilon.toFixed(4)}, τ ${summary.tau.toFixed(5)}, log-likelihood ${summary.logLikelihood.toFixed(2)} nats -> ${out}`,
    );
  },
};

/** `novelist align ...` */
export const alignCommand = align;

/** `novelist pairhmm ...` */
export const pairhmmCommand: Command = {
  name: "pairhmm",
  summary: "the pair HMM itself: sample related pairs with their true alignment, train its parameters",
  usage: "novelist pairhmm <sample|train> [options]",
  options: {},
  subcommands: [sample, train],
};
