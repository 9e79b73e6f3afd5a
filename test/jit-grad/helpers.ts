/**
 * The "jit vs eager" gradient check shared by the tests in this directory: the gradient of a loss
 * w.r.t. its first argument, computed eagerly (`grad(loss)`) and compiled (`jit(grad(loss))`), must
 * agree to float32 tolerance. jax-js 0.1.25 can compile a wrong gradient without an error (a `pad` of
 * a constant cotangent loses its zeros; see docs/foundation.md, "jax-js 0.1.25 workarounds"), so every
 * model family that trains with a jitted gradient has such a check.
 */
import assert from "node:assert/strict";
import { type Array, grad, type JsTree, jit, tree } from "../../src/jax.js";

/** Largest `|a - b|` and largest `|a|` over all leaves of two same-structured trees (both consumed). */
export function treeDiff(a: JsTree<Array>, b: JsTree<Array>): { maxErr: number; scale: number; at: string } {
  const [la, defA] = tree.flatten(a);
  const [lb, defB] = tree.flatten(b);
  assert.equal(la.length, lb.length, `trees differ in structure: ${defA} vs ${defB}`);
  let maxErr = 0;
  let scale = 0;
  let at = "";
  la.forEach((x, i) => {
    assert.deepEqual(x.shape, lb[i].shape, `leaf ${i}: shapes differ`);
    const u = x.dataSync();
    const v = lb[i].dataSync();
    for (let j = 0; j < u.length; j++) {
      const e = Math.abs(Number(u[j]) - Number(v[j]));
      if (!(e <= maxErr)) {
        maxErr = e;
        at = `leaf ${i} [${x.shape.join(", ")}] entry ${j}: ${u[j]} vs ${v[j]}`;
      }
      scale = Math.max(scale, Math.abs(Number(u[j])));
    }
  });
  return { maxErr, scale, at };
}

/**
 * Gradient of `loss(params, ...rest)` w.r.t. `params`, eagerly and under `jit`; asserts that they agree to
 * `rtol` times the largest gradient entry (default 1e-4: float32 rounding of reordered sums, far below
 * the O(1) errors of the jax-js bug) and that the gradient is not all zero. `params` and `rest` are
 * thunks, so each side gets fresh arrays; data are passed as jit arguments, as in a training step.
 */
export function assertJitGradMatchesEager<P extends JsTree<Array>>(
  name: string,
  loss: (params: P, ...rest: never[]) => Array,
  params: () => P,
  rest: () => JsTree<Array>[] = () => [],
  rtol = 1e-4,
): { maxErr: number; scale: number } {
  const f = loss as unknown as (...args: unknown[]) => Array;
  const eager = grad(f)(params(), ...rest()) as JsTree<Array>;
  const compiled = jit(grad(f));
  const jitted = compiled(params(), ...rest()) as JsTree<Array>;
  compiled.dispose();
  const { maxErr, scale, at } = treeDiff(eager, jitted);
  assert.ok(scale > 0, `${name}: the eager gradient is all zero`);
  assert.ok(
    maxErr <= rtol * scale,
    `${name}: jit gradient differs from eager by ${maxErr} (largest entry ${scale}); ${at}`,
  );
  return { maxErr, scale };
}

/** `loss` wrapped to return a scalar: the first element when it returns `[loss, aux]` (aux disposed). */
export function scalarLoss<A extends unknown[]>(loss: (...args: A) => Array | [Array, JsTree<Array>]) {
  return (...args: A): Array => {
    const out = loss(...args);
    if (!globalThis.Array.isArray(out)) return out;
    tree.dispose(out[1]);
    return out[0];
  };
}
