/**
 * VAE (src/models/vae): the gradient of the training loss (negative β-ELBO, as `trainVae` builds it) is
 * the same eagerly and under `jit`, for every likelihood (their log-densities come from
 * src/distributions) and for a conditional model (one-hot labels concatenated to both networks' inputs).
 */
import { test } from "node:test";
import { type Array, lax, np, random } from "../../src/jax.js";
import {
  elboTerms,
  LIKELIHOOD_NAMES,
  resolveVaeConfig,
  type VaeBatch,
  type VaeConfig,
  vaeInit,
} from "../../src/models/vae/index.js";
import { assertJitGradMatchesEager } from "./helpers.js";

const B = 6;
const D = 5;

/** Data suited to the likelihood: counts, 0/1, or real values. */
function data(likelihood: string): Array {
  const u = random.uniform(random.key(11), [B, D]);
  if (likelihood === "bernoulli") return u.greater(0.5).astype(np.float32);
  if (likelihood === "gaussian") return u.mul(4).sub(2);
  return np.floor(u.mul(6)); // counts 0..5, some zeros
}

const cases: [string, VaeConfig][] = [
  ...LIKELIHOOD_NAMES.map((likelihood): [string, VaeConfig] => [
    likelihood,
    { inputDim: D, latentDim: 2, hidden: [4], likelihood, activation: "tanh" },
  ]),
  [
    "zinb, conditional on 3 labels, 2 samples",
    { inputDim: D, latentDim: 2, hidden: [4], likelihood: "zinb", nLabels: 3 },
  ],
];

for (const [name, config] of cases)
  test(`vae (${name}): jit(grad(-ELBO)) equals grad(-ELBO)`, () => {
    const cfg = resolveVaeConfig(config);
    const nSamples = cfg.nLabels > 0 ? 2 : 1;
    const loss = (model: ReturnType<typeof vaeInit>, key: Array, batch: VaeBatch, beta: Array) =>
      elboTerms(cfg, model, key, batch, lax.stopGradient(beta), nSamples).elbo.mean().neg();
    const batch = (): VaeBatch => {
      const x = data(cfg.likelihood);
      if (cfg.nLabels === 0) return { x };
      return { x, labels: np.array([0, 1, 2, 0, 1, 2], { dtype: np.int32 }) };
    };
    const params = () => {
      const p = vaeInit(random.key(1), config);
      if (p.library !== undefined) {
        p.library.logMean.dispose();
        p.library.logVar.dispose();
      }
      return { encoder: p.encoder, decoder: p.decoder };
    };
    assertJitGradMatchesEager("vae loss", loss, params, () => [random.key(2), batch(), np.array(0.7)]);
  });
