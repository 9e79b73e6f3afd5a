/**
 * The evidence lower bound of a VAE (Kingma & Welling 2014, eq. 10; β-VAE weighting of Higgins et al.
 * 2017, eq. 4): per example,
 *   ELBO_β(x) = E_{q(z|x)}[log p(x | z)] - β KL(q(z | x) || N(0, I)),
 * the expectation estimated with `nSamples` reparameterised draws, the KL in closed form. For count
 * likelihoods p(x | z) uses the observed library size l = Σ_d x_d (scvi-tools `use_observed_lib_size`),
 * so the bound is on log p(x | l). Units: nats per example.
 */
import { describe, ValueError } from "../../errors.js";
import { type Array, np, tree } from "../../jax.js";
import { checkLabels, checkX, guard, positiveInt } from "./checks.js";
import { allConcrete, cachedJit } from "./compiled.js";
import {
  isCountLikelihood,
  type ResolvedVaeConfig,
  resolveVaeConfig,
  type VaeConfig,
  vaeDtype,
} from "./config.js";
import { likelihoodLogProb } from "./likelihoods.js";
import {
  decoderApply,
  encoderApply,
  klStandardNormal,
  observedLibrary,
  oneHotLabels,
  reparameterize,
  standardNormal,
} from "./networks.js";
import type { VaeParams, VaeTrainable } from "./params.js";

/** A batch: `x: [B, D]` and, for conditional models, `labels: [B]` int32. */
export type VaeBatch = { x: Array; labels?: Array };

/** Options of `elbo`: `beta` weights the KL (default 1), `nSamples` draws of z per example (default 1). */
export type ElboOptions = { config: VaeConfig; beta?: number | Array; nSamples?: number };

/** Per-example ELBO and its parts, `[B]` each, nats: `elbo = recon - beta * kl`. */
export type ElboParts = { elbo: Array; recon: Array; kl: Array };

/** Dispose the library statistics (unused by the bound) and return the trainable part. */
export function dropLibrary(params: VaeParams | VaeTrainable): VaeTrainable {
  if ("library" in params && params.library !== undefined) tree.dispose(params.library);
  return { encoder: params.encoder, decoder: params.decoder };
}

/**
 * The bound's array code (no value checks; runs inside `jit`/`grad`): `x: [B, D]`, `labels: [B]`,
 * `beta: []`; consumes everything.
 */
export function elboTerms(
  cfg: ResolvedVaeConfig,
  params: VaeParams | VaeTrainable,
  key: Array,
  batch: VaeBatch,
  beta: Array,
  nSamples: number,
): ElboParts {
  const p = dropLibrary(params);
  const dt = vaeDtype(cfg);
  const x = batch.x.astype(dt);
  const [B] = x.shape;
  // 1. q(z | x) and its KL to the prior, in closed form
  const oneHot = batch.labels === undefined ? undefined : oneHotLabels(cfg, batch.labels);
  const library = isCountLikelihood(cfg.likelihood) ? observedLibrary(x.ref) : undefined; // [B, 1]
  const { mean, logVar } = encoderApply(cfg, p.encoder, x.ref, oneHot?.ref);
  const kl = klStandardNormal(mean.ref, logVar.ref); // [B]
  // 2. S reparameterised draws z = μ + σ ε, [S, B, L]
  const eps = standardNormal(key, [nSamples, B, cfg.latentDim], mean);
  const z = reparameterize(mean, logVar, eps);
  // 3. Monte-Carlo estimate of E_q[log p(x | z)], [B]
  const oh = oneHot === undefined ? undefined : np.broadcastTo(oneHot, [nSamples, B, cfg.nLabels]);
  const lp = decoderApply(cfg, p.decoder, z, { oneHot: oh, library });
  const recon = likelihoodLogProb(cfg, lp, x).sum(-1).mean(0); // [B]
  const elbo = recon.ref.sub(kl.ref.mul(beta.astype(dt)));
  return { elbo, recon, kl };
}

/** Resolve and check `opts` and the batch at a boundary; returns the config, beta and nSamples. */
export function checkElboInputs(
  fn: string,
  batch: VaeBatch,
  opts: ElboOptions,
): { cfg: ResolvedVaeConfig; nSamples: number } {
  const cfg = resolveVaeConfig(opts?.config, fn);
  const nSamples = positiveInt(fn, "nSamples", opts.nSamples ?? 1);
  if (typeof batch !== "object" || batch === null)
    throw new ValueError(`${fn}: batch must be an object {x, labels?}, but got ${describe(batch)}`);
  const n = checkX(fn, "batch.x", batch.x, cfg);
  checkLabels(fn, "batch.labels", batch.labels, n, cfg);
  const beta = opts.beta ?? 1;
  if (typeof beta === "number" && !(beta >= 0 && Number.isFinite(beta)))
    throw new ValueError(`${fn}: beta must be a finite number >= 0, but got ${describe(beta)}`);
  return { cfg, nSamples };
}

/**
 * Per-example ELBO `[B]` and its parts (reconstruction log-likelihood, KL), nats; consumes `params`,
 * `key` and `batch`. Eager calls check values and run compiled code; under `jit`/`grad` it is inlined.
 */
export function elbo(params: VaeParams, key: Array, batch: VaeBatch, opts: ElboOptions): ElboParts {
  const betaIn = opts?.beta;
  const { cfg, nSamples } = guard([params, key, batch, betaIn instanceof np.Array ? betaIn : undefined], () =>
    checkElboInputs("elbo", batch, opts),
  );
  const beta = typeof betaIn === "object" ? betaIn : np.array(betaIn ?? 1, { dtype: vaeDtype(cfg) });
  const b: VaeBatch = batch.labels === undefined ? { x: batch.x } : { x: batch.x, labels: batch.labels };
  if (!allConcrete(params, key, b, beta)) return elboTerms(cfg, params, key, b, beta, nSamples);
  const f = cachedJit(
    "elbo",
    cfg,
    String(nSamples),
    () => (p: VaeParams, k: Array, bb: VaeBatch, be: Array) => elboTerms(cfg, p, k, bb, be, nSamples),
  );
  return f(params, key, b, beta);
}
