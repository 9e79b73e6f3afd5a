/**
 * Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay, with PyTorch's
 * formulas (torch.optim.SGD, dampening 0): `d = g + wd p`; `buf = mu buf + d` (buf starts at 0, so the
 * first buf is `d`); `d = nesterov ? d + mu buf : buf`; `p = p - lr d`. Sutskever et al. 2013, eq. 3-4.
 */
import { describe, ValueError } from "../errors.js";
import { type Array, np, tree } from "../jax.js";
import { leavesMatching, type Optimizer, type Params, zeroCount, zerosLikeTree } from "./optimizer.js";
import { type ScalarOrSchedule, toSchedule } from "./schedules.js";

/** SGD state: update count (int32 scalar) and, with momentum, the momentum buffers (like params). */
export type SgdState = { count: Array; momentum?: Params };

/** SGD options: `lr` (required), `momentum` (default 0), `nesterov` (default false), `weightDecay` (default 0). */
export type SgdOptions = {
  lr: ScalarOrSchedule;
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
};

/** SGD, optionally with momentum (PyTorch `torch.optim.SGD`). */
export function sgd(opts: SgdOptions): Optimizer<SgdState> {
  const { momentum = 0, nesterov = false, weightDecay = 0 } = opts;
  if (!(momentum >= 0 && momentum < 1))
    throw new ValueError(`sgd: momentum must be a number in [0, 1), but got ${describe(momentum)}`);
  if (!(weightDecay >= 0) || !Number.isFinite(weightDecay))
    throw new ValueError(`sgd: weightDecay must be a finite number >= 0, but got ${describe(weightDecay)}`);
  if (nesterov && momentum === 0)
    throw new ValueError("sgd: nesterov requires momentum > 0, but got momentum 0");
  if (opts.lr === undefined) throw new ValueError("sgd: lr must be given, but got undefined");
  const lrOf = toSchedule(opts.lr);
  return {
    init(params) {
      if (momentum === 0) {
        tree.dispose(params);
        return { count: zeroCount() };
      }
      return { count: zeroCount(), momentum: zerosLikeTree(params) };
    },
    update(grads, state, params) {
      const [pLeaves, def] = tree.flatten(params);
      const gLeaves = leavesMatching("sgd", "grads", grads, def);
      const bLeaves =
        momentum === 0 ? [] : leavesMatching("sgd", "state.momentum", state.momentum ?? {}, def);
      const lr = lrOf(state.count.ref.astype(np.float32));
      const count = state.count.add(1);
      const newP: Array[] = [];
      const newB: Array[] = [];
      for (let i = 0; i < pLeaves.length; i++) {
        const p = pLeaves[i];
        let d = gLeaves[i];
        if (weightDecay !== 0) d = d.add(p.ref.mul(weightDecay));
        if (momentum !== 0) {
          const buf = bLeaves[i].mul(momentum).add(d.ref);
          if (nesterov) d = d.add(buf.ref.mul(momentum));
          else {
            d.dispose();
            d = buf.ref;
          }
          newB.push(buf);
        }
        newP.push(p.sub(d.mul(lr.ref)));
      }
      lr.dispose();
      const un = (xs: Array[]) => tree.unflatten(def, xs) as typeof params;
      return [un(newP), momentum === 0 ? { count } : { count, momentum: un(newB) }];
    },
  };
}
