// Data-movement primitives: reshape, transpose, broadcastTo. All three are linear, and all
// three run on the one strided-copy kernel (reshape needs no copy at all).
import { ShapedArray } from "../aval.js";
import { DenseTensor } from "../dense.js";
import { arrayFor } from "../dtype.js";
import { bind1 } from "../interpreter.js";
import { stridedCopy } from "../kernels/strided-copy.js";
import { definePrimitive } from "../primitive.js";
import { fmtShape, invertPermutation, isPermutation, sizeOf, stridesOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { reduceSumP } from "./reductions.js";

export const reshape = definePrimitive<{ shape: number[] }>({
  name: "reshape",
  abstractEval: ([x], { shape }) => {
    if (sizeOf(shape) !== x.size) throw new Error(`reshape: cannot reshape ${fmtShape(x.shape)} (${x.size} elements) into ${fmtShape(shape)}`);
    return new ShapedArray(shape, x.dtype);
  },
  impl: ([x], _p, out) => new DenseTensor(x.buffer, out.shape, x.dtype),
  jvp: ([x], [dx], p) => [reshapeP(x, p.shape), dx && reshapeP(dx, p.shape)],
  transpose: (ct, [x]) => [reshapeP(ct, x.aval.shape)],
  batch: ([x], [d], { shape }) => {
    const f = moveAxis(x, d!, 0);
    return [reshapeP(f, [f.shape[0], ...shape]), 0];
  },
  formatParams: (p) => `[shape=${fmtShape(p.shape)}]`,
  lower: { kind: "reshape" },
  complex: "native", // the buffer is reused as is
});

export const transpose = definePrimitive<{ perm: number[] }>({
  name: "transpose",
  abstractEval: ([x], { perm }) => {
    if (!isPermutation(perm, x.ndim)) throw new Error(`transpose: axes ${fmtShape(perm)} are not a permutation of a rank-${x.ndim} tensor's axes`);
    return new ShapedArray(perm.map((p) => x.shape[p]), x.dtype);
  },
  impl: ([x], { perm }, out) => {
    const s = stridesOf(x.aval.shape);
    const buf = arrayFor(x.dtype, x.size);
    stridedCopy(x.buffer, 0, perm.map((p) => s[p]), out.shape, buf);
    return new DenseTensor(buf, out.shape, x.dtype);
  },
  jvp: ([x], [dx], p) => [transposeP(x, p.perm), dx && transposeP(dx, p.perm)],
  transpose: (ct, _a, { perm }) => [transposeP(ct, invertPermutation(perm))],
  batch: ([x], [d], { perm }) => [transposeP(moveAxis(x, d!, 0), [0, ...perm.map((p) => p + 1)]), 0],
  formatParams: (p) => `[perm=${fmtShape(p.perm)}]`,
  lower: { kind: "transpose", perm: (p) => p.perm },
  complex: "parts",
});

export const broadcastTo = definePrimitive<{ shape: number[] }>({
  name: "broadcastTo",
  abstractEval: ([x], { shape }) => {
    const lead = shape.length - x.ndim;
    if (lead < 0 || x.shape.some((d, i) => d !== 1 && d !== shape[i + lead])) {
      throw new Error(`broadcastTo: cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
    }
    return new ShapedArray(shape, x.dtype);
  },
  impl: ([x], { shape }, out) => {
    const lead = shape.length - x.ndim;
    const xs = stridesOf(x.aval.shape);
    const strides = shape.map((_, i) => (i < lead || x.aval.shape[i - lead] === 1 ? 0 : xs[i - lead]));
    const buf = arrayFor(x.dtype, out.size);
    stridedCopy(x.buffer, 0, strides, shape, buf);
    return new DenseTensor(buf, shape, x.dtype);
  },
  jvp: ([x], [dx], p) => [broadcastP(x, p.shape), dx && broadcastP(dx, p.shape)],
  transpose: (ct, [x]) => [sumToShape(ct, x.aval.shape)],
  batch: ([x], [d], { shape }) => {
    const f = moveAxis(x, d!, 0);
    const rest = f.shape.slice(1);
    const padded = reshapeP(f, [f.shape[0], ...new Array<number>(shape.length - rest.length).fill(1), ...rest]);
    return [broadcastP(padded, [f.shape[0], ...shape]), 0];
  },
  formatParams: (p) => `[shape=${fmtShape(p.shape)}]`,
  lower: { kind: "broadcast" },
  complex: "parts",
});

export function reshapeP(x: Tensor, shape: readonly number[]): Tensor {
  if (x.ndim === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  return bind1(reshape, [x], { shape: [...shape] });
}

export function transposeP(x: Tensor, perm: readonly number[]): Tensor {
  if (perm.every((p, i) => p === i)) return x;
  return bind1(transpose, [x], { perm: [...perm] });
}

export function broadcastP(x: Tensor, shape: readonly number[]): Tensor {
  if (x.ndim === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  return bind1(broadcastTo, [x], { shape: [...shape] });
}

/** Move one axis to a new position (used by every batching rule). */
export function moveAxis(x: Tensor, from: number, to: number): Tensor {
  if (from === to) return x;
  const perm = Array.from({ length: x.ndim }, (_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return transposeP(x, perm);
}

/** Sum a broadcast result back to `shape` (transpose of broadcasting). */
export function sumToShape(x: Tensor, shape: readonly number[]): Tensor {
  const lead = x.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length ? reduceSumP(x, axes) : x;
  return reshapeP(summed, shape);
}

/** Give a batched value (bdim d) a batch axis at 0 of size n, broadcasting if unbatched. */
export function batchToFront(x: Tensor, d: number | null, n: number): Tensor {
  if (d !== null) return moveAxis(x, d, 0);
  return broadcastP(reshapeP(x, [1, ...x.shape]), [n, ...x.shape]);
}
