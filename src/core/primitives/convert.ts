// Dtype conversion (astype). Float→float is linear; anything to int/bool has no derivative.
import { ShapedArray } from "../aval.js";
import { DType, isFloat } from "../dtype.js";
import { bind1 } from "../interpreter.js";
import { runElementwise } from "../kernels/elementwise.js";
import { definePrimitive } from "../primitive.js";
import { Tensor } from "../tensor.js";

// Storing into an Int32Array truncates toward zero (NaN → 0), as NumPy's astype does.
const toBool = (a: string) => `(${a} !== 0) ? 1 : 0`;
const same = (a: string) => a;

export const convertElementType = definePrimitive<{ dtype: DType }>({
  name: "convert",
  abstractEval: ([x], { dtype }) => new ShapedArray(x.shape, dtype),
  impl: ([x], { dtype }, out) => runElementwise(`convert_${dtype}`, dtype === "bool" ? toBool : same, [x], out),
  jvp: ([x], [dx], { dtype }) => [convertP(x, dtype), isFloat(x.dtype) && isFloat(dtype) ? convertP(dx!, dtype) : null],
  transpose: (ct, [x]) => [convertP(ct, x.aval.dtype)],
  batch: ([x], [d], p) => [convertP(x, p.dtype), d],
  formatParams: (p) => `[dtype=${p.dtype}]`,
  lower: { kind: "elementwise", expr: (_d, p) => (p.dtype === "bool" ? toBool : same) },
});

export function convertP(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : bind1(convertElementType, [x], { dtype });
}
