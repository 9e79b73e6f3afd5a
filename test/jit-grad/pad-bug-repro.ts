/**
 * Minimal reproduction of a jax-js 0.1.25 `jit` bug (run: `npx tsx test/jit-grad/pad-bug-repro.ts`).
 *
 * Under `jit`, a `pad` or `concatenate` whose operand is a literal broadcast (no array is read, e.g.
 * `broadcast(1)`) returns the literal everywhere: the padded entries are not zero, and in a concatenate
 * the literal is added to the other pieces too. jax-js lowers pad/concatenate by re-indexing the array
 * reads of the fused expression (`reshapeViews` in dist/index.cjs), and a literal has none to mask.
 * The transpose of a slice is a pad of its cotangent, and that cotangent is the literal `broadcast(1)`
 * whenever the slice's output reaches the loss only through sums, means, reshapes, casts and added
 * terms; so the jitted gradient is silently wrong. See docs/foundation.md ("jax-js 0.1.25
 * workarounds") and test/jit-grad/patterns.test.ts.
 */
import { grad, jit, np } from "../../src/jax.js";

const f = (w: np.Array) => w.slice([0, 2]).sum();
console.log("grad      ", grad(f)(np.array([1, 1, 1, 1])).js()); // [1, 1, 0, 0]
console.log("jit(grad) ", jit(grad(f))(np.array([1, 1, 1, 1])).js()); // [1, 1, 1, 1]  (wrong)

// its jaxpr: { lambda a:float32[4] . let b = broadcast[shape=2] 1; c = pad[width=0,2] b in ( c ) }
const g = (x: np.Array) => np.concatenate([x, np.broadcastTo(np.array(5), [2])]);
console.log("eager     ", g(np.array([1, 2])).js()); // [1, 2, 5, 5]
console.log("jit       ", jit(g)(np.array([1, 2])).js()); // [6, 7, 5, 5]  (wrong)
