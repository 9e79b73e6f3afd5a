/**
 * Latent interpolation between two observations: encode both to their latent means, walk a straight
 * line or a great-circle arc (slerp, Shoemake 1985; recommended for Gaussian latents by White 2016,
 * "Sampling Generative Networks", sec. 2.1) between them, and decode each point to the mean of
 * p(x | z). The path is computed in float64 on the host, so its endpoints are exactly the two latent
 * means; count models use the library size interpolated linearly between the two observed ones.
 */
import { describe, ValueError } from "../../errors.js";
import { type Array, np, tree } from "../../jax.js";
import { checkX, guard, positiveInt } from "./checks.js";
import {
  isCountLikelihood,
  type ResolvedVaeConfig,
  resolveVaeConfig,
  type VaeConfig,
  vaeDtype,
} from "./config.js";
import { type DecoderAux, decodeMeanTerms, runDecoder, runEncoder } from "./encode-decode.js";
import type { VaeParams } from "./params.js";

/** Options of `interpolate`: `spherical` (slerp, default false: linear); `label` for conditional models. */
export type InterpolateOptions = { config: VaeConfig; spherical?: boolean; label?: number };

/** The path: latent points `[steps, L]` and their decoded means `[steps, D]`. */
export type Interpolation = { latent: Array; decoded: Array };

/**
 * `steps` points from `za` to `zb` (both included): `(1-t) za + t zb`, or with `spherical` the slerp
 * `sin((1-t)Ω)/sin Ω · za + sin(tΩ)/sin Ω · zb`, Ω the angle between them (linear when Ω ≈ 0 or π,
 * where the arc is undefined). Slerp keeps `|z|` constant when `|za| = |zb|`.
 */
export function latentPath(
  za: ArrayLike<number>,
  zb: ArrayLike<number>,
  steps: number,
  opts: { spherical?: boolean } = {},
): number[][] {
  positiveInt("latentPath", "steps", steps);
  if (za.length !== zb.length)
    throw new ValueError(
      `latentPath: za and zb must have the same length, but got ${za.length} and ${zb.length}`,
    );
  const L = za.length;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < L; i++) {
    dot += za[i] * zb[i];
    na += za[i] * za[i];
    nb += zb[i] * zb[i];
  }
  const cos = na > 0 && nb > 0 ? Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb))) : 1;
  const omega = Math.acos(cos);
  const arc = opts.spherical === true && Math.sin(omega) > 1e-7;
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    const t = steps === 1 ? 0 : s / (steps - 1);
    const [a, b] = arc
      ? [Math.sin((1 - t) * omega) / Math.sin(omega), Math.sin(t * omega) / Math.sin(omega)]
      : [1 - t, t];
    const row = new globalThis.Array<number>(L);
    for (let i = 0; i < L; i++) row[i] = t === 0 ? za[i] : t === 1 ? zb[i] : a * za[i] + b * zb[i];
    out.push(row);
  }
  return out;
}

function checkRow(fn: string, name: string, x: unknown, cfg: ResolvedVaeConfig): void {
  const D = cfg.inputDim;
  const ok =
    x instanceof np.Array &&
    ((x.ndim === 1 && x.shape[0] === D) || (x.ndim === 2 && x.shape[0] === 1 && x.shape[1] === D));
  if (!ok)
    throw new ValueError(
      `${fn}: ${name} must have shape [${D}] or [1, ${D}], but got ${x instanceof np.Array ? `[${x.shape.join(", ")}]` : describe(x)}`,
    );
}

/**
 * Interpolate between observations `xa`, `xb` (`[D]` or `[1, D]`) through their latent means, `steps`
 * points including both ends; consumes `params`, `xa` and `xb`. Endpoints decode to `reconstruct(x)`.
 */
export function interpolate(
  params: VaeParams,
  xa: Array,
  xb: Array,
  steps: number,
  opts: InterpolateOptions,
): Interpolation {
  // 1. checks, then both rows as one batch [2, D]
  const cfg = guard([params, xa, xb], () => {
    const cfg = resolveVaeConfig(opts?.config, "interpolate");
    positiveInt("interpolate", "steps", steps);
    if (cfg.nLabels > 0) {
      const l = opts.label;
      if (typeof l !== "number" || !Number.isInteger(l) || l < 0 || l >= cfg.nLabels)
        throw new ValueError(
          `interpolate: label must be an integer in [0, ${cfg.nLabels - 1}] for a conditional model, but got ${describe(l)}`,
        );
    } else if (opts.label !== undefined)
      throw new ValueError(
        "interpolate: label must be omitted for an unconditional model (config.nLabels = 0)",
      );
    checkRow("interpolate", "xa", xa, cfg);
    checkRow("interpolate", "xb", xb, cfg);
    return cfg;
  });
  const D = cfg.inputDim;
  const x = np.concatenate([xa.reshape([1, D]), xb.reshape([1, D])], 0).astype(vaeDtype(cfg)); // [2, D]
  guard([params, x], () => checkX("interpolate", "xa and xb", x, cfg));
  const dt = vaeDtype(cfg);
  const label = (n: number) => np.full([n], opts.label ?? 0, { dtype: np.int32 });
  // 2. latent means of both ends, read to the host
  const encIn = cfg.nLabels > 0 ? { x: x.ref, labels: label(2) } : { x: x.ref };
  const q = runEncoder(cfg, tree.ref(params), encIn);
  q.variance.dispose();
  const means = q.mean.dataSync() as ArrayLike<number>;
  const L = cfg.latentDim;
  const za = globalThis.Array.from({ length: L }, (_, i) => means[i]);
  const zb = globalThis.Array.from({ length: L }, (_, i) => means[L + i]);
  const path = latentPath(za, zb, steps, { spherical: opts.spherical });
  // 3. decode each point (library interpolated linearly between the observed ones)
  const aux: DecoderAux = {};
  if (cfg.nLabels > 0) aux.labels = label(steps);
  if (isCountLikelihood(cfg.likelihood)) {
    const lib = x.ref.sum(-1).dataSync() as ArrayLike<number>;
    const ts = path.map((_, s) => (steps === 1 ? 0 : s / (steps - 1)));
    const col = ts.map((t) => (t === 0 ? lib[0] : t === 1 ? lib[1] : (1 - t) * lib[0] + t * lib[1]));
    aux.library = np.array(col, { dtype: dt }).reshape([steps, 1]);
  }
  x.dispose();
  const latent = np.array(path.flat(), { dtype: dt }).reshape([steps, L]);
  const decoded = runDecoder("decodeMean", cfg, decodeMeanTerms, params, latent.ref, aux);
  return { latent, decoded };
}
