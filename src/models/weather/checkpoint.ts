/**
 * Saving and loading the weather models as safetensors checkpoints, in the same layout as every
 * Novelist checkpoint (`novelist.kind`, `novelist.config`, `novelist.format_version` in `__metadata__`),
 * with float64 tensors: `probs [k]` (i.i.d.) or `initial [k]` and `transition [k, k]` (Markov).
 */
import { FormatError } from "../../errors.js";
import { CHECKPOINT_FORMAT_VERSION } from "../../io/checkpoint.js";
import {
  decodeSafetensors,
  encodeSafetensors,
  type Tensor,
  tensorFromTypedArray,
  tensorValues,
} from "../../io/safetensors.js";
import type { SeriesModel } from "./categorical-series.js";

const KINDS = { iid: "weather-iid", markov: "weather-markov" } as const;

/** Encode a fitted series model as safetensors bytes. */
export function encodeSeriesModel(model: SeriesModel): Uint8Array {
  const k = model.states.length;
  const tensors: Record<string, Tensor> =
    model.kind === "iid"
      ? { probs: tensorFromTypedArray(model.probs, [k]) }
      : {
          initial: tensorFromTypedArray(model.initial, [k]),
          transition: tensorFromTypedArray(model.transition, [k, k]),
        };
  return encodeSafetensors(tensors, {
    "novelist.kind": KINDS[model.kind],
    "novelist.config": JSON.stringify({ states: model.states }),
    "novelist.format_version": CHECKPOINT_FORMAT_VERSION,
  });
}

/** Decode a series model, checking kind, format version, shapes and that each distribution sums to 1. */
export function decodeSeriesModel(bytes: Uint8Array, source = "model"): SeriesModel {
  const fail = (msg: string) => new FormatError(`${source}: ${msg}`);
  const { tensors, metadata } = decodeSafetensors(bytes, { context: source });
  const kind = metadata["novelist.kind"];
  if (kind !== KINDS.iid && kind !== KINDS.markov) {
    throw fail(
      `expected a weather model (${KINDS.iid} or ${KINDS.markov}), but the file holds ${JSON.stringify(kind ?? "no novelist model")}`,
    );
  }
  if (metadata["novelist.format_version"] !== CHECKPOINT_FORMAT_VERSION) {
    throw fail(
      `format version must be ${CHECKPOINT_FORMAT_VERSION}, but got ${JSON.stringify(metadata["novelist.format_version"])}`,
    );
  }
  let states: unknown;
  try {
    states = JSON.parse(metadata["novelist.config"] ?? "").states;
  } catch {
    throw fail("novelist.config is not valid JSON");
  }
  if (!Array.isArray(states) || states.length === 0 || !states.every((s) => typeof s === "string")) {
    throw fail("novelist.config must list the states as strings");
  }
  const k = states.length;
  const get = (name: string, shape: number[]) => {
    const t = tensors[name];
    if (!t) throw fail(`tensor ${JSON.stringify(name)} is missing`);
    if (t.dtype !== "F64" || t.shape.join(",") !== shape.join(",")) {
      throw fail(
        `tensor ${JSON.stringify(name)} must be F64 [${shape.join(", ")}], but is ${t.dtype} [${t.shape.join(", ")}]`,
      );
    }
    const v = tensorValues(t, source) as Float64Array;
    for (let r = 0; r < v.length / k; r++) {
      let s = 0;
      for (let j = 0; j < k; j++) {
        const x = v[r * k + j];
        if (!(x >= 0 && x <= 1)) throw fail(`tensor ${JSON.stringify(name)} holds ${x}, not a probability`);
        s += x;
      }
      if (Math.abs(s - 1) > 1e-9) throw fail(`tensor ${JSON.stringify(name)} row ${r} sums to ${s}, not 1`);
    }
    return v;
  };
  if (kind === KINDS.iid) return { kind: "iid", states, probs: get("probs", [k]) };
  return { kind: "markov", states, initial: get("initial", [k]), transition: get("transition", [k, k]) };
}
