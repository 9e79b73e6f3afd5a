import { type Array, np, random, tree } from "../src/jax.js";
import { type TokenBatch, trainOptimizer, transformer } from "../src/models/transformer/index.js";
import { makeTrainStep } from "../src/train/index.js";
import { DEBIAN_PYTHON, runPythonJson } from "./reference.js";
import { type BenchOptions, type BenchTable, timeIt } from "./table.js";
import { timeTrainStep } from "./train-step-timing.js";

type Shape = { name: string; V: number; T: number; D: number; L: number; H: number; B: number };
const CONFIGS: Shape[] = [
  { name: "char", V: 30, T: 16, D: 64, L: 2, H: 4, B: 32 },
  { name: "word", V: 2000, T: 32, D: 128, L: 2, H: 4, B: 32 },
];

type TorchResult = {
  config: string;
  threads: number;
  sec_per_step: number;
  first_call_sec: number;
  sec_per_token: number;
};
type TorchRun = { torch: string; python: string; default_threads: number; results: TorchResult[] };

function runTorch(quick: boolean): { run: TorchRun | null; why: string } {
  const { result, why } = runPythonJson<TorchRun>("transformer_torch.py", quick ? ["--quick"] : [], {
    probeImport: "torch",
    install: "apt-get install python3-torch",
  });
  return { run: result, why };
}

type Ours = { msPerStep: number; firstMs: number; msPerToken: number; params: number };

function timeJaxJs(s: Shape, quick: boolean): Ours {
  const m = transformer({
    vocabSize: s.V,
    contextLength: s.T,
    nLayers: s.L,
    dModel: s.D,
    nHeads: s.H,
    dropout: 0,
    tieWeights: true,
    maskKind: "causal",
  });
  const ks = random.split(random.key(0), 4);
  const params = m.init(ks.ref.slice(0));
  const nParams = tree.leaves(tree.ref(params)).reduce((n, a) => {
    const size = a.size;
    a.dispose();
    return n + size;
  }, 0);
  const tokens = (k: Array) => random.randint(k, { shape: [s.B, s.T], minval: 0, maxval: s.V });
  const batch: TokenBatch = {
    inputs: tokens(ks.ref.slice(1)),
    targets: tokens(ks.ref.slice(2)),
    mask: np.ones([s.B, s.T]),
  };
  const opt = trainOptimizer({}, 10_000, 100);
  const state = opt.init(tree.ref(params));
  const step = makeTrainStep(m.loss, opt);
  const r = timeTrainStep(
    step,
    params,
    state,
    ks.slice(3),
    batch,
    quick ? { warmup: 2, reps: 3, inner: 3 } : { warmup: 10, reps: 5, inner: 20 },
  );
  const { msPerStep, firstMs } = r;
  if (!Number.isFinite(r.finalLoss)) throw new Error(`bench transformer: non-finite loss (${s.name})`);
  const nt = m.asNextTokenModel(tree.ref(r.params));
  const context = Int32Array.from({ length: s.T }, (_, i) => i % s.V);
  const msPerToken = timeIt(
    () => nt.nextLogProbs(context),
    quick ? { warmup: 2, reps: 3, inner: 3 } : { warmup: 10, reps: 5, inner: 20 },
  );
  nt.dispose();
  m.dispose();
  tree.dispose([r.params, r.state]);
  return { msPerStep, firstMs, msPerToken, params: nParams };
}

/** The transformer tables: train step and generation step, jax-js beside PyTorch when available. */
export async function run(opts: BenchOptions): Promise<BenchTable[]> {
  const ours = CONFIGS.map((s) => {
    opts.log(`transformer: jax-js ${s.name} model`);
    return timeJaxJs(s, opts.quick);
  });
  opts.log(`transformer: running PyTorch side (${DEBIAN_PYTHON} bench/transformer_torch.py)`);
  const { run: torch, why } = runTorch(opts.quick);
  const columns = ["model", "implementation", "ms/step", "steps/s", "first call (ms)", "generate ms/token"];
  if (torch) columns.push("jax-js ÷ this (train speed)");
  const rows: (string | number)[][] = [];
  CONFIGS.forEach((s, i) => {
    const o = ours[i];
    const label = `${s.name}: V ${s.V}, T ${s.T}, D ${s.D}, ${s.L} layers, ${s.H} heads, batch ${s.B} (${o.params} params)`;
    rows.push([
      label,
      "jax-js 0.1.25, wasm, jit",
      o.msPerStep,
      1000 / o.msPerStep,
      o.firstMs,
      o.msPerToken,
      ...(torch ? [1] : []),
    ]);
    for (const r of torch?.results.filter((x) => x.config === s.name) ?? []) {
      const threads = r.threads === 1 ? "1 thread" : `${r.threads} threads`;
      rows.push([
        label,
        `PyTorch ${torch?.torch}, eager, ${threads}${r.threads === torch?.default_threads ? " (default)" : ""}`,
        r.sec_per_step * 1000,
        1 / r.sec_per_step,
        r.first_call_sec * 1000,
        r.sec_per_token * 1000,
        (r.sec_per_step * 1000) / o.msPerStep,
      ]);
    }
  });
  const notes = [
    "One step = forward, backward, global-norm clip (1) and AdamW (lr warm-up + cosine, wd 0.1) of a pre-norm GPT with tied head, mean next-token cross-entropy on a fixed random batch, float32; synced every step.",
    "generate ms/token: one `nextLogProbs` call on a full context (jax-js: the padded [1, T] jitted forward + host log-softmax; PyTorch: forward of [1, T] under no_grad + log_softmax).",
    "jax-js runs single-threaded on the wasm backend in Node; its embedding is oneHot @ table (no gather gradient under jit in 0.1.25), which costs a [B·T, V] × [V, D] matmul each way.",
  ];
  if (torch)
    notes.push(
      `PyTorch ${torch.torch} (Python ${torch.python}) through ${DEBIAN_PYTHON} bench/transformer_torch.py in the same run, with 1 thread and its default (${torch.default_threads}).`,
      "jax-js ÷ this = jax-js steps/s ÷ that row's steps/s (< 1: PyTorch is faster).",
    );
  else notes.push(`PyTorch rows omitted: ${why}.`);
  return [{ title: "Transformer LM train step and generation step", columns, rows, notes }];
}
