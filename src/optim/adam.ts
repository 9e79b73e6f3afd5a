/**
 * Adam and AdamW, with PyTorch's formulas (torch.optim.Adam / AdamW, 1.13 docs, "Algorithm"):
 * `m = b1 m + (1 - b1) g`, `v = b2 v + (1 - b2) g^2`,
 * `p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`, with `t` counted from 1.
 * Adam's `weightDecay` is L2 (adds `wd * p` to the gradient); AdamW's is decoupled
 * (`p = p * (1 - lr * wd)` before the Adam step; Loshchilov & Hutter 2019, Algorithm 2).
 * The learning rate at update `t` is `lr(t - 1)` (schedules start at step 0).
 */
import { describe, ValueError } from "../errors.js";
import { type Array, np, tree } from "../jax.js";
import { leavesMatching, type Optimizer, type Params, zeroCount, zerosLikeTree } from "./optimizer.js";
import { type ScalarOrSchedule, toSchedule } from "./schedules.js";

/** Adam state: update count (int32 scalar), first moments `mu` and second moments `nu` (like params). */
export type AdamState = { count: Array; mu: Params; nu: Params };

/** Adam options (PyTorch names and defaults: lr 1e-3, b1 0.9, b2 0.999, eps 1e-8, weightDecay 0). */
export type AdamOptions = {
  lr?: ScalarOrSchedule;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
};

function checkOptions(fn: string, o: Required<Omit<AdamOptions, "lr">>): void {
  const bad = (name: string, v: number, range: string) =>
    new ValueError(`${fn}: ${name} must be a number in ${range}, but got ${describe(v)}`);
  if (!(o.b1 >= 0 && o.b1 < 1)) throw bad("b1", o.b1, "[0, 1)");
  if (!(o.b2 >= 0 && o.b2 < 1)) throw bad("b2", o.b2, "[0, 1)");
  if (!(o.eps >= 0) || !Number.isFinite(o.eps)) throw bad("eps", o.eps, "[0, inf)");
  if (!(o.weightDecay >= 0) || !Number.isFinite(o.weightDecay))
    throw bad("weightDecay", o.weightDecay, "[0, inf)");
}

function makeAdam(fn: string, opts: AdamOptions, decoupled: boolean): Optimizer<AdamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, weightDecay = decoupled ? 0.01 : 0 } = opts;
  checkOptions(fn, { b1, b2, eps, weightDecay });
  const lrOf = toSchedule(opts.lr ?? 1e-3);
  return {
    init(params) {
      return { count: zeroCount(), mu: zerosLikeTree(tree.ref(params)), nu: zerosLikeTree(params) };
    },
    update(grads, state, params) {
      // 1. step count t (from 1), learning rate, bias corrections 1 - b^t as scalar arrays
      const [pLeaves, def] = tree.flatten(params);
      const gLeaves = leavesMatching(fn, "grads", grads, def);
      const mLeaves = leavesMatching(fn, "state.mu", state.mu, def);
      const vLeaves = leavesMatching(fn, "state.nu", state.nu, def);
      const count = state.count.add(1);
      const t = count.ref.astype(np.float32);
      const lr = lrOf(t.ref.sub(1));
      // 1 - b^t = -expm1(t log b): no cancellation in float32 when b^t is near 1
      const bc1 = np.expm1(t.ref.mul(Math.log(b1))).neg();
      const bc2 = np.expm1(t.mul(Math.log(b2))).neg();
      const stepSize = lr.ref.div(bc1); // lr / (1 - b1^t)
      const bc2Sqrt = np.sqrt(bc2);
      const newP: Array[] = [];
      const newM: Array[] = [];
      const newV: Array[] = [];
      for (let i = 0; i < pLeaves.length; i++) {
        let p = pLeaves[i];
        let g = gLeaves[i];
        // 2. weight decay: L2 into the gradient (Adam) or decoupled shrinkage (AdamW)
        if (weightDecay !== 0) {
          if (decoupled) p = p.mul(lr.ref.mul(-weightDecay).add(1));
          else g = g.add(p.ref.mul(weightDecay));
        }
        // 3. moments and the bias-corrected step
        const m = mLeaves[i].mul(b1).add(g.ref.mul(1 - b1));
        const v = vLeaves[i].mul(b2).add(np.square(g).mul(1 - b2));
        const denom = np.sqrt(v.ref).div(bc2Sqrt.ref).add(eps);
        newP.push(p.sub(m.ref.div(denom).mul(stepSize.ref)));
        newM.push(m);
        newV.push(v);
      }
      lr.dispose();
      stepSize.dispose();
      bc2Sqrt.dispose();
      const un = <T>(xs: Array[]) => tree.unflatten(def, xs) as T;
      return [un(newP), { count, mu: un(newM), nu: un(newV) }];
    },
  };
}

/** Adam (Kingma & Ba 2015, Algorithm 1; PyTorch `torch.optim.Adam`), `weightDecay` as L2. */
export function adam(opts: AdamOptions = {}): Optimizer<AdamState> {
  return makeAdam("adam", opts, false);
}

/** AdamW (Loshchilov & Hutter 2019; PyTorch `torch.optim.AdamW`), decoupled `weightDecay` default 0.01. */
export function adamw(opts: AdamOptions = {}): Optimizer<AdamState> {
  return makeAdam("adamw", opts, true);
}
