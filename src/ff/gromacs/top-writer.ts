// Topology → GROMACS .top text. The output is self-contained (every type table written out, no
// #include, no #define), like `gmx grompp -pp`, so it can be copied to a cluster and run with any
// GROMACS install. Numbers are written with JavaScript's shortest round-tripping form, so
// readTop(writeTop(t)) gives back exactly t (fitted parameters lose no digits).

import { AtomType, BondedType, CmapType, Interaction, MoleculeType, RawSection, Topology } from "../topology.js";

export interface WriteTopOptions {
  /** Comment lines written at the top (each prefixed with "; "). */
  header?: string[];
}

/** Format a topology as .top text. */
export function writeTop(top: Topology, options: WriteTopOptions = {}): string {
  const out: string[] = [];
  for (const line of options.header ?? ["Written by diffmol"]) out.push(`; ${line}`);
  if (top.defaults !== undefined) {
    const d = top.defaults;
    section(out, "defaults", ["nbfunc", "comb-rule", "gen-pairs", "fudgeLJ", "fudgeQQ"]);
    out.push(row([d.nbfunc, d.combRule, d.genPairs ? "yes" : "no", d.fudgeLJ, d.fudgeQQ]));
  }
  if (top.atomTypes.length > 0) {
    section(out, "atomtypes", ["name", "bondtype", "at.num", "mass", "charge", "ptype", "V", "W"]);
    for (const t of top.atomTypes) out.push(atomTypeRow(t));
  }
  typeTable(out, "bondtypes", top.bondTypes);
  typeTable(out, "constrainttypes", top.constraintTypes);
  typeTable(out, "pairtypes", top.pairTypes);
  typeTable(out, "angletypes", top.angleTypes);
  typeTable(out, "dihedraltypes", top.dihedralTypes);
  typeTable(out, "nonbond_params", top.nonbondParams);
  if (top.cmapTypes.length > 0) {
    section(out, "cmaptypes", []);
    for (const c of top.cmapTypes) out.push(...cmapTypeLines(c));
  }
  const intermolecular = top.other.filter((s) => s.directive === "intermolecular_interactions" || isAfterIntermolecular(top.other, s));
  for (const s of top.other) if (!intermolecular.includes(s)) rawSection(out, s);
  for (const m of top.moleculeTypes) out.push(...writeMoleculeType(m));
  section(out, "system", []);
  out.push(top.system === "" ? "diffmol system" : top.system);
  section(out, "molecules", ["name", "count"]);
  for (const m of top.molecules) out.push(row([m.name, m.count]));
  for (const s of intermolecular) rawSection(out, s);
  return out.join("\n") + "\n";
}

/** Format one molecule type as .itp text (its sections only). */
export function writeMoleculeType(m: MoleculeType): string[] {
  const out: string[] = [];
  section(out, "moleculetype", ["name", "nrexcl"]);
  out.push(row([m.name, m.nrexcl]));
  section(out, "atoms", ["nr", "type", "resnr", "residue", "atom", "cgnr", "charge", "mass"]);
  m.atoms.forEach((a, i) => {
    const fields: (string | number)[] = [i + 1, a.type, a.resnr, a.residue, a.name, a.cgnr, a.charge, a.mass];
    if (a.typeB !== undefined) fields.push(a.typeB, a.chargeB ?? a.charge, a.massB ?? a.mass);
    out.push(row(fields));
  });
  interactions(out, "bonds", m.bonds);
  interactions(out, "pairs", m.pairs);
  interactions(out, "pairs_nb", m.pairsNb);
  interactions(out, "angles", m.angles);
  interactions(out, "dihedrals", m.dihedrals);
  interactions(out, "cmap", m.cmap);
  interactions(out, "constraints", m.constraints);
  interactions(out, "settles", m.settles);
  interactions(out, "position_restraints", m.positionRestraints);
  if (m.exclusions.length > 0) {
    section(out, "exclusions", []);
    for (const e of m.exclusions) out.push(row(e.map((a) => a + 1)));
  }
  for (const s of m.other) rawSection(out, s);
  return out;
}

function isAfterIntermolecular(list: RawSection[], s: RawSection): boolean {
  const start = list.findIndex((x) => x.directive === "intermolecular_interactions");
  return start >= 0 && list.indexOf(s) > start;
}

function section(out: string[], name: string, columns: string[]): void {
  out.push("", `[ ${name} ]`);
  if (columns.length > 0) out.push(`; ${columns.join(" ")}`);
}

function row(fields: (string | number)[]): string {
  return fields.map((f) => String(f)).join(" ");
}

function atomTypeRow(t: AtomType): string {
  const fields: (string | number)[] = [t.name, t.bondType, t.atomicNumber, t.mass, t.charge, t.ptype, t.v, t.w];
  if (t.buckinghamC !== undefined) fields.push(t.buckinghamC);
  return row(fields);
}

function typeTable(out: string[], name: string, table: BondedType[]): void {
  if (table.length === 0) return;
  section(out, name, []);
  for (const t of table) out.push(row([...t.types, t.funct, ...t.params]));
}

/** A cmap type: the header line, then the grid ten values per line, joined by continuations. */
function cmapTypeLines(c: CmapType): string[] {
  const lines = [`${row([...c.types, c.funct, c.gridX, c.gridY])}\\`];
  for (let i = 0; i < c.values.length; i += 10) {
    const chunk = c.values.slice(i, i + 10).join(" ");
    lines.push(i + 10 < c.values.length ? `${chunk}\\` : chunk);
  }
  return lines;
}

function interactions(out: string[], name: string, list: Interaction[]): void {
  if (list.length === 0) return;
  section(out, name, []);
  for (const it of list) out.push(row([...it.atoms.map((a) => a + 1), it.funct, ...it.params]));
}

function rawSection(out: string[], s: RawSection): void {
  section(out, s.directive, []);
  for (const r of s.rows) out.push(row(r));
}
