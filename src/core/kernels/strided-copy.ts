// One kernel for every "view-like" op: transpose, broadcast, slice, flip and pad's interior
// are all out[i] = in[offset + Σ i_k · stride_k] with suitable (possibly 0 or negative) strides.
// stridedWrite is its transpose (used by unslice). Both walk the outer axes with an odometer and
// run a tight loop over the last axis.
import { TypedArray } from "../dtype.js";

/** Advance the outer-axis odometer; returns the new base offset. */
function advance(idx: number[], base: number, strides: readonly number[], shape: readonly number[]): number {
  for (let k = shape.length - 2; k >= 0; k--) {
    idx[k]++;
    base += strides[k];
    if (idx[k] < shape[k]) return base;
    base -= strides[k] * shape[k];
    idx[k] = 0;
  }
  return base;
}

export function stridedCopy(
  src: TypedArray, offset: number, strides: readonly number[], shape: readonly number[], out: TypedArray,
): void {
  const nd = shape.length;
  const n = out.length;
  if (n === 0) return;
  if (nd === 0) { out[0] = src[offset]; return; }
  const inner = shape[nd - 1];
  const step = strides[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  for (let o = 0, base = offset; o < n; o += inner, base = advance(idx, base, strides, shape)) {
    if (step === 1) for (let j = 0; j < inner; j++) out[o + j] = src[base + j];
    else for (let j = 0, p = base; j < inner; j++, p += step) out[o + j] = src[p];
  }
}

/** out[offset + Σ i_k · stride_k] = src[i]; other elements of out are left as they are. */
export function stridedWrite(
  src: TypedArray, out: TypedArray, offset: number, strides: readonly number[], shape: readonly number[],
): void {
  const nd = shape.length;
  const n = src.length;
  if (n === 0) return;
  if (nd === 0) { out[offset] = src[0]; return; }
  const inner = shape[nd - 1];
  const step = strides[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  for (let o = 0, base = offset; o < n; o += inner, base = advance(idx, base, strides, shape)) {
    for (let j = 0, p = base; j < inner; j++, p += step) out[p] = src[o + j];
  }
}
