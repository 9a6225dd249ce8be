// Linear (also exported as Dense): y = x · W + b, with W of shape [inFeatures, outFeatures]
// (the Flax/JAX layout, so no transpose) and b of shape [outFeatures].
import { np, random, Tensor, TensorLike } from "../index.js";
import type { DType } from "../index.js";
import { Module } from "./module.js";
import { InitName, Initializer, resolve, zeros } from "./init.js";

export interface LinearOptions {
  /** Add a bias (default true). */
  bias?: boolean;
  /** Weight initialiser: "lecun" (default, normal with variance 1/in), "glorot" (uniform), "he" (normal, variance 2/in), "zeros", or a function. */
  init?: InitName | Initializer;
  /** Bias initialiser (default "zeros"). */
  biasInit?: InitName | Initializer;
  /** Parameter dtype (default float64). */
  dtype?: DType;
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly dtype: DType;
  /** [inFeatures, outFeatures]. */
  readonly weight: Tensor;
  /** [outFeatures], or null with { bias: false }. */
  readonly bias: Tensor | null;

  constructor(key: Tensor, inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    for (const [name, n] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`nn.Linear: ${name} must be a positive integer, got ${n}`);
    }
    const dtype = opts.dtype ?? "float64";
    const [wKey, bKey] = random.split(key);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.dtype = dtype;
    this.weight = resolve(opts.init ?? "lecun", "nn.Linear")(wKey, [inFeatures, outFeatures], { dtype });
    this.bias = opts.bias === false ? null : resolve(opts.biasInit ?? zeros, "nn.Linear")(bKey, [outFeatures], { dtype });
  }

  /** x of shape [..., inFeatures] → [..., outFeatures]. */
  call(x: TensorLike): Tensor {
    const t = np.asarray(x);
    if (t.ndim === 0 || t.shape[t.ndim - 1] !== this.inFeatures) {
      throw new Error(`nn.Linear: input of shape [${t.shape.join(", ")}] must end in inFeatures = ${this.inFeatures}`);
    }
    const y = t.matmul(this.weight);
    return this.bias === null ? y : y.add(this.bias);
  }
}

/** Flax's name for Linear. */
export const Dense = Linear;
