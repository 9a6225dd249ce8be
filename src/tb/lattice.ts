// Periodic cells, neighbour images and bond vectors. Units: Å (any length unit works; the
// shipped models use Å and eV). Lattice vectors are the COLUMNS of `cell`, as in md.phonons.
import { np, Tensor, TensorLike } from "../index.js";

/** A crystal (or molecule, with pbc all false): atoms in one cell and its lattice. */
export interface Crystal {
  /** Cartesian positions [N, 3]. */
  positions: Tensor;
  /** Lattice vectors as columns [3, 3]. Non-periodic directions still need a vector (any length). */
  cell: Tensor;
  /** Which lattice directions are periodic. */
  pbc: readonly [boolean, boolean, boolean];
  /** Species index of each atom (default all 0). */
  species?: readonly number[];
}

/** Build a Crystal from plain arrays. */
export function crystal(positions: TensorLike, cell: TensorLike, opts: { pbc?: readonly [boolean, boolean, boolean]; species?: readonly number[] } = {}): Crystal {
  const R = np.asarray(positions).astype("float64");
  const C = np.asarray(cell).astype("float64");
  if (R.ndim !== 2 || R.shape[1] !== 3) throw new Error(`tb.crystal: positions must be [N, 3], got [${R.shape}]`);
  if (C.ndim !== 2 || C.shape[0] !== 3 || C.shape[1] !== 3) throw new Error(`tb.crystal: cell must be [3, 3] (lattice vectors as columns), got [${C.shape}]`);
  if (opts.species && opts.species.length !== R.shape[0]) throw new Error(`tb.crystal: species has ${opts.species.length} entries for ${R.shape[0]} atoms`);
  return { positions: R, cell: C, pbc: opts.pbc ?? [true, true, true], species: opts.species };
}

/** Directed bonds i → (j, shifted by the integer lattice vector `shift`), both directions listed. */
export interface Bonds {
  i: number[];
  j: number[];
  /** Integer image of atom j, per bond. */
  shift: [number, number, number][];
}

const det3 = (c: number[][]) =>
  c[0][0] * (c[1][1] * c[2][2] - c[1][2] * c[2][1]) - c[0][1] * (c[1][0] * c[2][2] - c[1][2] * c[2][0]) + c[0][2] * (c[1][0] * c[2][1] - c[1][1] * c[2][0]);

/**
 * All directed bonds with 0 < |R_j + T − R_i| < cutoff at the crystal's current geometry (plain
 * numbers: the bond list is a fixed topology; bond vectors are then differentiable functions of
 * positions through `bondVectors`).
 */
export function findBonds(c: Crystal, cutoff: number): Bonds {
  const R = c.positions.toArray() as number[][];
  const C = c.cell.toArray() as number[][];
  const cols = [0, 1, 2].map((k) => [C[0][k], C[1][k], C[2][k]]);
  const vol = Math.abs(det3(C));
  // Images needed along a: cutoff over the spacing of the lattice planes (volume / |b × c|) plus the spread of the basis.
  const cross = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const spread = Math.max(0, ...R.flatMap((a) => R.map((b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]))));
  const nmax = [0, 1, 2].map((k) => {
    if (!c.pbc[k]) return 0;
    const h = vol / Math.hypot(...cross(cols[(k + 1) % 3], cols[(k + 2) % 3]));
    return Math.ceil((cutoff + spread) / h);
  });
  const out: Bonds = { i: [], j: [], shift: [] };
  for (let i = 0; i < R.length; i++) for (let j = 0; j < R.length; j++) {
    for (let a = -nmax[0]; a <= nmax[0]; a++) for (let b = -nmax[1]; b <= nmax[1]; b++) for (let g = -nmax[2]; g <= nmax[2]; g++) {
      const d = [0, 1, 2].map((x) => R[j][x] + a * cols[0][x] + b * cols[1][x] + g * cols[2][x] - R[i][x]);
      const r = Math.hypot(d[0], d[1], d[2]);
      if (r > 1e-8 && r < cutoff) { out.i.push(i); out.j.push(j); out.shift.push([a, b, g]); }
    }
  }
  return out;
}

/** Cartesian lattice translations T = cell · shift of every bond [nb, 3]. */
export function bondTranslations(cell: Tensor, bonds: Bonds): Tensor {
  if (bonds.shift.length === 0) return np.zeros([0, 3]);
  return np.matmul(np.array(bonds.shift).astype("float64"), cell.T);
}

/** Bond vectors d = R_j + T − R_i [nb, 3] as a differentiable function of positions (and cell). */
export function bondVectors(positions: Tensor, cell: Tensor, bonds: Bonds): Tensor {
  return np.add(np.subtract(np.take(positions, bonds.j, 0), np.take(positions, bonds.i, 0)), bondTranslations(cell, bonds));
}

/** Reciprocal lattice vectors as columns (2π included): Bᵀ A = 2π I. */
export function reciprocalCell(cell: Tensor): Tensor {
  return np.linalg.inv(cell).T.mul(2 * Math.PI);
}

/** Cartesian k from fractional coordinates of the reciprocal lattice: k = B f ([..., 3] in, [..., 3] out). */
export function kFromFractional(cell: Tensor, f: TensorLike): Tensor {
  return np.matmul(np.asarray(f).astype("float64"), reciprocalCell(cell).T);
}

/** A Γ-centred n1 × n2 × n3 Monkhorst–Pack grid of fractional k-points [n1 n2 n3, 3]. */
export function kGrid(mesh: readonly [number, number, number]): Tensor {
  const rows: number[][] = [];
  for (let a = 0; a < mesh[0]; a++) for (let b = 0; b < mesh[1]; b++) for (let g = 0; g < mesh[2]; g++) rows.push([a / mesh[0], b / mesh[1], g / mesh[2]]);
  return np.array(rows);
}
