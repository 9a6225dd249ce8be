// One kernel for every "view-like" op: transpose, broadcast, slice, flip and pad's interior
// are all out[i] = in[offset + Σ i_k · stride_k] with suitable (possibly 0 or negative) strides.
import { TypedArray } from "../dtype.js";

export function stridedCopy(
  src: TypedArray, offset: number, strides: readonly number[], shape: readonly number[], out: TypedArray,
): void {
  const nd = shape.length;
  const n = out.length;
  if (n === 0) return;
  if (nd === 0) { out[0] = src[offset]; return; }
  const inner = shape[nd - 1];
  const innerStride = strides[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  let base = offset;
  let o = 0;
  while (o < n) {
    if (innerStride === 1) {
      for (let j = 0; j < inner; j++) out[o + j] = src[base + j];
    } else {
      for (let j = 0, p = base; j < inner; j++, p += innerStride) out[o + j] = src[p];
    }
    o += inner;
    // advance the odometer over the outer axes
    for (let k = nd - 2; k >= 0; k--) {
      idx[k]++;
      base += strides[k];
      if (idx[k] < shape[k]) break;
      base -= strides[k] * shape[k];
      idx[k] = 0;
    }
  }
}
