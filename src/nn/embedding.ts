// Embedding: a lookup table of `numEmbeddings` vectors of length `embeddingDim` (e.g. one per
// chemical element), gathered with np.take so gradients scatter-add back into the rows used.
import { np, Tensor, TensorLike } from "../index.js";
import type { DType } from "../index.js";
import { Module } from "./module.js";
import { InitName, Initializer, resolve } from "./init.js";

export interface EmbeddingOptions {
  /** Initialiser of the table (default "normal": standard normal, as in PyTorch). */
  init?: InitName | Initializer;
  /** Parameter dtype (default float64). */
  dtype?: DType;
}

export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** [numEmbeddings, embeddingDim]. */
  readonly weight: Tensor;

  constructor(key: Tensor, numEmbeddings: number, embeddingDim: number, opts: EmbeddingOptions = {}) {
    super();
    for (const [name, n] of [["numEmbeddings", numEmbeddings], ["embeddingDim", embeddingDim]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`nn.Embedding: ${name} must be a positive integer, got ${n}`);
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.weight = resolve(opts.init ?? "normal", "nn.Embedding")(key, [numEmbeddings, embeddingDim], { dtype: opts.dtype ?? "float64" });
  }

  /** int32 indices of any shape [...] → [..., embeddingDim]. */
  call(indices: TensorLike): Tensor {
    const idx = typeof indices === "number" || Array.isArray(indices) ? np.array(indices as number[], { dtype: "int32" }) : indices;
    return np.take(this.weight, idx, 0);
  }
}
