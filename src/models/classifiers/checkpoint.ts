/**
 * Saving any fitted classifier as a safetensors checkpoint, and loading it back. A fitted value is a
 * plain object whose arrays are `Matrix` (saved as `[rows, cols]` F64 tensors) or `Float64Array`
 * (`[n]`), possibly inside nested objects and lists (named with "." like `covariances.0`); every other
 * field is JSON and goes to `novelist.config` with the list of tensor paths, so loading rebuilds the
 * exact object. `novelist.kind` is `classifier-<kind>`.
 */
import { FormatError, ValueError } from "../../errors.js";
import { CHECKPOINT_FORMAT_VERSION } from "../../io/checkpoint.js";
import {
  decodeSafetensors,
  encodeSafetensors,
  type Tensor,
  tensorFromTypedArray,
  tensorValues,
} from "../../io/safetensors.js";
import type { Matrix } from "../../linalg/matrix.js";

/** The model kinds of this family. */
export const CLASSIFIER_KINDS = ["lda", "qda", "gnb", "logreg", "gmm"] as const;

/** One of {@link CLASSIFIER_KINDS}. */
export type ClassifierKind = (typeof CLASSIFIER_KINDS)[number];

/** Any fitted classifier: a plain object with a `kind`. */
export type AnyFitted = { kind: ClassifierKind } & Record<string, unknown>;

type TensorKind = "matrix" | "vector";

function isMatrix(v: unknown): v is Matrix {
  if (typeof v !== "object" || v === null) return false;
  const m = v as Partial<Matrix>;
  return m.data instanceof Float64Array && typeof m.rows === "number" && typeof m.cols === "number";
}

/** Encode a fitted classifier as safetensors bytes. */
export function encodeFitted(fitted: AnyFitted): Uint8Array {
  if (!CLASSIFIER_KINDS.includes(fitted?.kind)) {
    throw new ValueError(
      `encodeFitted: fitted.kind must be one of ${CLASSIFIER_KINDS.join(", ")}, but got ${JSON.stringify(fitted?.kind)}`,
    );
  }
  const tensors: Record<string, Tensor> = {};
  const paths: Record<string, TensorKind> = {};
  // 1. pull arrays out of the object, leaving JSON behind
  const strip = (v: unknown, path: string): unknown => {
    if (isMatrix(v)) {
      tensors[path] = tensorFromTypedArray(v.data, [v.rows, v.cols]);
      paths[path] = "matrix";
      return null;
    }
    if (v instanceof Float64Array) {
      tensors[path] = tensorFromTypedArray(v, [v.length]);
      paths[path] = "vector";
      return null;
    }
    if (ArrayBuffer.isView(v))
      throw new ValueError(
        `encodeFitted: ${path} must be a Float64Array or Matrix, but is a ${v.constructor.name}`,
      );
    if (Array.isArray(v)) return v.map((x, i) => strip(x, path ? `${path}.${i}` : String(i)));
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x, path ? `${path}.${k}` : k)]));
    }
    if (typeof v === "number" && !Number.isFinite(v)) return { __number__: String(v) };
    return v;
  };
  const config = strip(fitted, "");
  return encodeSafetensors(tensors, {
    "novelist.kind": `classifier-${fitted.kind}`,
    "novelist.config": JSON.stringify({ fitted: config, tensors: paths }),
    "novelist.format_version": CHECKPOINT_FORMAT_VERSION,
  });
}

/** Decode a fitted classifier, checking that the file holds one (of `expect` kind, if given). */
export function decodeFitted(bytes: Uint8Array, source = "model", expect?: ClassifierKind): AnyFitted {
  const fail = (msg: string) => new FormatError(`${source}: ${msg}`);
  const { tensors, metadata } = decodeSafetensors(bytes, { context: source });
  const kind = metadata["novelist.kind"] ?? "";
  const bare = kind.replace(/^classifier-/, "") as ClassifierKind;
  if (!kind.startsWith("classifier-") || !CLASSIFIER_KINDS.includes(bare)) {
    throw fail(
      `expected a classifier (classifier-${CLASSIFIER_KINDS.join("|")}), but the file holds ${JSON.stringify(kind || "no novelist model")}`,
    );
  }
  if (expect && bare !== expect) throw fail(`expected a ${expect} model, but the file holds ${bare}`);
  if (metadata["novelist.format_version"] !== CHECKPOINT_FORMAT_VERSION) {
    throw fail(
      `format version must be ${CHECKPOINT_FORMAT_VERSION}, but got ${JSON.stringify(metadata["novelist.format_version"])}`,
    );
  }
  let config: { fitted: Record<string, unknown>; tensors: Record<string, TensorKind> };
  try {
    config = JSON.parse(metadata["novelist.config"] ?? "");
  } catch {
    throw fail("novelist.config is not valid JSON");
  }
  if (typeof config?.fitted !== "object" || typeof config?.tensors !== "object")
    throw fail("novelist.config lacks fitted/tensors");
  for (const name of Object.keys(tensors))
    if (!(name in config.tensors)) throw fail(`unexpected tensor ${JSON.stringify(name)}`);
  // 2. put the arrays back where they were
  const restore = (v: unknown, path: string): unknown => {
    if (path in config.tensors) {
      const t = tensors[path];
      if (!t) throw fail(`tensor ${JSON.stringify(path)} is missing`);
      if (t.dtype !== "F64") throw fail(`tensor ${JSON.stringify(path)} must be F64, but is ${t.dtype}`);
      const data = tensorValues(t, source) as Float64Array;
      if (config.tensors[path] === "vector") {
        if (t.shape.length !== 1)
          throw fail(`tensor ${JSON.stringify(path)} must be 1-D, but has shape [${t.shape.join(", ")}]`);
        return data;
      }
      if (t.shape.length !== 2)
        throw fail(`tensor ${JSON.stringify(path)} must be 2-D, but has shape [${t.shape.join(", ")}]`);
      return { rows: t.shape[0], cols: t.shape[1], data } satisfies Matrix;
    }
    if (Array.isArray(v)) return v.map((x, i) => restore(x, path ? `${path}.${i}` : String(i)));
    if (typeof v === "object" && v !== null) {
      const o = v as Record<string, unknown>;
      if (typeof o.__number__ === "string" && Object.keys(o).length === 1) return Number(o.__number__);
      return Object.fromEntries(
        Object.entries(o).map(([k, x]) => [k, restore(x, path ? `${path}.${k}` : k)]),
      );
    }
    return v;
  };
  const fitted = restore(config.fitted, "") as AnyFitted;
  if (fitted.kind !== bare)
    throw fail(`the config's kind ${JSON.stringify(fitted.kind)} does not match ${bare}`);
  return fitted;
}
