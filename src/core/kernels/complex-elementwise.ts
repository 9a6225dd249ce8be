// Eager elementwise kernels for complex operands. A complex element is two numbers (re, im)
// interleaved in one real typed array, so the one-expression templates of elementwise.ts do not
// fit: a complex op is a few JS statements reading `x{k}r, x{k}i` (input k's parts; a real input
// has x{k}i = 0) and assigning `re` and `im` (a real output stores only `re`). Functions too long
// for an inline body live in complex-math.ts; a body calls them as `clib.f(x0r, x0i)` and reads
// the pair `clib.r[0], clib.r[1]` (see `callBody`).
import { ShapedArray } from "../aval.js";
import { DenseTensor } from "../dense.js";
import { TypedArray, arrayFor, isComplex, storageWidth } from "../dtype.js";
import { stridesOf } from "../shape.js";
import * as clib from "./complex-math.js";
import { stridedCopy } from "./strided-copy.js";

/** JS statements of one element; inputs are named x0r, x0i, x1r, x1i, …; outputs `re`, `im`. */
export type ComplexBody = string;

type Kernel = (out: TypedArray, ins: TypedArray[], n: number, lib: typeof clib) => void;
const cache = new Map<string, Kernel>();

function compile(key: string, body: ComplexBody, widths: number[], scalar: boolean[], outWidth: number): Kernel {
  let k = cache.get(key);
  if (k) return k;
  const hoist = widths.map((w, i) => (scalar[i]
    ? `const x${i}r = ins[${i}][0]; const x${i}i = ${w === 2 ? `ins[${i}][1]` : "0"};`
    : `const a${i} = ins[${i}];`)).join("\n");
  const loads = widths.map((w, i) => (scalar[i] ? "" : w === 2
    ? `const x${i}r = a${i}[2 * i]; const x${i}i = a${i}[2 * i + 1];`
    : `const x${i}r = a${i}[i]; const x${i}i = 0;`)).join(" ");
  const store = outWidth === 2 ? "out[2 * i] = re; out[2 * i + 1] = im;" : "out[i] = re;";
  const src = `${hoist}\nfor (let i = 0; i < n; i++) { ${loads} let re = 0, im = 0; ${body}\n${store} }`;
  k = new Function("out", "ins", "n", "clib", src) as Kernel;
  cache.set(key, k);
  return k;
}

/** Broadcast an operand to the output shape (element strides scaled by its storage width). */
function operandBuffer(x: DenseTensor, out: ShapedArray): TypedArray {
  if (x.size === out.size || x.size === 1) return x.buffer;
  const w = storageWidth(x.dtype);
  const shape = out.shape;
  const xs = x.aval.shape;
  const xStrides = stridesOf(xs);
  const strides = shape.map((_, i) => {
    const j = i - (shape.length - xs.length);
    return j < 0 || xs[j] === 1 ? 0 : xStrides[j] * w;
  });
  const buf = arrayFor(x.dtype, out.size);
  if (w === 1) { stridedCopy(x.buffer, 0, strides, shape, buf); return buf; }
  // Copy each part with doubled strides into a part buffer, then interleave.
  const part = arrayFor(x.dtype === "complex64" ? "float32" : "float64", out.size);
  for (let p = 0; p < 2; p++) {
    stridedCopy(x.buffer, p, strides, shape, part);
    for (let i = 0; i < out.size; i++) buf[2 * i + p] = part[i];
  }
  return buf;
}

/** Run a complex body over broadcast operands (any mix of complex and real) into `out`. */
export function runComplexElementwise(name: string, body: ComplexBody, args: DenseTensor[], out: ShapedArray): DenseTensor {
  const n = out.size;
  const ins = args.map((a) => operandBuffer(a, out));
  const widths = args.map((a) => storageWidth(a.dtype));
  const scalar = args.map((a) => a.size === 1 && n !== 1);
  const outWidth = isComplex(out.dtype) ? 2 : 1;
  const key = `${name}|${args.map((a) => a.dtype).join(",")}|${out.dtype}|${scalar.map(Number).join("")}`;
  const buf = arrayFor(out.dtype, n);
  compile(key, body, widths, scalar, outWidth)(buf, ins, n, clib);
  return new DenseTensor(buf, out.shape, out.dtype);
}

/** Body of a unary op computed by a complex-math.ts function of (re, im), times a real `scale`. */
export function callBody(
  fn: "casin" | "cacos" | "catan" | "casinh" | "cacosh" | "catanh" | "ctan" | "ctanh" | "cexpm1" | "clog1p" | "cexp2" | "clog" | "csqrt" | "crsqrt" | "csign",
  scale = 1,
): ComplexBody {
  const k = scale === 1 ? "" : ` * ${scale}`;
  return `clib.${fn}(x0r, x0i); re = clib.r[0]${k}; im = clib.r[1]${k};`;
}

// ---- bodies shared by several primitives --------------------------------------------------

/** Smith's division: scales by the larger part of the divisor so |b|² cannot overflow. */
export const DIV_BODY = `
  if (Math.abs(x1r) >= Math.abs(x1i)) {
    const r = x1i / x1r, d = x1r + x1i * r;
    re = (x0r + x0i * r) / d; im = (x0i - x0r * r) / d;
  } else {
    const r = x1r / x1i, d = x1i + x1r * r;
    re = (x0r * r + x0i) / d; im = (x0i * r - x0r) / d;
  }`;

/**
 * x^y: an integer exponent (|y| ≤ 1024) by repeated squaring (exact for small powers, as
 * NumPy's integer-power path); otherwise exp(y·log x), with 0^y = 0 for Re y > 0 and 0^0 = 1.
 */
export const POW_BODY = `
  if (x1i === 0 && Number.isInteger(x1r) && Math.abs(x1r) <= 1024) {
    let n = Math.abs(x1r), br = x0r, bi = x0i, pr = 1, pi = 0;
    while (n > 0) {
      if (n & 1) { const t = pr * br - pi * bi; pi = pr * bi + pi * br; pr = t; }
      const u = br * br - bi * bi; bi = 2 * br * bi; br = u; n >>= 1;
    }
    if (x1r < 0) { const d = pr * pr + pi * pi; re = pr / d; im = -pi / d; } else { re = pr; im = pi; }
  } else if (x0r === 0 && x0i === 0) {
    if (x1r === 0 && x1i === 0) { re = 1; im = 0; } else if (x1r > 0) { re = 0; im = 0; } else { re = NaN; im = NaN; }
  } else {
    clib.clog(x0r, x0i); const lr = clib.r[0], li = clib.r[1]; // accurate near |x| = 1 and for subnormal x
    const er = x1r * lr - x1i * li, ei = x1r * li + x1i * lr;
    const m = Math.exp(er);
    re = m * Math.cos(ei); im = m * Math.sin(ei);
  }`;
