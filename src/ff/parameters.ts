// A topology, expanded for computation: molecules × counts become per-atom arrays and
// per-interaction index arrays, and every number a force field can be fitted by becomes a leaf of
// a parameter pytree KEYED BY THE FORCE FIELD'S OWN TYPES:
//
//   params.atomTypes.CT.epsilon            LJ of atom type CT (σ/ε; C6/C12 with comb-rule 1)
//   params.bondTypes["CT-HC"].kb           the bondtypes entry CT HC
//   params.properDihedralTypes["X-C-N-X"]  { phi0: [m], kphi: [m] } — all terms of a funct-9 type
//   params.charges.Protein                 one charge per atom of the molecule type, as [ atoms ] gives
//
// Interactions only hold the index of their type (`type` arrays below); the energy gathers the
// type's parameters by that index (src/ff/force-field.ts), so a gradient with respect to a type's
// parameter collects every interaction of that type. Interactions whose line gives its own numbers
// (e.g. flexible water's bonds) get a type of their own named `molecule:names`, shared by the
// identical lines of that molecule type.
//
// Units are the topology's (GROMACS's): nm, kJ/mol, e, amu; equilibrium angles and phases stay
// in degrees as the files write them (the energy converts), force constants per rad² / nm².

import { np, Tensor } from "../index.js";
import {
  BondedType, CmapType, Interaction, MoleculeType, Topology, isImproper, ljSigmaEpsilon, moleculeType,
} from "./topology.js";
import { LookupSection, bondTypeMap, findBondedTypes, findCmapType, findNonbondParam } from "./gromacs/type-lookup.js";

/** Lennard-Jones parameters of an atom or pair type: σ (nm), ε (kJ/mol) — or C6, C12 with comb-rule 1. */
export type LJParams = { sigma: Tensor; epsilon: Tensor } | { c6: Tensor; c12: Tensor };

/** The trainable numbers of a force field, keyed by its own type names. */
export interface ForceFieldParams {
  atomTypes: Record<string, LJParams>;
  /** Per molecule type: one charge (e) per atom of the molecule type. */
  charges: Record<string, Tensor>;
  bondTypes: Record<string, { b0: Tensor; kb: Tensor }>;
  angleTypes: Record<string, { theta0: Tensor; ktheta: Tensor }>;
  ureyBradleyTypes: Record<string, { theta0: Tensor; ktheta: Tensor; r13: Tensor; kub: Tensor }>;
  /** Periodic proper dihedrals (funct 1, 9): one entry per term; multiplicities are not trainable. */
  properDihedralTypes: Record<string, { phi0: Tensor; kphi: Tensor }>;
  /** Periodic impropers (funct 4). */
  periodicImproperTypes: Record<string, { phi0: Tensor; kphi: Tensor }>;
  /** Harmonic impropers (funct 2): ξ0 (deg), kξ (kJ mol⁻¹ rad⁻²). */
  improperDihedralTypes: Record<string, { xi0: Tensor; kxi: Tensor }>;
  /** Ryckaert–Bellemans (funct 3): C0…C5 (kJ/mol). */
  rbDihedralTypes: Record<string, { c: Tensor }>;
  /** CMAP grids (kJ/mol), row-major gridX × gridY from −180°. */
  cmapTypes: Record<string, { grid: Tensor }>;
  /** [ pairtypes ] used by 1–4 pairs (generated pairs use atomTypes and fudgeLJ instead). */
  pairTypes: Record<string, LJParams>;
  /** [ nonbond_params ] overrides of the combination rule. */
  nonbondParams: Record<string, LJParams>;
}

/** Interactions of one kind: atom indices (k per row) and the type index of each row. */
export interface InteractionList {
  /** Row-major [n, k] system atom indices. */
  atoms: Int32Array;
  /** [n] index into `keys`. */
  type: Int32Array;
  /** Type names, in the order the energy stacks them. */
  keys: string[];
}

/** Periodic (multi-term) dihedrals, expanded to one row per term. */
export interface PeriodicDihedralList {
  /** Row-major [nTerms, 4]. */
  atoms: Int32Array;
  /** [nTerms] index into the concatenation of every key's terms. */
  term: Int32Array;
  /** [nTerms] multiplicity of each row's term. */
  multiplicity: Float64Array;
  keys: string[];
}

/** CMAP torsion pairs: five atoms per row. */
export interface CmapList extends InteractionList {
  /** Grid size of each key. */
  gridSize: number[];
}

/** 1–4 pairs: LJ from a pairtype or generated from the atom types, Coulomb scaled by fudgeQQ. */
export interface PairList14 {
  atoms: Int32Array;
  /** [n] index into keys of the pairtype, or −1 where generated from atom types. */
  pairType: Int32Array;
  keys: string[];
}

/**
 * Where a parameter type came from in the topology, so fitted values can be written back
 * (src/ff/write-back.ts): type-table rows (several for a multi-term dihedral type), or the
 * interaction lines that gave their own numbers.
 */
export type ParamSource =
  | { kind: "table"; table: "bondTypes" | "angleTypes" | "dihedralTypes" | "pairTypes" | "cmapTypes"; rows: number[] }
  | { kind: "lines"; molecule: string; section: "bonds" | "angles" | "dihedrals" | "pairs"; lines: number[] };

/** Everything about a system that is not a trainable number. */
export interface ExpandedSystem {
  nAtoms: number;
  /** amu, [N]. */
  masses: Float64Array;
  atomNames: string[];
  residueNames: string[];
  /** [N] index into atomTypeKeys. */
  atomType: Int32Array;
  atomTypeKeys: string[];
  /** How per-molecule-type charges tile the system: blocks in [ molecules ] order. */
  chargeBlocks: { molecule: string; count: number }[];
  combRule: 1 | 2 | 3;
  fudgeLJ: number;
  fudgeQQ: number;
  genPairs: boolean;
  bonds: InteractionList;
  angles: InteractionList;
  ureyBradley: InteractionList;
  properDihedrals: PeriodicDihedralList;
  periodicImpropers: PeriodicDihedralList;
  improperDihedrals: InteractionList;
  rbDihedrals: InteractionList;
  cmap: CmapList;
  pairs14: PairList14;
  /** [nonbond_params] overrides: pairs of atom-type indices and their key. */
  nonbondOverrides: { typeA: number; typeB: number; key: string }[];
  /** Excluded non-bonded pairs (i < j, system indices), row-major [n, 2]. */
  exclusions: Int32Array;
  /** Per parameter table (ForceFieldParams field) and key: where its numbers came from. */
  sources: Record<string, Record<string, ParamSource>>;
  /** [N] index of the molecule copy each atom belongs to. */
  moleculeIndex: Int32Array;
}

/** Term lengths of periodic dihedral types (how many cos terms each key has), in key order. */
export function dihedralTermCounts(list: PeriodicDihedralList, params: Record<string, { kphi: Tensor }>): number[] {
  return list.keys.map((k) => params[k].kphi.size);
}

/** Build the expanded system and the initial parameter pytree of a topology. */
export function expandTopology(top: Topology): { system: ExpandedSystem; params: ForceFieldParams } {
  const defaults = top.defaults ?? { nbfunc: 1, combRule: 2 as const, genPairs: false, fudgeLJ: 1, fudgeQQ: 1 };
  if (defaults.nbfunc !== 1) throw new Error(`createForceField: only Lennard-Jones (nbfunc 1) is supported, the topology's [ defaults ] gives nbfunc ${defaults.nbfunc}`);
  const combRule = defaults.combRule;
  const bondTypes = bondTypeMap(top);
  const params: ForceFieldParams = {
    atomTypes: {}, charges: {}, bondTypes: {}, angleTypes: {}, ureyBradleyTypes: {}, properDihedralTypes: {},
    periodicImproperTypes: {}, improperDihedralTypes: {}, rbDihedralTypes: {}, cmapTypes: {}, pairTypes: {}, nonbondParams: {},
  };
  const lj = (v: number, w: number): LJParams => {
    if (combRule === 1) return { c6: np.asarray(v), c12: np.asarray(w) };
    const { sigma, epsilon } = ljSigmaEpsilon(v, w, combRule);
    return { sigma: np.asarray(sigma), epsilon: np.asarray(epsilon) };
  };

  // Keys for table entries: their names joined by '-', made unique per table; explicit
  // parameters get `molecule:names`, shared by identical lines.
  const registry = new Map<string, Map<unknown, string>>();
  const sources: Record<string, Record<string, ParamSource>> = {};
  const keyFor = (table: string, identity: unknown, base: string, source: ParamSource): { key: string; fresh: boolean } => {
    let m = registry.get(table);
    if (m === undefined) registry.set(table, (m = new Map()));
    const known = m.get(identity);
    if (known !== undefined) {
      const old = sources[table][known];
      if (old.kind === "lines" && source.kind === "lines" && old.molecule === source.molecule && old.section === source.section) {
        for (const l of source.lines) if (!old.lines.includes(l)) old.lines.push(l);
      }
      return { key: known, fresh: false };
    }
    const used = new Set(m.values());
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base}#${n}`;
    m.set(identity, key);
    (sources[table] ??= {})[key] = source.kind === "lines" ? { ...source, lines: [...source.lines] } : source;
    return { key, fresh: true };
  };

  const builders = {
    bonds: newList(), angles: newList(), ureyBradley: newList(), improperDihedrals: newList(), rbDihedrals: newList(),
    cmap: newList(), properDihedrals: newPeriodic(), periodicImpropers: newPeriodic(),
  };
  const cmapGrid = new Map<string, number>();
  const pairAtoms: number[] = [], pairType: number[] = [], pairKeys: string[] = [];
  const pairKeyIndex = new Map<string, number>();
  const atomTypeKeys: string[] = [], atomTypeIndex = new Map<string, number>();
  const atomTypeOf: number[] = [], masses: number[] = [], atomNames: string[] = [], residueNames: string[] = [];
  const moleculeIndex: number[] = [];
  const exclusions: number[] = [];
  const chargeBlocks: { molecule: string; count: number }[] = [];

  let offset = 0;
  let moleculeCounter = 0;
  for (const block of top.molecules) {
    const m = moleculeType(top, block.name);
    if (block.count <= 0) continue;
    chargeBlocks.push({ molecule: m.name, count: block.count });
    if (params.charges[m.name] === undefined) params.charges[m.name] = np.array(m.atoms.map((a) => a.charge));
    for (const a of m.atoms) {
      if (!atomTypeIndex.has(a.type)) {
        const t = top.atomTypes.find((x) => x.name === a.type);
        if (t === undefined) throw new Error(`createForceField: molecule ${m.name} atom ${a.name} has atom type ${a.type}, which [ atomtypes ] does not define`);
        atomTypeIndex.set(a.type, atomTypeKeys.length);
        atomTypeKeys.push(a.type);
        params.atomTypes[a.type] = lj(t.v, t.w);
      }
    }
    // Resolve the molecule type's interactions once, then replicate them count times.
    const resolved = resolveMolecule(top, m, bondTypes, keyFor, params, cmapGrid, {
      proper: builders.properDihedrals.multiplicity, improper: builders.periodicImpropers.multiplicity,
    });
    const localExclusions = moleculeExclusions(m);
    for (let copy = 0; copy < block.count; copy++, moleculeCounter++) {
      const base = offset + copy * m.atoms.length;
      for (const a of m.atoms) {
        atomTypeOf.push(atomTypeIndex.get(a.type)!);
        masses.push(a.mass);
        atomNames.push(a.name);
        residueNames.push(a.residue);
        moleculeIndex.push(moleculeCounter);
      }
      for (const [kind, rows] of Object.entries(resolved.lists) as [keyof typeof resolved.lists, { atoms: number[]; key: string }[]][]) {
        const b = builders[kind];
        for (const row of rows) {
          for (const a of row.atoms) b.atoms.push(a + base);
          b.type.push(b.index(row.key));
        }
      }
      for (const [kind, rows] of Object.entries(resolved.periodic) as [keyof typeof resolved.periodic, { atoms: number[]; key: string }[]][]) {
        const b = builders[kind];
        for (const row of rows) {
          const terms = params[kind === "properDihedrals" ? "properDihedralTypes" : "periodicImproperTypes"][row.key].kphi.size;
          b.index(row.key);
          for (let t = 0; t < terms; t++) {
            for (const a of row.atoms) b.atoms.push(a + base);
            b.rows.push({ key: row.key, term: t });
          }
        }
      }
      for (const p of resolved.pairs) {
        pairAtoms.push(p.atoms[0] + base, p.atoms[1] + base);
        if (p.key === null) pairType.push(-1);
        else {
          let k = pairKeyIndex.get(p.key);
          if (k === undefined) { k = pairKeys.length; pairKeys.push(p.key); pairKeyIndex.set(p.key, k); }
          pairType.push(k);
        }
      }
      for (let e = 0; e < localExclusions.length; e += 2) exclusions.push(localExclusions[e] + base, localExclusions[e + 1] + base);
    }
    offset += block.count * m.atoms.length;
  }

  // [ nonbond_params ] for the atom types present.
  const nonbondOverrides: { typeA: number; typeB: number; key: string }[] = [];
  for (let a = 0; a < atomTypeKeys.length; a++) {
    for (let b = a; b < atomTypeKeys.length; b++) {
      const nb = findNonbondParam(top, atomTypeKeys[a], atomTypeKeys[b]);
      if (nb === undefined) continue;
      if (nb.funct !== 1) throw new Error(`createForceField: [ nonbond_params ] ${nb.types.join(" ")} has funct ${nb.funct}; only 1 (LJ) is supported`);
      const key = `${atomTypeKeys[a]}-${atomTypeKeys[b]}`;
      params.nonbondParams[key] = lj(nb.params[0], nb.params[1]);
      nonbondOverrides.push({ typeA: a, typeB: b, key });
    }
  }

  const finishPeriodic = (b: ReturnType<typeof newPeriodic>): PeriodicDihedralList => {
    const table = b === builders.properDihedrals ? params.properDihedralTypes : params.periodicImproperTypes;
    const start = new Map<string, number>();
    let n = 0;
    for (const k of b.keys) { start.set(k, n); n += table[k].kphi.size; }
    return {
      atoms: Int32Array.from(b.atoms),
      term: Int32Array.from(b.rows.map((r) => start.get(r.key)! + r.term)),
      multiplicity: Float64Array.from(b.rows.map((r) => b.multiplicity.get(r.key)![r.term])),
      keys: b.keys,
    };
  };
  const list = (b: ReturnType<typeof newList>): InteractionList => ({ atoms: Int32Array.from(b.atoms), type: Int32Array.from(b.type), keys: b.keys });
  const system: ExpandedSystem = {
    nAtoms: offset, masses: Float64Array.from(masses), atomNames, residueNames, atomType: Int32Array.from(atomTypeOf), atomTypeKeys,
    chargeBlocks, combRule, fudgeLJ: defaults.fudgeLJ, fudgeQQ: defaults.fudgeQQ, genPairs: defaults.genPairs,
    bonds: list(builders.bonds), angles: list(builders.angles), ureyBradley: list(builders.ureyBradley),
    properDihedrals: finishPeriodic(builders.properDihedrals), periodicImpropers: finishPeriodic(builders.periodicImpropers),
    improperDihedrals: list(builders.improperDihedrals), rbDihedrals: list(builders.rbDihedrals),
    cmap: { ...list(builders.cmap), gridSize: builders.cmap.keys.map((k) => cmapGrid.get(k)!) },
    pairs14: { atoms: Int32Array.from(pairAtoms), pairType: Int32Array.from(pairType), keys: pairKeys },
    nonbondOverrides, exclusions: Int32Array.from(exclusions), moleculeIndex: Int32Array.from(moleculeIndex), sources,
  };
  return { system, params };
}

function newList() {
  const keys: string[] = [];
  const index = new Map<string, number>();
  return {
    atoms: [] as number[], type: [] as number[], keys,
    index(key: string): number {
      let i = index.get(key);
      if (i === undefined) { i = keys.length; keys.push(key); index.set(key, i); }
      return i;
    },
  };
}

function newPeriodic() {
  const keys: string[] = [];
  const seen = new Set<string>();
  return {
    atoms: [] as number[], rows: [] as { key: string; term: number }[], keys, multiplicity: new Map<string, number[]>(),
    index(key: string): void { if (!seen.has(key)) { seen.add(key); keys.push(key); } },
  };
}

type KeyFor = (table: string, identity: unknown, base: string, source: ParamSource) => { key: string; fresh: boolean };
interface Row { atoms: number[]; key: string }

/** Resolve every interaction of one molecule type to a type key, registering new types in params. */
function resolveMolecule(
  top: Topology, m: MoleculeType, bondTypes: Map<string, string>, keyFor: KeyFor, params: ForceFieldParams, cmapGrid: Map<string, number>,
  multiplicities: { proper: Map<string, number[]>; improper: Map<string, number[]> },
) {
  const lists = { bonds: [] as Row[], angles: [] as Row[], ureyBradley: [] as Row[], improperDihedrals: [] as Row[], rbDihedrals: [] as Row[], cmap: [] as Row[] };
  const periodic = { properDihedrals: [] as Row[], periodicImpropers: [] as Row[] };
  const pairs: { atoms: number[]; key: string | null }[] = [];
  const names = (it: Interaction) => it.atoms.map((a) => bondTypes.get(m.atoms[a].type) ?? m.atoms[a].type);
  const where = (section: string, it: Interaction) =>
    `molecule ${m.name} [ ${section} ] ${it.atoms.map((a) => a + 1).join(" ")} (${names(it).join(" ")}) funct ${it.funct}`;

  // The type entries of one interaction, or its own numbers as an ad-hoc entry.
  const TABLES = { bonds: "bondTypes", angles: "angleTypes", dihedrals: "dihedralTypes", pairs: "pairTypes", constraints: "constraintTypes" } as const;
  const entries = (section: LookupSection, it: Interaction, line: number): { identity: unknown; base: string; rows: number[][]; source: ParamSource } | null => {
    if (it.params.length > 0) {
      if (section === "constraints") return null;
      return {
        identity: `${m.name}|${section}|${it.funct}|${names(it).join("-")}|${it.params.join(",")}`, base: `${m.name}:${names(it).join("-")}`, rows: [it.params],
        source: { kind: "lines", molecule: m.name, section, lines: [line] },
      };
    }
    const found: BondedType[] = findBondedTypes(top, section, names(it), it.funct);
    if (found.length === 0 || section === "constraints") return null;
    const table = TABLES[section];
    const rows = found.map((t) => (top[table] as BondedType[]).indexOf(t));
    return { identity: found[0], base: found[0].types.join("-"), rows: found.map((t) => t.params), source: { kind: "table", table, rows } };
  };
  const need = <T>(x: T | null, section: string, it: Interaction): T => {
    if (x === null) throw new Error(`createForceField: no parameters for ${where(section, it)} (no matching ${section.replace(/s$/, "")}types entry)`);
    return x;
  };

  for (const [line, it] of m.bonds.entries()) {
    if (it.funct !== 1) throw new Error(`createForceField: ${where("bonds", it)}: only harmonic bonds (funct 1) are supported`);
    const e = need(entries("bonds", it, line), "bonds", it);
    const { key, fresh } = keyFor("bondTypes", e.identity, e.base, e.source);
    if (fresh) params.bondTypes[key] = { b0: np.asarray(e.rows[0][0]), kb: np.asarray(e.rows[0][1]) };
    lists.bonds.push({ atoms: it.atoms, key });
  }
  for (const [line, it] of m.angles.entries()) {
    const e = need(entries("angles", it, line), "angles", it);
    if (it.funct === 1) {
      const { key, fresh } = keyFor("angleTypes", e.identity, e.base, e.source);
      if (fresh) params.angleTypes[key] = { theta0: np.asarray(e.rows[0][0]), ktheta: np.asarray(e.rows[0][1]) };
      lists.angles.push({ atoms: it.atoms, key });
    } else if (it.funct === 5) {
      const { key, fresh } = keyFor("ureyBradleyTypes", e.identity, e.base, e.source);
      const p = e.rows[0];
      if (fresh) params.ureyBradleyTypes[key] = { theta0: np.asarray(p[0]), ktheta: np.asarray(p[1]), r13: np.asarray(p[2]), kub: np.asarray(p[3]) };
      lists.ureyBradley.push({ atoms: it.atoms, key });
    } else {
      throw new Error(`createForceField: ${where("angles", it)}: only harmonic (1) and Urey–Bradley (5) angles are supported`);
    }
  }
  for (const [line, it] of m.dihedrals.entries()) {
    const e = need(entries("dihedrals", it, line), "dihedrals", it);
    if (it.funct === 1 || it.funct === 9 || it.funct === 4) {
      const proper = !isImproper(it.funct);
      const { key, fresh } = keyFor(proper ? "properDihedralTypes" : "periodicImproperTypes", e.identity, e.base, e.source);
      if (fresh) {
        const table = proper ? params.properDihedralTypes : params.periodicImproperTypes;
        table[key] = { phi0: np.array(e.rows.map((r) => r[0])), kphi: np.array(e.rows.map((r) => r[1])) };
        (proper ? multiplicities.proper : multiplicities.improper).set(key, e.rows.map((r) => r[2]));
      }
      (proper ? periodic.properDihedrals : periodic.periodicImpropers).push({ atoms: it.atoms, key });
    } else if (it.funct === 2) {
      const { key, fresh } = keyFor("improperDihedralTypes", e.identity, e.base, e.source);
      if (fresh) params.improperDihedralTypes[key] = { xi0: np.asarray(e.rows[0][0]), kxi: np.asarray(e.rows[0][1]) };
      lists.improperDihedrals.push({ atoms: it.atoms, key });
    } else if (it.funct === 3) {
      const { key, fresh } = keyFor("rbDihedralTypes", e.identity, e.base, e.source);
      if (fresh) params.rbDihedralTypes[key] = { c: np.array(e.rows[0].slice(0, 6)) };
      lists.rbDihedrals.push({ atoms: it.atoms, key });
    } else {
      throw new Error(`createForceField: ${where("dihedrals", it)}: dihedral funct ${it.funct} is not supported (1, 2, 3, 4, 9 are)`);
    }
  }
  for (const it of m.cmap) {
    const n = names(it);
    const t: CmapType | undefined = findCmapType(top, n);
    if (t === undefined) throw new Error(`createForceField: no [ cmaptypes ] entry for ${where("cmap", it)}`);
    if (t.gridX !== t.gridY) throw new Error(`createForceField: cmap type ${t.types.join(" ")} has a ${t.gridX}×${t.gridY} grid; only square grids are supported`);
    const { key, fresh } = keyFor("cmapTypes", t, t.types.join("-"), { kind: "table", table: "cmapTypes", rows: [top.cmapTypes.indexOf(t)] });
    if (fresh) { params.cmapTypes[key] = { grid: np.array(t.values) }; cmapGrid.set(key, t.gridX); }
    lists.cmap.push({ atoms: it.atoms, key });
  }
  for (const [line, it] of m.pairs.entries()) {
    if (it.funct !== 1) throw new Error(`createForceField: ${where("pairs", it)}: only funct-1 pairs are supported`);
    const e = entries("pairs", it, line);
    if (e === null) {
      if (!(top.defaults?.genPairs ?? false)) throw new Error(`createForceField: no [ pairtypes ] entry for ${where("pairs", it)} and gen-pairs is off`);
      pairs.push({ atoms: it.atoms, key: null });
      continue;
    }
    const { key, fresh } = keyFor("pairTypes", e.identity, e.base, e.source);
    if (fresh) {
      const rule = top.defaults?.combRule ?? 2;
      const [v, w] = e.rows[0];
      if (rule === 1) params.pairTypes[key] = { c6: np.asarray(v), c12: np.asarray(w) };
      else {
        const s = ljSigmaEpsilon(v, w, rule);
        params.pairTypes[key] = { sigma: np.asarray(s.sigma), epsilon: np.asarray(s.epsilon) };
      }
    }
    pairs.push({ atoms: it.atoms, key });
  }
  for (const it of m.constraints) {
    throw new Error(`createForceField: ${where("constraints", it)}: constraints are not supported (use flexible bonds, e.g. define = -DFLEXIBLE)`);
  }
  for (const raw of m.other) {
    throw new Error(`createForceField: molecule ${m.name} has a [ ${raw.directive} ] section, which the force field does not evaluate (virtual sites and restraints are not supported)`);
  }
  if (m.pairsNb.length > 0) throw new Error(`createForceField: molecule ${m.name} has [ pairs_nb ], which is not supported`);
  if (m.settles.length > 0) {
    throw new Error(`createForceField: molecule ${m.name} uses [ settles ] (rigid water); use the flexible model (define FLEXIBLE) — constraints are not supported`);
  }
  return { lists, periodic, pairs };
}

/**
 * Excluded pairs (i < j, molecule-local) as GROMACS generates them: atoms up to nrexcl bonds apart
 * along chemical bonds (bonds, funct-1 constraints, settles), plus the [ exclusions ] section.
 */
export function moleculeExclusions(m: MoleculeType): number[] {
  const n = m.atoms.length;
  const adj: number[][] = Array.from({ length: n }, () => []);
  const link = (a: number, b: number) => { adj[a].push(b); adj[b].push(a); };
  // chemical bond types (grompp): 1–5, 7, 8; 6 (harmonic potential) and 9, 10 make no exclusions
  for (const b of m.bonds) if ([1, 2, 3, 4, 5, 7, 8].includes(b.funct)) link(b.atoms[0], b.atoms[1]);
  for (const c of m.constraints) if (c.funct === 1) link(c.atoms[0], c.atoms[1]);
  for (const s of m.settles) { const o = s.atoms[0]; link(o, o + 1); link(o, o + 2); }
  const seen = new Set<number>();
  const out: number[] = [];
  const add = (a: number, b: number) => {
    if (a === b) return;
    const i = Math.min(a, b), j = Math.max(a, b);
    const code = i * n + j;
    if (!seen.has(code)) { seen.add(code); out.push(i, j); }
  };
  for (let s = 0; s < n; s++) {
    // breadth-first search to depth nrexcl
    let frontier = [s];
    const dist = new Map<number, number>([[s, 0]]);
    for (let d = 1; d <= m.nrexcl; d++) {
      const next: number[] = [];
      for (const a of frontier) for (const b of adj[a]) if (!dist.has(b)) { dist.set(b, d); next.push(b); add(s, b); }
      frontier = next;
    }
  }
  for (const row of m.exclusions) for (let k = 1; k < row.length; k++) add(row[0], row[k]);
  return out;
}

/** The charges of every atom of the system, [N], from the per-molecule-type charges. */
export function systemCharges(system: ExpandedSystem, charges: Record<string, Tensor>): Tensor {
  const parts: Tensor[] = [];
  for (const b of system.chargeBlocks) {
    const q = charges[b.molecule];
    parts.push(b.count === 1 ? q : np.tile(q, [b.count]));
  }
  return parts.length === 1 ? parts[0] : np.concatenate(parts, 0);
}
