import assert from "node:assert/strict";
import { test } from "node:test";
import { random } from "../../../src/jax.js";
import { generate, type NextTokenModel } from "../../../src/models/autoregressive/generate.js";

// A bigram model over 4 tokens: from token a, the next is (a + 1) % 4 with prob 0.7, else uniform over the rest.
const bigram: NextTokenModel = {
  vocabSize: 4,
  nextLogProbs: (ctx) => {
    const a = ctx.length ? ctx[ctx.length - 1] : 0;
    return Float64Array.from({ length: 4 }, (_, v) => Math.log(v === (a + 1) % 4 ? 0.7 : 0.1));
  },
};

test("sampling follows the model's next-token distribution; same key, same tokens", () => {
  const out = generate(bigram, random.key(1), { prompt: [0], maxTokens: 20000 });
  let follow = 0;
  let prev = 0;
  for (const t of out) {
    if (t === (prev + 1) % 4) follow++;
    prev = t;
  }
  assert.ok(Math.abs(follow / out.length - 0.7) < 0.015, `${follow / out.length}`);
  assert.deepEqual(generate(bigram, random.key(1), { prompt: [0], maxTokens: 50 }), out.slice(0, 50));
});

test("temperature 0 is greedy; top-1 is greedy; a stop token ends the output", () => {
  assert.deepEqual(
    Array.from(generate(bigram, random.key(2), { prompt: [1], maxTokens: 5, temperature: 0 })),
    [2, 3, 0, 1, 2],
  );
  assert.deepEqual(
    Array.from(generate(bigram, random.key(3), { prompt: [1], maxTokens: 5, topK: 1 })),
    [2, 3, 0, 1, 2],
  );
  assert.deepEqual(
    Array.from(generate(bigram, random.key(4), { prompt: [1], maxTokens: 9, temperature: 0, stopToken: 0 })),
    [2, 3, 0],
  );
});

test("low temperature sharpens, high temperature flattens", () => {
  const rate = (temperature: number) => {
    const out = generate(bigram, random.key(5), { prompt: [0], maxTokens: 5000, temperature });
    let f = 0;
    let prev = 0;
    for (const t of out) {
      if (t === (prev + 1) % 4) f++;
      prev = t;
    }
    return f / out.length;
  };
  // p ∝ p^(1/T): T = 0.5 -> 0.49 / (0.49 + 0.03) = 0.942; T = 4 -> 0.7^.25 / (0.7^.25 + 3 * 0.1^.25) = 0.325
  assert.ok(Math.abs(rate(0.5) - 0.942) < 0.02);
  assert.ok(Math.abs(rate(4) - 0.325) < 0.03);
});

test("bad options are ValueErrors", () => {
  assert.throws(
    () => generate(bigram, random.key(0), { maxTokens: -1 }),
    /maxTokens must be an integer >= 0/,
  );
  assert.throws(
    () => generate(bigram, random.key(0), { maxTokens: 1, topK: 0 }),
    /topK must be an integer >= 1/,
  );
  assert.throws(
    () => generate(bigram, random.key(0), { maxTokens: 1, temperature: -1 }),
    /temperature must be/,
  );
});
