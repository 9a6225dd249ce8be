// Affine views of materialised buffers: reshape/transpose/broadcast/slice of a value that already
// lives in memory cost nothing in a fused loop — they only change the index arithmetic.
import { stridesOf } from "../shape.js";

export interface View {
  /** Which materialised buffer (an index into the program's value slots). */
  slot: number;
  offset: number;
  shape: number[];
  strides: number[];
}

export function contiguousView(slot: number, shape: readonly number[]): View {
  return { slot, offset: 0, shape: [...shape], strides: stridesOf(shape) };
}

export function isContiguous(v: View): boolean {
  const s = stridesOf(v.shape);
  return v.shape.every((d, i) => d === 1 || s[i] === v.strides[i]);
}

export function transposeView(v: View, perm: readonly number[]): View {
  return { ...v, shape: perm.map((p) => v.shape[p]), strides: perm.map((p) => v.strides[p]) };
}

/** NumPy broadcasting (right-aligned): new and size-1 axes get stride 0. */
export function broadcastView(v: View, shape: readonly number[]): View {
  const lead = shape.length - v.shape.length;
  return {
    ...v,
    shape: [...shape],
    strides: shape.map((d, i) => (i < lead || (v.shape[i - lead] === 1 && d !== 1) ? 0 : v.strides[i - lead])),
  };
}

export function sliceView(v: View, start: readonly number[], step: readonly number[], shape: readonly number[]): View {
  return {
    ...v,
    offset: v.offset + start.reduce((o, s, k) => o + s * v.strides[k], 0),
    shape: [...shape],
    strides: v.strides.map((s, k) => s * step[k]),
  };
}

/** A reshape is a view when the source is contiguous, or when it only adds/removes size-1 axes. */
export function reshapeView(v: View, shape: readonly number[]): View | null {
  if (isContiguous(v)) return { ...v, shape: [...shape], strides: stridesOf(shape) };
  const nonUnit = v.shape.map((d, i) => [d, v.strides[i]]).filter(([d]) => d !== 1);
  const target = shape.filter((d) => d !== 1);
  if (nonUnit.length !== target.length || nonUnit.some(([d], i) => d !== target[i])) return null;
  let k = 0;
  return { ...v, shape: [...shape], strides: shape.map((d) => (d === 1 ? 0 : nonUnit[k++][1])) };
}

export function isIdentityView(v: View, size: number): boolean {
  return v.offset === 0 && isContiguous(v) && v.shape.reduce((a, b) => a * b, 1) === size;
}
