// Embedded-atom (EAM) tables exactly as LAMMPS pair_eam builds them: funcfl files regridded to a
// common grid (PairEAM::file2array, 4-point Lagrange), then one cubic per grid interval
// (PairEAM::interpolate), evaluated as LAMMPS does (index m = int(x/Δ + 1), fraction p ≤ 1).
// The energy itself (gather → density per atom → embedding → sum) is in energy.ts; this file
// holds plain numbers and the spline evaluation on tensors.
// Units are the file's (LAMMPS `metal`: Å, eV).
import { np, Tensor } from "../index.js";
import { FuncflFile, SetflFile, setflPairTable } from "./potential-files.js";

/**
 * Spline coefficients in LAMMPS's layout: for grid point m = 1…n, row m holds 7 numbers
 * (c0…c6) so that on [x_m, x_{m+1}] with p ∈ [0, 1]
 *   f = ((c3·p + c4)·p + c5)·p + c6,   f' = (c0·p + c1)·p + c2   (f' is d f / d x).
 * Row 0 is unused (LAMMPS arrays are 1-based). Stored flat: coefficient k of row m at [7·m + k].
 */
export type SplineTable = Float64Array;

/** LAMMPS PairEAM::interpolate: values f[1…n] (f[0] unused) on spacing delta → spline table. */
export function splineTable(f: ArrayLike<number>, n: number, delta: number): SplineTable {
  const s = new Float64Array(7 * (n + 1));
  const at = (m: number, k: number) => s[7 * m + k];
  const set = (m: number, k: number, v: number) => { s[7 * m + k] = v; };
  for (let m = 1; m <= n; m++) set(m, 6, f[m]);
  set(1, 5, at(2, 6) - at(1, 6));
  set(2, 5, 0.5 * (at(3, 6) - at(1, 6)));
  set(n - 1, 5, 0.5 * (at(n, 6) - at(n - 2, 6)));
  set(n, 5, at(n, 6) - at(n - 1, 6));
  for (let m = 3; m <= n - 2; m++) {
    set(m, 5, ((at(m - 2, 6) - at(m + 2, 6)) + 8.0 * (at(m + 1, 6) - at(m - 1, 6))) / 12.0);
  }
  for (let m = 1; m <= n - 1; m++) {
    set(m, 4, 3.0 * (at(m + 1, 6) - at(m, 6)) - 2.0 * at(m, 5) - at(m + 1, 5));
    set(m, 3, at(m, 5) + at(m + 1, 5) - 2.0 * (at(m + 1, 6) - at(m, 6)));
  }
  set(n, 4, 0.0);
  set(n, 3, 0.0);
  for (let m = 1; m <= n; m++) {
    set(m, 2, at(m, 5) / delta);
    set(m, 1, 2.0 * at(m, 4) / delta);
    set(m, 0, 3.0 * at(m, 3) / delta);
  }
  return s;
}

/** An EAM potential on LAMMPS's common grids, ready for energy.eam / energy.eamNeighborList. */
export interface EamPotential {
  /** Element names, in species order (species s uses element s unless an energy maps it). */
  elements: string[];
  masses: number[];
  nrho: number;
  drho: number;
  nr: number;
  dr: number;
  /** Largest tabulated density; above it F is continued linearly (as LAMMPS does). */
  rhomax: number;
  /** Pair and density cutoff (Å); pairs count when r² < cutoff². */
  cutoff: number;
  /** F(ρ) per element. */
  frho: SplineTable[];
  /** ρ(r) per element: the density an atom of that element contributes at distance r. */
  rhor: SplineTable[];
  /** r·φ(r) per element pair, indexed through pairTable. */
  z2r: SplineTable[];
  /** pairTable[a][b]: which z2r table the pair of elements (a, b) uses (symmetric). */
  pairTable: number[][];
  /** Where the tables came from (file names). */
  source: string;
}

const oneBased = (a: Float64Array, n: number) => {
  const out = new Float64Array(n + 1);
  out.set(a.subarray(0, n), 1);
  return out;
};

function lowerTrianglePairs(count: number): number[][] {
  // LAMMPS type2z2r: n = Σ_{m<irow} (m+1) + icol with irow ≥ icol.
  return Array.from({ length: count }, (_, a) => Array.from({ length: count }, (_, b) => {
    const [row, col] = a >= b ? [a, b] : [b, a];
    return (row * (row + 1)) / 2 + col;
  }));
}

/** The LAMMPS pair_style eam/alloy tables of a setfl file. */
export function eamFromSetfl(file: SetflFile): EamPotential {
  const { nrho, drho, nr, dr } = file;
  const count = file.elements.length;
  const z2r: SplineTable[] = [];
  for (let i = 0; i < count; i++) {
    for (let j = 0; j <= i; j++) z2r.push(splineTable(oneBased(setflPairTable(file, i, j), nr), nr, dr));
  }
  return {
    elements: file.elements.map((e) => e.name),
    masses: file.elements.map((e) => e.mass),
    nrho, drho, nr, dr,
    rhomax: (nrho - 1) * drho,
    cutoff: file.cutoff,
    frho: file.elements.map((e) => splineTable(oneBased(e.frho, nrho), nrho, drho)),
    rhor: file.elements.map((e) => splineTable(oneBased(e.rhor, nr), nr, dr)),
    z2r,
    pairTable: lowerTrianglePairs(count),
    source: file.fileName,
  };
}

/** LAMMPS's 4-point Lagrange regridding of a 1-based table f[1…nFile] (spacing dFile) at x. */
function regrid(f: Float64Array, nFile: number, dFile: number, x: number): number {
  const sixth = 1.0 / 6.0;
  let p = x / dFile + 1.0;
  let k = Math.trunc(p);
  k = Math.min(k, nFile - 2);
  k = Math.max(k, 2);
  p -= k;
  p = Math.min(p, 2.0);
  const cof1 = -sixth * p * (p - 1.0) * (p - 2.0);
  const cof2 = 0.5 * (p * p - 1.0) * (p - 2.0);
  const cof3 = -0.5 * p * (p + 1.0) * (p - 2.0);
  const cof4 = sixth * p * (p * p - 1.0);
  return cof1 * f[k - 1] + cof2 * f[k] + cof3 * f[k + 1] + cof4 * f[k + 2];
}

/**
 * The LAMMPS pair_style eam tables of one or more funcfl files (species s uses file s), put on
 * one grid as PairEAM::file2array does: the largest spacings, the longest range, and
 * φ_ij(r) = 27.2 · 0.529 · Z_i(r) Z_j(r) / r (Hartree·Bohr → eV·Å as LAMMPS writes it).
 */
export function eamFromFuncfl(files: FuncflFile | readonly FuncflFile[]): EamPotential {
  const list = Array.isArray(files) ? (files as readonly FuncflFile[]) : [files as FuncflFile];
  if (list.length === 0) throw new Error("eamFromFuncfl: no funcfl files given");
  let dr = 0, drho = 0, rmax = 0, rhomax = 0;
  for (const f of list) {
    dr = Math.max(dr, f.dr);
    drho = Math.max(drho, f.drho);
    rmax = Math.max(rmax, (f.nr - 1) * f.dr);
    rhomax = Math.max(rhomax, (f.nrho - 1) * f.drho);
  }
  const nr = Math.trunc(rmax / dr + 0.5);
  const nrho = Math.trunc(rhomax / drho + 0.5);
  const onGrid = (values: Float64Array, nFile: number, dFile: number, n: number, d: number) => {
    const src = oneBased(values, nFile);
    const out = new Float64Array(n + 1);
    for (let m = 1; m <= n; m++) out[m] = regrid(src, nFile, dFile, (m - 1) * d);
    return out;
  };
  const frho = list.map((f) => splineTable(onGrid(f.frho, f.nrho, f.drho, nrho, drho), nrho, drho));
  const rhor = list.map((f) => splineTable(onGrid(f.rhor, f.nr, f.dr, nr, dr), nr, dr));
  const zr = list.map((f) => onGrid(f.zr, f.nr, f.dr, nr, dr));
  const z2r: SplineTable[] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = 0; j <= i; j++) {
      const z2 = new Float64Array(nr + 1);
      for (let m = 1; m <= nr; m++) z2[m] = 27.2 * 0.529 * zr[i][m] * zr[j][m];
      z2r.push(splineTable(z2, nr, dr));
    }
  }
  return {
    elements: list.map((f) => f.fileName),
    masses: list.map((f) => f.mass),
    nrho, drho, nr, dr, rhomax,
    cutoff: Math.max(...list.map((f) => f.cutoff)),
    frho, rhor, z2r,
    pairTable: lowerTrianglePairs(list.length),
    source: list.map((f) => f.fileName).join(", "),
  };
}

/** Several spline tables stacked into tensors, one per coefficient, for gathers. */
export interface StackedSplines {
  /** Rows per table (n + 1, row 0 unused). */
  stride: number;
  /** coefficient k → float64 [tables · stride]. */
  coefficients: Tensor[];
}

export function stackSplines(tables: readonly SplineTable[], n: number): StackedSplines {
  const stride = n + 1;
  const coefficients = [0, 1, 2, 3, 4, 5, 6].map((k) => {
    const flat = new Float64Array(tables.length * stride);
    tables.forEach((t, a) => { for (let m = 0; m < stride; m++) flat[a * stride + m] = t[7 * m + k]; });
    return np.array(flat);
  });
  return { stride, coefficients };
}

/**
 * Grid interval m and fraction p of x on a grid of spacing delta, as LAMMPS computes them:
 * m = int(x/delta + 1) clamped to [mMin, n − 1], p = min(x/delta + 1 − m, 1). The index carries
 * no derivative; p carries d p / d x = 1/delta.
 */
export function splineLocate(x: Tensor, delta: number, n: number, mMin?: number): { m: Tensor; p: Tensor } {
  const q = x.mul(1.0 / delta).add(1.0);
  let m = np.minimum(q.astype("int32"), n - 1);
  if (mMin !== undefined) m = np.maximum(m, mMin);
  const p = np.minimum(q.sub(m.astype("float64")), 1.0);
  return { m, p };
}

/** f = ((c3·p + c4)·p + c5)·p + c6 from table rows `row` (int32, any shape). */
export function splineValue(s: StackedSplines, row: Tensor, p: Tensor): Tensor {
  const c = (k: number) => np.take(s.coefficients[k], row);
  return c(3).mul(p).add(c(4)).mul(p).add(c(5)).mul(p).add(c(6));
}

/** f' = (c0·p + c1)·p + c2 from table rows `row`. */
export function splineDerivative(s: StackedSplines, row: Tensor, p: Tensor): Tensor {
  const c = (k: number) => np.take(s.coefficients[k], row);
  return c(0).mul(p).add(c(1)).mul(p).add(c(2));
}
