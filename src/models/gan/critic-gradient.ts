/**
 * The critic's input gradient `∇_x D(x)` written out by hand (backprop through the linear layers and the
 * activation derivatives), so that WGAN-GP's penalty (Gulrajani et al. 2017, eq. 3) is an ordinary
 * expression that one reverse pass differentiates w.r.t. the critic's weights ("double backprop").
 * Why not `grad` nested inside `grad`: in jax-js 0.1.25 it traces and runs under `jit`, but its float32
 * results are wrong (float64 ones are right): e.g. for `D(x) = x W1 W2`, x `[2, 2]`, W1 `[2, 4]`, the
 * gradient of `Σ‖∇_x D‖²` w.r.t. W2 differs from the float64 value and from the same expression written
 * out. It is also about 5x slower. The tests check this function against nested `grad` in float64 and
 * against finite differences. (The GAN code also avoids `slice` in differentiated code: under `jit`,
 * jax-js 0.1.25 returns wrong gradients for `sum(slice(x))`, e.g. `[1, 1, 1, 1]` instead of `[1, 1, 0, 0]`.)
 */
import { type Array, np, scipySpecial } from "../../jax.js";
import type { ActivationName } from "../../nn/activations.js";
import { activation } from "../../nn/activations.js";
import type { Mlp } from "../../nn/mlp.js";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** σ(a) = (1 + tanh(a / 2)) / 2: no overflow, finite derivative everywhere. Consumes `a`. */
function sigmoid(a: Array): Array {
  return np.tanh(a.mul(0.5)).add(1).mul(0.5);
}

/** `act'(a)` elementwise for each activation name; consumes `a`. The derivative is 1 at the kinks' right side. */
const DERIVATIVE: Record<ActivationName, (a: Array) => Array> = {
  relu: (a) => np.where(np.greater(a.ref, 0), np.onesLike(a.ref), np.zerosLike(a)),
  leakyRelu: (a) => np.where(np.greater(a.ref, 0), np.onesLike(a.ref), np.fullLike(a, 0.01)),
  identity: (a) => np.onesLike(a),
  tanh: (a) => np.square(np.tanh(a)).neg().add(1),
  sigmoid: (a) => {
    const s = sigmoid(a);
    return s.ref.mul(s.neg().add(1));
  },
  softplus: (a) => sigmoid(a),
  silu: (a) => {
    // d/da a σ(a) = σ(a) (1 + a (1 - σ(a)))
    const s = sigmoid(a.ref);
    return s.ref.mul(a.mul(s.neg().add(1)).add(1));
  },
  elu: (a) => np.where(np.greater(a.ref, 0), np.onesLike(a.ref), np.exp(np.minimum(a, 0))),
  gelu: (a) => {
    // tanh approximation: 0.5 (1 + t) + 0.5 a (1 - t²) c (1 + 3 k a²), t = tanh(c (a + k a³)), k = 0.044715
    const a2 = np.square(a.ref);
    const t = np.tanh(a.ref.add(a.ref.mul(a2.ref).mul(0.044715)).mul(SQRT_2_OVER_PI));
    const inner = a2
      .mul(3 * 0.044715)
      .add(1)
      .mul(SQRT_2_OVER_PI);
    return t.ref
      .add(1)
      .mul(0.5)
      .add(a.mul(0.5).mul(np.square(t).neg().add(1)).mul(inner));
  },
  geluExact: (a) => {
    // Φ(a) + a φ(a)
    const cdf = scipySpecial.erf(a.ref.mul(Math.SQRT1_2)).add(1).mul(0.5);
    const pdf = np.exp(np.square(a.ref).mul(-0.5)).mul(1 / Math.sqrt(2 * Math.PI));
    return cdf.add(a.mul(pdf));
  },
};

/**
 * The critic's input gradient at each row of `x: [n, D]` -> `[n, D]` (rows are independent, so this is
 * the per-row gradient of `D`). Forward through the hidden layers keeping the activation derivatives,
 * then back from `∂D/∂h = w_last[:, 0]`; differentiable w.r.t. the weights. Consumes `discriminator` and `x`.
 */
export function mlpInputGradient(discriminator: Mlp, x: Array, act: ActivationName): Array {
  const f = activation(act);
  const fPrime = DERIVATIVE[act];
  const layers = discriminator.layers;
  const nLayers = layers.length;
  const [n, d] = x.shape;
  // 1. forward through the hidden layers, keeping each weight and act'(pre-activation)
  const weights: Array[] = [];
  const derivs: Array[] = [];
  let h = x;
  for (let i = 0; i < nLayers - 1; i++) {
    const { w, b } = layers[i];
    weights.push(w.ref);
    let a = np.matmul(h, w); // [n, width_i]
    if (b !== undefined) a = a.add(b);
    derivs.push(fPrime(a.ref)); // [n, width_i]
    h = f(a);
  }
  h.dispose();
  const last = layers[nLayers - 1];
  last.b?.dispose();
  // 2. backward from ∂D/∂h = w_last[:, 0] to the input
  let delta = last.w.reshape([-1]); // [width_{L-1}]
  for (let i = nLayers - 2; i >= 0; i--) delta = np.matmul(derivs[i].mul(delta), weights[i].transpose()); // [n, width_{i-1}]
  return delta.ndim === 1 ? np.broadcastTo(delta, [n, d]) : delta;
}
