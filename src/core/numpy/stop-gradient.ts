import { stopGradientP } from "../primitives/misc.js";
import { Tensor, TensorLike } from "../tensor.js";
import { asTensor } from "./coerce.js";

/** The value of x, treated as a constant by every derivative (JAX's stop_gradient). */
export function stopGradient(x: TensorLike): Tensor {
  return stopGradientP(asTensor(x, undefined, "stopGradient"));
}
