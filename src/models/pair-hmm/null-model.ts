/**
 * The random (null) model of Durbin et al. (1998), §4.1 (fig. 4.3): x and y emitted independently, each
 * residue with q(a), each sequence continuing with probability 1−η and ending with η, so
 * P(x,y|R) = η(1−η)^n Π q(x_i) · η(1−η)^m Π q(y_j); and the log-odds score log P(x,y|M) / P(x,y|R).
 */
import { ValueError } from "../../errors.js";
import { ALPHABET_SIZE, checkEncoded, type Encoded } from "./alphabet.js";
import { forwardScore } from "./forward.js";
import { checkDistribution, extendBackground } from "./matrices.js";
import type { PairHmmParams } from "./model.js";
import { viterbiScore } from "./viterbi.js";

/** Null-model parameters: background q(a) `[20]` and the end probability η in (0, 1). */
export type NullModelParams = { background: Float64Array; eta: number };

/** Throw a ValueError unless `params` is a valid random model. */
function checkNull(params: NullModelParams, fn: string): void {
  const { eta } = params;
  if (!(typeof eta === "number" && eta > 0 && eta < 1))
    throw new ValueError(`${fn}: params.eta must be in (0, 1), but got ${eta}`);
  checkDistribution(fn, "params.background", params.background, ALPHABET_SIZE);
}

/** log P(x, y | R) in nats under the random model (Durbin §4.1). */
export function nullLogProb(params: NullModelParams, x: Encoded, y: Encoded): number {
  checkNull(params, "nullLogProb");
  checkEncoded("nullLogProb", "x", x);
  checkEncoded("nullLogProb", "y", y);
  const { eta } = params;
  const background = extendBackground(params.background);
  let total = 2 * Math.log(eta) + (x.length + y.length) * Math.log1p(-eta);
  for (let i = 0; i < x.length; i++) total += Math.log(background[x[i]]);
  for (let j = 0; j < y.length; j++) total += Math.log(background[y[j]]);
  return total;
}

/** The random model matching a pair HMM: its background q(a) and η (default τ, Durbin §4.1). */
export function nullModelFor(params: PairHmmParams, eta = params.tau): NullModelParams {
  return { background: Float64Array.from(params.background), eta };
}

/** Options for {@link logOddsScore}: `eta` of the random model (default τ); `viterbi` scores π* only. */
export type LogOddsOptions = { eta?: number; viterbi?: boolean };

/**
 * Log-odds score log P(x,y|M) − log P(x,y|R) in nats (Durbin §4.1/§4.3), summing over every alignment
 * (forward) or, with `viterbi`, for the best alignment only.
 */
export function logOddsScore(
  params: PairHmmParams,
  x: Encoded,
  y: Encoded,
  opts: LogOddsOptions = {},
): number {
  const model = opts.viterbi ? viterbiScore(params, x, y) : forwardScore(params, x, y);
  const random = nullLogProb(nullModelFor(params, opts.eta ?? params.tau), x, y);
  return model - random;
}
