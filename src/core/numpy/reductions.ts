// Reductions with NumPy's (x, axis?, { keepdims }) convention.
import { DType, floatResult, isComplex } from "../dtype.js";
import { bind1 } from "../interpreter.js";
import * as R from "../primitives/reductions.js";
import { stopGradientP } from "../primitives/misc.js";
import { reshapeP } from "../primitives/structural.js";
import { normAxes, normAxis } from "../shape.js";
import { Axis, Tensor, TensorLike } from "../tensor.js";
import { asTensor } from "./coerce.js";
import { abs, add, divide, exp, isfinite, log, multiply, square, subtract, where } from "./math.js";

export type KeepDims = { keepdims?: boolean };

function finish(y: Tensor, x: Tensor, axes: number[], opts?: KeepDims): Tensor {
  return opts?.keepdims ? reshapeP(y, R.keptShape(x.shape, axes)) : y;
}

function reducer(prim: typeof R.reduceSum, op: string, accumulate?: (d: DType) => DType) {
  return (x: TensorLike, axis: Axis = null, opts?: KeepDims): Tensor => {
    let t = asTensor(x, undefined, op);
    if (accumulate) t = t.astype(accumulate(t.dtype));
    const axes = normAxes(op, axis, t.ndim);
    return finish(bind1(prim, [t], { axes }), t, axes, opts);
  };
}

const sumType = (d: DType): DType => (d === "bool" ? "int32" : d);
export const sum = reducer(R.reduceSum, "sum", sumType);
export const prod = reducer(R.reduceProd, "prod", sumType);
export const max = reducer(R.reduceMax, "max");
export const min = reducer(R.reduceMin, "min");
export const amax = max;
export const amin = min;

export function mean(x: TensorLike, axis: Axis = null, opts?: KeepDims): Tensor {
  const t = asTensor(x, undefined, "mean");
  const f = t.astype(floatResult(t.dtype));
  const axes = normAxes("mean", axis, t.ndim);
  const n = axes.reduce((k, a) => k * t.shape[a], 1);
  return divide(sum(f, axes, opts), n);
}

/** Variance with `ddof` (0 = population, as NumPy). */
export function variance(x: TensorLike, axis: Axis = null, opts: KeepDims & { ddof?: number } = {}): Tensor {
  const t = asTensor(x, undefined, "var");
  const f = t.astype(floatResult(t.dtype));
  const axes = normAxes("var", axis, t.ndim);
  const n = axes.reduce((k, a) => k * t.shape[a], 1);
  const centred = subtract(f, mean(f, axes, { keepdims: true }));
  // Complex: the mean of |x − x̄|², a real number (as NumPy).
  const sq = isComplex(f.dtype) ? square(abs(centred)) : multiply(centred, centred);
  return divide(sum(sq, axes, opts), n - (opts.ddof ?? 0));
}
export { variance as var };

export function std(x: TensorLike, axis: Axis = null, opts: KeepDims & { ddof?: number } = {}): Tensor {
  return variance(x, axis, opts).sqrt();
}

export function argmax(x: TensorLike, axis: number | null = null, opts?: KeepDims): Tensor {
  return argReduce(R.argmax, "argmax", x, axis, opts);
}
export function argmin(x: TensorLike, axis: number | null = null, opts?: KeepDims): Tensor {
  return argReduce(R.argmin, "argmin", x, axis, opts);
}
function argReduce(prim: typeof R.argmax, op: string, x: TensorLike, axis: number | null, opts?: KeepDims): Tensor {
  let t = asTensor(x, undefined, op);
  if (axis === null || axis === undefined) { t = reshapeP(t, [t.size]); axis = 0; }
  const a = normAxis(op, axis, t.ndim);
  return finish(bind1(prim, [t], { axis: a }), t, [a], opts);
}

/** log Σ exp(x), shifted by the (gradient-stopped) max for stability; all −∞ gives −∞. */
export function logsumexp(x: TensorLike, axis: Axis = null, opts?: KeepDims): Tensor {
  const t = asTensor(x, undefined, "logsumexp");
  const f = t.astype(floatResult(t.dtype));
  const axes = normAxes("logsumexp", axis, t.ndim);
  const m = max(f, axes, { keepdims: true });
  const shift = stopGradientP(where(isfinite(m), m, 0));
  const s = log(sum(exp(subtract(f, shift)), axes, { keepdims: true }));
  const y = add(s, shift);
  return opts?.keepdims ? y : reshapeP(y, f.shape.filter((_, i) => !axes.includes(i)));
}

export function cumsum(x: TensorLike, axis: number | null = null, opts: { reverse?: boolean } = {}): Tensor {
  let t = asTensor(x, undefined, "cumsum");
  if (t.dtype === "bool") t = t.astype("int32");
  if (axis === null || axis === undefined) { t = reshapeP(t, [t.size]); axis = 0; }
  return bind1(R.cumsum, [t], { axis: normAxis("cumsum", axis, t.ndim), reverse: opts.reverse ?? false });
}

export function any(x: TensorLike, axis: Axis = null, opts?: KeepDims): Tensor {
  return max(asTensor(x).astype("int32"), axis, opts).astype("bool");
}
export function all(x: TensorLike, axis: Axis = null, opts?: KeepDims): Tensor {
  return min(asTensor(x).astype("int32"), axis, opts).astype("bool");
}
