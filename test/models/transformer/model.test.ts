import assert from "node:assert/strict";
import { test } from "node:test";
import { type Array, jit, np, random, tree, valueAndGrad } from "../../../src/jax.js";
import {
  attentionApply,
  attentionInit,
  attentionMask,
  initTransformer,
  sequenceWindows,
  type TokenBatch,
  type TransformerConfig,
  type TransformerParams,
  toTokenBatch,
  transformer,
} from "../../../src/models/transformer/index.js";

const tiny: TransformerConfig = {
  vocabSize: 11,
  contextLength: 8,
  nLayers: 2,
  dModel: 16,
  nHeads: 2,
  dropout: 0,
  tieWeights: false,
  maskKind: "causal",
};

const ids = (rows: number[][]) => np.array(rows, { dtype: np.int32 });

/** Logits `[B, T, V]` as a flat list, for `apply` on `tokens`. */
function logitsOf(m: ReturnType<typeof transformer>, p: TransformerParams, rows: number[][], mask?: Array) {
  const out = m.apply(tree.ref(p), ids(rows), mask ? { mask } : {});
  return { shape: out.shape, values: globalThis.Array.from(out.dataSync() as Float32Array) };
}

function maxAbsDiff(a: number[], b: number[], from = 0, to = a.length): number {
  let d = 0;
  for (let i = from; i < to; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

test("causal mask: changing tokens after position t leaves logits at positions <= t unchanged", () => {
  const m = transformer(tiny);
  const p = m.init(random.key(0));
  const V = tiny.vocabSize;
  const a = [[1, 2, 3, 4, 5, 6, 7, 8]];
  const t = 3;
  const b = [[1, 2, 3, 4, 9, 10, 0, 2]]; // positions > 3 differ
  const la = logitsOf(m, p, a);
  const lb = logitsOf(m, p, b);
  assert.deepEqual(la.shape, [1, 8, V]);
  assert.ok(maxAbsDiff(la.values, lb.values, 0, (t + 1) * V) < 1e-6, "positions <= t unchanged");
  assert.ok(maxAbsDiff(la.values, lb.values, (t + 1) * V) > 1e-3, "positions > t change");
  // the same with a shorter input T < contextLength
  const short = logitsOf(m, p, [[1, 2, 3, 4]]);
  assert.deepEqual(short.shape, [1, 4, V]);
  assert.ok(maxAbsDiff(short.values, la.values, 0, 4 * V) < 1e-5);
  tree.dispose(p);
  m.dispose();
});

test("bidirectional mask: the same change moves the logits at earlier positions too; padding can be hidden", () => {
  const m = transformer({ ...tiny, maskKind: "bidirectional" });
  const p = m.init(random.key(0));
  const V = tiny.vocabSize;
  const a = [[1, 2, 3, 4, 5, 6, 7, 8]];
  const b = [[1, 2, 3, 4, 9, 10, 0, 2]];
  const la = logitsOf(m, p, a);
  const lb = logitsOf(m, p, b);
  assert.ok(maxAbsDiff(la.values, lb.values, 0, 4 * V) > 1e-3, "earlier positions see later tokens");
  // a padding mask (valid = first 4 tokens) hides the changed keys from the real positions
  const valid = () => np.array([[1, 1, 1, 1, 0, 0, 0, 0]], { dtype: np.bool });
  const pa = logitsOf(m, p, a, attentionMask("bidirectional", 8, valid()));
  const pb = logitsOf(m, p, b, attentionMask("bidirectional", 8, valid()));
  assert.ok(maxAbsDiff(pa.values, pb.values, 0, 4 * V) < 1e-6);
  // an explicit causal mask turns the bidirectional model causal
  const ca = logitsOf(m, p, a, attentionMask("causal", 8));
  const cb = logitsOf(m, p, b, attentionMask("causal", 8));
  assert.ok(maxAbsDiff(ca.values, cb.values, 0, 4 * V) < 1e-6);
  tree.dispose(p);
  m.dispose();
});

test("attention: a query that sees nothing gets uniform weights (finite), and bad masks are ValueErrors", () => {
  const p = attentionInit(random.key(1), 8);
  const x = random.normal(random.key(2), [1, 3, 8]);
  const none = np.zeros([3, 3], { dtype: np.bool });
  const out = attentionApply(tree.ref(p), undefined, x.ref, none, { nHeads: 2 });
  assert.ok((out.dataSync() as Float32Array).every(Number.isFinite));
  assert.throws(
    () => attentionApply(tree.ref(p), undefined, x.ref, np.ones([3, 3]), { nHeads: 2 }),
    /attentionApply: mask must be a bool array of shape \[3, 3\]/,
  );
  assert.throws(
    () => attentionApply(tree.ref(p), undefined, x.ref, attentionMask("causal", 3), { nHeads: 3 }),
    /attentionApply: nHeads must be a positive divisor of 8, but got 3/,
  );
  assert.throws(
    () =>
      attentionApply(tree.ref(p), undefined, x.ref, attentionMask("causal", 3), {
        nHeads: 2,
        dropout: 0.5,
        training: true,
      }),
    /key must be given when training with dropout > 0/,
  );
  assert.throws(
    () => attentionMask("causal", 3, np.ones([2, 4], { dtype: np.bool })),
    /valid must have shape \[batch, 3\]/,
  );
  tree.dispose([p, x]);
});

test("jit and eager agree: apply (with and without dropout) and loss", () => {
  const m = transformer({ ...tiny, dropout: 0.2, tieWeights: true });
  const p = m.init(random.key(3));
  const tokens = ids([
    [1, 2, 3, 4, 5, 6],
    [6, 5, 4, 3, 2, 1],
  ]);
  const applyJ = jit((q: TransformerParams, t: Array, k: Array) => m.apply(q, t, { key: k, training: true }));
  const eager = m.apply(tree.ref(p), tokens.ref, { key: random.key(4), training: true }).dataSync();
  const jitted = applyJ(tree.ref(p), tokens.ref, random.key(4)).dataSync();
  assert.ok(
    maxAbsDiff(globalThis.Array.from(eager), globalThis.Array.from(jitted)) < 1e-5,
    "dropout masks agree too",
  );
  const evalE = m.apply(tree.ref(p), tokens.ref).dataSync();
  const evalJ = jit((q: TransformerParams, t: Array) => m.apply(q, t))(tree.ref(p), tokens.ref).dataSync();
  assert.ok(maxAbsDiff(globalThis.Array.from(evalE), globalThis.Array.from(evalJ)) < 1e-5);
  assert.ok(
    maxAbsDiff(globalThis.Array.from(evalE), globalThis.Array.from(eager)) > 1e-3,
    "dropout changes the training pass",
  );
  const w = sequenceWindows(
    [
      [1, 2, 3, 4, 5],
      [3, 4, 5, 6, 7, 8, 9],
    ],
    { contextLength: 6, vocabSize: 11 },
  );
  const batch = () => toTokenBatch(w);
  const lossE = m.loss(tree.ref(p), random.key(5), batch()).item();
  const lossJ = jit(m.loss)(tree.ref(p), random.key(5), batch()).item();
  assert.ok(Math.abs(lossE - lossJ) < 1e-5, `${lossE} vs ${lossJ}`);
  assert.ok(Math.abs(lossE - Math.log(11)) < 0.3, `initial loss ${lossE} near ln V`);
  applyJ.dispose();
  tree.dispose([p, tokens]);
  m.dispose();
});

test("loss gradient matches central finite differences (float64 params, Richardson-extrapolated)", () => {
  // jax-js computes exp/tanh in float64 only to float32 accuracy, so the differences use steps
  // h = 2e-3 and 1e-3 along unit directions, combined as (4 D(h/2) - D(h)) / 3 (error O(h^4));
  // measured errors ~1e-5 against a gradient norm ~10.
  for (const tieWeights of [false, true]) {
    const config: TransformerConfig = {
      vocabSize: 5,
      contextLength: 4,
      nLayers: 2,
      dModel: 8,
      nHeads: 2,
      dropout: 0,
      tieWeights,
      maskKind: "causal",
      dtype: "float64",
    };
    const m = transformer(config);
    // larger-than-default weights so that every path carries gradient
    const p = tree.map((a: Array) => a.mul(3), m.init(random.key(10))) as TransformerParams;
    const [leaves, def] = tree.flatten(tree.ref(p));
    const base = leaves.map((a) => Float64Array.from(a.dataSync() as Float64Array));
    const shapes = tree.leaves(p).map((a) => a.shape);
    const w = sequenceWindows(
      [
        [0, 1, 2, 3, 4],
        [0, 4, 3],
      ],
      { contextLength: 4, vocabSize: 5 },
    );
    const batch = (): TokenBatch => toTokenBatch(w); // second row has padding (mask 0)
    const lossJ = jit((q: TransformerParams, b: TokenBatch) => m.loss(q, random.key(0), b));
    const at = (u: Float64Array[], h: number) => {
      const q = tree.unflatten(
        def,
        base.map((b, i) =>
          np.array(
            b.map((v, j) => v + h * u[i][j]),
            { shape: shapes[i] },
          ),
        ),
      ) as TransformerParams;
      return lossJ(q, batch()).item();
    };
    const [value, grads] = jit(valueAndGrad(m.loss))(tree.ref(p), random.key(0), batch()) as unknown as [
      Array,
      TransformerParams,
    ];
    assert.ok(
      Math.abs(
        value.item() -
          at(
            base.map((b) => b.map(() => 0)),
            0,
          ),
      ) < 1e-12,
    );
    const g = tree.leaves(grads).map((a) => Float64Array.from(a.dataSync() as Float64Array));
    const dot = (a: Float64Array[], b: Float64Array[]) =>
      a.reduce((s, x, i) => s + x.reduce((t, v, j) => t + v * b[i][j], 0), 0);
    const gNorm = Math.sqrt(dot(g, g));
    assert.ok(gNorm > 0.1, `gradient norm ${gNorm}`);
    // directions: two random, one along the gradient plus noise, each scaled to unit norm
    let seed = 1;
    const noise = () => base.map((b) => b.map(() => Math.sin(1e4 * seed++)));
    const dirs = [noise(), noise(), noise().map((n, i) => n.map((v, j) => 0.3 * v + g[i][j]))];
    for (const [d, u0] of dirs.entries()) {
      const norm = Math.sqrt(dot(u0, u0));
      const u = u0.map((x) => x.map((v) => v / norm));
      const analytic = dot(g, u);
      const D = (h: number) => (at(u, h) - at(u, -h)) / (2 * h);
      const fd = (4 * D(1e-3) - D(2e-3)) / 3;
      if (process.env.VERBOSE) console.log({ tieWeights, d, fd, analytic, gNorm });
      assert.ok(
        Math.abs(fd - analytic) < 5e-6 * gNorm,
        `tie=${tieWeights} direction ${d}: finite difference ${fd} vs gradient ${analytic} (|g| = ${gNorm})`,
      );
    }
    lossJ.dispose();
    m.dispose();
  }
});

test("config, shape and mode errors are one-line ValueErrors", () => {
  assert.throws(() => transformer({ ...tiny, dModel: 10, nHeads: 4 }), {
    name: "ValueError",
    message: /transformer: config.dModel must be a multiple of config.nHeads \(4\), but got 10/,
  });
  assert.throws(() => transformer({ ...tiny, dropout: 1 }), /config.dropout must be a number in \[0, 1\)/);
  assert.throws(
    () => transformer({ ...tiny, maskKind: "left" as never }),
    /config.maskKind must be "causal" or "bidirectional", but got "left"/,
  );
  assert.throws(
    () => transformer({ ...tiny, nLayers: 0 }),
    /config.nLayers must be a positive integer, but got 0/,
  );
  assert.throws(
    () => initTransformer(random.key(0), { ...tiny, vocabSize: 2.5 }),
    /initTransformer: config.vocabSize/,
  );
  const m = transformer({ ...tiny, dropout: 0.1 });
  const p = m.init(random.key(0));
  assert.throws(
    () => m.apply(tree.ref(p), np.ones([1, 4])),
    /apply: tokens must be an int32 array of shape \[batch, T\], but got float32 \[1, 4\]/,
  );
  assert.throws(
    () => m.apply(tree.ref(p), np.ones([1, 9], { dtype: np.int32 })),
    /apply: tokens must have at most contextLength = 8 positions, but got T = 9/,
  );
  assert.throws(
    () => m.apply(tree.ref(p), np.ones([1, 4], { dtype: np.int32 }), { training: true }),
    /apply: opts.key must be given when training with config.dropout > 0/,
  );
  const tied = transformer({ ...tiny, tieWeights: true });
  assert.throws(
    () => tied.apply(tree.ref(p), np.ones([1, 4], { dtype: np.int32 })),
    /apply: params have a head, but config.tieWeights is true/,
  );
  tied.dispose();
  assert.throws(
    () => m.asNextTokenModel(tree.ref(p), { bos: 11 }),
    /asNextTokenModel: opts.bos must be a token id in \[0, 11\)/,
  );
  const nt = m.asNextTokenModel(tree.ref(p));
  assert.throws(() => nt.nextLogProbs(new Int32Array(0)), /context must hold at least one token/);
  assert.throws(() => nt.nextLogProbs(Int32Array.from([3, 11])), /context ids must be integers in \[0, 11\)/);
  nt.dispose();
  const bi = transformer({ ...tiny, maskKind: "bidirectional" });
  assert.throws(
    () => bi.asNextTokenModel(tree.ref(p)),
    /config.maskKind must be "causal", but got "bidirectional"/,
  );
  assert.throws(() => m.logProb(tree.ref(p), [[1]]), /sequence 0 must hold at least 2 tokens/);
  tree.dispose(p);
  m.dispose();
  bi.dispose();
});
