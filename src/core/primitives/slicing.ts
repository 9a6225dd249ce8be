// Strided slices (which include flips: negative steps), their transpose "unslice" (embed into
// zeros), and concatenation. Slices run on the strided-copy kernel.
import { ShapedArray } from "../aval.js";
import { DenseTensor } from "../dense.js";
import { arrayFor } from "../dtype.js";
import { bind1 } from "../interpreter.js";
import { stridedCopy, stridedWrite } from "../kernels/strided-copy.js";
import { Primitive, definePrimitive, isUndefined } from "../primitive.js";
import { fmtShape, stridesOf } from "../shape.js";
import { zerosLikeP } from "./arithmetic.js";
import { batchToFront, moveAxis } from "./structural.js";

/** out[i_k] = x[start_k + i_k·step_k]; `shape` is the output extent per axis. */
export type SliceParams = { start: number[]; step: number[]; shape: number[] };

function checkSlice(x: readonly number[], { start, step, shape }: SliceParams): void {
  const bad = x.findIndex((d, k) => shape[k] > 0 && (start[k] < 0 || start[k] >= d || start[k] + (shape[k] - 1) * step[k] < 0 || start[k] + (shape[k] - 1) * step[k] >= d));
  if (start.length !== x.length || bad >= 0) {
    throw new RangeError(`slice: start ${fmtShape(start)} step ${fmtShape(step)} size ${fmtShape(shape)} is out of bounds for shape ${fmtShape(x)}`);
  }
}

export const slice: Primitive<SliceParams> = definePrimitive<SliceParams>({
  name: "slice",
  lower: { kind: "slice", start: (p) => p.start, step: (p) => p.step },
  complex: "parts",
  abstractEval: ([x], p) => { checkSlice(x.shape, p); return new ShapedArray(p.shape, x.dtype); },
  impl: ([x], { start, step, shape }) => {
    const s = stridesOf(x.aval.shape);
    const offset = start.reduce((o, st, k) => o + st * s[k], 0);
    const buf = arrayFor(x.dtype, shape.reduce((a, b) => a * b, 1));
    stridedCopy(x.buffer, offset, s.map((v, k) => v * step[k]), shape, buf);
    return new DenseTensor(buf, shape, x.dtype);
  },
  jvp: ([x], [dx], p) => [bind1(slice, [x], p), bind1(slice, [dx!], p)],
  transpose: (ct, [x], p) => [bind1(unslice, [ct], { ...p, inShape: [...x.aval.shape] })],
  batch: ([x], [d], p) => {
    const f = moveAxis(x, d!, 0);
    return [bind1(slice, [f], { start: [0, ...p.start], step: [1, ...p.step], shape: [f.shape[0], ...p.shape] }), 0];
  },
  formatParams: (p) => `[start=${fmtShape(p.start)} step=${fmtShape(p.step)} shape=${fmtShape(p.shape)}]`,
});

export type UnsliceParams = SliceParams & { inShape: number[] };

/** Transpose of slice: a zero tensor of `inShape` with ct written at the sliced positions. */
export const unslice: Primitive<UnsliceParams> = definePrimitive<UnsliceParams>({
  name: "unslice",
  complex: "parts",
  abstractEval: ([ct], p) => new ShapedArray(p.inShape, ct.dtype),
  impl: ([ct], { start, step, inShape }) => {
    const s = stridesOf(inShape);
    const out = arrayFor(ct.dtype, inShape.reduce((a, b) => a * b, 1));
    const offset = start.reduce((o, st, k) => o + st * s[k], 0);
    stridedWrite(ct.buffer, out, offset, s.map((v, k) => v * step[k]), ct.aval.shape);
    return new DenseTensor(out, inShape, ct.dtype);
  },
  jvp: ([ct], [dct], p) => [bind1(unslice, [ct], p), bind1(unslice, [dct!], p)],
  transpose: (ct, _a, { start, step, shape }) => [bind1(slice, [ct], { start, step, shape })],
  batch: ([x], [d], p) => {
    const f = moveAxis(x, d!, 0);
    const n = f.shape[0];
    return [bind1(unslice, [f], { start: [0, ...p.start], step: [1, ...p.step], shape: [n, ...p.shape], inShape: [n, ...p.inShape] }), 0];
  },
});

export const concatenate: Primitive<{ axis: number }> = definePrimitive<{ axis: number }>({
  name: "concatenate",
  complex: "parts",
  abstractEval: (xs, { axis }) => {
    const first = xs[0];
    for (const x of xs) {
      if (x.dtype !== first.dtype) throw new TypeError(`concatenate: dtypes ${xs.map((a) => a.dtype).join(", ")} differ`);
      if (x.ndim !== first.ndim || x.shape.some((d, k) => k !== axis && d !== first.shape[k])) {
        throw new Error(`concatenate: shapes ${xs.map((a) => fmtShape(a.shape)).join(", ")} do not match outside axis ${axis}`);
      }
    }
    const shape = [...first.shape];
    shape[axis] = xs.reduce((n, x) => n + x.shape[axis], 0);
    return new ShapedArray(shape, first.dtype);
  },
  impl: (xs, { axis }, out) => {
    const buf = arrayFor(out.dtype, out.size);
    const post = out.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const pre = out.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const rowOut = out.shape[axis] * post;
    let col = 0;
    for (const x of xs) {
      const rowIn = x.aval.shape[axis] * post;
      for (let p = 0; p < pre; p++) buf.set(x.buffer.subarray(p * rowIn, (p + 1) * rowIn), p * rowOut + col);
      col += rowIn;
    }
    return new DenseTensor(buf, out.shape, out.dtype);
  },
  jvp: (xs, dxs, p) => {
    const out = bind1(concatenate, xs, p);
    const ts = dxs.map((d, i) => d ?? zerosLikeP(xs[i]));
    return [out, bind1(concatenate, ts, p)];
  },
  transpose: (ct, xs, { axis }) => {
    let offset = 0;
    return xs.map((x) => {
      const shape = [...x.aval.shape];
      const start = shape.map((_, k) => (k === axis ? offset : 0));
      offset += shape[axis];
      return isUndefined(x) ? bind1(slice, [ct], { start, step: shape.map(() => 1), shape }) : null;
    });
  },
  batch: (xs, dims, { axis }) => {
    const n = xs[dims.findIndex((d) => d !== null)].shape[dims.find((d) => d !== null)!];
    return [bind1(concatenate, xs.map((x, i) => batchToFront(x, dims[i], n)), { axis: axis + 1 }), 0];
  },
});
