// Reductions over a set of axes: move the reduced axes last (one strided copy, skipped when
// they already are), then fold contiguous runs.
import { DenseTensor } from "../dense.js";
import { DType, TypedArray, arrayFor } from "../dtype.js";
import { stridesOf } from "../shape.js";
import { stridedCopy } from "./strided-copy.js";

export type ReduceOp = "sum" | "max" | "min" | "prod";

/** Returns the input's data with `axes` moved last, and (outer, inner) extents. */
export function axesLast(x: DenseTensor, axes: readonly number[]): { buf: TypedArray; outer: number; inner: number } {
  const shape = x.aval.shape;
  const keep = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...keep, ...axes];
  const inner = axes.reduce((n, a) => n * shape[a], 1);
  const outer = inner === 0 ? keep.reduce((n, a) => n * shape[a], 1) : x.size / inner;
  if (perm.every((p, i) => p === i)) return { buf: x.buffer, outer, inner };
  const s = stridesOf(shape);
  const buf = arrayFor(x.dtype, x.size);
  stridedCopy(x.buffer, 0, perm.map((p) => s[p]), perm.map((p) => shape[p]), buf);
  return { buf, outer, inner };
}

export function reduce(x: DenseTensor, axes: readonly number[], op: ReduceOp, outShape: readonly number[], outDtype: DType): DenseTensor {
  const { buf, outer, inner } = axesLast(x, axes);
  const out = arrayFor(outDtype, outer);
  switch (op) {
    case "sum":
      for (let o = 0, base = 0; o < outer; o++, base += inner) {
        let acc = 0;
        for (let j = 0; j < inner; j++) acc += buf[base + j];
        out[o] = acc;
      }
      break;
    case "prod":
      for (let o = 0, base = 0; o < outer; o++, base += inner) {
        let acc = 1;
        for (let j = 0; j < inner; j++) acc *= buf[base + j];
        out[o] = acc;
      }
      break;
    case "max":
      for (let o = 0, base = 0; o < outer; o++, base += inner) {
        let acc = -Infinity;
        for (let j = 0; j < inner; j++) { const v = buf[base + j]; if (v > acc || v !== v) { acc = v; if (v !== v) break; } }
        out[o] = acc;
      }
      break;
    case "min":
      for (let o = 0, base = 0; o < outer; o++, base += inner) {
        let acc = Infinity;
        for (let j = 0; j < inner; j++) { const v = buf[base + j]; if (v < acc || v !== v) { acc = v; if (v !== v) break; } }
        out[o] = acc;
      }
      break;
  }
  return new DenseTensor(out, outShape, outDtype);
}

export function argReduce(x: DenseTensor, axis: number, op: "max" | "min", outShape: readonly number[]): DenseTensor {
  const { buf, outer, inner } = axesLast(x, [axis]);
  const out = new Int32Array(outer);
  for (let o = 0, base = 0; o < outer; o++, base += inner) {
    let best = buf[base];
    let bi = 0;
    if (best === best) {
      for (let j = 1; j < inner; j++) {
        const v = buf[base + j];
        if (v !== v) { bi = j; break; } // NaN wins, as in NumPy
        if (op === "max" ? v > best : v < best) { best = v; bi = j; }
      }
    }
    out[o] = bi;
  }
  return new DenseTensor(out, outShape, "int32");
}

/** Inclusive cumulative sum along one axis (optionally from the end). */
export function cumsum(x: DenseTensor, axis: number, reverse: boolean): DenseTensor {
  const shape = x.aval.shape;
  const n = shape[axis];
  const post = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const pre = n * post === 0 ? 0 : x.size / (n * post);
  const src = x.buffer;
  const out = arrayFor(x.dtype, x.size);
  for (let p = 0; p < pre; p++) {
    const base = p * n * post;
    for (let q = 0; q < post; q++) {
      let acc = 0;
      if (!reverse) for (let i = 0; i < n; i++) { const k = base + i * post + q; acc += src[k]; out[k] = acc; }
      else for (let i = n - 1; i >= 0; i--) { const k = base + i * post + q; acc += src[k]; out[k] = acc; }
    }
  }
  return new DenseTensor(out, shape, x.dtype);
}
