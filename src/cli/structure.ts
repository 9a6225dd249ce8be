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

/** The diagonal of an orthorhombic cell, or null when the cell has off-diagonal terms. */
export function orthorhombicSides(cell: Tensor): number[] | null {
  const c = Array.from(cell.data() as Float64Array);
  const off = [1, 2, 3, 5, 6, 7].some((k) => Math.abs(c[k]) > 1e-12 * Math.max(1, Math.abs(c[0])));
  return off ? null : [c[0], c[4], c[8]];
}
