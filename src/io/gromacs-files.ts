// GROMACS topologies and coordinates from disk (Node only). The parsers in src/ff/gromacs are
// pure text functions; this file gives them a FileSource over real files and finds the
// force-field library the way GROMACS does: GMXLIB (colon-separated) when set, else the
// installation's share/gromacs/top (Debian: /usr/share/gromacs/top) when it exists.
import { existsSync, readFileSync, statSync } from "node:fs";
import { delimiter } from "node:path";
import type { FileSource } from "../ff/gromacs/file-source.js";
import { readTop, ReadTopOptions } from "../ff/gromacs/top-reader.js";
import { readGro, GroFrame } from "../ff/gromacs/gro.js";
import { readPdb, PdbStructure } from "../ff/pdb.js";
import type { Topology } from "../ff/topology.js";

const DEFAULT_LIBRARY_DIRS = ["/usr/share/gromacs/top", "/usr/local/gromacs/share/gromacs/top"];

/** A FileSource over the real file system. */
export const nodeFileSource: FileSource = {
  read: (path) => readFileSync(path, "utf8"),
  exists: (path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
};

/** GROMACS's force-field library directories: GMXLIB when set, else the installed share/gromacs/top. */
export function gromacsLibraryDirs(env: Record<string, string | undefined> = process.env): string[] {
  const gmxlib = env.GMXLIB;
  if (gmxlib !== undefined && gmxlib !== "") return gmxlib.split(delimiter).filter((d) => d !== "");
  return DEFAULT_LIBRARY_DIRS.filter((d) => existsSync(d));
}

/**
 * Read a .top file and everything it #includes. `libraryDirs` defaults to gromacsLibraryDirs().
 * Errors name the file and line.
 */
export function readTopFile(path: string, options: ReadTopOptions = {}): Topology {
  return readTop(path, nodeFileSource, { ...options, libraryDirs: options.libraryDirs ?? gromacsLibraryDirs() });
}

function readText(path: string, who: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`${who}: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** Read a .gro file (nm). */
export function readGroFile(path: string): GroFrame {
  return readGro(readText(path, "readGroFile"), path);
}

/** Read a PDB file (positions converted to nm). */
export function readPdbFile(path: string): PdbStructure {
  return readPdb(readText(path, "readPdbFile"), path);
}

/** A topology and its coordinates, read together. */
export function readGromacsFiles(files: { top: string; gro: string }, options: ReadTopOptions = {}): { topology: Topology; coordinates: GroFrame } {
  return { topology: readTopFile(files.top, options), coordinates: readGroFile(files.gro) };
}
