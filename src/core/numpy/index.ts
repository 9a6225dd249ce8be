// The `np` namespace: NumPy's names and calling conventions over diffmol's primitives.
import { installNumpy } from "../tensor.js";
import * as self from "./index.js";

export * from "./creation.js";
export * from "./math.js";
export * from "./reductions.js";
export * from "./shape-ops.js";
export * from "./indexing.js";
export * from "./products.js";
export * from "./sorting.js";
export * from "./complex.js";
export { format } from "./format.js";
export { asTensor } from "./coerce.js";
export { linalg } from "./linalg.js";
export { fftNamespace as fft } from "./fft.js";
export { stopGradient } from "./stop-gradient.js";
import type { DType } from "../dtype.js";

export const float64: DType = "float64";
export const float32: DType = "float32";
export const int32: DType = "int32";
export const bool: DType = "bool";
export const complex128: DType = "complex128";
export const complex64: DType = "complex64";
export const pi = Math.PI;
export const e = Math.E;
export const inf = Infinity;
export const nan = NaN;

/** x.astype(dtype) as a function. */
export function astype(x: import("../tensor.js").Tensor, dtype: DType): import("../tensor.js").Tensor {
  return convertP(x, checkDType(dtype, "astype"));
}
import { convertP } from "../primitives/convert.js";
import { checkDType } from "../dtype.js";

installNumpy(self);
