// Equivariant Dense: a linear map over channels with one weight matrix per (parity slot, degree),
// shared by the 2l+1 rows of each irrep — so it commutes with every D(R). A bias only on the even
// scalars (slot 0, l = 0), the only rows a constant may be added to without breaking equivariance.
import { np, random, Tensor } from "../index.js";
import type { DType } from "../index.js";
import { Module } from "../nn/module.js";
import { layoutOf } from "./irreps.js";

export interface EquivariantDenseOptions {
  inFeatures: number;
  outFeatures: number;
  maxDegree: number;
  /** Parity slots P of input and output (default 1). */
  parity?: 1 | 2;
  /** Bias on the even scalars (default true). */
  bias?: boolean;
  dtype?: DType;
}

export class Dense extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly maxDegree: number;
  readonly parity: 1 | 2;
  /** [P, L+1, inFeatures, outFeatures], LeCun-normal (variance 1/inFeatures). */
  readonly weight: Tensor;
  /** [outFeatures] or null. */
  readonly bias: Tensor | null;

  constructor(key: Tensor, opts: EquivariantDenseOptions) {
    super();
    const { inFeatures, outFeatures, maxDegree } = opts;
    for (const [name, n] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`e3.Dense: ${name} must be a positive integer, got ${n}`);
    }
    if (!Number.isInteger(maxDegree) || maxDegree < 0 || maxDegree > 8) throw new RangeError(`e3.Dense: maxDegree must be an integer in 0..8, got ${maxDegree}`);
    const dtype = opts.dtype ?? "float64";
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.maxDegree = maxDegree;
    this.parity = opts.parity ?? 1;
    this.weight = random.normal(key, [this.parity, maxDegree + 1, inFeatures, outFeatures], { dtype }).mul(1 / Math.sqrt(inFeatures));
    this.bias = opts.bias === false ? null : np.zeros([outFeatures], { dtype });
  }

  /** x [..., P, (L+1)², inFeatures] → [..., P, (L+1)², outFeatures]. */
  call(x: Tensor): Tensor {
    const lay = layoutOf(x, "e3.Dense");
    if (lay.parity !== this.parity || lay.maxDegree !== this.maxDegree || lay.features !== this.inFeatures) {
      throw new Error(`e3.Dense: input of shape [${x.shape.join(", ")}] does not match the layer (P = ${this.parity}, (L+1)² = ${(this.maxDegree + 1) ** 2}, inFeatures = ${this.inFeatures})`);
    }
    const slots: Tensor[] = [];
    for (let p = 0; p < this.parity; p++) {
      const blocks: Tensor[] = [];
      for (let l = 0; l <= this.maxDegree; l++) {
        const xs = x.slice("...", p, [l * l, (l + 1) * (l + 1)], []);                 // [..., 2l+1, Fin]
        let y = xs.matmul(this.weight.slice(p, l));                                     // [..., 2l+1, Fout]
        if (p === 0 && l === 0 && this.bias) y = y.add(this.bias);
        blocks.push(y);
      }
      slots.push(blocks.length === 1 ? blocks[0] : np.concatenate(blocks, -2));
    }
    return np.stack(slots, -3);
  }
}

/** The design's name for the equivariant Dense. */
export const EquivariantDense = Dense;
