// Reductions over axes (sum, max, min, prod), arg-reductions and cumulative sums.
import { ShapedArray } from "../aval.js";
import { DenseTensor } from "../dense.js";
import { arrayFor, isComplex } from "../dtype.js";
import { bind1 } from "../interpreter.js";
import { argReduce, cumsum as cumsumKernel, reduce } from "../kernels/reduce.js";
import { BDim, Primitive, definePrimitive } from "../primitive.js";
import { fmtShape, normAxis } from "../shape.js";
import { Tensor } from "../tensor.js";
import { broadcastP, moveAxis, reshapeP, transposeP } from "./structural.js";
import * as ew from "./arithmetic.js";

type AxesParams = { axes: number[] };

function reducedAval(name: string, x: ShapedArray, axes: number[], dtype = x.dtype): ShapedArray {
  for (const a of axes) if (a < 0 || a >= x.ndim) throw new RangeError(`${name}: axis ${a} out of range for shape ${fmtShape(x.shape)}`);
  return new ShapedArray(x.shape.filter((_, i) => !axes.includes(i)), dtype);
}

function batchAxes(x: Tensor, d: BDim, axes: number[]): [Tensor, number[]] {
  return [moveAxis(x, d!, 0), axes.map((a) => a + 1)];
}

/** The shape a reduced value has with its reduced axes kept as size 1 (for broadcasting back). */
export function keptShape(inShape: readonly number[], axes: readonly number[]): number[] {
  return inShape.map((d, i) => (axes.includes(i) ? 1 : d));
}

export const reduceSum: Primitive<AxesParams> = definePrimitive<AxesParams>({
  name: "reduceSum",
  lower: { kind: "reduce", op: "sum", axes: (p) => p.axes },
  complex: "parts",
  abstractEval: ([x], { axes }) => reducedAval("sum", x, axes),
  impl: ([x], { axes }, out) => reduce(x, axes, "sum", out.shape, out.dtype),
  jvp: ([x], [dx], p) => [reduceSumP(x, p.axes), dx && reduceSumP(dx, p.axes)],
  transpose: (ct, [x], { axes }) => [broadcastP(reshapeP(ct, keptShape(x.aval.shape, axes)), x.aval.shape)],
  batch: ([x], [d], { axes }) => { const [y, a] = batchAxes(x, d, axes); return [reduceSumP(y, a), 0]; },
});

export function reduceSumP(x: Tensor, axes: readonly number[]): Tensor {
  if (axes.length === 0) return x;
  return bind1(reduceSum, [x], { axes: [...axes] });
}

/** Derivative of max/min: the tangent at the extremal positions, shared equally among ties. */
function extremumJvp(x: Tensor, dx: Tensor, y: Tensor, axes: number[]): Tensor {
  const yk = reshapeP(y, keptShape(x.shape, axes));
  const mask = ew.convertP(ew.eqP(x, broadcastP(yk, x.shape)), x.dtype);
  const count = reduceSumP(mask, axes);
  return ew.divP(reduceSumP(ew.mulP(mask, dx), axes), count);
}

/** max and min share every rule but the comparison. */
function extremum(op: "max" | "min"): Primitive<AxesParams> {
  const prim: Primitive<AxesParams> = definePrimitive<AxesParams>({
    name: op === "max" ? "reduceMax" : "reduceMin",
    lower: { kind: "reduce", op, axes: (p) => p.axes },
    abstractEval: ([x], { axes }) => reducedAval(op, x, axes),
    impl: ([x], { axes }, out) => {
      if (axes.some((a) => x.aval.shape[a] === 0)) throw new Error(`${op}: zero-size reduction over axes ${fmtShape(axes)} of shape ${fmtShape(x.shape)} has no identity`);
      return reduce(x, axes, op, out.shape, out.dtype);
    },
    jvp: ([x], [dx], { axes }) => { const y = bind1(prim, [x], { axes }); return [y, extremumJvp(x, dx!, y, axes)]; },
    batch: ([x], [d], { axes }) => { const [y, a] = batchAxes(x, d, axes); return [bind1(prim, [y], { axes: a }), 0]; },
  });
  return prim;
}
export const reduceMax = extremum("max");
export const reduceMin = extremum("min");

export const reduceProd: Primitive<AxesParams> = definePrimitive<AxesParams>({
  name: "reduceProd",
  lower: { kind: "reduce", op: "prod", axes: (p) => p.axes },
  abstractEval: ([x], { axes }) => reducedAval("prod", x, axes),
  impl: ([x], { axes }, out) => (isComplex(x.dtype) ? complexProd(x, axes, out) : reduce(x, axes, "prod", out.shape, out.dtype)),
  complex: "native",
  // d(Πx) = Σ_i dx_i Π_{j≠i} x_j, computed without dividing by x (exact when some x_i = 0):
  // flatten the reduced axes to n, build the n×n matrix with x off the diagonal and 1 on it.
  jvp: ([x], [dx], { axes }) => {
    const y = bind1(reduceProd, [x], { axes });
    const keep = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const n = axes.reduce((k, a) => k * x.shape[a], 1);
    const outer = keep.map((a) => x.shape[a]);
    const flat = (t: Tensor) => reshapeP(transposeP(t, [...keep, ...axes]), [...outer, n]);
    const xf = flat(x);
    const eye = ew.eyeBool(n);
    const grid = broadcastP(reshapeP(xf, [...outer, 1, n]), [...outer, n, n]);
    const ones = broadcastP(ew.scalarLike(1, x.dtype), [...outer, n, n]);
    const others = bind1(reduceProd, [ew.selectP(broadcastP(eye, [...outer, n, n]), ones, grid)], { axes: [outer.length + 1] });
    return [y, reduceSumP(ew.mulP(others, flat(dx!)), [outer.length])];
  },
  batch: ([x], [d], { axes }) => { const [y, a] = batchAxes(x, d, axes); return [bind1(reduceProd, [y], { axes: a }), 0]; },
});

/** Product of complex numbers over `axes`: the reduced axes are moved last, then multiplied out. */
function complexProd(x: DenseTensor, axes: number[], out: ShapedArray): DenseTensor {
  const keep = x.aval.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const moved = transposeP(x, [...keep, ...axes]) as DenseTensor;
  const n = axes.reduce((k, a) => k * x.aval.shape[a], 1);
  const src = moved.buffer;
  const buf = arrayFor(out.dtype, out.size);
  for (let o = 0; o < out.size; o++) {
    let pr = 1, pi = 0;
    for (let j = 0; j < n; j++) {
      const k = 2 * (o * n + j);
      const t = pr * src[k] - pi * src[k + 1];
      pi = pr * src[k + 1] + pi * src[k];
      pr = t;
    }
    buf[2 * o] = pr;
    buf[2 * o + 1] = pi;
  }
  return new DenseTensor(buf, out.shape, out.dtype);
}

type ArgParams = { axis: number };
function argAval(name: string, x: ShapedArray, axis: number): ShapedArray {
  normAxis(name, axis, x.ndim);
  if (x.shape[axis] === 0) throw new Error(`${name}: attempt to get ${name} of an empty axis (shape ${fmtShape(x.shape)})`);
  return reducedAval(name, x, [axis], "int32");
}

export const argmax: Primitive<ArgParams> = definePrimitive<ArgParams>({
  name: "argmax",
  nonDifferentiable: true,
  abstractEval: ([x], { axis }) => argAval("argmax", x, axis),
  impl: ([x], { axis }, out) => argReduce(x, axis, "max", out.shape),
  batch: ([x], [d], { axis }) => [bind1(argmax, [moveAxis(x, d!, 0)], { axis: axis + 1 }), 0],
});

export const argmin: Primitive<ArgParams> = definePrimitive<ArgParams>({
  name: "argmin",
  nonDifferentiable: true,
  abstractEval: ([x], { axis }) => argAval("argmin", x, axis),
  impl: ([x], { axis }, out) => argReduce(x, axis, "min", out.shape),
  batch: ([x], [d], { axis }) => [bind1(argmin, [moveAxis(x, d!, 0)], { axis: axis + 1 }), 0],
});

export const cumsum: Primitive<{ axis: number; reverse: boolean }> = definePrimitive<{ axis: number; reverse: boolean }>({
  name: "cumsum",
  complex: "parts",
  abstractEval: ([x], { axis }) => { normAxis("cumsum", axis, x.ndim); return x; },
  impl: ([x], { axis, reverse }) => cumsumKernel(x, axis, reverse),
  jvp: ([x], [dx], p) => [bind1(cumsum, [x], p), bind1(cumsum, [dx!], p)],
  transpose: (ct, _a, { axis, reverse }) => [bind1(cumsum, [ct], { axis, reverse: !reverse })],
  batch: ([x], [d], { axis, reverse }) => [bind1(cumsum, [moveAxis(x, d!, 0)], { axis: axis + 1, reverse }), 0],
});
