/**
 * VAE checkpoints: the shared safetensors format (`io/checkpoint.ts`) with kind "novelist.vae", the
 * resolved config in the metadata and optional JSON extras. Tensor names follow the params
 * (`encoder.body.layers.0.w`, `decoder.logTheta`, `library.logMean`, ...). Loading checks every tensor's
 * name, shape and dtype against the params the stored config implies; values round-trip exactly.
 */
import { FormatError, ValueError } from "../../errors.js";
import { decodeCheckpoint, encodeCheckpoint, paramSpecs } from "../../io/checkpoint.js";
import { decodeSafetensors } from "../../io/safetensors.js";
import { random, tree } from "../../jax.js";
import { type ResolvedVaeConfig, resolveVaeConfig, type VaeConfig } from "./config.js";
import { type VaeParams, vaeInitResolved } from "./params.js";

/** The checkpoint kind written and expected. */
export const VAE_KIND = "novelist.vae";

/** A decoded VAE checkpoint. */
export type VaeCheckpoint = { config: ResolvedVaeConfig; params: VaeParams; extra?: Record<string, unknown> };

/** Encode params (consumed) and config into safetensors bytes; `extra` is any JSON (e.g. training history). */
export function saveVae(params: VaeParams, config: VaeConfig, extra?: Record<string, unknown>): Uint8Array {
  let cfg: ResolvedVaeConfig;
  try {
    cfg = resolveVaeConfig(config, "saveVae");
  } catch (e) {
    tree.dispose(params);
    throw e;
  }
  return encodeCheckpoint({ kind: VAE_KIND, config: cfg, params, ...(extra ? { extra } : {}) });
}

/** Decode bytes from `saveVae`; one-line `FormatError`s prefixed with `context` (default "checkpoint"). */
export function loadVae(bytes: Uint8Array, opts: { context?: string } = {}): VaeCheckpoint {
  const context = opts.context ?? "checkpoint";
  // 1. the config from the metadata, checked before any tensor becomes an array
  const { metadata } = decodeSafetensors(bytes, { context });
  const kind = metadata["novelist.kind"];
  if (kind !== undefined && kind !== VAE_KIND)
    throw new FormatError(`${context}: expected model kind "${VAE_KIND}" but the file holds "${kind}"`);
  let cfg: ResolvedVaeConfig;
  try {
    cfg = resolveVaeConfig(JSON.parse(metadata["novelist.config"] ?? "null"), "config");
  } catch (e) {
    const why = e instanceof ValueError ? e.message : "novelist.config in __metadata__ is not valid JSON";
    throw new FormatError(`${context}: ${why}`);
  }
  // 2. tensors checked against the shapes this config implies
  const like = paramSpecs(vaeInitResolved(random.key(0), cfg));
  const ckpt = decodeCheckpoint(bytes, { expectKind: VAE_KIND, like, context });
  const params = ckpt.params as unknown as VaeParams;
  return ckpt.extra === undefined ? { config: cfg, params } : { config: cfg, params, extra: ckpt.extra };
}
