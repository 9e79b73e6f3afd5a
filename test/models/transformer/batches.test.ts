import assert from "node:assert/strict";
import { test } from "node:test";
import {
  scoredTokens,
  sequenceWindows,
  streamWindows,
  toTokenBatch,
} from "../../../src/models/transformer/index.js";

const rowsOf = (a: Int32Array | Float32Array, T: number) =>
  Array.from({ length: a.length / T }, (_, r) => Array.from(a.subarray(r * T, (r + 1) * T)));

test("sequenceWindows: short sequences are one padded row each, the first token is context only", () => {
  // <s>=0, </s>=1: "<s> a b </s>" and "<s> c </s>"
  const w = sequenceWindows(
    [
      [0, 2, 3, 1],
      [0, 4, 1],
    ],
    { contextLength: 5, vocabSize: 5 },
  );
  assert.equal(w.rows, 2);
  assert.deepEqual(rowsOf(w.inputs, 5), [
    [0, 2, 3, 0, 0],
    [0, 4, 0, 0, 0],
  ]);
  assert.deepEqual(rowsOf(w.targets, 5), [
    [2, 3, 1, 0, 0],
    [4, 1, 0, 0, 0],
  ]);
  assert.deepEqual(rowsOf(w.mask, 5), [
    [1, 1, 1, 0, 0],
    [1, 1, 0, 0, 0],
  ]);
  assert.deepEqual([...w.source], [0, 1]);
  assert.deepEqual([...w.offset], [1, 1]);
  assert.equal(scoredTokens(w), 5);
});

test("streamWindows: every target is scored exactly once, by the first window that reaches it (any stride)", () => {
  const n = 23;
  const tokens = Array.from({ length: n }, (_, i) => i % 7);
  for (const stride of [1, 2, 3, 4]) {
    const T = 4;
    const w = streamWindows(tokens, { contextLength: T, vocabSize: 7, stride });
    const seen = new Array(n).fill(0);
    for (let r = 0; r < w.rows; r++)
      for (let t = 0; t < T; t++) {
        const pos = w.offset[r] + t; // position of target t in the stream
        if (w.mask[r * T + t] === 1) {
          seen[pos]++;
          assert.equal(w.targets[r * T + t], tokens[pos]);
          assert.equal(w.inputs[r * T + t], tokens[pos - 1]);
        }
      }
    assert.deepEqual(seen, [0, ...new Array(n - 1).fill(1)], `stride ${stride}`);
    assert.equal(scoredTokens(w), n - 1);
    // every row but possibly the last is full: windows never start past n - 1 - T
    assert.ok([...w.offset].every((o) => o - 1 <= n - 1 - T));
  }
  const disjoint = streamWindows(tokens, { contextLength: 4, vocabSize: 7 });
  assert.deepEqual([...disjoint.offset], [1, 5, 9, 13, 17, 19]);
  // scoreOverlap (training): every target of every window counts
  const all = streamWindows(tokens, { contextLength: 4, vocabSize: 7, stride: 2, scoreOverlap: true });
  assert.equal(scoredTokens(all), 4 * all.rows);
});

test("toTokenBatch: a slice of rows padded to a fixed shape with mask 0", () => {
  const w = sequenceWindows(
    [
      [0, 2, 3, 1],
      [0, 4, 1],
      [0, 1],
    ],
    { contextLength: 3, vocabSize: 5 },
  );
  const b = toTokenBatch(w, { start: 1, count: 2, padTo: 4 });
  assert.deepEqual(b.inputs.shape, [4, 3]);
  assert.equal(b.inputs.dtype, "int32");
  assert.equal(b.mask.dtype, "float32");
  assert.deepEqual(b.targets.js(), [
    [4, 1, 0],
    [1, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ]);
  assert.deepEqual(b.mask.js(), [
    [1, 1, 0],
    [1, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ]);
  b.inputs.dispose();
  assert.throws(
    () => toTokenBatch(w, { start: 2, count: 2 }),
    /toTokenBatch: rows 2 .. 2 \+ 2 must lie within the 3 windows/,
  );
});

test("windows: bad ids, short sequences and bad options are ValueErrors", () => {
  const o = { contextLength: 4, vocabSize: 5 };
  assert.throws(() => sequenceWindows([[0, 5]], o), {
    name: "ValueError",
    message: /sequenceWindows: token ids must be integers in \[0, 5\), but sequence 0 has 5 at position 1/,
  });
  assert.throws(() => sequenceWindows([[0, 1], [2]], o), /sequence 1 must hold at least 2 tokens, but got 1/);
  assert.throws(() => sequenceWindows([], o), /sequences must be a non-empty list/);
  assert.throws(() => streamWindows([0, 1.5, 2], o), /token ids must be integers/);
  assert.throws(
    () => streamWindows([0, 1, 2], { ...o, stride: 5 }),
    /stride must be at most contextLength \(4\), but got 5/,
  );
  assert.throws(
    () => streamWindows([0, 1, 2], { ...o, contextLength: 0 }),
    /contextLength must be a positive integer/,
  );
});
