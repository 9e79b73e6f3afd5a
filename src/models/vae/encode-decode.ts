/**
 * Encoding, decoding and reconstruction with a trained VAE: `encode` gives q(z | x) = N(mean, diag
 * variance) (Kingma & Welling 2014, appendix C.2), `decode` the likelihood params of p(x | z),
 * `decodeMean` its mean, `reconstruct` the mean of p(x | z = E_q[z]) (scvi-tools `get_normalized_expression`
 * times the library size, for counts). Eager calls check values and run compiled code.
 */
import { describe, ValueError } from "../../errors.js";
import { type Array, np, tree } from "../../jax.js";
import { checkLabels, checkX, guard, isConcrete } from "./checks.js";
import { allConcrete, cachedJit } from "./compiled.js";
import {
  isCountLikelihood,
  type ResolvedVaeConfig,
  resolveVaeConfig,
  type VaeConfig,
  vaeDtype,
} from "./config.js";
import { dropLibrary } from "./elbo.js";
import { type LikelihoodParams, likelihoodMean } from "./likelihoods.js";
import { decoderApply, encoderApply, observedLibrary, oneHotLabels } from "./networks.js";
import type { VaeParams } from "./params.js";

/** Options of `encode` and `reconstruct`: labels `[B]` int32 for conditional models. */
export type EncodeOptions = { config: VaeConfig; labels?: Array };

/**
 * Options of `decode`: labels `[n]` int32 for conditional models; for count likelihoods the library size
 * (a number, or `[n]`), default `exp(params.library.logMean)` (the geometric mean of the training library sizes).
 */
export type DecodeOptions = { config: VaeConfig; labels?: Array; library?: number | Array };

/** Inputs of the decoder besides z: one-hot labels `[n, K]` and library `[n, 1]` where the model uses them. */
export type DecoderAux = { labels?: Array; library?: Array };

/** Decoder array code: `z: [n, L]` -> likelihood params `[n, D]`; consumes everything. */
export function decodeTerms(
  cfg: ResolvedVaeConfig,
  params: VaeParams,
  z: Array,
  aux: DecoderAux,
): LikelihoodParams {
  const p = dropLibrary(params);
  const oneHot = aux.labels === undefined ? undefined : oneHotLabels(cfg, aux.labels);
  return decoderApply(cfg, p.decoder, z.astype(vaeDtype(cfg)), { oneHot, library: aux.library });
}

/** Decoder-mean array code: `z: [n, L]` -> `[n, D]`; consumes everything. */
export function decodeMeanTerms(cfg: ResolvedVaeConfig, params: VaeParams, z: Array, aux: DecoderAux): Array {
  return likelihoodMean(cfg, decodeTerms(cfg, params, z, aux));
}

/**
 * The library column `[n, 1]` of a boundary call (checked; undefined for non-count likelihoods): a number,
 * an array `[n]`, or by default `exp(logMean)` of the params' library statistics (`params` not consumed).
 */
export function libraryColumn(
  fn: string,
  cfg: ResolvedVaeConfig,
  params: VaeParams,
  library: number | Array | undefined,
  n: number,
): Array | undefined {
  const dt = vaeDtype(cfg);
  if (!isCountLikelihood(cfg.likelihood)) {
    if (library !== undefined)
      throw new ValueError(`${fn}: library must be omitted for likelihood "${cfg.likelihood}"`);
    return undefined;
  }
  if (library === undefined) {
    if (params.library === undefined)
      throw new ValueError(`${fn}: params.library must be present for likelihood "${cfg.likelihood}"`);
    return np.broadcastTo(np.exp(params.library.logMean.ref.astype(dt)), [n, 1]);
  }
  if (typeof library === "number") {
    if (!(library >= 0 && Number.isFinite(library)))
      throw new ValueError(`${fn}: library must be a finite number >= 0, but got ${describe(library)}`);
    return np.full([n, 1], library, { dtype: dt });
  }
  if (!(library instanceof np.Array) || library.ndim !== 1 || library.shape[0] !== n)
    throw new ValueError(
      `${fn}: library must be a number or an array of shape [${n}], but got ${library instanceof np.Array ? `[${library.shape.join(", ")}]` : describe(library)}`,
    );
  if (isConcrete(library)) {
    const bad = globalThis.Array.from(library.ref.dataSync() as ArrayLike<number>).filter(
      (v) => !(v >= 0 && Number.isFinite(v)),
    );
    if (bad.length > 0)
      throw new ValueError(`${fn}: library must hold finite values >= 0, but got ${describe(bad)}`);
  }
  return library.astype(dt).reshape([n, 1]);
}

function checkZ(fn: string, z: unknown, cfg: ResolvedVaeConfig): number {
  if (!(z instanceof np.Array) || z.ndim !== 2 || z.shape[1] !== cfg.latentDim)
    throw new ValueError(
      `${fn}: z must have shape [n, ${cfg.latentDim}], but got ${z instanceof np.Array ? `[${z.shape.join(", ")}]` : describe(z)}`,
    );
  return z.shape[0];
}

/** Run decoder array code `terms` jitted (cached under `name`) when every input is concrete, else inline. */
export function runDecoder<T>(
  name: string,
  cfg: ResolvedVaeConfig,
  terms: (cfg: ResolvedVaeConfig, p: VaeParams, z: Array, aux: DecoderAux) => T,
  params: VaeParams,
  z: Array,
  aux: DecoderAux,
): T {
  if (!allConcrete(params, z, aux)) return terms(cfg, params, z, aux);
  const f = cachedJit(name, cfg, "", () => (p: VaeParams, zz: Array, a: DecoderAux) => terms(cfg, p, zz, a));
  return f(params, z, aux);
}

function decoderInputs(fn: string, params: VaeParams, z: Array, opts: DecodeOptions) {
  const libIn = opts?.library;
  return guard([params, z, opts?.labels, libIn instanceof np.Array ? libIn : undefined], () => {
    const cfg = resolveVaeConfig(opts?.config, fn);
    const n = checkZ(fn, z, cfg);
    checkLabels(fn, "labels", opts.labels, n, cfg);
    const library = libraryColumn(fn, cfg, params, libIn, n);
    const aux: DecoderAux = {};
    if (opts.labels !== undefined) aux.labels = opts.labels;
    if (library !== undefined) aux.library = library;
    return { cfg, aux };
  });
}

/** Likelihood params of p(x | z) for `z: [n, L]`, batch shape `[n, D]`; consumes `params` and `z`. */
export function decode(params: VaeParams, z: Array, opts: DecodeOptions): LikelihoodParams {
  const { cfg, aux } = decoderInputs("decode", params, z, opts);
  return runDecoder("decode", cfg, decodeTerms, params, z, aux);
}

/** Mean of p(x | z) for `z: [n, L]` -> `[n, D]`; consumes `params` and `z`. */
export function decodeMean(params: VaeParams, z: Array, opts: DecodeOptions): Array {
  const { cfg, aux } = decoderInputs("decodeMean", params, z, opts);
  return runDecoder("decodeMean", cfg, decodeMeanTerms, params, z, aux);
}

/** Encoder array code: `x: [B, D]` -> `{mean, variance}` `[B, L]`; consumes everything. */
export function encodeTerms(
  cfg: ResolvedVaeConfig,
  params: VaeParams,
  x: Array,
  labels?: Array,
): { mean: Array; variance: Array } {
  const p = dropLibrary(params);
  tree.dispose(p.decoder);
  const oneHot = labels === undefined ? undefined : oneHotLabels(cfg, labels);
  const q = encoderApply(cfg, p.encoder, x.astype(vaeDtype(cfg)), oneHot);
  return { mean: q.mean, variance: np.exp(q.logVar) };
}

/** Reconstruction array code: mean of p(x | z = E_q[z | x]) with the observed library, `[B, D]`. */
export function reconstructTerms(cfg: ResolvedVaeConfig, params: VaeParams, x: Array, labels?: Array): Array {
  const p = dropLibrary(params);
  const dt = vaeDtype(cfg);
  const xf = x.astype(dt);
  const oneHot = labels === undefined ? undefined : oneHotLabels(cfg, labels);
  const library = isCountLikelihood(cfg.likelihood) ? observedLibrary(xf.ref) : undefined;
  const q = encoderApply(cfg, p.encoder, xf, oneHot?.ref);
  q.logVar.dispose();
  return likelihoodMean(cfg, decoderApply(cfg, p.decoder, q.mean, { oneHot, library }));
}

function encoderInputs(fn: string, params: VaeParams, x: Array, opts: EncodeOptions): ResolvedVaeConfig {
  return guard([params, x, opts?.labels], () => {
    const cfg = resolveVaeConfig(opts?.config, fn);
    const n = checkX(fn, "x", x, cfg);
    checkLabels(fn, "labels", opts.labels, n, cfg);
    return cfg;
  });
}

/** Run `encodeTerms` jitted (cached) when every input is concrete, else inline; consumes everything. */
export function runEncoder(
  cfg: ResolvedVaeConfig,
  params: VaeParams,
  batch: { x: Array; labels?: Array },
): { mean: Array; variance: Array } {
  if (!allConcrete(params, batch)) return encodeTerms(cfg, params, batch.x, batch.labels);
  const f = cachedJit(
    "encode",
    cfg,
    "",
    () => (p: VaeParams, bb: { x: Array; labels?: Array }) => encodeTerms(cfg, p, bb.x, bb.labels),
  );
  return f(params, batch);
}

/** q(z | x) for `x: [B, D]`: `{mean, variance}`, `[B, L]` each; consumes `params` and `x`. */
export function encode(params: VaeParams, x: Array, opts: EncodeOptions): { mean: Array; variance: Array } {
  const cfg = encoderInputs("encode", params, x, opts);
  return runEncoder(cfg, params, opts.labels === undefined ? { x } : { x, labels: opts.labels });
}

/** Mean of p(x | z = E_q[z | x]) for `x: [B, D]` -> `[B, D]` (observed library for counts); consumes `params`, `x`. */
export function reconstruct(params: VaeParams, x: Array, opts: EncodeOptions): Array {
  const cfg = encoderInputs("reconstruct", params, x, opts);
  const b = opts.labels === undefined ? { x } : { x, labels: opts.labels };
  if (!allConcrete(params, b)) return reconstructTerms(cfg, params, x, opts.labels);
  const f = cachedJit(
    "reconstruct",
    cfg,
    "",
    () => (p: VaeParams, bb: { x: Array; labels?: Array }) => reconstructTerms(cfg, p, bb.x, bb.labels),
  );
  return f(params, b);
}
