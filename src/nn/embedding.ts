/**
 * Embedding table: integer ids `[...]` to vectors `[..., dim]`. Implemented as `oneHot(ids) @ table`
 * because the gradient of a gather (a scatter) does not compile under `jit` in jax-js 0.1.25; fine for
 * the small vocabularies used here (characters, residues, n-gram tokens). Reference: PyTorch
 * `nn.Embedding` (same default init `N(0, 1)`).
 */
import { describe, ValueError } from "../errors.js";
import { type Array, type DType, nn, np, random } from "../jax.js";

/** Params of an embedding: `table: [vocabSize, dim]`. */
export type Embedding = { table: Array };

/** Options for `embeddingInit`: `std` of the normal init (default 1, as PyTorch), dtype. */
export type EmbeddingInitOptions = { std?: number; dtype?: DType };

/** Initialise an embedding table `[vocabSize, dim]` with entries `N(0, std^2)`. */
export function embeddingInit(
  key: Array,
  vocabSize: number,
  dim: number,
  opts: EmbeddingInitOptions = {},
): Embedding {
  for (const [name, v] of [
    ["vocabSize", vocabSize],
    ["dim", dim],
  ] as const)
    if (!Number.isInteger(v) || v < 1) {
      key.dispose();
      throw new ValueError(`embeddingInit: ${name} must be a positive integer, but got ${describe(v)}`);
    }
  const std = opts.std ?? 1;
  let table = random.normal(key, [vocabSize, dim]).mul(std);
  if (opts.dtype !== undefined && opts.dtype !== np.float32) table = table.astype(opts.dtype);
  return { table };
}

/** Look up ids (int32 `[...]`, values in `[0, vocabSize)`) -> `[..., dim]`. Consumes `p` and `ids`. */
export function embeddingApply(p: Embedding, ids: Array): Array {
  if (ids.dtype !== np.int32 && ids.dtype !== np.uint32)
    throw new ValueError(`embeddingApply: ids must be an int32 array, but got dtype ${ids.dtype}`);
  const [vocabSize] = p.table.shape;
  const oneHot = nn.oneHot(ids, vocabSize).astype(p.table.dtype); // [..., vocab]
  return np.matmul(oneHot, p.table); // [..., dim]
}
