// The in-memory topology: what a GROMACS .top (with its #included .itp files) says, as plain,
// JSON-able data. Readers (src/ff/gromacs/top-reader.ts, src/ff/openmm-xml.ts) produce it,
// writers consume it, and the force field (src/ff/force-field.ts) expands it into per-atom and
// per-interaction arrays. Nothing here is a tensor: a topology can be serialised, diffed and
// written back without loss.
//
// Units are GROMACS's throughout: nm, kJ/mol, ps, elementary charge e, atomic mass unit (amu),
// angles in degrees where the file gives degrees (equilibrium angles, dihedral phases), force
// constants per rad² (angles, harmonic impropers) or per nm² (bonds, Urey–Bradley).
//
// Conventions:
// - Atom indices inside a molecule type are 0-based (the file's `nr` minus 1).
// - `params` always holds the numbers the file gives on that line after the function type
//   (after #define macros are expanded), in the file's column order; an empty array means
//   "look the parameters up in the type tables" (see src/ff/gromacs/type-lookup.ts). Extra
//   columns (the B state of free-energy perturbations) are kept, so writers round-trip them.
// - Type tables are keyed by *bonded* type names (AtomType.bondType) for bonds, pairs, angles,
//   dihedrals, constraints and cmap, and by atom type names for nonbond_params, as in GROMACS.
// - `X` in a dihedraltypes entry is a wildcard.

/** Particle type column of [ atomtypes ]: A atom, S shell, V (or D) virtual site / dummy. */
export type ParticleType = "A" | "S" | "V" | "D" | "B";

/**
 * One row of [ atomtypes ]. The two Lennard-Jones columns mean different things depending on
 * `[ defaults ]` comb-rule: rule 1 → v = C6 (kJ mol⁻¹ nm⁶), w = C12 (kJ mol⁻¹ nm¹²); rules 2
 * and 3 → v = σ (nm), w = ε (kJ/mol). With nbfunc 2 (Buckingham) there is a third column.
 * `ljSigmaEpsilon` converts either form to σ, ε.
 */
export interface AtomType {
  name: string;
  /** Name used to look up bonded parameters; equals `name` when the file has no such column. */
  bondType: string;
  /** Atomic number, or -1 when the file does not give one (GROMACS's convention). */
  atomicNumber: number;
  /** Default mass (amu) for atoms of this type that give none in [ atoms ]. */
  mass: number;
  /** Default charge (e) for atoms of this type that give none in [ atoms ]. */
  charge: number;
  ptype: ParticleType;
  /** σ (nm) or C6, see the interface comment. */
  v: number;
  /** ε (kJ/mol) or C12, see the interface comment. */
  w: number;
  /** Buckingham's third parameter (nbfunc 2 only: a, b, c6 = v, w, buckinghamC). */
  buckinghamC?: number;
}

/** The [ defaults ] line. */
export interface Defaults {
  /** 1 Lennard-Jones, 2 Buckingham. */
  nbfunc: number;
  /**
   * 1: atom types give C6/C12, combined geometrically (C6ij = √(C6i C6j), same for C12).
   * 2: σ/ε, Lorentz–Berthelot (σij = (σi+σj)/2, εij = √(εi εj)).
   * 3: σ/ε, geometric for both (σij = √(σi σj), εij = √(εi εj)) — OPLS.
   */
  combRule: 1 | 2 | 3;
  /** Generate 1–4 pair parameters from the atom types (scaled by fudgeLJ) when no pairtype matches. */
  genPairs: boolean;
  /** Factor on generated 1–4 LJ parameters (only used when genPairs). */
  fudgeLJ: number;
  /** Factor on 1–4 Coulomb interactions of [ pairs ] funct 1. */
  fudgeQQ: number;
}

/**
 * A bonded-parameter type entry (bondtypes, pairtypes, angletypes, dihedraltypes,
 * constrainttypes, nonbond_params). `types` has 2, 3 or 4 names (dihedraltypes given in the old
 * two-name form are widened to four with X wildcards when read).
 *
 * Parameter columns by table and function type (GROMACS manual, table 14):
 * - bondtypes 1 (harmonic): b0 nm, kb kJ mol⁻¹ nm⁻².
 * - angletypes 1 (harmonic): θ0 deg, kθ kJ mol⁻¹ rad⁻²; 5 (Urey–Bradley): θ0, kθ, r13 nm, kUB kJ mol⁻¹ nm⁻².
 * - dihedraltypes 1, 4, 9 (periodic): φs deg, kφ kJ/mol, multiplicity; 2 (harmonic improper):
 *   ξ0 deg, kξ kJ mol⁻¹ rad⁻²; 3 (Ryckaert–Bellemans): C0…C5 kJ/mol; 5 (Fourier): C1…C4 kJ/mol.
 *   Several consecutive funct-9 entries with the same names are several terms of one dihedral.
 * - pairtypes 1: v, w (σ14/ε14 or C6/C12 per comb-rule); 2: fudgeQQ, qi, qj, v, w.
 * - nonbond_params 1: v, w overriding the combination rule for that pair of atom types.
 * - constrainttypes 1, 2: b0 nm.
 */
export interface BondedType {
  types: string[];
  funct: number;
  params: number[];
}

/**
 * A [ cmaptypes ] entry: five bonded type names, a gridX × gridY table of energy corrections
 * (kJ/mol) on the (φ, ψ) torus from −180° in steps of 360°/grid, φ varying slowest (row-major, as
 * the file lists them).
 */
export interface CmapType {
  types: string[];
  funct: number;
  gridX: number;
  gridY: number;
  values: number[];
}

/** One row of [ atoms ] (0-based position in the list = the file's `nr` − 1). */
export interface Atom {
  /** Atom type name (key into Topology.atomTypes). */
  type: string;
  /** Residue number as written (1-based, may skip). */
  resnr: number;
  residue: string;
  name: string;
  /** Charge group number as written (not used by Verlet-scheme energies). */
  cgnr: number;
  /** Charge (e); the atom type's charge when the file omits the column. */
  charge: number;
  /** Mass (amu); the atom type's mass when the file omits the column. */
  mass: number;
  /** Free-energy B state, only when the file gives it. */
  typeB?: string;
  chargeB?: number;
  massB?: number;
}

/**
 * One listed interaction of a molecule type: bonds, pairs, angles, dihedrals, constraints,
 * settles, cmap, position restraints…  `atoms` are 0-based indices into the molecule's atoms.
 * See BondedType for what `params` hold; empty `params` = take them from the type tables.
 */
export interface Interaction {
  atoms: number[];
  funct: number;
  params: number[];
}

/**
 * A section this library reads but does not interpret (virtual sites, restraints other than
 * position restraints, …), kept row by row as whitespace-split fields so it is written back.
 */
export interface RawSection {
  directive: string;
  rows: string[][];
}

/** A [ moleculetype ] with everything that belongs to it. */
export interface MoleculeType {
  name: string;
  /** Exclude non-bonded interactions between atoms up to this many bonds apart. */
  nrexcl: number;
  atoms: Atom[];
  /** [ bonds ] — funct 1 harmonic (others are kept as read). */
  bonds: Interaction[];
  /** [ pairs ] — 1–4 pairs: funct 1 (types / gen-pairs) or 2 (explicit fudgeQQ qi qj v w). */
  pairs: Interaction[];
  /** [ pairs_nb ] — funct 1: qi qj v w (rarely used). */
  pairsNb: Interaction[];
  /** [ angles ] — funct 1 harmonic, 5 Urey–Bradley. */
  angles: Interaction[];
  /**
   * [ dihedrals ] — proper and improper together, as GROMACS keeps them, in file order; the
   * function type says which: 1 and 9 periodic proper ("Proper Dih."), 2 harmonic improper
   * ("Improper Dih."), 3 Ryckaert–Bellemans ("Ryckaert-Bell."), 4 periodic improper
   * ("Per. Imp. Dih."), 5 Fourier (converted to RB by GROMACS). `isImproper(funct)` tells.
   * A funct-9 line with no params takes every consecutive matching dihedraltypes entry.
   */
  dihedrals: Interaction[];
  /** [ cmap ] — five atoms, funct 1, parameters from cmaptypes. */
  cmap: Interaction[];
  /** [ constraints ] — funct 1 or 2, b0 nm. */
  constraints: Interaction[];
  /** [ settles ] — one atom (the oxygen), funct 1, params [dOH, dHH] nm. */
  settles: Interaction[];
  /** [ position_restraints ] — one atom, funct 1, params [kx, ky, kz] kJ mol⁻¹ nm⁻² (if given). */
  positionRestraints: Interaction[];
  /** [ exclusions ] — each row: an atom, then the atoms it does not interact with (0-based). */
  exclusions: number[][];
  /** Sections kept verbatim (virtual_sites*, *_restraints other than position, …). */
  other: RawSection[];
}

/** One line of [ molecules ]: `count` consecutive copies of the named molecule type. */
export interface MoleculeCount {
  name: string;
  count: number;
}

/** A whole topology (what `gmx grompp -pp` would print, as data). */
export interface Topology {
  /** [ defaults ]; absent only for a bare .itp that has none. */
  defaults?: Defaults;
  atomTypes: AtomType[];
  bondTypes: BondedType[];
  pairTypes: BondedType[];
  angleTypes: BondedType[];
  /** Includes improper (2, 4) entries; X is a wildcard. */
  dihedralTypes: BondedType[];
  constraintTypes: BondedType[];
  nonbondParams: BondedType[];
  cmapTypes: CmapType[];
  moleculeTypes: MoleculeType[];
  /** The [ system ] title. */
  system: string;
  /** [ molecules ] in order; atoms of the whole system are these molecules concatenated. */
  molecules: MoleculeCount[];
  /** Top-level sections kept verbatim (e.g. [ intermolecular_interactions ] contents). */
  other: RawSection[];
}

/** An empty molecule type, for readers that fill one section at a time. */
export function emptyMoleculeType(name: string, nrexcl: number): MoleculeType {
  return {
    name, nrexcl, atoms: [], bonds: [], pairs: [], pairsNb: [], angles: [], dihedrals: [], cmap: [],
    constraints: [], settles: [], positionRestraints: [], exclusions: [], other: [],
  };
}

/** An empty topology. */
export function emptyTopology(): Topology {
  return {
    atomTypes: [], bondTypes: [], pairTypes: [], angleTypes: [], dihedralTypes: [], constraintTypes: [],
    nonbondParams: [], cmapTypes: [], moleculeTypes: [], system: "", molecules: [], other: [],
  };
}

/** Dihedral function types GROMACS reports as impropers (2 harmonic, 4 periodic). */
export function isImproper(funct: number): boolean {
  return funct === 2 || funct === 4;
}

/**
 * σ (nm) and ε (kJ/mol) from an atom type's (or pair type's) two LJ columns, whatever the
 * combination rule: rule 1 stores C6 = 4εσ⁶, C12 = 4εσ¹²; rules 2 and 3 store σ, ε. A type with
 * C6 = 0 (e.g. a hydrogen with no LJ) gives σ = 0, ε = 0.
 */
export function ljSigmaEpsilon(v: number, w: number, combRule: 1 | 2 | 3): { sigma: number; epsilon: number } {
  if (combRule !== 1) return { sigma: v, epsilon: w };
  if (v === 0 || w === 0) return { sigma: 0, epsilon: 0 };
  return { sigma: Math.pow(w / v, 1 / 6), epsilon: (v * v) / (4 * w) };
}

/** C6 (kJ mol⁻¹ nm⁶) and C12 (kJ mol⁻¹ nm¹²) from the two LJ columns, whatever the combination rule. */
export function ljC6C12(v: number, w: number, combRule: 1 | 2 | 3): { c6: number; c12: number } {
  if (combRule === 1) return { c6: v, c12: w };
  const s6 = Math.pow(v, 6);
  return { c6: 4 * w * s6, c12: 4 * w * s6 * s6 };
}

/** Total number of atoms of the system: Σ count × atoms in the molecule type. */
export function systemAtomCount(top: Topology): number {
  let n = 0;
  for (const m of top.molecules) n += m.count * moleculeType(top, m.name).atoms.length;
  return n;
}

/** The molecule type of that name; throws naming the known ones if there is none. */
export function moleculeType(top: Topology, name: string): MoleculeType {
  const found = top.moleculeTypes.find((m) => m.name === name);
  if (found === undefined) {
    const known = top.moleculeTypes.map((m) => m.name).join(", ") || "none";
    throw new Error(`topology: no [ moleculetype ] named ${name} (known: ${known})`);
  }
  return found;
}
