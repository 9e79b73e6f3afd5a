/**
 * The joint objective of the design model (Gómez-Bombarelli et al. 2018, "Methods": VAE trained jointly
 * with a property predictor on z), per composition c with label y (1 = perovskite by τ < 4.18):
 *   loss(c, y) = −E_q[log p(c | z)] + β KL(q(z | c) || N(0, I)) + λ E_q[BCE(f(z), y)],
 * one reparameterised draw z = μ + σ ε (Kingma & Welling 2014, eq. 10), averaged over the batch. The
 * first two terms are the β-weighted negative ELBO (Higgins et al. 2017, eq. 4). Units: nats.
 */
import { describe, ValueError } from "../../errors.js";
import { type Array, np, random, tree } from "../../jax.js";
import type { LossFn } from "../../train/train-step.js";
import {
  bceWithLogits,
  type DesignParams,
  decoderApply,
  encoderApply,
  klStandardNormal,
  propertyLogit,
  siteLogProb,
  siteOneHots,
} from "./networks.js";

/** A training batch: site indices `a, b, x: [B]` (int32) and labels `y: [B]` (float32, 1 = perovskite). */
export type DesignBatch = { a: Array; b: Array; x: Array; y: Array };

/** Weights of the loss: `beta` on the KL (default 1), `lambda` on the property loss (default 1). */
export type DesignLossOptions = { beta?: number; lambda?: number };

/** Mean parts of the loss over the batch, nats: `recon` = −log p(c | z), `kl`, `property` = BCE. */
export type DesignLossAux = { recon: Array; kl: Array; property: Array };

/** Check the loss weights and fill in defaults. */
export function resolveLossOptions(opts: DesignLossOptions, fn: string): Required<DesignLossOptions> {
  const beta = opts.beta ?? 1;
  const lambda = opts.lambda ?? 1;
  for (const [name, v] of [
    ["beta", beta],
    ["lambda", lambda],
  ] as const)
    if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v))
      throw new ValueError(`${fn}: ${name} must be a finite number >= 0, but got ${describe(v)}`);
  return { beta, lambda };
}

function terms(params: DesignParams, key: Array, batch: DesignBatch, w: Required<DesignLossOptions>) {
  // 1. q(z | c) and one reparameterised draw
  const oh = siteOneHots({ a: batch.a.ref, b: batch.b.ref, x: batch.x.ref });
  const { mean, logVar } = encoderApply(params.encoder, { a: batch.a, b: batch.b, x: batch.x }, tree.ref(oh));
  const eps = random.normal(key, mean.shape);
  const z = reparameterize(mean.ref, logVar.ref, eps);
  // 2. reconstruction, KL and the property head on the same z
  const recon = siteLogProb(decoderApply(params.decoder, z.ref), oh).neg();
  const kl = klStandardNormal(mean, logVar);
  const prop = bceWithLogits(propertyLogit(params.property, z), batch.y);
  const n = recon.shape[0];
  const recM = recon.sum().div(n);
  const klM = kl.sum().div(n);
  const propM = prop.sum().div(n);
  const loss = recM.ref.add(klM.ref.mul(w.beta)).add(propM.ref.mul(w.lambda));
  return { loss, aux: { recon: recM, kl: klM, property: propM } };
}

/** `z = μ + exp(logVar / 2) ε`. */
function reparameterize(mean: Array, logVar: Array, eps: Array): Array {
  return np.exp(logVar.mul(0.5)).mul(eps).add(mean);
}

/**
 * The design loss (nats, batch mean) and its parts; consumes `params`, `key` and `batch`.
 * `batch.y` must be float32 0/1.
 */
export function designLoss(
  params: DesignParams,
  key: Array,
  batch: DesignBatch,
  opts: DesignLossOptions = {},
): [Array, DesignLossAux] {
  const { loss, aux } = terms(params, key, batch, resolveLossOptions(opts, "designLoss"));
  return [loss, aux];
}

/** `designLoss` with fixed weights, in the `(params, key, batch)` shape `fit` and `makeTrainStep` take. */
export function makeDesignLoss(opts: DesignLossOptions = {}): LossFn<DesignParams, DesignBatch> {
  const w = resolveLossOptions(opts, "makeDesignLoss");
  return (params, key, batch) => {
    const { loss, aux } = terms(params, key, batch, w);
    return [loss, aux];
  };
}
