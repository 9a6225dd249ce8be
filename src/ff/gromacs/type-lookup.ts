// Finding the parameters of a listed interaction that gives none, the way grompp does:
// - names are the atoms' *bonded* types (AtomType.bondType);
// - bonds, pairs, angles, constraints, cmap: an entry with the same names, forward or reversed,
//   and the same function type;
// - dihedrals: X is a wildcard; the first entry (file order, each tried forward then reversed)
//   with the most non-wildcard matches wins; for funct 9, the entries on the lines directly after
//   it with the same names are further terms of the same dihedral. Function types 1 and 9 share
//   one table (both are GROMACS's periodic proper dihedral).
// - nonbond_params: atom type names (not bonded types), either order.
// Note: grompp then drops torsion terms that add nothing — periodic ones with force constant 0
// (amber's "X CT N X 9 0.0 0.0 0", charmm's "... 9 0.0 0.0 1") and all-zero RB ones — so its
// interaction counts are lower than the listed ones; the energy is the same either way.

import { AtomType, BondedType, CmapType, Interaction, MoleculeType, Topology } from "../topology.js";

/** Sections of a molecule type whose parameters may come from a type table. */
export type LookupSection = "bonds" | "pairs" | "angles" | "dihedrals" | "constraints";

const TABLE: Record<LookupSection, "bondTypes" | "pairTypes" | "angleTypes" | "dihedralTypes" | "constraintTypes"> = {
  bonds: "bondTypes", pairs: "pairTypes", angles: "angleTypes", dihedrals: "dihedralTypes", constraints: "constraintTypes",
};

/** Function types that look each other up (grompp maps dihedral 1 and 9 to one interaction). */
function sameFunctClass(section: LookupSection, a: number, b: number): boolean {
  if (a === b) return true;
  return section === "dihedrals" && (a === 1 || a === 9) && (b === 1 || b === 9);
}

/** The bonded type of each atom type, for look-ups by name. */
export function bondTypeMap(top: Topology): Map<string, string> {
  return new Map(top.atomTypes.map((t: AtomType) => [t.name, t.bondType]));
}

/**
 * The matching type-table entries for bonded type names `names` (empty when none matches).
 * One entry except for funct-9 dihedrals, which may have several (one per periodic term).
 */
export function findBondedTypes(top: Topology, section: LookupSection, names: string[], funct: number): BondedType[] {
  const table = top[TABLE[section]];
  if (section !== "dihedrals") {
    const reversed = [...names].reverse();
    const hit = table.find((t) => sameFunctClass(section, t.funct, funct) && (equalNames(t.types, names) || equalNames(t.types, reversed)));
    return hit === undefined ? [] : [hit];
  }
  let best = -1;
  let bestScore = -1;
  for (let i = 0; i < table.length && bestScore < 4; i++) {
    const t = table[i];
    if (!sameFunctClass(section, t.funct, funct)) continue;
    const score = Math.max(wildcardScore(t.types, names), wildcardScore(t.types, [...names].reverse()));
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  if (best < 0) return [];
  const first = table[best];
  const out = [first];
  if (first.funct === 9) {
    for (let j = best + 1; j < table.length && table[j].funct === 9 && equalNames(table[j].types, first.types); j++) out.push(table[j]);
  }
  return out;
}

/** Parameters of the cmap type for five bonded type names (forward or reversed), if any. */
export function findCmapType(top: Topology, names: string[]): CmapType | undefined {
  const reversed = [...names].reverse();
  return top.cmapTypes.find((t) => equalNames(t.types, names) || equalNames(t.types, reversed));
}

/** The [ nonbond_params ] override for two atom type names, if any. */
export function findNonbondParam(top: Topology, typeA: string, typeB: string): BondedType | undefined {
  return top.nonbondParams.find((t) => (t.types[0] === typeA && t.types[1] === typeB) || (t.types[0] === typeB && t.types[1] === typeA));
}

/**
 * The parameter sets of one interaction of molecule type `m`: its own `params` when it gives
 * them, otherwise the matching type-table entries. Returns one array per term (several for
 * funct-9 dihedrals) and an empty list when nothing matches (pairs then fall back to gen-pairs;
 * for other sections grompp reports "No default … types").
 */
export function interactionParameters(top: Topology, m: MoleculeType, section: LookupSection, interaction: Interaction, bondTypes = bondTypeMap(top)): number[][] {
  if (interaction.params.length > 0) return [interaction.params];
  const names = interaction.atoms.map((a) => bondTypes.get(m.atoms[a].type) ?? m.atoms[a].type);
  return findBondedTypes(top, section, names, interaction.funct).map((t) => t.params);
}

function equalNames(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** Non-wildcard matches of a dihedraltypes entry against four names, or −1 if it does not match. */
function wildcardScore(pattern: string[], names: string[]): number {
  if (pattern.length !== names.length) return -1;
  let score = 0;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === "X") continue;
    if (pattern[i] !== names[i]) return -1;
    score++;
  }
  return score;
}
