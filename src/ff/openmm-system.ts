// createSystemFromOpenMM: an OpenMM force-field XML and a PDB structure become a differentiable
// force-field system — OpenMM's `ForceField.createSystem(pdb.topology, …)`, the DMFF workflow —
// with no GROMACS files in between.
//
//   const system = createSystemFromOpenMM(pdbText, [amber99sbXml], { nonbondedMethod: "NoCutoff" });
//   const E = system.energyFn();                                   // kJ/mol
//   const dEdParams = grad(E, { argnums: 1 })(system.positions, system.params);
//
// Steps: residues are matched to templates (src/ff/residue-templates.ts), atoms get the template's
// type, charge and the type's mass; bonds, angles, propers and impropers are generated from the
// bond graph and given the parameters OpenMM's rules pick (src/ff/openmm-matching.ts); 1–4 pairs
// (three bonds apart, not closer) are scaled by coulomb14scale / lj14scale, 1–2 and 1–3 pairs
// are excluded. The result is a GROMACS-style `Topology` (src/ff/topology.ts) that
// `createForceField` evaluates, so the parameters stay a pytree keyed by the force field's own
// classes (bondTypes["CT-HC"], properDihedralTypes["X-C-N-X"], atomTypes["2"].epsilon …) and the
// fitting and write-back tools work on it unchanged. Each interaction's entry becomes a row of the
// topology's type tables named by the XML's classes (or types, when the files name only types;
// wildcard "" → X); where GROMACS's look-up rules (most specific match) would pick a different row
// than OpenMM's rules did, the interaction carries its own numbers instead, so the energy is
// OpenMM's either way. Non-bonded methods: see `nonbondedOptionsFor`; OpenMM's reaction field
// differs from GROMACS's on excluded pairs, which createSystemFromOpenMM's energy accounts for.
//
// Units are OpenMM's and GROMACS's: nm, kJ/mol, e, amu; the XML's radians become the topology's
// degrees (converted back by the energy terms).

import { np, grad, Tensor } from "../index.js";
import { KJ_PER_MOL_NM3_TO_BAR } from "../units.js";
import { NonbondedOptions } from "./nonbonded.js";
import { BreakdownFn, ForceFieldEnergyFn, ForceFieldSystem, createForceField } from "./force-field.js";
import { ForceFieldParams, systemCharges } from "./parameters.js";
import { PairList } from "./terms/pairs.js";
import { reactionFieldExclusionCorrection } from "./terms/coulomb.js";
import { erfcNumber } from "./terms/ewald.js";
import { OpenMMForceField, readOpenMMXml } from "./openmm-xml.js";
import { PdbStructure, readPdb } from "./pdb.js";
import { ResidueMatch, improperOrderings, matchResidueTemplates, mergeForceFields, pdbConectBonds } from "./residue-templates.js";
import { AtomTyping, OpenMMMatcher } from "./openmm-matching.js";
import { AtomType, BondedType, Interaction, MoleculeType, Topology, emptyMoleculeType, emptyTopology } from "./topology.js";
import { findBondedTypes } from "./gromacs/type-lookup.js";
import { FileSource, dirnameOf, joinPath } from "./gromacs/file-source.js";
import { nodeFileSource } from "./load.js";

/** OpenMM's nonbonded methods reproduced here (Ewald and LJPME are not). */
export type OpenMMNonbondedMethod = "NoCutoff" | "CutoffNonPeriodic" | "CutoffPeriodic" | "PME";

export interface CreateSystemFromOpenMMOptions {
  /**
   * "NoCutoff" (default): every pair, vacuum. "CutoffNonPeriodic" / "CutoffPeriodic": reaction
   * field and truncated LJ within the cut-off (periodic: minimum image in the CRYST1 box). "PME":
   * smooth PME in the CRYST1 box.
   */
  nonbondedMethod?: OpenMMNonbondedMethod;
  /** Cut-off (nm) of LJ and of the (real-space) Coulomb; default 1.0 (OpenMM's default). */
  nonbondedCutoff?: number;
  /** The reaction field's dielectric for the Cutoff methods (OpenMM's default 78.3). */
  reactionFieldDielectric?: number;
  /** OpenMM's ewaldErrorTolerance (default 5e-4): sets the Ewald α and the PME grid as OpenMM does. */
  ewaldErrorTolerance?: number;
  /** PME grid points per axis, overriding the ewaldErrorTolerance rule (OpenMM's setPMEParameters). */
  pmeGrid?: [number, number, number];
  /** File name used in error messages. */
  name?: string;
  /** Extra bonds (0-based atom indices) beyond the templates, the chain links and CONECT records. */
  bonds?: [number, number][];
  /** Force a template for residues, keyed "chain:resnr" (e.g. "A:12") or residue number. */
  residueTemplates?: Record<string, string>;
}

/** The topology, coordinates and settings that `createSystemFromOpenMM` hands to createForceField. */
export interface OpenMMTopology {
  topology: Topology;
  /** nm, [N][3]. */
  positions: number[][];
  /** Box vectors as rows (nm) for periodic methods, else null. */
  box: number[][] | null;
  /** The NonbondedOptions equivalent to the OpenMM method (energyFn's default). */
  nonbondedOptions: NonbondedOptions;
  /** The template each residue was matched to. */
  residues: ResidueMatch[];
  /** The bond graph (sorted 0-based pairs). */
  bonds: [number, number][];
  /** Interactions OpenMM would leave out because no entry matches ("angle 3-4-5 (CT HC HC)"). */
  unmatched: string[];
  /** How many interactions carry their own parameters because GROMACS's look-up would pick another row. */
  explicit: number;
}

export interface OpenMMSystem extends ForceFieldSystem {
  nonbondedOptions: NonbondedOptions;
  residues: ResidueMatch[];
  bonds: [number, number][];
  unmatched: string[];
}

const DEG = 180 / Math.PI;
const ELEMENT_Z: Record<string, number> = { H: 1, C: 6, N: 7, O: 8, F: 9, Na: 11, Mg: 12, P: 15, S: 16, Cl: 17, K: 19, Ca: 20, Fe: 26, Cu: 29, Zn: 30, Se: 34, Br: 35, I: 53 };

/** Parse the inputs (texts or parsed data) that createSystemFromOpenMM accepts. */
function inputs(pdb: PdbStructure | string, ff: OpenMMForceField | string | (OpenMMForceField | string)[], o: CreateSystemFromOpenMMOptions) {
  const name = o.name ?? "structure.pdb";
  const structure = typeof pdb === "string" ? readPdb(pdb, name) : pdb;
  const conect = typeof pdb === "string" ? pdbConectBonds(pdb, structure, name) : [];
  const list = (Array.isArray(ff) ? ff : [ff]).map((f, k) => (typeof f === "string" ? readOpenMMXml(f, `forcefield ${k + 1}`) : f));
  if (list.length === 0) throw new Error("createSystemFromOpenMM: give at least one force field");
  return { name, structure, bonds: [...conect, ...(o.bonds ?? [])], list };
}

/** Build the GROMACS-style topology OpenMM's createSystem would make (see the file comment). */
export function openMMTopology(
  pdb: PdbStructure | string, forceField: OpenMMForceField | string | (OpenMMForceField | string)[], options: CreateSystemFromOpenMMOptions = {},
): OpenMMTopology {
  const { name, structure, bonds: extraBonds, list } = inputs(pdb, forceField, options);
  const ff = mergeForceFields(list);
  if (ff.cmap !== undefined && ff.cmap.torsions.length > 0) {
    throw new Error("createSystemFromOpenMM: the force field has a CMAPTorsionForce, which is not supported yet (amber force fields have none; CHARMM's do)");
  }
  if (ff.other.some((e) => e.tag === "Include")) {
    throw new Error("createSystemFromOpenMM: the force field <Include>s other files; pass the included files' texts in the list instead (e.g. amber14/protein.ff14SB.xml for amber14-all.xml)");
  }
  const unsupported = ff.other.map((e) => e.tag).filter((t) => /Force$|^Script$/.test(t));
  if (unsupported.length > 0) {
    throw new Error(`createSystemFromOpenMM: the force field has <${[...new Set(unsupported)].join(">, <")}>, which is not supported (HarmonicBondForce, HarmonicAngleForce, PeriodicTorsionForce and NonbondedForce are)`);
  }
  const { residues, bonds } = matchResidueTemplates(structure, ff, { name, bonds: extraBonds, residueTemplates: options.residueTemplates });
  const n = structure.atoms.length;

  // per-atom typing
  const typeInfo = new Map(ff.atomTypes.map((t) => [t.name, t]));
  const typing: AtomTyping = { type: new Array(n), element: new Array(n), mass: new Array(n), residue: new Array(n), templateAtom: new Array(n) };
  const charge = new Array<number>(n);
  const fromResidue = ff.nonbonded?.fromResidue.includes("charge") ?? false;
  const nbEntry = (type: string) => ff.nonbonded?.atoms.find((a) => (a.by === "type" ? a.name === type : a.name === typeInfo.get(type)?.class));
  residues.forEach((r, k) => r.atoms.forEach((atom, j) => {
    const ta = r.template.atoms[r.templateAtom[j]];
    const t = typeInfo.get(ta.type);
    if (t === undefined) throw new Error(`createSystemFromOpenMM: template ${r.template.name} atom ${ta.name} has type ${ta.type}, which <AtomTypes> does not define`);
    typing.type[atom] = ta.type;
    typing.element[atom] = t.element ?? structure.atoms[atom].element;
    typing.mass[atom] = t.mass;
    typing.residue[atom] = k;
    typing.templateAtom[atom] = r.templateAtom[j];
    if (ff.nonbonded === undefined) { charge[atom] = 0; return; }
    const q = fromResidue ? ta.charge : nbEntry(ta.type)?.charge;
    if (q === undefined) {
      throw new Error(`createSystemFromOpenMM: no charge for atom ${ta.name} of template ${r.template.name} (type ${ta.type}): ${fromResidue ? "the template gives none" : "its NonbondedForce <Atom> gives none"}`);
    }
    charge[atom] = q;
  }));

  // the bond graph's angles, propers and improper candidates, as OpenMM enumerates them
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (const [i, j] of bonds) { neighbours[i].push(j); neighbours[j].push(i); }
  for (const nb of neighbours) nb.sort((a, b) => a - b);
  const angles: number[][] = [];
  const seenAngle = new Set<string>();
  for (const [i, j] of bonds) {
    const add = (a: number, b: number, c: number) => {
      const t = a < c ? [a, b, c] : [c, b, a];
      const key = t.join();
      if (!seenAngle.has(key)) { seenAngle.add(key); angles.push(t); }
    };
    for (const a of neighbours[i]) if (a !== j) add(a, i, j);
    for (const a of neighbours[j]) if (a !== i) add(i, j, a);
  }
  angles.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  const propers: number[][] = [];
  const seenProper = new Set<string>();
  for (const [a, b, c] of angles) {
    const add = (t: number[]) => {
      const canonical = t[0] < t[3] || (t[0] === t[3] && t[1] < t[2]) ? t : [...t].reverse();
      const key = canonical.join();
      if (!seenProper.has(key)) { seenProper.add(key); propers.push(canonical); }
    };
    for (const d of neighbours[a]) if (d !== b && d !== c) add([d, a, b, c]);
    for (const d of neighbours[c]) if (d !== a && d !== b) add([a, b, c, d]);
  }
  propers.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || x[3] - y[3]);

  const matcher = new OpenMMMatcher(ff, improperOrderings(list), typing);
  // The topology's bonded type (GROMACS's look-up name) is the class, or the type name when every
  // bonded entry names types (amber14's files do), so the type tables can still hold the entries.
  const entries = [...ff.bonds, ...ff.angles, ...ff.propers, ...ff.impropers];
  const by: "type" | "class" = entries.length > 0 && entries.every((e) => e.by === "type") ? "type" : "class";
  const bondTypeOf = (type: string) => (by === "type" ? type : typeInfo.get(type)!.class);
  const classOf = (a: number) => bondTypeOf(typing.type[a]);
  const describe = (kind: string, atoms: number[]) => `${kind} ${atoms.map((a) => a + 1).join("-")} (${atoms.map(classOf).join(" ")})`;
  const unmatched: string[] = [];
  const top = emptyTopology();
  const lj14 = ff.nonbonded?.lj14scale ?? 1, qq14 = ff.nonbonded?.coulomb14scale ?? 1;
  top.defaults = { nbfunc: 1, combRule: 2, genPairs: true, fudgeLJ: lj14, fudgeQQ: qq14 };
  top.system = name;

  // atom types (name = OpenMM type, bonded type = class, σ/ε from NonbondedForce)
  const usedTypes = [...new Set(typing.type)];
  for (const t of usedTypes) {
    const info = typeInfo.get(t)!;
    const nb = nbEntry(t);
    if (ff.nonbonded !== undefined && nb === undefined) throw new Error(`createSystemFromOpenMM: atom type ${t} (class ${info.class}) has no NonbondedForce <Atom> entry`);
    const at: AtomType = { name: t, bondType: bondTypeOf(t), atomicNumber: ELEMENT_Z[info.element ?? ""] ?? -1, mass: info.mass, charge: 0, ptype: "A", v: nb?.sigma ?? 0, w: nb?.epsilon ?? 0 };
    top.atomTypes.push(at);
  }

  // interactions with the rows of the type tables that should give their parameters
  type Planned = { section: "bonds" | "angles" | "dihedrals"; atoms: number[]; funct: number; rows: BondedType[]; params: number[][] };
  const planned: Planned[] = [];
  // one group of rows (one per torsion term) per names tuple, owned by the entry that made it
  const rowGroups = new Map<string, { entry: object; rows: BondedType[] }>();
  const rowsFor = (table: BondedType[], funct: number, names: string[], entry: object, params: number[][]): BondedType[] => {
    const key = `${funct}|${names.join(" ")}`;
    const known = rowGroups.get(key);
    if (known !== undefined) return known.entry === entry ? known.rows : [];
    const rows = params.map((p) => ({ types: names, funct, params: p }));
    table.push(...rows);
    rowGroups.set(key, { entry, rows });
    return rows;
  };
  const x = (s: string) => (s === "" ? "X" : s);
  const bondless = new Set<number>(); // atoms of bonds no entry matches
  for (const [i, j] of bonds) {
    const b = matcher.bond(i, j);
    if (b === undefined) { unmatched.push(describe("bond", [i, j])); bondless.add(i); continue; }
    const params = [[b.length, b.k]];
    const rows = b.by === by && !b.names.includes("") ? rowsFor(top.bondTypes, 1, b.names, b, params) : [];
    planned.push({ section: "bonds", atoms: [i, j], funct: 1, rows, params });
  }
  for (const a of angles) {
    const e = matcher.angle(a[0], a[1], a[2]);
    if (e === undefined) { unmatched.push(describe("angle", a)); continue; }
    const params = [[e.angle * DEG, e.k]];
    const rows = e.by === by && !e.names.includes("") ? rowsFor(top.angleTypes, 1, e.names, e, params) : [];
    planned.push({ section: "angles", atoms: a, funct: 1, rows, params });
  }
  for (const d of propers) {
    const e = matcher.proper(d);
    if (e === undefined) { unmatched.push(describe("proper", d)); continue; }
    const params = e.terms.map((t) => [t.phase * DEG, t.k, t.periodicity]);
    const rows = e.by === by ? rowsFor(top.dihedralTypes, 9, e.names.map(x), e, params) : [];
    planned.push({ section: "dihedrals", atoms: d, funct: 9, rows, params });
  }
  for (let centre = 0; centre < n; centre++) {
    const nb = neighbours[centre];
    for (let p = 0; p < nb.length; p++) for (let q = p + 1; q < nb.length; q++) for (let r = q + 1; r < nb.length; r++) {
      const m = matcher.improper([centre, nb[p], nb[q], nb[r]]);
      if (m === undefined) continue;
      const params = m.entry.terms.map((t) => [t.phase * DEG, t.k, t.periodicity]);
      for (const t of m.torsions) {
        const names = t.slots.map((s) => x(m.entry.names[s]));
        const rows = m.entry.by === by && params.length === 1 ? rowsFor(top.dihedralTypes, 4, names, m.entry, params) : [];
        planned.push({ section: "dihedrals", atoms: t.atoms, funct: 4, rows, params });
      }
    }
  }

  // molecules: connected components, which must be contiguous in the file
  const component = connectedComponents(n, bonds);
  const molecules: { start: number; end: number }[] = [];
  for (let a = 0; a < n; a++) {
    if (a === 0 || component[a] !== component[a - 1]) molecules.push({ start: a, end: a + 1 });
    else molecules[molecules.length - 1].end = a + 1;
  }
  if (new Set(component).size !== molecules.length) {
    const split = molecules.find((m, k) => molecules.findIndex((o) => component[o.start] === component[m.start]) !== k)!;
    throw new Error(`createSystemFromOpenMM: ${name}: the atoms bonded together must be consecutive in the file; atom ${split.start + 1} (${structure.atoms[split.start].residue} ${structure.atoms[split.start].resnr}) continues a molecule that other atoms interrupt`);
  }
  const moleculeOf = new Int32Array(n);
  molecules.forEach((m, k) => { for (let a = m.start; a < m.end; a++) moleculeOf[a] = k; });
  const types: MoleculeType[] = molecules.map((m, k) => {
    const first = residues[typing.residue[m.start]];
    const last = residues[typing.residue[m.end - 1]];
    const label = first === last ? first.template.name : `chain_${first.chain === "" ? String(first.chainIndex + 1) : first.chain}${k === 0 ? "" : `_${k + 1}`}`;
    const mt = emptyMoleculeType(label, 3);
    for (let a = m.start; a < m.end; a++) {
      const at = structure.atoms[a];
      mt.atoms.push({ type: typing.type[a], resnr: at.resnr, residue: at.residue, name: at.name, cgnr: a - m.start + 1, charge: charge[a], mass: typing.mass[a] });
    }
    return mt;
  });

  // which interactions the type tables reproduce, which need their own numbers
  let explicit = 0;
  for (const it of planned) {
    const names = it.atoms.map(classOf);
    const found = it.rows.length > 0 ? findBondedTypes(top, it.section, names, it.funct) : [];
    const viaTable = it.rows.length > 0 && found.length === it.rows.length && found.every((row, k) => row === it.rows[k]);
    const m = types[moleculeOf[it.atoms[0]]];
    const local = it.atoms.map((a) => a - molecules[moleculeOf[it.atoms[0]]].start);
    const target = m[it.section];
    if (viaTable) { target.push({ atoms: local, funct: it.funct, params: [] }); continue; }
    explicit++;
    for (const p of it.params) target.push({ atoms: local, funct: it.funct, params: p } as Interaction);
  }
  // A bond with no parameters still excludes (OpenMM's exclusions follow the bond graph); GROMACS
  // derives exclusions from [ bonds ] only, so molecules with such bonds list them explicitly.
  for (const k of new Set([...bondless].map((a) => moleculeOf[a]))) {
    const s = molecules[k].start;
    for (let a = molecules[k].start; a < molecules[k].end; a++) {
      const near = [...neighbours[a], ...within(a, neighbours, 2), ...within(a, neighbours, 3)].filter((b) => b > a);
      if (near.length > 0) types[k].exclusions.push([a - s, ...near.map((b) => b - s)]);
    }
  }
  // 1–4 pairs: three bonds apart and not closer (OpenMM's createExceptionsFromBonds)
  for (let a = 0; a < n; a++) {
    for (const b of within(a, neighbours, 3).filter((b) => b > a)) {
      const m = types[moleculeOf[a]], s = molecules[moleculeOf[a]].start;
      m.pairs.push({ atoms: [a - s, b - s], funct: 1, params: [] });
    }
  }

  // consecutive identical molecules become one [ molecules ] line
  const used = new Map<string, number>();
  let previous: { sig: string; entry: { name: string; count: number } } | undefined;
  for (const mt of types) {
    // residue numbers differ between copies (water 1, water 2, …) and do not matter
    const sig = JSON.stringify({ ...mt, name: "", atoms: mt.atoms.map((a) => ({ ...a, resnr: 0 })) });
    if (previous !== undefined && previous.sig === sig) { previous.entry.count++; continue; }
    let label = mt.name;
    const k = used.get(label) ?? 0;
    used.set(label, k + 1);
    if (k > 0) label = `${label}_${k + 1}`;
    mt.name = label;
    top.moleculeTypes.push(mt);
    const entry = { name: label, count: 1 };
    top.molecules.push(entry);
    previous = { sig, entry };
  }

  const method = options.nonbondedMethod ?? "NoCutoff";
  const periodic = method === "CutoffPeriodic" || method === "PME";
  const box = periodic ? structure.box ?? null : null;
  if (periodic && box === null) throw new Error(`createSystemFromOpenMM: nonbondedMethod "${method}" needs a periodic box, and ${name} has no CRYST1 record`);
  return {
    topology: top, positions: structure.positions, box, nonbondedOptions: nonbondedOptionsFor(method, options, box),
    residues, bonds, unmatched, explicit,
  };
}

/**
 * Build a differentiable system from an OpenMM force field (XML text or parsed; several are
 * combined like OpenMM's ForceField('a.xml', 'b.xml')) and a PDB (text — CONECT records are
 * used — or parsed). energyFn/forcesFn/breakdownFn default to the OpenMM method's options.
 */
export function createSystemFromOpenMM(
  pdb: PdbStructure | string, forceField: OpenMMForceField | string | (OpenMMForceField | string)[], options: CreateSystemFromOpenMMOptions = {},
): OpenMMSystem {
  const t = openMMTopology(pdb, forceField, options);
  const system = createForceField(t.topology, { positions: t.positions, box: t.box });
  const o = t.nonbondedOptions;
  const exclusions = np.array(Array.from(system.system.exclusions), { dtype: "int32" }).reshape([-1, 2]);
  // OpenMM's reaction field leaves excluded pairs out entirely; GROMACS's (what the "reaction-field"
  // option computes) adds q_i q_j (k_rf r² − c_rf) for each and a −½ c_rf Σq² self term. Taking
  // that correction back off gives OpenMM's energy — for every reaction-field evaluation of this
  // system, whichever options are passed.
  const breakdownFn = (x?: NonbondedOptions): BreakdownFn => {
    const opts = x ?? o;
    const base = system.breakdownFn(opts);
    if (opts.nonbonded !== "reaction-field") return base;
    return (R, p, b = system.box, pairs) => {
      const out = base(R, p, b, pairs);
      const rf = { cutoff: opts.rcoulomb ?? opts.cutoff ?? 1, epsilonR: opts.epsilonR ?? 1, epsilonRF: opts.epsilonRf ?? 1 };
      const gromacsOnly = reactionFieldExclusionCorrection(R, b ?? null, exclusions, systemCharges(system.system, p.charges), rf);
      out["Coulomb (SR)"] = out["Coulomb (SR)"].sub(gromacsOnly);
      out.Potential = out.Potential.sub(gromacsOnly);
      return out;
    };
  };
  const energyFn = (x?: NonbondedOptions): ForceFieldEnergyFn => {
    const parts = breakdownFn(x);
    return (R, p, b, pairs) => parts(R, p, b === undefined ? system.box : b, pairs).Potential;
  };
  // virial and pressure as createForceField defines them, from this energy (strain derivative)
  const virialFn = (x?: NonbondedOptions) => {
    const E = energyFn(x);
    return (R: Tensor, p: ForceFieldParams, b: Tensor, pairs?: PairList) => {
      const strained = (eps: Tensor) => { const deform = np.eye(3).add(eps); return E(np.matmul(R, deform), p, np.matmul(b, deform), pairs); };
      return grad(strained)(np.zeros([3, 3])).mul(0.5);
    };
  };
  const pressureFn = (x?: NonbondedOptions) => {
    const virial = virialFn(x);
    return (R: Tensor, p: ForceFieldParams, b: Tensor, kinetic?: Tensor, pairs?: PairList) =>
      (kinetic ?? np.zeros([3, 3])).sub(virial(R, p, b, pairs)).mul(2).div(np.abs(np.linalg.det(b))).mul(KJ_PER_MOL_NM3_TO_BAR);
  };
  return {
    ...system,
    energyFn, breakdownFn, virialFn, pressureFn,
    forcesFn: (x?: NonbondedOptions) => {
      const E = energyFn(x);
      return (R, p, b, pairs) => grad((r: Tensor) => E(r, p, b, pairs))(R).neg();
    },
    nonbondedOptions: o, residues: t.residues, bonds: t.bonds, unmatched: t.unmatched,
  };
}

export interface LoadOpenMMSystemOptions extends CreateSystemFromOpenMMOptions {
  /** Path of the PDB file (read through `source`). */
  pdb: string;
  /** Paths of the force-field XML files; `<Include file="…">` is followed, relative to the including file. */
  forceFields: string[];
  /** Where files come from; default: the disk in Node (as loadGromacs). */
  source?: FileSource;
}

/**
 * createSystemFromOpenMM from files: `loadOpenMMSystem({ pdb: "x.pdb", forceFields: ["amber14-all.xml"] })`.
 * Included files come before the including file's own entries.
 */
export function loadOpenMMSystem(options: LoadOpenMMSystemOptions): OpenMMSystem {
  const source = options.source ?? nodeFileSource();
  if (source === undefined) throw new Error("loadOpenMMSystem: no file system here (not Node): pass `source` (a FileSource), or call createSystemFromOpenMM with the texts");
  const list: OpenMMForceField[] = [];
  const load = (path: string, chain: string[]) => {
    if (chain.includes(path)) throw new Error(`loadOpenMMSystem: ${[...chain, path].join(" includes ")}: an include cycle`);
    const ff = readOpenMMXml(source.read(path), path);
    for (const inc of ff.other.filter((e) => e.tag === "Include")) {
      const file = inc.attributes.file;
      if (file === undefined) throw new Error(`${path}:${inc.line}: <Include> needs the attribute file`);
      load(joinPath(dirnameOf(path), file), [...chain, path]);
    }
    list.push({ ...ff, other: ff.other.filter((e) => e.tag !== "Include") });
  };
  for (const path of options.forceFields) load(path, []);
  const { pdb, forceFields: _, source: __, ...rest } = options;
  return createSystemFromOpenMM(source.read(pdb), list, { ...rest, name: options.name ?? pdb });
}

/**
 * OpenMM's method as diffmol's NonbondedOptions. Cutoff methods: reaction field with
 * k_rf = (ε−1)/((2ε+1) rc³), c_rf = 1/rc + k_rf rc² (ε = reactionFieldDielectric) and LJ truncated
 * at rc, no shift (createSystemFromOpenMM's energy also drops GROMACS's excluded-pair RF terms,
 * which OpenMM does not have). PME in OpenMM: α = √(−ln(2·tol))/rc, grid
 * nᵢ = max(6, ⌈2α·Lᵢ / (3·tol^⅕)⌉) (the Reference platform's sizes; CUDA/OpenCL/CPU round up to
 * FFT-friendly sizes), B-spline order 5, LJ and real-space Coulomb truncated at rc without a
 * shift, no dispersion correction here (OpenMM's default adds one; see docs/ff-files.md).
 */
export function nonbondedOptionsFor(method: OpenMMNonbondedMethod, o: CreateSystemFromOpenMMOptions, box: number[][] | null): NonbondedOptions {
  if (method === "NoCutoff") return { nonbonded: "none" };
  const cutoff = o.nonbondedCutoff ?? 1.0;
  if (method === "CutoffNonPeriodic" || method === "CutoffPeriodic") {
    return { nonbonded: "reaction-field", cutoff, epsilonRf: o.reactionFieldDielectric ?? 78.3, vdwModifier: "none", dispCorr: "no" };
  }
  if (method !== "PME") throw new Error(`createSystemFromOpenMM: nonbondedMethod "${String(method)}" is not supported (NoCutoff, CutoffNonPeriodic, CutoffPeriodic and PME are; Ewald's and LJPME's parameter rules are not reproduced)`);
  const tol = o.ewaldErrorTolerance ?? 5e-4;
  if (!(tol > 0 && tol < 0.5)) throw new Error(`createSystemFromOpenMM: ewaldErrorTolerance must be in (0, 0.5), got ${tol}`);
  const alpha = Math.sqrt(-Math.log(2 * tol)) / cutoff;
  const grid = o.pmeGrid ?? ([0, 1, 2].map((d) => Math.max(6, Math.ceil((2 * alpha * box![d][d]) / (3 * Math.pow(tol, 0.2))))) as [number, number, number]);
  return {
    nonbonded: "pme", cutoff, coulombModifier: "none", vdwModifier: "none", ewaldRtol: erfcNumber(alpha * cutoff), pmeOrder: 5,
    fourierNx: grid[0], fourierNy: grid[1], fourierNz: grid[2], dispCorr: "no",
  };
}

/** Component label of each atom (labels in order of first atom). */
function connectedComponents(n: number, bonds: [number, number][]): Int32Array {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (a: number): number => { while (parent[a] !== a) { parent[a] = parent[parent[a]]; a = parent[a]; } return a; };
  for (const [i, j] of bonds) { const a = find(i), b = find(j); if (a !== b) parent[Math.max(a, b)] = Math.min(a, b); }
  return Int32Array.from({ length: n }, (_, i) => find(i));
}

/** Atoms exactly `depth` bonds from a (not closer: rings), ascending. */
function within(a: number, neighbours: number[][], depth: number): number[] {
  const dist = new Map<number, number>([[a, 0]]);
  let frontier = [a];
  for (let d = 1; d <= depth; d++) {
    const next: number[] = [];
    for (const u of frontier) for (const v of neighbours[u]) if (!dist.has(v)) { dist.set(v, d); next.push(v); }
    frontier = next;
  }
  return frontier.sort((x, y) => x - y);
}
