// Neighbour lists (the JAX-MD `partition` module): Verlet lists with a skin, built in O(N) from a
// cell list, in sparse (pair list) or dense ([N, maxNeighbors]) format, half or full.
//
// The build is plain typed-array JavaScript over concrete positions — it is never traced. The
// list it returns is a set of fixed-capacity tensors (int32 i, j and a bool mask), so a jitted
// energy that takes them as arguments sees the same shapes from one rebuild to the next and does
// not retrace. Pair (i, j) is in the list when |displacement(R[i], R[j])| < cutoff + skin; an
// energy that masks pairs beyond `cutoff` is then exact until some atom has moved more than
// skin / 2 since the build, which is when `update` rebuilds.
//
// Boundary conditions come from the displacement function: the list identifies, by evaluating it
// on a few probe pairs, whether it is free space, space.periodic(box) or
// space.periodicGeneral(box) (real or fractional positions), and refuses a displacement that
// matches none of them for the given box (a clear error, never a wrong list).
//
// Units are the user's.
import { np, tree, Tensor, TensorLike } from "../index.js";
import type { DisplacementFn } from "./space.js";
import type { NeighborList } from "./types.js";
// Wrapping the typed arrays the build fills, without another copy (as simulate.ts does).
import {
  BoxGeometry, binFractional, boxGeometry, boxMatrix, cellsPerAxis, fractionalPositions, positionsData,
} from "./cell-list.js";

export { cellList } from "./cell-list.js";
export type { CellList, CellBinning, BoxGeometry } from "./cell-list.js";

/** What to do when `update` finds more pairs than the list's capacity. */
export type OverflowPolicy = "reallocate" | "flag" | "throw";

export interface NeighborListOptions {
  /** Interaction cutoff (the energy's). */
  cutoff: number;
  /** Verlet skin: pairs are listed out to cutoff + skin (default 0.3). */
  skin?: number;
  /**
   * "sparse": pair list i, j, mask [capacity], sorted by i, padded slots i = j = 0, mask false;
   * "dense": i, j, mask [N, capacity] with i[a, :] = a, row a's neighbours in j[a, :] (a half dense
   * list holds only j > a), padded slots j = 0, mask false (default "sparse").
   */
  format?: "sparse" | "dense";
  /** Half list: each pair once with i < j; full list: both (i, j) and (j, i) (default true). */
  half?: boolean;
  /** Capacity = ceil(needed · capacityMultiplier) at allocation (default 1.25). */
  capacityMultiplier?: number;
  /**
   * Positions are fractional (box · f is real), as for space.periodicGeneral(box) with its default
   * fractionalCoordinates: true. Default: detected from the displacement function.
   */
  fractionalCoordinates?: boolean;
  /**
   * When `update` needs more slots than the capacity: "reallocate" (default) returns a complete
   * list with capacity ceil(needed · capacityMultiplier) and `reallocated: true` (a jitted consumer
   * retraces once for the new shape); "flag" keeps the capacity and returns the truncated list with
   * `overflow: true` (the JAX-MD convention: the caller must allocate again); "throw" raises.
   */
  onOverflow?: OverflowPolicy;
}

/** The NeighborList contract plus what this builder reports about the call that produced it. */
export interface PartitionNeighborList extends NeighborList {
  /** This call rebuilt the pairs (false when no atom had moved more than skin / 2). */
  rebuilt: boolean;
  /** This call changed the capacity (update only; a jitted consumer will retrace once). */
  reallocated: boolean;
}

/**
 * The list as a pytree: its tensors are leaves, while format, half, capacity, cutoff, skin and the
 * overflow flag are static structure, so a list passes straight into jit (same capacity → no
 * retrace) and the energy code can branch on them. Per-build counters (needed, rebuilt,
 * reallocated) are not part of the structure; inside a jitted function they read as unknown.
 */
class NeighborListState implements PartitionNeighborList {
  constructor(
    readonly format: "sparse" | "dense", readonly half: boolean,
    readonly i: Tensor, readonly j: Tensor, readonly mask: Tensor,
    readonly capacity: number, readonly needed: number, readonly overflow: boolean,
    readonly referencePositions: Tensor, readonly cutoff: number, readonly skin: number,
    readonly rebuilt: boolean, readonly reallocated: boolean,
  ) {}
  with(changes: { rebuilt?: boolean; reallocated?: boolean }): NeighborListState {
    return new NeighborListState(this.format, this.half, this.i, this.j, this.mask, this.capacity, this.needed, this.overflow,
      this.referencePositions, this.cutoff, this.skin, changes.rebuilt ?? this.rebuilt, changes.reallocated ?? this.reallocated);
  }
}
type StaticFields = { format: "sparse" | "dense"; half: boolean; capacity: number; cutoff: number; skin: number; overflow: boolean };
tree.register(NeighborListState, {
  flatten: (n: NeighborListState): [unknown[], StaticFields] => [
    [n.i, n.j, n.mask, n.referencePositions],
    { format: n.format, half: n.half, capacity: n.capacity, cutoff: n.cutoff, skin: n.skin, overflow: n.overflow },
  ],
  unflatten: (a: StaticFields, [i, j, mask, ref]: unknown[]) =>
    new NeighborListState(a.format, a.half, i as Tensor, j as Tensor, mask as Tensor, a.capacity, -1, a.overflow, ref as Tensor, a.cutoff, a.skin, false, false),
});

export interface NeighborListFns {
  /** Build a list for positions R with capacity ceil(needed · capacityMultiplier) + extraCapacity. */
  allocate(R: TensorLike, opts?: { extraCapacity?: number }): PartitionNeighborList;
  /**
   * Rebuild if some atom moved more than skin / 2 since nbrs was built (or nbrs overflowed),
   * keeping nbrs' capacity when the pairs fit; otherwise return nbrs unchanged (rebuilt: false).
   */
  update(R: TensorLike, nbrs: NeighborList): PartitionNeighborList;
}

interface SpaceKind {
  periodic: boolean;
  fractional: boolean;
}

const referenceData = new WeakMap<Tensor, Float64Array>();

/**
 * A Verlet neighbour list builder for a space: `displacement` from space.free/periodic/
 * periodicGeneral, `box` the same box the space was built with (a number, side lengths or a
 * [d, d] matrix of lattice vectors as columns). For free space the box may be null (the cells then
 * cover the atoms' bounding box); a box given for free space must contain every atom.
 */
export function neighborList(displacement: DisplacementFn, box: TensorLike | null | undefined, options: NeighborListOptions): NeighborListFns {
  const where = "partition.neighborList";
  const cutoff = options.cutoff;
  const skin = options.skin ?? 0.3;
  const format = options.format ?? "sparse";
  const half = options.half ?? true;
  const multiplier = options.capacityMultiplier ?? 1.25;
  const onOverflow = options.onOverflow ?? "reallocate";
  if (!(cutoff > 0) || !Number.isFinite(cutoff)) throw new Error(`${where}: cutoff must be a positive number, got ${cutoff}`);
  if (!(skin >= 0) || !Number.isFinite(skin)) throw new Error(`${where}: skin must be a non-negative number, got ${skin}`);
  if (format !== "sparse" && format !== "dense") throw new Error(`${where}: format must be "sparse" or "dense", got ${JSON.stringify(format)}`);
  if (!(multiplier >= 1)) throw new Error(`${where}: capacityMultiplier must be at least 1, got ${multiplier}`);
  if (!["reallocate", "flag", "throw"].includes(onOverflow)) throw new Error(`${where}: onOverflow must be "reallocate", "flag" or "throw", got ${JSON.stringify(onOverflow)}`);
  const rList = cutoff + skin;
  const radiusText = skin > 0 ? `cutoff ${cutoff} + skin ${skin} = ${fmt(rList)}` : `cutoff ${cutoff}`;

  // Resolved at the first build, once the spatial dimension is known.
  let resolved: { dimension: number; kind: SpaceKind; geom: BoxGeometry | null } | null = null;
  const resolve = (d: number) => {
    if (resolved) {
      if (resolved.dimension !== d) throw new Error(`${where}: positions have ${d} coordinates per atom but this list was set up for ${resolved.dimension}`);
      return resolved;
    }
    let matrix: Float64Array | null = null;
    if (box !== null && box !== undefined) matrix = boxMatrix(box, d, where).matrix;
    const kind = identifySpace(displacement, matrix, d, options.fractionalCoordinates, where);
    const geom = matrix ? boxGeometry(matrix, d, kind.periodic, where) : null;
    if (geom && kind.periodic) {
      let k = 0;
      for (let a = 1; a < d; a++) if (geom.widths[a] < geom.widths[k]) k = a;
      if (rList > geom.widths[k] / 2) {
        const widthText = geom.orthorhombic ? `box width ${fmt(geom.widths[k])} along axis ${k}` : `perpendicular box width ${fmt(geom.widths[k])} across lattice vector ${k}`;
        throw new Error(`${where}: ${radiusText} exceeds half the ${widthText} (${fmt(geom.widths[k] / 2)}); the minimum-image convention would miss or double pairs. Use a larger box (more atoms) or a smaller cutoff/skin.`);
      }
    }
    resolved = { dimension: d, kind, geom };
    return resolved;
  };

  const build = (R: TensorLike, capacity: number | null, extra: number, op: string): PartitionNeighborList => {
    const w = `${where}.${op}`;
    const Rt = R instanceof Tensor ? R : np.asarray(R);
    const { data, count, dimension } = positionsData(Rt, resolved?.dimension, w);
    const { kind, geom } = resolve(dimension);
    const hint = capacity !== null && format === "sparse" ? Math.ceil(half ? capacity : capacity / 2) : null;
    const pairs = halfPairs(data, count, dimension, kind, geom, rList, hint, w);
    const fields = assemble(pairs, count, format, half, capacity, multiplier, extra, onOverflow, w);
    const referencePositions = Rt.dtype === "float64" ? Rt : Rt.astype("float64");
    referenceData.set(referencePositions, data);
    return new NeighborListState(format, half, fields.i, fields.j, fields.mask, fields.capacity, fields.needed, fields.overflow,
      referencePositions, cutoff, skin, true, fields.reallocated);
  };

  return {
    allocate(R, opts = {}) {
      const extra = opts.extraCapacity ?? 0;
      if (!Number.isInteger(extra) || extra < 0) throw new Error(`${where}.allocate: extraCapacity must be a non-negative integer, got ${extra}`);
      return build(R, null, extra, "allocate");
    },
    update(R, nbrs) {
      const w = `${where}.update`;
      if (nbrs.format !== format || nbrs.half !== half) {
        throw new Error(`${w}: the list is ${nbrs.half ? "half" : "full"} ${nbrs.format} but this builder makes ${half ? "half" : "full"} ${format} lists; allocate it with this builder`);
      }
      const Rt = R instanceof Tensor ? R : np.asarray(R);
      const { data, count, dimension } = positionsData(Rt, resolved?.dimension, w);
      const ref = referenceData.get(nbrs.referencePositions) ?? Float64Array.from(nbrs.referencePositions.data());
      if (ref.length !== data.length) {
        throw new Error(`${w}: positions are [${count}, ${dimension}] but the list was built for ${ref.length / dimension} atoms; call allocate for a new system`);
      }
      const { kind, geom } = resolve(dimension);
      const moved = maxDisplacementSquared(data, ref, count, dimension, kind, geom);
      if (!nbrs.overflow && moved <= (skin / 2) ** 2) {
        return nbrs instanceof NeighborListState
          ? nbrs.with({ rebuilt: false, reallocated: false })
          : new NeighborListState(nbrs.format, nbrs.half, nbrs.i, nbrs.j, nbrs.mask, nbrs.capacity, nbrs.needed, nbrs.overflow,
            nbrs.referencePositions, nbrs.cutoff, nbrs.skin, false, false);
      }
      return build(Rt, nbrs.capacity, 0, "update");
    },
  };
}

function fmt(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

// ---- identifying the space -----------------------------------------------------------------------

/** Deterministic probe pairs in fractional coordinates: one far-apart pair, then pseudo-random ones. */
function probePoints(d: number, count: number): { fa: Float64Array; fb: Float64Array } {
  const fa = new Float64Array(count * d), fb = new Float64Array(count * d);
  let s = 12345;
  const rand = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  for (let k = 0; k < d; k++) { fa[k] = 0.9 - 0.05 * k; fb[k] = 0.05 + 0.03 * k; }
  for (let q = d; q < count * d; q++) { fa[q] = rand(); fb[q] = rand(); }
  return { fa, fb };
}

function matVec(m: Float64Array, d: number, f: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * d);
  for (let a = 0; a < n; a++) for (let r = 0; r < d; r++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += m[r * d + c] * f[a * d + c];
    out[a * d + r] = s;
  }
  return out;
}

/**
 * Which space `displacement` implements for this box: evaluate it on probe pairs and compare with
 * the minimum image (periodic, real or fractional positions) and with the plain difference (free).
 */
function identifySpace(displacement: DisplacementFn, matrix: Float64Array | null, d: number, fractional: boolean | undefined, where: string): SpaceKind {
  const count = 8;
  const run = (a: Float64Array, b: Float64Array): Float64Array | string => {
    try {
      const out = displacement(np.array(a).reshape([count, d]), np.array(b).reshape([count, d]));
      if (out.shape.length !== 2 || out.shape[0] !== count || out.shape[1] !== d) return `shape [${out.shape}]`;
      return Float64Array.from(out.data());
    } catch (e) {
      return (e as Error).message;
    }
  };
  const close = (got: Float64Array | string, want: Float64Array, scale: number) =>
    typeof got !== "string" && got.every((v, q) => Math.abs(v - want[q]) <= 1e-9 * (1 + scale));
  if (!matrix) {
    const { fa, fb } = probePoints(d, count);
    const a = fa.map((v) => 10 * v - 3), b = fb.map((v) => 7 * v + 1);
    const got = run(a, b);
    if (close(got, a.map((v, q) => v - b[q]), 10)) return { periodic: false, fractional: false };
    throw new Error(`${where}: without a box the displacement must be free space (Ra − Rb); for a periodic space pass the box it was built with`);
  }
  const { fa, fb } = probePoints(d, count);
  const df = fa.map((v, q) => { const x = v - fb[q]; return x - Math.round(x); });
  const image = matVec(matrix, d, df, count);
  const ra = matVec(matrix, d, fa, count), rb = matVec(matrix, d, fb, count);
  let scale = 0;
  for (const v of matrix) scale = Math.max(scale, Math.abs(v));
  const tried: string[] = [];
  if (fractional !== true) {
    const got = run(ra, rb);
    if (close(got, image, scale)) return { periodic: true, fractional: false };
    if (close(got, ra.map((v, q) => v - rb[q]), scale)) return { periodic: false, fractional: false };
    tried.push(typeof got === "string" ? `real positions: ${got}` : `real positions: got (${Array.from(got.subarray(0, d), fmt)}) for the first probe, expected (${Array.from(image.subarray(0, d), fmt)}) periodic`);
  }
  if (fractional !== false) {
    const got = run(fa, fb);
    if (close(got, image, scale)) return { periodic: true, fractional: true };
    tried.push(typeof got === "string" ? `fractional positions: ${got}` : `fractional positions: got (${Array.from(got.subarray(0, d), fmt)}), expected (${Array.from(image.subarray(0, d), fmt)})`);
  }
  throw new Error(`${where}: the displacement function does not match free space, space.periodic or space.periodicGeneral for this box (${tried.join("; ")}). Pass the box the space was built with${fractional === undefined ? "" : ", and check fractionalCoordinates"}.`);
}

// ---- the build -----------------------------------------------------------------------------------

interface PairBuffer {
  /** Pairs with i < j (original atom ids), unordered. */
  i: Int32Array;
  j: Int32Array;
  count: number;
}

/** Offsets in {−m, …, m}^d whose first non-zero entry is positive (13 in 3-D with m = 1). */
function halfStencil(d: number, m: number): number[][] {
  const out: number[][] = [];
  const side = 2 * m + 1;
  const total = side ** d;
  for (let code = 0; code < total; code++) {
    const o: number[] = [];
    let c = code;
    for (let k = 0; k < d; k++) { o.unshift((c % side) - m); c = Math.floor(c / side); }
    const first = o.find((x) => x !== 0);
    if (first !== undefined && first > 0) out.push(o);
  }
  return out;
}

/**
 * Every pair closer than rList, once (i < j), by a cell list with cells at least rList thick: the
 * atom's own cell and half of the 3^d − 1 neighbouring cells, each with its periodic image shift.
 * Correct for any number of cells per axis ≥ 1 (with one or two cells the stencil visits distinct
 * images of the same cells; at most one image of a pair is within rList ≤ width / 2).
 */
function halfPairs(R: Float64Array, n: number, d: number, kind: SpaceKind, boxGeom: BoxGeometry | null, rList: number, capacityHint: number | null, where: string): PairBuffer {
  let geom = boxGeom;
  if (!geom) {
    // Free space without a box: cells over the bounding box of the atoms.
    const lo = new Float64Array(d).fill(Infinity), hi = new Float64Array(d).fill(-Infinity);
    for (let a = 0; a < n; a++) for (let k = 0; k < d; k++) {
      const x = R[a * d + k];
      if (x < lo[k]) lo[k] = x;
      if (x > hi[k]) hi[k] = x;
    }
    const m = new Float64Array(d * d);
    for (let k = 0; k < d; k++) {
      if (n === 0) { lo[k] = 0; hi[k] = 0; }
      const extent = hi[k] - lo[k];
      m[k * d + k] = extent > 0 ? extent * (1 + 1e-12) : 1;
    }
    geom = boxGeometry(m, d, false, where, lo);
  }
  const F = fractionalPositions(geom, R, n, kind.fractional, where);
  // Cells at least rList / m thick, so a pair within rList is at most m cells apart. m = 2 (half-width
  // cells, 62 neighbour cells) checks about half as many candidates as m = 1 when the box is big.
  const maxCells = Math.max(27, 2 * n);
  let m = 1;
  let cells = cellsPerAxis(geom.widths, rList, maxCells);
  if (d === 3 && cells.every((c) => c >= 5)) {
    const fine = cellsPerAxis(geom.widths, rList / 2, maxCells);
    if (fine.every((c, k) => c >= 2 * cells[k])) { m = 2; cells = fine; }
  }
  const binning = binFractional(F, n, cells);
  const { cellStart, atoms } = binning;
  const cellCount = cellStart.length - 1;
  const B = geom.matrix;

  // Real positions in cell order (wrapped into the cell for periodic boxes).
  const P = new Float64Array(n * d);
  for (let s = 0; s < n; s++) {
    const a = atoms[s];
    for (let r = 0; r < d; r++) {
      if (!kind.periodic && !kind.fractional) { P[s * d + r] = R[a * d + r]; continue; }
      let x = 0;
      for (let c = 0; c < d; c++) x += B[r * d + c] * F[a * d + c];
      P[s * d + r] = x;
    }
  }

  const r2max = rList * rList;
  // First guess at the pair count: the hint (the old capacity), else the ideal-gas estimate
  // n²/(2V)·(4/3)πr³ (over-estimated for the free-space bounding box). The buffer doubles if short.
  let volume = 1;
  for (let k = 0; k < d; k++) volume *= geom.widths[k];
  const ball = d === 3 ? (4 / 3) * Math.PI * rList ** 3 : d === 2 ? Math.PI * rList ** 2 : 2 * rList;
  const estimate = Math.min(n * (n - 1) / 2, 1.15 * n * n * ball / (2 * volume) + 4 * n);
  let cap = Math.max(1024, Math.ceil(capacityHint ?? estimate));
  let bi = new Int32Array(cap), bj = new Int32Array(cap);
  let cnt = 0;

  const stencil = halfStencil(d, m);
  const mc = new Int32Array(d);
  const shift = new Float64Array(d);
  const periodic = kind.periodic;
  for (let c = 0; c < cellCount; c++) {
    const s0 = cellStart[c], s1 = cellStart[c + 1];
    if (s0 === s1) continue;
    let rest = c;
    for (let k = d - 1; k >= 0; k--) { mc[k] = rest % cells[k]; rest = Math.floor(rest / cells[k]); }
    // Own cell, no shift.
    for (let p = s0; p < s1; p++) {
      for (let q = p + 1; q < s1; q++) {
        let r2 = 0;
        for (let k = 0; k < d; k++) { const x = P[p * d + k] - P[q * d + k]; r2 += x * x; }
        if (r2 < r2max) {
          if (cnt === cap) { cap *= 2; const ni = new Int32Array(cap), nj = new Int32Array(cap); ni.set(bi); nj.set(bj); bi = ni; bj = nj; }
          const a = atoms[p], b = atoms[q];
          if (a < b) { bi[cnt] = a; bj[cnt] = b; } else { bi[cnt] = b; bj[cnt] = a; }
          cnt++;
        }
      }
    }
    for (const o of stencil) {
      let m = 0;
      let inside = true;
      shift.fill(0);
      for (let k = 0; k < d; k++) {
        let x = mc[k] + o[k];
        const nk = cells[k];
        let s = 0;
        if (x < 0) { s = -1; x += nk; } else if (x >= nk) { s = 1; x -= nk; } // |o| ≤ m < nk
        if (s !== 0) {
          if (!periodic) { inside = false; break; }
          for (let r = 0; r < d; r++) shift[r] += s * B[r * d + k];
        }
        m = m * nk + x;
      }
      if (!inside) continue;
      const t0 = cellStart[m], t1 = cellStart[m + 1];
      if (t0 === t1) continue;
      if (d === 3) {
        const sx = shift[0], sy = shift[1], sz = shift[2];
        for (let p = s0; p < s1; p++) {
          const xi = P[3 * p] - sx, yi = P[3 * p + 1] - sy, zi = P[3 * p + 2] - sz;
          for (let q = t0; q < t1; q++) {
            const dx = xi - P[3 * q], dy = yi - P[3 * q + 1], dz = zi - P[3 * q + 2];
            const r2 = dx * dx + dy * dy + dz * dz;
            if (r2 < r2max) {
              if (cnt === cap) { cap *= 2; const ni = new Int32Array(cap), nj = new Int32Array(cap); ni.set(bi); nj.set(bj); bi = ni; bj = nj; }
              const a = atoms[p], b = atoms[q];
              if (a < b) { bi[cnt] = a; bj[cnt] = b; } else { bi[cnt] = b; bj[cnt] = a; }
              cnt++;
            }
          }
        }
      } else {
        for (let p = s0; p < s1; p++) {
          for (let q = t0; q < t1; q++) {
            let r2 = 0;
            for (let k = 0; k < d; k++) { const x = P[p * d + k] - shift[k] - P[q * d + k]; r2 += x * x; }
            if (r2 < r2max) {
              if (cnt === cap) { cap *= 2; const ni = new Int32Array(cap), nj = new Int32Array(cap); ni.set(bi); nj.set(bj); bi = ni; bj = nj; }
              const a = atoms[p], b = atoms[q];
              if (a < b) { bi[cnt] = a; bj[cnt] = b; } else { bi[cnt] = b; bj[cnt] = a; }
              cnt++;
            }
          }
        }
      }
    }
  }
  return { i: bi, j: bj, count: cnt };
}

/** Largest squared distance any atom moved since the reference (minimum image when periodic). */
function maxDisplacementSquared(R: Float64Array, ref: Float64Array, n: number, d: number, kind: SpaceKind, geom: BoxGeometry | null): number {
  let worst = 0;
  const v = new Float64Array(d), f = new Float64Array(d);
  for (let a = 0; a < n; a++) {
    const base = a * d;
    if (kind.periodic && geom) {
      const B = geom.matrix, inv = geom.inverse;
      for (let k = 0; k < d; k++) {
        let x = 0;
        if (kind.fractional) x = R[base + k] - ref[base + k];
        else for (let c = 0; c < d; c++) x += inv[k * d + c] * (R[base + c] - ref[base + c]);
        f[k] = x - Math.round(x);
      }
      for (let r = 0; r < d; r++) { let x = 0; for (let c = 0; c < d; c++) x += B[r * d + c] * f[c]; v[r] = x; }
    } else {
      for (let k = 0; k < d; k++) v[k] = R[base + k] - ref[base + k];
    }
    let r2 = 0;
    for (let k = 0; k < d; k++) r2 += v[k] * v[k];
    if (r2 > worst) worst = r2;
  }
  return worst;
}

/**
 * Lay the pairs out in the requested format, sorted by row (i). Capacity: the given one, or
 * ceil(needed · multiplier) + extra at allocation; when the given one is too small, the policy
 * decides (reallocate / flag overflow / throw).
 */
function assemble(pairs: PairBuffer, n: number, format: "sparse" | "dense", half: boolean, givenCapacity: number | null, multiplier: number, extra: number, policy: OverflowPolicy, where: string): {
  i: Tensor; j: Tensor; mask: Tensor; capacity: number; needed: number; overflow: boolean; reallocated: boolean;
} {
  const { i: pi, j: pj, count } = pairs;
  // Row counts (row = i of each stored pair).
  const rowCount = new Int32Array(n + 1);
  for (let p = 0; p < count; p++) {
    rowCount[pi[p]]++;
    if (!half) rowCount[pj[p]]++;
  }
  let needed: number;
  if (format === "sparse") needed = half ? count : 2 * count;
  else { needed = 0; for (let a = 0; a < n; a++) if (rowCount[a] > needed) needed = rowCount[a]; }

  let capacity: number;
  let overflow = false, reallocated = false;
  const fresh = () => Math.max(1, Math.ceil(needed * multiplier));
  if (givenCapacity === null) capacity = fresh() + extra;
  else if (needed <= givenCapacity) capacity = givenCapacity;
  else if (policy === "reallocate") { capacity = fresh(); reallocated = true; }
  else if (policy === "flag") { capacity = givenCapacity; overflow = true; }
  else throw new Error(`${where}: the list needs ${needed} ${format === "sparse" ? "pair slots" : "neighbours per atom"} but its capacity is ${givenCapacity}; allocate a new list (or use onOverflow: "reallocate")`);

  // CSR row starts (sparse only; dense rows have fixed width).
  const start = new Int32Array(n + 1);
  if (format === "sparse") for (let a = 0; a < n; a++) start[a + 1] = start[a] + rowCount[a];

  if (format === "sparse") {
    const oi = new Int32Array(capacity), oj = new Int32Array(capacity), om = new Uint8Array(capacity);
    const fill = start.subarray(0, n); // start is not needed after this
    for (let p = 0; p < count; p++) {
      const a = pi[p], b = pj[p];
      const pos = fill[a]++;
      if (pos < capacity) { oi[pos] = a; oj[pos] = b; om[pos] = 1; }
      if (!half) {
        const back = fill[b]++;
        if (back < capacity) { oi[back] = b; oj[back] = a; om[back] = 1; }
      }
    }
    return {
      i: np.frombuffer(oi, [capacity]), j: np.frombuffer(oj, [capacity]), mask: np.frombuffer(om, [capacity]),
      capacity, needed, overflow, reallocated,
    };
  }
  const size = n * capacity;
  const oi = new Int32Array(size), oj = new Int32Array(size), om = new Uint8Array(size);
  for (let a = 0; a < n; a++) oi.fill(a, a * capacity, (a + 1) * capacity);
  const fill = new Int32Array(n);
  for (let p = 0; p < count; p++) {
    const a = pi[p], b = pj[p];
    const k = fill[a]++;
    if (k < capacity) { oj[a * capacity + k] = b; om[a * capacity + k] = 1; }
    if (!half) {
      const back = fill[b]++;
      if (back < capacity) { oj[b * capacity + back] = a; om[b * capacity + back] = 1; }
    }
  }
  const shape = [n, capacity];
  return {
    i: np.frombuffer(oi, shape), j: np.frombuffer(oj, shape), mask: np.frombuffer(om, shape),
    capacity, needed, overflow, reallocated,
  };
}

// ---- references and inspection -------------------------------------------------------------------

/**
 * All pairs closer than `cutoff` by brute force through the displacement function itself (tensor
 * ops, O(N²) time, rows in chunks): the reference the cell-list build is tested against. Pairs are
 * sorted by (i, j); half: i < j only.
 */
export function bruteForce(displacement: DisplacementFn, R: TensorLike, cutoff: number, opts: { half?: boolean } = {}): { i: Int32Array; j: Int32Array } {
  const half = opts.half ?? true;
  const Rt = R instanceof Tensor ? R : np.asarray(R);
  const { count: n } = positionsData(Rt, undefined, "partition.bruteForce");
  const c2 = cutoff * cutoff;
  const outI: number[] = [], outJ: number[] = [];
  const chunk = Math.max(1, Math.floor(200000 / Math.max(1, n)));
  for (let a0 = 0; a0 < n; a0 += chunk) {
    const a1 = Math.min(n, a0 + chunk);
    const rows = np.take(Rt, np.arange(a0, a1), 0);
    const dR = displacement(rows.expandDims(1), Rt.expandDims(0));
    const r2 = np.sum(dR.mul(dR), -1).data();
    for (let a = a0; a < a1; a++) for (let b = half ? a + 1 : 0; b < n; b++) {
      if (b !== a && r2[(a - a0) * n + b] < c2) { outI.push(a); outJ.push(b); }
    }
  }
  return { i: Int32Array.from(outI), j: Int32Array.from(outJ) };
}

/** The listed pairs (mask true) of a sparse or dense list, sorted by (i, j). */
export function toPairs(nbrs: NeighborList): { i: Int32Array; j: Int32Array } {
  const I = nbrs.i.data(), J = nbrs.j.data(), M = nbrs.mask.data();
  const list: [number, number][] = [];
  for (let k = 0; k < M.length; k++) if (M[k]) list.push([I[k], J[k]]);
  list.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return { i: Int32Array.from(list, (p) => p[0]), j: Int32Array.from(list, (p) => p[1]) };
}
