// Abstract values: what transformations know about a tensor without its numbers.
import { DType, shortName } from "./dtype.js";
import { Shape, sizeOf } from "./shape.js";

export class ShapedArray {
  readonly shape: readonly number[];
  constructor(shape: Shape, readonly dtype: DType) {
    this.shape = Object.freeze([...shape]);
  }
  get ndim(): number { return this.shape.length; }
  get size(): number { return sizeOf(this.shape); }
  equals(o: ShapedArray): boolean {
    return this.dtype === o.dtype && this.shape.length === o.shape.length && this.shape.every((d, i) => d === o.shape[i]);
  }
  toString(): string { return `${shortName(this.dtype)}[${this.shape.join(",")}]`; }
}
