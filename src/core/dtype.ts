// Element types and the promotion lattice (JAX-like: bool < int32 < float32 < float64, and the
// complex types above their real parts: float32 < complex64, float64 < complex128).
//
// Complex storage: a complex tensor of n elements is backed by a real typed array of 2n numbers,
// interleaved [re0, im0, re1, im1, …] (Float64Array for complex128, Float32Array for complex64).

export type DType = "float64" | "float32" | "int32" | "bool" | "complex128" | "complex64";
export const DTYPES: readonly DType[] = ["float64", "float32", "int32", "bool", "complex128", "complex64"];

export type TypedArray = Float64Array | Float32Array | Int32Array | Uint8Array;

const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3, complex64: 4, complex128: 5 };

/** Real floating point (float32, float64); complex types are not "float" here. */
export function isFloat(d: DType): boolean {
  return d === "float64" || d === "float32";
}
export function isInt(d: DType): boolean {
  return d === "int32";
}
export function isComplex(d: DType): boolean {
  return d === "complex128" || d === "complex64";
}
/** Types that carry derivatives (JAX's "inexact"): real floats and complex. */
export function isInexact(d: DType): boolean {
  return isFloat(d) || isComplex(d);
}
/** The real type of a complex type's parts (complex128 → float64); other types map to themselves. */
export function realDType(d: DType): DType {
  return d === "complex128" ? "float64" : d === "complex64" ? "float32" : d;
}
/** The complex type whose parts are `d` (float32 → complex64, anything else → complex128). */
export function complexDType(d: DType): DType {
  return d === "float32" || d === "complex64" ? "complex64" : "complex128";
}
/** Numbers of storage per element: 2 for complex (re, im), else 1. */
export function storageWidth(d: DType): number {
  return isComplex(d) ? 2 : 1;
}

/** Storage for n elements (2n numbers for a complex type). */
export function arrayFor(d: DType, n: number): TypedArray {
  switch (d) {
    case "float64": return new Float64Array(n);
    case "float32": return new Float32Array(n);
    case "int32": return new Int32Array(n);
    case "bool": return new Uint8Array(n);
    case "complex128": return new Float64Array(2 * n);
    case "complex64": return new Float32Array(2 * n);
  }
}

export function checkDType(d: unknown, where: string): DType {
  if (typeof d === "string" && (DTYPES as readonly string[]).includes(d)) return d as DType;
  throw new TypeError(`${where}: unknown dtype ${JSON.stringify(d)}; expected one of ${DTYPES.join(", ")}`);
}

/** Result dtype of combining two tensors (both strongly typed). */
export function promoteTypes(a: DType, b: DType): DType {
  if (isComplex(a) || isComplex(b)) {
    // complex64 meets float64 → complex128: the result must hold both parts' precision.
    const wide = (d: DType) => d === "float64" || d === "complex128";
    return wide(a) || wide(b) ? "complex128" : "complex64";
  }
  return rank[a] >= rank[b] ? a : b;
}

/**
 * A JS scalar is "weakly typed" (as in JAX): it adopts the tensor's dtype unless its kind
 * is wider (a non-integer number meeting an int tensor gives float64). A JS number is never
 * complex, so it never makes a result complex.
 */
export function promoteWithScalar(t: DType, v: number | boolean): DType {
  if (typeof v === "boolean") return t;
  if (Number.isInteger(v)) return t === "bool" ? "int32" : t;
  return isInexact(t) ? t : "float64";
}

/** dtype a JS scalar takes on its own. */
export function scalarDType(v: number | boolean): DType {
  return typeof v === "boolean" ? "bool" : "float64";
}

/** dtype that floating-point math (sin, exp, division…) runs in for an input dtype. */
export function floatResult(d: DType): DType {
  return isInexact(d) ? d : "float64";
}

export function shortName(d: DType): string {
  switch (d) {
    case "float64": return "f64";
    case "float32": return "f32";
    case "int32": return "i32";
    case "bool": return "bool";
    case "complex128": return "c128";
    case "complex64": return "c64";
  }
}
