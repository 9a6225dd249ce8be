// Reading the starting structure of a run: XYZ / extended XYZ (ASE's format; the first frame, or
// the last with --frame -1). Positions in the file's units; the cell has lattice vectors as columns.
import { existsSync } from "node:fs";
import { extname } from "node:path";
import { Tensor } from "../index.js";
import { readExtxyzFile } from "../io/index.js";
import type { ExtxyzFrame } from "../io/index.js";
import { UsageError } from "./args.js";

export interface Structure {
  path: string;
  positions: Tensor;
  symbols: string[];
  /** [3, 3], lattice vectors as columns, or null for a molecule in free space. */
  cell: Tensor | null;
  pbc: boolean[];
  frame: ExtxyzFrame;
}

export const structureExtensions = [".xyz", ".extxyz"];

/** Read frame `index` (negative counts from the end) of an XYZ/extXYZ file; errors name the file (and line). */
export function readStructure(path: string, index = 0): Structure {
  if (!existsSync(path)) throw new UsageError(`${path}: no such file`);
  const ext = extname(path).toLowerCase();
  if (!structureExtensions.includes(ext)) {
    throw new UsageError(`${path}: unsupported structure format ${JSON.stringify(ext)} (expected ${structureExtensions.join(", ")}; .gro needs --top and diffmol/ff)`);
  }
  let frames: ExtxyzFrame[];
  try {
    frames = readExtxyzFile(path);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (frames.length === 0) throw new UsageError(`${path}: no frames`);
  const i = index < 0 ? frames.length + index : index;
  if (i < 0 || i >= frames.length) throw new UsageError(`${path}: has ${frames.length} frames; frame ${index} does not exist`);
  const f = frames[i];
  return { path, positions: f.positions, symbols: f.species.map(String), cell: f.cell, pbc: [...f.pbc], frame: f };
}

/** A periodic cell resolved to numbers. */
export interface CellGeometry {
  /** Lattice vectors as rows (the extended-XYZ / ASE convention), [3][3]. */
  rows: number[][];
  /** The same vectors as matrix columns (md.space.periodicGeneral's convention), [3][3]. */
  columns: number[][];
  volume: number;
  /** Distances between opposite faces, V / |a_j × a_k|; the smallest bounds the cutoff. */
  widths: number[];
  minWidth: number;
}

/** Volume and face-to-face widths of a cell given by its lattice vectors as rows. */
export function cellGeometry(cell: Tensor, path: string): CellGeometry {
  const rows = cell.toArray() as number[][];
  const cross = (u: number[], v: number[]) => [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  const dot = (u: number[], v: number[]) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  const volume = Math.abs(dot(rows[0], cross(rows[1], rows[2])));
  if (!(volume > 0) || !Number.isFinite(volume)) throw new UsageError(`${path}: the cell's lattice vectors are linearly dependent (volume ${volume})`);
  const widths = [0, 1, 2].map((i) => volume / Math.hypot(...cross(rows[(i + 1) % 3], rows[(i + 2) % 3])));
  const columns = [0, 1, 2].map((r) => [0, 1, 2].map((c) => rows[c][r]));
  return { rows, columns, volume, widths, minWidth: Math.min(...widths) };
}

/** The diagonal of an orthorhombic cell, or null when the cell has off-diagonal terms. */
export function orthorhombicSides(cell: Tensor): number[] | null {
  const c = Array.from(cell.data() as Float64Array);
  const off = [1, 2, 3, 5, 6, 7].some((k) => Math.abs(c[k]) > 1e-12 * Math.max(1, Math.abs(c[0])));
  return off ? null : [c[0], c[4], c[8]];
}
