// The one value type users hold. Concrete arrays (DenseTensor) and the tracers of every
// transformation subclass it, so user code is written once and runs under grad/vmap/jit.
import type * as NumpyNamespace from "./numpy/index.js";
import { ShapedArray } from "./aval.js";
import { DType, TypedArray, isComplex } from "./dtype.js";

type Np = typeof NumpyNamespace;
let npRef: Np | null = null;
/** Called once by the numpy namespace so Tensor methods can delegate to it without an import cycle. */
export function installNumpy(np: Np): void { npRef = np; }
function np(): Np {
  if (!npRef) throw new Error("diffmol: numpy namespace not initialised (import from the package root)");
  return npRef;
}

export type NestedArray = number | boolean | NestedArray[];
export type TensorLike = Tensor | number | boolean | NestedArray;
export type Axis = number | readonly number[] | null;
/** One entry of `x.slice(...)`: an index, a [start, stop, step] range ([] = all), ":"-style string, null = new axis, "..." = ellipsis. */
export type SliceArg = number | readonly (number | null | undefined)[] | string | null;

export abstract class Tensor {
  abstract get aval(): ShapedArray;
  get shape(): number[] { return [...this.aval.shape]; }
  get dtype(): DType { return this.aval.dtype; }
  get ndim(): number { return this.aval.shape.length; }
  get size(): number { return this.aval.size; }

  /** A copy of the elements as a typed array (row-major; complex: interleaved re, im). */
  abstract data(): TypedArray;
  /**
   * Elements as nested JS arrays (bools as booleans). A complex tensor of shape S gives nested
   * arrays of shape [...S, 2]: each element a pair [re, im].
   */
  toArray(): NestedArray {
    const d = this.data();
    const shape = this.aval.shape;
    const isBool = this.dtype === "bool";
    const cplx = isComplex(this.dtype);
    let i = 0;
    const build = (k: number): NestedArray => {
      if (k === shape.length) {
        if (cplx) { const pair = [d[i], d[i + 1]]; i += 2; return pair; }
        const v = d[i++];
        return isBool ? v !== 0 : v;
      }
      const out: NestedArray[] = [];
      for (let j = 0; j < shape[k]; j++) out.push(build(k + 1));
      return out;
    };
    return build(0);
  }
  /** The single element of a size-1 tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item: tensor of shape [${this.shape}] has ${this.size} elements, expected 1`);
    if (isComplex(this.dtype)) throw new TypeError(`item: tensor is ${this.dtype}; a JS number cannot hold it (use x.real.item() and x.imag.item())`);
    return this.data()[0];
  }
  toString(): string { return np().format(this); }
  get [Symbol.toStringTag](): string { return `Tensor ${this.aval.toString()}`; }
  /** Iterates over the first axis, like NumPy (so `const [a, b] = random.split(key)` works). */
  *[Symbol.iterator](): Iterator<Tensor> {
    if (this.ndim === 0) throw new TypeError("iteration over a 0-d tensor");
    for (let i = 0; i < this.aval.shape[0]; i++) yield np().take(this, i, 0);
  }

  // Method chaining, each a thin call into the np namespace.
  add(y: TensorLike): Tensor { return np().add(this, y); }
  sub(y: TensorLike): Tensor { return np().subtract(this, y); }
  mul(y: TensorLike): Tensor { return np().multiply(this, y); }
  div(y: TensorLike): Tensor { return np().divide(this, y); }
  pow(y: TensorLike): Tensor { return np().power(this, y); }
  mod(y: TensorLike): Tensor { return np().mod(this, y); }
  neg(): Tensor { return np().negative(this); }
  abs(): Tensor { return np().abs(this); }
  /** Real part (the tensor itself for real dtypes). */
  get real(): Tensor { return np().real(this); }
  /** Imaginary part (zeros for real dtypes). */
  get imag(): Tensor { return np().imag(this); }
  /** Complex conjugate (the tensor itself for real dtypes). */
  conj(): Tensor { return np().conj(this); }
  square(): Tensor { return np().square(this); }
  sqrt(): Tensor { return np().sqrt(this); }
  exp(): Tensor { return np().exp(this); }
  log(): Tensor { return np().log(this); }
  sin(): Tensor { return np().sin(this); }
  cos(): Tensor { return np().cos(this); }
  tanh(): Tensor { return np().tanh(this); }
  maximum(y: TensorLike): Tensor { return np().maximum(this, y); }
  minimum(y: TensorLike): Tensor { return np().minimum(this, y); }
  clip(lo: TensorLike | null, hi: TensorLike | null): Tensor { return np().clip(this, lo, hi); }
  less(y: TensorLike): Tensor { return np().less(this, y); }
  lessEqual(y: TensorLike): Tensor { return np().lessEqual(this, y); }
  greater(y: TensorLike): Tensor { return np().greater(this, y); }
  greaterEqual(y: TensorLike): Tensor { return np().greaterEqual(this, y); }
  equal(y: TensorLike): Tensor { return np().equal(this, y); }
  notEqual(y: TensorLike): Tensor { return np().notEqual(this, y); }
  sum(axis?: Axis, opts?: { keepdims?: boolean }): Tensor { return np().sum(this, axis, opts); }
  mean(axis?: Axis, opts?: { keepdims?: boolean }): Tensor { return np().mean(this, axis, opts); }
  prod(axis?: Axis, opts?: { keepdims?: boolean }): Tensor { return np().prod(this, axis, opts); }
  max(axis?: Axis, opts?: { keepdims?: boolean }): Tensor { return np().max(this, axis, opts); }
  min(axis?: Axis, opts?: { keepdims?: boolean }): Tensor { return np().min(this, axis, opts); }
  argmax(axis?: number | null): Tensor { return np().argmax(this, axis); }
  argmin(axis?: number | null): Tensor { return np().argmin(this, axis); }
  reshape(shape: readonly number[]): Tensor { return np().reshape(this, shape); }
  transpose(axes?: readonly number[]): Tensor { return np().transpose(this, axes); }
  get T(): Tensor { return np().transpose(this); }
  flatten(): Tensor { return np().reshape(this, [-1]); }
  expandDims(axis: number | readonly number[]): Tensor { return np().expandDims(this, axis); }
  squeeze(axis?: number | readonly number[] | null): Tensor { return np().squeeze(this, axis); }
  broadcastTo(shape: readonly number[]): Tensor { return np().broadcastTo(this, shape); }
  slice(...args: SliceArg[]): Tensor { return np().slice(this, ...args); }
  take(indices: TensorLike, axis?: number | null): Tensor { return np().take(this, indices, axis); }
  matmul(y: TensorLike): Tensor { return np().matmul(this, y); }
  dot(y: TensorLike): Tensor { return np().dot(this, y); }
  astype(dtype: DType): Tensor { return np().astype(this, dtype); }
  cumsum(axis?: number | null): Tensor { return np().cumsum(this, axis); }
}
