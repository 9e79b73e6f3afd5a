import { type Array, np, random, tree } from "../src/jax.js";
import { type Mlp, mlpApply, mlpInit } from "../src/nn/index.js";
import { adam } from "../src/optim/index.js";
import { makeTrainStep } from "../src/train/index.js";
import { DEBIAN_PYTHON, runPythonJson } from "./reference.js";
import type { BenchOptions, BenchTable } from "./table.js";
import { timeTrainStep } from "./train-step-timing.js";

type TorchResult = { threads: number; sec_per_step: number; first_call_sec: number };
type TorchRun = {
  torch: string;
  python: string;
  default_threads: number;
  cpu_count: number;
  results: TorchResult[];
};

function runTorch(quick: boolean): { run: TorchRun | null; why: string } {
  const { result, why } = runPythonJson<TorchRun>("mlp_torch.py", quick ? ["--quick"] : [], {
    probeImport: "torch",
    install: "apt-get install python3-torch",
  });
  return { run: result, why };
}

type B = { x: Array; y: Array };

/** jax-js side: ms per synced step (median of timed batches after warm-up) and the first call's ms. */
function timeJaxJs(quick: boolean): { msPerStep: number; firstMs: number; finalLoss: number } {
  const ks = random.split(random.key(0), 3);
  const params = mlpInit(ks.ref.slice(0), [3, 256, 256, 3], { init: "he" });
  const batch: B = { x: random.normal(ks.ref.slice(1), [256, 3]), y: random.normal(ks.slice(2), [256, 3]) };
  const opt = adam({ lr: 1e-3 });
  const state = opt.init(tree.ref(params));
  const step = makeTrainStep((p: Mlp, key: Array, b: B) => {
    key.dispose();
    return np.square(mlpApply(p, b.x, { activation: "relu" }).sub(b.y)).mean();
  }, opt);
  const r = timeTrainStep(
    step,
    params,
    state,
    random.key(1),
    batch,
    quick ? { warmup: 3, reps: 3, inner: 10 } : { warmup: 20, reps: 7, inner: 50 },
  );
  tree.dispose([r.params, r.state]);
  return { msPerStep: r.msPerStep, firstMs: r.firstMs, finalLoss: r.finalLoss };
}

/** The MLP train-step table: jax-js beside PyTorch (1 thread, default threads, all cores) when available. */
export async function run(opts: BenchOptions): Promise<BenchTable[]> {
  opts.log("mlp: jax-js jitted train step");
  const ours = timeJaxJs(opts.quick);
  if (!Number.isFinite(ours.finalLoss)) throw new Error("bench mlp: non-finite loss");
  opts.log(`mlp: running PyTorch side (${DEBIAN_PYTHON} bench/mlp_torch.py)`);
  const { run: torch, why } = runTorch(opts.quick);
  const columns = ["implementation", "steps/s", "ms/step", "first call (ms)"];
  if (torch) columns.push("jax-js ÷ this (speed)");
  const ourRate = 1000 / ours.msPerStep;
  const rows: (string | number)[][] = [
    ["jax-js 0.1.25, wasm, jit (this library)", ourRate, ours.msPerStep, ours.firstMs, ...(torch ? [1] : [])],
  ];
  if (torch)
    for (const r of torch.results) {
      const tags = [r.threads === 1 ? "1 thread" : `${r.threads} threads`];
      if (r.threads === torch.default_threads) tags.push("default");
      if (r.threads === torch.cpu_count) tags.push("all cores");
      rows.push([
        `PyTorch ${torch.torch}, eager, ${tags.join(", ")}`,
        1 / r.sec_per_step,
        r.sec_per_step * 1000,
        r.first_call_sec * 1000,
        ourRate * r.sec_per_step,
      ]);
    }
  const notes = [
    "One step = forward, backward, Adam (lr 1e-3) update of a 3→256→256→3 ReLU MLP, MSE on a fixed random batch of 256, float32; synced every step (loss read back).",
    "steps/s: median of timed batches after warm-up. first call: tracing + compilation + one step (jax-js); first eager step (PyTorch).",
    "jax-js runs single-threaded on the wasm backend in Node.",
  ];
  if (torch)
    notes.push(
      `PyTorch ${torch.torch} (Python ${torch.python}) through ${DEBIAN_PYTHON} bench/mlp_torch.py in the same run: torch.set_num_threads(1), then its default (${torch.default_threads}) and os.cpu_count() (${torch.cpu_count}), duplicates skipped.`,
      "jax-js ÷ this = jax-js steps/s ÷ that row's steps/s (< 1: PyTorch is faster).",
    );
  else notes.push(`PyTorch columns omitted: ${why}.`);
  return [{ title: "MLP train step (batch 256, 3→256→256→3, ReLU, Adam)", columns, rows, notes }];
}
