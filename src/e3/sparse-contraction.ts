// The primitive behind every tensor product: a sparse trilinear contraction over a table of
// Clebsch–Gordan entries k,
//   out[e, I_o[k], f] += c_k · X[e, I_x[k], f] · Y[e, I_y[k], f] · Z[e, I_z[k], f],
// with operands [E, R, F] (rows R differ per operand). Written as one primitive rather than as
// take → multiply → indexAdd so that its derivatives need no [E, entries, F] intermediates: the
// jvp is three copies of itself (it is trilinear), and the transpose with respect to one operand
// is the same contraction with that operand's and the output's index arrays swapped — a hand-
// written loop over (e, k, f) in every direction, with only the operands as residuals. This is
// what makes forward + backward (and the backward of a backward, for force training) cheap.
// Under jit it runs as an opaque call between fused kernels.
import { ShapedArray } from "../core/aval.js";
import { DenseTensor } from "../core/dense.js";
import { bind1 } from "../core/interpreter.js";
import { Primitive, definePrimitive, isUndefined } from "../core/primitive.js";
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

/** perm[i]: which role's index array addresses operand i (0, 1, 2) and the output (3). */
interface Params { table: string; perm: [number, number, number, number] }

function tableOf(p: Params): ContractionTable {
  const t = tables.get(p.table);
  if (!t) throw new Error(`sparseContraction: unknown table ${p.table}`);
  return t;
}

function kernel(x: DenseTensor, y: DenseTensor, z: DenseTensor, p: Params, out: ShapedArray): DenseTensor {
  const t = tableOf(p);
  const [E, Ro, F] = out.shape;
  const ix = t.idx[p.perm[0]], iy = t.idx[p.perm[1]], iz = t.idx[p.perm[2]], io = t.idx[p.perm[3]];
  const Rx = x.shape[1], Ry = y.shape[1], Rz = z.shape[1];
  const xb = x.buffer as Float64Array, yb = y.buffer as Float64Array, zb = z.buffer as Float64Array;
  const acc = new Float64Array(E * Ro * F);
  const n = t.coef.length;
  for (let e = 0; e < E; e++) {
    const ox = e * Rx * F, oy = e * Ry * F, oz = e * Rz * F, oo = e * Ro * F;
    for (let k = 0; k < n; k++) {
      const c = t.coef[k];
      const a = ox + ix[k] * F, b = oy + iy[k] * F, d = oz + iz[k] * F, o = oo + io[k] * F;
      for (let f = 0; f < F; f++) acc[o + f] += c * xb[a + f] * yb[b + f] * zb[d + f];
    }
  }
  const buf = out.dtype === "float32" ? Float32Array.from(acc) : acc;
  return new DenseTensor(buf, out.shape, out.dtype);
}

export const sparseContractionP: Primitive<Params> = definePrimitive<Params>({
  name: "sparseContraction",
  abstractEval: ([x, y, z], p) => {
    const t = tableOf(p);
    const ops = [x, y, z];
    ops.forEach((a, i) => {
      if (a.ndim !== 3 || a.shape[0] !== x.shape[0] || a.shape[2] !== x.shape[2] || a.shape[1] !== t.rows[p.perm[i]] || a.dtype !== x.dtype) {
        throw new Error(`sparseContraction: operand ${i} ${a.dtype}[${a.shape.join(", ")}] does not fit [${x.shape[0]}, ${t.rows[p.perm[i]]}, ${x.shape[2]}] (${x.dtype})`);
      }
    });
    if (x.dtype !== "float64" && x.dtype !== "float32") throw new TypeError(`sparseContraction: float operands expected, got ${x.dtype}`);
    return new ShapedArray([x.shape[0], t.rows[p.perm[3]], x.shape[2]], x.dtype);
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
    const ops = args.map((a, j) => (j === i ? ct : a)) as Tensor[];
    const perm = [...p.perm] as Params["perm"];
    [perm[i], perm[3]] = [p.perm[3], p.perm[i]];
    const g = sparseContraction(ops[0], ops[1], ops[2], { table: p.table, perm });
    return args.map((_, j) => (j === i ? g : null));
  },
  batch: (args, dims, p) => {
    // Fold the vmapped axis into E: operands [n, E, R, F] → [n·E, R, F].
    const i = dims.findIndex((d) => d !== null);
    const n = args[i].shape[dims[i]!];
    const front = args.map((a, j) => (dims[j] === null ? np.broadcastTo(a.expandDims(0), [n, ...a.shape]) : np.moveaxis(a, dims[j]!, 0)));
    const [E, , F] = front[0].shape.slice(1);
    const flat = front.map((a) => a.reshape([n * E, a.shape[2], F]));
    const out = sparseContraction(flat[0], flat[1], flat[2], p);
    return [out.reshape([n, E, out.shape[1], F]), 0];
  },
  formatParams: (p) => `[table=${p.table}, perm=${p.perm.join("")}]`,
});

function sparseContraction(x: Tensor, y: Tensor, z: Tensor, p: Params): Tensor {
  return bind1(sparseContractionP, [x, y, z], p);
}

/** out[e, I_3[k], f] += c_k · x[e, I_0[k], f] · y[e, I_1[k], f] · z[e, I_2[k], f] for a registered table. */
export function contract(table: string, x: Tensor, y: Tensor, z: Tensor): Tensor {
  return sparseContraction(x, y, z, { table, perm: [0, 1, 2, 3] });
}
