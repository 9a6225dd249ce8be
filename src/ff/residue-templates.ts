// Matching the residues of a PDB structure to the residue templates of an OpenMM force field, and
// the bond graph that follows (what OpenMM's PDBFile + ForceField do before createSystem).
//
// OpenMM first gives the topology its bonds (standard residue definitions by atom name, the
// peptide C–N / nucleic O3'–P links between consecutive residues of a chain, CONECT records),
// then finds for each residue the template whose atoms and bonds (with the number of bonds that
// leave the residue) form the same graph. Here the templates' own bond lists play the role of
// the standard residue definitions, so a residue is matched by ATOM NAMES: a template fits when
// it has exactly the residue's atom names and its external-bond atoms are exactly the residue's
// atoms bonded to other residues (which is what tells ALA from the N-terminal NALA, or a cap).
// When no template has the residue's atom names (PDB files written by OpenMM use its own names,
// e.g. C for NME's CH3, H for an N-terminal H1), atoms are paired with a template's by element
// and geometry instead (`renamedMapping`) — OpenMM's graph matching, approximated with distances.

import { OpenMMForceField, OpenMMResidue } from "./openmm-xml.js";
import { PdbStructure } from "./pdb.js";

/** One residue of the structure and the template it was matched to. */
export interface ResidueMatch {
  chain: string;
  resnr: number;
  insertionCode: string;
  /** Residue name as the PDB writes it. */
  name: string;
  /** 0-based index of the chain (a new chain starts at a chain-ID change or after TER). */
  chainIndex: number;
  /** Structure atom indices of this residue, in file order. */
  atoms: number[];
  template: OpenMMResidue;
  /**
   * For each of `atoms`, the index of the matching atom in `template.atoms`, as OpenMM's graph
   * matcher assigns it (`graphMatch`; for atoms the bond graph cannot tell apart this may differ
   * from the atom names).
   */
  templateAtom: number[];
}

export interface TemplateMatchOptions {
  /** File name for error messages. */
  name?: string;
  /** Extra bonds (0-based atom indices), e.g. from CONECT records (see `pdbConectBonds`). */
  bonds?: [number, number][];
  /** Force a template for residues, keyed "chain:resnr" (e.g. "A:12") or by residue number alone. */
  residueTemplates?: Record<string, string>;
}

/** Links made between consecutive residues of a chain when both templates allow them (OpenMM's standard bonds). */
const LINKS: [string, string][] = [["C", "N"], ["O3'", "P"]];

/**
 * Several force fields (OpenMM's ForceField('a.xml', 'b.xml')) as one: their lists concatenated.
 * The improper ordering is per file in OpenMM; `improperOrderings` keeps it per improper.
 */
export function mergeForceFields(ffs: OpenMMForceField[]): OpenMMForceField {
  if (ffs.length === 1) return ffs[0];
  const out: OpenMMForceField = { atomTypes: [], residues: [], bonds: [], angles: [], propers: [], impropers: [], other: [] };
  for (const ff of ffs) {
    out.atomTypes.push(...ff.atomTypes);
    out.residues.push(...ff.residues);
    out.bonds.push(...ff.bonds);
    out.angles.push(...ff.angles);
    out.propers.push(...ff.propers);
    out.impropers.push(...ff.impropers);
    out.other.push(...ff.other);
    if (ff.nonbonded !== undefined) {
      if (out.nonbonded === undefined) out.nonbonded = { ...ff.nonbonded, fromResidue: [...ff.nonbonded.fromResidue], atoms: [...ff.nonbonded.atoms] };
      else {
        const a = out.nonbonded, b = ff.nonbonded;
        if (a.coulomb14scale !== b.coulomb14scale || a.lj14scale !== b.lj14scale) {
          throw new Error(`createSystemFromOpenMM: the force fields disagree on NonbondedForce 1–4 scales (coulomb14scale ${a.coulomb14scale} vs ${b.coulomb14scale}, lj14scale ${a.lj14scale} vs ${b.lj14scale}), as OpenMM also refuses`);
        }
        for (const n of b.fromResidue) if (!a.fromResidue.includes(n)) a.fromResidue.push(n);
        a.atoms.push(...b.atoms);
      }
    }
    if (ff.cmap !== undefined) {
      const base = out.cmap?.maps.length ?? 0;
      out.cmap = {
        maps: [...(out.cmap?.maps ?? []), ...ff.cmap.maps],
        torsions: [...(out.cmap?.torsions ?? []), ...ff.cmap.torsions.map((t) => ({ ...t, map: t.map + base }))],
      };
    }
  }
  return out;
}

/** The PeriodicTorsionForce `ordering` of each improper of `mergeForceFields(ffs)`, in order ("default" when unset). */
export function improperOrderings(ffs: OpenMMForceField[]): string[] {
  return ffs.flatMap((ff) => ff.impropers.map(() => ff.torsionOrdering ?? "default"));
}

/** Bonds from the CONECT records of PDB text, as 0-based indices into `pdb.atoms` (by serial number). */
export function pdbConectBonds(text: string, pdb: PdbStructure, name = "structure.pdb"): [number, number][] {
  const bySerial = new Map<number, number>();
  pdb.atoms.forEach((a, i) => bySerial.set(a.serial, i));
  const out: [number, number][] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l];
    if (line.startsWith("END")) break;
    if (!line.startsWith("CONECT")) continue;
    const field = (from: number) => line.slice(from, from + 5).trim();
    const a = Number(field(6));
    if (!bySerial.has(a)) throw new Error(`${name}:${l + 1}: CONECT names atom serial ${field(6)}, which no ATOM/HETATM record has`);
    for (const c of [11, 16, 21, 26]) {
      const s = field(c);
      if (s === "") continue;
      const b = bySerial.get(Number(s));
      if (b === undefined) throw new Error(`${name}:${l + 1}: CONECT names atom serial ${s}, which no ATOM/HETATM record has`);
      const i = bySerial.get(a)!;
      const key = i < b ? `${i},${b}` : `${b},${i}`;
      if (i !== b && !seen.has(key)) { seen.add(key); out.push(i < b ? [i, b] : [b, i]); }
    }
  }
  return out;
}

interface RawResidue { chain: string; resnr: number; insertionCode: string; name: string; chainIndex: number; atoms: number[] }

/** Split the structure into residues (consecutive atoms with the same chain, number, insertion code and name). */
function residuesOf(pdb: PdbStructure): RawResidue[] {
  const out: RawResidue[] = [];
  const ends = new Set(pdb.chainEnds);
  let chainIndex = 0;
  pdb.atoms.forEach((a, i) => {
    const last = out[out.length - 1];
    if (last !== undefined && last.chain !== a.chain) chainIndex++;
    if (last !== undefined && last.chain === a.chain && last.resnr === a.resnr && last.insertionCode === a.insertionCode && last.name === a.residue && last.chainIndex === chainIndex) {
      last.atoms.push(i);
    } else {
      out.push({ chain: a.chain, resnr: a.resnr, insertionCode: a.insertionCode, name: a.residue, chainIndex, atoms: [i] });
    }
    if (ends.has(i)) chainIndex++;
  });
  return out;
}

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
const label = (r: RawResidue) => `residue ${r.chain === "" ? "" : `${r.chain} `}${r.resnr}${r.insertionCode} ${r.name}`;

/**
 * Match every residue of `pdb` to a template of `ff` and return the matches and the bond graph
 * (template bonds, links between consecutive residues, extra bonds), bonds as sorted index pairs.
 */
export function matchResidueTemplates(pdb: PdbStructure, ff: OpenMMForceField, options: TemplateMatchOptions = {}): { residues: ResidueMatch[]; bonds: [number, number][] } {
  const file = options.name ?? "structure.pdb";
  const raw = residuesOf(pdb);
  const names = raw.map((r) => new Set(r.atoms.map((i) => pdb.atoms[i].name)));
  raw.forEach((r, k) => {
    if (names[k].size !== r.atoms.length) {
      const dup = r.atoms.map((i) => pdb.atoms[i].name).find((n, j, all) => all.indexOf(n) !== j);
      throw new Error(`createSystemFromOpenMM: ${file}: ${label(r)} has two atoms named ${dup} (alternate locations are not supported; keep one)`);
    }
  });
  const templateNames = ff.residues.map((t) => new Set(t.atoms.map((a) => a.name)));
  // templates with exactly the residue's atom names
  const byNames = names.map((n) => ff.residues.filter((_, t) => sameSet(templateNames[t], n)));
  const residueOf = new Int32Array(pdb.atoms.length);
  raw.forEach((r, k) => { for (const i of r.atoms) residueOf[i] = k; });
  const atomIndex = (k: number, name: string) => raw[k].atoms.find((i) => pdb.atoms[i].name === name);

  const bondSet = new Set<string>();
  const bonds: [number, number][] = [];
  const addBond = (i: number, j: number) => {
    const [a, b] = i < j ? [i, j] : [j, i];
    const key = `${a},${b}`;
    if (a !== b && !bondSet.has(key)) { bondSet.add(key); bonds.push([a, b]); }
  };
  // links between consecutive residues of a chain, when some template of each allows them
  for (let k = 0; k + 1 < raw.length; k++) {
    if (raw[k].chainIndex !== raw[k + 1].chainIndex) continue;
    for (const [from, to] of LINKS) {
      const i = atomIndex(k, from), j = atomIndex(k + 1, to);
      if (i === undefined || j === undefined) continue;
      const okFrom = byNames[k].length === 0 || byNames[k].some((t) => t.externalBonds.includes(from));
      const okTo = byNames[k + 1].length === 0 || byNames[k + 1].some((t) => t.externalBonds.includes(to));
      if (okFrom && okTo) addBond(i, j);
    }
  }
  for (const [i, j] of options.bonds ?? []) {
    if (!(i >= 0 && i < pdb.atoms.length && j >= 0 && j < pdb.atoms.length)) throw new Error(`createSystemFromOpenMM: bond ${i}–${j} names an atom outside the structure's ${pdb.atoms.length}`);
    addBond(i, j);
  }
  const external = raw.map(() => new Set<string>());
  const externalAtoms = raw.map(() => new Set<number>());
  const internal = raw.map(() => [] as [number, number][]);
  for (const [i, j] of bonds) {
    const ri = residueOf[i], rj = residueOf[j];
    if (ri !== rj) {
      external[ri].add(pdb.atoms[i].name); external[rj].add(pdb.atoms[j].name);
      externalAtoms[ri].add(i); externalAtoms[rj].add(j);
    } else internal[ri].push([i, j]);
  }

  const elementOfType = new Map(ff.atomTypes.map((t) => [t.name, t.element ?? ""]));
  const residues: ResidueMatch[] = raw.map((r, k) => {
    const forced = options.residueTemplates?.[`${r.chain}:${r.resnr}`] ?? options.residueTemplates?.[String(r.resnr)];
    const hasBond = (t: OpenMMResidue, a: string, b: string) => t.bonds.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
    const fitsBonds = (t: OpenMMResidue, nameOf: (i: number) => string) =>
      sameSet(new Set(t.externalBonds), new Set([...externalAtoms[k]].map(nameOf))) && internal[k].every(([a, b]) => hasBond(t, nameOf(a), nameOf(b)));
    const byName = (i: number) => pdb.atoms[i].name;
    let candidates = byNames[k].filter((t) => fitsBonds(t, byName));
    let mapping: Map<number, number> | undefined;
    if (forced !== undefined) {
      const chosen = ff.residues.find((t) => t.name === forced);
      if (chosen === undefined) throw new Error(`createSystemFromOpenMM: residueTemplates asks for template ${forced} for ${label(r)}, but the force field has no such template`);
      if (!candidates.includes(chosen)) {
        mapping = renamedMapping(pdb, r, chosen, elementOfType, fitsBonds) ?? undefined;
        if (mapping === undefined) throw new Error(`createSystemFromOpenMM: ${file}: ${label(r)} does not fit the template ${forced} it was given: ${mismatch(r, names[k], external[k], chosen)}`);
      }
      candidates = [chosen];
    }
    if (candidates.length === 0) {
      // atoms named differently from the template (e.g. PDB/OpenMM names vs AMBER's): match by element and geometry
      let best: { t: OpenMMResidue; m: Map<number, number>; renamed: number } | undefined;
      for (const t of ff.residues) {
        const m = renamedMapping(pdb, r, t, elementOfType, fitsBonds);
        if (m === null) continue;
        const renamed = r.atoms.filter((i) => t.atoms[m.get(i)!].name !== pdb.atoms[i].name).length;
        if (best === undefined || renamed < best.renamed || (renamed === best.renamed && t.name === r.name && best.t.name !== r.name)) best = { t, m, renamed };
      }
      if (best === undefined) throw new Error(noTemplateMessage(file, r, names[k], external[k], ff.residues, byNames[k]));
      candidates = [best.t];
      mapping = best.m;
    }
    const sameName = candidates.filter((t) => t.name === r.name);
    const template = sameName.length > 0 ? sameName[0] : candidates[0];
    if (sameName.length === 0 && candidates.length > 1) {
      throw new Error(`createSystemFromOpenMM: ${file}: ${label(r)} fits several templates (${candidates.map((t) => t.name).join(", ")}); choose one with residueTemplates { "${r.chain}:${r.resnr}": "…" }`);
    }
    const templateAtom = r.atoms.map((i) => mapping?.get(i) ?? template.atoms.findIndex((a) => a.name === pdb.atoms[i].name));
    const atomOf = new Map(r.atoms.map((i, j) => [template.atoms[templateAtom[j]].name, i]));
    for (const [a, b] of template.bonds) addBond(atomOf.get(a)!, atomOf.get(b)!);
    return { chain: r.chain, resnr: r.resnr, insertionCode: r.insertionCode, name: r.name, chainIndex: r.chainIndex, atoms: r.atoms, template, templateAtom };
  });
  bonds.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  // Which template atom each atom is, as OpenMM's graph matcher decides it: for atoms the graph
  // cannot tell apart (ASN's HD21/HD22, a methyl's hydrogens) it may differ from the names, and
  // the "amber" improper ordering compares these template indices.
  const neighbours: number[][] = pdb.atoms.map(() => []);
  for (const [i, j] of bonds) { neighbours[i].push(j); neighbours[j].push(i); }
  for (const list of neighbours) list.sort((a, b) => a - b);
  for (const r of residues) {
    const elements = r.atoms.map((_, j) => elementOfType.get(r.template.atoms[r.templateAtom[j]].type) ?? "");
    const match = graphMatch(r.atoms, neighbours, elements, r.template, elementOfType);
    if (match !== null) r.templateAtom = match;
  }
  return { residues, bonds };
}

/**
 * A template for a residue whose atoms are named differently (OpenMM's PDB names vs the
 * template's, e.g. NME's C vs CH3, an N-terminal H vs H1): same-named atoms pair directly, the
 * others pair within each element so that the template's bonds are as short as possible in the
 * structure (heavy atoms first, hydrogens then follow their bonded heavy atom); every template
 * bond must then be shorter than 0.25 nm and the bonds to other residues must fit. Returns
 * residue atom → template atom index, or null. Groups of more than 6 renamed atoms of one
 * element are not tried.
 */
function renamedMapping(
  pdb: PdbStructure, r: RawResidue, t: OpenMMResidue, elementOfType: Map<string, string>,
  fitsBonds: (t: OpenMMResidue, nameOf: (i: number) => string) => boolean,
): Map<number, number> | null {
  if (t.atoms.length !== r.atoms.length) return null;
  const element = (i: number) => {
    const e = pdb.atoms[i].element;
    return e !== "" ? e[0].toUpperCase() + e.slice(1).toLowerCase() : pdb.atoms[i].name.replace(/^[0-9]+/, "")[0] ?? "";
  };
  const tIndex = new Map(t.atoms.map((a, j) => [a.name, j]));
  const map = new Map<number, number>();
  const leftover = new Map<string, { atoms: number[]; slots: number[] }>();
  for (const i of r.atoms) {
    const j = tIndex.get(pdb.atoms[i].name);
    if (j !== undefined && (elementOfType.get(t.atoms[j].type) ?? element(i)) === element(i)) map.set(i, j);
    else {
      const g = leftover.get(element(i)) ?? { atoms: [], slots: [] };
      g.atoms.push(i);
      leftover.set(element(i), g);
    }
  }
  if (map.size === r.atoms.length) return null; // same names: the ordinary match already failed on bonds
  const taken = new Set(map.values());
  for (const [j, a] of t.atoms.entries()) {
    if (taken.has(j)) continue;
    const g = leftover.get(elementOfType.get(a.type) ?? "");
    if (g === undefined) return null;
    g.slots.push(j);
  }
  const neighbours: number[][] = t.atoms.map(() => []);
  for (const [a, b] of t.bonds) {
    const i = tIndex.get(a)!, j = tIndex.get(b)!;
    neighbours[i].push(j); neighbours[j].push(i);
  }
  const atomAt = new Map<number, number>();
  for (const [i, j] of map) atomAt.set(j, i);
  const distance = (i: number, k: number) => Math.hypot(...[0, 1, 2].map((d) => pdb.positions[i][d] - pdb.positions[k][d]));
  const groups = [...leftover.entries()].sort(([a], [b]) => (a === "H" ? 1 : 0) - (b === "H" ? 1 : 0));
  for (const [, g] of groups) {
    if (g.atoms.length !== g.slots.length || g.atoms.length > 6) return null;
    let best: number[] | undefined, bestCost = Infinity;
    for (const perm of permutations(g.atoms.length)) {
      let cost = 0;
      perm.forEach((p, k) => {
        for (const other of neighbours[g.slots[k]]) {
          const at = atomAt.get(other);
          if (at !== undefined) cost += distance(g.atoms[p], at);
        }
      });
      if (cost < bestCost) { bestCost = cost; best = perm; }
    }
    best!.forEach((p, k) => { map.set(g.atoms[p], g.slots[k]); atomAt.set(g.slots[k], g.atoms[p]); });
  }
  for (const [a, b] of t.bonds) if (distance(atomAt.get(tIndex.get(a)!)!, atomAt.get(tIndex.get(b)!)!) > 0.25) return null;
  return fitsBonds(t, (i) => t.atoms[map.get(i)!].name) ? map : null;
}

/**
 * Residue atom → template atom by OpenMM's template matcher (app/internal/compiled.pyx,
 * matchResidueToTemplate, 7.7), restated: names are ignored; an atom's candidates are the template
 * atoms with its element, number of bonds inside the residue and number of bonds leaving it. Atoms
 * are visited starting from the one with the fewest candidates (lowest index on ties), then
 * always the not-yet-visited neighbour of a visited atom with the fewest candidates (then lowest
 * index), restarting from the fewest-candidates rule when none is left. Depth-first, each atom
 * tries — when one of its neighbours (lowest index first) was matched before it — that neighbour's
 * template neighbours in the template's bond order, else its candidates in template order,
 * keeping the first assignment whose bonds to already-matched atoms are template bonds.
 */
function graphMatch(atoms: number[], neighbours: number[][], elements: string[], t: OpenMMResidue, elementOfType: Map<string, string>): number[] | null {
  const n = atoms.length;
  if (t.atoms.length !== n) return null;
  const local = new Map(atoms.map((a, i) => [a, i]));
  const bondedTo = atoms.map((a) => neighbours[a].filter((b) => local.has(b)).map((b) => local.get(b)!));
  const external = atoms.map((a) => neighbours[a].filter((b) => !local.has(b)).length);
  const tIndex = new Map(t.atoms.map((a, j) => [a.name, j]));
  const tBonded: number[][] = t.atoms.map(() => []);
  for (const [a, b] of t.bonds) { const i = tIndex.get(a)!, j = tIndex.get(b)!; tBonded[i].push(j); tBonded[j].push(i); }
  const tExternal = t.atoms.map((a) => t.externalBonds.filter((x) => x === a.name).length);
  const tElement = t.atoms.map((a) => elementOfType.get(a.type) ?? "");
  const candidates = atoms.map((_, i) => t.atoms.map((_, j) => j).filter((j) =>
    tElement[j] === elements[i] && tBonded[j].length === bondedTo[i].length && tExternal[j] === external[i]));
  // visiting order
  const order: number[] = [];
  const left = new Set(atoms.map((_, i) => i));
  const frontier: number[] = [];
  const inFrontier = new Set<number>();
  const key = (i: number) => candidates[i].length * (n + 1) + i;
  while (left.size > 0) {
    let next: number;
    if (frontier.length === 0) {
      next = -1;
      for (const i of [...left].sort((a, b) => a - b)) if (next < 0 || candidates[i].length < candidates[next].length) next = i;
    } else {
      frontier.sort((a, b) => key(a) - key(b));
      next = frontier.shift()!;
      inFrontier.delete(next);
    }
    order.push(next);
    left.delete(next);
    for (const j of bondedTo[next]) if (left.has(j) && !inFrontier.has(j)) { inFrontier.add(j); frontier.push(j); }
  }
  const position = new Int32Array(n);
  order.forEach((i, p) => { position[i] = p; });
  const match = new Int32Array(n).fill(-1);
  const used = new Set<number>();
  const search = (p: number): boolean => {
    if (p === n) return true;
    const i = order[p];
    const earlier = bondedTo[i].find((j) => position[j] < p);
    const tries = earlier === undefined ? candidates[i] : tBonded[match[earlier]];
    for (const j of tries) {
      if (used.has(j) || !candidates[i].includes(j)) continue;
      if (!bondedTo[i].every((k) => position[k] > p || tBonded[j].includes(match[k]))) continue;
      match[i] = j; used.add(j);
      if (search(p + 1)) return true;
      used.delete(j);
    }
    return false;
  };
  return search(0) ? Array.from(match) : null;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
}

/** Why template `t` does not fit residue r: missing/extra atoms, or external bonds. */
function mismatch(r: RawResidue, names: Set<string>, external: Set<string>, t: OpenMMResidue): string {
  const tNames = new Set(t.atoms.map((a) => a.name));
  const missing = [...tNames].filter((n) => !names.has(n));
  const extra = [...names].filter((n) => !tNames.has(n));
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing ${missing.join(", ")}`);
  if (extra.length > 0) parts.push(`extra ${extra.join(", ")}`);
  if (parts.length === 0) {
    const want = [...t.externalBonds].sort().join(", ") || "none";
    const have = [...external].sort().join(", ") || "none";
    parts.push(`the atom names match, but the template bonds to neighbouring residues at ${want} and this residue at ${have} (a chain end needs a terminal template or a cap)`);
  }
  return parts.join("; ");
}

function noTemplateMessage(file: string, r: RawResidue, names: Set<string>, external: Set<string>, templates: OpenMMResidue[], sameNames: OpenMMResidue[]): string {
  const head = `createSystemFromOpenMM: ${file}: ${label(r)} (${r.atoms.length} atoms) matches no residue template`;
  if (sameNames.length > 0) return `${head}: ${mismatch(r, names, external, sameNames[0])} (template ${sameNames[0].name})`;
  // the closest template: fewest missing + extra atoms, preferring ones named like the residue
  let best: OpenMMResidue | undefined, bestScore = Infinity;
  for (const t of templates) {
    const tNames = new Set(t.atoms.map((a) => a.name));
    let score = 0;
    for (const n of tNames) if (!names.has(n)) score++;
    for (const n of names) if (!tNames.has(n)) score++;
    score = 2 * score + (t.name === r.name ? 0 : t.name.includes(r.name) ? 0.5 : 1);
    if (score < bestScore) { bestScore = score; best = t; }
  }
  if (best === undefined) return `${head}: the force field has no residue templates`;
  return `${head}; closest is ${best.name}: ${mismatch(r, names, external, best)}`;
}
