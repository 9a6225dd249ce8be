// Cell lists: O(N) binning of atoms into a grid of cells, and the box geometry the neighbour
// lists build on. All of it is plain typed-array JavaScript over concrete positions (nothing here
// is traced or differentiated).
//
// Geometry convention (as space.periodicGeneral): a box is a [d, d] matrix whose COLUMNS are the
// lattice vectors, so a real position is r = box · f for fractional f. A number or a vector of
// side lengths means the diagonal (orthorhombic) box. Cells are a grid in fractional coordinates:
// n_k cells along lattice vector k, each cell at least `cellSize` thick measured perpendicular to
// its faces, so two points closer than cellSize always sit in the same or adjacent cells.
// Units are the user's.
import { np, Tensor, TensorLike } from "../index.js";

/** A box resolved to numbers: matrix, inverse, perpendicular widths. */
export interface BoxGeometry {
  dimension: number;
  /** Periodic boundaries (wrap positions and image shifts) or a free-space bounding box. */
  periodic: boolean;
  /** d×d row-major; column k is lattice vector k. */
  matrix: Float64Array;
  inverse: Float64Array;
  /** Real position of fractional 0 (non-zero only for free-space bounding boxes). */
  origin: Float64Array;
  /** Distance between the two faces spanned by the other lattice vectors, per lattice vector. */
  widths: Float64Array;
  /** True when the matrix is diagonal. */
  orthorhombic: boolean;
}

/** Atoms sorted by cell (a counting sort): cell c holds atoms[cellStart[c] .. cellStart[c + 1]). */
export interface CellBinning {
  /** Flattened cell index of each atom (axis 0 slowest). */
  cellOfAtom: Int32Array;
  /** Offsets into `atoms`, length cellCount + 1. */
  cellStart: Int32Array;
  /** Atom ids ordered by cell. */
  atoms: Int32Array;
}

export interface CellList {
  dimension: number;
  cellsPerAxis: number[];
  cellCount: number;
  /** Bin positions ([N, d], real unless built with fractionalCoordinates): O(N + cells). */
  bin(R: TensorLike): CellBinning;
}

/** Parse a box (number, side lengths [d] or matrix [d, d]) into a row-major d×d matrix. */
export function boxMatrix(box: TensorLike, dimension: number | undefined, where: string): { matrix: Float64Array; dimension: number } {
  const B = box instanceof Tensor ? box : np.asarray(box);
  const values = Array.from(B.astype("float64").data());
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`${where}: box has non-finite entries ${B.toString()}`);
  if (B.ndim === 0 || B.ndim === 1) {
    const d = B.ndim === 0 ? dimension : B.shape[0];
    if (d === undefined) throw new Error(`${where}: a scalar box needs the spatial dimension (give positions or a vector of side lengths)`);
    if (dimension !== undefined && d !== dimension) {
      throw new Error(`${where}: positions have ${dimension} coordinates per atom but the box has ${d} side lengths`);
    }
    const matrix = new Float64Array(d * d);
    for (let k = 0; k < d; k++) {
      const side = B.ndim === 0 ? values[0] : values[k];
      if (!(side > 0)) throw new Error(`${where}: box side lengths must be positive, got ${B.toString()}`);
      matrix[k * d + k] = side;
    }
    return { matrix, dimension: d };
  }
  if (B.ndim !== 2 || B.shape[0] !== B.shape[1]) {
    throw new Error(`${where}: box must be a number, a vector of side lengths or a square [d, d] matrix of lattice vectors (columns), got shape [${B.shape}]`);
  }
  const d = B.shape[0];
  if (dimension !== undefined && d !== dimension) {
    throw new Error(`${where}: positions have ${dimension} coordinates per atom but the box is ${d}×${d}`);
  }
  return { matrix: Float64Array.from(values), dimension: d };
}

/** Inverse of a small row-major matrix by Gauss–Jordan elimination with partial pivoting. */
function invert(m: Float64Array, d: number, where: string): Float64Array {
  const a = Float64Array.from(m);
  const inv = new Float64Array(d * d);
  for (let k = 0; k < d; k++) inv[k * d + k] = 1;
  let scale = 0;
  for (const v of m) scale = Math.max(scale, Math.abs(v));
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r * d + col]) > Math.abs(a[pivot * d + col])) pivot = r;
    if (Math.abs(a[pivot * d + col]) <= 1e-14 * scale) throw new Error(`${where}: box matrix is singular (lattice vectors are linearly dependent)`);
    if (pivot !== col) {
      for (let c = 0; c < d; c++) {
        [a[col * d + c], a[pivot * d + c]] = [a[pivot * d + c], a[col * d + c]];
        [inv[col * d + c], inv[pivot * d + c]] = [inv[pivot * d + c], inv[col * d + c]];
      }
    }
    const p = a[col * d + col];
    for (let c = 0; c < d; c++) { a[col * d + c] /= p; inv[col * d + c] /= p; }
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const f = a[r * d + col];
      if (f === 0) continue;
      for (let c = 0; c < d; c++) { a[r * d + c] -= f * a[col * d + c]; inv[r * d + c] -= f * inv[col * d + c]; }
    }
  }
  return inv;
}

/** Geometry of a box matrix (row-major, columns are lattice vectors). */
export function boxGeometry(matrix: Float64Array, dimension: number, periodic: boolean, where: string, origin?: Float64Array): BoxGeometry {
  const d = dimension;
  const inverse = invert(matrix, d, where);
  const widths = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += inverse[k * d + c] ** 2;
    widths[k] = 1 / Math.sqrt(s);
  }
  let orthorhombic = true;
  for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) if (r !== c && matrix[r * d + c] !== 0) orthorhombic = false;
  return { dimension: d, periodic, matrix, inverse, origin: origin ?? new Float64Array(d), widths, orthorhombic };
}

/**
 * Positions as a flat float64 array, checked: [N, d] with d = `dimension` when given, every entry
 * finite (the error names the first bad atom).
 */
export function positionsData(R: TensorLike, dimension: number | undefined, where: string): { data: Float64Array; count: number; dimension: number } {
  const T = R instanceof Tensor ? R : np.asarray(R);
  if (T.ndim !== 2) throw new Error(`${where}: positions must be [N, d], got shape [${T.shape}]`);
  const [n, d] = T.shape;
  if (dimension !== undefined && d !== dimension) {
    throw new Error(`${where}: positions have ${d} coordinates per atom but the box is ${dimension}-dimensional`);
  }
  const raw = T.data();
  const data = raw instanceof Float64Array ? raw : Float64Array.from(raw);
  for (let q = 0; q < data.length; q++) {
    if (!Number.isFinite(data[q])) {
      const atom = Math.floor(q / d);
      const row = Array.from(data.subarray(atom * d, atom * d + d)).join(", ");
      throw new Error(`${where}: position of atom ${atom} is not finite (${row}); the simulation may have blown up`);
    }
  }
  return { data, count: n, dimension: d };
}

/**
 * Fractional coordinates of N atoms, wrapped into [0, 1) for periodic boxes. For a free-space box
 * an atom outside it is an error (naming the atom). `fractionalInput`: the positions already are
 * fractional.
 */
export function fractionalPositions(geom: BoxGeometry, R: Float64Array, n: number, fractionalInput: boolean, where: string): Float64Array {
  const d = geom.dimension;
  const F = new Float64Array(n * d);
  const inv = geom.inverse, o = geom.origin;
  for (let a = 0; a < n; a++) {
    const base = a * d;
    for (let k = 0; k < d; k++) {
      let f: number;
      if (fractionalInput) f = R[base + k];
      else {
        f = 0;
        for (let c = 0; c < d; c++) f += inv[k * d + c] * (R[base + c] - o[c]);
      }
      if (geom.periodic) {
        f -= Math.floor(f);
        if (f >= 1) f = 0; // −1e-17 wraps to 1 − 1e-17, which rounds to 1
      } else if (f < -1e-12 || f > 1 + 1e-12) {
        const row = Array.from(R.subarray(base, base + d)).join(", ");
        throw new Error(`${where}: atom ${a} at (${row}) lies outside the non-periodic box (fractional coordinate ${f.toPrecision(6)} along axis ${k}); enlarge the box or leave it out for free space`);
      }
      F[base + k] = f;
    }
  }
  return F;
}

/** Cells per axis: as many as fit with each at least `cellSize` thick, at most `maxCells` in all. */
export function cellsPerAxis(widths: Float64Array, cellSize: number, maxCells = Infinity): number[] {
  let size = cellSize;
  for (;;) {
    const n = Array.from(widths, (w) => Math.max(1, Math.floor(w / size)));
    if (n.reduce((p, x) => p * x, 1) <= maxCells) return n;
    size *= 1.25;
  }
}

/** Counting sort of atoms into cells (fractional coordinates F in [0, 1]). */
export function binFractional(F: Float64Array, n: number, cells: readonly number[]): CellBinning {
  const d = cells.length;
  let cellCount = 1;
  for (const c of cells) cellCount *= c;
  const cellOfAtom = new Int32Array(n);
  const cellStart = new Int32Array(cellCount + 1);
  for (let a = 0; a < n; a++) {
    let flat = 0;
    for (let k = 0; k < d; k++) {
      const nk = cells[k];
      let c = Math.floor(F[a * d + k] * nk);
      if (c >= nk) c = nk - 1;
      else if (c < 0) c = 0;
      flat = flat * nk + c;
    }
    cellOfAtom[a] = flat;
    cellStart[flat + 1]++;
  }
  for (let c = 0; c < cellCount; c++) cellStart[c + 1] += cellStart[c];
  const fill = cellStart.slice(0, cellCount);
  const atoms = new Int32Array(n);
  for (let a = 0; a < n; a++) atoms[fill[cellOfAtom[a]]++] = a;
  return { cellOfAtom, cellStart, atoms };
}

/**
 * A cell list for a fixed box: `box` is a number, side lengths or a [d, d] matrix of lattice
 * vectors (columns); cells are at least `cellSize` thick. Periodic by default (positions are
 * wrapped); `periodic: false` treats the box as a free-space container (an atom outside is an error).
 */
export function cellList(box: TensorLike, cellSize: number, opts: { fractionalCoordinates?: boolean; periodic?: boolean; dimension?: number } = {}): CellList {
  const where = "partition.cellList";
  if (!(cellSize > 0) || !Number.isFinite(cellSize)) throw new Error(`${where}: cellSize must be a positive number, got ${cellSize}`);
  const { matrix, dimension } = boxMatrix(box, opts.dimension, where);
  const geom = boxGeometry(matrix, dimension, opts.periodic ?? true, where);
  const cells = cellsPerAxis(geom.widths, cellSize);
  const cellCount = cells.reduce((p, x) => p * x, 1);
  return {
    dimension,
    cellsPerAxis: cells,
    cellCount,
    bin(R: TensorLike): CellBinning {
      const { data, count } = positionsData(R, dimension, where);
      const F = fractionalPositions(geom, data, count, opts.fractionalCoordinates ?? false, where);
      return binFractional(F, count, cells);
    },
  };
}
