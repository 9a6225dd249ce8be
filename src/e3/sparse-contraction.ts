// The primitive behind every tensor product: a sparse trilinear contraction over a table of
// Clebsch–Gordan entries k,
//   out[e, I_o[k], f] += c_k · X[e, I_x[k], f] · Y[e, I_y[k], f] · Z[e, I_z[k], f],
// with operands [E, R, F] (rows R differ per operand). An operand may have one channel instead of F
// (read for every f: the spherical harmonics of an edge, shared by all channels), and the output may
// have one channel (summed over f: the transpose towards such an operand), so that no broadcast
// copy [E, R, F] is ever made (under jit an opaque call's broadcast argument is materialised).
// Written as one primitive rather than as
// take → multiply → indexAdd so that its derivatives need no [E, entries, F] intermediates: the
// jvp is three copies of itself (it is trilinear), and the transpose with respect to one operand
// is the same contraction with that operand's and the output's index arrays swapped — a hand-
// written loop over (e, k, f) in every direction, with only the operands as residuals. This is
// what makes forward + backward (and the backward of a backward, for force training) cheap.
// Under jit it runs as an opaque call between fused kernels.
import { ShapedArray } from "../core/aval.js";
import { DenseTensor } from "../core/dense.js";
import { bind1 } from "../core/interpreter.js";
import { Primitive, UndefinedPrimal, definePrimitive, isUndefined } from "../core/primitive.js";
import { np, Tensor } from "../index.js";

/** Index arrays (four roles) and coefficients of a table, registered once under a key. */
export interface ContractionTable {
  /** idx[r][k]: the row that role r reads (r = 0, 1, 2) or writes (r = 3) for entry k. */
  idx: [Int32Array, Int32Array, Int32Array, Int32Array];
  /** Rows of each role's array. */
  rows: [number, number, number, number];
  coef: Float64Array;
}

const tables = new Map<string, ContractionTable>();

/** Registers a table under `key` (idempotent) so that primitive params stay small and comparable. */
export function registerTable(key: string, t: ContractionTable): void {
  if (!tables.has(key)) tables.set(key, t);
}

/**
 * perm[i]: which role's index array addresses operand i (0, 1, 2) and the output (3).
 * outOne: the output has one channel (Σ over f) instead of F.
 */
interface Params { table: string; perm: [number, number, number, number]; outOne?: boolean }

function tableOf(p: Params): ContractionTable {
  const t = tables.get(p.table);
  if (!t) throw new Error(`sparseContraction: unknown table ${p.table}`);
  return t;
}

/** Channels of the contraction: the largest operand channel count (others must equal it or be 1). */
function channelsOf(x: { shape: readonly number[] }, y: { shape: readonly number[] }, z: { shape: readonly number[] }): number {
  return Math.max(x.shape[2], y.shape[2], z.shape[2]);
}

function kernel(x: DenseTensor, y: DenseTensor, z: DenseTensor, p: Params, out: ShapedArray): DenseTensor {
  const t = tableOf(p);
  const [E, Ro, Fo] = out.shape;
  const F = channelsOf(x, y, z);
  const coef = t.coef, n = coef.length;
  // The product is commutative: order the operands so that one-channel ones come last, then pick
  // a loop written for that case (the one-channel factor is hoisted out of the loop over f).
  const ops = [0, 1, 2].map((i) => {
    const a = [x, y, z][i], Fa = a.shape[2], rows = t.idx[p.perm[i]];
    const off = new Int32Array(n);
    for (let k = 0; k < n; k++) off[k] = rows[k] * Fa;                    // row offset of entry k
    return { buf: a.buffer as Buf, off, stride: a.shape[1] * Fa, one: Fa === 1 && F > 1 };
  }).sort((a, b) => Number(a.one) - Number(b.one));
  const ao = new Int32Array(n), io = t.idx[p.perm[3]];
  for (let k = 0; k < n; k++) ao[k] = io[k] * Fo;
  const f32 = out.dtype === "float32";
  const acc = f32 ? new Float32Array(E * Ro * Fo) : new Float64Array(E * Ro * Fo);
  const [u, v, w] = ops;
  const args = [u.buf, v.buf, w.buf, acc, E, n, coef, u.off, v.off, w.off, ao, u.stride, v.stride, w.stride, Ro * Fo, F] as const;
  const outOne = Fo === 1 && F > 1;
  const nOne = ops.filter((o) => o.one).length;
  if (nOne === 0 && !outOne) (f32 ? loopFull32 : loopFull64)(...args);
  else if (nOne === 1 && !outOne) (f32 ? loopOne32 : loopOne64)(...args);
  else if (nOne === 1 && outOne) (f32 ? loopOneSum32 : loopOneSum64)(...args);
  else (f32 ? loopStrided32 : loopStrided64)(...args, u.one ? 0 : 1, v.one ? 0 : 1, w.one ? 0 : 1, outOne ? 0 : 1);
  return new DenseTensor(acc, out.shape, out.dtype);
}

type Buf = Float64Array | Float32Array;

/** Every operand and the output with F channels. */
function loopFull(xb: Buf, yb: Buf, zb: Buf, acc: Buf, E: number, n: number, coef: Float64Array,
  ax: Int32Array, ay: Int32Array, az: Int32Array, ao: Int32Array, sx: number, sy: number, sz: number, so: number, F: number): void {
  for (let e = 0, ox = 0, oy = 0, oz = 0, oo = 0; e < E; e++, ox += sx, oy += sy, oz += sz, oo += so) {
    for (let k = 0; k < n; k++) {
      const c = coef[k];
      let a = ox + ax[k], b = oy + ay[k], d = oz + az[k], o = oo + ao[k];
      for (const end = o + F; o < end; o++, a++, b++, d++) acc[o] += c * xb[a] * yb[b] * zb[d];
    }
  }
}

/** z has one channel (e.g. the edge harmonics), x, y and the output F. */
function loopOne(xb: Buf, yb: Buf, zb: Buf, acc: Buf, E: number, n: number, coef: Float64Array,
  ax: Int32Array, ay: Int32Array, az: Int32Array, ao: Int32Array, sx: number, sy: number, sz: number, so: number, F: number): void {
  for (let e = 0, ox = 0, oy = 0, oz = 0, oo = 0; e < E; e++, ox += sx, oy += sy, oz += sz, oo += so) {
    for (let k = 0; k < n; k++) {
      const c = coef[k] * zb[oz + az[k]];
      let a = ox + ax[k], b = oy + ay[k], o = oo + ao[k];
      for (const end = o + F; o < end; o++, a++, b++) acc[o] += c * xb[a] * yb[b];
    }
  }
}

/** z and the output have one channel (the cotangent of a one-channel operand: Σ over f). */
function loopOneSum(xb: Buf, yb: Buf, zb: Buf, acc: Buf, E: number, n: number, coef: Float64Array,
  ax: Int32Array, ay: Int32Array, az: Int32Array, ao: Int32Array, sx: number, sy: number, sz: number, so: number, F: number): void {
  for (let e = 0, ox = 0, oy = 0, oz = 0, oo = 0; e < E; e++, ox += sx, oy += sy, oz += sz, oo += so) {
    for (let k = 0; k < n; k++) {
      let a = ox + ax[k], b = oy + ay[k], s = 0;
      for (const end = a + F; a < end; a++, b++) s += xb[a] * yb[b];
      acc[oo + ao[k]] += coef[k] * zb[oz + az[k]] * s;
    }
  }
}

/** Any mix: channel stride 0 for a one-channel operand (read for every f) or output (Σ over f). */
function loopStrided(xb: Buf, yb: Buf, zb: Buf, acc: Buf, E: number, n: number, coef: Float64Array,
  ax: Int32Array, ay: Int32Array, az: Int32Array, ao: Int32Array, sx: number, sy: number, sz: number, so: number, F: number,
  cx: number, cy: number, cz: number, co: number): void {
  for (let e = 0, ox = 0, oy = 0, oz = 0, oo = 0; e < E; e++, ox += sx, oy += sy, oz += sz, oo += so) {
    for (let k = 0; k < n; k++) {
      const c = coef[k];
      const a = ox + ax[k], b = oy + ay[k], d = oz + az[k], o = oo + ao[k];
      for (let f = 0; f < F; f++) acc[o + co * f] += c * xb[a + cx * f] * yb[b + cy * f] * zb[d + cz * f];
    }
  }
}

// One copy of each loop per element type, so that V8 sees a single typed-array type in each
// (a loop that has seen both Float32Array and Float64Array runs polymorphic and slower).
const loopFull64 = fresh(loopFull), loopFull32 = fresh(loopFull);
const loopOne64 = fresh(loopOne), loopOne32 = fresh(loopOne);
const loopOneSum64 = fresh(loopOneSum), loopOneSum32 = fresh(loopOneSum);
const loopStrided64 = fresh(loopStrided), loopStrided32 = fresh(loopStrided);

function fresh<T extends (...a: never[]) => void>(f: T): T {
  return new Function(`return (${f.toString()});`)() as T;
}

export const sparseContractionP: Primitive<Params> = definePrimitive<Params>({
  name: "sparseContraction",
  abstractEval: ([x, y, z], p) => {
    const t = tableOf(p);
    const ops = [x, y, z];
    const F = channelsOf(x, y, z);
    ops.forEach((a, i) => {
      if (a.ndim !== 3 || a.shape[0] !== x.shape[0] || (a.shape[2] !== F && a.shape[2] !== 1) || a.shape[1] !== t.rows[p.perm[i]] || a.dtype !== x.dtype) {
        throw new Error(`sparseContraction: operand ${i} ${a.dtype}[${a.shape.join(", ")}] does not fit [${x.shape[0]}, ${t.rows[p.perm[i]]}, ${F} or 1] (${x.dtype})`);
      }
    });
    if (x.dtype !== "float64" && x.dtype !== "float32") throw new TypeError(`sparseContraction: float operands expected, got ${x.dtype}`);
    return new ShapedArray([x.shape[0], t.rows[p.perm[3]], p.outOne ? 1 : F], x.dtype);
  },
  impl: ([x, y, z], p, out) => kernel(x, y, z, p, out),
  jvp: ([x, y, z], [dx, dy, dz], p) => {
    const out = sparseContraction(x, y, z, p);
    const terms: Tensor[] = [];
    if (dx) terms.push(sparseContraction(dx, y, z, p));
    if (dy) terms.push(sparseContraction(x, dy, z, p));
    if (dz) terms.push(sparseContraction(x, y, dz, p));
    return [out, terms.length ? terms.reduce((a, b) => a.add(b)) : null];
  },
  transpose: (ct, args, p) => {
    const undef = args.map((a) => isUndefined(a));
    if (undef.filter(Boolean).length !== 1) throw new Error("sparseContraction: transpose needs exactly one linear operand (the contraction is trilinear)");
    const i = undef.indexOf(true);
    const aval = (args[i] as UndefinedPrimal).aval;
    const ops = args.map((a, j) => (j === i ? ct : a)) as Tensor[];
    // If every remaining operand has one channel but the target has F, the cotangent is F-wide per f.
    if (channelsOf(ops[0], ops[1], ops[2]) < aval.shape[2]) ops[i] = np.broadcastTo(ct as Tensor, [ct.shape[0], ct.shape[1], aval.shape[2]]);
    const perm = [...p.perm] as Params["perm"];
    [perm[i], perm[3]] = [p.perm[3], p.perm[i]];
    // The cotangent of a one-channel operand is the contraction summed over f (outOne).
    const outOne = aval.shape[2] === 1 && channelsOf(ops[0], ops[1], ops[2]) > 1;
    const g = sparseContraction(ops[0], ops[1], ops[2], outOne ? { table: p.table, perm, outOne } : { table: p.table, perm });
    return args.map((_, j) => (j === i ? g : null));
  },
  batch: (args, dims, p) => {
    // Fold the vmapped axis into E: operands [n, E, R, F] → [n·E, R, F].
    const i = dims.findIndex((d) => d !== null);
    const n = args[i].shape[dims[i]!];
    const front = args.map((a, j) => (dims[j] === null ? np.broadcastTo(a.expandDims(0), [n, ...a.shape]) : np.moveaxis(a, dims[j]!, 0)));
    const E = front[0].shape[1];
    const flat = front.map((a) => a.reshape([n * E, a.shape[2], a.shape[3]]));
    const out = sparseContraction(flat[0], flat[1], flat[2], p);
    return [out.reshape([n, E, out.shape[1], out.shape[2]]), 0];
  },
  formatParams: (p) => `[table=${p.table}, perm=${p.perm.join("")}${p.outOne ? ", outOne" : ""}]`,
});

function sparseContraction(x: Tensor, y: Tensor, z: Tensor, p: Params): Tensor {
  return bind1(sparseContractionP, [x, y, z], p);
}

/**
 * out[e, I_3[k], f] += c_k · x[e, I_0[k], f] · y[e, I_1[k], f] · z[e, I_2[k], f] for a registered
 * table; an operand with one channel is used for every f.
 */
export function contract(table: string, x: Tensor, y: Tensor, z: Tensor): Tensor {
  return sparseContraction(x, y, z, { table, perm: [0, 1, 2, 3] });
}
