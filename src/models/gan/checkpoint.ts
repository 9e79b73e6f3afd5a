/**
 * GAN checkpoints: the shared safetensors format (`io/checkpoint.ts`) with kind "novelist.gan", the
 * resolved config in the metadata and optional JSON extras (e.g. the training step). Tensor names follow
 * the params (`generator.layers.0.w`, `discriminator.layers.2.b`, ...). Loading checks every tensor's name,
 * shape and dtype against the params the stored config implies; values round-trip exactly. Optimizer
 * states are not stored.
 */
import { FormatError, ValueError } from "../../errors.js";
import {
  decodeCheckpoint,
  encodeCheckpoint,
  encodeCheckpointAsync,
  paramSpecs,
} from "../../io/checkpoint.js";
import { decodeSafetensors } from "../../io/safetensors.js";
import { random, tree } from "../../jax.js";
import { type GanConfig, type ResolvedGanConfig, resolveGanConfig } from "./config.js";
import { type GanParams, ganInitResolved } from "./networks.js";

/** The checkpoint kind written and expected. */
export const GAN_KIND = "novelist.gan";

/** A decoded GAN checkpoint. */
export type GanCheckpoint = { config: ResolvedGanConfig; params: GanParams; extra?: Record<string, unknown> };

function resolveOrDispose(params: GanParams, config: GanConfig, fn: string): ResolvedGanConfig {
  try {
    return resolveGanConfig(config, fn);
  } catch (e) {
    tree.dispose(params);
    throw e;
  }
}

/** Encode params (consumed) and config into safetensors bytes; `extra` is any JSON (e.g. `{step}`). */
export function saveGan(params: GanParams, config: GanConfig, extra?: Record<string, unknown>): Uint8Array {
  const cfg = resolveOrDispose(params, config, "saveGan");
  return encodeCheckpoint({ kind: GAN_KIND, config: cfg, params, ...(extra ? { extra } : {}) });
}

/** `saveGan` reading values with `await array.data()` (works where synchronous reads throw, e.g. browsers). */
export async function saveGanAsync(
  params: GanParams,
  config: GanConfig,
  extra?: Record<string, unknown>,
): Promise<Uint8Array> {
  const cfg = resolveOrDispose(params, config, "saveGanAsync");
  return encodeCheckpointAsync({ kind: GAN_KIND, config: cfg, params, ...(extra ? { extra } : {}) });
}

/** Decode bytes from `saveGan`; one-line `FormatError`s prefixed with `context` (default "checkpoint"). */
export function loadGan(bytes: Uint8Array, opts: { context?: string } = {}): GanCheckpoint {
  const context = opts.context ?? "checkpoint";
  // 1. the config from the metadata, checked before any tensor becomes an array
  const { metadata } = decodeSafetensors(bytes, { context });
  const kind = metadata["novelist.kind"];
  if (kind !== undefined && kind !== GAN_KIND)
    throw new FormatError(`${context}: expected model kind "${GAN_KIND}" but the file holds "${kind}"`);
  let cfg: ResolvedGanConfig;
  try {
    cfg = resolveGanConfig(JSON.parse(metadata["novelist.config"] ?? "null"), "config");
  } catch (e) {
    const why = e instanceof ValueError ? e.message : "novelist.config in __metadata__ is not valid JSON";
    throw new FormatError(`${context}: ${why}`);
  }
  // 2. tensors checked against the shapes this config implies
  const like = paramSpecs(ganInitResolved(random.key(0), cfg));
  const ckpt = decodeCheckpoint(bytes, { expectKind: GAN_KIND, like, context });
  const params = ckpt.params as unknown as GanParams;
  return ckpt.extra === undefined ? { config: cfg, params } : { config: cfg, params, extra: ckpt.extra };
}
