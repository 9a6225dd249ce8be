// dotGeneral: contraction over paired axes with paired batch axes (XLA's DotGeneral).
// Output axes: batch, then lhs free axes, then rhs free axes, each in their original order.
// matmul, dot, einsum, outer and tensordot are all written with it.
import { ShapedArray } from "../aval.js";
import { DenseTensor, joinComplex, splitComplex } from "../dense.js";
import { arrayFor, isComplex, realDType } from "../dtype.js";
import { bind1 } from "../interpreter.js";
import { batchedMatmul } from "../kernels/dot.js";
import { stridedCopy } from "../kernels/strided-copy.js";
import { Primitive, definePrimitive, isUndefined } from "../primitive.js";
import { fmtShape, invertPermutation, stridesOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { addTangents } from "./arithmetic.js";
import { moveAxis, transposeP } from "./structural.js";

export type DotParams = { contract: [number[], number[]]; batch: [number[], number[]] };

function freeAxes(ndim: number, contract: number[], batch: number[]): number[] {
  return Array.from({ length: ndim }, (_, i) => i).filter((i) => !contract.includes(i) && !batch.includes(i));
}

function contiguous(x: DenseTensor, perm: number[]): Float64Array | Float32Array | Int32Array | Uint8Array {
  if (perm.every((p, i) => p === i)) return x.buffer;
  const s = stridesOf(x.aval.shape);
  const buf = arrayFor(x.dtype, x.size);
  stridedCopy(x.buffer, 0, perm.map((p) => s[p]), perm.map((p) => x.aval.shape[p]), buf);
  return buf;
}

export const dotGeneral: Primitive<DotParams> = definePrimitive<DotParams>({
  name: "dotGeneral",
  abstractEval: ([a, b], { contract: [ca, cb], batch: [ba, bb] }) => {
    if (a.dtype !== b.dtype) throw new TypeError(`dot: operand dtypes ${a.dtype} and ${b.dtype} differ`);
    const bad = (xs: number[], ys: number[]) => xs.length !== ys.length || xs.some((x, i) => a.shape[x] !== b.shape[ys[i]]);
    if (bad(ca, cb) || bad(ba, bb)) {
      const k = ca.findIndex((x, i) => a.shape[x] !== b.shape[cb[i]]);
      const why = k >= 0 ? ` (${a.shape[ca[k]]} ≠ ${b.shape[cb[k]]})` : "";
      throw new Error(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} do not align${why}`);
    }
    const shape = [...ba.map((i) => a.shape[i]), ...freeAxes(a.ndim, ca, ba).map((i) => a.shape[i]), ...freeAxes(b.ndim, cb, bb).map((i) => b.shape[i])];
    return new ShapedArray(shape, a.dtype);
  },
  impl: ([a, b], p, out) => (isComplex(a.dtype) ? complexDot(a, b, p, out) : realDot(a, b, p, out)),
  complex: "native",
  jvp: ([a, b], [da, db], p) => [dotGeneralP(a, b, p), addTangents(da && dotGeneralP(da, b, p), db && dotGeneralP(a, db, p))],
  // Bilinear, so the transposes contract with the other operand as is (no conjugation, as JAX).
  transpose: (ct, [a, b], p) => [isUndefined(a) ? transposeLhs(ct, b as Tensor, a.aval.ndim, p) : null, isUndefined(b) ? transposeRhs(ct, a as Tensor, b.aval.ndim, p) : null],
  batch: ([a, b], [da, db], { contract: [ca, cb], batch: [ba, bb] }) => {
    const up = (xs: number[]) => xs.map((x) => x + 1);
    if (da !== null && db !== null) {
      const p: DotParams = { contract: [up(ca), up(cb)], batch: [[0, ...up(ba)], [0, ...up(bb)]] };
      return [dotGeneralP(moveAxis(a, da, 0), moveAxis(b, db, 0), p), 0];
    }
    if (da !== null) {
      const p: DotParams = { contract: [up(ca), cb], batch: [up(ba), bb] };
      return [dotGeneralP(moveAxis(a, da, 0), b, p), ba.length];
    }
    const p: DotParams = { contract: [ca, up(cb)], batch: [ba, up(bb)] };
    return [dotGeneralP(a, moveAxis(b, db!, 0), p), ba.length + freeAxes(a.ndim, ca, ba).length];
  },
  formatParams: (p) => `[contract=${JSON.stringify(p.contract)} batch=${JSON.stringify(p.batch)}]`,
});

/** (ar + i·ai)(br + i·bi) = (ar·br − ai·bi) + i(ar·bi + ai·br): four real products on the fast kernel. */
function complexDot(a: DenseTensor, b: DenseTensor, p: DotParams, out: ShapedArray): DenseTensor {
  const [ar, ai] = splitComplex(a);
  const [br, bi] = splitComplex(b);
  const ro = new ShapedArray(out.shape, realDType(out.dtype));
  const sub = (x: DenseTensor, y: DenseTensor, sign: number) => {
    const buf = x.buffer;
    for (let i = 0; i < buf.length; i++) buf[i] += sign * y.buffer[i];
    return x;
  };
  const re = sub(realDot(ar, br, p, ro), realDot(ai, bi, p, ro), -1);
  const im = sub(realDot(ar, bi, p, ro), realDot(ai, br, p, ro), 1);
  return joinComplex(re, im, out.dtype);
}

function realDot(a: DenseTensor, b: DenseTensor, { contract: [ca, cb], batch: [ba, bb] }: DotParams, out: ShapedArray): DenseTensor {
  {
    const fa = freeAxes(a.ndim, ca, ba);
    const fb = freeAxes(b.ndim, cb, bb);
    const size = (t: DenseTensor, ax: number[]) => ax.reduce((n, i) => n * t.aval.shape[i], 1);
    const nb = size(a, ba), m = size(a, fa), k = size(a, ca), n = size(b, fb);
    const A = contiguous(a, [...ba, ...fa, ...ca]);
    const B = contiguous(b, [...bb, ...cb, ...fb]);
    const C = arrayFor(out.dtype, out.size);
    batchedMatmul(A, B, C, nb, m, k, n);
    return new DenseTensor(C, out.shape, out.dtype);
  }
}

/** Cotangent of the lhs: contract ct's rhs-free axes with b's free axes, then restore a's axis order. */
function transposeLhs(ct: Tensor, b: Tensor, aNdim: number, { contract: [ca, cb], batch: [ba, bb] }: DotParams): Tensor {
  const nb = ba.length;
  const fa = freeAxes(aNdim, ca, ba);
  const fb = freeAxes(b.ndim, cb, bb);
  const ctRhsFree = fb.map((_, i) => nb + fa.length + i);
  const r = dotGeneralP(ct, b, { contract: [ctRhsFree, fb], batch: [ba.map((_, i) => i), bb] });
  const cbSorted = [...cb].sort((x, y) => x - y);
  const resultToA = [...ba, ...fa, ...cbSorted.map((w) => ca[cb.indexOf(w)])];
  return transposeP(r, invertPermutation(resultToA));
}

function transposeRhs(ct: Tensor, a: Tensor, bNdim: number, { contract: [ca, cb], batch: [ba, bb] }: DotParams): Tensor {
  const nb = ba.length;
  const fa = freeAxes(a.ndim, ca, ba);
  const fb = freeAxes(bNdim, cb, bb);
  const ctLhsFree = fa.map((_, i) => nb + i);
  const r = dotGeneralP(ct, a, { contract: [ctLhsFree, fa], batch: [ba.map((_, i) => i), ba] });
  const caSorted = [...ca].sort((x, y) => x - y);
  const resultToB = [...bb, ...fb, ...caSorted.map((x) => cb[ca.indexOf(x)])];
  return transposeP(r, invertPermutation(resultToB));
}

export function dotGeneralP(a: Tensor, b: Tensor, p: DotParams): Tensor {
  return bind1(dotGeneral, [a, b], p);
}
