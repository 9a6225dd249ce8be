// GROMACS .top/.itp → Topology. The preprocessor (preprocessor.ts) resolves #include/#define/
// #ifdef first; this file reads the [ directive ] sections of the resulting lines. Every error
// names the file and line the offending text came from, e.g.
//   peptide.top:112: [ dihedrals ] expects 5 or more columns, found 3
// Parameters are kept as written (see topology.ts); look-ups in the type tables are
// type-lookup.ts's job, so a topology read and written back is the same data.

import {
  Atom, AtomType, BondedType, CmapType, Defaults, Interaction, MoleculeType, ParticleType, RawSection, Topology,
  emptyMoleculeType, emptyTopology,
} from "../topology.js";
import { FileSource, memoryFileSource } from "./file-source.js";
import { PreprocessOptions, SourceLine, preprocess, stripComment } from "./preprocessor.js";

/** Options of readTop: the preprocessor's (defines, include and library directories). */
export type ReadTopOptions = PreprocessOptions;

/** Listed-interaction sections of a molecule type: atoms per row and the field they fill. */
const INTERACTION_SECTIONS = {
  bonds: { atoms: 2, field: "bonds" },
  pairs: { atoms: 2, field: "pairs" },
  pairs_nb: { atoms: 2, field: "pairsNb" },
  angles: { atoms: 3, field: "angles" },
  dihedrals: { atoms: 4, field: "dihedrals" },
  cmap: { atoms: 5, field: "cmap" },
  constraints: { atoms: 2, field: "constraints" },
  settles: { atoms: 1, field: "settles" },
  position_restraints: { atoms: 1, field: "positionRestraints" },
} as const satisfies Record<string, { atoms: number; field: keyof MoleculeType }>;

/** Type tables: directive → (type names per row, Topology field). */
const TYPE_SECTIONS = {
  bondtypes: { names: 2, field: "bondTypes" },
  pairtypes: { names: 2, field: "pairTypes" },
  angletypes: { names: 3, field: "angleTypes" },
  constrainttypes: { names: 2, field: "constraintTypes" },
  nonbond_params: { names: 2, field: "nonbondParams" },
} as const satisfies Record<string, { names: number; field: keyof Topology }>;

/** Directives inside a molecule type that are kept verbatim. */
const RAW_MOLECULE_SECTIONS = new Set([
  "virtual_sites1", "virtual_sites2", "virtual_sites3", "virtual_sites4", "virtual_sitesn", "dummies1", "dummies2",
  "dummies3", "dummies4", "dummiesn", "distance_restraints", "dihedral_restraints", "orientation_restraints",
  "angle_restraints", "angle_restraints_z", "polarization", "water_polarization", "thole_polarization",
]);

/** Top-level directives kept verbatim. */
const RAW_TOP_SECTIONS = new Set(["implicit_genborn_params", "intermolecular_interactions"]);

const PTYPES = new Set(["A", "S", "V", "D", "B"]);

/**
 * Read a GROMACS topology. `path` is read from `source`, #include files resolved as GROMACS
 * does (see preprocessor.ts). Throws an Error whose message starts with `file:line:`.
 */
export function readTop(path: string, source: FileSource, options: ReadTopOptions = {}): Topology {
  return parseTopLines(preprocess(path, source, options).lines);
}

/** Read a topology from its text alone (no includes possible unless `files` supplies them). */
export function parseTop(text: string, name = "topol.top", options: ReadTopOptions & { files?: Record<string, string> } = {}): Topology {
  const source = memoryFileSource({ ...(options.files ?? {}), [name]: text });
  return readTop(name, source, options);
}

/** Parse already-preprocessed lines. */
export function parseTopLines(lines: SourceLine[]): Topology {
  const top = emptyTopology();
  const atomTypeIndex = new Map<string, AtomType>();
  const typeKeys = new Map<string, number>(); // table:funct:names → index, for overrides
  let directive = "";
  let molecule: MoleculeType | undefined;
  let raw: RawSection | undefined;
  let intermolecular = false;
  let systemLines: string[] = [];
  let lastDihedralType: BondedType | undefined;

  for (const src of lines) {
    const text = stripComment(src.text).trim();
    if (text === "") continue;
    const where = `${src.file}:${src.line}`;
    const header = /^\[\s*([^\]\s]+)\s*\]$/.exec(text);
    if (header !== null) {
      directive = header[1].toLowerCase();
      raw = undefined;
      lastDihedralType = undefined;
      if (directive === "intermolecular_interactions") intermolecular = true;
      const known = directive in INTERACTION_SECTIONS || directive in TYPE_SECTIONS || RAW_MOLECULE_SECTIONS.has(directive) ||
        RAW_TOP_SECTIONS.has(directive) || ["defaults", "atomtypes", "dihedraltypes", "cmaptypes", "moleculetype", "atoms",
        "exclusions", "system", "molecules"].includes(directive);
      if (!known) throw new Error(`${where}: unknown directive [ ${directive} ]`);
      continue;
    }
    if (text.startsWith("[")) throw new Error(`${where}: malformed directive ${JSON.stringify(text)} (expected [ name ])`);
    // grompp passes over text before the first directive (force fields open with a banner of '*' lines)
    if (directive === "") continue;
    const f = text.split(/\s+/);
    const ctx = { where, directive };

    if (intermolecular && directive !== "system" && directive !== "molecules") {
      raw = appendRaw(top.other, raw, directive, f);
      continue;
    }
    if (RAW_TOP_SECTIONS.has(directive)) {
      raw = appendRaw(top.other, raw, directive, f);
      continue;
    }
    switch (directive) {
      case "defaults":
        if (top.defaults !== undefined) throw new Error(`${where}: [ defaults ] given twice`);
        top.defaults = readDefaults(f, ctx);
        break;
      case "atomtypes": {
        const t = readAtomType(f, ctx, top.defaults);
        const previous = atomTypeIndex.get(t.name);
        if (previous !== undefined) Object.assign(previous, t); // GROMACS: a redefinition overrides
        else {
          top.atomTypes.push(t);
          atomTypeIndex.set(t.name, t);
        }
        break;
      }
      case "bondtypes": case "pairtypes": case "angletypes": case "constrainttypes": case "nonbond_params": {
        const spec = TYPE_SECTIONS[directive];
        addType(top[spec.field], readBondedType(f, spec.names, ctx), directive, typeKeys);
        break;
      }
      case "dihedraltypes": {
        const t = readDihedralType(f, ctx);
        const table = top.dihedralTypes;
        // Consecutive funct-9 lines with the same names are the terms of one multi-term dihedral.
        if (t.funct === 9 && lastDihedralType !== undefined && lastDihedralType.funct === 9 && sameNames(lastDihedralType.types, t.types)) {
          table.push(t);
        } else {
          addType(table, t, directive, typeKeys);
        }
        lastDihedralType = t;
        break;
      }
      case "cmaptypes":
        top.cmapTypes.push(readCmapType(f, ctx));
        break;
      case "moleculetype": {
        if (f.length < 2) throw new Error(`${where}: [ moleculetype ] expects 2 columns (name nrexcl), found ${f.length}`);
        molecule = emptyMoleculeType(f[0], integer(f[1], 2, ctx));
        if (top.moleculeTypes.some((m) => m.name === molecule!.name)) throw new Error(`${where}: [ moleculetype ] ${f[0]} defined twice`);
        top.moleculeTypes.push(molecule);
        break;
      }
      case "atoms":
        needMolecule(molecule, ctx).atoms.push(readAtom(f, ctx, atomTypeIndex, molecule!));
        break;
      case "bonds": case "pairs": case "pairs_nb": case "angles": case "dihedrals": case "cmap": case "constraints":
      case "settles": case "position_restraints": {
        const m = needMolecule(molecule, ctx);
        const spec = INTERACTION_SECTIONS[directive];
        m[spec.field].push(readInteraction(f, spec.atoms, ctx, m));
        break;
      }
      case "exclusions": {
        const m = needMolecule(molecule, ctx);
        m.exclusions.push(f.map((s, i) => atomIndex(s, i + 1, ctx, m)));
        break;
      }
      case "system":
        systemLines.push(text);
        top.system = systemLines.join(" ");
        break;
      case "molecules": {
        if (f.length < 2) throw new Error(`${where}: [ molecules ] expects 2 columns (name count), found ${f.length}`);
        const count = integer(f[1], 2, ctx);
        if (!top.moleculeTypes.some((m) => m.name === f[0])) {
          const known = top.moleculeTypes.map((m) => m.name).join(", ") || "none";
          throw new Error(`${where}: [ molecules ] names ${f[0]}, which is no [ moleculetype ] (known: ${known})`);
        }
        top.molecules.push({ name: f[0], count });
        break;
      }
      default: {
        // Verbatim molecule sections (virtual sites, restraints other than position restraints).
        const m = needMolecule(molecule, ctx);
        raw = appendRaw(m.other, raw, directive, f);
      }
    }
  }
  return top;
}

interface Ctx {
  where: string;
  directive: string;
}

function appendRaw(list: RawSection[], current: RawSection | undefined, directive: string, row: string[]): RawSection {
  if (current === undefined || current.directive !== directive) {
    current = { directive, rows: [] };
    list.push(current);
  }
  current.rows.push(row);
  return current;
}

function needMolecule(m: MoleculeType | undefined, ctx: Ctx): MoleculeType {
  if (m === undefined) throw new Error(`${ctx.where}: [ ${ctx.directive} ] outside a [ moleculetype ]`);
  return m;
}

function need(f: string[], min: number, ctx: Ctx, what: string): void {
  if (f.length < min) throw new Error(`${ctx.where}: [ ${ctx.directive} ] expects ${min} or more columns (${what}), found ${f.length}`);
}

/** A number in column `col` (1-based); the error names the column and the text found. */
function number(s: string, col: number, ctx: Ctx): number {
  const x = Number(s);
  if (s === "" || !Number.isFinite(x)) throw new Error(`${ctx.where}: [ ${ctx.directive} ] column ${col}: expected a number, found ${JSON.stringify(s)}`);
  return x;
}

function integer(s: string, col: number, ctx: Ctx): number {
  const x = Number(s);
  if (!Number.isInteger(x)) throw new Error(`${ctx.where}: [ ${ctx.directive} ] column ${col}: expected an integer, found ${JSON.stringify(s)}`);
  return x;
}

function atomIndex(s: string, col: number, ctx: Ctx, m: MoleculeType): number {
  const i = integer(s, col, ctx);
  if (i < 1 || i > m.atoms.length) {
    throw new Error(`${ctx.where}: [ ${ctx.directive} ] atom ${i} is not in [ atoms ] of ${m.name} (${m.atoms.length} atoms so far)`);
  }
  return i - 1;
}

function readDefaults(f: string[], ctx: Ctx): Defaults {
  need(f, 2, ctx, "nbfunc comb-rule [gen-pairs fudgeLJ fudgeQQ]");
  const combRule = integer(f[1], 2, ctx);
  if (combRule !== 1 && combRule !== 2 && combRule !== 3) throw new Error(`${ctx.where}: [ defaults ] comb-rule must be 1, 2 or 3, found ${combRule}`);
  let genPairs = false;
  if (f.length > 2) {
    const g = f[2].toLowerCase();
    if (g !== "yes" && g !== "no") throw new Error(`${ctx.where}: [ defaults ] gen-pairs must be yes or no, found ${JSON.stringify(f[2])}`);
    genPairs = g === "yes";
  }
  return {
    nbfunc: integer(f[0], 1, ctx),
    combRule,
    genPairs,
    fudgeLJ: f.length > 3 ? number(f[3], 4, ctx) : 1,
    fudgeQQ: f.length > 4 ? number(f[4], 5, ctx) : 1,
  };
}

/**
 * [ atomtypes ] rows come in four shapes, told apart (as grompp does) by where the one-letter
 * particle type sits: name [bondtype] [at.num] mass charge ptype V W [C for Buckingham].
 */
function readAtomType(f: string[], ctx: Ctx, defaults: Defaults | undefined): AtomType {
  const nbParams = defaults?.nbfunc === 2 ? 3 : 2;
  need(f, 4 + nbParams, ctx, "name [bondtype] [at.num] mass charge ptype V W");
  const p = f.length - nbParams - 1;
  if (p > 5 || !PTYPES.has(f[p])) {
    throw new Error(`${ctx.where}: [ atomtypes ] expects the particle type (A, S, V, D) in column ${p + 1}, found ${JSON.stringify(f[p])}`);
  }
  let bondType = f[0];
  let atomicNumber = -1;
  if (p === 5) {
    bondType = f[1];
    atomicNumber = integer(f[2], 3, ctx);
  } else if (p === 4) {
    if (/^[A-Za-z]/.test(f[1])) bondType = f[1];
    else atomicNumber = integer(f[1], 2, ctx);
  }
  const t: AtomType = {
    name: f[0],
    bondType,
    atomicNumber,
    mass: number(f[p - 2], p - 1, ctx),
    charge: number(f[p - 1], p, ctx),
    ptype: f[p] as ParticleType,
    v: number(f[p + 1], p + 2, ctx),
    w: number(f[p + 2], p + 3, ctx),
  };
  if (nbParams === 3) t.buckinghamC = number(f[p + 3], p + 4, ctx);
  return t;
}

function readBondedType(f: string[], names: number, ctx: Ctx): BondedType {
  need(f, names + 1, ctx, `${names} type names, funct, parameters`);
  return {
    types: f.slice(0, names),
    funct: integer(f[names], names + 1, ctx),
    params: f.slice(names + 1).map((s, i) => number(s, names + 2 + i, ctx)),
  };
}

const SINGLE_DIGIT = /^[0-9]$/;

/** dihedraltypes: four names + funct, or the old two-name form (widened with X wildcards). */
function readDihedralType(f: string[], ctx: Ctx): BondedType {
  need(f, 3, ctx, "4 (or 2) type names, funct, parameters");
  if (SINGLE_DIGIT.test(f[2])) {
    const funct = integer(f[2], 3, ctx);
    const types = funct === 2 || funct === 4 ? [f[0], "X", "X", f[1]] : ["X", f[0], f[1], "X"];
    return { types, funct, params: f.slice(3).map((s, i) => number(s, 4 + i, ctx)) };
  }
  need(f, 5, ctx, "4 type names, funct, parameters");
  return readBondedType(f, 4, ctx);
}

function readCmapType(f: string[], ctx: Ctx): CmapType {
  need(f, 8, ctx, "5 type names, funct, gridX, gridY, values");
  const gridX = integer(f[6], 7, ctx);
  const gridY = integer(f[7], 8, ctx);
  const values = f.slice(8).map((s, i) => number(s, 9 + i, ctx));
  if (values.length !== gridX * gridY) {
    throw new Error(`${ctx.where}: [ cmaptypes ] ${f.slice(0, 5).join(" ")}: a ${gridX}×${gridY} grid needs ${gridX * gridY} values, found ${values.length}`);
  }
  return { types: f.slice(0, 5), funct: integer(f[5], 6, ctx), gridX, gridY, values };
}

function readAtom(f: string[], ctx: Ctx, types: Map<string, AtomType>, m: MoleculeType): Atom {
  need(f, 6, ctx, "nr type resnr residue atom cgnr [charge mass]");
  const nr = integer(f[0], 1, ctx);
  if (nr !== m.atoms.length + 1) throw new Error(`${ctx.where}: [ atoms ] of ${m.name}: atoms must be numbered 1, 2, … in order; expected ${m.atoms.length + 1}, found ${nr}`);
  const type = types.get(f[1]);
  if (type === undefined) throw new Error(`${ctx.where}: [ atoms ] atom type ${f[1]} is not in [ atomtypes ]`);
  const resnr = /^-?\d+/.exec(f[2]); // a residue number may carry an insertion code (12A)
  if (resnr === null) throw new Error(`${ctx.where}: [ atoms ] column 3: expected a residue number, found ${JSON.stringify(f[2])}`);
  const atom: Atom = {
    type: f[1],
    resnr: Number(resnr[0]),
    residue: f[3],
    name: f[4],
    cgnr: integer(f[5], 6, ctx),
    charge: f.length > 6 ? number(f[6], 7, ctx) : type.charge,
    mass: f.length > 7 ? number(f[7], 8, ctx) : type.mass,
  };
  if (f.length > 8) {
    const typeB = types.get(f[8]);
    if (typeB === undefined) throw new Error(`${ctx.where}: [ atoms ] B-state atom type ${f[8]} is not in [ atomtypes ]`);
    atom.typeB = f[8];
    atom.chargeB = f.length > 9 ? number(f[9], 10, ctx) : typeB.charge;
    atom.massB = f.length > 10 ? number(f[10], 11, ctx) : typeB.mass;
  }
  return atom;
}

function readInteraction(f: string[], nAtoms: number, ctx: Ctx, m: MoleculeType): Interaction {
  need(f, nAtoms, ctx, `${nAtoms} atom${nAtoms > 1 ? "s" : ""}, [funct], [parameters]`);
  return {
    atoms: f.slice(0, nAtoms).map((s, i) => atomIndex(s, i + 1, ctx, m)),
    // grompp takes function type 1 when the column is missing (oplsaa.ff/1propanol.itp's [ pairs ])
    funct: f.length > nAtoms ? integer(f[nAtoms], nAtoms + 1, ctx) : 1,
    params: f.slice(nAtoms + 1).map((s, i) => number(s, nAtoms + 2 + i, ctx)),
  };
}

function sameNames(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/**
 * Add a type entry; an entry with the same names (either direction) and function type replaces
 * the earlier one, as grompp does (it warns; the later definition wins).
 */
function addType(table: BondedType[], t: BondedType, directive: string, keys: Map<string, number>): void {
  const forward = `${directive}:${t.funct}:${t.types.join(" ")}`;
  const backward = `${directive}:${t.funct}:${[...t.types].reverse().join(" ")}`;
  const existing = keys.get(forward) ?? keys.get(backward);
  if (existing !== undefined && table[existing] !== undefined && table[existing].funct === t.funct) {
    table[existing] = t;
    return;
  }
  keys.set(forward, table.length);
  table.push(t);
}
