// Element types and the promotion lattice (JAX-like: bool < int32 < float32 < float64).

export type DType = "float64" | "float32" | "int32" | "bool";
export const DTYPES: readonly DType[] = ["float64", "float32", "int32", "bool"];

export type TypedArray = Float64Array | Float32Array | Int32Array | Uint8Array;

const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

export function isFloat(d: DType): boolean {
  return d === "float64" || d === "float32";
}
export function isInt(d: DType): boolean {
  return d === "int32";
}

export function arrayFor(d: DType, n: number): TypedArray {
  switch (d) {
    case "float64": return new Float64Array(n);
    case "float32": return new Float32Array(n);
    case "int32": return new Int32Array(n);
    case "bool": return new Uint8Array(n);
  }
}

export function checkDType(d: unknown, where: string): DType {
  if (typeof d === "string" && (DTYPES as readonly string[]).includes(d)) return d as DType;
  throw new TypeError(`${where}: unknown dtype ${JSON.stringify(d)}; expected one of ${DTYPES.join(", ")}`);
}

/** Result dtype of combining two tensors (both strongly typed). */
export function promoteTypes(a: DType, b: DType): DType {
  return rank[a] >= rank[b] ? a : b;
}

/**
 * A JS scalar is "weakly typed" (as in JAX): it adopts the tensor's dtype unless its kind
 * is wider (a non-integer number meeting an int tensor gives float64).
 */
export function promoteWithScalar(t: DType, v: number | boolean): DType {
  if (typeof v === "boolean") return t;
  if (Number.isInteger(v)) return t === "bool" ? "int32" : t;
  return isFloat(t) ? t : "float64";
}

/** dtype a JS scalar takes on its own. */
export function scalarDType(v: number | boolean): DType {
  return typeof v === "boolean" ? "bool" : "float64";
}

/** dtype that floating-point math (sin, exp, division…) runs in for an input dtype. */
export function floatResult(d: DType): DType {
  return isFloat(d) ? d : "float64";
}

export function shortName(d: DType): string {
  return d === "float64" ? "f64" : d === "float32" ? "f32" : d === "int32" ? "i32" : "bool";
}
