import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  decodeCheckpoint,
  encodeCheckpoint,
  encodeCheckpointAsync,
  encodeSafetensors,
  paramSpecs,
  tensorFromTypedArray,
} from "../../src/io/index.js";
import { readCheckpointFile, writeCheckpointFile, writeFileAtomic } from "../../src/io/node-files.js";
import { type Array, np, random, tree } from "../../src/jax.js";
import { mlpInit } from "../../src/nn/index.js";
import { fixtureCheckpoint } from "../fixtures/safetensors/novelist-checkpoint.js";

const fixture = (name: string) => new URL(`../fixtures/safetensors/${name}`, import.meta.url);

test("the encoder reproduces the committed from-novelist.safetensors byte for byte (checked by check.py)", () => {
  const committed = readFileSync(fixture("from-novelist.safetensors"));
  const ours = encodeCheckpoint(fixtureCheckpoint());
  assert.equal(ours.length, committed.length);
  assert.ok(committed.equals(ours), "format changed: rerun write-novelist.ts and check.py");
  assert.match(readFileSync(fixture("check-output.txt"), "utf8"), /numpy check: OK/);
});

test("encodeCheckpointAsync writes the same bytes as encodeCheckpoint", async () => {
  const a = encodeCheckpoint(fixtureCheckpoint());
  const b = await encodeCheckpointAsync(fixtureCheckpoint());
  assert.deepEqual(b, a);
});

test("round trip: kind, config, extra, nested objects and lists, dtypes and values", () => {
  const ckpt = decodeCheckpoint(encodeCheckpoint(fixtureCheckpoint()), { expectKind: "mlp" });
  assert.equal(ckpt.kind, "mlp");
  assert.deepEqual(ckpt.config, { sizes: [2, 3, 1], activation: "relu", note: "ünïcödé ✓" });
  assert.deepEqual(ckpt.extra, { step: 1000, seed: 42 });
  // biome-ignore lint/suspicious/noExplicitAny: walking a decoded pytree
  const p = ckpt.params as any;
  assert.ok(globalThis.Array.isArray(p.layers) && p.layers.length === 2);
  assert.deepEqual(p.layers[0].w.shape, [2, 3]);
  assert.deepEqual(p.layers[0].w.ref.js(), [
    [0.5, -1.25, 2],
    [3.5, 0, -0.125],
  ]);
  assert.equal(p.stats.mean.dtype, np.float64);
  assert.deepEqual(p.stats.mean.ref.js(), [1 / 3, 2 / 3]);
  assert.equal(p.stats.count.dtype, np.int32);
  assert.deepEqual(p.stats.count.shape, []);
  assert.equal(p.stats.count.ref.item(), 1000);
  assert.equal(p.mask.dtype, np.bool);
  assert.deepEqual(p.mask.ref.js(), [true, false, true]);
  assert.equal(p.key.dtype, np.uint32);
  assert.deepEqual(p.key.ref.js(), [0, 4294967295]);
  tree.dispose(ckpt.params);
});

test("a model's params survive encode/decode, checked against the model's shapes", () => {
  const params = mlpInit(random.key(0), [3, 5, 2]);
  const specs = paramSpecs(tree.ref(params));
  const before = tree.leaves(tree.ref(params)).map((a: Array) => a.js());
  const back = decodeCheckpoint(encodeCheckpoint({ kind: "mlp", config: { sizes: [3, 5, 2] }, params }), {
    expectKind: "mlp",
    like: specs,
  });
  assert.deepEqual(
    tree.leaves(back.params).map((a: Array) => a.js()),
    before,
  );
});

test("loading checks kind, names, shapes and dtypes, with one-line errors", () => {
  const bytes = encodeCheckpoint({ kind: "vae", config: {}, params: { enc: { w: np.ones([2, 3]) } } });
  assert.throws(
    () => decodeCheckpoint(bytes, { expectKind: "mlp" }),
    /^FormatError: checkpoint: expected model kind "mlp" but the file holds "vae"$/,
  );
  const like = (shape: number[], dtype = np.float32) => ({ enc: { w: { shape, dtype } } });
  assert.throws(
    () => decodeCheckpoint(bytes, { like: like([2, 4]) }),
    /checkpoint: tensor "enc.w" has shape \[2, 3\] but the model expects \[2, 4\]/,
  );
  assert.throws(
    () => decodeCheckpoint(bytes, { like: like([2, 3], np.float64) }),
    /tensor "enc.w" has dtype F32 but the model expects float64/,
  );
  assert.throws(
    () => decodeCheckpoint(bytes, { like: { enc: { v: { shape: [2, 3], dtype: np.float32 } } } }),
    /missing tensor "enc.v"/,
  );
  const two = encodeCheckpoint({
    kind: "vae",
    config: {},
    params: { enc: { w: np.ones([2, 3]), b: np.ones([3]) } },
  });
  assert.throws(
    () => decodeCheckpoint(two, { like: like([2, 3]) }),
    /checkpoint: unexpected tensor\(s\) "enc.b" for this model/,
  );
  const python = new Uint8Array(readFileSync(fixture("from-python.safetensors")));
  assert.throws(() => decodeCheckpoint(python), /checkpoint: not a Novelist checkpoint \(no novelist.kind/);
  const v2 = encodeSafetensors(
    { w: tensorFromTypedArray(new Float32Array([1]), [1]) },
    { "novelist.kind": "mlp", "novelist.format_version": "2", "novelist.config": "{}" },
  );
  assert.throws(
    () => decodeCheckpoint(v2),
    /format version "2" is not supported \(this Novelist reads version 1\)/,
  );
  assert.throws(
    () => decodeCheckpoint(bytes.subarray(0, bytes.length - 4)),
    /^FormatError: checkpoint: file is truncated: header says 24 bytes of data but only 20 follow$/,
  );
  assert.throws(
    () => encodeCheckpoint({ kind: "x", config: {}, params: { "a.b": np.ones([1]) } }),
    /param names must be non-empty and contain no "."/,
  );
  assert.throws(
    () => encodeCheckpoint({ kind: "", config: {}, params: {} }),
    /kind must be a non-empty string/,
  );
});

test("files: atomic write leaves no temp file; reading names the path; truncated file is a one-line error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "novelist-ckpt-"));
  try {
    const path = join(dir, "model.safetensors");
    await writeCheckpointFile(path, fixtureCheckpoint());
    await writeCheckpointFile(path, fixtureCheckpoint()); // overwrite in place
    assert.deepEqual(readdirSync(dir), ["model.safetensors"]);
    const ck = await readCheckpointFile(path, { expectKind: "mlp" });
    assert.equal(ck.kind, "mlp");
    tree.dispose(ck.params);
    const bytes = readFileSync(path);
    writeFileSync(path, new Uint8Array(bytes.subarray(0, bytes.length - 10)));
    await assert.rejects(readCheckpointFile(path), (e: Error) => {
      assert.equal(e.name, "FormatError");
      assert.match(
        e.message,
        new RegExp(
          `^checkpoint: ${path}: file is truncated: header says \\d+ bytes of data but only \\d+ follow$`,
        ),
      );
      return true;
    });
    await assert.rejects(
      readCheckpointFile(join(dir, "nope.safetensors")),
      /checkpoint: .*nope.safetensors: no such file/,
    );
    await writeFileAtomic(join(dir, "raw.bin"), new Uint8Array([1, 2, 3]));
    assert.deepEqual([...readFileSync(join(dir, "raw.bin"))], [1, 2, 3]);
    assert.deepEqual(readdirSync(dir).sort(), ["model.safetensors", "raw.bin"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("every truncation and every single-byte corruption of the header is a FormatError or a clean decode", () => {
  const good = encodeCheckpoint(fixtureCheckpoint());
  const n = new DataView(good.buffer).getUint32(0, true);
  for (let len = 0; len < good.length; len++)
    assert.throws(
      () => decodeCheckpoint(good.subarray(0, len)),
      (e: Error) => e.name === "FormatError" && !e.message.includes("\n"),
      `length ${len}`,
    );
  for (let i = 0; i < 8 + n; i++) {
    for (const v of [0x00, 0x22, 0x31, 0x7b, 0xff]) {
      const bad = good.slice();
      if (bad[i] === v) continue;
      bad[i] = v;
      try {
        tree.dispose(decodeCheckpoint(bad).params);
      } catch (e) {
        assert.equal((e as Error).name, "FormatError", `byte ${i} = ${v}: ${(e as Error).stack}`);
        assert.ok(!(e as Error).message.includes("\n"));
      }
    }
  }
});
