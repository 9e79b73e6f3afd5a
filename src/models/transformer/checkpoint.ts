/**
 * Transformer checkpoints: the shared safetensors format (`io/checkpoint.ts`) with kind "transformer",
 * the resolved config in the metadata and optional JSON extras (e.g. the vocabulary). Loading checks
 * every tensor's name, shape and dtype against the params that config implies. Tensor names follow the
 * params (`blocks.0.attn.qkv.w`, `tokenEmbedding.table`, ...).
 */
import { FormatError, ValueError } from "../../errors.js";
import { decodeCheckpoint, encodeCheckpoint, paramSpecs } from "../../io/checkpoint.js";
import { decodeSafetensors } from "../../io/safetensors.js";
import { random, tree } from "../../jax.js";
import { type ResolvedConfig, resolveConfig, type TransformerConfig } from "./config.js";
import { initParams, type TransformerParams } from "./model.js";

/** The checkpoint kind written and expected. */
export const TRANSFORMER_KIND = "transformer";

/** A decoded transformer checkpoint. */
export type TransformerCheckpoint = {
  config: ResolvedConfig;
  params: TransformerParams;
  extra?: Record<string, unknown>;
};

/** Encode params (consumed) and config into safetensors bytes; `extra` is any JSON (e.g. `{vocab}`). */
export function encodeTransformer(
  params: TransformerParams,
  config: TransformerConfig,
  extra?: Record<string, unknown>,
): Uint8Array {
  let resolved: ResolvedConfig;
  try {
    resolved = resolveConfig(config, "encodeTransformer");
  } catch (e) {
    tree.dispose(params);
    throw e;
  }
  return encodeCheckpoint({ kind: TRANSFORMER_KIND, config: resolved, params, ...(extra ? { extra } : {}) });
}

/** Decode bytes from `encodeTransformer`; one-line `FormatError`s prefixed with `context` (default "checkpoint"). */
export function decodeTransformer(bytes: Uint8Array, opts: { context?: string } = {}): TransformerCheckpoint {
  const context = opts.context ?? "checkpoint";
  // 1. the config from the metadata, checked before any tensor becomes an array
  const { metadata } = decodeSafetensors(bytes, { context });
  const kind = metadata["novelist.kind"];
  if (kind !== undefined && kind !== TRANSFORMER_KIND)
    throw new FormatError(
      `${context}: expected model kind "${TRANSFORMER_KIND}" but the file holds "${kind}"`,
    );
  let config: ResolvedConfig;
  try {
    config = resolveConfig(JSON.parse(metadata["novelist.config"] ?? "null"), "config");
  } catch (e) {
    const why = e instanceof ValueError ? e.message : "novelist.config in __metadata__ is not valid JSON";
    throw new FormatError(`${context}: ${why}`);
  }
  // 2. tensors checked against the shapes this config implies
  const like = paramSpecs(initParams(random.key(0), config));
  const ckpt = decodeCheckpoint(bytes, { expectKind: TRANSFORMER_KIND, like, context });
  const params = ckpt.params as unknown as TransformerParams;
  return ckpt.extra === undefined ? { config, params } : { config, params, extra: ckpt.extra };
}
