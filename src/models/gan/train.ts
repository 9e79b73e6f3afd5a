/**
 * Training a GAN: alternating updates of the discriminator/critic (`discriminatorSteps` per round) and
 * the generator, each a jitted step (value-and-grad + Adam, compiled once), with separate Adam states
 * (Goodfellow et al. 2014, Algorithm 1; Gulrajani et al. 2017, Algorithm 1). Real batches are drawn
 * uniformly with replacement from the rows of `data` inside the jitted step (fresh rows every update,
 * as the WGAN-GP toy code's infinite data stream). The loop syncs after every update, reports progress
 * per generator step, keeps fixed-noise sample snapshots as host arrays, can hand checkpoints to a
 * callback, and stops with a `GanNonFiniteError` (keeping the last good params) on a NaN/Inf loss or
 * gradient. It prints nothing and runs in browsers.
 */
import { describe, NumericalError, ValueError } from "../../errors.js";
import { type Array, jit, np, random, tree } from "../../jax.js";
import type { Mlp } from "../../nn/mlp.js";
import { type AdamState, adam } from "../../optim/adam.js";
import { saveGanAsync } from "./checkpoint.js";
import { checkData, guard, positiveInt } from "./checks.js";
import { type GanConfig, resolveGanConfig } from "./config.js";
import { drawLatents, type GanParams, generatorApply } from "./networks.js";
import {
  type DiscriminatorStep,
  discriminatorStepBody,
  type GeneratorStep,
  generatorStepBody,
} from "./steps.js";

type Jitted<F> = F & { dispose(): void };

/** Adam states of the two networks. */
export type GanOptState = { generator: AdamState; discriminator: AdamState };

/** What `onProgress` receives after each generator step; means over this round's discriminator updates. */
export type GanProgress = {
  /** generator steps completed, from 1 */
  step: number;
  totalSteps: number;
  /** discriminator/critic loss (NS: nats; WGAN-GP: critic units, penalty included) */
  dLoss: number;
  /** generator loss at the incoming generator params */
  gLoss: number;
  /** mean D(x) on real rows (NS: logit; WGAN-GP: critic value) */
  real: number;
  /** mean D(G(z)) on generated rows */
  fake: number;
  /** unweighted gradient penalty (0 for NS) */
  penalty: number;
};

/** Generator samples from the fixed snapshot noise after `step` generator steps: `samples` is `[m, D]` row-major. */
export type GanSnapshot = { step: number; samples: Float32Array; shape: [number, number] };

/** Options of `trainGan`. Arrays given here are consumed. */
export type TrainGanOptions = {
  config: GanConfig;
  /** generator updates (each preceded by `config.discriminatorSteps` discriminator updates) */
  steps: number;
  /** rows per batch, real and generated alike (default min(256, n)) */
  batchSize?: number;
  /** Adam states to resume from (default fresh) */
  optState?: GanOptState;
  onProgress?: (p: GanProgress) => void;
  /** keep a snapshot at step 0, every this many steps, and after the last step (default: none) */
  snapshotEvery?: number;
  /** rows per snapshot (default 512); the same noise every time */
  snapshotSize?: number;
  /** call `onCheckpoint` every this many generator steps */
  checkpointEvery?: number;
  /** receives `saveGan` bytes (the params at that step, `extra.step`); awaited */
  onCheckpoint?: (c: { step: number; bytes: Uint8Array }) => void | Promise<void>;
};

/** What `trainGan` returns; the caller owns `params` and `optState`. */
export type TrainGanResult = {
  params: GanParams;
  optState: GanOptState;
  steps: number;
  /** per generator step: mean discriminator loss of its round, and the generator loss */
  dLosses: number[];
  gLosses: number[];
  snapshots: GanSnapshot[];
};

/**
 * Thrown by `trainGan` when an update's loss or gradient is NaN or infinite. `params` and `optState` are
 * those at the start of generator step `step` (all earlier updates were finite); the caller owns them.
 */
export class GanNonFiniteError extends NumericalError {
  override name = "GanNonFiniteError";
  constructor(
    readonly step: number,
    readonly network: "discriminator" | "generator",
    readonly params: GanParams,
    readonly optState: GanOptState,
  ) {
    super(
      `trainGan: the ${network} loss or gradient is not finite at generator step ${step}; kept the parameters from the start of that step`,
    );
  }
}

function optionalPositiveInt(name: string, v: unknown): number | undefined {
  return v === undefined ? undefined : positiveInt("trainGan", name, v);
}

/**
 * Train `params` (consumed) on `data: [n, D]` (consumed; cast to float32) from `key` (consumed) by
 * alternating discriminator and generator updates; see `TrainGanOptions`. Throws `GanNonFiniteError` on NaN/Inf.
 */
export async function trainGan(
  params: GanParams,
  key: Array,
  data: Array,
  opts: TrainGanOptions,
): Promise<TrainGanResult> {
  // 1. config, options and data, checked before any array is touched
  const { cfg, n, s } = guard([params, key, data, opts?.optState], () => {
    const cfg = resolveGanConfig(opts?.config, "trainGan");
    const n = checkData("trainGan", "data", data, cfg);
    const steps = positiveInt("trainGan", "steps", opts.steps);
    const batchSize = positiveInt("trainGan", "batchSize", opts.batchSize ?? Math.min(256, n));
    const snapshotEvery = optionalPositiveInt("snapshotEvery", opts.snapshotEvery);
    const snapshotSize = positiveInt("trainGan", "snapshotSize", opts.snapshotSize ?? 512);
    const checkpointEvery = optionalPositiveInt("checkpointEvery", opts.checkpointEvery);
    if ((checkpointEvery === undefined) !== (opts.onCheckpoint === undefined))
      throw new ValueError("trainGan: checkpointEvery and onCheckpoint must be given together");
    for (const [name, net, width] of [
      ["generator", params?.generator, cfg.latentDim],
      ["discriminator", params?.discriminator, cfg.dataDim],
    ] as const) {
      const w0 = net?.layers?.[0]?.w;
      if (!(w0 instanceof np.Array) || w0.shape[0] !== width)
        throw new ValueError(
          `trainGan: params.${name} must be an MLP with input width ${width} (from ganInit with this config), but got ${describe(w0?.shape)}`,
        );
    }
    return { cfg, n, s: { steps, batchSize, snapshotEvery, snapshotSize, checkpointEvery } };
  });
  const k = cfg.discriminatorSteps;
  const x = data.dtype === np.float32 ? data : data.astype(np.float32);
  const dAdam = adam(cfg.discriminatorAdam);
  const gAdam = adam(cfg.generatorAdam);
  const dStep = jit(
    discriminatorStepBody(cfg, dAdam, s.batchSize, n),
  ) as unknown as Jitted<DiscriminatorStep>;
  const gStep = jit(generatorStepBody(cfg, gAdam, s.batchSize)) as unknown as Jitted<GeneratorStep>;
  const sample = jit((g: Mlp, z: Array) => generatorApply(g, z, cfg)) as unknown as Jitted<
    (g: Mlp, z: Array) => Array
  >;
  // 2. keys: one per update, and the fixed snapshot noise
  const ks = random.split(key, 2);
  const keys = random.split(ks.ref.slice(0), [s.steps, k + 1]); // [steps, k + 1, 2]
  const zFixed = drawLatents(ks.slice(1), s.snapshotSize, cfg); // [m, L]
  let g = params.generator;
  let d = params.discriminator;
  let gOpt = opts.optState?.generator ?? gAdam.init(tree.ref(g));
  let dOpt = opts.optState?.discriminator ?? dAdam.init(tree.ref(d));
  const dLosses: number[] = [];
  const gLosses: number[] = [];
  const snapshots: GanSnapshot[] = [];
  const snapshot = async (step: number) => {
    const samples = (await sample(tree.ref(g), zFixed.ref).data()) as Float32Array;
    snapshots.push({ step, samples, shape: [s.snapshotSize, cfg.dataDim] });
  };
  let good: { p: GanParams; s: GanOptState } | undefined;
  try {
    if (s.snapshotEvery !== undefined) await snapshot(0);
    for (let step = 1; step <= s.steps; step++) {
      // 3. the state entering this round is the last known good one
      if (good) tree.dispose([good.p, good.s]);
      good = {
        p: tree.ref({ generator: g, discriminator: d }),
        s: tree.ref({ generator: gOpt, discriminator: dOpt }),
      };
      const fail = (network: "discriminator" | "generator") => {
        tree.dispose([g, d, gOpt, dOpt]);
        const last = good as { p: GanParams; s: GanOptState };
        good = undefined;
        return new GanNonFiniteError(step, network, last.p, last.s);
      };
      // 4. discriminator updates, G held fixed
      const sums = [0, 0, 0, 0];
      for (let j = 0; j < k; j++) {
        const [d2, s2, out] = dStep(d, dOpt, tree.ref(g), keys.ref.slice(step - 1, j), x.ref);
        d = d2;
        dOpt = s2;
        const v = await out.data();
        if (!Number.isFinite(v[0])) throw fail("discriminator");
        for (let i = 0; i < 4; i++) sums[i] += v[i] / k;
      }
      // 5. generator update, D held fixed
      const [g2, s2, gOut] = gStep(g, gOpt, tree.ref(d), keys.ref.slice(step - 1, k));
      g = g2;
      gOpt = s2;
      const gLoss = (await gOut.data())[0];
      if (!Number.isFinite(gLoss)) throw fail("generator");
      dLosses.push(sums[0]);
      gLosses.push(gLoss);
      opts.onProgress?.({
        step,
        totalSteps: s.steps,
        dLoss: sums[0],
        gLoss,
        real: sums[1],
        fake: sums[2],
        penalty: sums[3],
      });
      // 6. snapshots and checkpoints
      if (s.snapshotEvery !== undefined && (step % s.snapshotEvery === 0 || step === s.steps))
        await snapshot(step);
      if (s.checkpointEvery !== undefined && step % s.checkpointEvery === 0 && opts.onCheckpoint) {
        const bytes = await saveGanAsync({ generator: tree.ref(g), discriminator: tree.ref(d) }, cfg, {
          step,
        });
        await opts.onCheckpoint({ step, bytes });
      }
    }
  } catch (e) {
    if (!(e instanceof GanNonFiniteError)) {
      try {
        tree.dispose([g, d, gOpt, dOpt]);
      } catch {
        // already consumed by the step that threw
      }
    }
    throw e;
  } finally {
    if (good) tree.dispose([good.p, good.s]);
    tree.dispose([keys, zFixed, x]);
    dStep.dispose();
    gStep.dispose();
    sample.dispose();
  }
  return {
    params: { generator: g, discriminator: d },
    optState: { generator: gOpt, discriminator: dOpt },
    steps: s.steps,
    dLosses,
    gLosses,
    snapshots,
  };
}
