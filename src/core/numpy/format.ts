// NumPy-like printing: array([[1., 2.],\n       [3., 4.]]) with dtype shown unless float64.
import { Tracer } from "../interpreter.js";
import { isComplex } from "../dtype.js";
import { Tensor } from "../tensor.js";

const EDGE = 3;
const SUMMARY_THRESHOLD = 1000;

function formatNumber(v: number, dtype: string, allInt: boolean): string {
  if (dtype === "bool") return v ? "True" : "False";
  if (dtype === "int32") return String(v);
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if ((allInt || Number.isInteger(v)) && Math.abs(v) < 1e16) return `${v}.`;
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) return v.toExponential(8).replace(/\.?0+e/, "e");
  return String(Number(v.toPrecision(8)));
}

/** NumPy's complex notation: 1.+2.j, 0.5-1.j, nan+infj. */
function complexStrings(data: ArrayLike<number>, allInt: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < data.length; i += 2) {
    const re = formatNumber(data[i], "float64", allInt);
    const im = formatNumber(data[i + 1], "float64", allInt);
    const sign = im.startsWith("-") ? "-" : "+";
    out.push(`${re}${sign}${im.replace(/^[-+]/, "")}j`);
  }
  return out;
}

export function format(x: Tensor): string {
  if (x instanceof Tracer) return `Traced<${x.aval.toString()}> (inside ${x.trace.main.name})`;
  const data = x.data();
  const shape = x.shape;
  const dtype = x.dtype;
  const summarize = x.size > SUMMARY_THRESHOLD;
  const allInt = Array.from(data).every((v) => Number.isInteger(v) || !Number.isFinite(v));
  const strs = isComplex(dtype) ? complexStrings(data, allInt) : Array.from(data, (v) => formatNumber(v, dtype, allInt));
  const width = Math.max(0, ...strs.map((s) => s.length));
  const prefix = "array(";
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const render = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length) return strs[offset].padStart(width);
    const n = shape[axis];
    const idxs = summarize && n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()];
    const parts = idxs.map((i) => (i === -1 ? "..." : render(axis + 1, offset + i * strides[axis], indent + " ")));
    const sep = axis === shape.length - 1 ? ", " : "," + "\n".repeat(shape.length - axis - 1) + indent + " ";
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? strs[0] : render(0, 0, " ".repeat(prefix.length));
  return `${prefix}${body}${dtype === "float64" ? "" : `, dtype=${dtype}`})`;
}
