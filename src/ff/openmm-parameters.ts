// The numbers of an OpenMM force field (as src/ff/openmm-xml.ts reads it) taken into a GROMACS
// topology's type tables — the way back from the XML that `topologyToOpenMM` + `writeOpenMMXml`
// write, so a force field can go GROMACS → OpenMM XML → GROMACS (and fitted parameters edited
// in the XML come back). Matching is by the names topologyToOpenMM uses: atom types by name,
// bonded entries by class (= GROMACS bonded type; "" ↔ the wildcard X), impropers with OpenMM's
// central atom first (GROMACS's third), charges from the residue templates by residue and atom
// names, CMAP grids re-indexed from OpenMM's 0-based i + n·j to GROMACS's −180°-based φ-major
// layout. Units: OpenMM's radians become degrees. Entries of the topology that the force field
// does not mention keep their numbers; `missing` lists them.

import { OpenMMForceField, OpenMMResidue } from "./openmm-xml.js";
import { BondedType, Topology } from "./topology.js";

const DEG = Math.PI / 180;
const gmxName = (n: string) => (n === "" ? "X" : n);
const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** A copy of `top` with the numbers of the OpenMM force field `ff`; `missing` names what ff lacks. */
export function applyOpenMMForceField(top: Topology, ff: OpenMMForceField): { topology: Topology; missing: string[] } {
  const out: Topology = structuredClone(top);
  const missing: string[] = [];
  if (out.defaults !== undefined && ff.nonbonded !== undefined) {
    out.defaults.fudgeQQ = ff.nonbonded.coulomb14scale;
    out.defaults.fudgeLJ = ff.nonbonded.lj14scale;
  }
  for (const t of out.atomTypes) {
    const nb = ff.nonbonded?.atoms.find((a) => (a.by === "type" ? a.name === t.name : a.name === t.bondType));
    if (nb === undefined) { missing.push(`atom type ${t.name}: no NonbondedForce entry`); continue; }
    t.v = nb.sigma;
    t.w = nb.epsilon;
    const at = ff.atomTypes.find((a) => a.name === t.name);
    if (at !== undefined) t.mass = at.mass;
  }
  const find = (table: BondedType[], names: string[], functs: number[]): number => table.findIndex((t) =>
    functs.includes(t.funct) && (same(t.types, names) || same(t.types, [...names].reverse())));
  for (const b of ff.bonds) {
    const k = find(out.bondTypes, b.names, [1]);
    if (k >= 0) out.bondTypes[k].params.splice(0, 2, b.length, b.k);
  }
  for (const a of ff.angles) {
    const k = find(out.angleTypes, a.names, [1]);
    if (k >= 0) out.angleTypes[k].params.splice(0, 2, a.angle / DEG, a.k);
  }
  const torsions = (list: OpenMMForceField["propers"], functs: number[], order: (n: string[]) => string[]) => {
    for (const t of list) {
      const names = order(t.names.map(gmxName));
      const k = out.dihedralTypes.findIndex((d) => functs.includes(d.funct) && same(d.types, names));
      if (k < 0) { missing.push(`dihedraltypes ${names.join(" ")}: not in the topology`); continue; }
      t.terms.forEach((term, i) => {
        const row = out.dihedralTypes[k + i];
        if (row === undefined || !same(row.types, names) || !functs.includes(row.funct)) {
          missing.push(`dihedraltypes ${names.join(" ")}: the force field has ${t.terms.length} terms, the topology fewer`);
          return;
        }
        row.params.splice(0, 3, term.phase / DEG, term.k, term.periodicity);
      });
    }
  };
  torsions(ff.propers, [1, 9], (n) => n);
  torsions(ff.impropers, [4], ([c, a, b, e]) => [a, b, c, e]);
  if (ff.cmap !== undefined) {
    for (const t of ff.cmap.torsions) {
      const row = out.cmapTypes.find((c) => same(c.types, t.names));
      const map = ff.cmap.maps[t.map];
      if (row === undefined || map === undefined) continue;
      const n = row.gridX;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) row.values[((i + n / 2) % n) * n + ((j + n / 2) % n)] = map[i + n * j];
    }
  }
  for (const m of out.moleculeTypes) {
    let from = 0;
    while (from < m.atoms.length) {
      let to = from + 1;
      while (to < m.atoms.length && m.atoms[to].resnr === m.atoms[from].resnr) to++;
      const atoms = m.atoms.slice(from, to);
      const fits = (r: OpenMMResidue) => r.atoms.length === atoms.length && r.atoms.every((a, i) => a.name === atoms[i].name && a.type === atoms[i].type);
      const candidates = ff.residues.filter((r) => (r.name === atoms[0].residue || r.name.startsWith(`${atoms[0].residue}_`)) && fits(r));
      const template = candidates.length > 0 ? candidates[0] : ff.residues.find(fits);
      if (template === undefined) missing.push(`${m.name}: no residue template for ${atoms[0].residue} ${atoms[0].resnr}`);
      else atoms.forEach((a, i) => { const q = template.atoms[i].charge; if (q !== undefined) a.charge = q; });
      from = to;
    }
  }
  return { topology: out, missing };
}
