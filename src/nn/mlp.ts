// MLP: Linear layers with an activation between them (and optionally after the last).
import { random, Tensor, TensorLike } from "../index.js";
import type { DType } from "../index.js";
import { Module } from "./module.js";
import { Linear } from "./linear.js";
import { ActivationName, get as getActivation } from "./activations.js";
import type { InitName, Initializer } from "./init.js";

export interface MLPOptions {
  /** Activation between layers, by name (default "relu"). */
  activation?: ActivationName;
  /** Activation after the last layer (default none: "identity"). */
  finalActivation?: ActivationName;
  /** Biases in every layer (default true). */
  bias?: boolean;
  /** Weight initialiser for every layer (default "lecun"). */
  init?: InitName | Initializer;
  /** Parameter dtype (default float64). */
  dtype?: DType;
}

export class MLP extends Module {
  /** Layer widths, input first: [64, 128, 128, 1] is three Linear layers. */
  readonly sizes: number[];
  readonly activation: ActivationName;
  readonly finalActivation: ActivationName;
  readonly layers: Linear[];

  constructor(key: Tensor, sizes: readonly number[], opts: MLPOptions = {}) {
    super();
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new RangeError(`nn.MLP: sizes must list the input width and at least one layer width, e.g. [3, 16, 1]; got ${JSON.stringify(sizes)}`);
    }
    this.sizes = [...sizes];
    this.activation = opts.activation ?? "relu";
    this.finalActivation = opts.finalActivation ?? "identity";
    getActivation(this.activation, "nn.MLP (activation)");
    getActivation(this.finalActivation, "nn.MLP (finalActivation)");
    const keys = [...random.split(key, sizes.length - 1)];
    this.layers = keys.map((k, i) => new Linear(k, sizes[i], sizes[i + 1], { bias: opts.bias, init: opts.init, dtype: opts.dtype }));
  }

  /** x of shape [..., sizes[0]] → [..., sizes.at(-1)]. */
  call(x: TensorLike): Tensor {
    const act = getActivation(this.activation);
    const last = this.layers.length - 1;
    let h = x as Tensor;
    this.layers.forEach((layer, i) => {
      h = layer.call(h);
      h = i < last ? act(h) : getActivation(this.finalActivation)(h);
    });
    return h;
  }
}
