/**
 * Learning-rate schedules: functions of the step count (a float32 scalar array, so they work inside
 * `jit` where the step is traced). Step 0 is the first update. Reference: optax `schedule.py`
 * (`constant_schedule`, `warmup_cosine_decay_schedule`); cosine annealing from Loshchilov & Hutter 2017
 * (SGDR, eq. 5).
 */
import { describe, ValueError } from "../errors.js";
import { type Array, np } from "../jax.js";

/** A schedule: step (float32 scalar, consumed) -> value (float32 scalar). */
export type Schedule = (step: Array) => Array;

/** A learning rate: a constant or a schedule of the step. */
export type ScalarOrSchedule = number | Schedule;

function checkFinite(fn: string, name: string, v: number, min = -Infinity): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v < min)
    throw new ValueError(`${fn}: ${name} must be a finite number >= ${min}, but got ${describe(v)}`);
}

/** A constant schedule: `value` at every step. */
export function constantSchedule(value: number): Schedule {
  checkFinite("constantSchedule", "value", value);
  return (step) => {
    step.dispose();
    return np.array(value, { dtype: np.float32 });
  };
}

/** Options of `warmupCosineSchedule` (names as optax's `warmup_cosine_decay_schedule`). */
export type WarmupCosineOptions = {
  /** value at step 0 (default 0) */
  initValue?: number;
  /** value reached at the end of warm-up */
  peakValue: number;
  /** steps of linear warm-up from `initValue` to `peakValue` (may be 0) */
  warmupSteps: number;
  /** total steps, warm-up included; the value stays at `endValue` afterwards */
  decaySteps: number;
  /** value at `decaySteps` (default 0) */
  endValue?: number;
};

/**
 * Linear warm-up then cosine decay: for `s < W`, `init + (peak - init) * s / W`; then
 * `end + (peak - end) * (1 + cos(pi * min(s - W, D - W) / (D - W))) / 2` (optax; SGDR eq. 5).
 */
export function warmupCosineSchedule(opts: WarmupCosineOptions): Schedule {
  const { initValue = 0, peakValue, warmupSteps, decaySteps, endValue = 0 } = opts;
  checkFinite("warmupCosineSchedule", "initValue", initValue);
  checkFinite("warmupCosineSchedule", "peakValue", peakValue);
  checkFinite("warmupCosineSchedule", "endValue", endValue);
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0)
    throw new ValueError(
      `warmupCosineSchedule: warmupSteps must be an integer >= 0, but got ${describe(warmupSteps)}`,
    );
  if (!Number.isInteger(decaySteps) || decaySteps <= warmupSteps)
    throw new ValueError(
      `warmupCosineSchedule: decaySteps must be an integer > warmupSteps (${warmupSteps}), but got ${describe(decaySteps)}`,
    );
  const W = warmupSteps;
  const span = decaySteps - warmupSteps;
  return (step) => {
    const s = step.astype(np.float32);
    // 1. cosine branch, with progress clipped to [0, 1]
    const t = np.clip(s.ref.sub(W).div(span), 0, 1);
    const cosine = np
      .cos(t.mul(Math.PI))
      .add(1)
      .mul(0.5 * (peakValue - endValue))
      .add(endValue);
    if (W === 0) {
      s.dispose();
      return cosine;
    }
    // 2. linear warm-up branch for s < W
    const warm = s.ref.mul((peakValue - initValue) / W).add(initValue);
    return np.where(s.less(W), warm, cosine);
  };
}

/** Evaluate a schedule eagerly at integer steps (for plots, logs and tests). */
export function scheduleValues(schedule: ScalarOrSchedule, steps: number[]): number[] {
  const f = toSchedule(schedule);
  return steps.map((s) => f(np.array(s, { dtype: np.float32 })).item());
}

/** Turn a number into a constant schedule; pass a schedule through. */
export function toSchedule(lr: ScalarOrSchedule): Schedule {
  return typeof lr === "function" ? lr : constantSchedule(lr);
}
