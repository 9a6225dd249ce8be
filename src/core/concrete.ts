import { DenseTensor } from "./dense.js";
import { Tensor } from "./tensor.js";

/** True for a tensor with actual numbers (not a value being traced by jit, vmap or grad). */
export function isConcrete(x: unknown): x is Tensor {
  return x instanceof DenseTensor;
}
