/**
 * The three networks of the design model (Gómez-Bombarelli et al. 2018, Fig. 1a): the encoder
 * q(z | c) = N(μ(c), diag σ²(c)), the decoder p(c | z) = Cat(a | z) Cat(b | z) Cat(x | z) with one
 * categorical per site, and the property head z -> logit P(perovskite | z). Structure (latent size,
 * whether ion features are used) is read from the params' shapes, so apply functions need no config.
 * Every function consumes its array arguments.
 */

import type { Composition } from "../../data/perovskites/index.js";
import { describe, ValueError } from "../../errors.js";
import { type Array, nn, np, random, tree } from "../../jax.js";
import { type Linear, linearApply, linearInit } from "../../nn/linear.js";
import { type Mlp, mlpApply, mlpInit } from "../../nn/mlp.js";
import {
  DESIGN_ACTIVATION,
  type DesignConfig,
  encoderInputDim,
  ionFeatureTables,
  resolveDesignConfig,
  SITE_SIZES,
} from "./config.js";

/** Encoder params: an MLP body and two linear heads for the mean and log-variance `[hidden] -> [L]`. */
export type DesignEncoder = { body: Mlp; mean: Linear; logVar: Linear };

/** Decoder params: an MLP body `[L] -> [hidden]` and one linear logits head per site. */
export type DesignDecoder = { body: Mlp; a: Linear; b: Linear; x: Linear };

/** All params of the design model. */
export type DesignParams = { encoder: DesignEncoder; decoder: DesignDecoder; property: Mlp };

/** Compositions as int32 index arrays `[n]` per site. */
export type SiteIndices = { a: Array; b: Array; x: Array };

/** Per-site decoder logits: `a: [..., 38]`, `b: [..., 78]`, `x: [..., 7]`. */
export type SiteLogits = { a: Array; b: Array; x: Array };

/** Initialise the design model's params from `key` (consumed): Glorot weights, zero biases. */
export function designInit(key: Array, config: DesignConfig = {}): DesignParams {
  let cfg: ReturnType<typeof resolveDesignConfig>;
  try {
    cfg = resolveDesignConfig(config, "designInit");
  } catch (e) {
    key.dispose();
    throw e;
  }
  const ks = random.split(key, 8);
  const k = (i: number) => (i < 7 ? ks.ref.slice(i) : ks.slice(i));
  const h = cfg.hidden;
  const last = h[h.length - 1];
  const rev = [...h].reverse();
  const L = cfg.latentDim;
  return {
    encoder: {
      body: mlpInit(k(0), [encoderInputDim(cfg.ionFeatures), ...h]),
      mean: linearInit(k(1), last, L),
      logVar: linearInit(k(2), last, L),
    },
    decoder: {
      body: mlpInit(k(3), [L, ...rev]),
      a: linearInit(k(4), rev[rev.length - 1], SITE_SIZES.a),
      b: linearInit(k(5), rev[rev.length - 1], SITE_SIZES.b),
      x: linearInit(k(6), rev[rev.length - 1], SITE_SIZES.x),
    },
    property: mlpInit(k(7), [L, ...cfg.propertyHidden, 1]),
  };
}

/** Check compositions' indices (any triple in range is accepted, candidate or not); `fn` names the caller. */
export function checkCompositions(fn: string, comps: readonly Composition[], name = "compositions"): void {
  if (!globalThis.Array.isArray(comps))
    throw new ValueError(`${fn}: ${name} must be a list of {a, b, x}, but got ${describe(comps)}`);
  comps.forEach((c, i) => {
    if (c === null || typeof c !== "object")
      throw new ValueError(`${fn}: ${name}[${i}] must be {a, b, x}, but got ${describe(c)}`);
    for (const s of ["a", "b", "x"] as const) {
      const v = c[s];
      if (!Number.isInteger(v) || v < 0 || v >= SITE_SIZES[s])
        throw new ValueError(
          `${fn}: ${name}[${i}].${s} must be an index in [0, ${SITE_SIZES[s]}), but got ${describe(v)}`,
        );
    }
  });
}

/** Compositions -> int32 index arrays `[n]` per site (no checks; see `checkCompositions`). */
export function siteIndices(comps: readonly Composition[]): SiteIndices {
  const col = (s: "a" | "b" | "x") =>
    np.array(
      Int32Array.from(comps, (c) => c[s]),
      { dtype: np.int32 },
    );
  return { a: col("a"), b: col("b"), x: col("x") };
}

/** One-hot float32 encodings of the site indices: `a: [n, 38]`, `b: [n, 78]`, `x: [n, 7]`. */
export function siteOneHots(idx: SiteIndices): SiteLogits {
  return {
    a: nn.oneHot(idx.a, SITE_SIZES.a).astype(np.float32),
    b: nn.oneHot(idx.b, SITE_SIZES.b).astype(np.float32),
    x: nn.oneHot(idx.x, SITE_SIZES.x).astype(np.float32),
  };
}

/**
 * Encoder input `[n, 123]` (the one-hots of A, B, X) or `[n, 129]` (followed by the standardised
 * charge and radius of each site's ion, gathered from `ionFeatureTables` by `idx`).
 */
export function encoderInput(oneHots: SiteLogits, idx: SiteIndices | undefined): Array {
  const parts = [oneHots.a, oneHots.b, oneHots.x];
  if (idx === undefined) return np.concatenate(parts, -1);
  const t = ionFeatureTables();
  const feats = (s: "a" | "b" | "x") =>
    np.take(np.array(t[s], { shape: [SITE_SIZES[s], 2], dtype: np.float32 }), idx[s], 0);
  return np.concatenate([...parts, feats("a"), feats("b"), feats("x")], -1);
}

function body(p: Mlp, h: Array): Array {
  return mlpApply(p, h, { activation: DESIGN_ACTIVATION, finalActivation: DESIGN_ACTIVATION });
}

/** True when the encoder expects the six ion features (read from its first layer's width). */
export function usesIonFeatures(p: DesignEncoder): boolean {
  return p.body.layers[0].w.shape[0] === encoderInputDim(true);
}

/**
 * Encoder: site indices `[n]` -> `{mean, logVar}` `[n, L]` of q(z | c); `oneHots` may be passed when
 * the caller already has them (they are consumed).
 */
export function encoderApply(
  p: DesignEncoder,
  idx: SiteIndices,
  oneHots?: SiteLogits,
): { mean: Array; logVar: Array } {
  const oh = oneHots ?? siteOneHots({ a: idx.a.ref, b: idx.b.ref, x: idx.x.ref });
  let input: Array;
  if (usesIonFeatures(p)) input = encoderInput(oh, idx);
  else {
    tree.dispose(idx);
    input = encoderInput(oh, undefined);
  }
  const h = body(p.body, input);
  return { mean: linearApply(p.mean, h.ref), logVar: linearApply(p.logVar, h) };
}

/** Decoder: `z: [..., L]` -> unnormalised logits per site. */
export function decoderApply(p: DesignDecoder, z: Array): SiteLogits {
  const h = body(p.body, z);
  return { a: linearApply(p.a, h.ref), b: linearApply(p.b, h.ref), x: linearApply(p.x, h) };
}

/** `log p(c | z) = Σ_site log softmax(logits_site)[c_site]`: logits `[n, K_site]`, one-hots `[n, K_site]` -> `[n]`, nats. */
export function siteLogProb(logits: SiteLogits, oneHots: SiteLogits): Array {
  const one = (s: "a" | "b" | "x") => nn.logSoftmax(logits[s], -1).mul(oneHots[s]).sum(-1);
  return one("a").add(one("b")).add(one("x"));
}

/** Property head: `z: [..., L]` -> logit of P(perovskite, τ < 4.18) `[...]`. */
export function propertyLogit(p: Mlp, z: Array): Array {
  const out = mlpApply(p, z, { activation: DESIGN_ACTIVATION });
  return out.reshape(out.shape.slice(0, -1));
}

/** `KL(N(μ, diag e^{logVar}) || N(0, I)) = ½ Σ_l (μ² + e^{logVar} − 1 − logVar)`, `[n, L] -> [n]`, nats (Kingma & Welling 2014, app. B). */
export function klStandardNormal(mean: Array, logVar: Array): Array {
  return mean.ref.mul(mean).add(np.exp(logVar.ref)).sub(logVar).sub(1).sum(-1).mul(0.5);
}

/** Binary cross-entropy from logits, `softplus(ℓ) − yℓ` written stably as `max(ℓ, 0) − yℓ + log1p(e^{−|ℓ|})`, nats. */
export function bceWithLogits(logit: Array, y: Array): Array {
  const stable = np.log1p(np.exp(np.abs(logit.ref).neg()));
  return np.maximum(logit.ref, 0).sub(logit.mul(y)).add(stable);
}
