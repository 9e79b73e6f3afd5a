/**
 * Design-model checkpoints: the shared safetensors format (`io/checkpoint.ts`) with kind
 * "novelist.perovskite-vae", the resolved config in the metadata, and optionally the training set (as
 * flat site indices in `novelist.extra`) so that a loaded model can still tell novel designs from
 * training compositions. Bytes in and out (browser-safe); loading checks every tensor's name, shape and
 * dtype against the params the config implies.
 */

import type { Composition } from "../../data/perovskites/index.js";
import { describe, FormatError, ValueError } from "../../errors.js";
import { decodeCheckpoint, encodeCheckpoint, paramSpecs } from "../../io/checkpoint.js";
import { decodeSafetensors } from "../../io/safetensors.js";
import { random, tree } from "../../jax.js";
import { type DesignConfig, type ResolvedDesignConfig, resolveDesignConfig } from "./config.js";
import { checkCompositions, type DesignParams, designInit } from "./networks.js";

/** The checkpoint kind written and expected. */
export const DESIGN_MODEL_KIND = "novelist.perovskite-vae";

/** A saved or loaded design model; `training` is the training set, when it was saved. */
export type SavedDesignModel = {
  params: DesignParams;
  config: ResolvedDesignConfig;
  training?: Composition[];
};

/** Encode params (consumed), config and optionally the training set into safetensors bytes. */
export function saveDesignModel(model: {
  params: DesignParams;
  config: DesignConfig;
  training?: readonly Composition[];
}): Uint8Array {
  let config: ResolvedDesignConfig;
  try {
    config = resolveDesignConfig(model.config, "saveDesignModel");
    if (model.training !== undefined) checkCompositions("saveDesignModel", model.training, "training");
  } catch (e) {
    tree.dispose(model.params);
    throw e;
  }
  const extra =
    model.training === undefined ? undefined : { training: model.training.flatMap((c) => [c.a, c.b, c.x]) };
  return encodeCheckpoint({
    kind: DESIGN_MODEL_KIND,
    config,
    params: model.params,
    ...(extra ? { extra } : {}),
  });
}

/** Decode bytes from `saveDesignModel`; one-line `FormatError`s prefixed with `context` (default "checkpoint"). */
export function loadDesignModel(bytes: Uint8Array, opts: { context?: string } = {}): SavedDesignModel {
  const context = opts.context ?? "checkpoint";
  // 1. the config from the metadata, checked before any tensor becomes an array
  const { metadata } = decodeSafetensors(bytes, { context });
  const kind = metadata["novelist.kind"];
  if (kind !== undefined && kind !== DESIGN_MODEL_KIND)
    throw new FormatError(
      `${context}: expected model kind "${DESIGN_MODEL_KIND}" but the file holds "${kind}"`,
    );
  let config: ResolvedDesignConfig;
  try {
    config = resolveDesignConfig(JSON.parse(metadata["novelist.config"] ?? "null"), "config");
  } catch (e) {
    const why = e instanceof ValueError ? e.message : "novelist.config in __metadata__ is not valid JSON";
    throw new FormatError(`${context}: ${why}`);
  }
  // 2. tensors checked against the shapes this config implies
  const like = paramSpecs(designInit(random.key(0), config));
  const ckpt = decodeCheckpoint(bytes, { expectKind: DESIGN_MODEL_KIND, like, context });
  const params = ckpt.params as unknown as DesignParams;
  const flat = ckpt.extra?.training;
  if (flat === undefined) return { params, config };
  // 3. the training set, if saved
  let training: Composition[];
  try {
    if (!globalThis.Array.isArray(flat) || flat.length % 3 !== 0)
      throw new ValueError(`training must be a flat list of site-index triples, but got ${describe(flat)}`);
    training = [];
    for (let i = 0; i < flat.length; i += 3) training.push({ a: flat[i], b: flat[i + 1], x: flat[i + 2] });
    checkCompositions("training", training);
  } catch (e) {
    tree.dispose(params);
    throw new FormatError(`${context}: novelist.extra ${(e as Error).message}`);
  }
  return { params, config, training };
}
