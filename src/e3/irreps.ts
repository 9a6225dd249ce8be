// The feature layout of diffmol/e3, E3x's: an array of irreducible representations of O(3) has
// shape [..., P, (L+1)², F] —
//   P = 1 or 2 parity slots. With P = 2, slot 0 holds the even irreps (unchanged by inversion) and
//     slot 1 the odd ones, for every degree l. With P = 1 there is one slot whose degree-l entries
//     have the "natural" parity (−1)^l (scalars even, vectors odd, …) — the parity of Y_l.
//   (L+1)² rows: degrees l = 0..L, each with orders m = −l..l, at row l² + l + m.
//   F channels (features): every layer acts on channels with equal weights across the rows of one
//     irrep, which is what keeps it equivariant.
// Helpers here: shape bookkeeping, add, change of maximum degree or parity layout, Cartesian
// vectors ↔ degree 1, symmetric traceless 3×3 tensors ↔ degree 2.
import { np, Tensor } from "../index.js";

/** The shape of an irreps array, read from its last three axes. */
export interface IrrepsLayout {
  /** 1 (natural parity only) or 2 (even slot 0, odd slot 1). */
  parity: 1 | 2;
  /** Maximum degree L. */
  maxDegree: number;
  /** Channels F. */
  features: number;
}

/** (L+1)², the number of rows for degrees 0..L. */
export function numRows(maxDegree: number): number {
  return (maxDegree + 1) * (maxDegree + 1);
}

/** L from (L+1)² (throws when the count is not a square). */
export function maxDegreeFromRows(rows: number, where = "e3"): number {
  const L = Math.round(Math.sqrt(rows)) - 1;
  if (L < 0 || (L + 1) * (L + 1) !== rows) throw new Error(`${where}: axis −2 has ${rows} rows; an irreps array needs (L+1)² rows (1, 4, 9, 16, …)`);
  return L;
}

/** Degree of each row: [0, 1, 1, 1, 2, 2, 2, 2, 2, …]. */
export function degreeOfRows(maxDegree: number): number[] {
  const out: number[] = [];
  for (let l = 0; l <= maxDegree; l++) for (let m = -l; m <= l; m++) out.push(l);
  return out;
}

/** Checks the [..., P, (L+1)², F] layout and returns it; the error names the caller and shape. */
export function layoutOf(x: Tensor, where = "e3"): IrrepsLayout {
  if (x.ndim < 3) throw new Error(`${where}: an irreps array has shape [..., P, (L+1)², F]; got [${x.shape.join(", ")}]`);
  const P = x.shape[x.ndim - 3];
  if (P !== 1 && P !== 2) throw new Error(`${where}: axis −3 (parity) must have size 1 or 2; got shape [${x.shape.join(", ")}]`);
  return { parity: P, maxDegree: maxDegreeFromRows(x.shape[x.ndim - 2], `${where} (shape [${x.shape.join(", ")}])`), features: x.shape[x.ndim - 1] };
}

/**
 * Parity (0 even, 1 odd) of slot p at degree l: with P = 2 the slot is the parity; with P = 1
 * it is the natural parity l mod 2.
 */
export function parityOf(P: 1 | 2, slot: number, l: number): 0 | 1 {
  return (P === 2 ? slot : l % 2) as 0 | 1;
}

/**
 * A new maximum degree and/or parity layout (E3x's change_max_degree_or_type): degrees above the
 * new L are dropped, missing ones are zero; P 1 → 2 puts each degree in the slot of its natural
 * parity (the other slot zero), P 2 → 1 keeps only the natural-parity entries.
 */
export function changeMaxDegreeOrType(x: Tensor, opts: { maxDegree?: number; parity?: 1 | 2 }): Tensor {
  const { parity: P, maxDegree: L } = layoutOf(x, "changeMaxDegreeOrType");
  const L2 = opts.maxDegree ?? L;
  const P2 = opts.parity ?? P;
  if (!Number.isInteger(L2) || L2 < 0) throw new RangeError(`changeMaxDegreeOrType: maxDegree must be a non-negative integer, got ${L2}`);
  const lead = x.shape.slice(0, -3);
  const F = x.shape[x.ndim - 1];
  let y = x;
  if (L2 < L) y = y.slice("...", [], [0, numRows(L2)], []);
  else if (L2 > L) y = np.concatenate([y, np.zeros([...lead, P, numRows(L2) - numRows(L), F], { dtype: x.dtype })], -2);
  if (P2 === P) return y;
  const deg = degreeOfRows(L2);
  if (P === 1 && P2 === 2) {
    const even = np.array(deg.map((l) => (l % 2 === 0 ? 1 : 0)), { dtype: x.dtype }).reshape([numRows(L2), 1]);
    const odd = np.array(deg.map((l) => (l % 2 === 1 ? 1 : 0)), { dtype: x.dtype }).reshape([numRows(L2), 1]);
    return np.concatenate([y.mul(even), y.mul(odd)], -3);
  }
  // P 2 → 1: row of degree l comes from slot l mod 2.
  const rows = numRows(L2);
  const idx = deg.map((l, r) => (l % 2) * rows + r);
  const flat = y.reshape([...lead, 2 * rows, F]);
  return np.take(flat, idx, -2).reshape([...lead, 1, rows, F]);
}

/** x + y for irreps arrays of possibly different P and L: both are brought to the larger layout. */
export function add(x: Tensor, y: Tensor): Tensor {
  const a = layoutOf(x, "e3.add"), b = layoutOf(y, "e3.add");
  const target = { maxDegree: Math.max(a.maxDegree, b.maxDegree), parity: Math.max(a.parity, b.parity) as 1 | 2 };
  return changeMaxDegreeOrType(x, target).add(changeMaxDegreeOrType(y, target));
}

/** Row indices of the Cartesian axes (x, y, z) in degree 1: Y_{1,−1} ∝ y, Y_{1,0} ∝ z, Y_{1,1} ∝ x. */
const CARTESIAN_TO_L1 = [3, 1, 2];

/**
 * A Cartesian vector v [..., 3] (optionally with channels: [..., 3, F] with `channels: true`) as
 * a degree-1 irreps array [..., 1, 4, F] (P = 1, L = 1, the scalar row zero): rows (y, z, x),
 * which is the Racah-normalised Y_1 of v (so vectors and Y_1 of directions mix consistently).
 */
export function fromCartesianVector(v: Tensor, opts: { channels?: boolean } = {}): Tensor {
  const t = opts.channels ? v : v.expandDims(-1);
  if (t.ndim < 2 || t.shape[t.ndim - 2] !== 3) throw new Error(`fromCartesianVector: expected [..., 3]${opts.channels ? ", F" : ""}, got [${v.shape.join(", ")}]`);
  const lead = t.shape.slice(0, -2);
  const F = t.shape[t.ndim - 1];
  const yzx = np.take(t, [1, 2, 0], -2);
  return np.concatenate([np.zeros([...lead, 1, F], { dtype: t.dtype }), yzx], -2).expandDims(-3);
}

/** The degree-1 part of an irreps array [..., P, Q, F] as Cartesian vectors [..., 3, F] (from the odd slot when P = 2). */
export function toCartesianVector(x: Tensor): Tensor {
  const { parity: P, maxDegree: L } = layoutOf(x, "toCartesianVector");
  if (L < 1) throw new Error(`toCartesianVector: the array has maximum degree 0 (shape [${x.shape.join(", ")}])`);
  const slot = P === 2 ? 1 : 0;
  return np.take(x.slice("...", slot, [], []), CARTESIAN_TO_L1, -2);
}

/**
 * The degree-2 rows of a symmetric traceless 3×3 tensor T [..., 3, 3], Racah-normalised so that
 * the map from the outer product v vᵀ − |v|²/3 I gives exactly Y_2(v)·|v|² for the Racah Y_2
 * (rows m = −2..2: √3·xy, √3·yz, (3zz − tr)/2 = 3/2·T_zz, √3·xz, √3/2·(xx − yy)).
 * Returns [..., 1, 9, 1] (P = 1, L = 2; rows 0..3 zero). Antisymmetric or trace parts are ignored.
 */
export function fromTracelessSymmetric(T: Tensor): Tensor {
  if (T.ndim < 2 || T.shape[T.ndim - 1] !== 3 || T.shape[T.ndim - 2] !== 3) throw new Error(`fromTracelessSymmetric: expected [..., 3, 3], got [${T.shape.join(", ")}]`);
  const e = (i: number, j: number) => T.slice("...", i, j);
  const s3 = Math.sqrt(3);
  const rows = [
    e(0, 1).add(e(1, 0)).mul(s3 / 2),
    e(1, 2).add(e(2, 1)).mul(s3 / 2),
    e(2, 2).mul(2).sub(e(0, 0)).sub(e(1, 1)).mul(0.5),
    e(0, 2).add(e(2, 0)).mul(s3 / 2),
    e(0, 0).sub(e(1, 1)).mul(s3 / 2),
  ];
  const lead = T.shape.slice(0, -2);
  const z = np.zeros([...lead, 4], { dtype: T.dtype });
  return np.concatenate([z, np.stack(rows, -1)], -1).reshape([...lead, 1, 9, 1]);
}

/** The inverse of fromTracelessSymmetric: degree-2 rows of [..., P, Q, F] → [..., 3, 3, F] (even slot when P = 2). */
export function toTracelessSymmetric(x: Tensor): Tensor {
  const { maxDegree: L } = layoutOf(x, "toTracelessSymmetric");
  if (L < 2) throw new Error(`toTracelessSymmetric: the array has maximum degree ${L} < 2 (shape [${x.shape.join(", ")}])`);
  const r = (m: number) => x.slice("...", 0, 6 + m, []);   // [..., F]
  const s3 = Math.sqrt(3);
  const xy = r(-2).div(s3), yz = r(-1).div(s3), xz = r(1).div(s3);
  const zz = r(0).mul(2 / 3);
  const d = r(2).div(s3);                                       // (xx − yy)/2
  const xx = d.sub(zz.mul(0.5)), yy = d.neg().sub(zz.mul(0.5));
  const row0 = np.stack([xx, xy, xz], -2), row1 = np.stack([xy, yy, yz], -2), row2 = np.stack([xz, yz, zz], -2);
  return np.stack([row0, row1, row2], -3);
}
