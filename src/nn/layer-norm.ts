// LayerNorm over the last axis: (x − mean) / sqrt(var + eps) · weight + bias (biased variance,
// as in PyTorch and Flax).
import { np, Tensor, TensorLike } from "../index.js";
import type { DType } from "../index.js";
import { Module } from "./module.js";

export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learnable weight (ones) and bias (zeros) (default true). */
  elementwiseAffine?: boolean;
  /** Parameter dtype (default float64). */
  dtype?: DType;
}

export class LayerNorm extends Module {
  readonly dim: number;
  readonly eps: number;
  /** [dim] or null without elementwiseAffine. */
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;

  constructor(dim: number, opts: LayerNormOptions = {}) {
    super();
    if (!Number.isInteger(dim) || dim <= 0) throw new RangeError(`nn.LayerNorm: dim must be a positive integer, got ${dim}`);
    const eps = opts.eps ?? 1e-5;
    if (!(eps >= 0)) throw new RangeError(`nn.LayerNorm: eps must be non-negative, got ${eps}`);
    const dtype = opts.dtype ?? "float64";
    this.dim = dim;
    this.eps = eps;
    const affine = opts.elementwiseAffine ?? true;
    this.weight = affine ? np.ones([dim], { dtype }) : null;
    this.bias = affine ? np.zeros([dim], { dtype }) : null;
  }

  /** x of shape [..., dim] → the same shape, normalised over the last axis. */
  call(x: TensorLike): Tensor {
    const t = np.asarray(x);
    if (t.ndim === 0 || t.shape[t.ndim - 1] !== this.dim) {
      throw new Error(`nn.LayerNorm: input of shape [${t.shape.join(", ")}] must end in dim = ${this.dim}`);
    }
    const centred = t.sub(np.mean(t, -1, { keepdims: true }));
    const variance = np.mean(centred.square(), -1, { keepdims: true });
    let y = centred.mul(np.rsqrt(variance.add(this.eps)));
    if (this.weight !== null) y = y.mul(this.weight);
    if (this.bias !== null) y = y.add(this.bias);
    return y;
  }
}
