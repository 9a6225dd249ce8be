// Concrete tensors: a row-major typed array that is never mutated after creation.
import { ShapedArray } from "./aval.js";
import { DType, TypedArray, arrayFor, checkDType, isComplex, realDType, storageWidth } from "./dtype.js";
import { Shape, fmtShape, sizeOf } from "./shape.js";
import { NestedArray, Tensor } from "./tensor.js";

export class DenseTensor extends Tensor {
  readonly #aval: ShapedArray;
  /** The backing store; kernels read it directly. Treat as immutable. */
  readonly buffer: TypedArray;
  constructor(buffer: TypedArray, shape: Shape, dtype: DType) {
    super();
    if (buffer.length !== sizeOf(shape) * storageWidth(dtype)) {
      throw new Error(`internal: buffer of length ${buffer.length} does not fit ${dtype} shape ${fmtShape(shape)}`);
    }
    this.buffer = buffer;
    this.#aval = new ShapedArray(shape, dtype);
  }
  get aval(): ShapedArray { return this.#aval; }
  data(): TypedArray { return this.buffer.slice(); }
  override item(): number {
    if (this.buffer.length !== 1 || isComplex(this.dtype)) return super.item();
    return this.buffer[0];
  }
}

export function emptyDense(shape: Shape, dtype: DType): DenseTensor {
  return new DenseTensor(arrayFor(dtype, sizeOf(shape)), shape, dtype);
}

/** A 0-d tensor; for a complex dtype the value is the real part (imaginary part `im`, default 0). */
export function scalarDense(v: number | boolean, dtype: DType, im = 0): DenseTensor {
  return splatDense(v, [], dtype, im);
}

/** A tensor of `shape` whose every element is v (+ i·im for complex dtypes). */
export function splatDense(v: number | boolean, shape: readonly number[], dtype: DType, im = 0): DenseTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const buf = arrayFor(dtype, n);
  const x = typeof v === "boolean" ? (v ? 1 : 0) : v;
  if (isComplex(dtype)) for (let i = 0; i < n; i++) { buf[2 * i] = x; buf[2 * i + 1] = im; }
  else buf.fill(x);
  return new DenseTensor(buf, [...shape], dtype);
}

/** The real and imaginary parts of a complex tensor as two real tensors. */
export function splitComplex(x: DenseTensor): [DenseTensor, DenseTensor] {
  const n = x.size;
  const rd = realDType(x.dtype);
  const re = arrayFor(rd, n);
  const im = arrayFor(rd, n);
  const b = x.buffer;
  for (let i = 0; i < n; i++) { re[i] = b[2 * i]; im[i] = b[2 * i + 1]; }
  return [new DenseTensor(re, x.aval.shape, rd), new DenseTensor(im, x.aval.shape, rd)];
}

/** A complex tensor of dtype `dtype` from real and imaginary parts of one shape (any real dtype). */
export function joinComplex(re: DenseTensor, im: DenseTensor, dtype: DType): DenseTensor {
  const n = re.size;
  const buf = arrayFor(dtype, n);
  const a = re.buffer;
  const b = im.buffer;
  for (let i = 0; i < n; i++) { buf[2 * i] = a[i]; buf[2 * i + 1] = b[i]; }
  return new DenseTensor(buf, re.aval.shape, dtype);
}

/** A complex number in JS: what `np.array` accepts as an element of complex input. */
export interface ComplexValue { re: number; im: number }
export function isComplexValue(x: unknown): x is ComplexValue {
  return typeof x === "object" && x !== null && !Array.isArray(x) && typeof (x as ComplexValue).re === "number" && typeof (x as ComplexValue).im === "number";
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

/** bool only when every element is a boolean (as NumPy: [true, 2] is numeric). */
function allBoolLeaves(data: NestedArray): boolean {
  if (Array.isArray(data)) return data.length > 0 && data.every(allBoolLeaves);
  return typeof data === "boolean";
}

function anyComplexLeaf(data: unknown): boolean {
  if (Array.isArray(data)) return data.some(anyComplexLeaf);
  return isComplexValue(data);
}

/** Build a dense tensor from nested JS arrays; ragged input is an error naming the path. */
export function denseFromNested(data: NestedArray | ArrayLike<number>, dtype?: DType, where = "array"): DenseTensor {
  if (dtype !== undefined) checkDType(dtype, where);
  if (ArrayBuffer.isView(data)) {
    const arr = data as unknown as ArrayLike<number>;
    const dt: DType = dtype ?? (data instanceof Float32Array ? "float32" : data instanceof Int32Array ? "int32" : "float64");
    const buf = arrayFor(dt, arr.length);
    const w = storageWidth(dt);
    for (let i = 0; i < arr.length; i++) buf[w * i] = arr[i];
    return new DenseTensor(buf, [arr.length], dt);
  }
  const nested = data as NestedArray;
  const shape = inferShape(nested);
  const dt: DType = dtype ?? (allBoolLeaves(nested) ? "bool" : anyComplexLeaf(nested) ? "complex128" : "float64");
  const buf = arrayFor(dt, sizeOf(shape));
  const w = storageWidth(dt);
  let k = 0;
  const fill = (x: NestedArray, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (Array.isArray(x)) throw new Error(`${where}: ragged nested array at index [${path}] (expected a scalar, found an array)`);
      if (typeof x === "boolean") buf[k] = x ? 1 : 0;
      else if (typeof x === "number") buf[k] = x;
      else {
        const z: unknown = x;
        if (!isComplexValue(z)) throw new TypeError(`${where}: element at [${path}] is ${typeof z}, expected a number, boolean or {re, im}`);
        if (w !== 2) throw new TypeError(`${where}: element at [${path}] is complex ({re, im}) but the dtype is ${dt}`);
        buf[k] = z.re;
        buf[k + 1] = z.im;
      }
      k += w;
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      throw new Error(`${where}: ragged nested array at index [${path}] (expected length ${shape[depth]}, found ${Array.isArray(x) ? x.length : "a scalar"})`);
    }
    for (let i = 0; i < x.length; i++) fill(x[i], depth + 1, [...path, i]);
  };
  fill(nested, 0, []);
  return new DenseTensor(buf, shape, dt);
}
