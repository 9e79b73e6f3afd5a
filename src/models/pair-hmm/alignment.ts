/**
 * Pairwise alignments as lists of columns, and their probability under the pair HMM (Durbin et al.
 * 1998, §4.2: P(x, y, π) is the product of the transitions and emissions along the state path π).
 */
import { ValueError } from "../../errors.js";
import { EMISSION_SIZE, type Encoded } from "./alphabet.js";
import { logTables, type PairHmmParams, STATE_M, STATE_X, STATE_Y } from "./model.js";

/**
 * A pairwise alignment: `columns[k] = [i, j]`, 0-based residue indices of x and y, with -1 for a gap
 * (`[i, -1]` is x_i against a gap, state X; `[-1, j]` is state Y); `logProb` in nats.
 */
export type Alignment = { columns: [number, number][]; logProb: number };

/** The two gapped rows of an alignment of strings `x` and `y` ('-' for gaps). */
export function alignmentStrings(alignment: Alignment, x: string, y: string): [string, string] {
  let a = "";
  let b = "";
  for (const [i, j] of alignment.columns) {
    a += i < 0 ? "-" : x[i];
    b += j < 0 ? "-" : y[j];
  }
  return [a, b];
}

/**
 * log P(x, y, π) in nats of the alignment `columns` (each residue of x and y exactly once, in order;
 * an X column directly after a Y column or the reverse has probability 0, so gives −∞).
 */
export function alignmentLogProb(
  params: PairHmmParams,
  x: Encoded,
  y: Encoded,
  columns: [number, number][],
): number {
  const t = logTables(params, x, y, "alignmentLogProb");
  let i = 0;
  let j = 0;
  let state = STATE_M; // Begin behaves as M
  let total = 0;
  for (const [a, b] of columns) {
    const next = a >= 0 && b >= 0 ? STATE_M : a >= 0 ? STATE_X : STATE_Y;
    if ((a >= 0 && a !== i) || (b >= 0 && b !== j) || (a < 0 && b < 0))
      throw new ValueError(
        `alignmentLogProb: columns must use x and y in order, but got [${a}, ${b}] at x ${i}, y ${j}`,
      );
    if (state === STATE_M) total += next === STATE_M ? t.mm : t.mg;
    else if (next === STATE_M) total += t.gm;
    else total += next === state ? t.gg : Number.NEGATIVE_INFINITY;
    if (next === STATE_M) total += t.match[x[i] * EMISSION_SIZE + y[j]];
    else if (next === STATE_X) total += t.background[x[i]];
    else total += t.background[y[j]];
    if (a >= 0) i++;
    if (b >= 0) j++;
    state = next;
  }
  if (i !== x.length || j !== y.length)
    throw new ValueError(
      `alignmentLogProb: columns must cover x and y, but they end at x ${i} of ${x.length}, y ${j} of ${y.length}`,
    );
  return total + t.end;
}
