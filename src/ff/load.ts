// loadGromacs: a .top (+ #includes) and a .gro become a ready force-field system.
//
//   const system = loadGromacs({ top: "peptide.top", gro: "peptide.gro" });
//   const E = system.energyFn();
//   const dEdParams = grad(E, { argnums: 1 })(system.positions, system.params);
//
// Browser-safe: file text comes from a FileSource (src/ff/gromacs/file-source.ts) — pass one, or
// pass the texts themselves (`topText`, `groText`). Only when neither is given and the code runs
// in Node does it read the disk, through `process.getBuiltinModule("node:fs")` at call time (no
// static Node import, so bundlers and the browser never see one). #include "x.ff/…" is resolved
// against `gmxlib` (GROMACS's share/gromacs/top), default the GMXLIB environment variable, then
// /usr/share/gromacs/top.

import { np } from "../index.js";
import { FileSource, memoryFileSource } from "./gromacs/file-source.js";
import { readTop } from "./gromacs/top-reader.js";
import { readGro } from "./gromacs/gro.js";
import { createForceField, ForceFieldSystem } from "./force-field.js";
import { systemAtomCount } from "./topology.js";
import { NonbondedOptions } from "./nonbonded.js";
import { mdpToOptions, parseMdp } from "./mdp.js";

export interface LoadGromacsOptions {
  /** Path of the .top file (read through `source`), or use `topText`. */
  top?: string;
  /** Path of the .gro file, or use `groText`. */
  gro?: string;
  /** The .top text itself (its #includes still go through `source` / gmxlib). */
  topText?: string;
  /** The .gro text itself. */
  groText?: string;
  /** An .mdp file (path) whose settings become energyFn's defaults and whose `define` applies. */
  mdp?: string;
  mdpText?: string;
  /** Where files come from; default: the disk in Node. */
  source?: FileSource;
  /** Force-field library directories (GMXLIB). */
  gmxlib?: string | string[];
  /** Preprocessor defines, e.g. { FLEXIBLE: "" } (mdp `define = -DFLEXIBLE`). */
  defines?: Record<string, string>;
}

export interface LoadedGromacsSystem extends ForceFieldSystem {
  /** The non-bonded settings taken from the .mdp (empty without one); energyFn() uses them by default. */
  mdpOptions: NonbondedOptions;
}

interface NodeFs {
  readFileSync(path: string, encoding: "utf8"): string;
  existsSync(path: string): boolean;
}
interface NodeProcess {
  env: Record<string, string | undefined>;
  getBuiltinModule?: (name: string) => unknown;
}

function nodeProcess(): NodeProcess | undefined {
  return (globalThis as { process?: NodeProcess }).process;
}

/** The disk, in Node only; undefined elsewhere. */
export function nodeFileSource(): FileSource | undefined {
  const fs = nodeProcess()?.getBuiltinModule?.("node:fs") as NodeFs | undefined;
  if (fs === undefined) return undefined;
  return { read: (p) => fs.readFileSync(p, "utf8"), exists: (p) => fs.existsSync(p) };
}

/** Load a GROMACS system (topology + coordinates) as a differentiable force field. */
export function loadGromacs(options: LoadGromacsOptions): LoadedGromacsSystem {
  const texts: Record<string, string> = {};
  if (options.topText !== undefined) texts[options.top ?? "topol.top"] = options.topText;
  if (options.groText !== undefined) texts[options.gro ?? "conf.gro"] = options.groText;
  if (options.mdpText !== undefined) texts[options.mdp ?? "grompp.mdp"] = options.mdpText;
  const disk = options.source ?? nodeFileSource();
  const memory = memoryFileSource(texts);
  const source: FileSource = {
    read: (p) => (memory.exists(p) ? memory.read(p) : disk !== undefined ? disk.read(p) : memory.read(p)),
    exists: (p) => memory.exists(p) || (disk?.exists(p) ?? false),
  };
  const topPath = options.top ?? (options.topText !== undefined ? "topol.top" : undefined);
  const groPath = options.gro ?? (options.groText !== undefined ? "conf.gro" : undefined);
  if (topPath === undefined || groPath === undefined) throw new Error("loadGromacs: give the topology (top or topText) and the coordinates (gro or groText)");
  if (disk === undefined && (!memory.exists(topPath) || !memory.exists(groPath))) {
    throw new Error("loadGromacs: no file system here (not Node): pass `source` (a FileSource) or the texts (topText, groText)");
  }
  const mdpPath = options.mdp ?? (options.mdpText !== undefined ? "grompp.mdp" : undefined);
  const mdp = mdpPath === undefined ? {} : parseMdp(source.read(mdpPath), mdpPath);
  const defines: Record<string, string> = { ...mdpDefines(mdp.define ?? ""), ...(options.defines ?? {}) };
  const env = nodeProcess()?.env ?? {};
  const gmxlib = options.gmxlib === undefined
    ? [...(env.GMXLIB ? env.GMXLIB.split(":") : []), "/usr/share/gromacs/top", "/usr/local/gromacs/share/gromacs/top"]
    : Array.isArray(options.gmxlib) ? options.gmxlib : [options.gmxlib];
  const topology = readTop(topPath, source, { defines, libraryDirs: gmxlib });
  const frame = readGro(source.read(groPath), groPath);
  const n = systemAtomCount(topology);
  if (frame.positions.length !== n) {
    throw new Error(`loadGromacs: ${groPath} has ${frame.positions.length} atoms but ${topPath}'s [ molecules ] make ${n}`);
  }
  const vacuum = frame.box.every((row) => row.every((x) => x === 0));
  const system = createForceField(topology, { positions: np.array(frame.positions), box: vacuum ? null : frame.box });
  const mdpOptions = mdpToOptions(mdp);
  const energyFn = (o?: NonbondedOptions) => system.energyFn(o ?? mdpOptions);
  const breakdownFn = (o?: NonbondedOptions) => system.breakdownFn(o ?? mdpOptions);
  const forcesFn = (o?: NonbondedOptions) => system.forcesFn(o ?? mdpOptions);
  const virialFn = (o?: NonbondedOptions) => system.virialFn(o ?? mdpOptions);
  const pressureFn = (o?: NonbondedOptions) => system.pressureFn(o ?? mdpOptions);
  return { ...system, energyFn, breakdownFn, forcesFn, virialFn, pressureFn, mdpOptions };
}

/** `define = -DFLEXIBLE -DPOSRES_FC=1000` → { FLEXIBLE: "", POSRES_FC: "1000" }. */
export function mdpDefines(define: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of define.split(/\s+/)) {
    const m = /^-D([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(word);
    if (m) out[m[1]] = m[2] ?? "";
  }
  return out;
}
