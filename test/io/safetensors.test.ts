import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  decodeSafetensors,
  encodeSafetensors,
  tensorFromTypedArray,
  tensorValues,
} from "../../src/io/index.js";

const fixture = (name: string) => new URL(`../fixtures/safetensors/${name}`, import.meta.url);
const bytesOf = (name: string) => new Uint8Array(readFileSync(fixture(name)));

test("decodes a file written by an independent Python writer (from-python.safetensors) exactly", () => {
  const want = JSON.parse(readFileSync(fixture("from-python.json"), "utf8")) as {
    metadata: Record<string, string>;
    tensors: Record<string, { dtype: string; shape: number[]; values: number[] }>;
  };
  const file = decodeSafetensors(bytesOf("from-python.safetensors"));
  assert.deepEqual(file.metadata, want.metadata);
  assert.deepEqual(Object.keys(file.tensors).sort(), Object.keys(want.tensors).sort());
  for (const [name, w] of Object.entries(want.tensors)) {
    const t = file.tensors[name];
    assert.equal(t.dtype, w.dtype, name);
    assert.deepEqual(t.shape, w.shape, name);
    const got = Array.from(tensorValues(t));
    // F32 and F16 values are exact in the fixture's float64 JSON, F64 too: compare exactly
    assert.deepEqual(got, w.values, name);
  }
});

test("encode/decode round trip, header padded to 8 bytes, tensors ordered by dtype size then name", () => {
  const tensors = {
    b: tensorFromTypedArray(new Float32Array([1, 2, 3]), [3]),
    a: tensorFromTypedArray(new Float64Array([0.1]), [1, 1]),
    z: tensorFromTypedArray(new Int32Array([-1, 2]), [2]),
    m: tensorFromTypedArray(new Uint8Array([1, 0]), [2], "BOOL"),
    s: tensorFromTypedArray(new Float32Array([5]), []),
  };
  const bytes = encodeSafetensors(tensors, { b: "2", a: "1" });
  const n = new DataView(bytes.buffer).getUint32(0, true);
  assert.equal(n % 8, 0);
  const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  assert.ok(
    header.startsWith(
      '{"__metadata__":{"a":"1","b":"2"},"a":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]},"b":',
    ),
  );
  assert.match(header, /^\{[^ ]*\} *$/);
  const back = decodeSafetensors(bytes);
  assert.deepEqual(back.metadata, { a: "1", b: "2" });
  for (const [k, t] of Object.entries(tensors)) {
    assert.deepEqual(back.tensors[k].shape, t.shape);
    assert.deepEqual(back.tensors[k].data, t.data);
  }
  assert.deepEqual(Array.from(tensorValues(back.tensors.z)), [-1, 2]);
  assert.throws(
    () => encodeSafetensors({ x: { dtype: "F32", shape: [2], data: new Uint8Array(4) } }),
    /needs 8 bytes, but got 4/,
  );
  assert.throws(
    () => encodeSafetensors({}, { k: 1 as unknown as string }),
    /metadata values must be strings/,
  );
});

function withHeader(header: string, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

test("truncated and corrupted files give one-line FormatErrors", () => {
  const good = bytesOf("from-python.safetensors");
  const oneLine = (f: () => unknown, re: RegExp) =>
    assert.throws(
      f,
      (e: Error) => e.name === "FormatError" && !e.message.includes("\n") && re.test(e.message),
    );
  oneLine(
    () => decodeSafetensors(good.subarray(0, 5)),
    /^safetensors: file is truncated: 5 bytes, fewer than the 8-byte header length$/,
  );
  oneLine(
    () => decodeSafetensors(good.subarray(0, 100)),
    /file is truncated: header says \d+ bytes of JSON but only 92 follow/,
  );
  oneLine(
    () => decodeSafetensors(good.subarray(0, good.length - 10)),
    /file is truncated: header says 127 bytes of data but only 117 follow/,
  );
  oneLine(
    () => decodeSafetensors(new Uint8Array([...good, 0, 0])),
    /2 unexpected bytes after the 127 bytes of data/,
  );
  const d = new Uint8Array(8);
  oneLine(
    () => decodeSafetensors(withHeader('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]', d)),
    /header is not valid JSON/,
  );
  oneLine(
    () => decodeSafetensors(withHeader('{"x":{"dtype":"Q8","shape":[2],"data_offsets":[0,8]}}', d)),
    /tensor "x" has unknown dtype "Q8"/,
  );
  oneLine(
    () => decodeSafetensors(withHeader('{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', d)),
    /tensor "x" of shape \[3\] and dtype F32 needs 12 bytes, but its data_offsets span 8/,
  );
  oneLine(
    () =>
      decodeSafetensors(
        withHeader(
          '{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
          d,
        ),
      ),
    /tensor "y" overlaps the previous tensor/,
  );
  oneLine(
    () => decodeSafetensors(withHeader('{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', d)),
    /tensor "x" leaves a hole in the data/,
  );
  oneLine(
    () => decodeSafetensors(withHeader('{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}}', d)),
    /shape must be a list of non-negative integers/,
  );
  oneLine(
    () => decodeSafetensors(withHeader('{"__metadata__":{"a":1}}', new Uint8Array(0))),
    /__metadata__ value "a" must be a string/,
  );
  const huge = new Uint8Array(16);
  new DataView(huge.buffer).setUint32(4, 1, true);
  oneLine(() => decodeSafetensors(huge), /header length 4294967296 is implausible/);
  oneLine(
    () => decodeSafetensors(new TextEncoder().encode("hello, this is not a checkpoint")),
    /header length \d+ is implausible|file is truncated/,
  );
  // a flipped byte in the JSON
  const flipped = good.slice();
  flipped[8 + 1] = 0xff;
  oneLine(() => decodeSafetensors(flipped), /header is not valid JSON/);
});
