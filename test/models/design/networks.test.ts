import assert from "node:assert/strict";
import { test } from "node:test";
import { composition, enumeratePerovskites } from "../../../src/data/perovskites/index.js";
import { type Array, grad, jit, np, random, tree } from "../../../src/jax.js";
import {
  type DesignBatch,
  type DesignParams,
  decoderLogits,
  decoderLogProb,
  designInit,
  designLoss,
  encodeCompositions,
  encoderInputDim,
  ionFeatureTables,
  predictProperty,
  resolveDesignConfig,
  SITE_SIZES,
} from "../../../src/models/design/index.js";

const rows = enumeratePerovskites().filter((_, i) => i % 97 === 0); // 29 candidates across all anions
const comps = rows.map(({ a, b, x }) => ({ a, b, x }));
const config = { latentDim: 5, hidden: [16, 12], propertyHidden: [8] };

function batchOf(rs: typeof rows): DesignBatch {
  const col = (s: "a" | "b" | "x") =>
    np.array(
      Int32Array.from(rs, (r) => r[s]),
      { dtype: np.int32 },
    );
  return {
    a: col("a"),
    b: col("b"),
    x: col("x"),
    y: np.array(Float32Array.from(rs, (r) => (r.perovskite ? 1 : 0))),
  };
}

test("shapes: params follow the config; encode, decode and predict give [n, L], per-site logits and [n]", () => {
  const p = designInit(random.key(0), config);
  assert.deepEqual(p.encoder.body.layers[0].w.shape, [encoderInputDim(true), 16]);
  assert.equal(encoderInputDim(true), 38 + 78 + 7 + 6);
  assert.deepEqual(p.encoder.mean.w.shape, [12, 5]);
  assert.deepEqual(p.decoder.body.layers[0].w.shape, [5, 12]);
  assert.deepEqual(p.decoder.body.layers[1].w.shape, [12, 16]);
  assert.deepEqual(
    [p.decoder.a.w.shape, p.decoder.b.w.shape, p.decoder.x.w.shape],
    [
      [16, SITE_SIZES.a],
      [16, SITE_SIZES.b],
      [16, SITE_SIZES.x],
    ],
  );
  assert.deepEqual(p.property.layers[1].w.shape, [8, 1]);
  const { mean, logVar } = encodeCompositions(tree.ref(p), comps);
  assert.deepEqual(
    [mean.shape, logVar.shape],
    [
      [comps.length, 5],
      [comps.length, 5],
    ],
  );
  logVar.dispose();
  const logits = decoderLogits(tree.ref(p), mean.ref);
  assert.deepEqual(
    [logits.a.shape, logits.b.shape, logits.x.shape],
    [
      [comps.length, 38],
      [comps.length, 78],
      [comps.length, 7],
    ],
  );
  tree.dispose(logits);
  const prob = predictProperty(p, mean).dataSync() as Float32Array;
  assert.equal(prob.length, comps.length);
  assert.ok(prob.every((v) => v > 0 && v < 1));
  // without ion features the encoder reads the 123 one-hot entries only
  const q = designInit(random.key(0), { ...config, ionFeatures: false });
  assert.deepEqual(q.encoder.body.layers[0].w.shape, [123, 16]);
  const enc = encodeCompositions(q, comps);
  assert.deepEqual(enc.mean.shape, [comps.length, 5]);
  tree.dispose(enc);
});

test("ion features: each site's charge and radius are standardised over its vocabulary", () => {
  const t = ionFeatureTables();
  for (const s of ["a", "b", "x"] as const) {
    const n = SITE_SIZES[s];
    for (const j of [0, 1]) {
      const v = globalThis.Array.from({ length: n }, (_, i) => t[s][2 * i + j]);
      const mean = v.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
      assert.ok(Math.abs(mean) < 1e-6, `${s}[${j}] mean ${mean}`);
      assert.ok(Math.abs(sd - 1) < 1e-5, `${s}[${j}] sd ${sd}`);
    }
  }
});

test("the decoder's log-likelihood is the sum of the three categorical log-probabilities, by hand", () => {
  const p = designInit(random.key(1), config);
  const z = random.normal(random.key(2), [comps.length, 5]).mul(1.5);
  const logits = decoderLogits(tree.ref(p), z.ref);
  const host = {
    a: logits.a.dataSync() as Float32Array,
    b: logits.b.dataSync() as Float32Array,
    x: logits.x.dataSync() as Float32Array,
  };
  const got = decoderLogProb(p, z, comps).dataSync() as Float32Array;
  comps.forEach((c, i) => {
    let expected = 0;
    for (const s of ["a", "b", "x"] as const) {
      const K = SITE_SIZES[s];
      const row = globalThis.Array.from(host[s].slice(i * K, (i + 1) * K));
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((acc, v) => acc + Math.exp(v - m), 0));
      expected += row[c[s]] - lse;
    }
    assert.ok(Math.abs(got[i] - expected) < 1e-4, `row ${i}: ${got[i]} vs ${expected}`);
  });
});

// A leaf of the params and how to replace it, for finite differences.
type Leaf = { name: string; get: (p: DesignParams) => Array; set: (p: DesignParams, v: Array) => void };
const LEAVES: Leaf[] = [
  {
    name: "encoder.body.layers[0].w",
    get: (p) => p.encoder.body.layers[0].w,
    set: (p, v) => {
      p.encoder.body.layers[0].w = v;
    },
  },
  {
    name: "encoder.logVar.b",
    get: (p) => p.encoder.logVar.b!,
    set: (p, v) => {
      p.encoder.logVar.b = v;
    },
  },
  {
    name: "decoder.b.w",
    get: (p) => p.decoder.b.w,
    set: (p, v) => {
      p.decoder.b.w = v;
    },
  },
  {
    name: "property.layers[0].w",
    get: (p) => p.property.layers[0].w,
    set: (p, v) => {
      p.property.layers[0].w = v;
    },
  },
];

test("finite differences match the gradient of the loss for weights of all three networks (float32)", () => {
  // The loss at a fixed key is a deterministic function of the params (the same ε each call). The loss
  // is ~10 nats, so float32 round-off (~1e-6 per evaluation) divided by 2h = 0.02 allows ~1e-4 of
  // noise in the central difference: tolerance 3e-4 + 1% of the gradient; each checked entry is
  // nonzero (|g| > 5e-4) so that the check means something.
  const w = { beta: 0.5, lambda: 2 };
  const lossAt = (p: DesignParams) => {
    const [l, aux] = designLoss(p, random.key(7), batchOf(rows), w);
    tree.dispose(aux);
    return l.item() as number;
  };
  const lossOnly = (p: DesignParams) => {
    const [l, aux] = designLoss(p, random.key(7), batchOf(rows), w);
    tree.dispose(aux);
    return l;
  };
  const g = grad(lossOnly)(designInit(random.key(3), config)) as DesignParams;
  const h = 1e-2;
  const first = rows[0];
  // entries that the batch touches: the A one-hot row of the first composition, a bias, B logits, head
  const picks: [Leaf, number][] = [
    [LEAVES[0], first.a * 16 + 3],
    [LEAVES[0], (38 + 78 + 7 + 1) * 16 + 5], // an ion-feature input (A radius)
    [LEAVES[1], 2],
    [LEAVES[2], 4 * SITE_SIZES.b + first.b],
    [LEAVES[3], 1 * 8 + 6],
  ];
  for (const [leaf, i] of picks) {
    const analytic = leaf.get(g).ref.dataSync()[i];
    const shifted = (d: number) => {
      const p = designInit(random.key(3), config);
      const old = leaf.get(p);
      const shape = old.shape;
      const v = Float32Array.from(old.dataSync());
      v[i] += d;
      leaf.set(p, np.array(v, { shape }));
      return lossAt(p);
    };
    const fd = (shifted(h) - shifted(-h)) / (2 * h);
    assert.ok(
      Math.abs(analytic) > 5e-4 && Math.abs(fd - analytic) < 3e-4 + 1e-2 * Math.abs(analytic),
      `${leaf.name}[${i}]: finite difference ${fd} vs gradient ${analytic}`,
    );
  }
  tree.dispose(g);
});

test("jit and eager give the same loss and parts", () => {
  const f = (p: DesignParams, k: Array, b: DesignBatch) => designLoss(p, k, b, { beta: 0.3 });
  const eager = f(designInit(random.key(4), config), random.key(5), batchOf(rows));
  const jf = jit(f);
  const jitted = jf(designInit(random.key(4), config), random.key(5), batchOf(rows)) as ReturnType<typeof f>;
  jf.dispose();
  const [le, ae] = eager;
  const [lj, aj] = jitted;
  const vals = (l: Array, a: typeof ae) => [l, a.recon, a.kl, a.property].map((x) => x.item() as number);
  const e = vals(le, ae);
  const j = vals(lj, aj);
  for (let i = 0; i < e.length; i++)
    assert.ok(Math.abs(e[i] - j[i]) < 1e-4 * Math.max(1, Math.abs(e[i])), `${i}: ${e[i]} vs ${j[i]}`);
  // the loss is the weighted sum of its parts
  assert.ok(Math.abs(e[0] - (e[1] + 0.3 * e[2] + e[3])) < 1e-4);
});

test("bad configs, compositions and latents are one-line ValueErrors naming the function", () => {
  assert.throws(
    () => resolveDesignConfig({ latentDim: 0 }),
    /design: config.latentDim must be a positive integer, but got 0/,
  );
  assert.throws(() => resolveDesignConfig({ hidden: [] }), /config.hidden must be a non-empty list/);
  assert.throws(() => resolveDesignConfig({ latent: 3 } as never), /unknown field\(s\) latent/);
  assert.throws(
    () => designInit(random.key(0), { ionFeatures: "yes" as never }),
    /designInit: config.ionFeatures/,
  );
  const p = designInit(random.key(0), config);
  assert.throws(
    () => encodeCompositions(tree.ref(p), [{ a: 38, b: 0, x: 0 }]),
    /encodeCompositions: compositions\[0\]\.a must be an index in \[0, 38\), but got 38/,
  );
  assert.throws(
    () => predictProperty(tree.ref(p), np.zeros([3, 4])),
    /predictProperty: z must have shape \[n, 5\]/,
  );
  assert.throws(
    () => decoderLogProb(p, np.zeros([2, 5]), [composition("Ca2+", "Ti4+", "O2-")]),
    /one row per composition/,
  );
});
