/**
 * Multi-layer perceptron: a stack of `Linear` layers with a named activation between them. The
 * activation is static configuration (a string), never a param. Reference: equinox `nn.MLP`.
 */
import { describe, ValueError } from "../errors.js";
import { type Array, random } from "../jax.js";
import { type ActivationName, activation } from "./activations.js";
import { type Linear, type LinearInitOptions, linearApply, linearInit } from "./linear.js";

/** Params of an MLP: one `Linear` per layer, `layers[i].w: [sizes[i], sizes[i+1]]`. */
export type Mlp = { layers: Linear[] };

/** Options for `mlpApply`: hidden activation (default "relu") and final activation (default "identity"). */
export type MlpApplyOptions = { activation?: ActivationName; finalActivation?: ActivationName };

/** Initialise an MLP with layer widths `sizes = [in, hidden..., out]` (at least two entries). */
export function mlpInit(key: Array, sizes: number[], opts: LinearInitOptions = {}): Mlp {
  if (
    !globalThis.Array.isArray(sizes) ||
    sizes.length < 2 ||
    sizes.some((d) => !Number.isInteger(d) || d < 1)
  ) {
    key.dispose();
    throw new ValueError(
      `mlpInit: sizes must list at least two positive integers [in, ..., out], but got ${describe(sizes)}`,
    );
  }
  const n = sizes.length - 1;
  const keys = random.split(key, n);
  const layers: Linear[] = [];
  for (let i = 0; i < n; i++) {
    const k = i < n - 1 ? keys.ref.slice(i) : keys.slice(i);
    layers.push(linearInit(k, sizes[i], sizes[i + 1], opts));
  }
  return { layers };
}

/** Apply an MLP: `x: [..., in] -> [..., out]`. Consumes `p` and `x`. */
export function mlpApply(p: Mlp, x: Array, opts: MlpApplyOptions = {}): Array {
  const hidden = activation(opts.activation ?? "relu");
  const final = activation(opts.finalActivation ?? "identity");
  const n = p.layers.length;
  for (let i = 0; i < n; i++) {
    x = linearApply(p.layers[i], x);
    x = i < n - 1 ? hidden(x) : final(x);
  }
  return x;
}
