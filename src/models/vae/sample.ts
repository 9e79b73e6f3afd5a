/**
 * Generating from a VAE: z ~ N(0, I), then x ~ p(x | z) (the full generative model), or the decoder mean
 * E[x | z] only (`mean: true`; the smooth "VAE samples" usually shown, and what GAN comparisons should
 * state they use). Count models need a library size l: given, or drawn as scvi-tools does,
 * log l ~ N(logMean, logVar) from the training statistics stored in `params.library`.
 * Reference: Kingma & Welling 2014, sec. 2.1 (the generative process); scvi-tools `VAE.generative` /
 * `posterior_predictive_sample`.
 */
import { describe, ValueError } from "../../errors.js";
import { type Array, np, random } from "../../jax.js";
import { checkLabels, guard, positiveInt } from "./checks.js";
import {
  isCountLikelihood,
  type ResolvedVaeConfig,
  resolveVaeConfig,
  type VaeConfig,
  vaeDtype,
} from "./config.js";
import { type DecoderAux, decodeTerms, libraryColumn, runDecoder } from "./encode-decode.js";
import { likelihoodMean, likelihoodSample } from "./likelihoods.js";
import type { LibraryStats, VaeParams } from "./params.js";

/**
 * Options of `sample`: `labels` (conditional models: one label for all, or int32 `[n]`), `mean` (return
 * E[x | z] instead of a draw of x), `library` (count models: a number or `[n]`; default drawn log-normally).
 */
export type SampleOptions = {
  config: VaeConfig;
  labels?: number | Array;
  mean?: boolean;
  library?: number | Array;
};

function labelArray(fn: string, cfg: ResolvedVaeConfig, labels: number | Array | undefined, n: number) {
  if (typeof labels !== "number") {
    checkLabels(fn, "labels", labels, n, cfg);
    return labels;
  }
  if (cfg.nLabels === 0)
    throw new ValueError(`${fn}: labels must be omitted for an unconditional model (config.nLabels = 0)`);
  if (!Number.isInteger(labels) || labels < 0 || labels >= cfg.nLabels)
    throw new ValueError(
      `${fn}: labels must be an integer in [0, ${cfg.nLabels - 1}], but got ${describe(labels)}`,
    );
  return np.full([n], labels, { dtype: np.int32 });
}

/** Library sizes `[n, 1]` drawn as `exp(logMean + sqrt(logVar) ε)` (scvi-tools); consumes `key`, not `params`. */
function drawLibrary(cfg: ResolvedVaeConfig, library: LibraryStats, key: Array, n: number): Array {
  const dt = vaeDtype(cfg);
  const eps = random.normal(key, [n, 1]).astype(dt);
  const { logMean, logVar } = library;
  return np.exp(eps.mul(np.sqrt(logVar.ref.astype(dt))).add(logMean.ref.astype(dt)));
}

/**
 * `n` observations `[n, D]` from the model (counts as floats): draws of x ~ p(x | z), or E[x | z] with
 * `mean: true`, for z ~ N(0, I). Consumes `params` and `key`.
 */
export function sample(params: VaeParams, key: Array, n: number, opts: SampleOptions): Array {
  const libIn = opts?.library;
  const labIn = opts?.labels;
  const owned = [
    params,
    key,
    libIn instanceof np.Array ? libIn : undefined,
    typeof labIn === "object" ? labIn : undefined,
  ];
  const { cfg, labels, library } = guard(owned, () => {
    const cfg = resolveVaeConfig(opts?.config, "sample");
    positiveInt("sample", "n", n);
    const labels = labelArray("sample", cfg, labIn, n);
    const draw = libIn === undefined && isCountLikelihood(cfg.likelihood);
    if (draw && params.library === undefined)
      throw new ValueError(`sample: params.library must be present for likelihood "${cfg.likelihood}"`);
    const library = draw ? undefined : libraryColumn("sample", cfg, params, libIn, n);
    return { cfg, labels, library };
  });
  // 1. keys: latent, library, observation
  const ks = random.split(key, 3);
  const kz = ks.ref.slice(0);
  const kLib = ks.ref.slice(1);
  const kx = ks.slice(2);
  const aux: DecoderAux = {};
  if (labels !== undefined) aux.labels = labels;
  if (library !== undefined) aux.library = library;
  else if (params.library !== undefined) aux.library = drawLibrary(cfg, params.library, kLib.ref, n);
  kLib.dispose();
  // 2. z ~ N(0, I), decoded to the likelihood's params
  const z = random.normal(kz, [n, cfg.latentDim]).astype(vaeDtype(cfg));
  const lp = runDecoder("decode", cfg, decodeTerms, params, z, aux);
  // 3. the mean, or one draw of x
  if (opts.mean === true) {
    kx.dispose();
    return likelihoodMean(cfg, lp);
  }
  return likelihoodSample(cfg, lp, kx);
}
