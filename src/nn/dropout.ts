/**
 * Inverted dropout (Srivastava et al. 2014, with the `1 / (1 - rate)` rescaling at train time so that
 * evaluation is the identity; PyTorch `nn.Dropout`). The key is explicit; in evaluation mode it is
 * disposed and `x` is returned unchanged.
 */
import { describe, ValueError } from "../errors.js";
import { type Array, np, random } from "../jax.js";

/** Options for `dropout`: `rate` in `[0, 1)` (probability of zeroing), `training` (default true). */
export type DropoutOptions = { rate: number; training?: boolean };

/** Zero each entry of `x` with probability `rate` and scale survivors by `1/(1-rate)`; same shape out. Consumes `key` and `x`. */
export function dropout(key: Array, x: Array, opts: DropoutOptions): Array {
  const { rate, training = true } = opts;
  if (typeof rate !== "number" || !(rate >= 0 && rate < 1)) {
    key.dispose();
    throw new ValueError(`dropout: rate must be a number in [0, 1), but got ${describe(rate)}`);
  }
  if (!training || rate === 0) {
    key.dispose();
    return x;
  }
  const keep = random.bernoulli(key, 1 - rate, x.shape);
  return np.where(keep, x.mul(1 / (1 - rate)), 0);
}
