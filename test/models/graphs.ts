// Test helpers: build GraphBatch objects from small structures by brute force (every pair and
// every periodic image within the cutoff), random rotations, and a toy reference potential.
import { np, Tensor } from "../../src/index.js";
import { collate } from "../../src/io/graph-batch.js";
import type { GraphBatch } from "../../src/models/index.js";

export interface Frame {
  positions: number[][];
  species: number[];
  cell?: number[][] | null;
  energy?: number;
  forces?: number[][];
}

/** diffmol/io's collate on frames whose cell lists the lattice vectors as rows (converted to columns). */
export function collateFrames(frames: Frame[], cutoff: number, dtype: "float64" | "float32" = "float64"): GraphBatch {
  return collate(frames.map((f) => ({
    positions: f.positions,
    species: f.species,
    cell: f.cell ? [0, 1, 2].map((i) => [0, 1, 2].map((j) => f.cell![j][i])) : null,
    energy: f.energy,
    forces: f.forces ? np.array(f.forces, { dtype }) : undefined,
  })), { cutoff, dtype });
}

/** An independent brute-force neighbour list (every pair, every image), to cross-check collate. */
export function bruteForceEdges(f: Frame, cutoff: number): { senders: number[]; receivers: number[]; shifts: number[][] } {
  const senders: number[] = [], receivers: number[] = [], shifts: number[][] = [];
  const n = f.positions.length;
  const cell = f.cell ?? null;
  const reps = cell ? cell.map((_, a) => Math.ceil(cutoff / height(cell, a)) + 1) : [0, 0, 0];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    for (let a = -reps[0]; a <= reps[0]; a++) for (let b = -reps[1]; b <= reps[1]; b++) for (let c = -reps[2]; c <= reps[2]; c++) {
      if (i === j && a === 0 && b === 0 && c === 0) continue;
      const s = cell ? [0, 1, 2].map((k) => a * cell[0][k] + b * cell[1][k] + c * cell[2][k]) : [0, 0, 0];
      const d = [0, 1, 2].map((k) => f.positions[j][k] - f.positions[i][k] + s[k]);
      if (Math.hypot(d[0], d[1], d[2]) < cutoff) { senders.push(i); receivers.push(j); shifts.push(s); }
    }
  }
  return { senders, receivers, shifts };
}

function height(cell: number[][], a: number): number {
  const [u, v] = [cell[(a + 1) % 3], cell[(a + 2) % 3]];
  const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  const vol = Math.abs(n[0] * cell[a][0] + n[1] * cell[a][1] + n[2] * cell[a][2]);
  return vol / Math.hypot(n[0], n[1], n[2]);
}

/** A seeded uniform generator (mulberry32). */
import { rng } from "../helpers/random.js";
export { rng };

/** A random proper rotation (Rodrigues' formula about a random axis), rows/cols as 3×3 numbers. */
export function randomRotation(rand: () => number): number[][] {
  const u = [rand() - 0.5, rand() - 0.5, rand() - 0.5];
  const nu = Math.hypot(u[0], u[1], u[2]);
  const [x, y, z] = u.map((c) => c / nu);
  const th = 2 * Math.PI * rand();
  const c = Math.cos(th), s = Math.sin(th), C = 1 - c;
  return [
    [c + x * x * C, x * y * C - z * s, x * z * C + y * s],
    [y * x * C + z * s, c + y * y * C, y * z * C - x * s],
    [z * x * C - y * s, z * y * C + x * s, c + z * z * C],
  ];
}

/** Rows r → r·Rᵀ (i.e. R applied to each row vector). */
export function rotateRows(rows: number[][], R: number[][]): number[][] {
  return rows.map((r) => [0, 1, 2].map((i) => R[i][0] * r[0] + R[i][1] * r[1] + R[i][2] * r[2]));
}

/** A random cluster of n atoms (min distance ≥ dmin) in a box of side L. */
export function randomCluster(rand: () => number, n: number, L: number, species: number[], dmin = 1.0): Frame {
  const positions: number[][] = [];
  while (positions.length < n) {
    const p = [rand() * L, rand() * L, rand() * L];
    if (positions.every((q) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) >= dmin)) positions.push(p);
  }
  return { positions, species: Array.from({ length: n }, (_, i) => species[i % species.length]) };
}

/** fcc conventional cell (4 atoms), lattice constant a, with small displacements. */
export function fccCell(a: number, Z: number, rand: () => number, jitter = 0.05): Frame {
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  return {
    positions: basis.map((b) => b.map((x) => x * a + jitter * (rand() - 0.5))),
    species: basis.map(() => Z),
    cell: [[a, 0, 0], [0, a, 0], [0, 0, a]],
  };
}

/** The frame repeated nx×1×1 along the first cell vector. */
export function supercellX(f: Frame, nx: number): Frame {
  const cell = f.cell!;
  const positions: number[][] = [], species: number[] = [];
  for (let r = 0; r < nx; r++) {
    f.positions.forEach((p, i) => { positions.push(p.map((x, k) => x + r * cell[0][k])); species.push(f.species[i]); });
  }
  return { positions, species, cell: [cell[0].map((x) => x * nx), cell[1], cell[2]] };
}

/** Toy reference: Morse pair energy (per-species depth) with analytic forces, for training tests. */
export function morseLabel(f: Frame): Frame {
  const n = f.positions.length;
  let E = 0;
  const F = f.positions.map(() => [0, 0, 0]);
  const D = (z: number) => (z === 1 ? 0.3 : 0.6), a = 1.5, r0 = 1.6;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const d = [0, 1, 2].map((k) => f.positions[j][k] - f.positions[i][k]);
    const r = Math.hypot(d[0], d[1], d[2]);
    const De = Math.sqrt(D(f.species[i]) * D(f.species[j]));
    const ex = Math.exp(-a * (r - r0));
    E += De * ((1 - ex) ** 2 - 1);
    const dEdr = De * 2 * (1 - ex) * a * ex;
    for (let k = 0; k < 3; k++) { F[i][k] += dEdr * d[k] / r; F[j][k] -= dEdr * d[k] / r; }
  }
  return { ...f, energy: E - 1.0 * n, forces: F };
}

export function maxAbsDiff(a: Tensor | number[], b: Tensor | number[]): number {
  const x = a instanceof Tensor ? Array.from(a.data()) : a;
  const y = b instanceof Tensor ? Array.from(b.data()) : b;
  if (x.length !== y.length) throw new Error(`length ${x.length} vs ${y.length}`);
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);
}

/** max |a − b| over max |b| (b the reference). */
export function relErr(a: Tensor, b: Tensor): number {
  const scale = Math.max(1e-12, ...Array.from(b.data()).map(Math.abs));
  return maxAbsDiff(a, b) / scale;
}

/** The two small free-space molecules (H/C/O and C/O) the potential tests batch together. */
export function twoMolecules(): { molA: Frame; molB: Frame } {
  const rand = rng(7);
  const molA = randomCluster(rand, 6, 3.5, [1, 6, 8]);
  const molB = randomCluster(rand, 4, 3.0, [6, 8]);
  return { molA, molB };
}
