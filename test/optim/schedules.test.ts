import assert from "node:assert/strict";
import { test } from "node:test";
import { type Array, jit, np } from "../../src/jax.js";
import { constantSchedule, scheduleValues, warmupCosineSchedule } from "../../src/optim/index.js";

// optax.warmup_cosine_decay_schedule, written out in float64
function formula(
  s: number,
  o: { initValue: number; peakValue: number; warmupSteps: number; decaySteps: number; endValue: number },
): number {
  if (s < o.warmupSteps) return o.initValue + ((o.peakValue - o.initValue) * s) / o.warmupSteps;
  const t = Math.min(Math.max((s - o.warmupSteps) / (o.decaySteps - o.warmupSteps), 0), 1);
  return o.endValue + (o.peakValue - o.endValue) * 0.5 * (1 + Math.cos(Math.PI * t));
}

test("warmupCosineSchedule matches the formula at every step, before, during and after decay", () => {
  for (const o of [
    { initValue: 0, peakValue: 1e-3, warmupSteps: 10, decaySteps: 100, endValue: 1e-5 },
    { initValue: 0.5, peakValue: 1, warmupSteps: 0, decaySteps: 7, endValue: 0 },
  ]) {
    const steps = globalThis.Array.from({ length: o.decaySteps + 5 }, (_, i) => i);
    const got = scheduleValues(warmupCosineSchedule(o), steps);
    for (const s of steps) {
      const want = formula(s, o);
      assert.ok(Math.abs(got[s] - want) <= 1e-6 * o.peakValue, `step ${s}: ${got[s]} vs ${want}`);
    }
    assert.ok(Math.abs(got[o.decaySteps + 4] - o.endValue) < 1e-9 + 1e-6 * o.peakValue);
  }
});

test("schedules work on a traced step inside jit (no JS number baked in at trace time)", () => {
  const o = { peakValue: 2, warmupSteps: 4, decaySteps: 20 };
  const f = jit((s: Array) => warmupCosineSchedule(o)(s));
  for (const s of [0, 2, 4, 13, 25]) {
    const v = f(np.array(s, { dtype: np.float32 })).item();
    assert.ok(Math.abs(v - formula(s, { ...o, initValue: 0, endValue: 0 })) < 1e-6, `step ${s}`);
  }
  f.dispose();
  assert.deepEqual(scheduleValues(constantSchedule(0.25), [0, 10, 1000]), [0.25, 0.25, 0.25]);
  assert.deepEqual(scheduleValues(0.5, [3]), [0.5]);
});

test("warmupCosineSchedule rejects bad options", () => {
  assert.throws(
    () => warmupCosineSchedule({ peakValue: 1, warmupSteps: 10, decaySteps: 10 }),
    /warmupCosineSchedule: decaySteps must be an integer > warmupSteps \(10\), but got 10/,
  );
  assert.throws(
    () => warmupCosineSchedule({ peakValue: Number.NaN, warmupSteps: 1, decaySteps: 10 }),
    /peakValue/,
  );
  assert.throws(() => warmupCosineSchedule({ peakValue: 1, warmupSteps: -1, decaySteps: 10 }), /warmupSteps/);
});
