/**
 * Helpers around a simulated count matrix: a fixed train/test split of the cells, a library-size
 * normalised log1p transform, and the CSV export used by the CLI.
 */

import { describe, ValueError } from "../../errors.js";
import type { Array as JaxArray } from "../../jax.js";
import { formatCsv } from "../csv.js";
import { uniformSource } from "./samplers.js";
import type { CountSimulation } from "./simulate.js";

/** Cell indices of a train/test split, each sorted ascending. */
export type CellSplit = { train: Int32Array; test: Int32Array };

/**
 * Split `n` cells at random into train and test (`round(n * testFraction)` test cells, at least one
 * of each) by a Fisher–Yates shuffle; the same key gives the same split. Consumes `key`.
 */
export function splitCells(n: number, testFraction: number, key: JaxArray): CellSplit {
  if (!Number.isInteger(n) || n < 2) {
    key.dispose();
    throw new ValueError(`splitCells: n must be an integer >= 2, but got ${describe(n)}`);
  }
  if (typeof testFraction !== "number" || !(testFraction > 0 && testFraction < 1)) {
    key.dispose();
    throw new ValueError(`splitCells: testFraction must be in (0, 1), but got ${describe(testFraction)}`);
  }
  const nTest = Math.min(n - 1, Math.max(1, Math.round(n * testFraction)));
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const src = uniformSource(key, Math.max(1024, n));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(src.uniform() * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  src.dispose();
  return { test: perm.slice(0, nTest).sort(), train: perm.slice(nTest).sort() };
}

/** Rows `rows` of a row-major `[cells, genes]` matrix as a new `[rows.length, genes]` matrix. */
export function selectCells(matrix: Float64Array, genes: number, rows: ArrayLike<number>): Float64Array {
  if (!Number.isInteger(genes) || genes < 1 || matrix.length % genes !== 0)
    throw new ValueError(
      `selectCells: genes must divide the matrix length ${matrix.length}, but got ${describe(genes)}`,
    );
  const cells = matrix.length / genes;
  const out = new Float64Array(rows.length * genes);
  for (let r = 0; r < rows.length; r++) {
    const c = rows[r];
    if (!Number.isInteger(c) || c < 0 || c >= cells)
      throw new ValueError(
        `selectCells: rows[${r}] must be a cell index in [0, ${cells}), but got ${describe(c)}`,
      );
    out.set(matrix.subarray(c * genes, (c + 1) * genes), r * genes);
  }
  return out;
}

/**
 * `log1p(scale * count / total)` per cell `[cells, genes]`, the usual single-cell normalisation
 * (Seurat's LogNormalize with `scale` = 1e4 by default); a cell with no counts stays all zero.
 */
export function logNormalize(counts: Float64Array, genes: number, scale = 1e4): Float64Array {
  if (!Number.isInteger(genes) || genes < 1 || counts.length % genes !== 0)
    throw new ValueError(
      `logNormalize: genes must divide the matrix length ${counts.length}, but got ${describe(genes)}`,
    );
  if (!(scale > 0)) throw new ValueError(`logNormalize: scale must be positive, but got ${describe(scale)}`);
  const out = new Float64Array(counts.length);
  for (let c = 0; c < counts.length / genes; c++) {
    let total = 0;
    for (let g = 0; g < genes; g++) total += counts[c * genes + g];
    if (total === 0) continue;
    for (let g = 0; g < genes; g++) out[c * genes + g] = Math.log1p((scale * counts[c * genes + g]) / total);
  }
  return out;
}

/** Options for {@link countsCsv}. */
export type CountsCsvOptions = {
  /** add a `pseudotime` column after `cell_type` (default false) */
  pseudotime?: boolean;
};

/** CSV text of a simulation: a `cell_type` column (type names), optionally `pseudotime`, then one column per gene. */
export function countsCsv(sim: CountSimulation, opts: CountsCsvOptions = {}): string {
  const header = ["cell_type", ...(opts.pseudotime ? ["pseudotime"] : []), ...sim.geneNames];
  const rows: (string | number)[][] = [];
  for (let c = 0; c < sim.cells; c++) {
    const row: (string | number)[] = [sim.typeNames[sim.cellType[c]]];
    if (opts.pseudotime) row.push(Number(sim.pseudotime[c].toFixed(6)));
    for (let g = 0; g < sim.genes; g++) row.push(sim.counts[c * sim.genes + g]);
    rows.push(row);
  }
  return formatCsv(header, rows);
}
