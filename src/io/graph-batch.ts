// Graph batching for message-passing potentials (SchNet, PaiNN): frames of atoms become one
// disjoint graph — atoms concatenated, a segment id per atom, and directed edges between every
// pair of atoms closer than the cutoff, periodic images included.
//
// Conventions (shared with src/models):
//   * Edge e goes from senders[e] (atom i) to receivers[e] (atom j), both indices into the
//     concatenated atoms. Its vector is
//         r_ij = positions[receivers[e]] − positions[senders[e]] + shifts[e]
//     i.e. the shift is added to the RECEIVER: the edge points from atom i to the periodic image
//     of atom j displaced by shifts[e]. `edgeVectors(batch)` computes exactly this.
//   * shifts[e] = cell[g] @ cellOffsets[e], with cell[g] holding the lattice vectors as COLUMNS
//     (the convention of ExtxyzFrame.cell and md's space.periodicGeneral; an extXYZ Lattice lists
//     them as rows) and cellOffsets[e] the integer image (n1, n2, n3). Under a homogeneous strain
//     x → (I + ε) x the shifts transform the same way, shifts → shifts (I + ε)ᵀ, which is how a
//     model gets stress from the strain derivative.
//   * Edges are directed and come in both directions: (i → j, S) and (j → i, −S).
//   * An edge is kept when |r_ij| < cutoff (strict). Every periodic image within the cutoff is
//     included, also when the cell is shorter than 2·cutoff (then an atom can see several images
//     of the same neighbour, and images of itself); the only pair never produced is an atom with
//     itself at zero shift.
//   * Within a frame, edges are ordered by sender, then receiver, then image (n1, n2, n3).
//   * Positions need not be wrapped into the cell: shifts are computed for the positions as given.
//
// Browser-safe: pure TypeScript over the core (no Node imports).
import { np, Tensor } from "../index.js";
import type { DType } from "../index.js";

// Element symbols by atomic number (index 0 is "X", ASE's dummy atom).
const SYMBOLS = (
  "X H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr " +
  "Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb " +
  "Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf " +
  "Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og"
).split(" ");
const NUMBERS = new Map(SYMBOLS.map((s, z) => [s, z]));

/** The atomic number of an element symbol ("Cu" → 29; "X" → 0); throws for an unknown symbol. */
export function atomicNumber(symbol: string): number {
  const z = NUMBERS.get(symbol);
  if (z === undefined) throw new Error(`atomicNumber: unknown element symbol ${JSON.stringify(symbol)}`);
  return z;
}

/** The element symbol of an atomic number (29 → "Cu"). */
export function elementSymbol(z: number): string {
  if (!Number.isInteger(z) || z < 0 || z >= SYMBOLS.length) throw new Error(`elementSymbol: no element with atomic number ${z}`);
  return SYMBOLS[z];
}

/**
 * One structure to put in a graph. An ExtxyzFrame (from readExtxyz / readExtxyzFile) is one:
 * energy is read from `energy` or else `info.energy`, forces from `forces` or else
 * `properties.forces`, stress from `stress` or else `info.stress` (9 numbers, row-major 3×3).
 */
export interface AtomsFrame {
  /** Positions [N, 3] (Å in the EMT data set). */
  positions: Tensor | readonly (readonly number[])[];
  /** Element symbols ("Cu") or atomic numbers, one per atom. */
  species: readonly (string | number)[] | Tensor;
  /** Cell [3, 3] with the lattice vectors as COLUMNS, or null/absent for a molecule. */
  cell?: Tensor | readonly (readonly number[])[] | null;
  /** Periodicity per axis; default: all true with a cell, all false without. */
  pbc?: readonly [boolean, boolean, boolean] | readonly boolean[];
  energy?: number;
  forces?: Tensor;
  stress?: Tensor | readonly number[];
  info?: Record<string, unknown>;
  properties?: Record<string, unknown>;
  /** The file line of the frame (ExtxyzFrame.line), used in error messages. */
  line?: number;
}

/** The edges of one frame, as plain typed arrays (indices local to the frame). */
export interface EdgeList {
  numAtoms: number;
  numEdges: number;
  senders: Int32Array;
  receivers: Int32Array;
  /** Integer image offsets (n1, n2, n3) per edge, flattened [E * 3]. */
  cellOffsets: Int32Array;
  /** Cartesian shifts cell @ cellOffsets per edge, flattened [E * 3]; r_ij = x[receiver] − x[sender] + shift. */
  shifts: Float64Array;
}

/** A batch of frames as one disjoint graph (see the conventions at the top of this file). */
export interface GraphBatch {
  /** Positions of all atoms, concatenated frame by frame [Ntot, 3]. */
  positions: Tensor;
  /** Atomic numbers, int32 [Ntot]. */
  species: Tensor;
  /** The frame (graph) each atom belongs to, int32 [Ntot], non-decreasing. */
  graphIndex: Tensor;
  numGraphs: number;
  /** Atoms per graph, int32 [G]. */
  numAtoms: Tensor;
  /** Edge sources, int32 [E], indices into the concatenated atoms. */
  senders: Tensor;
  /** Edge targets, int32 [E]. */
  receivers: Tensor;
  /** Cartesian image shifts [E, 3]: r_ij = positions[receivers] − positions[senders] + shifts. */
  shifts: Tensor;
  /** Integer image offsets int32 [E, 3]: shifts[e] = cell[graph] @ cellOffsets[e] (zero without a cell). */
  cellOffsets: Tensor;
  /** Cells [G, 3, 3], lattice vectors as columns (zeros for a frame without one); null when no frame has a cell. */
  cell: Tensor | null;
  /** Periodicity, bool [G, 3]. */
  pbc: Tensor;
  /** Energies [G] when every frame has one. */
  energy?: Tensor;
  /** Forces [Ntot, 3] when every frame has them. */
  forces?: Tensor;
  /**
   * Stress [G, 3, 3] (ASE convention: (1/V) dE/dε, eV/Å³) when any frame has one; frames without
   * (e.g. slabs, which are not periodic along z) hold zeros there and are false in stressMask.
   */
  stress?: Tensor;
  /** Which graphs have a real stress, bool [G] (present with stress). */
  stressMask?: Tensor;
  /** The cutoff the edges were built with. */
  cutoff: number;
}

export interface CollateOptions {
  /** Neighbour cutoff (same length unit as the positions). */
  cutoff: number;
  /** Floating dtype of positions, shifts, cell, energy, forces, stress (default float64). */
  dtype?: "float64" | "float32";
}

function toNumbers(x: Tensor | readonly (readonly number[])[] | readonly number[], what: string): Float64Array {
  if (x instanceof Tensor) return Float64Array.from(x.data());
  if (!Array.isArray(x)) throw new TypeError(`${what}: expected a Tensor or an array, got ${typeof x}`);
  return Float64Array.from((x as unknown[]).flat(2) as number[]);
}

function frameName(frame: AtomsFrame, k: number | null): string {
  const where = k === null ? "frame" : `frame ${k}`;
  return frame.line !== undefined ? `${where} (line ${frame.line})` : where;
}

interface Geometry {
  n: number;
  positions: Float64Array; // n*3
  cell: Float64Array | null; // 9, row-major, columns are lattice vectors
  pbc: [boolean, boolean, boolean];
}

function geometry(frame: AtomsFrame, where: string): Geometry {
  if (frame === null || typeof frame !== "object") throw new TypeError(`${where}: expected a frame object, got ${frame === null ? "null" : typeof frame}`);
  const positions = toNumbers(frame.positions, `${where}: positions`);
  if (frame.positions instanceof Tensor) {
    const s = frame.positions.shape;
    if (s.length !== 2 || s[1] !== 3) throw new Error(`${where}: positions must have shape [N, 3], got [${s}]`);
  } else if (positions.length % 3 !== 0) throw new Error(`${where}: positions must be N rows of 3 numbers`);
  for (let k = 0; k < positions.length; k++) {
    if (!Number.isFinite(positions[k])) throw new Error(`${where}: positions hold a non-finite value (${positions[k]}) at atom ${Math.floor(k / 3)}`);
  }
  const n = positions.length / 3;
  let cell: Float64Array | null = null;
  if (frame.cell !== undefined && frame.cell !== null) {
    cell = toNumbers(frame.cell, `${where}: cell`);
    if (cell.length !== 9 || (frame.cell instanceof Tensor && (frame.cell.ndim !== 2 || frame.cell.shape[0] !== 3 || frame.cell.shape[1] !== 3))) {
      throw new Error(`${where}: cell must be 3×3 (lattice vectors as columns)`);
    }
    if (!cell.every(Number.isFinite)) throw new Error(`${where}: cell holds a non-finite value`);
  }
  let pbc: [boolean, boolean, boolean];
  if (frame.pbc !== undefined) {
    if (frame.pbc.length !== 3) throw new Error(`${where}: pbc must be three booleans`);
    pbc = [!!frame.pbc[0], !!frame.pbc[1], !!frame.pbc[2]];
  } else pbc = cell ? [true, true, true] : [false, false, false];
  if (cell === null && pbc.some((p) => p)) throw new Error(`${where}: pbc is [${pbc}] but the frame has no cell`);
  return { n, positions, cell, pbc };
}

/** Inverse of a 3×3 row-major matrix; throws when it is (nearly) singular. */
function inverse3(m: Float64Array, where: string): Float64Array {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  const scale = Math.max(...Array.from(m, Math.abs)) ** 3;
  if (!(Math.abs(det) > 1e-12 * scale)) throw new Error(`${where}: the cell is singular (determinant ${det}); periodic images need three independent lattice vectors`);
  return Float64Array.from([
    A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
    B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
    C / det, -(a * h - b * g) / det, (a * e - b * d) / det,
  ]);
}

/**
 * Directed edges of one frame within `cutoff`, periodic images included (see the conventions at
 * the top of the file). Brute force over pairs × images — O(N² · images), fine for the few
 * hundred atoms per frame of training sets. Indices are local to the frame.
 */
export function buildGraph(frame: AtomsFrame, cutoff: number): EdgeList {
  return buildGraphAt(frame, cutoff, frameName(frame, null));
}

function buildGraphAt(frame: AtomsFrame, cutoff: number, where: string): EdgeList {
  if (typeof cutoff !== "number" || !(cutoff > 0) || !Number.isFinite(cutoff)) throw new RangeError(`buildGraph: cutoff must be a positive finite number, got ${cutoff}`);
  const { n, positions: x, cell, pbc } = geometry(frame, `buildGraph: ${where}`);
  const c2 = cutoff * cutoff;
  const senders: number[] = [], receivers: number[] = [], offsets: number[] = [], shifts: number[] = [];
  const periodic = cell !== null && pbc.some((p) => p);

  if (!periodic) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const dx = x[3 * j] - x[3 * i], dy = x[3 * j + 1] - x[3 * i + 1], dz = x[3 * j + 2] - x[3 * i + 2];
        if (dx * dx + dy * dy + dz * dz < c2) {
          senders.push(i); receivers.push(j); offsets.push(0, 0, 0); shifts.push(0, 0, 0);
        }
      }
    }
  } else {
    const C = cell as Float64Array;
    const inv = inverse3(C, `buildGraph: ${where}`);
    // Wrap along the periodic axes: x' = x + C w with integer w, fractional coordinates in [0, 1).
    const wrapped = new Float64Array(3 * n);
    const w = new Int32Array(3 * n);
    for (let a = 0; a < n; a++) {
      const p = [x[3 * a], x[3 * a + 1], x[3 * a + 2]];
      const wa = [0, 0, 0];
      for (let k = 0; k < 3; k++) {
        if (!pbc[k]) continue;
        const f = inv[3 * k] * p[0] + inv[3 * k + 1] * p[1] + inv[3 * k + 2] * p[2];
        wa[k] = -Math.floor(f);
      }
      for (let r = 0; r < 3; r++) wrapped[3 * a + r] = p[r] + C[3 * r] * wa[0] + C[3 * r + 1] * wa[1] + C[3 * r + 2] * wa[2];
      w[3 * a] = wa[0]; w[3 * a + 1] = wa[1]; w[3 * a + 2] = wa[2];
    }
    // Images needed along axis k: the lattice planes are 1/|row k of C⁻¹| apart, and wrapped
    // fractional differences lie in (−1, 1), so |n_k| ≤ floor(cutoff · |b_k|) + 1 suffices.
    const range = [0, 1, 2].map((k) => {
      if (!pbc[k]) return 0;
      const bk = Math.hypot(inv[3 * k], inv[3 * k + 1], inv[3 * k + 2]);
      return Math.floor(cutoff * bk) + 1;
    });
    const images: number[][] = [];
    for (let n1 = -range[0]; n1 <= range[0]; n1++) {
      for (let n2 = -range[1]; n2 <= range[1]; n2++) {
        for (let n3 = -range[2]; n3 <= range[2]; n3++) images.push([n1, n2, n3]);
      }
    }
    const imageShift = images.map(([n1, n2, n3]) => [0, 1, 2].map((r) => C[3 * r] * n1 + C[3 * r + 1] * n2 + C[3 * r + 2] * n3));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const dx = wrapped[3 * j] - wrapped[3 * i], dy = wrapped[3 * j + 1] - wrapped[3 * i + 1], dz = wrapped[3 * j + 2] - wrapped[3 * i + 2];
        for (let m = 0; m < images.length; m++) {
          const s = imageShift[m];
          const rx = dx + s[0], ry = dy + s[1], rz = dz + s[2];
          if (rx * rx + ry * ry + rz * rz >= c2) continue;
          const im = images[m];
          if (i === j && im[0] === 0 && im[1] === 0 && im[2] === 0) continue;
          // r = x'_j − x'_i + C m = x_j − x_i + C (m + w_j − w_i).
          const o1 = im[0] + w[3 * j] - w[3 * i], o2 = im[1] + w[3 * j + 1] - w[3 * i + 1], o3 = im[2] + w[3 * j + 2] - w[3 * i + 2];
          senders.push(i); receivers.push(j); offsets.push(o1, o2, o3);
          shifts.push(C[0] * o1 + C[1] * o2 + C[2] * o3, C[3] * o1 + C[4] * o2 + C[5] * o3, C[6] * o1 + C[7] * o2 + C[8] * o3);
        }
      }
    }
  }
  return {
    numAtoms: n,
    numEdges: senders.length,
    senders: Int32Array.from(senders),
    receivers: Int32Array.from(receivers),
    cellOffsets: Int32Array.from(offsets),
    shifts: Float64Array.from(shifts),
  };
}

// Edge lists are cached per (positions, cell) object and cutoff: tensors are immutable, so a
// frame collated again in a later epoch reuses its edges.
const edgeCache = new WeakMap<object, { cell: unknown; pbc: string; cutoff: number; edges: EdgeList }[]>();

function cachedGraph(frame: AtomsFrame, cutoff: number, where: string): EdgeList {
  const key = frame.positions as object;
  const cacheable = frame.positions instanceof Tensor && (frame.cell === undefined || frame.cell === null || frame.cell instanceof Tensor);
  if (!cacheable) return buildGraphAt(frame, cutoff, where);
  const pbc = JSON.stringify(frame.pbc ?? null);
  const cell = frame.cell ?? null;
  const entries = edgeCache.get(key) ?? [];
  const hit = entries.find((e) => e.cell === cell && e.pbc === pbc && e.cutoff === cutoff);
  if (hit) return hit.edges;
  const edges = buildGraphAt(frame, cutoff, where);
  entries.push({ cell, pbc, cutoff, edges });
  if (entries.length > 4) entries.shift();
  edgeCache.set(key, entries);
  return edges;
}

function speciesOf(frame: AtomsFrame, n: number, where: string): Int32Array {
  const sp = frame.species;
  const out = new Int32Array(n);
  if (sp instanceof Tensor) {
    if (sp.size !== n) throw new Error(`${where}: species has ${sp.size} entries for ${n} atoms`);
    const d = sp.data();
    for (let a = 0; a < n; a++) out[a] = d[a];
  } else {
    if (!Array.isArray(sp) || sp.length !== n) throw new Error(`${where}: species must list one element per atom (${n}), got ${Array.isArray(sp) ? sp.length : typeof sp}`);
    for (let a = 0; a < n; a++) {
      const s = sp[a];
      if (typeof s === "number") {
        if (!Number.isInteger(s) || s < 0 || s >= SYMBOLS.length) throw new Error(`${where}: atom ${a}: ${s} is not an atomic number`);
        out[a] = s;
      } else {
        const z = NUMBERS.get(s);
        if (z === undefined) throw new Error(`${where}: atom ${a}: unknown element symbol ${JSON.stringify(s)}`);
        out[a] = z;
      }
    }
  }
  return out;
}

function energyOf(frame: AtomsFrame): number | undefined {
  if (typeof frame.energy === "number") return frame.energy;
  const e = frame.info?.energy;
  return typeof e === "number" ? e : undefined;
}

function forcesOf(frame: AtomsFrame): Tensor | undefined {
  if (frame.forces instanceof Tensor) return frame.forces;
  const f = frame.properties?.forces;
  return f instanceof Tensor ? f : undefined;
}

function stressOf(frame: AtomsFrame, where: string): Float64Array | undefined {
  const s = frame.stress ?? frame.info?.stress;
  if (s === undefined) return undefined;
  if (!(s instanceof Tensor) && !Array.isArray(s)) return undefined;
  const v = s instanceof Tensor ? Float64Array.from(s.data()) : Float64Array.from(s as number[]);
  if (v.length === 9) return v;
  if (v.length === 6) {
    // Voigt order xx yy zz yz xz xy (ASE).
    const [xx, yy, zz, yz, xz, xy] = v;
    return Float64Array.from([xx, xy, xz, xy, yy, yz, xz, yz, zz]);
  }
  throw new Error(`${where}: stress must have 9 (3×3) or 6 (Voigt) components, got ${v.length}`);
}

/**
 * Concatenate frames into one GraphBatch with edges within `cutoff` (see the conventions at the
 * top of this file). energy and forces are included when every frame has them (a batch where only
 * some frames carry one is an error: almost always a mixed-up data set); stress when any frame
 * has it, with stressMask marking which.
 */
export function collate(frames: readonly AtomsFrame[], options: CollateOptions): GraphBatch {
  if (!Array.isArray(frames)) throw new TypeError(`collate: frames must be an array, got ${typeof frames}`);
  if (options === null || typeof options !== "object") throw new TypeError("collate: options { cutoff } are required");
  const { cutoff } = options;
  const dtype: DType = options.dtype ?? "float64";
  if (dtype !== "float64" && dtype !== "float32") throw new TypeError(`collate: dtype must be "float64" or "float32", got ${JSON.stringify(dtype)}`);
  if (typeof cutoff !== "number" || !(cutoff > 0) || !Number.isFinite(cutoff)) throw new RangeError(`collate: cutoff must be a positive finite number, got ${cutoff}`);
  const G = frames.length;
  const geoms = frames.map((f, k) => geometry(f, `collate: ${frameName(f, k)}`));
  const edges = frames.map((f, k) => cachedGraph(f, cutoff, frameName(f, k)));
  const nTot = geoms.reduce((a, g) => a + g.n, 0);
  const eTot = edges.reduce((a, e) => a + e.numEdges, 0);
  const Float = dtype === "float32" ? Float32Array : Float64Array;

  const positions = new Float(3 * nTot);
  const species = new Int32Array(nTot);
  const graphIndex = new Int32Array(nTot);
  const numAtoms = new Int32Array(G);
  const senders = new Int32Array(eTot), receivers = new Int32Array(eTot);
  const shifts = new Float(3 * eTot);
  const cellOffsets = new Int32Array(3 * eTot);
  const anyCell = geoms.some((g) => g.cell !== null);
  const cell = anyCell ? new Float(9 * G) : null;
  const pbc = new Uint8Array(3 * G);

  const energies = frames.map(energyOf);
  const forces = frames.map(forcesOf);
  const stresses = frames.map((f, k) => stressOf(f, `collate: ${frameName(f, k)}`));
  const all = <T>(xs: (T | undefined)[], what: string): boolean => {
    const have = xs.filter((v) => v !== undefined).length;
    if (have === 0 || have === xs.length) return have > 0;
    const missing = xs.findIndex((v) => v === undefined);
    throw new Error(`collate: ${frameName(frames[missing], missing)} has no ${what} but ${have} of the ${xs.length} frames do; collate frames that all carry it or none`);
  };
  const haveEnergy = all(energies, "energy"), haveForces = all(forces, "forces");
  const haveStress = stresses.some((v) => v !== undefined);
  const forceData = haveForces ? new Float(3 * nTot) : null;
  const stressData = haveStress ? new Float(9 * G) : null;

  let atom = 0, edge = 0;
  for (let g = 0; g < G; g++) {
    const geo = geoms[g], el = edges[g];
    const where = `collate: ${frameName(frames[g], g)}`;
    positions.set(geo.positions, 3 * atom);
    species.set(speciesOf(frames[g], geo.n, where), atom);
    graphIndex.fill(g, atom, atom + geo.n);
    numAtoms[g] = geo.n;
    for (let e = 0; e < el.numEdges; e++) {
      senders[edge + e] = el.senders[e] + atom;
      receivers[edge + e] = el.receivers[e] + atom;
    }
    shifts.set(el.shifts, 3 * edge);
    cellOffsets.set(el.cellOffsets, 3 * edge);
    if (cell && geo.cell) cell.set(geo.cell, 9 * g);
    for (let k = 0; k < 3; k++) pbc[3 * g + k] = geo.pbc[k] ? 1 : 0;
    if (forceData) {
      const f = forces[g] as Tensor;
      if (f.ndim !== 2 || f.shape[0] !== geo.n || f.shape[1] !== 3) throw new Error(`${where}: forces must have shape [${geo.n}, 3], got [${f.shape}]`);
      forceData.set(f.data(), 3 * atom);
    }
    if (stressData && stresses[g]) stressData.set(stresses[g] as Float64Array, 9 * g);
    atom += geo.n;
    edge += el.numEdges;
  }
  const batch: GraphBatch = {
    positions: np.frombuffer(positions, [nTot, 3]),
    species: np.frombuffer(species, [nTot]),
    graphIndex: np.frombuffer(graphIndex, [nTot]),
    numGraphs: G,
    numAtoms: np.frombuffer(numAtoms, [G]),
    senders: np.frombuffer(senders, [eTot]),
    receivers: np.frombuffer(receivers, [eTot]),
    shifts: np.frombuffer(shifts, [eTot, 3]),
    cellOffsets: np.frombuffer(cellOffsets, [eTot, 3]),
    cell: cell ? np.frombuffer(cell, [G, 3, 3]) : null,
    pbc: np.frombuffer(pbc, [G, 3]),
    cutoff,
  };
  if (haveEnergy) batch.energy = np.frombuffer(Float.from(energies as number[]), [G]);
  if (forceData) batch.forces = np.frombuffer(forceData, [nTot, 3]);
  if (stressData) {
    batch.stress = np.frombuffer(stressData, [G, 3, 3]);
    batch.stressMask = np.frombuffer(Uint8Array.from(stresses, (v) => (v ? 1 : 0)), [G]);
  }
  return batch;
}

/**
 * Edge vectors r_ij = positions[receivers] − positions[senders] + shifts, [E, 3]. Differentiable
 * in `positions` (pass traced positions — e.g. inside grad — to get forces; defaults to the
 * batch's own) and in `shifts` (pass strained shifts for stress).
 */
export function edgeVectors(batch: Pick<GraphBatch, "positions" | "senders" | "receivers" | "shifts">, positions: Tensor = batch.positions, shifts: Tensor = batch.shifts): Tensor {
  return np.add(np.subtract(np.take(positions, batch.receivers, 0), np.take(positions, batch.senders, 0)), shifts);
}
