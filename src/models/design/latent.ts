/**
 * The design model's latent space: encode compositions, decode latents, predict the property, and
 * search the latent space by gradient ascent (Gómez-Bombarelli et al. 2018, Fig. 1c and "Bayesian
 * optimization of drug-like molecules": optimise the predicted property in z, decode the optimum).
 * Every function consumes its array arguments; params may be shared with `tree.ref(params)`.
 */

import type { Composition } from "../../data/perovskites/index.js";
import { describe, ValueError } from "../../errors.js";
import { type Array, jit, nn, np, random, tree, valueAndGrad } from "../../jax.js";
import type { Mlp } from "../../nn/mlp.js";
import {
  checkCompositions,
  type DesignParams,
  decoderApply,
  encoderApply,
  propertyLogit,
  type SiteLogits,
  siteIndices,
  siteLogProb,
  siteOneHots,
} from "./networks.js";

function latentDim(params: DesignParams): number {
  return params.property.layers[0].w.shape[0];
}

function checkLatents(fn: string, params: DesignParams, z: Array): void {
  const L = latentDim(params);
  if (z.ndim !== 2 || z.shape[1] !== L) {
    const shape = z.shape;
    tree.dispose([params, z]);
    throw new ValueError(`${fn}: z must have shape [n, ${L}], but got [${shape.join(", ")}]`);
  }
}

/** q(z | c) of each composition: `{mean, logVar}` `[n, L]`. Consumes `params`. */
export function encodeCompositions(
  params: DesignParams,
  compositions: readonly Composition[],
): { mean: Array; logVar: Array } {
  try {
    checkCompositions("encodeCompositions", compositions);
  } catch (e) {
    tree.dispose(params);
    throw e;
  }
  tree.dispose([params.decoder, params.property]);
  return encoderApply(params.encoder, siteIndices(compositions));
}

/** The decoder's per-site logits at `z: [n, L]`: `a: [n, 38]`, `b: [n, 78]`, `x: [n, 7]`. Consumes both. */
export function decoderLogits(params: DesignParams, z: Array): SiteLogits {
  checkLatents("decoderLogits", params, z);
  tree.dispose([params.encoder, params.property]);
  return decoderApply(params.decoder, z);
}

/** `log p(c | z) = log Cat(a | z) + log Cat(b | z) + log Cat(x | z)`: `z: [n, L]` -> `[n]`, nats. */
export function decoderLogProb(params: DesignParams, z: Array, compositions: readonly Composition[]): Array {
  try {
    checkCompositions("decoderLogProb", compositions);
    if (z.ndim !== 2 || z.shape[0] !== compositions.length)
      throw new ValueError(
        `decoderLogProb: z must have one row per composition (${compositions.length}), but got shape [${z.shape.join(", ")}]`,
      );
  } catch (e) {
    tree.dispose([params, z]);
    throw e;
  }
  return siteLogProb(decoderLogits(params, z), siteOneHots(siteIndices(compositions)));
}

/** Options of `decodeLatents`: `key` (consumed) samples each site from its categorical; without it, argmax. */
export type DecodeOptions = { key?: Array };

/** Decode `z: [n, L]` to compositions: per-site argmax (default) or a draw from p(c | z) with `opts.key`. */
export function decodeLatents(params: DesignParams, z: Array, opts: DecodeOptions = {}): Composition[] {
  const logits = decoderLogits(params, z);
  let pick: (l: Array) => Int32Array;
  if (opts.key === undefined) pick = (l) => np.argmax(l, -1).dataSync() as Int32Array;
  else {
    const ks = random.split(opts.key, 3);
    let i = 0;
    pick = (l) => {
      const k = i < 2 ? ks.ref.slice(i) : ks.slice(i);
      i++;
      return Int32Array.from(random.categorical(k, l, { axis: -1 }).dataSync() as ArrayLike<number>);
    };
  }
  const a = pick(logits.a);
  const b = pick(logits.b);
  const x = pick(logits.x);
  return globalThis.Array.from(a, (ai, n) => ({ a: ai, b: b[n], x: x[n] }));
}

/** Predicted P(perovskite) at `z: [n, L]` -> `[n]`, from the property head. Consumes both. */
export function predictProperty(params: DesignParams, z: Array): Array {
  checkLatents("predictProperty", params, z);
  tree.dispose([params.encoder, params.decoder]);
  return nn.sigmoid(propertyLogit(params.property, z));
}

/** What latent gradient ascent maximises per point (both plus the prior term `−ρ ½‖z‖²`). */
export type LatentObjective = "logit" | "logProb";

/** Options of `optimizeLatents`. */
export type OptimizeLatentsOptions = {
  /** gradient-ascent steps (default 25: short climbs keep designs diverse; long ones converge on a few optima) */
  steps?: number;
  /** step size (default 0.02) */
  lr?: number;
  /** weight ρ of the prior term −ρ ½‖z‖² that keeps z where the decoder was trained (default 1) */
  priorWeight?: number;
  /**
   * "logit" (default): the head's logit f(z), unbounded, as in maximising a predicted property;
   * "logProb": log σ(f(z)), so that with ρ = 1 the objective is log p(z | stable) + const
   */
  objective?: LatentObjective;
  /**
   * 0 (default): plain gradient ascent; T > 0: Langevin dynamics, adding `sqrt(2 lr T) ε` each step, which
   * samples `exp(objective / T)` instead of climbing to its modes (Welling & Teh 2011, eq. 4 without
   * minibatches); with "logProb", ρ = 1 and T = 1 the stationary law is p(z | stable)
   */
  temperature?: number;
};

/** Result of `optimizeLatents`: the final `z: [n, L]`, its start `z0`, and the mean predicted P per step (`steps + 1` values). */
export type OptimizedLatents = { z: Array; z0: Array; meanProbability: number[] };

/**
 * Start `n` points at prior draws z ~ N(0, I) and climb `f(z) − ρ ½‖z‖²` (or `log σ(f(z)) − ρ ½‖z‖²`)
 * by plain gradient ascent, each point independently. Consumes `params` and `key`.
 */
export function optimizeLatents(
  params: DesignParams,
  key: Array,
  n: number,
  opts: OptimizeLatentsOptions = {},
): OptimizedLatents {
  const steps = opts.steps ?? 25;
  const lr = opts.lr ?? 0.02;
  const rho = opts.priorWeight ?? 1;
  const objective = opts.objective ?? "logit";
  const temperature = opts.temperature ?? 0;
  const bad = (name: string, v: unknown, what: string) =>
    new ValueError(`optimizeLatents: ${name} must be ${what}, but got ${describe(v)}`);
  let problem: ValueError | undefined;
  if (!Number.isInteger(n) || n < 1) problem = bad("n", n, "a positive integer");
  else if (!Number.isInteger(steps) || steps < 0) problem = bad("steps", steps, "an integer >= 0");
  else if (typeof lr !== "number" || !(lr > 0) || !Number.isFinite(lr))
    problem = bad("lr", lr, "a finite number > 0");
  else if (typeof rho !== "number" || !(rho >= 0) || !Number.isFinite(rho))
    problem = bad("priorWeight", rho, "a finite number >= 0");
  else if (typeof temperature !== "number" || !(temperature >= 0) || !Number.isFinite(temperature))
    problem = bad("temperature", temperature, "a finite number >= 0");
  else if (objective !== "logit" && objective !== "logProb")
    problem = bad("objective", objective, '"logit" or "logProb"');
  if (problem) {
    tree.dispose([params, key]);
    throw problem;
  }
  const L = latentDim(params);
  tree.dispose([params.encoder, params.decoder]);
  const head = params.property;
  // 1. the objective, summed over points (each point's gradient is its own), and one jitted ascent step
  const total = (z: Array, p: Mlp) => {
    const f = propertyLogit(p, z.ref);
    const gain = objective === "logit" ? f : nn.logSigmoid(f);
    return gain
      .sub(
        z.ref
          .mul(z)
          .sum(-1)
          .mul(0.5 * rho),
      )
      .sum();
  };
  const noise = Math.sqrt(2 * lr * temperature);
  const step = jit((z: Array, p: Mlp, k: Array) => {
    const prob = nn.sigmoid(propertyLogit(tree.ref(p), z.ref)).mean();
    const [, g] = valueAndGrad(total)(z.ref, p);
    const moved = z.add(g.mul(lr));
    if (noise === 0) {
      k.dispose();
      return [moved, prob];
    }
    return [moved.add(random.normal(k, [n, L]).mul(noise)), prob];
  }) as unknown as ((z: Array, p: Mlp, k: Array) => [Array, Array]) & { dispose(): void };
  // 2. climb from prior draws, syncing every step
  const ks = random.split(key, 2);
  const z0 = random.normal(ks.ref.slice(0), [n, L]);
  const stepKeys = random.split(ks.slice(1), Math.max(steps, 1));
  let z = z0.ref;
  const meanProbability: number[] = [];
  try {
    for (let i = 0; i < steps; i++) {
      const [z2, prob] = step(z, tree.ref(head), stepKeys.ref.slice(i));
      z = z2;
      meanProbability.push(prob.item() as number);
    }
  } finally {
    step.dispose();
    stepKeys.dispose();
  }
  meanProbability.push(predictMean(head, z.ref));
  return { z, z0, meanProbability };
}

function predictMean(head: Mlp, z: Array): number {
  return nn.sigmoid(propertyLogit(head, z)).mean().item() as number;
}

/** Draw `n` latents from the prior N(0, I): `[n, L]`. Consumes `key`; `params` are only read for L. */
export function samplePrior(params: DesignParams, key: Array, n: number): Array {
  const L = latentDim(params);
  tree.dispose(params);
  if (!Number.isInteger(n) || n < 1) {
    key.dispose();
    throw new ValueError(`samplePrior: n must be a positive integer, but got ${describe(n)}`);
  }
  return random.normal(key, [n, L]);
}
