// Eager elementwise kernels are generated from the same expression strings the jit emits:
// one flat loop per (op, dtypes, which inputs are scalars), compiled once by V8.
import { ShapedArray } from "../aval.js";
import { DenseTensor } from "../dense.js";
import { TypedArray, arrayFor } from "../dtype.js";
import { stridesOf } from "../shape.js";
import { kernelLib } from "./special-functions.js";
import { stridedCopy } from "./strided-copy.js";

/** Builds the JS expression of one element from the input element names. */
export type ExprTemplate = (...inputs: string[]) => string;

type Kernel = (out: TypedArray, ins: TypedArray[], n: number, lib: typeof kernelLib) => void;
const cache = new Map<string, Kernel>();

function compile(key: string, expr: ExprTemplate, scalarMask: boolean[]): Kernel {
  let k = cache.get(key);
  if (k) return k;
  const names = scalarMask.map((_, i) => `x${i}`);
  const hoist = scalarMask.map((s, i) => (s ? `const x${i} = ins[${i}][0];` : `const a${i} = ins[${i}];`)).join("\n");
  const loads = scalarMask.map((s, i) => (s ? "" : `const x${i} = a${i}[i];`)).join(" ");
  const body = `${hoist}\nfor (let i = 0; i < n; i++) { ${loads} out[i] = ${expr(...names)}; }`;
  k = new Function("out", "ins", "n", "lib", body) as Kernel;
  cache.set(key, k);
  return k;
}

/** Broadcast an input to the output shape only when it is neither full-size nor a scalar. */
function operandBuffer(x: DenseTensor, out: ShapedArray): TypedArray {
  if (x.size === out.size || x.size === 1) return x.buffer;
  const shape = out.shape;
  const xs = x.aval.shape;
  const xStrides = stridesOf(xs);
  const strides = shape.map((d, i) => {
    const j = i - (shape.length - xs.length);
    return j < 0 || xs[j] === 1 ? 0 : xStrides[j];
  });
  const buf = arrayFor(x.dtype, out.size);
  stridedCopy(x.buffer, 0, strides, shape, buf);
  return buf;
}

export function runElementwise(name: string, expr: ExprTemplate, args: DenseTensor[], out: ShapedArray): DenseTensor {
  const n = out.size;
  const ins = args.map((a) => operandBuffer(a, out));
  const scalarMask = ins.map((b) => b.length === 1 && n !== 1);
  const key = `${name}|${args.map((a) => a.dtype).join(",")}|${out.dtype}|${scalarMask.map(Number).join("")}`;
  const buf = arrayFor(out.dtype, n);
  compile(key, expr, scalarMask)(buf, ins, n, kernelLib);
  return new DenseTensor(buf, out.shape, out.dtype);
}
