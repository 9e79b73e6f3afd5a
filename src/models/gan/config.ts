/**
 * The GAN's configuration: one plain JSON object (stored in checkpoints), checked once at entry.
 * Two objectives: the non-saturating GAN of Goodfellow et al. 2014 (sec. 3, the `log D(G(z))` generator
 * loss) and the Wasserstein GAN with gradient penalty of Gulrajani et al. 2017 (Algorithm 1). Defaults
 * follow the papers' reference code: WGAN-GP takes λ = 10, five critic updates per generator update and
 * Adam(lr 1e-4, β = (0.5, 0.9)) (`gan_toy.py`); the non-saturating GAN one discriminator update and
 * Adam(lr 2e-4, β = (0.5, 0.999)) (Radford et al. 2016, sec. 4).
 */
import { describe, ValueError } from "../../errors.js";
import { ACTIVATION_NAMES, type ActivationName } from "../../nn/activations.js";

/** The adversarial objective: "non-saturating" (Goodfellow et al. 2014) or "wgan-gp" (Gulrajani et al. 2017). */
export type GanLossName = "non-saturating" | "wgan-gp";

/** The objective names, for validating user input. */
export const GAN_LOSS_NAMES: readonly GanLossName[] = ["non-saturating", "wgan-gp"];

/** Adam settings of one network (PyTorch names: `lr`, `betas = (b1, b2)`, `eps`). */
export type GanAdamConfig = { lr?: number; b1?: number; b2?: number; eps?: number };

/** GAN configuration (sizes are positive integers; hidden lists may be empty for affine maps). */
export type GanConfig = {
  /** dimension D of an observation `x: [D]` */
  dataDim: number;
  /** dimension L of the latent `z ~ N(0, I_L)` */
  latentDim: number;
  /** hidden widths of the generator `[L] -> ... -> [D]` (default [128, 128]) */
  generatorHidden?: number[];
  /** hidden widths of the discriminator/critic `[D] -> ... -> [1]` (default [128, 128]) */
  discriminatorHidden?: number[];
  /** hidden activation of both networks (default "leakyRelu", slope 0.01) */
  activation?: ActivationName;
  /** the objective (default "non-saturating") */
  loss?: GanLossName;
  /** gradient-penalty weight λ of WGAN-GP (default 10; ignored by "non-saturating") */
  gpWeight?: number;
  /** discriminator updates per generator update (default 1 for "non-saturating", 5 for "wgan-gp") */
  discriminatorSteps?: number;
  /** Adam of the generator (defaults by loss, see the module comment) */
  generatorAdam?: GanAdamConfig;
  /** Adam of the discriminator (same defaults as the generator's) */
  discriminatorAdam?: GanAdamConfig;
};

/** A checked config with every default filled in. */
export type ResolvedGanConfig = {
  dataDim: number;
  latentDim: number;
  generatorHidden: number[];
  discriminatorHidden: number[];
  activation: ActivationName;
  loss: GanLossName;
  gpWeight: number;
  discriminatorSteps: number;
  generatorAdam: Required<GanAdamConfig>;
  discriminatorAdam: Required<GanAdamConfig>;
};

/** Default Adam settings for each objective (see the module comment for the sources). */
export const GAN_ADAM_DEFAULTS: Record<GanLossName, Required<GanAdamConfig>> = {
  "non-saturating": { lr: 2e-4, b1: 0.5, b2: 0.999, eps: 1e-8 },
  "wgan-gp": { lr: 1e-4, b1: 0.5, b2: 0.9, eps: 1e-8 },
};

function positiveInt(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
    throw new ValueError(`${fn}: config.${name} must be a positive integer, but got ${describe(v)}`);
  return v;
}

function widths(fn: string, name: string, v: unknown): number[] {
  if (!globalThis.Array.isArray(v) || v.some((h) => typeof h !== "number" || !Number.isInteger(h) || h < 1))
    throw new ValueError(`${fn}: config.${name} must be a list of positive integers, but got ${describe(v)}`);
  return [...v];
}

function adamConfig(fn: string, name: string, v: unknown, loss: GanLossName): Required<GanAdamConfig> {
  const d = GAN_ADAM_DEFAULTS[loss];
  if (v === undefined) return { ...d };
  if (typeof v !== "object" || v === null || globalThis.Array.isArray(v))
    throw new ValueError(`${fn}: config.${name} must be an object {lr, b1, b2, eps}, but got ${describe(v)}`);
  const o = v as GanAdamConfig;
  const out = { lr: o.lr ?? d.lr, b1: o.b1 ?? d.b1, b2: o.b2 ?? d.b2, eps: o.eps ?? d.eps };
  const bad = (field: string, range: string, x: unknown) =>
    new ValueError(`${fn}: config.${name}.${field} must be a number in ${range}, but got ${describe(x)}`);
  if (typeof out.lr !== "number" || !(out.lr > 0) || !Number.isFinite(out.lr))
    throw bad("lr", "(0, inf)", out.lr);
  if (typeof out.b1 !== "number" || !(out.b1 >= 0 && out.b1 < 1)) throw bad("b1", "[0, 1)", out.b1);
  if (typeof out.b2 !== "number" || !(out.b2 >= 0 && out.b2 < 1)) throw bad("b2", "[0, 1)", out.b2);
  if (typeof out.eps !== "number" || !(out.eps >= 0) || !Number.isFinite(out.eps))
    throw bad("eps", "[0, inf)", out.eps);
  return out;
}

/** Check `config` and fill in defaults; throws `ValueError` naming `fn` and the bad field. */
export function resolveGanConfig(config: GanConfig, fn = "gan"): ResolvedGanConfig {
  if (typeof config !== "object" || config === null || globalThis.Array.isArray(config))
    throw new ValueError(`${fn}: config must be an object, but got ${describe(config)}`);
  const dataDim = positiveInt(fn, "dataDim", config.dataDim);
  const latentDim = positiveInt(fn, "latentDim", config.latentDim);
  const generatorHidden = widths(fn, "generatorHidden", config.generatorHidden ?? [128, 128]);
  const discriminatorHidden = widths(fn, "discriminatorHidden", config.discriminatorHidden ?? [128, 128]);
  const activation = config.activation ?? "leakyRelu";
  if (!ACTIVATION_NAMES.includes(activation))
    throw new ValueError(
      `${fn}: config.activation must be one of ${ACTIVATION_NAMES.join(", ")}, but got ${describe(activation)}`,
    );
  const loss = config.loss ?? "non-saturating";
  if (!GAN_LOSS_NAMES.includes(loss))
    throw new ValueError(
      `${fn}: config.loss must be one of ${GAN_LOSS_NAMES.join(", ")}, but got ${describe(loss)}`,
    );
  const gpWeight = config.gpWeight ?? 10;
  if (typeof gpWeight !== "number" || !(gpWeight >= 0) || !Number.isFinite(gpWeight))
    throw new ValueError(
      `${fn}: config.gpWeight must be a finite number >= 0, but got ${describe(gpWeight)}`,
    );
  const discriminatorSteps = positiveInt(
    fn,
    "discriminatorSteps",
    config.discriminatorSteps ?? (loss === "wgan-gp" ? 5 : 1),
  );
  return {
    dataDim,
    latentDim,
    generatorHidden,
    discriminatorHidden,
    activation,
    loss,
    gpWeight,
    discriminatorSteps,
    generatorAdam: adamConfig(fn, "generatorAdam", config.generatorAdam, loss),
    discriminatorAdam: adamConfig(fn, "discriminatorAdam", config.discriminatorAdam, loss),
  };
}
