// Fitted parameters back into a topology, so they can be written as a GROMACS .top
// (src/ff/gromacs/top-writer.ts) or OpenMM XML and run at scale elsewhere:
//
//   const fitted = applyParameters(system, params);     // a new Topology; the old one is untouched
//   fs.writeFileSync("fitted.top", writeTop(fitted));
//
// Every parameter type knows where its numbers came from (ExpandedSystem.sources): type-table
// rows, or the interaction lines that gave their own numbers; atom types and charges map to
// [ atomtypes ] and [ atoms ]. Only the A-state columns are replaced; multiplicities stay.

import { Tensor } from "../index.js";
import { ExpandedSystem, ForceFieldParams, LJParams, ParamSource } from "./parameters.js";
import { BondedType, Interaction, Topology, moleculeType } from "./topology.js";

const values = (t: Tensor): number[] => Array.from(t.data() as ArrayLike<number>);
const scalar = (t: Tensor): number => values(t)[0];

/** A copy of `topology` with the numbers of `params` written into it. */
export function applyParameters(ff: { topology: Topology; system: ExpandedSystem }, params: ForceFieldParams): Topology {
  const top: Topology = structuredClone(ff.topology);
  const s = ff.system;
  const lj = (p: LJParams): [number, number] => ("sigma" in p ? [scalar(p.sigma), scalar(p.epsilon)] : [scalar(p.c6), scalar(p.c12)]);
  // LJ columns as the file stores them: σ/ε (rules 2, 3) or C6/C12 (rule 1, which the params keep as such).
  for (const [name, p] of Object.entries(params.atomTypes)) {
    const t = top.atomTypes.find((a) => a.name === name);
    if (t === undefined) throw new Error(`applyParameters: atom type ${name} is not in the topology`);
    [t.v, t.w] = lj(p);
  }
  for (const [name, q] of Object.entries(params.charges)) {
    const m = moleculeType(top, name);
    const qs = values(q);
    if (qs.length !== m.atoms.length) throw new Error(`applyParameters: charges.${name} has ${qs.length} values for ${m.atoms.length} atoms`);
    m.atoms.forEach((a, k) => { a.charge = qs[k]; });
  }
  for (const nb of s.nonbondOverrides) {
    const [ta, tb] = [s.atomTypeKeys[nb.typeA], s.atomTypeKeys[nb.typeB]];
    const row = top.nonbondParams.find((t) => (t.types[0] === ta && t.types[1] === tb) || (t.types[0] === tb && t.types[1] === ta));
    if (row !== undefined) [row.params[0], row.params[1]] = lj(params.nonbondParams[nb.key]);
  }

  // Each table: how the key's numbers become the columns of its source rows (per term for dihedrals).
  const columns: Record<string, (key: string) => number[][]> = {
    bondTypes: (k) => [[scalar(params.bondTypes[k].b0), scalar(params.bondTypes[k].kb)]],
    angleTypes: (k) => [[scalar(params.angleTypes[k].theta0), scalar(params.angleTypes[k].ktheta)]],
    ureyBradleyTypes: (k) => {
      const u = params.ureyBradleyTypes[k];
      return [[scalar(u.theta0), scalar(u.ktheta), scalar(u.r13), scalar(u.kub)]];
    },
    properDihedralTypes: (k) => periodicRows(params.properDihedralTypes[k]),
    periodicImproperTypes: (k) => periodicRows(params.periodicImproperTypes[k]),
    improperDihedralTypes: (k) => [[scalar(params.improperDihedralTypes[k].xi0), scalar(params.improperDihedralTypes[k].kxi)]],
    rbDihedralTypes: (k) => [values(params.rbDihedralTypes[k].c)],
    pairTypes: (k) => [lj(params.pairTypes[k])],
  };
  for (const [table, byKey] of Object.entries(s.sources)) {
    for (const [key, source] of Object.entries(byKey)) {
      if (table === "cmapTypes") {
        const row = source.kind === "table" ? top.cmapTypes[source.rows[0]] : undefined;
        if (row !== undefined) row.values = values(params.cmapTypes[key].grid);
        continue;
      }
      const cols = columns[table](key);
      for (const target of targets(top, source)) {
        const c = target.term < cols.length ? cols[target.term] : cols[0];
        c.forEach((v, k) => { target.params[k] = v; });
      }
    }
  }
  return top;
}

function periodicRows(p: { phi0: Tensor; kphi: Tensor }): number[][] {
  const phi = values(p.phi0), k = values(p.kphi);
  return phi.map((x, t) => [x, k[t]]);
}

/** The parameter arrays a source points at, with the term index each holds. */
function targets(top: Topology, source: ParamSource): { params: number[]; term: number }[] {
  if (source.kind === "table") {
    const table = top[source.table] as BondedType[];
    return source.rows.map((r, term) => ({ params: table[r].params, term }));
  }
  const m = moleculeType(top, source.molecule);
  const section = m[source.section] as Interaction[];
  return source.lines.map((l) => ({ params: section[l].params, term: 0 }));
}
