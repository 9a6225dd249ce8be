// Gather along one axis and its transpose, scatter-add (duplicates accumulate).
import { DenseTensor } from "../dense.js";
import { arrayFor } from "../dtype.js";
import { fmtShape } from "../shape.js";

function extents(shape: readonly number[], axis: number): [number, number, number] {
  const pre = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const post = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return [pre, shape[axis], post];
}

function checkedIndex(op: string, i: number, n: number, shape: readonly number[], axis: number): number {
  const j = i < 0 ? i + n : i;
  if (j < 0 || j >= n) throw new RangeError(`${op}: index ${i} is out of bounds for axis ${axis} with size ${n} (shape ${fmtShape(shape)})`);
  return j;
}

export function gather(x: DenseTensor, idx: DenseTensor, axis: number, outShape: readonly number[]): DenseTensor {
  const [pre, n, post] = extents(x.aval.shape, axis);
  const m = idx.size;
  const out = arrayFor(x.dtype, pre * m * post);
  const src = x.buffer;
  const ib = idx.buffer;
  for (let k = 0; k < m; k++) checkedIndex("take", ib[k], n, x.aval.shape, axis);
  for (let p = 0; p < pre; p++) {
    for (let k = 0; k < m; k++) {
      let j = ib[k];
      if (j < 0) j += n;
      const from = (p * n + j) * post;
      const to = (p * m + k) * post;
      if (post === 1) out[to] = src[from];
      else for (let q = 0; q < post; q++) out[to + q] = src[from + q];
    }
  }
  return new DenseTensor(out, outShape, x.dtype);
}

export function scatterAdd(operand: DenseTensor, idx: DenseTensor, updates: DenseTensor, axis: number): DenseTensor {
  const shape = operand.aval.shape;
  const [pre, n, post] = extents(shape, axis);
  const m = idx.size;
  const out = operand.buffer.slice();
  const ub = updates.buffer;
  const ib = idx.buffer;
  for (let k = 0; k < m; k++) checkedIndex("indexAdd", ib[k], n, shape, axis);
  for (let p = 0; p < pre; p++) {
    for (let k = 0; k < m; k++) {
      let j = ib[k];
      if (j < 0) j += n;
      const to = (p * n + j) * post;
      const from = (p * m + k) * post;
      if (post === 1) out[to] += ub[from];
      else for (let q = 0; q < post; q++) out[to + q] += ub[from + q];
    }
  }
  return new DenseTensor(out, shape, operand.dtype);
}
