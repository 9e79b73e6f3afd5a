/**
 * The safetensors format, as bytes (browser-safe: Uint8Array/DataView only): an 8-byte little-endian
 * header length N, N bytes of JSON header (padded with spaces to a multiple of 8), then the tensor
 * data, little-endian, contiguous, without holes. Header entries: `{"dtype", "shape", "data_offsets":
 * [begin, end]}` (offsets relative to the data section) and an optional `"__metadata__"` of strings.
 * Layout as the reference writer: `__metadata__` first, tensors ordered by dtype size (largest first,
 * which keeps every tensor aligned) then name. Reference: https://github.com/huggingface/safetensors
 * (README "Format", and `safetensors/src/tensor.rs` `prepare`/`validate`).
 */
import { describe, FormatError, ValueError } from "../errors.js";

/** Safetensors dtype names and their sizes in bytes. */
export const DTYPE_SIZES = {
  F64: 8,
  I64: 8,
  U64: 8,
  F32: 4,
  I32: 4,
  U32: 4,
  F16: 2,
  BF16: 2,
  I16: 2,
  U16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
} as const;

/** A safetensors dtype name ("F32", "I32", ...). */
export type SafetensorsDType = keyof typeof DTYPE_SIZES;

/** One tensor: dtype, shape and its raw little-endian bytes (`data.length = prod(shape) * size`). */
export type Tensor = { dtype: SafetensorsDType; shape: number[]; data: Uint8Array };

/** A decoded file: tensors by name and the `__metadata__` strings (empty when absent). */
export type SafetensorsFile = { tensors: Record<string, Tensor>; metadata: Record<string, string> };

/** Largest header accepted when reading, as the reference implementation (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function isDType(d: unknown): d is SafetensorsDType {
  return typeof d === "string" && Object.hasOwn(DTYPE_SIZES, d);
}

/** Encode tensors and string metadata into one safetensors file. */
export function encodeSafetensors(
  tensors: Record<string, Tensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = Object.keys(tensors);
  for (const name of names) {
    const t = tensors[name];
    if (name === "__metadata__" || name.length === 0)
      throw new ValueError(
        `encodeSafetensors: tensor names must be non-empty and not __metadata__, but got ${describe(name)}`,
      );
    if (!isDType(t.dtype))
      throw new ValueError(`encodeSafetensors: tensor "${name}" has unknown dtype ${describe(t.dtype)}`);
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw new ValueError(
        `encodeSafetensors: tensor "${name}" shape must be non-negative integers, but got ${describe(t.shape)}`,
      );
    const want = numel(t.shape) * DTYPE_SIZES[t.dtype];
    if (t.data.length !== want)
      throw new ValueError(
        `encodeSafetensors: tensor "${name}" of shape [${t.shape.join(", ")}] and dtype ${t.dtype} needs ${want} bytes, but got ${t.data.length}`,
      );
  }
  for (const [k, v] of Object.entries(metadata))
    if (typeof v !== "string")
      throw new ValueError(
        `encodeSafetensors: metadata values must be strings, but "${k}" is ${describe(v)}`,
      );
  // 1. order: dtype size descending, then name (keeps every tensor aligned to its element size)
  names.sort(
    (a, b) => DTYPE_SIZES[tensors[b].dtype] - DTYPE_SIZES[tensors[a].dtype] || (a < b ? -1 : a > b ? 1 : 0),
  );
  // 2. header: __metadata__ (keys sorted) first, then tensors in data order, compact JSON (written
  //    entry by entry: a JS object would move integer-like names such as "0" to the front)
  const entries: string[] = [];
  const metaKeys = Object.keys(metadata).sort();
  if (metaKeys.length > 0)
    entries.push(
      `"__metadata__":{${metaKeys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(",")}}`,
    );
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const info = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.length] };
    entries.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
    offset += t.data.length;
  }
  let json = new TextEncoder().encode(`{${entries.join(",")}}`);
  // 3. pad the header with spaces to a multiple of 8 bytes
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  view.setUint32(4, Math.floor(json.length / 2 ** 32), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const name of names) {
    out.set(tensors[name].data, at);
    at += tensors[name].data.length;
  }
  return out;
}

/**
 * Decode a safetensors file, checking everything the reference validator checks: header length,
 * JSON, dtypes, shapes against offsets, contiguous non-overlapping offsets, and file length. Errors are
 * one-line `FormatError`s prefixed with `context` (default "safetensors").
 */
export function decodeSafetensors(bytes: Uint8Array, opts: { context?: string } = {}): SafetensorsFile {
  const ctx = opts.context ?? "safetensors";
  const fail = (msg: string) => new FormatError(`${ctx}: ${msg}`);
  if (!(bytes instanceof Uint8Array))
    throw new ValueError(`${ctx}: bytes must be a Uint8Array, but got ${describe(bytes)}`);
  // 1. header length
  if (bytes.length < 8)
    throw fail(`file is truncated: ${bytes.length} bytes, fewer than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n > MAX_HEADER_BYTES) throw fail(`header length ${n} is implausible (not a safetensors file?)`);
  if (n > bytes.length - 8)
    throw fail(`file is truncated: header says ${n} bytes of JSON but only ${bytes.length - 8} follow`);
  // 2. header JSON
  let header: unknown;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
    if (!text.startsWith("{")) throw new Error("it does not start with '{'");
    header = JSON.parse(text);
  } catch (e) {
    throw fail(`header is not valid JSON (${(e as Error).message.split("\n")[0]})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header))
    throw fail("header must be a JSON object");
  // 3. metadata: strings only
  const metadata: Record<string, string> = {};
  const rawMeta = (header as Record<string, unknown>).__metadata__;
  if (rawMeta !== undefined) {
    if (typeof rawMeta !== "object" || rawMeta === null || Array.isArray(rawMeta))
      throw fail("__metadata__ must be an object of strings");
    for (const [k, v] of Object.entries(rawMeta)) {
      if (typeof v !== "string")
        throw fail(`__metadata__ value "${k}" must be a string, but got ${describe(v)}`);
      metadata[k] = v;
    }
  }
  // 4. tensor entries: dtype, shape, offsets consistent with each other
  const entries: { name: string; dtype: SafetensorsDType; shape: number[]; begin: number; end: number }[] =
    [];
  for (const [name, e] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") continue;
    const info = e as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== "object" || e === null) throw fail(`tensor "${name}" must be an object`);
    if (!isDType(info.dtype)) throw fail(`tensor "${name}" has unknown dtype ${describe(info.dtype)}`);
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw fail(
        `tensor "${name}" shape must be a list of non-negative integers, but got ${describe(shape)}`,
      );
    const off = info.data_offsets;
    if (
      !Array.isArray(off) ||
      off.length !== 2 ||
      !off.every((d) => Number.isSafeInteger(d) && d >= 0) ||
      off[1] < off[0]
    )
      throw fail(
        `tensor "${name}" data_offsets must be [begin, end] with 0 <= begin <= end, but got ${describe(off)}`,
      );
    const want = numel(shape) * DTYPE_SIZES[info.dtype];
    if (off[1] - off[0] !== want)
      throw fail(
        `tensor "${name}" of shape [${shape.join(", ")}] and dtype ${info.dtype} needs ${want} bytes, but its data_offsets span ${off[1] - off[0]}`,
      );
    entries.push({ name, dtype: info.dtype, shape, begin: off[0], end: off[1] });
  }
  // 5. offsets: contiguous from 0, no overlap, no hole; then the file length
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let end = 0;
  for (const e of entries) {
    if (e.begin < end)
      throw fail(
        `tensor "${e.name}" overlaps the previous tensor (data_offsets start at ${e.begin} < ${end})`,
      );
    if (e.begin > end)
      throw fail(
        `tensor "${e.name}" leaves a hole in the data (starts at ${e.begin}, previous ends at ${end})`,
      );
    end = e.end;
  }
  const available = bytes.length - 8 - n;
  if (available < end)
    throw fail(`file is truncated: header says ${end} bytes of data but only ${available} follow`);
  if (available > end) throw fail(`${available - end} unexpected bytes after the ${end} bytes of data`);
  const tensors: Record<string, Tensor> = {};
  const base = 8 + n;
  for (const e of entries)
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, data: bytes.slice(base + e.begin, base + e.end) };
  return { tensors, metadata };
}

/** Typed arrays that map to a safetensors dtype when encoding. */
export type NumericArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;

/** Build a `Tensor` from a typed array (F64, F32, I32, U32, U8; pass dtype "BOOL" for 0/1 bytes). */
export function tensorFromTypedArray(
  values: NumericArray,
  shape: number[],
  dtype?: SafetensorsDType,
): Tensor {
  const inferred: SafetensorsDType =
    values instanceof Float64Array
      ? "F64"
      : values instanceof Float32Array
        ? "F32"
        : values instanceof Int32Array
          ? "I32"
          : values instanceof Uint32Array
            ? "U32"
            : "U8";
  const d = dtype ?? inferred;
  if (DTYPE_SIZES[d] !== values.BYTES_PER_ELEMENT || (d !== inferred && !(d === "BOOL" && inferred === "U8")))
    throw new ValueError(`tensorFromTypedArray: dtype ${d} does not match a ${values.constructor.name}`);
  if (numel(shape) !== values.length)
    throw new ValueError(
      `tensorFromTypedArray: shape [${shape.join(", ")}] needs ${numel(shape)} values, but got ${values.length}`,
    );
  if (LITTLE_ENDIAN)
    return {
      dtype: d,
      shape,
      data: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)),
    };
  const data = new Uint8Array(values.byteLength);
  const v = new DataView(data.buffer);
  const size = values.BYTES_PER_ELEMENT;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (d === "F64") v.setFloat64(i * 8, x, true);
    else if (d === "F32") v.setFloat32(i * 4, x, true);
    else if (d === "I32") v.setInt32(i * 4, x, true);
    else if (d === "U32") v.setUint32(i * 4, x, true);
    else data[i * size] = x;
  }
  return { dtype: d, shape, data };
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/**
 * Read a tensor's values: F64 -> Float64Array; F32, F16, BF16 -> Float32Array; I32 and smaller
 * integers, BOOL -> Int32Array; U32 -> Uint32Array; I64/U64 -> Int32Array if every value fits, else an
 * error. Little-endian, whatever the platform.
 */
export function tensorValues(
  t: Tensor,
  context = "safetensors",
): Float64Array | Float32Array | Int32Array | Uint32Array {
  const n = numel(t.shape);
  const v = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  switch (t.dtype) {
    case "F64": {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getFloat64(i * 8, true);
      return out;
    }
    case "F32": {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getFloat32(i * 4, true);
      return out;
    }
    case "F16":
    case "BF16": {
      const out = new Float32Array(n);
      const scratch = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < n; i++) {
        const h = v.getUint16(i * 2, true);
        if (t.dtype === "F16") out[i] = halfToFloat(h);
        else {
          scratch.setUint32(0, h << 16);
          out[i] = scratch.getFloat32(0);
        }
      }
      return out;
    }
    case "U32": {
      const out = new Uint32Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getUint32(i * 4, true);
      return out;
    }
    default: {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        let x: number | bigint;
        if (t.dtype === "I32") x = v.getInt32(i * 4, true);
        else if (t.dtype === "I16") x = v.getInt16(i * 2, true);
        else if (t.dtype === "U16") x = v.getUint16(i * 2, true);
        else if (t.dtype === "I8") x = v.getInt8(i);
        else if (t.dtype === "I64") x = v.getBigInt64(i * 8, true);
        else if (t.dtype === "U64") x = v.getBigUint64(i * 8, true);
        else x = v.getUint8(i); // U8, BOOL
        if (typeof x === "bigint") {
          if (x < -(2n ** 31n) || x >= 2n ** 31n)
            throw new FormatError(`${context}: ${t.dtype} value ${x} does not fit in int32`);
          x = Number(x);
        }
        out[i] = x;
      }
      return out;
    }
  }
}
