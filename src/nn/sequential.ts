// Sequential: modules applied in order; activations may be given by name between them.
import { Tensor, TensorLike } from "../index.js";
import { Module } from "./module.js";
import { ActivationName, get as getActivation } from "./activations.js";

/** An activation as a module (no parameters; the name is static): `new Activation("silu")`. */
export class Activation extends Module {
  readonly name: ActivationName;
  constructor(name: ActivationName) {
    super();
    getActivation(name, "nn.Activation");
    this.name = name;
  }
  call(x: TensorLike): Tensor {
    return getActivation(this.name)(x);
  }
}

export class Sequential extends Module {
  readonly layers: Module[];

  /** `new Sequential([new Linear(k1, 3, 16), "silu", new Linear(k2, 16, 1)])`. */
  constructor(layers: readonly (Module | ActivationName)[]) {
    super();
    if (!Array.isArray(layers)) throw new TypeError("nn.Sequential: expected an array of modules (and activation names)");
    this.layers = layers.map((l, i) => {
      if (typeof l === "string") return new Activation(l as ActivationName);
      if (l instanceof Module) return l;
      throw new TypeError(`nn.Sequential: layer ${i} is ${typeof l === "function" ? "a function" : typeof l}; expected a Module or an activation name (wrap functions in a Module)`);
    });
  }

  call(x: TensorLike): unknown {
    let h: unknown = x;
    for (const layer of this.layers) h = layer.call(h);
    return h;
  }
}
