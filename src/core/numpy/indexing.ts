// Gathers and scatter-adds with NumPy/JAX names: take, takeAlongAxis, segmentSum, indexAdd.
import { DenseTensor, denseFromNested } from "../dense.js";
import { scatterAddP, takeP, wrapIndices } from "../primitives/gather.js";
import { broadcastP, moveAxis, reshapeP } from "../primitives/structural.js";
import { fmtShape, normAxis } from "../shape.js";
import { NestedArray, Tensor, TensorLike } from "../tensor.js";
import { asTensor } from "./coerce.js";
import { add } from "./math.js";
import { zeros } from "./creation.js";

/** Indices given as JS numbers/arrays become int32; a float tensor is refused, not truncated. */
export function asIndices(idx: TensorLike, op: string): Tensor {
  if (idx instanceof Tensor) {
    if (idx.dtype !== "int32") throw new TypeError(`${op}: indices must have dtype int32, got ${idx.dtype}${idx.dtype.startsWith("float") ? " (a float tensor cannot be used as indices; use .astype(\"int32\"))" : ""}`);
    return idx;
  }
  if (typeof idx === "number") {
    if (!Number.isInteger(idx)) throw new TypeError(`${op}: index ${idx} is not an integer`);
    return new DenseTensor(new Int32Array([idx]), [], "int32");
  }
  if (typeof idx === "boolean") throw new TypeError(`${op}: boolean indices are not supported`);
  const t = denseFromNested(idx as NestedArray, "float64", op);
  if (!t.buffer.every((v) => Number.isInteger(v))) throw new TypeError(`${op}: indices must be integers`);
  return t.astype("int32");
}

/** take(x, indices, axis): gather along an axis (null flattens x first); negative indices wrap. */
export function take(x: TensorLike, indices: TensorLike, axis: number | null = null): Tensor {
  let t = asTensor(x, undefined, "take");
  if (axis === null || axis === undefined) { t = reshapeP(t, [t.size]); axis = 0; }
  return takeP(t, asIndices(indices, "take"), normAxis("take", axis, t.ndim));
}

/** takeAlongAxis(x, idx, axis): out[..., i, ...] = x[..., idx[..., i, ...], ...] (idx broadcasts). */
export function takeAlongAxis(x: TensorLike, indices: TensorLike, axis: number): Tensor {
  const t = asTensor(x, undefined, "takeAlongAxis");
  const idx = asIndices(indices, "takeAlongAxis");
  if (idx.ndim !== t.ndim) throw new Error(`takeAlongAxis: indices of rank ${idx.ndim} (shape ${fmtShape(idx.shape)}) must match the rank of x (shape ${fmtShape(t.shape)})`);
  const a = normAxis("takeAlongAxis", axis, t.ndim);
  const xl = moveAxis(t, a, t.ndim - 1);
  const il = moveAxis(idx, a, t.ndim - 1);
  const batch = xl.shape.slice(0, -1).map((d, i) => (d === 1 ? il.shape[i] : d));
  const n = xl.shape[xl.ndim - 1];
  const m = il.shape[il.ndim - 1];
  const xb = broadcastP(xl, [...batch, n]);
  const ib = broadcastP(il, [...batch, m]);
  const rows = batch.reduce((p, d) => p * d, 1);
  const wrapped = wrapIndices("takeAlongAxis", ib, n);
  const offsets = new DenseTensor(Int32Array.from({ length: rows }, (_, r) => r * n), [...batch, 1], "int32");
  const flat = takeP(reshapeP(xb, [rows * n]), reshapeP(add(wrapped, offsets), [rows * m]), 0);
  return moveAxis(reshapeP(flat, [...batch, m]), t.ndim - 1, a);
}

/** Sum rows of `data` that share a segment id: out[s] = Σ_{i: ids[i] = s} data[i]. */
export function segmentSum(data: TensorLike, segmentIds: TensorLike, numSegments?: number): Tensor {
  const d = asTensor(data, undefined, "segmentSum");
  const ids = asIndices(segmentIds, "segmentSum");
  if (ids.ndim !== 1 || ids.shape[0] !== d.shape[0]) {
    throw new Error(`segmentSum: segmentIds of shape ${fmtShape(ids.shape)} must be 1-D with one id per row of data (shape ${fmtShape(d.shape)})`);
  }
  const n = numSegments ?? (ids.size === 0 ? 0 : Math.max(...Array.from(ids.data())) + 1);
  if (ids instanceof DenseTensor) {
    // A negative id would otherwise wrap around to the last segments, silently.
    const bad = ids.buffer.find((i) => i < 0 || i >= n);
    if (bad !== undefined) throw new RangeError(`segmentSum: segment id ${bad} is out of range for ${n} segments (ids must lie in [0, ${n}))`);
  }
  return scatterAddP(zeros([n, ...d.shape.slice(1)], { dtype: d.dtype }), ids, d, 0);
}

/** x with values added at indices along axis (duplicates accumulate), like x.at[idx].add(v). */
export function indexAdd(x: TensorLike, indices: TensorLike, values: TensorLike, axis = 0): Tensor {
  const t = asTensor(x, undefined, "indexAdd");
  const idx = asIndices(indices, "indexAdd");
  const a = normAxis("indexAdd", axis, t.ndim);
  const want = [...t.shape.slice(0, a), ...idx.shape, ...t.shape.slice(a + 1)];
  const v = broadcastP(asTensor(values, t.dtype, "indexAdd"), want);
  return scatterAddP(t, idx, v, a);
}
