/**
 * The decoder's likelihoods against scipy.stats (fixture from test/fixtures/vae/generate.py), and their
 * gradients with respect to every decoder head against finite differences (float64).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { type Array, type DType, grad, jit, np } from "../../../src/jax.js";
import {
  type DecoderHeads,
  isCountLikelihood,
  type LikelihoodName,
  likelihoodLogProb,
  likelihoodMean,
  likelihoodParams,
  resolveVaeConfig,
} from "../../../src/models/vae/index.js";
import { centralDifference } from "./helpers.js";

type Case = {
  likelihood: LikelihoodName;
  gaussianVariance?: "learned" | number;
  heads: Record<string, number[] | number[][]>;
  x: number[][];
  logProb: number[][];
};

const FIXTURE = new URL("../../fixtures/vae/likelihoods.json", import.meta.url);
const { cases } = JSON.parse(readFileSync(FIXTURE, "utf8")) as { cases: Case[] };
const label = (c: Case) =>
  `${c.likelihood}${c.gaussianVariance === undefined ? "" : ` (variance ${c.gaussianVariance})`}`;

function configOf(c: Case, dtype: "float32" | "float64") {
  return resolveVaeConfig({
    inputDim: c.x[0].length,
    latentDim: 1,
    hidden: [],
    likelihood: c.likelihood,
    gaussianVariance: c.gaussianVariance,
    dtype,
  });
}

/** Heads as arrays; `bump` adds `delta` to element `i` of head `name`. */
function headsOf(c: Case, dtype: DType, bump?: { name: string; i: number; delta: number }): DecoderHeads {
  const out: Record<string, Array> = {};
  for (const [name, v] of Object.entries(c.heads)) {
    const shape = globalThis.Array.isArray(v[0]) ? [v.length, (v[0] as number[]).length] : [v.length];
    const flat = (v as (number | number[])[]).flat();
    if (bump && bump.name === name) flat[bump.i] += bump.delta;
    out[name] = np.array(flat, { dtype }).reshape(shape);
  }
  return out as DecoderHeads;
}

/** Σ log p(x | heads) with the observed library for count likelihoods. */
function total(c: Case, dtype: "float32" | "float64") {
  const cfg = configOf(c, dtype);
  const dt = dtype === "float64" ? np.float64 : np.float32;
  return (heads: DecoderHeads): Array => {
    const x = np.array(c.x, { dtype: dt });
    const library = isCountLikelihood(c.likelihood) ? x.ref.sum(-1, { keepdims: true }) : undefined;
    return likelihoodLogProb(cfg, likelihoodParams(cfg, heads, library), x).sum();
  };
}

for (const c of cases) {
  test(`${label(c)}: logProb of the decoder heads matches scipy (float32, 1e-5 relative)`, () => {
    const cfg = configOf(c, "float32");
    const x = np.array(c.x);
    const library = isCountLikelihood(c.likelihood) ? x.ref.sum(-1, { keepdims: true }) : undefined;
    const got = likelihoodLogProb(
      cfg,
      likelihoodParams(cfg, headsOf(c, np.float32), library),
      x,
    ).js() as number[][];
    c.logProb.forEach((row, b) => {
      row.forEach((want, d) => {
        const err = Math.abs(got[b][d] - want);
        assert.ok(err <= 1e-5 * Math.max(1, Math.abs(want)), `[${b}, ${d}]: ${got[b][d]} vs scipy ${want}`);
      });
    });
  });

  test(`${label(c)}: gradient w.r.t. every head matches finite differences (float64)`, () => {
    // exp-free (fixed-variance Gaussian): exact to 1e-9; otherwise limited by jax-js's float32-accurate exp
    const usesExp = !(c.likelihood === "gaussian" && typeof c.gaussianVariance === "number");
    const h = usesExp ? 5e-2 : 1e-3;
    const tol = usesExp ? 1e-4 : 1e-9;
    const f = total(c, "float64");
    const gradFn = jit(grad(f));
    const g = gradFn(headsOf(c, np.float64)) as unknown as Record<string, Array>;
    const fj = jit(f);
    for (const name of Object.keys(c.heads)) {
      const got = (g[name].js() as number[] | number[][]).flat();
      const n = Math.min(got.length, 4); // the first 4 entries of each head
      for (let i = 0; i < n; i++) {
        const at = (delta: number) => fj(headsOf(c, np.float64, { name, i, delta })).item() as number;
        const fd = centralDifference(at, h);
        assert.ok(
          Math.abs(got[i] - fd) <= tol * (1 + Math.abs(fd)),
          `d/d${name}[${i}]: grad ${got[i]}, finite difference ${fd}`,
        );
      }
    }
    gradFn.dispose();
    fj.dispose();
  });
}

test("likelihood means: Gaussian loc, Bernoulli sigmoid, count models l·softmax (ZINB times 1-π)", () => {
  const byName = (name: string) => cases.find((c) => c.likelihood === name) as Case;
  for (const name of ["gaussian", "bernoulli", "poisson", "nb", "zinb"]) {
    const c = byName(name);
    const cfg = configOf(c, "float32");
    const x = np.array(c.x);
    const library = isCountLikelihood(c.likelihood) ? x.ref.sum(-1, { keepdims: true }) : undefined;
    const mean = likelihoodMean(
      cfg,
      likelihoodParams(cfg, headsOf(c, np.float32), library),
    ).js() as number[][];
    const out = c.heads.out as number[][];
    mean.forEach((row, b) => {
      const lib = c.x[b].reduce((s, v) => s + v, 0);
      const e = out[b].map((v) => Math.exp(v));
      const z = e.reduce((s, v) => s + v, 0);
      row.forEach((m, d) => {
        let want = out[b][d];
        if (name === "bernoulli") want = 1 / (1 + Math.exp(-out[b][d]));
        if (isCountLikelihood(name as LikelihoodName)) want = (lib * e[d]) / z;
        if (name === "zinb") want *= 1 / (1 + Math.exp((c.heads.dropout as number[][])[b][d]));
        assert.ok(
          Math.abs(m - want) <= 1e-5 * Math.max(1, Math.abs(want)),
          `${name}[${b}, ${d}]: ${m} vs ${want}`,
        );
      });
    });
    x.dispose();
  }
});
