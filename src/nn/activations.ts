/**
 * Activation functions by name, so that layer configs stay plain JSON (`{activation: "relu"}`).
 * Each function consumes its input. "gelu" is the tanh approximation (JAX's default,
 * Hendrycks & Gimpel 2016 eq. 2); "geluExact" uses erf (PyTorch's default).
 */
import { describe, ValueError } from "../errors.js";
import { type Array, nn, np } from "../jax.js";

/** Names accepted wherever an activation is configured. */
export type ActivationName =
  | "relu"
  | "gelu"
  | "geluExact"
  | "tanh"
  | "silu"
  | "sigmoid"
  | "elu"
  | "leakyRelu"
  | "softplus"
  | "identity";

const TABLE: Record<ActivationName, (x: Array) => Array> = {
  relu: (x) => nn.relu(x),
  gelu: (x) => nn.gelu(x, { approximate: true }),
  geluExact: (x) => nn.gelu(x, { approximate: false }),
  tanh: (x) => np.tanh(x),
  silu: (x) => nn.silu(x),
  sigmoid: (x) => nn.sigmoid(x),
  elu: (x) => nn.elu(x),
  leakyRelu: (x) => nn.leakyRelu(x, 0.01),
  softplus: (x) => nn.softplus(x),
  identity: (x) => x,
};

/** The activation names, for validating user input. */
export const ACTIVATION_NAMES = Object.keys(TABLE) as ActivationName[];

/** Look up an activation by name: `activation("relu")(x)` (consumes `x`, same shape out). */
export function activation(name: ActivationName): (x: Array) => Array {
  if (typeof name !== "string" || !Object.hasOwn(TABLE, name))
    throw new ValueError(
      `activation: name must be one of ${ACTIVATION_NAMES.join(", ")}, but got ${describe(name)}`,
    );
  return TABLE[name];
}
