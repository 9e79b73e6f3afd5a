/**
 * Latent interpolation: endpoints decode to the reconstructions of the inputs, the linear path is
 * affine in t, slerp keeps the norm of equal-norm endpoints, and the degenerate arc falls back to a line.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { np, random, tree } from "../../../src/jax.js";
import {
  encode,
  interpolate,
  latentPath,
  reconstruct,
  type VaeConfig,
  vaeInit,
} from "../../../src/models/vae/index.js";

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test("interpolate: endpoints equal reconstruct(x) and the latent means; linear midpoint is the average", () => {
  const config: VaeConfig = { inputDim: 7, latentDim: 3, hidden: [8], likelihood: "nb", nLabels: 2 };
  const p = vaeInit(random.key(0), config);
  const x = np.array([
    [0, 3, 1, 7, 2, 0, 5],
    [4, 0, 0, 1, 9, 2, 1],
  ]);
  const labels = np.array([1, 1], { dtype: np.int32 });
  const rec = reconstruct(tree.ref(p), x.ref, { config, labels: labels.ref }).js() as number[][];
  const q = encode(tree.ref(p), x.ref, { config, labels });
  q.variance.dispose();
  const means = q.mean.js() as number[][];
  for (const spherical of [false, true]) {
    const path = interpolate(tree.ref(p), x.ref.slice(0), x.ref.slice(1), 5, { config, spherical, label: 1 });
    const z = path.latent.js() as number[][];
    const dec = path.decoded.js() as number[][];
    assert.deepEqual([z.length, dec.length, dec[0].length], [5, 5, 7]);
    assert.deepEqual(z[0], means[0]);
    assert.deepEqual(z[4], means[1]);
    for (let d = 0; d < 7; d++) {
      assert.ok(close(dec[0][d], rec[0][d], 1e-5), `start[${d}]: ${dec[0][d]} vs ${rec[0][d]}`);
      assert.ok(close(dec[4][d], rec[1][d], 1e-5), `end[${d}]: ${dec[4][d]} vs ${rec[1][d]}`);
    }
    // count models: the decoded mean sums to the library size, interpolated linearly (18 -> 17)
    for (const [s, row] of dec.entries())
      assert.ok(
        close(
          row.reduce((a, b) => a + b, 0),
          18 - s / 4,
          1e-5,
        ),
        `library at step ${s}`,
      );
    if (!spherical)
      for (const [l, v] of z[2].entries()) assert.ok(close(v, (means[0][l] + means[1][l]) / 2, 1e-6));
  }
  tree.dispose([p, x]);
});

test("latentPath: slerp keeps |z| for equal-norm endpoints, follows the arc, and falls back to a line", () => {
  const za = [3, 0, 4];
  const zb = [0, 5, 0];
  const arc = latentPath(za, zb, 9, { spherical: true });
  assert.deepEqual(arc[0], za);
  assert.deepEqual(arc[8], zb);
  for (const z of arc) assert.ok(Math.abs(Math.hypot(...z) - 5) < 1e-12, `|z| = ${Math.hypot(...z)}`);
  // equal angle steps: the angle between consecutive points is constant (90° / 8)
  const angle = (a: number[], b: number[]) => Math.acos(a.reduce((s, v, i) => s + v * b[i], 0) / 25);
  for (let s = 0; s < 8; s++) assert.ok(Math.abs(angle(arc[s], arc[s + 1]) - Math.PI / 16) < 1e-12);
  const line = latentPath(za, zb, 3);
  assert.deepEqual(line[1], [1.5, 2.5, 2]);
  assert.ok(Math.hypot(...line[1]) < 5); // the straight line cuts inside the sphere
  // parallel endpoints: no arc, the linear path
  assert.deepEqual(latentPath([1, 1], [2, 2], 3, { spherical: true }), [
    [1, 1],
    [1.5, 1.5],
    [2, 2],
  ]);
  assert.throws(() => latentPath([1], [1, 2], 3), /latentPath: za and zb must have the same length/);
});

test("interpolate: bad input names the argument", () => {
  const config: VaeConfig = { inputDim: 3, latentDim: 1, hidden: [], likelihood: "gaussian", nLabels: 2 };
  const p = vaeInit(random.key(0), config);
  assert.throws(
    () => interpolate(tree.ref(p), np.zeros([3]), np.zeros([4]), 3, { config, label: 0 }),
    /^ValueError: interpolate: xb must have shape \[3\] or \[1, 3\], but got \[4\]/,
  );
  assert.throws(
    () => interpolate(tree.ref(p), np.zeros([3]), np.zeros([3]), 3, { config }),
    /interpolate: label must be an integer in \[0, 1\] for a conditional model, but got undefined/,
  );
  assert.throws(
    () => interpolate(tree.ref(p), np.zeros([3]), np.zeros([3]), 0, { config, label: 1 }),
    /interpolate: steps must be a positive integer, but got 0/,
  );
  tree.dispose(p);
});
