// Elementwise primitives. Each entry holds all of its rules: the kernel expression, the jvp,
// and (for linear ops) the transpose. Batching is the shared elementwise rule.
import { ShapedArray } from "../aval.js";
import { DenseTensor, scalarDense } from "../dense.js";
import { DType, isComplex, realDType } from "../dtype.js";
import { DIV_BODY, POW_BODY, callBody } from "../kernels/complex-elementwise.js";
import { bind1 } from "../interpreter.js";
import { Primitive, isUndefined } from "../primitive.js";
import { broadcastShapes } from "../shape.js";
import { Tensor } from "../tensor.js";
import { defineElementwise, unbroadcast } from "./elementwise.js";
import { broadcastP } from "./structural.js";
import { conjP, realP } from "./complex.js";

const FLOATS: DType[] = ["float64", "float32"];
const NUMERIC: DType[] = ["float64", "float32", "int32"];

export function scalarLike(v: number, dtype: DType): DenseTensor { return scalarDense(v, dtype); }

/** Add two tangents/cotangents where either may be symbolically zero (null). */
export function addTangents(a: Tensor | null, b: Tensor | null): Tensor | null {
  if (a === null) return b;
  if (b === null) return a;
  return addP(a, b);
}

// ---- linear arithmetic -------------------------------------------------------------------

export const add = defineElementwise({
  name: "add",
  sum: true,
  accepts: NUMERIC,
  expr: () => (a, b) => `${a} + ${b}`,
  complex: () => "re = x0r + x1r; im = x0i + x1i;",
  jvp: ([x, y], [dx, dy]) => [addP(x, y), addTangents(dx && broadcastLike(dx, x, y), dy && broadcastLike(dy, y, x))],
  transpose: (ct, [x, y]) => [isUndefined(x) ? unbroadcast(ct, x) : null, isUndefined(y) ? unbroadcast(ct, y) : null],
});

export const sub = defineElementwise({
  name: "sub",
  accepts: NUMERIC,
  expr: () => (a, b) => `${a} - ${b}`,
  complex: () => "re = x0r - x1r; im = x0i - x1i;",
  jvp: ([x, y], [dx, dy]) => [subP(x, y), addTangents(dx && broadcastLike(dx, x, y), dy && negP(broadcastLike(dy, y, x)))],
  transpose: (ct, [x, y]) => [isUndefined(x) ? unbroadcast(ct, x) : null, isUndefined(y) ? unbroadcast(negP(ct), y) : null],
});

export const neg = defineElementwise({
  name: "neg",
  accepts: NUMERIC,
  expr: () => (a) => `-${a}`,
  complex: () => "re = -x0r; im = -x0i;",
  jvp: ([x], [dx]) => [negP(x), negP(dx!)],
  transpose: (ct) => [negP(ct)],
});

export const mul = defineElementwise({
  name: "mul",
  accepts: [...NUMERIC, "bool"],
  expr: (d) => (d === "int32" ? (a, b) => `Math.imul(${a}, ${b})` : d === "bool" ? (a, b) => `${a} & ${b}` : (a, b) => `${a} * ${b}`),
  complex: () => "re = x0r * x1r - x0i * x1i; im = x0r * x1i + x0i * x1r;",
  jvp: ([x, y], [dx, dy]) => [mulP(x, y), addTangents(dx && mulP(dx, y), dy && mulP(x, dy))],
  transpose: (ct, [x, y]) => [
    isUndefined(x) ? unbroadcast(mulP(ct, y as Tensor), x) : null,
    isUndefined(y) ? unbroadcast(mulP(x as Tensor, ct), y) : null,
  ],
});

export const div = defineElementwise({
  name: "div",
  accepts: FLOATS,
  expr: () => (a, b) => `${a} / ${b}`,
  complex: () => DIV_BODY,
  jvp: ([x, y], [dx, dy]) => {
    const out = divP(x, y);
    return [out, addTangents(dx && divP(dx, y), dy && negP(mulP(dy, divP(out, y))))];
  },
  transpose: (ct, [x, y]) => [isUndefined(x) ? unbroadcast(divP(ct, y as Tensor), x) : null, null],
});

function integerPower(base: string, exponent: string): string | null {
  if (!/^-?\d+$/.test(exponent)) return null;
  const n = Number(exponent);
  if (n === 0 || Math.abs(n) > 8) return null;
  const prod = `(${new Array<string>(Math.abs(n)).fill(base).join(" * ")})`;
  return n > 0 ? prod : `(1 / ${prod})`;
}

// ---- nonlinear binary ----------------------------------------------------------------------

export const pow = defineElementwise({
  name: "pow",
  accepts: NUMERIC,
  // A small integer exponent (a literal in fused code) becomes a product, as a hand-written loop would.
  expr: () => (a, b) => integerPower(a, b) ?? `Math.pow(${a}, ${b})`,
  complex: () => POW_BODY,
  jvp: ([x, y], [dx, dy]) => {
    const out = powP(x, y);
    // d/dx: y·x^(y-1), written so that x = 0 with y ≥ 1 gives a finite result, and taken as 0
    // at x = y = 0 (x⁰ is constant; 0·0⁻¹ would be NaN). Only there: elsewhere the full
    // expression is kept so that its own derivative in y (1/x at y = 0) survives.
    const full = dx && mulP(y, powP(x, subP(y, scalarLike(1, y.dtype))));
    const dfx = dx && mulP(dx, selectP(eqP(x, scalarLike(0, x.dtype)), selectP(eqP(y, scalarLike(0, y.dtype)), zerosLikeP(full!), full!), full!));
    // d/dy: log(x)·x^y, taken as 0 where x = 0 (the limit for y > 0), as JAX does.
    const zero = scalarLike(0, x.dtype);
    const safeLog = dy && selectP(eqP(x, zero), broadcastP(zero, x.shape), logP(selectP(eqP(x, zero), broadcastP(scalarLike(1, x.dtype), x.shape), x)));
    const dfy = dy && mulP(dy, mulP(safeLog!, out));
    return [out, addTangents(dfx, dfy)];
  },
});

export const maximum = defineElementwise({
  name: "max",
  accepts: NUMERIC,
  expr: () => (a, b) => `(${a} > ${b} || ${a} !== ${a}) ? ${a} : ${b}`,
  jvp: ([x, y], [dx, dy]) => [maxP(x, y), pickTangent(x, y, dx, dy, gtP(x, y))],
});

export const minimum = defineElementwise({
  name: "min",
  accepts: NUMERIC,
  expr: () => (a, b) => `(${a} < ${b} || ${a} !== ${a}) ? ${a} : ${b}`,
  jvp: ([x, y], [dx, dy]) => [minP(x, y), pickTangent(x, y, dx, dy, ltP(x, y))],
});

/** Tangent of max/min: the winner's tangent, split evenly on ties (as JAX does). */
function pickTangent(x: Tensor, y: Tensor, dx: Tensor | null, dy: Tensor | null, xWins: Tensor): Tensor {
  const d = x.dtype;
  const tie = eqP(x, y);
  const half = scalarLike(0.5, d);
  const one = scalarLike(1, d);
  const zero = scalarLike(0, d);
  const wx = selectP(tie, half, selectP(xWins, one, zero));
  const wy = subP(one, wx);
  return addTangents(dx && mulP(dx, wx), dy && mulP(dy, wy))!;
}

export const atan2 = defineElementwise({
  name: "atan2",
  accepts: FLOATS,
  expr: () => (a, b) => `Math.atan2(${a}, ${b})`,
  jvp: ([y, x], [dy, dx]) => {
    const r2 = addP(mulP(x, x), mulP(y, y));
    return [atan2P(y, x), addTangents(dy && mulP(dy, divP(x, r2)), dx && negP(mulP(dx, divP(y, r2))))];
  },
});

export const rem = defineElementwise({
  name: "mod",
  accepts: NUMERIC,
  expr: (d) => (d === "int32" ? (a, b) => `lib.intFloorMod(${a}, ${b})` : (a, b) => `lib.floorMod(${a}, ${b})`),
  // x mod y = x − floor(x/y)·y: derivative 1 in x and −floor(x/y) in y.
  jvp: ([x, y], [dx, dy]) => [remP(x, y), addTangents(dx && broadcastLike(dx, x, y), dy && negP(mulP(dy, floorP(divP(x, y)))))],
});

// ---- unary math ----------------------------------------------------------------------------

type UnaryDef = {
  name: string; fn: (a: string) => string; jvp: (x: Tensor, y: Tensor, dx: Tensor) => Tensor | null; accepts?: DType[];
  /** Kernel body for complex input (see kernels/complex-elementwise.ts). */
  complex?: string; outDType?: (d: DType) => DType;
};

function unary({ name, fn, jvp, accepts, complex, outDType }: UnaryDef): Primitive<object> {
  const prim: Primitive<object> = defineElementwise({
    name,
    accepts: accepts ?? FLOATS,
    expr: () => fn,
    complex: complex === undefined ? undefined : () => complex,
    outDType,
    jvp: ([x], [dx]) => { const y = bind1(prim, [x], {}); return [y, jvp(x, y, dx!)]; },
  });
  return prim;
}
const c = (v: number, like: Tensor): Tensor => scalarLike(v, like.dtype);

export const exp = unary({
  name: "exp", fn: (a) => `Math.exp(${a})`, jvp: (_x, y, dx) => mulP(dx, y),
  complex: "const m = Math.exp(x0r); if (x0i === 0) { re = m; im = x0i; } else { re = m * Math.cos(x0i); im = m * Math.sin(x0i); }",
});
export const expm1 = unary({ name: "expm1", fn: (a) => `Math.expm1(${a})`, jvp: (_x, y, dx) => mulP(dx, addP(y, c(1, y))), complex: callBody("cexpm1") });
export const exp2 = unary({
  name: "exp2", fn: (a) => `Math.pow(2, ${a})`, jvp: (_x, y, dx) => mulP(dx, mulP(y, c(Math.LN2, y))), complex: callBody("cexp2"),
});
export const log = unary({
  name: "log", fn: (a) => `Math.log(${a})`, jvp: (x, _y, dx) => divP(dx, x),
  complex: callBody("clog"),
});
export const log2 = unary({ name: "log2", fn: (a) => `Math.log2(${a})`, jvp: (x, _y, dx) => divP(dx, mulP(x, c(Math.LN2, x))), complex: callBody("clog", Math.LOG2E) });
export const log10 = unary({ name: "log10", fn: (a) => `Math.log10(${a})`, jvp: (x, _y, dx) => divP(dx, mulP(x, c(Math.LN10, x))), complex: callBody("clog", Math.LOG10E) });
export const log1p = unary({ name: "log1p", fn: (a) => `Math.log1p(${a})`, jvp: (x, _y, dx) => divP(dx, addP(x, c(1, x))), complex: callBody("clog1p") });
export const sin = unary({
  name: "sin", fn: (a) => `Math.sin(${a})`, jvp: (x, _y, dx) => mulP(dx, cosP(x)),
  complex: "re = Math.sin(x0r) * Math.cosh(x0i); im = Math.cos(x0r) * Math.sinh(x0i);",
});
export const cos = unary({
  name: "cos", fn: (a) => `Math.cos(${a})`, jvp: (x, _y, dx) => negP(mulP(dx, sinP(x))),
  complex: "re = Math.cos(x0r) * Math.cosh(x0i); im = -Math.sin(x0r) * Math.sinh(x0i);",
});
// The inverse functions' derivatives hold off their branch cuts with principal square roots:
// 1 − z² (asin, acos) and 1 + z² (asinh) are negative real exactly on the cuts. acosh needs
// √(z − 1)·√(z + 1), not √(z² − 1), which has the wrong sign for Re z < 0.
export const tan = unary({ name: "tan", fn: (a) => `Math.tan(${a})`, jvp: (_x, y, dx) => mulP(dx, addP(c(1, y), mulP(y, y))), complex: callBody("ctan") });
export const asin = unary({ name: "asin", fn: (a) => `Math.asin(${a})`, jvp: (x, _y, dx) => mulP(dx, rsqrtP(subP(c(1, x), mulP(x, x)))), complex: callBody("casin") });
export const acos = unary({ name: "acos", fn: (a) => `Math.acos(${a})`, jvp: (x, _y, dx) => negP(mulP(dx, rsqrtP(subP(c(1, x), mulP(x, x))))), complex: callBody("cacos") });
export const atan = unary({ name: "atan", fn: (a) => `Math.atan(${a})`, jvp: (x, _y, dx) => divP(dx, addP(c(1, x), mulP(x, x))), complex: callBody("catan") });
export const asinh = unary({ name: "asinh", fn: (a) => `Math.asinh(${a})`, jvp: (x, _y, dx) => mulP(dx, rsqrtP(addP(c(1, x), mulP(x, x)))), complex: callBody("casinh") });
export const acosh = unary({
  name: "acosh", fn: (a) => `Math.acosh(${a})`, complex: callBody("cacosh"),
  jvp: (x, _y, dx) => divP(dx, mulP(sqrtP(subP(x, c(1, x))), sqrtP(addP(x, c(1, x))))),
});
export const atanh = unary({ name: "atanh", fn: (a) => `Math.atanh(${a})`, jvp: (x, _y, dx) => divP(dx, subP(c(1, x), mulP(x, x))), complex: callBody("catanh") });
export const sinh = unary({
  name: "sinh", fn: (a) => `Math.sinh(${a})`, jvp: (x, _y, dx) => mulP(dx, coshP(x)),
  complex: "re = Math.sinh(x0r) * Math.cos(x0i); im = Math.cosh(x0r) * Math.sin(x0i);",
});
export const cosh = unary({
  name: "cosh", fn: (a) => `Math.cosh(${a})`, jvp: (x, _y, dx) => mulP(dx, sinhP(x)),
  complex: "re = Math.cosh(x0r) * Math.cos(x0i); im = Math.sinh(x0r) * Math.sin(x0i);",
});
export const tanh = unary({ name: "tanh", fn: (a) => `Math.tanh(${a})`, jvp: (_x, y, dx) => mulP(dx, subP(c(1, y), mulP(y, y))), complex: callBody("ctanh") });
export const sqrt = unary({ name: "sqrt", fn: (a) => `Math.sqrt(${a})`, jvp: (_x, y, dx) => divP(dx, mulP(c(2, y), y)), complex: callBody("csqrt") });
export const rsqrt = unary({ name: "rsqrt", fn: (a) => `1 / Math.sqrt(${a})`, jvp: (x, y, dx) => mulP(dx, mulP(c(-0.5, y), divP(y, x))), complex: callBody("crsqrt") });
export const erf = unary({
  name: "erf",
  fn: (a) => `lib.erf(${a})`,
  jvp: (x, _y, dx) => mulP(dx, mulP(c(2 / Math.sqrt(Math.PI), x), expP(negP(mulP(x, x))))),
});
export const abs = unary({
  name: "abs", accepts: NUMERIC, fn: (a) => `Math.abs(${a})`, jvp: absJvp,
  complex: "re = Math.hypot(x0r, x0i);", outDType: realDType,
});
/** d|x| = sign(x)·dx; for complex x, Re(conj(x)·dx)/|x| (taken as 0 at x = 0). */
function absJvp(x: Tensor, y: Tensor, dx: Tensor): Tensor {
  if (!isComplex(x.dtype)) return mulP(dx, signP(x));
  const safe = selectP(eqP(y, scalarLike(0, y.dtype)), broadcastP(scalarLike(1, y.dtype), y.shape), y);
  return divP(realP(mulP(conjP(x), dx)), safe);
}
// Complex sign is z/|z| (0 at 0), as JAX and NumPy ≥ 2; its derivative is taken as zero, as JAX does.
export const sign = unary({
  name: "sign", accepts: NUMERIC, fn: (a) => `(${a} > 0 ? 1 : ${a} < 0 ? -1 : ${a})`, jvp: () => null,
  complex: callBody("csign"),
});
export const floor = unary({ name: "floor", fn: (a) => `Math.floor(${a})`, jvp: () => null });
export const ceil = unary({ name: "ceil", fn: (a) => `Math.ceil(${a})`, jvp: () => null });
// Half to even, inline: Math.round rounds halves up, so only an exact .5 below an odd result moves.
const roundHalfEven = (a: string) => `(Math.round(${a}) - ${a} === 0.5 && Math.round(${a}) % 2 !== 0 ? Math.round(${a}) - 1 : Math.round(${a}))`;
export const round = unary({
  name: "round",
  fn: roundHalfEven,
  jvp: () => null,
  complex: `re = ${roundHalfEven("x0r")}; im = ${roundHalfEven("x0i")};`, // each part, as NumPy's around
});

// ---- comparisons and logic (no derivative) -------------------------------------------------

function comparison(name: string, op: string, complex?: string) {
  return defineElementwise({
    name,
    nonDifferentiable: true,
    accepts: [...NUMERIC, "bool"],
    outDType: () => "bool",
    expr: () => (a, b) => `(${a} ${op} ${b}) ? 1 : 0`,
    complex: complex === undefined ? undefined : () => complex,
  });
}
export const lt = comparison("lt", "<");
export const le = comparison("le", "<=");
export const gt = comparison("gt", ">");
export const ge = comparison("ge", ">=");
// Complex numbers have no order: only equality compares them.
export const eq = comparison("eq", "===", "re = (x0r === x1r && x0i === x1i) ? 1 : 0;");
export const ne = comparison("ne", "!==", "re = (x0r !== x1r || x0i !== x1i) ? 1 : 0;");

function logical(name: string, fn: (a: string, b: string) => string) {
  return defineElementwise({ name, nonDifferentiable: true, accepts: ["bool"], expr: () => fn });
}
export const and = logical("and", (a, b) => `${a} & ${b}`);
export const or = logical("or", (a, b) => `${a} | ${b}`);
export const xor = logical("xor", (a, b) => `${a} ^ ${b}`);
export const not = defineElementwise({ name: "not", nonDifferentiable: true, accepts: ["bool"], expr: () => (a) => `${a} ^ 1` });
export const isNan = defineElementwise({
  name: "isnan", nonDifferentiable: true, accepts: FLOATS, outDType: () => "bool", expr: () => (a) => `(${a} !== ${a}) ? 1 : 0`,
  complex: () => "re = (x0r !== x0r || x0i !== x0i) ? 1 : 0;",
});
export const isFinite = defineElementwise({
  name: "isfinite", nonDifferentiable: true, accepts: FLOATS, outDType: () => "bool", expr: () => (a) => `Number.isFinite(${a}) ? 1 : 0`,
  complex: () => "re = (Number.isFinite(x0r) && Number.isFinite(x0i)) ? 1 : 0;",
});

// ---- where and dtype conversion ------------------------------------------------------------

/** select(cond, x, y): the one ternary elementwise op (np.where). x and y share a dtype. */
export const select = defineElementwise({
  name: "select",
  select: true,
  dtypeRule: (name, [c, x, y]) => {
    if (c !== "bool") throw new TypeError(`where: condition must have dtype bool, got ${c}`);
    if (x !== y) throw new TypeError(`where: branch dtypes ${x} and ${y} differ (internal promotion missed them)`);
    return x;
  },
  expr: () => (c, a, b) => `${c} ? ${a} : ${b}`,
  complex: "parts",
  jvp: ([cond, x, y], [, dx, dy]) => {
    const out = selectP(cond, x, y);
    if (dx === null && dy === null) return [out, null];
    const z = zerosLikeP(out);
    return [out, selectP(cond, dx ? broadcastP(dx, out.shape) : z, dy ? broadcastP(dy, out.shape) : z)];
  },
  transpose: (ct, [cond, x, y]) => {
    const z = zerosLikeP(ct);
    const c = cond as Tensor;
    return [null, isUndefined(x) ? unbroadcast(selectP(c, ct, z), x) : null, isUndefined(y) ? unbroadcast(selectP(c, z, ct), y) : null];
  },
});


// ---- binders used by rules everywhere ------------------------------------------------------

function broadcastLike(t: Tensor, self: Tensor, other: Tensor): Tensor {
  // add(x, y) broadcasts; a tangent of x alone must take the output's shape.
  if (other.ndim <= self.ndim && other.shape.every((d, i) => d === 1 || d === self.shape[i + self.ndim - other.ndim])) return t;
  const outShape = broadcastShapes("add", self.shape, other.shape);
  return broadcastP(t, outShape);
}

export const addP = (x: Tensor, y: Tensor): Tensor => bind1(add, [x, y], {});
export const subP = (x: Tensor, y: Tensor): Tensor => bind1(sub, [x, y], {});
export const mulP = (x: Tensor, y: Tensor): Tensor => bind1(mul, [x, y], {});
export const divP = (x: Tensor, y: Tensor): Tensor => bind1(div, [x, y], {});
export const negP = (x: Tensor): Tensor => bind1(neg, [x], {});
export const powP = (x: Tensor, y: Tensor): Tensor => bind1(pow, [x, y], {});
export const maxP = (x: Tensor, y: Tensor): Tensor => bind1(maximum, [x, y], {});
export const minP = (x: Tensor, y: Tensor): Tensor => bind1(minimum, [x, y], {});
export const atan2P = (x: Tensor, y: Tensor): Tensor => bind1(atan2, [x, y], {});
export const remP = (x: Tensor, y: Tensor): Tensor => bind1(rem, [x, y], {});
export const expP = (x: Tensor): Tensor => bind1(exp, [x], {});
export const logP = (x: Tensor): Tensor => bind1(log, [x], {});
export const sinP = (x: Tensor): Tensor => bind1(sin, [x], {});
export const cosP = (x: Tensor): Tensor => bind1(cos, [x], {});
export const sinhP = (x: Tensor): Tensor => bind1(sinh, [x], {});
export const coshP = (x: Tensor): Tensor => bind1(cosh, [x], {});
export const sqrtP = (x: Tensor): Tensor => bind1(sqrt, [x], {});
export const rsqrtP = (x: Tensor): Tensor => bind1(rsqrt, [x], {});
export const signP = (x: Tensor): Tensor => bind1(sign, [x], {});
export const floorP = (x: Tensor): Tensor => bind1(floor, [x], {});
export const eqP = (x: Tensor, y: Tensor): Tensor => bind1(eq, [x, y], {});
export const gtP = (x: Tensor, y: Tensor): Tensor => bind1(gt, [x, y], {});
export const ltP = (x: Tensor, y: Tensor): Tensor => bind1(lt, [x, y], {});
export function selectP(cond: Tensor, x: Tensor, y: Tensor): Tensor {
  if (cond.dtype !== "bool") throw new TypeError(`where: condition must be bool, got ${cond.dtype}`);
  return bind1(select, [cond, x, y], {});
}
export function zerosLikeP(x: Tensor): Tensor {
  return broadcastP(scalarDense(0, x.dtype), x.shape);
}
export function zerosOfAval(aval: ShapedArray): Tensor {
  return broadcastP(scalarDense(0, aval.dtype), aval.shape);
}
export function eyeBool(n: number): DenseTensor {
  const buf = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) buf[i * n + i] = 1;
  return new DenseTensor(buf, [n, n], "bool");
}
export { convertP } from "./convert.js";
