/**
 * The importance-weighted bound on log p(x) (Burda, Grosse & Salakhutdinov 2016, eq. 8):
 *   L_K(x) = E[ log (1/K) Σ_k p(x, z_k) / q(z_k | x) ],  z_1..z_K ~ q(z | x) independently,
 * estimated with one set of K draws per example and computed stably as logsumexp - log K. L_1 is the
 * ELBO (with a Monte-Carlo KL), L_K ≤ L_{K+1} ≤ log p(x) (ibid. Theorem 1), so large K gives a tight
 * estimate of the log-likelihood. For count likelihoods the library size is the observed one, so this
 * bounds log p(x | l). Units: nats per example.
 */
import { HALF_LOG_2PI } from "../../distributions/distribution.js";
import { log } from "../../distributions/elementary.js";
import { type Array, lax, np, random, tree } from "../../jax.js";
import { checkLabels, checkX, guard, positiveInt } from "./checks.js";
import { allConcrete, cachedJit } from "./compiled.js";
import {
  isCountLikelihood,
  type ResolvedVaeConfig,
  resolveVaeConfig,
  type VaeConfig,
  vaeDtype,
} from "./config.js";
import { dropLibrary, type VaeBatch } from "./elbo.js";
import { likelihoodLogProb } from "./likelihoods.js";
import { decoderApply, encoderApply, observedLibrary, oneHotLabels, standardNormal } from "./networks.js";
import type { VaeParams } from "./params.js";

/** Options of `iwaeLogLikelihood`: `K` importance samples (default 100), labels, rows per compiled call. */
export type IwaeOptions = { config: VaeConfig; K?: number; labels?: Array; batchSize?: number };

/** `log((1/K) Σ_k exp(a_k))` over axis 0 of `a: [K, B]` -> `[B]`, with the max subtracted first. */
export function logMeanExp(a: Array): Array {
  const K = a.shape[0];
  const m0 = lax.stopGradient(np.max(a.ref, 0)); // [B]
  const m = np.where(np.isfinite(m0.ref), m0, 0);
  const s = np.exp(a.sub(m.ref)).sum(0); // [B]
  return log(s).add(m).sub(Math.log(K));
}

/** The bound's array code: `batch.x: [B, D]` -> `[B]` nats, K draws each; consumes everything. */
export function iwaeTerms(
  cfg: ResolvedVaeConfig,
  params: VaeParams,
  key: Array,
  batch: VaeBatch,
  K: number,
): Array {
  const p = dropLibrary(params);
  const dt = vaeDtype(cfg);
  const x = batch.x.astype(dt);
  const [B] = x.shape;
  const L = cfg.latentDim;
  const oneHot = batch.labels === undefined ? undefined : oneHotLabels(cfg, batch.labels);
  const library = isCountLikelihood(cfg.likelihood) ? observedLibrary(x.ref) : undefined;
  // 1. z_k = μ + σ ε_k, k = 1..K, [K, B, L]
  const { mean, logVar } = encoderApply(cfg, p.encoder, x.ref, oneHot?.ref);
  const eps = standardNormal(key, [K, B, L], mean);
  const z = np.exp(logVar.ref.mul(0.5)).mul(eps.ref).add(mean);
  // 2. log q(z_k | x) = Σ_l -ε²/2 - logVar/2 - ½ log 2π  (exact: (z - μ)/σ = ε), [K, B]
  const logQ = eps.ref
    .mul(eps)
    .add(logVar)
    .mul(-0.5)
    .sum(-1)
    .sub(HALF_LOG_2PI * L);
  // 3. log p(z_k) under N(0, I), [K, B]
  const logPz = z.ref
    .mul(z.ref)
    .mul(-0.5)
    .sum(-1)
    .sub(HALF_LOG_2PI * L);
  // 4. log p(x | z_k), [K, B]
  const oh = oneHot === undefined ? undefined : np.broadcastTo(oneHot, [K, B, cfg.nLabels]);
  const lp = decoderApply(cfg, p.decoder, z, { oneHot: oh, library });
  const logPx = likelihoodLogProb(cfg, lp, x).sum(-1);
  // 5. log mean_k w_k, w_k = p(x, z_k) / q(z_k | x)
  return logMeanExp(logPx.add(logPz).sub(logQ));
}

/**
 * Importance-weighted lower bound `L_K(x)` on log p(x) per row of `x: [n, D]` -> `[n]`, nats; consumes
 * `params`, `key` and `x`. Rows are processed `batchSize` at a time (default: about 2^20 values of K·rows·D).
 */
export function iwaeLogLikelihood(params: VaeParams, key: Array, x: Array, opts: IwaeOptions): Array {
  const labelsIn = opts?.labels;
  const { cfg, n, K, batchSize } = guard([params, key, x, labelsIn], () => {
    const cfg = resolveVaeConfig(opts?.config, "iwaeLogLikelihood");
    const K = positiveInt("iwaeLogLikelihood", "K", opts.K ?? 100);
    const n = checkX("iwaeLogLikelihood", "x", x, cfg);
    checkLabels("iwaeLogLikelihood", "labels", labelsIn, n, cfg);
    const auto = Math.max(1, Math.floor(2 ** 20 / (K * cfg.inputDim)));
    const batchSize = positiveInt("iwaeLogLikelihood", "batchSize", opts.batchSize ?? auto);
    return { cfg, n, K, batchSize: Math.min(batchSize, n) };
  });
  const nChunks = Math.ceil(n / batchSize);
  const keys = random.split(key, nChunks);
  const concrete = allConcrete(params, x);
  const f = concrete
    ? cachedJit(
        "iwae",
        cfg,
        String(K),
        () => (p: VaeParams, k: Array, b: VaeBatch) => iwaeTerms(cfg, p, k, b, K),
      )
    : (p: VaeParams, k: Array, b: VaeBatch) => iwaeTerms(cfg, p, k, b, K);
  const parts: Array[] = [];
  for (let c = 0; c < nChunks; c++) {
    const lo = c * batchSize;
    const hi = Math.min(n, lo + batchSize);
    const whole = nChunks === 1;
    const xb = whole ? x.ref : x.ref.slice([lo, hi]);
    const b: VaeBatch = { x: xb };
    if (labelsIn !== undefined) b.labels = whole ? labelsIn.ref : labelsIn.ref.slice([lo, hi]);
    const pc = c < nChunks - 1 ? tree.ref(params) : params;
    parts.push(f(pc, c < nChunks - 1 ? keys.ref.slice(c) : keys.slice(c), b));
  }
  x.dispose();
  labelsIn?.dispose();
  return parts.length === 1 ? parts[0] : np.concatenate(parts, 0);
}
