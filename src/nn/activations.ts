// Activation functions, elementwise, for any float tensor (they keep its dtype). Each is smooth
// where its formula is, and written so large |x| neither overflows nor loses the answer.
import { np, Tensor, TensorLike } from "../index.js";

const LN2 = Math.LN2;

/** max(x, 0). */
export function relu(x: TensorLike): Tensor {
  return np.maximum(x, 0);
}

/** 1 / (1 + e⁻ˣ), computed as (1 + tanh(x/2)) / 2 (no overflow for large |x|). */
export function sigmoid(x: TensorLike): Tensor {
  return np.tanh(np.multiply(x, 0.5)).add(1).mul(0.5);
}

/** x · sigmoid(x) (also called swish). */
export function silu(x: TensorLike): Tensor {
  return np.multiply(x, sigmoid(x));
}

/** tanh(x). */
export function tanh(x: TensorLike): Tensor {
  return np.tanh(x);
}

/** ln(1 + eˣ), stably (logaddexp(x, 0): no overflow for large x, no cancellation for very negative x). */
export function softplus(x: TensorLike): Tensor {
  return np.logaddexp(x, 0);
}

/** softplus(x) − ln 2, so that it is 0 at 0 (SchNet's activation). */
export function shiftedSoftplus(x: TensorLike): Tensor {
  return softplus(x).sub(LN2);
}

export interface GeluOptions {
  /** Use the tanh approximation (JAX's default, PyTorch's approximate="tanh"); default false: exact, with erf (PyTorch's default). */
  approximate?: boolean;
}

/** x · Φ(x): exact `x/2 · (1 + erf(x/√2))`, or with { approximate: true } `x/2 · (1 + tanh(√(2/π)(x + 0.044715x³)))`. */
export function gelu(x: TensorLike, opts: GeluOptions = {}): Tensor {
  const t = np.asarray(x);
  if (opts.approximate) {
    const inner = t.add(t.mul(t).mul(t).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return t.mul(0.5).mul(np.tanh(inner).add(1));
  }
  return t.mul(0.5).mul(np.erf(t.mul(Math.SQRT1_2)).add(1));
}

/** gelu with the tanh approximation. */
export function geluTanh(x: TensorLike): Tensor {
  return gelu(x, { approximate: true });
}

/** x itself. */
export function identity(x: TensorLike): Tensor {
  return np.asarray(x);
}

/** The activations that layers accept by name (`new MLP(key, sizes, { activation: "silu" })`). */
export const byName = {
  relu, silu, gelu: (x: TensorLike) => gelu(x), geluTanh, tanh, softplus, shiftedSoftplus, sigmoid, identity,
} as const;

export type ActivationName = keyof typeof byName;

/** The activation function called `name`; throws listing the valid names otherwise. */
export function get(name: ActivationName | string, where = "nn.activations.get"): (x: TensorLike) => Tensor {
  if (typeof name !== "string" || !Object.prototype.hasOwnProperty.call(byName, name)) {
    throw new TypeError(`${where}: unknown activation ${JSON.stringify(name)}; expected one of ${Object.keys(byName).map((n) => `"${n}"`).join(", ")}`);
  }
  return byName[name as ActivationName];
}
