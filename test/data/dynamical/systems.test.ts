// Lorenz-63, Hénon and the logistic map: reproducible from a key (which is consumed), the defining
// equations hold along the generated orbits, RK4 converges at fourth order, points stay on the
// attractors' known bounding regions; argument errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FEIGENBAUM_R, henon, logisticMap, lorenz } from "../../../src/data/dynamical/index.js";
import { random } from "../../../src/jax.js";

test("each system is deterministic given the key, differs across keys and consumes the key", () => {
  for (const gen of [
    (k: ReturnType<typeof random.key>) => lorenz(k, 50),
    (k: ReturnType<typeof random.key>) => henon(k, 50),
    (k: ReturnType<typeof random.key>) => logisticMap(k, 50),
  ]) {
    const key = random.key(3);
    const a = gen(key);
    assert.equal(key.refCount, 0);
    assert.deepEqual(a, gen(random.key(3)));
    assert.notDeepEqual(a.data, gen(random.key(4)).data);
  }
  assert.deepEqual(
    [lorenz(random.key(0), 7).cols, henon(random.key(0), 7).cols, logisticMap(random.key(0), 7).cols],
    [3, 2, 1],
  );
});

test("Lorenz: 4th-order central differences of a fine trajectory match the vector field (σ = 10, ρ = 28, β = 8/3)", () => {
  const dt = 1e-3;
  const X = lorenz(random.key(1), 2000, { dt, every: 1 });
  const x = X.data;
  let worst = 0;
  for (let k = 2; k < 1998; k++) {
    const [a, b, c] = [x[3 * k], x[3 * k + 1], x[3 * k + 2]];
    const f = [10 * (b - a), a * (28 - c) - b, a * b - (8 / 3) * c];
    for (let j = 0; j < 3; j++) {
      const at = (m: number) => x[3 * (k + m) + j];
      const fd = (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * dt);
      worst = Math.max(worst, Math.abs(fd - f[j]) / (1 + Math.abs(f[j])));
    }
  }
  assert.ok(worst < 1e-5, `worst relative error ${worst}`); // a 1% change in σ, ρ or β gives ~1e-2
});

test("Lorenz: RK4 error falls 16-fold when the step halves (fourth order)", () => {
  // same key, same initial point; positions at t = 0.2 without transient (6 keys gave 16.2-16.9)
  const at = (dt: number) => lorenz(random.key(2), 1, { dt, every: Math.round(0.2 / dt), transient: 0 }).data;
  const ref = at(0.0003125);
  const err = (dt: number) => Math.hypot(...Array.from(at(dt), (v, i) => v - ref[i]));
  const ratio = err(0.005) / err(0.0025);
  assert.ok(ratio > 14 && ratio < 19, `ratio ${ratio}`);
});

test("Lorenz trajectories stay on the attractor's bounding region", () => {
  const X = lorenz(random.key(5), 5000);
  for (let i = 0; i < X.rows; i++) {
    const [x, y, z] = [X.data[3 * i], X.data[3 * i + 1], X.data[3 * i + 2]];
    assert.ok(Math.abs(x) < 25 && Math.abs(y) < 30 && z > 0 && z < 55, `point ${i}: ${x}, ${y}, ${z}`);
  }
});

test("Hénon: x' = 1 - 1.4x² + y, y' = 0.3x exactly; orbit inside the attractor's box", () => {
  const X = henon(random.key(6), 5000);
  const d = X.data;
  for (let k = 0; k + 1 < X.rows; k++) {
    assert.equal(d[2 * k + 2], 1 - 1.4 * d[2 * k] * d[2 * k] + d[2 * k + 1]);
    assert.equal(d[2 * k + 3], 0.3 * d[2 * k]);
    assert.ok(Math.abs(d[2 * k]) < 1.3 && Math.abs(d[2 * k + 1]) < 0.4);
  }
});

test("logistic map at r∞: x' = r x (1 - x) exactly; iterates inside [f(r/4), r/4]", () => {
  const r = FEIGENBAUM_R;
  assert.equal(r, Number("3.5699456718709449"), "the double nearest to r∞");
  const X = logisticMap(random.key(7), 4096);
  const lo = r * (r / 4) * (1 - r / 4);
  for (let k = 0; k < X.rows; k++) {
    if (k > 0) assert.equal(X.data[k], r * X.data[k - 1] * (1 - X.data[k - 1]));
    assert.ok(X.data[k] >= lo - 1e-12 && X.data[k] <= r / 4 + 1e-12);
  }
  // the orbit is aperiodic but close to periodic with every period 2^k
  assert.ok(Math.abs(X.data[1024] - X.data[0]) < 0.01);
});

test("argument errors name the argument and still consume the key", () => {
  const key = random.key(0);
  assert.throws(() => lorenz(key, 0), /n must be an integer >= 1/);
  assert.equal(key.refCount, 0);
  assert.throws(() => lorenz(random.key(0), 5, { dt: -1 }), /dt must be positive/);
  assert.throws(() => lorenz(random.key(0), 5, { every: 0 }), /every must be an integer >= 1/);
  assert.throws(() => lorenz(random.key(0), 5, { dt: 0.5 }), /diverged/);
  assert.throws(() => henon(random.key(0), 5, { a: Number.NaN }), /a and b must be finite/);
  assert.throws(() => henon(random.key(0), 5, { a: 3 }), /escaped/);
  assert.throws(() => logisticMap(random.key(0), 5, { r: 5 }), /r must be in \(0, 4\]/);
});
