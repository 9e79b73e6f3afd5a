/**
 * The transformer's configuration: one plain JSON object (it is stored in checkpoints), checked once at
 * entry. `maskKind` chooses the attention mask the model uses by default: "causal" for a left-to-right
 * language model (GPT-2, Radford et al. 2019), "bidirectional" for a masked / encoder model (BERT,
 * Devlin et al. 2019); `apply` also accepts an explicit mask. Reference: nanoGPT `GPTConfig`.
 */
import { describe, ValueError } from "../../errors.js";
import { type DType, np } from "../../jax.js";

/** Which positions a query may attend to when no explicit mask is given. */
export type MaskKind = "causal" | "bidirectional";

/** Transformer configuration (all sizes are positive integers). */
export type TransformerConfig = {
  /** number of token ids V (ids are `0 .. V-1`) */
  vocabSize: number;
  /** longest input T the position table covers */
  contextLength: number;
  nLayers: number;
  /** residual width D, a multiple of `nHeads` */
  dModel: number;
  nHeads: number;
  /** hidden width of each block's MLP (default `4 * dModel`) */
  dMlp?: number;
  /** dropout rate in `[0, 1)` on embeddings, attention weights and residual branches (training only) */
  dropout: number;
  /** output head shares the token embedding table (`logits = h @ E^T`; Press & Wolf 2017) */
  tieWeights: boolean;
  maskKind: MaskKind;
  /** parameter dtype (default "float32"; "float64" for gradient checks) */
  dtype?: "float32" | "float64";
};

/** A checked config with every default filled in. */
export type ResolvedConfig = Required<TransformerConfig>;

const INT_FIELDS = ["vocabSize", "contextLength", "nLayers", "dModel", "nHeads"] as const;

/** Check `config` and fill in defaults; throws `ValueError` naming `fn` and the bad field. */
export function resolveConfig(config: TransformerConfig, fn = "transformer"): ResolvedConfig {
  if (typeof config !== "object" || config === null)
    throw new ValueError(`${fn}: config must be an object, but got ${describe(config)}`);
  for (const name of INT_FIELDS) {
    const v = config[name];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
      throw new ValueError(`${fn}: config.${name} must be a positive integer, but got ${describe(v)}`);
  }
  if (config.dModel % config.nHeads !== 0)
    throw new ValueError(
      `${fn}: config.dModel must be a multiple of config.nHeads (${config.nHeads}), but got ${config.dModel}`,
    );
  const dMlp = config.dMlp ?? 4 * config.dModel;
  if (typeof dMlp !== "number" || !Number.isInteger(dMlp) || dMlp < 1)
    throw new ValueError(`${fn}: config.dMlp must be a positive integer, but got ${describe(dMlp)}`);
  const { dropout } = config;
  if (typeof dropout !== "number" || !(dropout >= 0 && dropout < 1))
    throw new ValueError(`${fn}: config.dropout must be a number in [0, 1), but got ${describe(dropout)}`);
  if (typeof config.tieWeights !== "boolean")
    throw new ValueError(
      `${fn}: config.tieWeights must be true or false, but got ${describe(config.tieWeights)}`,
    );
  if (config.maskKind !== "causal" && config.maskKind !== "bidirectional")
    throw new ValueError(
      `${fn}: config.maskKind must be "causal" or "bidirectional", but got ${describe(config.maskKind)}`,
    );
  const dtype = config.dtype ?? "float32";
  if (dtype !== "float32" && dtype !== "float64")
    throw new ValueError(`${fn}: config.dtype must be "float32" or "float64", but got ${describe(dtype)}`);
  return {
    vocabSize: config.vocabSize,
    contextLength: config.contextLength,
    nLayers: config.nLayers,
    dModel: config.dModel,
    nHeads: config.nHeads,
    dMlp,
    dropout,
    tieWeights: config.tieWeights,
    maskKind: config.maskKind,
    dtype,
  };
}

/** The jax-js dtype of a config's params. */
export function paramDtype(config: ResolvedConfig): DType {
  return config.dtype === "float64" ? np.float64 : np.float32;
}
