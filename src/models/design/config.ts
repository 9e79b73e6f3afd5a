/**
 * Configuration of the perovskite design model (a VAE over ABX3 compositions with a property head,
 * after Gómez-Bombarelli et al. 2018, ACS Cent. Sci. 4:268, Fig. 1): one plain JSON object, stored in
 * checkpoints and checked once at entry. The encoder reads the three one-hot sites, optionally followed
 * by each site's standardised charge and Shannon radius (`ionFeatures`). Because the encoder's first
 * layer is linear, those six numbers add no expressive power; they share parameters between ions of
 * similar charge and radius, an inductive bias that places such ions near each other in the latent space.
 */

import { A_SITE_IONS, B_SITE_IONS, type Ion, X_SITE_IONS } from "../../data/perovskites/index.js";
import { describe, ValueError } from "../../errors.js";

/** Vocabulary sizes of the three sites: A (38), B (78), X (7). */
export const SITE_SIZES = { a: A_SITE_IONS.length, b: B_SITE_IONS.length, x: X_SITE_IONS.length } as const;

/** The three sites, in the order of the encoder's input and the decoder's heads. */
export const SITES = ["a", "b", "x"] as const;

/** Hidden activation of every network (smooth, so that latent gradient ascent sees a smooth landscape). */
export const DESIGN_ACTIVATION = "silu" as const;

/** Architecture of the design model. */
export type DesignConfig = {
  /** latent dimension (default 6) */
  latentDim?: number;
  /** hidden widths of the encoder; the decoder uses them reversed (default [64]) */
  hidden?: number[];
  /** hidden widths of the property head z -> logit (default [32]) */
  propertyHidden?: number[];
  /** append each site's standardised charge and radius to the encoder input (default true) */
  ionFeatures?: boolean;
};

/** A checked config with every default filled in. */
export type ResolvedDesignConfig = Required<DesignConfig>;

/** Defaults of `DesignConfig`. */
export const DEFAULT_DESIGN_CONFIG: ResolvedDesignConfig = {
  latentDim: 6,
  hidden: [64],
  propertyHidden: [32],
  ionFeatures: true,
};

function widths(fn: string, name: string, v: unknown): number[] {
  if (
    !globalThis.Array.isArray(v) ||
    v.length === 0 ||
    v.some((h) => typeof h !== "number" || !Number.isInteger(h) || h < 1)
  )
    throw new ValueError(
      `${fn}: config.${name} must be a non-empty list of positive integers, but got ${describe(v)}`,
    );
  return [...v];
}

/** Check `config` and fill in defaults; a `ValueError` names `fn` and the bad field. */
export function resolveDesignConfig(config: DesignConfig = {}, fn = "design"): ResolvedDesignConfig {
  if (typeof config !== "object" || config === null)
    throw new ValueError(`${fn}: config must be an object, but got ${describe(config)}`);
  const known = Object.keys(DEFAULT_DESIGN_CONFIG);
  const extra = Object.keys(config).filter((k) => !known.includes(k));
  if (extra.length > 0)
    throw new ValueError(
      `${fn}: config has unknown field(s) ${extra.join(", ")}; known: ${known.join(", ")}`,
    );
  const latentDim = config.latentDim ?? DEFAULT_DESIGN_CONFIG.latentDim;
  if (typeof latentDim !== "number" || !Number.isInteger(latentDim) || latentDim < 1)
    throw new ValueError(
      `${fn}: config.latentDim must be a positive integer, but got ${describe(latentDim)}`,
    );
  const ionFeatures = config.ionFeatures ?? DEFAULT_DESIGN_CONFIG.ionFeatures;
  if (typeof ionFeatures !== "boolean")
    throw new ValueError(`${fn}: config.ionFeatures must be true or false, but got ${describe(ionFeatures)}`);
  return {
    latentDim,
    hidden: widths(fn, "hidden", config.hidden ?? DEFAULT_DESIGN_CONFIG.hidden),
    propertyHidden: widths(
      fn,
      "propertyHidden",
      config.propertyHidden ?? DEFAULT_DESIGN_CONFIG.propertyHidden,
    ),
    ionFeatures,
  };
}

/** Width of the encoder input: 38 + 78 + 7 one-hot entries, plus 6 ion features when enabled. */
export function encoderInputDim(ionFeatures: boolean): number {
  return SITE_SIZES.a + SITE_SIZES.b + SITE_SIZES.x + (ionFeatures ? 6 : 0);
}

function standardised(ions: readonly Ion[]): Float32Array {
  // [n, 2]: (charge, radius), each centred and scaled by its standard deviation over the site vocabulary
  const n = ions.length;
  const out = new Float32Array(2 * n);
  const cols: [(i: Ion) => number, number][] = [
    [(i) => i.charge, 0],
    [(i) => i.radius, 1],
  ];
  for (const [get, j] of cols) {
    const v = ions.map(get);
    const mean = v.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
    for (let i = 0; i < n; i++) out[2 * i + j] = sd > 0 ? (v[i] - mean) / sd : 0;
  }
  return out;
}

let tables: Record<(typeof SITES)[number], Float32Array> | undefined;

/** Standardised (charge, radius) of every ion of each site, `[siteSize * 2]` row-major (`[siteSize, 2]`). */
export function ionFeatureTables(): Record<(typeof SITES)[number], Float32Array> {
  tables ??= {
    a: standardised(A_SITE_IONS),
    b: standardised(B_SITE_IONS),
    x: standardised(X_SITE_IONS),
  };
  return tables;
}
