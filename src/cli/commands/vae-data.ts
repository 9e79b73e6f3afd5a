/**
 * The CSV side of `novelist vae`: a training table read into features and labels, later tables checked
 * against a model's feature names, latent columns and labels (every cell against the likelihood's
 * support: counts for poisson/nb/zinb as in scvi-tools, [0, 1] for bernoulli), and output tables.
 */
import { formatCsv, type Table } from "../../data/csv.js";
import { splitCells } from "../../data/gene-expression/split.js";
import { ValueError } from "../../errors.js";
import { type Array, np } from "../../jax.js";
import type { Model } from "./vae-model.js";

/** Up to `max` names, quoted and comma-separated, with the total when some are left out. */
const quoteList = (xs: string[], max = 6) =>
  xs
    .slice(0, max)
    .map((x) => JSON.stringify(x))
    .join(", ") + (xs.length > max ? `, ... (${xs.length})` : "");

/** A number for CSV output: integers as is, others to 8 significant digits (float32 holds about 7). */
function cell(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(8)));
}

/** Parse one data cell (`i` a data-row index), checked against the likelihood's support. */
function parseCell(raw: string, source: string, i: number, col: string, likelihood: string): number {
  const where = `${source}: line ${i + 2}, column ${JSON.stringify(col)}`;
  const s = raw.trim();
  const x = Number(s);
  if (s === "") throw new ValueError(`${where} is empty`);
  if (!Number.isFinite(x)) throw new ValueError(`${where} must be a number, but got ${JSON.stringify(s)}`);
  if (
    (likelihood === "poisson" || likelihood === "nb" || likelihood === "zinb") &&
    !(x >= 0 && Number.isInteger(x))
  )
    throw new ValueError(
      `${where} must be a non-negative integer count for likelihood "${likelihood}", but got ${JSON.stringify(s)}`,
    );
  if (likelihood === "bernoulli" && !(x >= 0 && x <= 1))
    throw new ValueError(
      `${where} must be in [0, 1] for likelihood "bernoulli", but got ${JSON.stringify(s)}`,
    );
  return x;
}

/** Column positions by name; a repeated name or a table without data rows is an error. */
function columnIndex(table: Table, source: string): Map<string, number> {
  const at = new Map<string, number>();
  table.header.forEach((h, j) => {
    if (at.has(h))
      throw new ValueError(`${source}: column name ${JSON.stringify(h)} appears twice in the header`);
    at.set(h, j);
  });
  if (table.rows.length === 0) throw new ValueError(`${source}: has a header but no data rows`);
  return at;
}

function checkDrop(at: Map<string, number>, drop: string[], source: string, header: string[]): void {
  for (const d of drop)
    if (!at.has(d))
      throw new ValueError(
        `${source}: --drop column ${JSON.stringify(d)} not found; columns are ${quoteList(header, 20)}`,
      );
}

/** Float32 `[n, D]` array from row-major numbers. */
export function matrix(values: number[], n: number, d: number): Array {
  return np.array(Float32Array.from(values), { shape: [n, d] });
}

/** Int32 `[n]` array of label indices. */
export function int32(values: number[]): Array {
  return np.array(Int32Array.from(values), { shape: [values.length], dtype: np.int32 });
}

/** The values of `a` on the host, row-major (consumes `a`). */
export async function toHost(a: Array): Promise<number[]> {
  return globalThis.Array.from((await a.data()) as ArrayLike<number>);
}

/** A training table: the features, and the label column's values and row indices if one is named. */
export type TrainingData = {
  featureNames: string[];
  /** `[n, D]` row-major feature values */
  values: number[];
  n: number;
  /** distinct labels, numerically sorted when all are numbers, else lexically */
  labels: string[];
  /** `[n]` label index of each row (undefined without a label column) */
  ids?: number[];
};

/**
 * Read a training table: every column is a feature except `labelColumn` and `drop`; cells checked for
 * `likelihood`, labels non-empty.
 */
export function trainingData(
  table: Table,
  source: string,
  opts: { likelihood: string; labelColumn?: string; drop: string[] },
): TrainingData {
  const { likelihood, labelColumn, drop } = opts;
  const at = columnIndex(table, source);
  checkDrop(at, drop, source, table.header);
  if (labelColumn !== undefined && !at.has(labelColumn))
    throw new ValueError(
      `${source}: --label-column ${JSON.stringify(labelColumn)} not found; columns are ${quoteList(table.header, 20)}`,
    );
  const skip = new Set([...drop, ...(labelColumn ? [labelColumn] : [])]);
  const featureNames = table.header.filter((h) => !skip.has(h));
  if (featureNames.length === 0) throw new ValueError(`${source}: has no feature columns`);
  const cols = featureNames.map((f) => at.get(f)!);
  const n = table.rows.length;
  const values = table.rows.flatMap((r, i) =>
    cols.map((j, d) => parseCell(r[j], source, i, featureNames[d], likelihood)),
  );
  if (labelColumn === undefined) return { featureNames, values, n, labels: [] };
  const raw = table.rows.map((r, i) => {
    const v = r[at.get(labelColumn)!].trim();
    if (v === "")
      throw new ValueError(`${source}: line ${i + 2}, column ${JSON.stringify(labelColumn)} is empty`);
    return v;
  });
  const labels = [...new Set(raw)];
  const numeric = labels.every((v) => Number.isFinite(Number(v)));
  labels.sort(numeric ? (a, b) => Number(a) - Number(b) || (a < b ? -1 : 1) : undefined);
  const index = new Map(labels.map((l, k) => [l, k]));
  return { featureNames, values, n, labels, ids: raw.map((v) => index.get(v)!) };
}

/** Training and validation rows: `validFraction` of the `n` rows held out at random (consumes `key`). */
export function splitRows(
  n: number,
  validFraction: number,
  key: Array,
): { trainRows: number[]; validRows: number[] } {
  if (!(validFraction > 0)) {
    key.dispose();
    return { trainRows: globalThis.Array.from({ length: n }, (_, i) => i), validRows: [] };
  }
  const split = splitCells(n, validFraction, key);
  return { trainRows: [...split.train], validRows: [...split.test] };
}

/** The batch `{x [rows, D], labels? [rows]}` of the given rows of a training table. */
export function trainingBatch(data: TrainingData, rows: number[]): { x: Array; labels?: Array } {
  const { values, ids } = data;
  const D = data.featureNames.length;
  const x = matrix(
    rows.flatMap((i) => values.slice(i * D, (i + 1) * D)),
    rows.length,
    D,
  );
  return ids === undefined ? { x } : { x, labels: int32(rows.map((i) => ids[i])) };
}

/** The label index of `name` (`what` names the option or cell in the error). */
export function labelIndex(m: Model, name: string, what: string): number {
  if (m.config.nLabels === 0)
    throw new ValueError(`${what}: the model is not conditional (it was trained without --label-column)`);
  const k = m.labels.indexOf(name);
  if (k < 0)
    throw new ValueError(
      `${what} must be one of the model's labels ${quoteList(m.labels, 20)}, but got ${JSON.stringify(name)}`,
    );
  return k;
}

/** Labels for `n` rows of a conditional model: --label for all, or the CSV's label column (`cells`). */
export function rowLabels(
  m: Model,
  label: string | undefined,
  cells: string[] | undefined,
  source: string,
  n: number,
) {
  if (m.config.nLabels === 0) {
    if (label !== undefined) labelIndex(m, label, "--label");
    return undefined;
  }
  if (label !== undefined) return new globalThis.Array<number>(n).fill(labelIndex(m, label, "--label"));
  if (cells === undefined)
    throw new ValueError(
      `${source}: the model is conditional: give --label NAME or a ${JSON.stringify(m.labelColumn)} column`,
    );
  return cells.map((c, i) =>
    labelIndex(m, c.trim(), `${source}: line ${i + 2}, column ${JSON.stringify(m.labelColumn)}`),
  );
}

/**
 * The model's features from a data CSV (by name, any order), for data rows `rows` (default all); other
 * columns must be the label column, columns dropped at training, or named by `--drop`.
 */
export function modelData(m: Model, table: Table, source: string, drop: string[], rows?: number[]) {
  const at = columnIndex(table, source);
  checkDrop(at, drop, source, table.header);
  const D = m.featureNames.length;
  const dropped = drop.filter((c) => m.featureNames.includes(c));
  if (dropped.length > 0)
    throw new ValueError(`--drop must not name the model's features, but got ${quoteList(dropped)}`);
  const missing = m.featureNames.filter((f) => !at.has(f));
  if (missing.length > 0)
    throw new ValueError(
      `${source}: must have the model's ${D} feature columns, but lacks ${quoteList(missing)} (it has ${table.header.length} columns)`,
    );
  const known = new Set([
    ...m.featureNames,
    ...m.ignored,
    ...drop,
    ...(m.labelColumn ? [m.labelColumn] : []),
  ]);
  const extra = table.header.filter((h) => !known.has(h));
  if (extra.length > 0)
    throw new ValueError(
      `${source}: must have the model's ${D} feature columns, but also has ${quoteList(extra)} (name non-feature columns with --drop)`,
    );
  const idx = rows ?? table.rows.map((_, i) => i);
  const cols = m.featureNames.map((f) => at.get(f)!);
  const x: number[] = [];
  for (const i of idx)
    for (let d = 0; d < D; d++)
      x.push(parseCell(table.rows[i][cols[d]], source, i, m.featureNames[d], m.config.likelihood));
  const lc = m.labelColumn !== undefined ? at.get(m.labelColumn) : undefined;
  const labelCells = lc === undefined ? undefined : idx.map((i) => table.rows[i][lc]);
  return { x, n: idx.length, labelCells };
}

/**
 * Latent rows `[n, L]` (row-major) from a CSV with columns z1..zL, as `vae encode` writes it (var1..varL
 * and the model's label column are allowed), and the label column's cells if present.
 */
export function latentData(m: Model, table: Table, source: string) {
  const at = columnIndex(table, source);
  const L = m.config.latentDim;
  const zNames = globalThis.Array.from({ length: L }, (_, i) => `z${i + 1}`);
  const allowed = new Set([
    ...zNames,
    ...zNames.map((_, i) => `var${i + 1}`),
    ...(m.labelColumn ? [m.labelColumn] : []),
  ]);
  const missing = zNames.filter((z) => !at.has(z));
  const extra = table.header.filter((h) => !allowed.has(h));
  if (missing.length > 0 || extra.length > 0)
    throw new ValueError(
      `${source}: must have the columns z1..z${L} (the model's latent dimension is ${L}), but ${missing.length > 0 ? `lacks ${quoteList(missing)}` : `also has ${quoteList(extra)}`}`,
    );
  const z = table.rows.flatMap((r, i) =>
    zNames.map((c) => parseCell(r[at.get(c)!], source, i, c, "gaussian")),
  );
  const lc = m.labelColumn === undefined ? undefined : at.get(m.labelColumn);
  const labelCells = lc === undefined ? undefined : table.rows.map((r) => r[lc]);
  return { z, n: table.rows.length, labelCells };
}

/** Header and rows of an output table: features (+ the label column of a conditional model). */
export function outputCsv(m: Model, names: string[], values: number[], labels?: number[]): string {
  const w = names.length;
  const n = values.length / w;
  const header = labels ? [...names, m.labelColumn!] : names;
  const rows = globalThis.Array.from({ length: n }, (_, i) => {
    const r: string[] = values.slice(i * w, (i + 1) * w).map(cell);
    if (labels) r.push(m.labels[labels[i]]);
    return r;
  });
  return formatCsv(header, rows);
}
