// Dtype conversion (astype). Between inexact types (float, complex) it is linear; anything to
// int/bool has no derivative. Complex → real keeps the real part (as NumPy and JAX do).
import { ShapedArray } from "../aval.js";
import { DType, isComplex, isInexact } from "../dtype.js";
import { bind1 } from "../interpreter.js";
import { runComplexElementwise } from "../kernels/complex-elementwise.js";
import { runElementwise } from "../kernels/elementwise.js";
import { definePrimitive } from "../primitive.js";
import { Tensor } from "../tensor.js";

// Storing into an Int32Array truncates toward zero (NaN → 0), as NumPy's astype does.
const toBool = (a: string) => `(${a} !== 0) ? 1 : 0`;
const same = (a: string) => a;

export const convertElementType = definePrimitive<{ dtype: DType }>({
  name: "convert",
  abstractEval: ([x], { dtype }) => new ShapedArray(x.shape, dtype),
  impl: ([x], { dtype }, out) => {
    if (isComplex(x.dtype) || isComplex(dtype)) {
      const body = dtype === "bool" ? "re = (x0r !== 0 || x0i !== 0) ? 1 : 0;" : "re = x0r; im = x0i;";
      return runComplexElementwise(`convert_${dtype}`, body, [x], out);
    }
    return runElementwise(`convert_${dtype}`, dtype === "bool" ? toBool : same, [x], out);
  },
  complex: "native",
  jvp: ([x], [dx], { dtype }) => [convertP(x, dtype), isInexact(x.dtype) && isInexact(dtype) ? convertP(dx!, dtype) : null],
  // Real → complex embeds (transpose: take the real part); complex → real takes the real part
  // (transpose: embed). Both are convert back to the input's dtype.
  transpose: (ct, [x]) => [convertP(ct, x.aval.dtype)],
  batch: ([x], [d], p) => [convertP(x, p.dtype), d],
  formatParams: (p) => `[dtype=${p.dtype}]`,
  lower: { kind: "elementwise", expr: (_d, p) => (p.dtype === "bool" ? toBool : same) },
});

export function convertP(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : bind1(convertElementType, [x], { dtype });
}
