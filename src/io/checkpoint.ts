/**
 * Novelist checkpoints: one safetensors file per model. Params (a pytree of arrays) are flattened to
 * tensor names joined with "." (`layers.0.w`); `__metadata__` holds `novelist.kind` (the model kind),
 * `novelist.config` (JSON), `novelist.format_version` ("1") and optionally `novelist.extra` (JSON),
 * all strings as the format requires. Python's `safetensors` and PyTorch open these files directly.
 * Pure bytes in and out (browser-safe); file writing lives in `node-files.ts`.
 */
import { describe, FormatError, ValueError } from "../errors.js";
import { type Array, type DType, type JsTree, np, tree } from "../jax.js";
import {
  decodeSafetensors,
  encodeSafetensors,
  type SafetensorsDType,
  type Tensor,
  tensorFromTypedArray,
  tensorValues,
} from "./safetensors.js";

/** The checkpoint format version this code writes and reads. */
export const CHECKPOINT_FORMAT_VERSION = "1";

/** A checkpoint: model kind (e.g. "mlp", "vae"), its JSON config, params, and optional JSON extras. */
export type Checkpoint<P extends JsTree<Array> = JsTree<Array>> = {
  kind: string;
  config: unknown;
  params: P;
  extra?: Record<string, unknown>;
};

/** Expected shape and dtype of one tensor (for `decodeCheckpoint`'s `like`). */
export type TensorSpec = { shape: number[]; dtype: DType };

/** A pytree of `TensorSpec`s with the structure of the params. */
export type ParamSpecs = TensorSpec | ParamSpecs[] | { [key: string]: ParamSpecs };

const TO_SAFETENSORS: Partial<Record<string, SafetensorsDType>> = {
  float32: "F32",
  float64: "F64",
  int32: "I32",
  uint32: "U32",
  bool: "BOOL",
};

function isSpec(x: unknown): x is TensorSpec {
  if (typeof x !== "object" || x === null) return false;
  const o = x as { shape?: unknown; dtype?: unknown };
  return globalThis.Array.isArray(o.shape) && typeof o.dtype === "string";
}

/** Walk a pytree whose leaves satisfy `isLeaf`, yielding dotted names; rejects names that would not round-trip. */
function flattenNamed<L>(x: unknown, isLeaf: (v: unknown) => v is L, fn: string, prefix = ""): [string, L][] {
  if (isLeaf(x)) return [[prefix, x]];
  const out: [string, L][] = [];
  const children: [string, unknown][] = globalThis.Array.isArray(x)
    ? x.map((v, i) => [String(i), v])
    : typeof x === "object" && x !== null && Object.getPrototypeOf(x) === Object.prototype
      ? Object.entries(x)
      : (() => {
          throw new ValueError(
            `${fn}: params must be plain objects and lists of arrays, but "${prefix}" is ${describe(x)}`,
          );
        })();
  for (const [k, v] of children) {
    if (k.length === 0 || k.includes("."))
      throw new ValueError(`${fn}: param names must be non-empty and contain no ".", but got ${describe(k)}`);
    out.push(...flattenNamed(v, isLeaf, fn, prefix ? `${prefix}.${k}` : k));
  }
  return out;
}

/** Shapes and dtypes of `params` (consumed), for checking a loaded checkpoint against a model. */
export function paramSpecs(params: JsTree<Array>): ParamSpecs {
  const specs = tree.map((a: Array) => {
    const s = { shape: a.shape, dtype: a.dtype };
    a.dispose();
    return s;
  }, params);
  return specs as unknown as ParamSpecs;
}

type Prepared = { metadata: Record<string, string>; named: [string, Array, SafetensorsDType][] };

/** Validate a checkpoint and name its leaves; on error the params are disposed. */
function prepare(ckpt: Checkpoint, fn: string): Prepared {
  const fail = (msg: string) => {
    tree.dispose(ckpt.params);
    return new ValueError(`${fn}: ${msg}`);
  };
  if (typeof ckpt.kind !== "string" || ckpt.kind.length === 0)
    throw fail(`kind must be a non-empty string, but got ${describe(ckpt.kind)}`);
  const metadata: Record<string, string> = {
    "novelist.format_version": CHECKPOINT_FORMAT_VERSION,
    "novelist.kind": ckpt.kind,
    "novelist.config": JSON.stringify(ckpt.config ?? null),
  };
  if (ckpt.extra !== undefined) metadata["novelist.extra"] = JSON.stringify(ckpt.extra);
  let named: [string, Array][];
  try {
    named = flattenNamed(ckpt.params, (v): v is Array => v instanceof np.Array, fn);
  } catch (e) {
    tree.dispose(ckpt.params);
    throw e;
  }
  const out: Prepared["named"] = [];
  for (const [name, a] of named) {
    const dtype = TO_SAFETENSORS[a.dtype];
    if (dtype === undefined)
      throw fail(`param "${name}" has dtype ${a.dtype}, which checkpoints do not store`);
    if (name === "") throw fail("params must be an object of named arrays, not a single array");
    out.push([name, a, dtype]);
  }
  return { metadata, named: out };
}

function toTensor(values: ArrayLike<number>, shape: number[], dtype: SafetensorsDType): Tensor {
  const typed = dtype === "BOOL" ? Uint8Array.from(values) : (values as Float32Array);
  return tensorFromTypedArray(typed, shape, dtype);
}

/**
 * Encode a checkpoint into safetensors bytes, reading values synchronously. Consumes `ckpt.params`
 * (pass `tree.ref(params)` to keep them). In a cross-origin-isolated browser page use
 * `encodeCheckpointAsync`.
 */
export function encodeCheckpoint(ckpt: Checkpoint): Uint8Array {
  const { metadata, named } = prepare(ckpt, "encodeCheckpoint");
  const tensors: Record<string, Tensor> = {};
  for (const [name, a, dtype] of named) tensors[name] = toTensor(a.ref.dataSync(), a.shape, dtype);
  tree.dispose(named.map(([, a]) => a));
  return encodeSafetensors(tensors, metadata);
}

/** `encodeCheckpoint` reading values with `await array.data()` (works where synchronous reads throw). */
export async function encodeCheckpointAsync(ckpt: Checkpoint): Promise<Uint8Array> {
  const { metadata, named } = prepare(ckpt, "encodeCheckpointAsync");
  const tensors: Record<string, Tensor> = {};
  for (const [name, a, dtype] of named) {
    const shape = a.shape;
    tensors[name] = toTensor(await a.data(), shape, dtype);
  }
  return encodeSafetensors(tensors, metadata);
}

function quoteList(names: string[]): string {
  const head = names.slice(0, 5).map((n) => JSON.stringify(n));
  return names.length > 5
    ? `${head.join(", ")} and ${names.length - 5} more`
    : head.join(", ") || "no tensors";
}

/** Options of `decodeCheckpoint`: expected model kind, expected param shapes/dtypes, error prefix. */
export type DecodeCheckpointOptions = { expectKind?: string; like?: ParamSpecs; context?: string };

function unflattenNamed(names: string[], values: Array[], fail: (msg: string) => Error): JsTree<Array> {
  const root: Record<string, unknown> = {};
  names.forEach((name, i) => {
    const parts = name.split(".");
    if (parts.some((p) => p.length === 0)) throw fail(`tensor name ${describe(name)} has an empty part`);
    let node = root;
    for (const p of parts.slice(0, -1)) {
      node[p] ??= {};
      if (node[p] instanceof np.Array)
        throw fail(`tensor names ${describe(name)} and ${describe(p)} conflict`);
      node = node[p] as Record<string, unknown>;
    }
    const last = parts[parts.length - 1];
    if (node[last] !== undefined)
      throw fail(`tensor name ${describe(name)} conflicts with another tensor's prefix`);
    node[last] = values[i];
  });
  // objects whose keys are exactly 0..n-1 were lists
  const fix = (x: unknown): unknown => {
    if (x instanceof np.Array || typeof x !== "object" || x === null) return x;
    const o = x as Record<string, unknown>;
    const keys = Object.keys(o);
    const isList =
      keys.length > 0 && keys.every((k, _) => /^(0|[1-9]\d*)$/.test(k)) && keys.every((_, i) => i in o);
    if (isList) return keys.map((_, i) => fix(o[String(i)]));
    return Object.fromEntries(keys.map((k) => [k, fix(o[k])]));
  };
  return fix(root) as JsTree<Array>;
}

/**
 * Decode checkpoint bytes: checks the safetensors structure, the format version, the model kind
 * (`expectKind`) and, with `like`, every param's name, shape and dtype; params then take the structure
 * and key order of `like` (jax-js treedefs compare key order), otherwise keys are sorted and objects
 * keyed 0..n-1 become lists. One-line `FormatError`s.
 */
export function decodeCheckpoint(bytes: Uint8Array, opts: DecodeCheckpointOptions = {}): Checkpoint {
  const ctx = opts.context ?? "checkpoint";
  const fail = (msg: string) => new FormatError(`${ctx}: ${msg}`);
  const { tensors, metadata } = decodeSafetensors(bytes, { context: ctx });
  // 1. metadata: a Novelist checkpoint of a version we read, of the expected kind
  const version = metadata["novelist.format_version"];
  const kind = metadata["novelist.kind"];
  if (version === undefined || kind === undefined)
    throw fail("not a Novelist checkpoint (no novelist.kind / novelist.format_version in __metadata__)");
  if (version !== CHECKPOINT_FORMAT_VERSION)
    throw fail(
      `format version ${describe(version)} is not supported (this Novelist reads version ${CHECKPOINT_FORMAT_VERSION})`,
    );
  if (opts.expectKind !== undefined && kind !== opts.expectKind)
    throw fail(`expected model kind ${describe(opts.expectKind)} but the file holds ${describe(kind)}`);
  const parseJson = (key: string): unknown => {
    try {
      return JSON.parse(metadata[key]);
    } catch {
      throw fail(`${key} in __metadata__ is not valid JSON`);
    }
  };
  const config = parseJson("novelist.config");
  const extra = metadata["novelist.extra"] === undefined ? undefined : parseJson("novelist.extra");
  // 2. optional check of names, shapes and dtypes against the model
  const names = Object.keys(tensors).sort();
  if (opts.like !== undefined) {
    const expected = new Map(flattenNamed(opts.like, isSpec, "decodeCheckpoint"));
    for (const [name, spec] of expected) {
      const t = tensors[name];
      if (t === undefined) throw fail(`missing tensor "${name}" (the file has ${quoteList(names)})`);
      if (t.shape.length !== spec.shape.length || t.shape.some((d, i) => d !== spec.shape[i]))
        throw fail(
          `tensor "${name}" has shape [${t.shape.join(", ")}] but the model expects [${spec.shape.join(", ")}]`,
        );
      if (TO_SAFETENSORS[spec.dtype] !== t.dtype)
        throw fail(`tensor "${name}" has dtype ${t.dtype} but the model expects ${spec.dtype}`);
    }
    const unexpected = names.filter((n) => !expected.has(n));
    if (unexpected.length > 0) throw fail(`unexpected tensor(s) ${quoteList(unexpected)} for this model`);
  }
  // 3. arrays, in the structure (and key order, which jax-js treedefs compare) of `like` if given
  const toArray = (name: string): Array => {
    const t = tensors[name];
    const v = tensorValues(t, ctx);
    const dtype: DType =
      t.dtype === "F64"
        ? np.float64
        : v instanceof Float32Array
          ? np.float32
          : t.dtype === "BOOL"
            ? np.bool
            : t.dtype === "U32"
              ? np.uint32
              : np.int32;
    return np.array(v, { shape: t.shape, dtype });
  };
  let params: JsTree<Array>;
  if (opts.like !== undefined) {
    const build = (x: ParamSpecs, prefix: string): JsTree<Array> => {
      if (isSpec(x)) return toArray(prefix);
      const join = (k: string) => (prefix ? `${prefix}.${k}` : k);
      if (globalThis.Array.isArray(x)) return x.map((v, i) => build(v, join(String(i))));
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, build(v, join(k))]));
    };
    params = build(opts.like, "");
  } else {
    const values = names.map(toArray);
    try {
      params = unflattenNamed(names, values, fail);
    } catch (e) {
      tree.dispose(values);
      throw e;
    }
  }
  return extra === undefined
    ? { kind, config, params }
    : { kind, config, params, extra: extra as Record<string, unknown> };
}
