/** The scikit-learn fixture for LDA, QDA and Gaussian NB, the datasets it was made from, and a tolerance check. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { breastCancer, iris, wine } from "../../../src/data/datasets/index.js";
import { fromRows, type Matrix } from "../../../src/linalg/matrix.js";

/** One fitted configuration and scikit-learn's outputs for it. */
export type Case = Record<string, unknown> & { model: string; params: Record<string, unknown> };

/** Made by: /usr/bin/python3 test/fixtures/classifiers/discriminant.py (scikit-learn 1.2.1). */
export type Fixture = {
  datasets: {
    name: string;
    n: number;
    d: number;
    rows: number[];
    check: Record<string, number>;
    cases: Case[];
    ledoit_wolf: { shrinkage: number; covariance: number[][] };
  }[];
};

export const fixture: Fixture = JSON.parse(
  readFileSync(new URL("../../fixtures/classifiers/discriminant.json", import.meta.url), "utf8"),
);

/** The datasets the fixture was made from, by its names. */
export const DATA = { iris, wine, "breast-cancer": breastCancer } as const;

/** A fixture dataset by name, as the models take it. */
export function load(name: string): { X: Matrix; y: number[] } {
  const ds = DATA[name as keyof typeof DATA];
  return { X: fromRows(ds.X), y: ds.y };
}

/** Nested arrays flattened row-major. */
export const flat = (a: unknown): number[] => (Array.isArray(a) ? a.flatMap(flat) : [a as number]);

/** |a − b| ≤ atol + rtol |b|, elementwise, with a message naming the first failure. */
export function near(
  actual: ArrayLike<number>,
  expected: unknown,
  atol: number,
  rtol: number,
  what: string,
): void {
  const e = flat(expected);
  assert.equal(actual.length, e.length, `${what}: length`);
  for (let i = 0; i < e.length; i++) {
    const tol = atol + rtol * Math.abs(e[i]);
    assert.ok(Math.abs(actual[i] - e[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${e[i]} (tol ${tol})`);
  }
}
