// Complex numbers: building them from parts, taking them apart, conjugating, and dtype tests.
// A JS number is never complex; complex values come from np.complex, astype or np.array of
// {re, im} objects. See docs/core.md "Complex numbers" for storage and AD conventions.
import { DType, complexDType, isComplex } from "../dtype.js";
import { atan2P } from "../primitives/arithmetic.js";
import { complexP, conjP, imagP, realP } from "../primitives/complex.js";
import { broadcastShapes } from "../shape.js";
import { Tensor, TensorLike } from "../tensor.js";
import { asTensor, promoteAll } from "./coerce.js";
import { zerosLike } from "./creation.js";
import { equal, notEqual } from "./math.js";

/**
 * re + i·im with broadcasting, as jax.lax.complex: float32 parts give complex64, anything else
 * complex128 (integers are converted to float64 first).
 */
export function complex(re: TensorLike, im: TensorLike): Tensor {
  const [a, b] = promoteAll("complex", [re, im], "float");
  if (isComplex(a.dtype)) throw new TypeError(`complex: parts must be real, got ${a.dtype}`);
  broadcastShapes("complex", a.shape, b.shape);
  return complexP(a, b);
}

/** Real part; a real tensor is returned as is. */
export function real(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, "real");
  return isComplex(t.dtype) ? realP(t) : t;
}

/** Imaginary part; zeros (of the same dtype) for a real tensor. */
export function imag(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, "imag");
  return isComplex(t.dtype) ? imagP(t) : zerosLike(t);
}

/** Complex conjugate; a real tensor is returned as is. */
export function conj(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, "conj");
  return isComplex(t.dtype) ? conjP(t) : t;
}
export const conjugate = conj;

/** Argument (phase) atan2(imag, real) in radians, or in degrees with `deg: true`. */
export function angle(x: TensorLike, opts: { deg?: boolean } = {}): Tensor {
  const t = asTensor(x, undefined, "angle");
  const z = isComplex(t.dtype) ? t : t.astype(complexDType(t.dtype));
  const a = atan2P(imagP(z), realP(z));
  return opts.deg ? a.mul(180 / Math.PI) : a;
}

/** Elementwise: is the imaginary part zero (NumPy's isreal; true everywhere for a real tensor). */
export function isreal(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, "isreal");
  return equal(imag(t), 0);
}
/** Elementwise: is the imaginary part nonzero (NumPy's iscomplex; false everywhere for a real tensor). */
export function iscomplex(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, "iscomplex");
  return notEqual(imag(t), 0);
}

/** Whether x has a complex dtype (NumPy's iscomplexobj: by type, not by value). */
export function iscomplexobj(x: TensorLike): boolean {
  return x instanceof Tensor && isComplex(x.dtype);
}
/** Whether x has a real (non-complex) dtype. */
export function isrealobj(x: TensorLike): boolean {
  return !iscomplexobj(x);
}
/** Whether a dtype is complex128 or complex64. */
export function isComplexDType(d: DType): boolean {
  return isComplex(d);
}
export type { ComplexValue } from "../dense.js";
