/**
 * Trains the library's default pair-HMM gap parameters δ, ε, τ (`TRAINED_GAPS` in
 * src/models/pair-hmm/model.ts) by Baum–Welch on unaligned pairs from the two *training* families that
 * ship with Novelist (Pfam seeds fn3 and RRM_1); the evaluation families (Pkinase, Caudal_act) are never
 * read. Emissions stay BLOSUM62 with the Robinson–Robinson background. Every sequence of the two seeds
 * is used (ambiguity codes included); the pairs are all pairs within each family, thinned to every
 * `STRIDE`-th pair in a fixed order so that the run takes about a minute.
 *
 * Run: `npx tsx scripts/train-pair-hmm-defaults.ts` — prints the trained parameters as JSON; copy them
 * into `TRAINED_GAPS`. test/models/pair-hmm/defaults.test.ts checks that the shipped values are the
 * fixed point of one more Baum–Welch step on the same pairs.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PROTEIN_FAMILIES } from "../src/data/protein-families/index.js";
import { parseStockholmAll } from "../src/data/sequences/stockholm.js";
import { type Encoded, encodeProtein } from "../src/models/pair-hmm/alphabet.js";
import { blosum62Params, type PairHmmParams } from "../src/models/pair-hmm/model.js";
import { trainPairHmm } from "../src/models/pair-hmm/train.js";

/** Keep every STRIDE-th pair of each family (all pairs a < b in file order). */
export const STRIDE = 12;
/** Where Baum–Welch starts: the old illustrative gaps (δ 0.02, ε 0.6) and τ 0.01. */
export const START = { delta: 0.02, epsilon: 0.6, tau: 0.01 } as const;

/** The training pairs: every STRIDE-th unordered pair of each training family, in file order. */
export function trainingPairs(): { x: Encoded; y: Encoded }[] {
  const pairs: { x: Encoded; y: Encoded }[] = [];
  for (const fam of Object.values(PROTEIN_FAMILIES)) {
    if (fam.role !== "training") continue;
    const url = new URL(`../src/data/protein-families/${fam.file}`, import.meta.url);
    const seqs = parseStockholmAll(readFileSync(url, "utf8"))[0].sequences.map((s) =>
      encodeProtein(s.aligned.replace(/[.-]/g, ""), s.name),
    );
    let k = 0;
    for (let a = 0; a < seqs.length; a++)
      for (let b = a + 1; b < seqs.length; b++)
        if (k++ % STRIDE === 0) pairs.push({ x: seqs[a], y: seqs[b] });
  }
  return pairs;
}

/** Baum–Welch of δ, ε, τ from START on the training pairs, to a 1e-6-nat change. */
export function trainDefaults(): { params: PairHmmParams; logLikelihood: number[]; pairs: number } {
  const pairs = trainingPairs();
  const r = trainPairHmm(blosum62Params(START), pairs, { iterations: 200, tolerance: 1e-6 });
  return { ...r, pairs: pairs.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  const r = trainDefaults();
  const ll = r.logLikelihood;
  console.log(
    JSON.stringify(
      {
        delta: r.params.delta,
        epsilon: r.params.epsilon,
        tau: r.params.tau,
        pairs: r.pairs,
        mSteps: ll.length - 1,
        logLikelihoodStart: ll[0],
        logLikelihoodEnd: ll[ll.length - 1],
        seconds: Math.round((performance.now() - t0) / 100) / 10,
      },
      null,
      2,
    ),
  );
}
