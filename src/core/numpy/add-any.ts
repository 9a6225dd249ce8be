// Accumulating cotangents during the backward pass (same shape and dtype by construction).
import { addP } from "../primitives/arithmetic.js";
import { Tensor } from "../tensor.js";

export function addAny(a: Tensor, b: Tensor): Tensor {
  return addP(a, b);
}
