// take (gather along an axis) and scatterAdd (its transpose; duplicate indices accumulate).
// Together they are the backbone of neighbour lists and message passing.
import { ShapedArray } from "../aval.js";
import { DenseTensor } from "../dense.js";
import { bind1 } from "../interpreter.js";
import { gather, scatterAdd as scatterAddKernel } from "../kernels/gather.js";
import { Primitive, definePrimitive, isUndefined } from "../primitive.js";
import { fmtShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { addP, ltP, mulP, selectP, zerosLikeP, zerosOfAval } from "./arithmetic.js";
import { batchToFront, moveAxis, reshapeP, transposeP } from "./structural.js";

type AxisParams = { axis: number };

function takeShape(x: readonly number[], idx: readonly number[], axis: number): number[] {
  return [...x.slice(0, axis), ...idx, ...x.slice(axis + 1)];
}

function checkIndices(op: string, idx: ShapedArray): void {
  if (idx.dtype !== "int32") {
    throw new TypeError(`${op}: indices must have dtype int32, got ${idx.dtype}${idx.dtype.startsWith("float") ? " (a float tensor cannot be used as indices; use .astype(\"int32\"))" : ""}`);
  }
}

export const take: Primitive<AxisParams> = definePrimitive<AxisParams>({
  name: "take",
  lower: { kind: "gather", axis: (p) => p.axis },
  complex: "parts",
  abstractEval: ([x, idx], { axis }) => {
    checkIndices("take", idx);
    if (axis < 0 || axis >= x.ndim) throw new RangeError(`take: axis ${axis} out of range for shape ${fmtShape(x.shape)}`);
    return new ShapedArray(takeShape(x.shape, idx.shape, axis), x.dtype);
  },
  impl: ([x, idx], { axis }, out) => gather(x, idx, axis, out.shape),
  jvp: ([x, idx], [dx], p) => [takeP(x, idx, p.axis), dx && takeP(dx, idx, p.axis)],
  transpose: (ct, [x, idx], { axis }) => [isUndefined(x) ? scatterAddP(zerosOfAval(x.aval), idx as Tensor, ct, axis) : null, null],
  batch: ([x, idx], [dx, di], { axis }) => {
    if (di === null) return [takeP(moveAxis(x, dx!, 0), idx, axis + 1), 0];
    const idxF = moveAxis(idx, di, 0);
    if (dx === null) return [takeP(x, idxF, axis), axis];
    // Both batched: fold the batch into the gathered axis and offset each batch's indices.
    const xf = moveAxis(moveAxis(x, dx, 0), axis + 1, 1);
    const [b, n] = xf.shape;
    const flatX = reshapeP(xf, [b * n, ...xf.shape.slice(2)]);
    const flatIdx = offsetIndices("take", idxF, n);
    const g = takeP(flatX, flatIdx, 0); // [B, I..., P..., Q...]
    const nI = idx.ndim - 1;
    const nP = axis;
    const perm = [0, ...range(1 + nI, 1 + nI + nP), ...range(1, 1 + nI), ...range(1 + nI + nP, g.ndim)];
    return [transposeP(g, perm), 0];
  },
});

export const scatterAdd: Primitive<AxisParams> = definePrimitive<AxisParams>({
  name: "scatterAdd",
  lower: { kind: "scatterAdd", axis: (p) => p.axis },
  complex: "parts",
  abstractEval: ([op, idx, upd], { axis }) => {
    checkIndices("indexAdd", idx);
    const want = takeShape(op.shape, idx.shape, axis);
    if (upd.dtype !== op.dtype) throw new TypeError(`indexAdd: values dtype ${upd.dtype} differs from target dtype ${op.dtype}`);
    if (upd.ndim !== want.length || upd.shape.some((d, i) => d !== want[i])) {
      throw new Error(`indexAdd: values of shape ${fmtShape(upd.shape)} do not match target ${fmtShape(op.shape)} indexed by ${fmtShape(idx.shape)} along axis ${axis} (expected ${fmtShape(want)})`);
    }
    return op;
  },
  impl: ([op, idx, upd], { axis }) => scatterAddKernel(op, idx, upd, axis),
  jvp: ([op, idx, upd], [dop, , dupd], p) => [
    scatterAddP(op, idx, upd, p.axis),
    scatterAddP(dop ?? zerosLikeP(op), idx, dupd ?? zerosLikeP(upd), p.axis),
  ],
  transpose: (ct, [op, idx, upd], { axis }) => [
    isUndefined(op) ? ct : null,
    null,
    isUndefined(upd) ? takeP(ct, idx as Tensor, axis) : null,
  ],
  batch: ([op, idx, upd], dims, { axis }) => {
    const b = [op, idx, upd].map((t, i) => (dims[i] === null ? -1 : t.shape[dims[i]!])).find((s) => s >= 0)!;
    const opF = moveAxis(batchToFront(op, dims[0], b), axis + 1, 1); // [B, n, P, Q]
    const n = opF.shape[1];
    const rest = opF.shape.slice(2);
    const idxF = offsetIndices("indexAdd", batchToFront(idx, dims[1], b), n);
    const nI = idx.ndim - (dims[1] === null ? 0 : 1);
    const updF = batchToFront(upd, dims[2], b); // [B, P, I, Q]
    const nP = axis;
    const updT = transposeP(updF, [0, ...range(1 + nP, 1 + nP + nI), ...range(1, 1 + nP), ...range(1 + nP + nI, updF.ndim)]);
    const out = scatterAddP(reshapeP(opF, [b * n, ...rest]), idxF, updT, 0);
    return [moveAxis(reshapeP(out, [b, n, ...rest]), 1, axis + 1), 0];
  },
});

function range(a: number, b: number): number[] { return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i); }


/** Sentinel for an out-of-range index: stays negative after batch offsets are added, so the kernel's bounds check fires. */
const OUT_OF_RANGE = -2147483648;

/**
 * Wrap negative indices into [0, n). Callers fold several rows into one axis (vmap batch
 * rules, takeAlongAxis) where an out-of-range index would silently land in a neighbouring row,
 * so concrete indices are bounds-checked here and traced ones are mapped to a sentinel the
 * kernel rejects.
 */
export function wrapIndices(op: string, idx: Tensor, n: number): Tensor {
  if (idx instanceof DenseTensor) {
    for (const i of idx.buffer) {
      if (i < -n || i >= n) throw new RangeError(`${op}: index ${i} is out of bounds for an axis of size ${n}`);
    }
  }
  const int = (v: number) => new DenseTensor(new Int32Array([v]), [], "int32");
  const wrapped = selectP(ltP(idx, int(0)), addP(idx, int(n)), idx);
  if (idx instanceof DenseTensor) return wrapped;
  const bad = int(OUT_OF_RANGE);
  return selectP(ltP(wrapped, int(0)), bad, selectP(ltP(wrapped, int(n)), wrapped, bad));
}

/** Indices [B, I...] into a batch-folded axis of size B·n: wrap negatives, add b·n. */
function offsetIndices(op: string, idx: Tensor, n: number): Tensor {
  const b = idx.shape[0];
  const nInt = new DenseTensor(new Int32Array([n]), [], "int32");
  const wrapped = wrapIndices(op, idx, n);
  const offsets = new DenseTensor(Int32Array.from({ length: b }, (_, i) => i), [b, ...new Array<number>(idx.ndim - 1).fill(1)], "int32");
  return addP(wrapped, mulP(offsets, nInt));
}

export function takeP(x: Tensor, idx: Tensor, axis: number): Tensor { return bind1(take, [x, idx], { axis }); }
export function scatterAddP(op: Tensor, idx: Tensor, upd: Tensor, axis: number): Tensor {
  return bind1(scatterAdd, [op, idx, upd], { axis });
}
