/**
 * Pair-HMM parameters as JSON: `{"format": "novelist-pair-hmm", "version": 1, "alphabet": "ARND…",
 * delta, epsilon, tau, background: [20], match: [[20] × 20]}` with match[a][b] = p(a,b) (Durbin §4.2),
 * rows and columns in `alphabet` order. Loading validates every field and names it in a FormatError.
 */
import { FormatError, ValueError } from "../../errors.js";
import { AMINO_ACIDS } from "./alphabet.js";
import { type PairHmmParams, validateParams } from "./model.js";

/** The `format` tag of a saved parameter file. */
export const PARAMS_FORMAT = "novelist-pair-hmm";

/** The JSON object a parameter file holds (version 1). */
export type PairHmmParamsJson = {
  format: typeof PARAMS_FORMAT;
  version: 1;
  alphabet: string;
  delta: number;
  epsilon: number;
  tau: number;
  background: number[];
  match: number[][];
};

/** The JSON object for `params` (validated first); p(a,b) as 20 rows of 20. */
export function paramsToJson(params: PairHmmParams): PairHmmParamsJson {
  validateParams(params, "paramsToJson");
  const match: number[][] = [];
  for (let a = 0; a < 20; a++) match.push(Array.from(params.match.subarray(a * 20, a * 20 + 20)));
  return {
    format: PARAMS_FORMAT,
    version: 1,
    alphabet: AMINO_ACIDS,
    delta: params.delta,
    epsilon: params.epsilon,
    tau: params.tau,
    background: Array.from(params.background),
    match,
  };
}

/** `params` as JSON text (2-space indentation, match rows on one line each). */
export function saveParams(params: PairHmmParams): string {
  const j = paramsToJson(params);
  const rows = j.match.map((r) => `    ${JSON.stringify(r)}`).join(",\n");
  const head = JSON.stringify({ ...j, match: 0 }, null, 2);
  return `${head.replace('"match": 0', `"match": [\n${rows}\n  ]`)}\n`;
}

function numberArray(value: unknown, field: string, k: number): number[] {
  if (!Array.isArray(value) || value.length !== k)
    throw new FormatError(
      `loadParams: ${field} must be an array of ${k} numbers, but got ${Array.isArray(value) ? `${value.length} entries` : typeof value}`,
    );
  value.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
      throw new FormatError(
        `loadParams: ${field}[${i}] must be a finite number >= 0, but got ${JSON.stringify(v)}`,
      );
  });
  return value as number[];
}

/** Parse and validate a parameter file (text or parsed JSON); throws FormatError naming the bad field. */
export function loadParams(source: string | unknown): PairHmmParams {
  let obj: unknown = source;
  if (typeof source === "string") {
    try {
      obj = JSON.parse(source);
    } catch (e) {
      throw new FormatError(
        `loadParams: source must be JSON, but got a parse error: ${(e as Error).message}`,
      );
    }
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj))
    throw new FormatError(
      `loadParams: source must be a JSON object, but got ${Array.isArray(obj) ? "an array" : typeof obj}`,
    );
  const o = obj as Record<string, unknown>;
  if (o.format !== PARAMS_FORMAT)
    throw new FormatError(
      `loadParams: format must be "${PARAMS_FORMAT}", but got ${JSON.stringify(o.format)}`,
    );
  if (o.version !== 1)
    throw new FormatError(`loadParams: version must be 1, but got ${JSON.stringify(o.version)}`);
  if (o.alphabet !== AMINO_ACIDS)
    throw new FormatError(
      `loadParams: alphabet must be "${AMINO_ACIDS}", but got ${JSON.stringify(o.alphabet)}`,
    );
  for (const f of ["delta", "epsilon", "tau"] as const)
    if (typeof o[f] !== "number" || !(o[f] > 0 && o[f] < 1))
      throw new FormatError(`loadParams: ${f} must be a number in (0, 1), but got ${JSON.stringify(o[f])}`);
  const background = Float64Array.from(numberArray(o.background, "background", 20));
  if (!Array.isArray(o.match) || o.match.length !== 20)
    throw new FormatError(
      `loadParams: match must be an array of 20 rows, but got ${JSON.stringify(o.match)?.slice(0, 40)}`,
    );
  const match = new Float64Array(400);
  o.match.forEach((row, a) => {
    match.set(numberArray(row, `match[${a}]`, 20), a * 20);
  });
  const params = {
    delta: o.delta as number,
    epsilon: o.epsilon as number,
    tau: o.tau as number,
    match,
    background,
  };
  try {
    validateParams(params, "loadParams");
  } catch (e) {
    if (e instanceof ValueError) throw new FormatError(e.message);
    throw e;
  }
  return params;
}
