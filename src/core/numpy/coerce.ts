// Turning user inputs (JS numbers, nested arrays, tensors) into tensors of a common dtype.
import { denseFromNested, scalarDense } from "../dense.js";
import { DType, floatResult, promoteTypes, promoteWithScalar, scalarDType } from "../dtype.js";
import { convertP } from "../primitives/convert.js";
import { Tensor, TensorLike } from "../tensor.js";

export function asTensor(x: TensorLike, dtype?: DType, where = "asarray"): Tensor {
  if (x instanceof Tensor) return dtype ? convertP(x, dtype) : x;
  if (typeof x === "number" || typeof x === "boolean") return scalarDense(x, dtype ?? scalarDType(x));
  if (Array.isArray(x)) return denseFromNested(x, dtype, where);
  throw new TypeError(`${where}: cannot convert ${x === null ? "null" : typeof x} to a tensor`);
}

/** Common dtype of several operands, with JS scalars weakly typed (as in JAX). */
export function resultDType(xs: readonly TensorLike[]): DType {
  let strong: DType | null = null;
  for (const x of xs) {
    if (x instanceof Tensor) strong = strong === null ? x.dtype : promoteTypes(strong, x.dtype);
    else if (Array.isArray(x)) strong = strong === null ? asTensor(x).dtype : promoteTypes(strong, asTensor(x).dtype);
  }
  let d: DType = strong ?? "bool";
  let sawScalar = false;
  for (const x of xs) {
    if (typeof x === "number" || typeof x === "boolean") {
      d = strong === null && !sawScalar ? scalarDType(x) : promoteWithScalar(d, x);
      if (strong === null && typeof x === "number") d = "float64";
      sawScalar = true;
    }
  }
  return d;
}

/** Operands converted to their common dtype, ready to bind an elementwise primitive. */
export function promoteAll(op: string, xs: readonly TensorLike[], minDType?: "float"): Tensor[] {
  let d = resultDType(xs);
  if (minDType === "float") d = floatResult(d);
  return xs.map((x) => asTensor(x, d, op));
}

export function asFloat(x: TensorLike, op: string): Tensor {
  const t = asTensor(x, undefined, op);
  return convertP(t, floatResult(t.dtype));
}
