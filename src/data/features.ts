/**
 * A CSV table as a numeric feature matrix and (optionally) a label column, with errors that name the
 * row and the column of a missing or non-numeric cell.
 */
import { ValueError } from "../errors.js";
import { formatCsv, type Table } from "./csv.js";
import type { Dataset } from "./datasets/dataset.js";

/** Features (every column but the label), as rows of numbers, and the labels if a column was named. */
export type FeatureTable = {
  featureNames: string[];
  X: number[][];
  y?: (string | number)[];
  labelName?: string;
};

/**
 * Split a table into numeric features and a label column. Labels that all read as finite numbers
 * become numbers (so 2 < 10 sorts as expected); otherwise they stay strings.
 */
export function featureTable(table: Table, opts: { label?: string; source?: string } = {}): FeatureTable {
  const source = opts.source ?? "csv";
  const { header, rows } = table;
  if (rows.length === 0) throw new ValueError(`${source}: has a header but no data rows`);
  let labelAt = -1;
  if (opts.label !== undefined) {
    labelAt = header.indexOf(opts.label);
    if (labelAt < 0) {
      throw new ValueError(
        `${source}: label column ${JSON.stringify(opts.label)} not found; columns are ${header.map((h) => JSON.stringify(h)).join(", ")}`,
      );
    }
  }
  const featureCols = header.map((_, j) => j).filter((j) => j !== labelAt);
  if (featureCols.length === 0) throw new ValueError(`${source}: has no feature columns besides the label`);
  const X = rows.map((r, i) =>
    featureCols.map((j) => {
      const cell = r[j].trim();
      const x = Number(cell);
      if (cell === "")
        throw new ValueError(`${source}: row ${i + 2}, column ${JSON.stringify(header[j])} is empty`);
      if (!Number.isFinite(x)) {
        throw new ValueError(
          `${source}: row ${i + 2}, column ${JSON.stringify(header[j])} must be a number, but got ${JSON.stringify(cell)}`,
        );
      }
      return x;
    }),
  );
  const out: FeatureTable = { featureNames: featureCols.map((j) => header[j]), X };
  if (labelAt >= 0) {
    const raw = rows.map((r, i) => {
      const v = r[labelAt].trim();
      if (v === "")
        throw new ValueError(
          `${source}: row ${i + 2}, label column ${JSON.stringify(header[labelAt])} is empty`,
        );
      return v;
    });
    const numeric = raw.every((v) => Number.isFinite(Number(v)));
    out.y = numeric ? raw.map(Number) : raw;
    out.labelName = header[labelAt];
  }
  return out;
}

/** A built-in dataset as CSV text: its features, then a label column holding class names. */
export function datasetCsv(d: Dataset, labelName = "class"): string {
  return formatCsv(
    [...d.featureNames, labelName],
    d.X.map((row, i) => [...row, d.classNames[d.y[i]]]),
  );
}
