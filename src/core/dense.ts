// Concrete tensors: a row-major typed array that is never mutated after creation.
import { ShapedArray } from "./aval.js";
import { DType, TypedArray, arrayFor, checkDType } from "./dtype.js";
import { Shape, fmtShape, sizeOf } from "./shape.js";
import { NestedArray, Tensor } from "./tensor.js";

export class DenseTensor extends Tensor {
  readonly #aval: ShapedArray;
  /** The backing store; kernels read it directly. Treat as immutable. */
  readonly buffer: TypedArray;
  constructor(buffer: TypedArray, shape: Shape, dtype: DType) {
    super();
    if (buffer.length !== sizeOf(shape)) {
      throw new Error(`internal: buffer of length ${buffer.length} does not fit shape ${fmtShape(shape)}`);
    }
    this.buffer = buffer;
    this.#aval = new ShapedArray(shape, dtype);
  }
  get aval(): ShapedArray { return this.#aval; }
  data(): TypedArray { return this.buffer.slice(); }
  override item(): number {
    if (this.buffer.length !== 1) return super.item();
    return this.buffer[0];
  }
}

export function emptyDense(shape: Shape, dtype: DType): DenseTensor {
  return new DenseTensor(arrayFor(dtype, sizeOf(shape)), shape, dtype);
}

export function scalarDense(v: number | boolean, dtype: DType): DenseTensor {
  const buf = arrayFor(dtype, 1);
  buf[0] = typeof v === "boolean" ? (v ? 1 : 0) : v;
  return new DenseTensor(buf, [], dtype);
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

/** Build a dense tensor from nested JS arrays; ragged input is an error naming the path. */
export function denseFromNested(data: NestedArray | ArrayLike<number>, dtype?: DType, where = "array"): DenseTensor {
  if (dtype !== undefined) checkDType(dtype, where);
  if (ArrayBuffer.isView(data)) {
    const arr = data as unknown as ArrayLike<number>;
    const dt: DType = dtype ?? (data instanceof Float32Array ? "float32" : data instanceof Int32Array ? "int32" : "float64");
    const buf = arrayFor(dt, arr.length);
    for (let i = 0; i < arr.length; i++) buf[i] = arr[i];
    return new DenseTensor(buf, [arr.length], dt);
  }
  const nested = data as NestedArray;
  const shape = inferShape(nested);
  const dt: DType = dtype ?? (allBoolLeaves(nested) ? "bool" : "float64");
  const buf = arrayFor(dt, sizeOf(shape));
  let k = 0;
  const fill = (x: NestedArray, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (Array.isArray(x)) throw new Error(`${where}: ragged nested array at index [${path}] (expected a scalar, found an array)`);
      if (typeof x === "boolean") buf[k++] = x ? 1 : 0;
      else if (typeof x === "number") buf[k++] = x;
      else throw new TypeError(`${where}: element at [${path}] is ${typeof x}, expected a number or boolean`);
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
