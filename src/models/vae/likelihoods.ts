/**
 * The decoder's observation models p(x | z), from the decoder's raw outputs to the shared distributions'
 * params, as scvi-tools `DecoderSCVI` + `VAE.generative`:
 * - gaussian: `Normal(out, σ)` with σ² = exp(logVar) per feature (learned) or fixed;
 * - bernoulli: `Bernoulli(logits = out)`;
 * - poisson: `Poisson(rate = softmax(out) · l)` (scvi `px_rate = library * px_scale`, l the library size);
 * - nb: `NegativeBinomial(μ = softmax(out) · l, θ = exp(logTheta))` (scvi `log_nb_positive`);
 * - zinb: NB as above with zero-inflation logits `dropout` (scvi `log_zinb_positive`).
 * Every function consumes its array arguments.
 */
import { Bernoulli, type BernoulliParams } from "../../distributions/bernoulli.js";
import { NegativeBinomial, type NegativeBinomialParams } from "../../distributions/negative-binomial.js";
import { Normal, type NormalParams } from "../../distributions/normal.js";
import { Poisson, type PoissonParams } from "../../distributions/poisson.js";
import {
  ZeroInflatedNegativeBinomial,
  type ZeroInflatedNegativeBinomialParams,
} from "../../distributions/zero-inflated-negative-binomial.js";
import { type Array, nn, np } from "../../jax.js";
import type { ResolvedVaeConfig } from "./config.js";

/** Raw decoder outputs `[..., D]` (`out`, `dropout`) and per-feature params `[D]` (`logVar`, `logTheta`). */
export type DecoderHeads = { out: Array; dropout?: Array; logVar?: Array; logTheta?: Array };

/** Params of the configured likelihood, batch shape `[..., D]` (one record of the shared distributions). */
export type LikelihoodParams =
  | NormalParams
  | BernoulliParams
  | PoissonParams
  | NegativeBinomialParams
  | ZeroInflatedNegativeBinomialParams;

function need(heads: DecoderHeads, name: keyof DecoderHeads, cfg: ResolvedVaeConfig): Array {
  const a = heads[name];
  if (a === undefined)
    throw new Error(`vae: decoder head ${name} is missing for likelihood ${cfg.likelihood}`);
  return a;
}

/**
 * Distribution params from decoder heads; `library: [..., 1]` (library size l = Σ_d x_d, not its log)
 * is required for count likelihoods and ignored (disposed) otherwise.
 */
export function likelihoodParams(
  cfg: ResolvedVaeConfig,
  heads: DecoderHeads,
  library?: Array,
): LikelihoodParams {
  const out = heads.out;
  const unused = (names: (keyof DecoderHeads)[]) => {
    for (const n of names) heads[n]?.dispose();
  };
  if (cfg.likelihood === "gaussian" || cfg.likelihood === "bernoulli") library?.dispose();
  else if (library === undefined) throw new Error(`vae: likelihood ${cfg.likelihood} needs a library size`);
  switch (cfg.likelihood) {
    case "gaussian": {
      unused(["dropout", "logTheta"]);
      const scale =
        cfg.gaussianVariance === "learned"
          ? np.exp(need(heads, "logVar", cfg).mul(0.5))
          : np.full([], Math.sqrt(cfg.gaussianVariance), { dtype: out.dtype });
      if (cfg.gaussianVariance !== "learned") unused(["logVar"]);
      return { loc: out, scale };
    }
    case "bernoulli":
      unused(["dropout", "logVar", "logTheta"]);
      return { logits: out };
    case "poisson":
      unused(["dropout", "logVar", "logTheta"]);
      return { rate: nn.softmax(out, -1).mul(library as Array) };
    case "nb":
      unused(["dropout", "logVar"]);
      return { mu: nn.softmax(out, -1).mul(library as Array), theta: np.exp(need(heads, "logTheta", cfg)) };
    case "zinb":
      unused(["logVar"]);
      return {
        mu: nn.softmax(out, -1).mul(library as Array),
        theta: np.exp(need(heads, "logTheta", cfg)),
        ziLogits: need(heads, "dropout", cfg),
      };
  }
}

/** Per-feature log-likelihood `log p(x_d | z)`, `x: [..., D]` broadcast against the params -> `[..., D]`, nats. */
export function likelihoodLogProb(cfg: ResolvedVaeConfig, lp: LikelihoodParams, x: Array): Array {
  switch (cfg.likelihood) {
    case "gaussian":
      return Normal.logProb(lp as NormalParams, x);
    case "bernoulli":
      return Bernoulli.logProb(lp as BernoulliParams, x);
    case "poisson":
      return Poisson.logProb(lp as PoissonParams, x);
    case "nb":
      return NegativeBinomial.logProb(lp as NegativeBinomialParams, x);
    case "zinb":
      return ZeroInflatedNegativeBinomial.logProb(lp as ZeroInflatedNegativeBinomialParams, x);
  }
}

/** Mean of p(x | z), `[..., D]`: Gaussian mean, Bernoulli probability, l·softmax, ZINB `(1-π) μ`. */
export function likelihoodMean(cfg: ResolvedVaeConfig, lp: LikelihoodParams): Array {
  switch (cfg.likelihood) {
    case "gaussian":
      return Normal.mean(lp as NormalParams);
    case "bernoulli":
      return Bernoulli.mean(lp as BernoulliParams);
    case "poisson":
      return Poisson.mean(lp as PoissonParams);
    case "nb":
      return NegativeBinomial.mean(lp as NegativeBinomialParams);
    case "zinb":
      return ZeroInflatedNegativeBinomial.mean(lp as ZeroInflatedNegativeBinomialParams);
  }
}

/** One draw x ~ p(x | z), `[..., D]` (counts as floats); consumes `key`. */
export function likelihoodSample(cfg: ResolvedVaeConfig, lp: LikelihoodParams, key: Array): Array {
  switch (cfg.likelihood) {
    case "gaussian":
      return Normal.sample(lp as NormalParams, key);
    case "bernoulli":
      return Bernoulli.sample(lp as BernoulliParams, key);
    case "poisson":
      return Poisson.sample(lp as PoissonParams, key);
    case "nb":
      return NegativeBinomial.sample(lp as NegativeBinomialParams, key);
    case "zinb":
      return ZeroInflatedNegativeBinomial.sample(lp as ZeroInflatedNegativeBinomialParams, key);
  }
}
