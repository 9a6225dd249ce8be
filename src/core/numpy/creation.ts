// Creating tensors: from data, constants, ranges, identity.
import { ComplexValue, DenseTensor, denseFromNested, scalarDense } from "../dense.js";
import { DType, arrayFor, checkDType, isComplex, realDType } from "../dtype.js";
import { convertP } from "../primitives/convert.js";
import { broadcastP } from "../primitives/structural.js";
import { fmtShape, sizeOf } from "../shape.js";
import { NestedArray, Tensor, TensorLike } from "../tensor.js";
import { asTensor } from "./coerce.js";
import { stack } from "./shape-ops.js";

export type DTypeOpt = { dtype?: DType };

/** Creation routines build real values; a complex dtype gets them as real parts. */
function asComplexIf(t: DenseTensor, d: DType): Tensor {
  return isComplex(d) ? convertP(t, d) : t;
}

function checkShape(shape: readonly number[] | number, op: string): number[] {
  const s = typeof shape === "number" ? [shape] : [...shape];
  if (s.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`${op}: invalid shape ${fmtShape(s)} (dimensions must be non-negative integers)`);
  return s;
}

/** A new tensor from nested arrays, a typed array or a scalar (float64 unless told). */
/** Nested lists whose leaves are numbers, booleans or tensors (which are stacked). */
export type NestedTensorLike = TensorLike | readonly NestedTensorLike[];

/** Nested lists of complex numbers written as {re, im} objects (np.array gives complex128). */
export type ComplexNested = ComplexValue | readonly ComplexNested[];

export function array(data: NestedTensorLike | ArrayLike<number> | ComplexNested, opts: DTypeOpt = {}): Tensor {
  if (opts.dtype) checkDType(opts.dtype, "array");
  if (data instanceof Tensor) return opts.dtype ? data.astype(opts.dtype) : data;
  if (typeof data === "number" || typeof data === "boolean") return scalarDense(data, opts.dtype ?? (typeof data === "boolean" ? "bool" : "float64"));
  if (Array.isArray(data) && containsTensor(data)) {
    // [x, y.sum(), 0] with tensors inside (traced ones too): stack, as NumPy and JAX do.
    const t = stackNested(data, []) as Tensor;
    return opts.dtype ? t.astype(opts.dtype) : t;
  }
  return denseFromNested(data as NestedArray | ArrayLike<number>, opts.dtype, "array");
}

function containsTensor(x: unknown): boolean {
  return x instanceof Tensor || (Array.isArray(x) && x.some(containsTensor));
}
/** Stack nested lists holding tensors; JS numbers stay weakly typed, as in JAX. */
function stackNested(x: unknown, path: number[]): TensorLike {
  if (!Array.isArray(x)) return x instanceof Tensor || !containsTensor(x) ? (x as TensorLike) : asTensor(x as TensorLike, undefined, "array");
  if (!containsTensor(x)) return asTensor(x as TensorLike, undefined, "array");
  const parts = x.map((e, i) => stackNested(e, [...path, i]));
  const shapes = parts.map((p) => (p instanceof Tensor ? p.shape : asTensor(p).shape));
  shapes.forEach((s, i) => {
    if (s.length !== shapes[0].length || s.some((d, k) => d !== shapes[0][k])) {
      throw new Error(`array: ragged nested array at index [${[...path, i]}] (shape ${fmtShape(s)}, expected ${fmtShape(shapes[0])})`);
    }
  });
  return stack(parts, 0);
}

export function asarray(data: TensorLike, opts: DTypeOpt = {}): Tensor {
  return asTensor(data, opts.dtype === undefined ? undefined : checkDType(opts.dtype, "asarray"), "asarray");
}

export function full(shape: readonly number[] | number, value: number | boolean, opts: DTypeOpt = {}): Tensor {
  const s = checkShape(shape, "full");
  const d = checkDType(opts.dtype ?? (typeof value === "boolean" ? "bool" : "float64"), "full");
  const buf = arrayFor(realDType(d), sizeOf(s));
  buf.fill(typeof value === "boolean" ? Number(value) : value);
  return asComplexIf(new DenseTensor(buf, s, realDType(d)), d);
}
export function zeros(shape: readonly number[] | number, opts: DTypeOpt = {}): Tensor { return full(shape, 0, opts); }
export function ones(shape: readonly number[] | number, opts: DTypeOpt = {}): Tensor { return full(shape, 1, opts); }

export function zerosLike(x: Tensor, opts: DTypeOpt = {}): Tensor {
  return broadcastP(scalarDense(0, checkDType(opts.dtype ?? x.dtype, "zerosLike")), x.shape);
}
export function onesLike(x: Tensor, opts: DTypeOpt = {}): Tensor {
  return broadcastP(scalarDense(1, checkDType(opts.dtype ?? x.dtype, "onesLike")), x.shape);
}
export function fullLike(x: Tensor, value: number, opts: DTypeOpt = {}): Tensor {
  return broadcastP(scalarDense(value, checkDType(opts.dtype ?? x.dtype, "fullLike")), x.shape);
}

/** arange(stop) or arange(start, stop, step); int32 when all arguments are integers, else float64. */
export function arange(start: number, stop?: number, step = 1, opts: DTypeOpt = {}): Tensor {
  if (stop === undefined) { stop = start; start = 0; }
  if (step === 0) throw new Error("arange: step must not be zero");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const allInt = Number.isInteger(start) && Number.isInteger(stop) && Number.isInteger(step);
  const d = checkDType(opts.dtype ?? (allInt ? "int32" : "float64"), "arange");
  const buf = arrayFor(realDType(d), n);
  for (let i = 0; i < n; i++) buf[i] = start + i * step;
  return asComplexIf(new DenseTensor(buf, [n], realDType(d)), d);
}

export function linspace(start: number, stop: number, num = 50, opts: DTypeOpt & { endpoint?: boolean } = {}): Tensor {
  const endpoint = opts.endpoint ?? true;
  const d = checkDType(opts.dtype ?? "float64", "linspace");
  const buf = arrayFor(realDType(d), num);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < num; i++) buf[i] = start + i * step;
  if (endpoint && num > 1) buf[num - 1] = stop;
  return asComplexIf(new DenseTensor(buf, [num], realDType(d)), d);
}

export function eye(n: number, m?: number, opts: DTypeOpt & { k?: number } = {}): Tensor {
  const cols = m ?? n;
  const k = opts.k ?? 0;
  const d = checkDType(opts.dtype ?? "float64", "eye");
  const buf = arrayFor(realDType(d), n * cols);
  for (let i = 0; i < n; i++) { const j = i + k; if (j >= 0 && j < cols) buf[i * cols + j] = 1; }
  return asComplexIf(new DenseTensor(buf, [n, cols], realDType(d)), d);
}
export function identity(n: number, opts: DTypeOpt = {}): Tensor { return eye(n, n, opts); }

/**
 * Wrap a typed array as a tensor without copying (NumPy's frombuffer). The dtype follows the
 * array type (Float64Array, Float32Array, Int32Array, Uint8Array → bool). The caller hands the
 * array over: tensors are immutable, so it must not be written to afterwards.
 */
export function frombuffer(buffer: Float64Array | Float32Array | Int32Array | Uint8Array, shape?: readonly number[]): Tensor {
  const dtype: DType = buffer instanceof Float64Array ? "float64" : buffer instanceof Float32Array ? "float32" : buffer instanceof Int32Array ? "int32" : "bool";
  const s = shape ? [...shape] : [buffer.length];
  if (sizeOf(s) !== buffer.length) throw new Error(`frombuffer: a buffer of ${buffer.length} elements does not fit shape ${fmtShape(s)}`);
  return new DenseTensor(buffer, s, dtype);
}
