// sort and argsort (stable; NaNs last). sort is a gather by argsort, so it differentiates.
import { bind1 } from "../interpreter.js";
import { argsort as argsortPrim } from "../primitives/misc.js";
import { reshapeP } from "../primitives/structural.js";
import { normAxis } from "../shape.js";
import { Tensor, TensorLike } from "../tensor.js";
import { asTensor } from "./coerce.js";
import { takeAlongAxis } from "./indexing.js";

export function argsort(x: TensorLike, axis: number | null = -1): Tensor {
  let t = asTensor(x, undefined, "argsort");
  if (axis === null) { t = reshapeP(t, [t.size]); axis = 0; }
  return bind1(argsortPrim, [t], { axis: normAxis("argsort", axis, t.ndim) });
}

export function sort(x: TensorLike, axis: number | null = -1): Tensor {
  let t = asTensor(x, undefined, "sort");
  if (axis === null) { t = reshapeP(t, [t.size]); axis = 0; }
  return takeAlongAxis(t, argsort(t, axis), axis);
}
