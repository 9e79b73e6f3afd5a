/** A built-in labelled dataset: rows of numeric features and an integer class per row. */
export type Dataset = {
  /** short name used on the command line, e.g. "iris" */
  name: string;
  title: string;
  /** where the values come from (paper, repository) */
  source: string;
  licence: string;
  featureNames: string[];
  classNames: string[];
  /** `[n][d]` feature rows */
  X: number[][];
  /** `[n]` class indices into `classNames` */
  y: number[];
};
