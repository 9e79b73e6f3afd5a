import { random, tree } from "../src/jax.js";
import { type GanConfig, type GanLossName, ganInit, trainGan } from "../src/models/gan/index.js";
import { DEBIAN_PYTHON, runPythonJson } from "./reference.js";
import type { BenchOptions, BenchTable } from "./table.js";

type TorchResult = { loss: GanLossName; threads: number; sec_per_iteration: number; first_call_sec: number };
type TorchRun = {
  torch: string;
  python: string;
  default_threads: number;
  cpu_count: number;
  results: TorchResult[];
};

const LOSSES: GanLossName[] = ["non-saturating", "wgan-gp"];
const ROWS = 10_000;
const BATCH = 256;

function config(loss: GanLossName): GanConfig {
  return {
    dataDim: 3,
    latentDim: 3,
    generatorHidden: [128, 128],
    discriminatorHidden: [128, 128],
    activation: "leakyRelu",
    loss,
  };
}

function runTorch(quick: boolean): { run: TorchRun | null; why: string } {
  const { result, why } = runPythonJson<TorchRun>("gan_torch.py", quick ? ["--quick"] : [], {
    probeImport: "torch",
    install: "apt-get install python3-torch",
  });
  return { run: result, why };
}

/** jax-js side: `trainGan` itself, timed by its progress callback (one call per generator step). */
async function timeJaxJs(
  loss: GanLossName,
  quick: boolean,
): Promise<{ msPerIteration: number; firstMs: number; k: number }> {
  const cfg = config(loss);
  const ks = random.split(random.key(0), 3);
  const params = ganInit(ks.ref.slice(0), cfg);
  const data = random.normal(ks.ref.slice(1), [ROWS, 3]);
  const steps = quick ? 25 : 250;
  const warmup = quick ? 5 : 20;
  const stamps: number[] = [];
  const t0 = performance.now();
  const r = await trainGan(params, ks.slice(2), data, {
    config: cfg,
    steps,
    batchSize: BATCH,
    onProgress: (p) => {
      stamps.push(performance.now());
      if (!Number.isFinite(p.dLoss) || !Number.isFinite(p.gLoss))
        throw new Error("bench gan: non-finite loss");
    },
  });
  const intervals = stamps.slice(warmup + 1).map((t, i) => t - stamps[warmup + i]);
  intervals.sort((a, b) => a - b);
  tree.dispose([r.params, r.optState]);
  return {
    msPerIteration: intervals[Math.floor(intervals.length / 2)],
    firstMs: stamps[0] - t0,
    k: cfg.loss === "wgan-gp" ? 5 : 1,
  };
}

/** The GAN training table: jax-js `trainGan` beside the same loop in PyTorch (1 thread, default, all cores). */
export async function run(opts: BenchOptions): Promise<BenchTable[]> {
  const ours = new Map<GanLossName, Awaited<ReturnType<typeof timeJaxJs>>>();
  for (const loss of LOSSES) {
    opts.log(`gan: jax-js trainGan (${loss})`);
    ours.set(loss, await timeJaxJs(loss, opts.quick));
  }
  opts.log(`gan: running PyTorch side (${DEBIAN_PYTHON} bench/gan_torch.py)`);
  const { run: torch, why } = runTorch(opts.quick);
  const columns = [
    "implementation",
    "loss",
    "G steps/s",
    "ms per G step (k D + 1 G updates)",
    "ms per update",
    "first call (ms)",
  ];
  if (torch) columns.push("jax-js ÷ this (speed)");
  const rows: (string | number)[][] = [];
  for (const loss of LOSSES) {
    const o = ours.get(loss)!;
    rows.push([
      "jax-js 0.1.25, wasm, jit (this library)",
      loss,
      1000 / o.msPerIteration,
      o.msPerIteration,
      o.msPerIteration / (o.k + 1),
      o.firstMs,
      ...(torch ? [1] : []),
    ]);
    if (torch)
      for (const r of torch.results.filter((x) => x.loss === loss)) {
        const tags = [r.threads === 1 ? "1 thread" : `${r.threads} threads`];
        if (r.threads === torch.default_threads) tags.push("default");
        if (r.threads === torch.cpu_count) tags.push("all cores");
        rows.push([
          `PyTorch ${torch.torch}, eager, ${tags.join(", ")}`,
          loss,
          1 / r.sec_per_iteration,
          r.sec_per_iteration * 1000,
          (r.sec_per_iteration * 1000) / (o.k + 1),
          r.first_call_sec * 1000,
          r.sec_per_iteration / (o.msPerIteration / 1000),
        ]);
      }
  }
  const notes = [
    `Lorenz setting: data dim 3, latent 3, generator and discriminator 3→128→128→(3 | 1) leaky-ReLU(0.01) MLPs, batch ${BATCH} real + ${BATCH} generated rows, float32; real rows drawn with replacement from ${ROWS} N(0, I_3) rows (speed only).`,
    "non-saturating: 1 discriminator update per generator step, Adam(2e-4, (0.5, 0.999)); wgan-gp: 5 critic updates per generator step, λ = 10, Adam(1e-4, (0.5, 0.9)), penalty by double backprop (jax-js: the critic's input gradient written out by hand, then one reverse pass, because nested `grad` is wrong in float32 in jax-js 0.1.25; PyTorch: autograd.grad(create_graph=True)).",
    "One G step = k discriminator updates + 1 generator update, each synced (loss read back). jax-js: `trainGan` itself, median interval between its progress callbacks after warm-up; first call = from the call to the first callback (config and data checks, tracing and compiling both updates, one step). PyTorch: median of timed batches after warm-up; first call = first eager step.",
    "ms per update = ms per G step ÷ (k + 1), a rough average (critic updates with the penalty cost more than generator updates).",
    "jax-js runs single-threaded on the wasm backend in Node.",
  ];
  if (torch)
    notes.push(
      `PyTorch ${torch.torch} (Python ${torch.python}) through ${DEBIAN_PYTHON} bench/gan_torch.py in the same run: torch.set_num_threads(1), then its default (${torch.default_threads}) and os.cpu_count() (${torch.cpu_count}), duplicates skipped.`,
      "jax-js ÷ this = jax-js G steps/s ÷ that row's G steps/s (< 1: PyTorch is faster).",
    );
  else notes.push(`PyTorch columns omitted: ${why}.`);
  return [
    { title: "GAN training (Lorenz setting: 3-D data, 128-128 MLPs, batch 256)", columns, rows, notes },
  ];
}
