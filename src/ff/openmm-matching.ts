// Which entry of an OpenMM force field applies to a bond, angle, proper or improper torsion, by
// the rules of OpenMM's app.ForceField (7.7, forcefield.py), restated here:
// - an entry names atom types (type1…) or atom classes (class1…); "" matches any atom; an entry
//   naming a type or class the force field does not define is ignored;
// - bonds and angles: the first entry (file order) that matches forward or reversed;
// - propers: the first entry without wildcards that matches forward or reversed, else the first
//   matching entry with a wildcard (OpenMM walks candidate entries in the order of a Python set of
//   their indices, which is file order except in rare hash layouts);
// - impropers: for each atom with three or more bonded neighbours (ascending index), every
//   combination of three neighbours gives a candidate (centre, n1, n2, n3). An entry's first atom
//   is the centre; the three others are tried in every order (itertools.permutations order). The
//   LAST matching entry without wildcards wins (OpenMM keeps scanning and overwrites), else the
//   first matching entry with a wildcard.
//   The torsion's atom order then depends on the PeriodicTorsionForce `ordering` (see
//   `improperAtoms`), and OpenMM caches the chosen positions by the four atom types, so later
//   candidates with the same types reuse them — reproduced here because the order changes the angle.

import { OpenMMAngle, OpenMMBond, OpenMMForceField, OpenMMMatch, OpenMMTorsion } from "./openmm-xml.js";

/** What the rules need to know about each atom of the system. */
export interface AtomTyping {
  /** OpenMM atom type name per atom. */
  type: string[];
  /** Element symbol per atom ("" when unknown). */
  element: string[];
  /** Mass (amu) of the atom type, used where the element's standard mass is not tabulated. */
  mass: number[];
  /** Residue index per atom (0-based, system order). */
  residue: number[];
  /** Index of the atom in its residue template. */
  templateAtom: number[];
}

/** A matched improper: the atom order of each torsion added, and the entry slot (0–3) behind each atom. */
export interface ImproperMatch {
  torsions: { atoms: number[]; slots: number[] }[];
  entry: OpenMMTorsion;
}

// Standard atomic weights (what OpenMM's element.mass compares); only the order matters.
const ELEMENT_MASS: Record<string, number> = {
  H: 1.008, He: 4.0026, Li: 6.94, Be: 9.0122, B: 10.81, C: 12.011, N: 14.007, O: 15.999, F: 18.998, Ne: 20.18, Na: 22.99,
  Mg: 24.305, Al: 26.982, Si: 28.085, P: 30.974, S: 32.06, Cl: 35.45, Ar: 39.948, K: 39.098, Ca: 40.078, Mn: 54.938,
  Fe: 55.845, Co: 58.933, Ni: 58.693, Cu: 63.546, Zn: 65.38, Se: 78.971, Br: 79.904, Rb: 85.468, Sr: 87.62, I: 126.9, Cs: 132.91,
};

const PERMUTATIONS = [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]];

/** Entry matching for one force field and one system's atom typing. */
export class OpenMMMatcher {
  private readonly classOf = new Map<string, string>();
  private readonly classes = new Set<string>();
  private readonly bonds: OpenMMBond[];
  private readonly angles: OpenMMAngle[];
  private readonly propers: OpenMMTorsion[];
  private readonly impropers: { entry: OpenMMTorsion; ordering: string }[];
  private readonly properCache = new Map<string, OpenMMTorsion | null>();
  private readonly improperCache = new Map<string, { positions: number[][]; slots: number[][]; entry: OpenMMTorsion } | null>();

  constructor(ff: OpenMMForceField, orderings: string[], private readonly atoms: AtomTyping) {
    for (const t of ff.atomTypes) { this.classOf.set(t.name, t.class); this.classes.add(t.class); }
    const usable = (m: OpenMMMatch) => m.names.every((n) => n === "" || (m.by === "type" ? this.classOf.has(n) : this.classes.has(n)));
    this.bonds = ff.bonds.filter(usable);
    this.angles = ff.angles.filter(usable);
    this.propers = ff.propers.filter(usable);
    this.impropers = ff.impropers.map((entry, k) => ({ entry, ordering: orderings[k] ?? "default" })).filter((x) => usable(x.entry));
    for (const { ordering } of this.impropers) {
      if (!["default", "amber", "charmm", "smirnoff"].includes(ordering)) throw new Error(`createSystemFromOpenMM: PeriodicTorsionForce ordering="${ordering}" is not one of default, amber, charmm, smirnoff`);
    }
  }

  /** Does slot `i` of entry `m` accept atom type `t`? */
  private fits(m: OpenMMMatch, i: number, t: string): boolean {
    const n = m.names[i];
    return n === "" || (m.by === "type" ? n === t : this.classOf.get(t) === n);
  }

  private chain(m: OpenMMMatch, types: string[]): boolean {
    const k = types.length;
    return types.every((t, i) => this.fits(m, i, t)) || types.every((t, i) => this.fits(m, k - 1 - i, t));
  }

  bond(i: number, j: number): OpenMMBond | undefined {
    const types = [this.atoms.type[i], this.atoms.type[j]];
    return this.bonds.find((b) => this.chain(b, types));
  }

  angle(i: number, j: number, k: number): OpenMMAngle | undefined {
    const types = [this.atoms.type[i], this.atoms.type[j], this.atoms.type[k]];
    return this.angles.find((a) => this.chain(a, types));
  }

  proper(atoms: number[]): OpenMMTorsion | undefined {
    const types = atoms.map((a) => this.atoms.type[a]);
    const key = types.join("\u0000");
    const cached = this.properCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let match: OpenMMTorsion | undefined;
    for (const p of this.propers) {
      if (!this.chain(p, types)) continue;
      const wild = p.names.includes("");
      if (match === undefined || !wild) match = p;
      if (!wild) break;
    }
    this.properCache.set(key, match ?? null);
    this.properCache.set([...types].reverse().join("\u0000"), match ?? null);
    return match;
  }

  /** The improper torsion(s) OpenMM adds for the candidate (centre, n1, n2, n3), if an entry matches. */
  improper(candidate: number[]): ImproperMatch | undefined {
    const key = candidate.map((a) => this.atoms.type[a]).join("\u0000");
    let cached = this.improperCache.get(key);
    if (cached === undefined) {
      const found = this.findImproper(candidate);
      cached = found === undefined ? null : {
        entry: found.entry,
        positions: found.torsions.map((t) => t.atoms.map((a) => candidate.indexOf(a))),
        slots: found.torsions.map((t) => t.slots),
      };
      this.improperCache.set(key, cached);
    }
    if (cached === null) return undefined;
    return { entry: cached.entry, torsions: cached.positions.map((p, k) => ({ atoms: p.map((i) => candidate[i]), slots: cached!.slots[k] })) };
  }

  private findImproper(c: number[]): ImproperMatch | undefined {
    const t = c.map((a) => this.atoms.type[a]);
    let match: ImproperMatch | undefined;
    for (const { entry, ordering } of this.impropers) {
      const wild = entry.names.includes("");
      if (match !== undefined && wild) continue;
      if (!this.fits(entry, 0, t[0])) continue;
      for (const [p2, p3, p4] of PERMUTATIONS) {
        if (!(this.fits(entry, 1, t[p2]) && this.fits(entry, 2, t[p3]) && this.fits(entry, 3, t[p4]))) continue;
        match = { entry, torsions: this.improperAtoms(ordering, wild, c, [p2, p3, p4]) };
        break;
      }
    }
    return match;
  }

  /**
   * The atom order OpenMM gives an improper whose neighbours c[p2], c[p3], c[p4] matched entry
   * slots 1, 2, 3 (slot 0 is the centre c[0]):
   * - "default" (and "charmm" with wildcards): (x, y, centre, c[p4]) where x, y are c[p2], c[p3]
   *   ordered by element — same element: lower index first; otherwise carbon first, else the
   *   heavier element first (AMBER's convention for ambiguous wildcard impropers);
   * - "charmm" without wildcards: (centre, c[p2], c[p3], c[p4]);
   * - "amber": (a2, a3, centre, a4) after sorting neighbours that are interchangeable (same atom
   *   type without wildcards, same element with them) by residue index, then template atom index;
   * - "smirnoff": the three cyclic orders (centre, a, b, c), (centre, b, c, a), (centre, c, a, b).
   */
  private improperAtoms(ordering: string, wild: boolean, c: number[], [p2, p3, p4]: number[]): { atoms: number[]; slots: number[] }[] {
    const A = this.atoms;
    if (ordering === "default" || (ordering === "charmm" && wild)) {
      let a1 = { atom: c[p2], slot: 1 }, a2 = { atom: c[p3], slot: 2 };
      const e1 = A.element[a1.atom], e2 = A.element[a2.atom];
      const mass = (atom: number) => ELEMENT_MASS[A.element[atom]] ?? A.mass[atom];
      if (e1 === e2) { if (a1.atom > a2.atom) [a1, a2] = [a2, a1]; }
      else if (e1 !== "C" && (e2 === "C" || mass(a1.atom) < mass(a2.atom))) [a1, a2] = [a2, a1];
      return [{ atoms: [a1.atom, a2.atom, c[0], c[p4]], slots: [a1.slot, a2.slot, 0, 3] }];
    }
    if (ordering === "charmm") return [{ atoms: [c[0], c[p2], c[p3], c[p4]], slots: [0, 1, 2, 3] }];
    if (ordering === "smirnoff") {
      const [a, b, d] = [c[p2], c[p3], c[p4]];
      return [
        { atoms: [c[0], a, b, d], slots: [0, 1, 2, 3] },
        { atoms: [c[0], b, d, a], slots: [0, 2, 3, 1] },
        { atoms: [c[0], d, a, b], slots: [0, 3, 1, 2] },
      ];
    }
    // amber
    let a2 = { atom: c[p2], slot: 1 }, a3 = { atom: c[p3], slot: 2 }, a4 = { atom: c[p4], slot: 3 };
    const later = (x: { atom: number }, y: { atom: number }) =>
      A.residue[x.atom] > A.residue[y.atom] || (A.residue[x.atom] === A.residue[y.atom] && A.templateAtom[x.atom] > A.templateAtom[y.atom]);
    const same = (x: { atom: number }, y: { atom: number }) => (wild ? A.element[x.atom] === A.element[y.atom] : A.type[x.atom] === A.type[y.atom]);
    if (same(a2, a4) && later(a2, a4)) [a2, a4] = [a4, a2];
    if (same(a3, a4) && later(a3, a4)) [a3, a4] = [a4, a3];
    if ((wild || same(a2, a3)) && later(a2, a3)) [a2, a3] = [a3, a2];
    return [{ atoms: [a2.atom, a3.atom, c[0], a4.atom], slots: [a2.slot, a3.slot, 0, a4.slot] }];
  }
}
