// Tensor-product layers as modules: TensorProduct (every allowed path, a learned weight per path and
// channel) and TensorDense (E3x's: two equivariant Dense layers feeding a TensorProduct, so the
// product mixes channels as well as degrees).
import { np, random, Tensor } from "../index.js";
import type { DType } from "../index.js";
import { Module } from "../nn/module.js";
import { IrrepsSpec, couplingPaths } from "./coupling.js";
import { Dense } from "./dense.js";
import { layoutOf } from "./irreps.js";
import { outputSpec, tensorProduct } from "./tensor-product.js";

export interface TensorProductLayerOptions {
  features: number;
  in1: IrrepsSpec;
  in2: IrrepsSpec;
  /** Output layout (default: outputSpec(in1, in2)). */
  out?: Partial<IrrepsSpec>;
  dtype?: DType;
}

export class TensorProduct extends Module {
  readonly features: number;
  readonly in1: number[];
  readonly in2: number[];
  readonly out: number[];
  /** [nPaths, features]; each path's weights are N(0, 1/k) with k the paths into its output irrep. */
  readonly weight: Tensor;

  constructor(key: Tensor, opts: TensorProductLayerOptions) {
    super();
    const out = outputSpec(opts.in1, opts.in2, opts.out ?? {});
    const paths = couplingPaths(opts.in1, opts.in2, out);
    if (paths.length === 0) throw new Error(`e3.TensorProduct: no coupling paths from (P ${opts.in1.parity}, L ${opts.in1.maxDegree}) ⊗ (P ${opts.in2.parity}, L ${opts.in2.maxDegree}) into (P ${out.parity}, L ${out.maxDegree})`);
    this.features = opts.features;
    this.in1 = [opts.in1.parity, opts.in1.maxDegree];
    this.in2 = [opts.in2.parity, opts.in2.maxDegree];
    this.out = [out.parity, out.maxDegree];
    const fanIn = new Map<string, number>();
    for (const p of paths) fanIn.set(`${p.slot3},${p.l3}`, (fanIn.get(`${p.slot3},${p.l3}`) ?? 0) + 1);
    const scale = paths.map((p) => 1 / Math.sqrt(fanIn.get(`${p.slot3},${p.l3}`)!));
    const dtype = opts.dtype ?? "float64";
    const z = random.normal(key, [paths.length, opts.features], { dtype });
    this.weight = z.mul(np.array(scale, { dtype }).reshape([-1, 1]));
  }

  /** x1 [..., P1, Q1, F] ⊗ x2 [..., P2, Q2, F or 1] → [..., P3, Q3, F]. */
  call(x1: Tensor, x2: Tensor): Tensor {
    const a = layoutOf(x1, "e3.TensorProduct (x1)"), b = layoutOf(x2, "e3.TensorProduct (x2)");
    if (a.parity !== this.in1[0] || a.maxDegree !== this.in1[1] || b.parity !== this.in2[0] || b.maxDegree !== this.in2[1]) {
      throw new Error(`e3.TensorProduct: inputs [${x1.shape.join(", ")}] and [${x2.shape.join(", ")}] do not match the layer's layouts (P, L) = (${this.in1.join(", ")}) and (${this.in2.join(", ")})`);
    }
    return tensorProduct(x1, x2, { weights: this.weight, parity: this.out[0] as 1 | 2, maxDegree: this.out[1] });
  }
}

export interface TensorDenseOptions {
  inFeatures: number;
  outFeatures: number;
  /** Input layout. */
  in: IrrepsSpec;
  /** Output layout (default: the input's). */
  out?: Partial<IrrepsSpec>;
  dtype?: DType;
}

/** y = TensorProduct(Dense₁(x), Dense₂(x)): a learned bilinear, equivariant map of x onto itself. */
export class TensorDense extends Module {
  readonly left: Dense;
  readonly right: Dense;
  readonly product: TensorProduct;

  constructor(key: Tensor, opts: TensorDenseOptions) {
    super();
    const [k1, k2, k3] = random.split(key, 3);
    const d = { inFeatures: opts.inFeatures, outFeatures: opts.outFeatures, maxDegree: opts.in.maxDegree, parity: opts.in.parity, dtype: opts.dtype };
    this.left = new Dense(k1, d);
    this.right = new Dense(k2, d);
    const out = { parity: opts.out?.parity ?? opts.in.parity, maxDegree: opts.out?.maxDegree ?? opts.in.maxDegree };
    this.product = new TensorProduct(k3, { features: opts.outFeatures, in1: opts.in, in2: opts.in, out, dtype: opts.dtype });
  }

  /** x [..., P, Q, inFeatures] → [..., P', Q', outFeatures]. */
  call(x: Tensor): Tensor {
    return this.product.call(this.left.call(x), this.right.call(x));
  }
}
