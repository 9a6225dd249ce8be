// Shape manipulation with NumPy semantics, all written with the structural, slicing and
// gather primitives.
import { bind1 } from "../interpreter.js";
import { concatenate as concatPrim, slice as slicePrim } from "../primitives/slicing.js";
import { broadcastP, moveAxis, reshapeP, transposeP } from "../primitives/structural.js";
import { takeP } from "../primitives/gather.js";
import { DenseTensor } from "../dense.js";
import { broadcastShapes, fmtShape, isPermutation, normAxes, normAxis, sizeOf } from "../shape.js";
import { SliceArg, Tensor, TensorLike } from "../tensor.js";
import { asTensor, promoteAll } from "./coerce.js";

export function reshape(x: TensorLike, shape: readonly number[] | number): Tensor {
  const t = asTensor(x, undefined, "reshape");
  const s = typeof shape === "number" ? [shape] : [...shape];
  const unknown = s.filter((d) => d === -1).length;
  if (unknown > 1) throw new Error(`reshape: only one dimension can be -1, got ${fmtShape(s)}`);
  if (unknown === 1) {
    const known = s.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (known === 0 || t.size % known !== 0) throw new Error(`reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) into ${fmtShape(s)}`);
    s[s.indexOf(-1)] = t.size / known;
  }
  if (sizeOf(s) !== t.size) throw new Error(`reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) into ${fmtShape(s)}`);
  return reshapeP(t, s);
}

export function ravel(x: TensorLike): Tensor { return reshape(x, [-1]); }

export function transpose(x: TensorLike, axes?: readonly number[]): Tensor {
  const t = asTensor(x, undefined, "transpose");
  const perm = axes ? axes.map((a) => normAxis("transpose", a, t.ndim)) : t.shape.map((_, i) => t.ndim - 1 - i);
  if (!isPermutation(perm, t.ndim)) throw new Error(`transpose: axes ${fmtShape(axes ?? [])} are not a permutation of ${t.ndim} axes`);
  return transposeP(t, perm);
}

export function swapaxes(x: TensorLike, a: number, b: number): Tensor {
  const t = asTensor(x);
  const perm = t.shape.map((_, i) => i);
  const i = normAxis("swapaxes", a, t.ndim), j = normAxis("swapaxes", b, t.ndim);
  [perm[i], perm[j]] = [perm[j], perm[i]];
  return transposeP(t, perm);
}

export function moveaxis(x: TensorLike, source: number, destination: number): Tensor {
  const t = asTensor(x);
  return moveAxis(t, normAxis("moveaxis", source, t.ndim), normAxis("moveaxis", destination, t.ndim));
}

export function expandDims(x: TensorLike, axis: number | readonly number[]): Tensor {
  const t = asTensor(x);
  const list = typeof axis === "number" ? [axis] : [...axis];
  const nd = t.ndim + list.length;
  const axes = normAxes("expandDims", list, nd);
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < nd; i++) shape.push(axes.includes(i) ? 1 : t.shape[k++]);
  return reshapeP(t, shape);
}

export function squeeze(x: TensorLike, axis: number | readonly number[] | null = null): Tensor {
  const t = asTensor(x);
  const axes = axis === null || axis === undefined ? t.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0) : normAxes("squeeze", axis, t.ndim);
  for (const a of axes) if (t.shape[a] !== 1) throw new Error(`squeeze: cannot squeeze axis ${a} of size ${t.shape[a]} (shape ${fmtShape(t.shape)})`);
  return reshapeP(t, t.shape.filter((_, i) => !axes.includes(i)));
}

export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor(x);
  return broadcastP(t, shape);
}

export function broadcastArrays(...xs: TensorLike[]): Tensor[] {
  const ts = xs.map((x) => asTensor(x));
  const shape = broadcastShapes("broadcastArrays", ...ts.map((t) => t.shape));
  return ts.map((t) => broadcastP(t, shape));
}

export function concatenate(xs: readonly TensorLike[], axis = 0): Tensor {
  if (xs.length === 0) throw new Error("concatenate: need at least one array");
  const ts = promoteAll("concatenate", xs);
  const a = normAxis("concatenate", axis, ts[0].ndim);
  if (ts.length === 1) return ts[0];
  return bind1(concatPrim, ts, { axis: a });
}

export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (xs.length === 0) throw new Error("stack: need at least one array");
  const ts = promoteAll("stack", xs);
  const shape = ts[0].shape;
  ts.forEach((t, i) => {
    if (t.ndim !== shape.length || t.shape.some((d, k) => d !== shape[k])) throw new Error(`stack: array ${i} has shape ${fmtShape(t.shape)}, expected ${fmtShape(shape)}`);
  });
  const a = normAxis("stack", axis, shape.length + 1);
  return concatenate(ts.map((t) => expandDims(t, a)), a);
}

export function hstack(xs: readonly TensorLike[]): Tensor {
  const ts = xs.map((x) => asTensor(x));
  return concatenate(ts, ts[0].ndim === 1 ? 0 : 1);
}
export function vstack(xs: readonly TensorLike[]): Tensor {
  return concatenate(xs.map((x) => { const t = asTensor(x); return t.ndim === 1 ? reshapeP(t, [1, t.shape[0]]) : t; }), 0);
}

/** split(x, sections | indices, axis): equal sections, or cut before each index. */
export function split(x: TensorLike, sections: number | readonly number[], axis = 0): Tensor[] {
  const t = asTensor(x);
  const a = normAxis("split", axis, t.ndim);
  const n = t.shape[a];
  let cuts: number[];
  if (typeof sections === "number") {
    if (n % sections !== 0) throw new Error(`split: axis ${a} of size ${n} does not divide into ${sections} equal sections`);
    cuts = Array.from({ length: sections - 1 }, (_, i) => ((i + 1) * n) / sections);
  } else cuts = [...sections];
  const bounds = [0, ...cuts.map((c) => Math.min(Math.max(c < 0 ? c + n : c, 0), n)), n];
  const out: Tensor[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const lo = bounds[i], hi = Math.max(bounds[i], bounds[i + 1]);
    out.push(sliceAxis(t, a, lo, hi - lo, 1));
  }
  return out;
}

/** Slice `len` elements from `start` with `step` along one axis. */
export function sliceAxis(t: Tensor, axis: number, start: number, len: number, step: number): Tensor {
  if (start === 0 && step === 1 && len === t.shape[axis]) return t;
  const shape = t.shape;
  shape[axis] = len;
  const starts = t.shape.map((_, k) => (k === axis ? start : 0));
  const steps = t.shape.map((_, k) => (k === axis ? step : 1));
  return bind1(slicePrim, [t], { start: starts, step: steps, shape });
}

export function flip(x: TensorLike, axis: number | readonly number[] | null = null): Tensor {
  const t = asTensor(x);
  const axes = normAxes("flip", axis, t.ndim);
  if (t.size === 0) return t;
  return bind1(slicePrim, [t], {
    start: t.shape.map((d, k) => (axes.includes(k) ? d - 1 : 0)),
    step: t.shape.map((_, k) => (axes.includes(k) ? -1 : 1)),
    shape: t.shape,
  });
}

export function tile(x: TensorLike, reps: number | readonly number[]): Tensor {
  const t = asTensor(x);
  const r = typeof reps === "number" ? [reps] : [...reps];
  const nd = Math.max(t.ndim, r.length);
  const shape = [...new Array<number>(nd - t.ndim).fill(1), ...t.shape];
  const rr = [...new Array<number>(nd - r.length).fill(1), ...r];
  // [d0, d1, …] → [1, d0, 1, d1, …] → broadcast [r0, d0, r1, d1, …] → reshape [r0·d0, …]
  const inter = shape.flatMap((d) => [1, d]);
  const target = shape.flatMap((d, i) => [rr[i], d]);
  return reshapeP(broadcastP(reshapeP(t, inter), target), shape.map((d, i) => d * rr[i]));
}

/** repeat(x, n, axis): each element n times (axis null flattens first); n may be per element. */
export function repeat(x: TensorLike, repeats: number | readonly number[], axis: number | null = null): Tensor {
  let t = asTensor(x);
  if (axis === null) { t = reshapeP(t, [t.size]); axis = 0; }
  const a = normAxis("repeat", axis, t.ndim);
  const n = t.shape[a];
  const reps = typeof repeats === "number" ? new Array<number>(n).fill(repeats) : [...repeats];
  if (reps.length !== n) throw new Error(`repeat: ${reps.length} repeat counts for an axis of size ${n}`);
  const idx: number[] = [];
  reps.forEach((r, i) => { for (let k = 0; k < r; k++) idx.push(i); });
  return takeP(t, new DenseTensor(Int32Array.from(idx), [idx.length], "int32"), a);
}

export const newaxis = null;

function parseSliceString(s: string): SliceArg {
  const txt = s.trim();
  if (txt === "..." ) return "...";
  if (txt === "None" || txt === "newaxis") return null;
  if (!txt.includes(":")) {
    const v = Number(txt);
    if (!Number.isInteger(v)) throw new Error(`slice: cannot parse ${JSON.stringify(s)}`);
    return v;
  }
  const parts = txt.split(":").map((p) => p.trim());
  if (parts.length > 3) throw new Error(`slice: cannot parse ${JSON.stringify(s)}`);
  return parts.map((p) => {
    if (p === "") return null;
    const v = Number(p);
    if (!Number.isInteger(v)) throw new Error(`slice: cannot parse ${JSON.stringify(s)}`);
    return v;
  });
}

/**
 * NumPy basic indexing: `slice(x, 0, [1, 3], [], null, "...")` — a number picks (and drops)
 * an index, `[start, stop, step]` slices (`[]` = all, nulls = defaults), `null` inserts a new
 * axis, "..." fills with full slices; strings like "1:3", "::-1", ":" are parsed.
 * A single string with commas ("1:, ::2, None") is also accepted.
 */
export function slice(x: TensorLike, ...args: SliceArg[]): Tensor {
  const t = asTensor(x, undefined, "slice");
  if (args.length === 1 && typeof args[0] === "string" && args[0].includes(",")) args = args[0].split(",").map(parseSliceString);
  args = args.map((a) => (typeof a === "string" && a !== "..." ? parseSliceString(a) : a));
  const ellipses = args.filter((a) => a === "...").length;
  if (ellipses > 1) throw new Error("slice: at most one ellipsis");
  const consumed = args.filter((a) => a !== null && a !== "...").length;
  if (consumed > t.ndim) throw new Error(`slice: too many indices (${consumed}) for a tensor of rank ${t.ndim}`);
  const full = args.flatMap((a) => (a === "..." ? new Array<SliceArg>(t.ndim - consumed).fill([]) : [a]));
  while (full.filter((a) => a !== null).length < t.ndim) full.push([]);
  const start: number[] = [], step: number[] = [], shape: number[] = [];
  const outShape: number[] = [];
  let k = 0;
  for (const a of full) {
    if (a === null) { outShape.push(1); continue; }
    const n = t.shape[k];
    if (typeof a === "number") {
      if (!Number.isInteger(a) || a < -n || a >= n) throw new RangeError(`slice: index ${a} is out of bounds for axis ${k} with size ${n}`);
      start.push(a < 0 ? a + n : a); step.push(1); shape.push(1);
    } else {
      const [b, e, s] = a as readonly (number | null | undefined)[];
      const st = s ?? 1;
      if (st === 0) throw new Error("slice: step must not be zero");
      const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
      let lo: number, len: number;
      if (st > 0) {
        lo = b == null ? 0 : clamp(b < 0 ? b + n : b, 0, n);
        const hi = e == null ? n : clamp(e < 0 ? e + n : e, 0, n);
        len = Math.max(0, Math.ceil((hi - lo) / st));
      } else {
        lo = b == null ? n - 1 : clamp(b < 0 ? b + n : b, -1, n - 1);
        const hi = e == null ? -1 : clamp(e < 0 ? e + n : e, -1, n - 1);
        len = Math.max(0, Math.ceil((hi - lo) / st));
      }
      start.push(len === 0 ? 0 : lo); step.push(st); shape.push(len);
      outShape.push(len);
    }
    k++;
  }
  const identity = start.every((s, i) => s === 0 && step[i] === 1 && shape[i] === t.shape[i]);
  const sliced = identity ? t : bind1(slicePrim, [t], { start, step, shape });
  return reshapeP(sliced, outShape);
}
