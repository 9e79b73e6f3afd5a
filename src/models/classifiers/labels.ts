/**
 * Class labels: any strings or numbers, kept as the user gave them. Like scikit-learn's `classes_`,
 * the classes are the sorted distinct labels (numbers ascending, then strings by code unit), and the
 * models work with indices into them.
 */
import { ValueError } from "../../errors.js";

/** A class label as given by the user. */
export type Label = string | number;

/** scikit-learn's order: numbers ascending first, then strings. */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The sorted distinct classes of `y` and each label's index into them. */
export function encodeClasses(
  y: ArrayLike<Label>,
  fn = "fit",
  name = "y",
): { classes: Label[]; ids: Int32Array } {
  const seen = new Set<Label>();
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if ((typeof v !== "string" && typeof v !== "number") || (typeof v === "number" && !Number.isFinite(v))) {
      throw new ValueError(`${fn}: ${name}[${i}] must be a string or a finite number, but got ${String(v)}`);
    }
    seen.add(v);
  }
  const classes = [...seen].sort(compareLabels);
  return { classes, ids: encodeWithClasses(y, classes, fn, name) };
}

/** Indices of `y`'s labels into known `classes`; a label never seen in fit is an error. */
export function encodeWithClasses(
  y: ArrayLike<Label>,
  classes: readonly Label[],
  fn = "predict",
  name = "y",
): Int32Array {
  const index = new Map(classes.map((c, i) => [c, i]));
  const ids = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const id = index.get(y[i]);
    if (id === undefined) {
      throw new ValueError(
        `${fn}: ${name}[${i}] = ${JSON.stringify(y[i])} is a class never seen in fit (classes: ${classes.map((c) => JSON.stringify(c)).join(", ")})`,
      );
    }
    ids[i] = id;
  }
  return ids;
}

/**
 * Check training input: as many labels as rows, at least two classes, and at least as many samples
 * as classes. Returns the classes and label indices.
 */
export function checkTrainingLabels(
  fn: string,
  rows: number,
  y: ArrayLike<Label>,
  opts: { minPerClass?: number } = {},
): { classes: Label[]; ids: Int32Array; counts: Int32Array } {
  if (y.length !== rows)
    throw new ValueError(`${fn}: y must have one label per row of X (${rows}), but has ${y.length}`);
  const { classes, ids } = encodeClasses(y, fn);
  if (classes.length < 2) {
    throw new ValueError(
      `${fn}: y must hold at least 2 classes, but holds only ${JSON.stringify(classes[0] ?? null)}`,
    );
  }
  if (rows < classes.length) {
    throw new ValueError(
      `${fn}: X must have at least as many samples as classes (${classes.length}), but has ${rows}`,
    );
  }
  const counts = new Int32Array(classes.length);
  for (const id of ids) counts[id]++;
  const min = opts.minPerClass ?? 1;
  for (let c = 0; c < classes.length; c++) {
    if (counts[c] < min) {
      throw new ValueError(
        `${fn}: class ${JSON.stringify(classes[c])} must have at least ${min} sample(s), but has ${counts[c]}`,
      );
    }
  }
  return { classes, ids, counts };
}
