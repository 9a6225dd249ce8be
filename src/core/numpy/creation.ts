// Creating tensors: from data, constants, ranges, identity.
import { DenseTensor, denseFromNested, scalarDense } from "../dense.js";
import { DType, arrayFor, checkDType } from "../dtype.js";
import { broadcastP } from "../primitives/structural.js";
import { fmtShape, sizeOf } from "../shape.js";
import { NestedArray, Tensor, TensorLike } from "../tensor.js";
import { asTensor } from "./coerce.js";

export type DTypeOpt = { dtype?: DType };

function checkShape(shape: readonly number[] | number, op: string): number[] {
  const s = typeof shape === "number" ? [shape] : [...shape];
  if (s.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`${op}: invalid shape ${fmtShape(s)} (dimensions must be non-negative integers)`);
  return s;
}

/** A new tensor from nested arrays, a typed array or a scalar (float64 unless told). */
export function array(data: TensorLike | ArrayLike<number>, opts: DTypeOpt = {}): Tensor {
  if (opts.dtype) checkDType(opts.dtype, "array");
  if (data instanceof Tensor) return opts.dtype ? data.astype(opts.dtype) : data;
  if (typeof data === "number" || typeof data === "boolean") return scalarDense(data, opts.dtype ?? (typeof data === "boolean" ? "bool" : "float64"));
  return denseFromNested(data as NestedArray | ArrayLike<number>, opts.dtype, "array");
}

export function asarray(data: TensorLike, opts: DTypeOpt = {}): Tensor {
  return asTensor(data, opts.dtype, "asarray");
}

export function full(shape: readonly number[] | number, value: number | boolean, opts: DTypeOpt = {}): Tensor {
  const s = checkShape(shape, "full");
  const d = opts.dtype ?? (typeof value === "boolean" ? "bool" : "float64");
  const buf = arrayFor(d, sizeOf(s));
  buf.fill(typeof value === "boolean" ? Number(value) : value);
  return new DenseTensor(buf, s, d);
}
export function zeros(shape: readonly number[] | number, opts: DTypeOpt = {}): Tensor { return full(shape, 0, opts); }
export function ones(shape: readonly number[] | number, opts: DTypeOpt = {}): Tensor { return full(shape, 1, opts); }

export function zerosLike(x: Tensor, opts: DTypeOpt = {}): Tensor {
  return broadcastP(scalarDense(0, opts.dtype ?? x.dtype), x.shape);
}
export function onesLike(x: Tensor, opts: DTypeOpt = {}): Tensor {
  return broadcastP(scalarDense(1, opts.dtype ?? x.dtype), x.shape);
}
export function fullLike(x: Tensor, value: number, opts: DTypeOpt = {}): Tensor {
  return broadcastP(scalarDense(value, opts.dtype ?? x.dtype), x.shape);
}

/** arange(stop) or arange(start, stop, step); int32 when all arguments are integers, else float64. */
export function arange(start: number, stop?: number, step = 1, opts: DTypeOpt = {}): Tensor {
  if (stop === undefined) { stop = start; start = 0; }
  if (step === 0) throw new Error("arange: step must not be zero");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const allInt = Number.isInteger(start) && Number.isInteger(stop) && Number.isInteger(step);
  const d = opts.dtype ?? (allInt ? "int32" : "float64");
  const buf = arrayFor(d, n);
  for (let i = 0; i < n; i++) buf[i] = start + i * step;
  return new DenseTensor(buf, [n], d);
}

export function linspace(start: number, stop: number, num = 50, opts: DTypeOpt & { endpoint?: boolean } = {}): Tensor {
  const endpoint = opts.endpoint ?? true;
  const d = opts.dtype ?? "float64";
  const buf = arrayFor(d, num);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < num; i++) buf[i] = start + i * step;
  if (endpoint && num > 1) buf[num - 1] = stop;
  return new DenseTensor(buf, [num], d);
}

export function eye(n: number, m?: number, opts: DTypeOpt & { k?: number } = {}): Tensor {
  const cols = m ?? n;
  const k = opts.k ?? 0;
  const d = opts.dtype ?? "float64";
  const buf = arrayFor(d, n * cols);
  for (let i = 0; i < n; i++) { const j = i + k; if (j >= 0 && j < cols) buf[i * cols + j] = 1; }
  return new DenseTensor(buf, [n, cols], d);
}
export function identity(n: number, opts: DTypeOpt = {}): Tensor { return eye(n, n, opts); }
