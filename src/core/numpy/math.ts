// Elementwise math with NumPy broadcasting and dtype promotion.
import * as P from "../primitives/arithmetic.js";
import { broadcastP } from "../primitives/structural.js";
import { imagP, realP } from "../primitives/complex.js";
import { isComplex } from "../dtype.js";
import { bind1 } from "../interpreter.js";
import { Primitive } from "../primitive.js";
import { broadcastShapes } from "../shape.js";
import { Tensor, TensorLike } from "../tensor.js";
import { asFloat, asTensor, promoteAll } from "./coerce.js";

/** Operands promoted to a common dtype, with a shape mismatch reported under the user-facing name. */
function operands(op: string, xs: TensorLike[], float?: "float"): Tensor[] {
  const ts = promoteAll(op, xs, float);
  broadcastShapes(op, ...ts.map((t) => t.shape));
  return ts;
}
function binary(prim: Primitive<object>, op: string, float?: "float") {
  return (x: TensorLike, y: TensorLike): Tensor => bind1(prim, operands(op, [x, y], float), {});
}
function unaryFloat(prim: Primitive<object>, op: string) {
  return (x: TensorLike): Tensor => bind1(prim, [asFloat(x, op)], {});
}
function unarySame(prim: Primitive<object>, op: string) {
  return (x: TensorLike): Tensor => bind1(prim, [asTensor(x, undefined, op)], {});
}

export const add = binary(P.add, "add");
export const subtract = binary(P.sub, "subtract");
export const multiply = binary(P.mul, "multiply");
/** True division: integer operands give float64. */
export const divide = binary(P.div, "divide", "float");
export const power = binary(P.pow, "power");
export const maximum = binary(P.maximum, "maximum");
export const minimum = binary(P.minimum, "minimum");
export const arctan2 = binary(P.atan2, "arctan2", "float");
export const mod = binary(P.rem, "mod");
export const remainder = mod;

export function floorDivide(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = promoteAll("floorDivide", [x, y]);
  if (a.dtype === "int32") return subtract(a, mod(a, b)).div(b).astype("int32");
  return floor(divide(a, b));
}

export const negative = unarySame(P.neg, "negative");
export const abs = unarySame(P.abs, "abs");
export const absolute = abs;
export const sign = unarySame(P.sign, "sign");
export const exp = unaryFloat(P.exp, "exp");
export const expm1 = unaryFloat(P.expm1, "expm1");
export const log = unaryFloat(P.log, "log");
export const log1p = unaryFloat(P.log1p, "log1p");
export const sin = unaryFloat(P.sin, "sin");
export const cos = unaryFloat(P.cos, "cos");
export const tan = unaryFloat(P.tan, "tan");
export const arcsin = unaryFloat(P.asin, "arcsin");
export const arccos = unaryFloat(P.acos, "arccos");
export const arctan = unaryFloat(P.atan, "arctan");
export const sinh = unaryFloat(P.sinh, "sinh");
export const cosh = unaryFloat(P.cosh, "cosh");
export const tanh = unaryFloat(P.tanh, "tanh");
export const arcsinh = unaryFloat(P.asinh, "arcsinh");
export const arccosh = unaryFloat(P.acosh, "arccosh");
export const arctanh = unaryFloat(P.atanh, "arctanh");
export const sqrt = unaryFloat(P.sqrt, "sqrt");
export const rsqrt = unaryFloat(P.rsqrt, "rsqrt");
export const erf = unaryFloat(P.erf, "erf");
export const floor = (x: TensorLike): Tensor => { const t = asTensor(x); return t.dtype === "int32" ? t : bind1(P.floor, [asFloat(t, "floor")], {}); };
export const ceil = (x: TensorLike): Tensor => { const t = asTensor(x); return t.dtype === "int32" ? t : bind1(P.ceil, [asFloat(t, "ceil")], {}); };
export const round = (x: TensorLike): Tensor => { const t = asTensor(x); return t.dtype === "int32" ? t : bind1(P.round, [asFloat(t, "round")], {}); };

export function square(x: TensorLike): Tensor { const t = asTensor(x, undefined, "square"); return multiply(t, t); }
export function reciprocal(x: TensorLike): Tensor { return divide(1, x); }
export const log2 = unaryFloat(P.log2, "log2");
export const log10 = unaryFloat(P.log10, "log10");
export const exp2 = unaryFloat(P.exp2, "exp2");
export function hypot(x: TensorLike, y: TensorLike): Tensor { return sqrt(add(square(x), square(y))); }

export function clip(x: TensorLike, lo: TensorLike | null, hi: TensorLike | null): Tensor {
  let t = asTensor(x, undefined, "clip");
  if (lo !== null && lo !== undefined) t = maximum(t, lo);
  if (hi !== null && hi !== undefined) t = minimum(t, hi);
  return t;
}

/** where(cond, x, y) with broadcasting of all three. */
export function where(cond: TensorLike, x: TensorLike, y: TensorLike): Tensor {
  const c = asTensor(cond, undefined, "where");
  const cb = c.dtype === "bool" ? c : notEqual(c, 0);
  const [a, b] = promoteAll("where", [x, y]);
  broadcastShapes("where", cb.shape, a.shape, b.shape);
  return P.selectP(cb, a, b);
}

function compare(prim: Primitive<object>, op: string) {
  return (x: TensorLike, y: TensorLike): Tensor => bind1(prim, operands(op, [x, y]), {});
}
export const less = compare(P.lt, "less");
export const lessEqual = compare(P.le, "lessEqual");
export const greater = compare(P.gt, "greater");
export const greaterEqual = compare(P.ge, "greaterEqual");
export const equal = compare(P.eq, "equal");
export const notEqual = compare(P.ne, "notEqual");

const asBool = (x: TensorLike, op: string): Tensor => {
  const t = asTensor(x, undefined, op);
  return t.dtype === "bool" ? t : notEqual(t, 0);
};
export function logicalAnd(x: TensorLike, y: TensorLike): Tensor { return bind1(P.and, [asBool(x, "logicalAnd"), asBool(y, "logicalAnd")], {}); }
export function logicalOr(x: TensorLike, y: TensorLike): Tensor { return bind1(P.or, [asBool(x, "logicalOr"), asBool(y, "logicalOr")], {}); }
export function logicalXor(x: TensorLike, y: TensorLike): Tensor { return bind1(P.xor, [asBool(x, "logicalXor"), asBool(y, "logicalXor")], {}); }
export function logicalNot(x: TensorLike): Tensor { return bind1(P.not, [asBool(x, "logicalNot")], {}); }
const inexact = (t: Tensor) => t.dtype === "float64" || t.dtype === "float32" || t.dtype === "complex128" || t.dtype === "complex64";
export function isnan(x: TensorLike): Tensor { const t = asTensor(x); return inexact(t) ? bind1(P.isNan, [t], {}) : P.zerosLikeP(t.astype("bool")); }
export function isfinite(x: TensorLike): Tensor { const t = asTensor(x); return inexact(t) ? bind1(P.isFinite, [t], {}) : broadcastP(asTensor(true), t.shape); }
/** ±∞ in a real number or in either part of a complex one (NaN is not infinite), as NumPy. */
export function isinf(x: TensorLike): Tensor {
  const t = asTensor(x, undefined, "isinf");
  if (isComplex(t.dtype)) return logicalOr(isinf(realP(t)), isinf(imagP(t)));
  return logicalNot(logicalOr(isfinite(t), isnan(t)));
}

/** Numerically stable softplus log(1 + eˣ) and friends used across nn code. */
export function logaddexp(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = promoteAll("logaddexp", [x, y], "float");
  // hi + log1p(exp(lo − hi)) equals log(eʰⁱ + eˡᵒ) for any hi, lo, so choosing which operand is
  // hi is not a kink: derivatives of every order are right at x = y (max + |x − y| is not).
  const aBigger = greaterEqual(a, b);
  const hi = where(aBigger, a, b), lo = where(aBigger, b, a);
  const delta = subtract(lo, hi);
  return where(isnan(delta), add(a, b), add(hi, log1p(exp(delta)))); // both ±∞: −∞ or +∞
}
