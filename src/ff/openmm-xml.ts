// OpenMM force-field XML (the format OpenMM's app.ForceField and DMFF read): AtomTypes,
// Residues, HarmonicBondForce, HarmonicAngleForce, PeriodicTorsionForce (Proper/Improper),
// NonbondedForce and CMAPTorsionForce, as plain data; `readOpenMMXml` / `writeOpenMMXml` convert
// between that data and text, and `topologyToOpenMM` writes a GROMACS-style topology's type
// tables as such a force field (how fitted parameters go back to OpenMM).
//
// Units are OpenMM's: nm, kJ/mol, radians (GROMACS files use degrees — the converter changes
// them), e, amu. Energies: bond ½k(r − r0)², angle ½k(θ − θ0)², torsion k(1 + cos(nφ − phase)),
// LJ 4ε((σ/r)¹² − (σ/r)⁶) combined by Lorentz–Berthelot.
// Sections this module does not model are kept verbatim in `other` (as parsed elements).

import { Topology, MoleculeType } from "./topology.js";

/** A parsed XML element (the tiny parser below keeps only what force-field files use). */
export interface XmlElement {
  tag: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text content (trimmed), e.g. the numbers of a CMAP <Map>. */
  text: string;
  /** 1-based line of the opening tag. */
  line: number;
}

export interface OpenMMAtomType {
  name: string;
  class: string;
  element?: string;
  mass: number;
}

export interface OpenMMResidueAtom {
  name: string;
  type: string;
  charge?: number;
}

export interface OpenMMResidue {
  name: string;
  atoms: OpenMMResidueAtom[];
  /** Bonds by atom name. */
  bonds: [string, string][];
  /** Atoms bonded to a neighbouring residue. */
  externalBonds: string[];
}

/** Which atoms an entry applies to: atom type names or class names; "" is OpenMM's wildcard. */
export interface OpenMMMatch {
  by: "type" | "class";
  names: string[];
}

export interface OpenMMBond extends OpenMMMatch {
  /** r0, nm. */
  length: number;
  /** kJ mol⁻¹ nm⁻². */
  k: number;
}

export interface OpenMMAngle extends OpenMMMatch {
  /** θ0, radians. */
  angle: number;
  /** kJ mol⁻¹ rad⁻². */
  k: number;
}

export interface OpenMMTorsionTerm {
  periodicity: number;
  /** radians */
  phase: number;
  /** kJ/mol */
  k: number;
}

/** A Proper or Improper. For impropers OpenMM puts the central atom first (class1). */
export interface OpenMMTorsion extends OpenMMMatch {
  terms: OpenMMTorsionTerm[];
}

export interface OpenMMNonbondedAtom {
  by: "type" | "class";
  name: string;
  charge?: number;
  /** nm */
  sigma: number;
  /** kJ/mol */
  epsilon: number;
}

export interface OpenMMNonbonded {
  coulomb14scale: number;
  lj14scale: number;
  /** Attributes taken from the residue templates (<UseAttributeFromResidue name="charge"/>). */
  fromResidue: string[];
  atoms: OpenMMNonbondedAtom[];
}

export interface OpenMMCmap {
  /** Each map: size×size energies (kJ/mol), element i + size·j at φ = 2πi/size, ψ = 2πj/size. */
  maps: number[][];
  torsions: (OpenMMMatch & { map: number })[];
}

export interface OpenMMForceField {
  atomTypes: OpenMMAtomType[];
  residues: OpenMMResidue[];
  bonds: OpenMMBond[];
  angles: OpenMMAngle[];
  propers: OpenMMTorsion[];
  impropers: OpenMMTorsion[];
  /** PeriodicTorsionForce ordering attribute ("default", "amber", "charmm", "smirnoff"), if given. */
  torsionOrdering?: string;
  nonbonded?: OpenMMNonbonded;
  cmap?: OpenMMCmap;
  /** Top-level elements not modelled here, kept for writing back. */
  other: XmlElement[];
}

// ---------------------------------------------------------------- XML text ↔ elements

/** Parse XML text into its root element. Errors name the file and line. */
export function parseXml(text: string, name = "forcefield.xml"): XmlElement {
  let pos = 0;
  let line = 1;
  const fail = (msg: string): never => { throw new Error(`${name}:${line}: ${msg}`); };
  const advance = (to: number) => {
    for (let i = pos; i < to; i++) if (text.charCodeAt(i) === 10) line++;
    pos = to;
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (pos < text.length) {
    const lt = text.indexOf("<", pos);
    const chunk = lt < 0 ? text.slice(pos) : text.slice(pos, lt);
    if (chunk.trim() !== "") {
      if (stack.length === 0) fail(`text outside the root element: ${JSON.stringify(chunk.trim().slice(0, 40))}`);
      const top = stack[stack.length - 1];
      top.text = (top.text === "" ? "" : top.text + " ") + decodeEntities(chunk.trim(), fail);
    }
    if (lt < 0) { advance(text.length); break; }
    advance(lt);
    if (text.startsWith("<!--", pos)) {
      const end = text.indexOf("-->", pos);
      if (end < 0) fail("unterminated comment <!--");
      advance(end + 3);
      continue;
    }
    if (text.startsWith("<?", pos) || text.startsWith("<!", pos)) {
      const end = text.indexOf(">", pos);
      if (end < 0) fail("unterminated declaration");
      advance(end + 1);
      continue;
    }
    const gt = findTagEnd(text, pos);
    if (gt < 0) fail("unterminated tag");
    const inner = text.slice(pos + 1, gt);
    const startLine = line;
    if (inner.startsWith("/")) {
      const tag = inner.slice(1).trim();
      const open = stack.pop();
      if (open === undefined || open.tag !== tag) fail(`closing </${tag}> does not match ${open === undefined ? "any open element" : `<${open.tag}> opened at line ${open.line}`}`);
      advance(gt + 1);
      continue;
    }
    const selfClosing = inner.endsWith("/");
    const body = selfClosing ? inner.slice(0, -1) : inner;
    const m = /^([A-Za-z_][\w.:-]*)/.exec(body);
    if (m === null) fail(`malformed tag <${inner.slice(0, 40)}>`);
    const element: XmlElement = { tag: m![1], attributes: parseAttributes(body.slice(m![1].length), fail), children: [], text: "", line: startLine };
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else if (root === undefined) root = element;
    else fail(`a second root element <${element.tag}>`);
    if (!selfClosing) stack.push(element);
    advance(gt + 1);
  }
  if (stack.length > 0) throw new Error(`${name}:${line}: <${stack[stack.length - 1].tag}> opened at line ${stack[stack.length - 1].line} is never closed`);
  if (root === undefined) throw new Error(`${name}: no XML element found`);
  return root;
}

/** Position of the `>` closing a tag that starts at `start`, skipping quoted attribute values. */
function findTagEnd(text: string, start: number): number {
  let quote = "";
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote !== "") { if (c === quote) quote = ""; }
    else if (c === '"' || c === "'") quote = c;
    else if (c === ">") return i;
  }
  return -1;
}

function parseAttributes(s: string, fail: (msg: string) => never): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /\s*([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;
  let i = 0;
  while (i < s.length) {
    if (s.slice(i).trim() === "") break;
    re.lastIndex = i;
    const m = re.exec(s);
    if (m === null) fail(`malformed attributes ${JSON.stringify(s.slice(i).trim().slice(0, 40))}`);
    out[m![1]] = decodeEntities(m![3] ?? m![4], fail);
    i = re.lastIndex;
  }
  return out;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(s: string, fail: (msg: string) => never): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_, e: string) => {
    if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(Number(e.slice(1)));
    return ENTITIES[e] ?? fail(`unknown entity &${e};`);
  });
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Format an element tree as indented XML. */
export function formatXml(e: XmlElement, indent = ""): string {
  const attrs = Object.entries(e.attributes).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join("");
  if (e.children.length === 0 && e.text === "") return `${indent}<${e.tag}${attrs}/>`;
  if (e.children.length === 0) return `${indent}<${e.tag}${attrs}>${escapeXml(e.text)}</${e.tag}>`;
  const inner = e.children.map((c) => formatXml(c, indent + " ")).join("\n");
  const text = e.text === "" ? "" : `\n${indent} ${escapeXml(e.text)}`;
  return `${indent}<${e.tag}${attrs}>${text}\n${inner}\n${indent}</${e.tag}>`;
}

const el = (tag: string, attributes: Record<string, string | number | undefined>, children: XmlElement[] = [], text = ""): XmlElement => {
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) attrs[k] = String(v);
  return { tag, attributes: attrs, children, text, line: 0 };
};

// ---------------------------------------------------------------- elements ↔ OpenMMForceField

/** Read an OpenMM force-field XML file. `name` is used in error messages. */
export function readOpenMMXml(text: string, name = "forcefield.xml"): OpenMMForceField {
  const root = parseXml(text, name);
  if (root.tag !== "ForceField") throw new Error(`${name}:${root.line}: expected <ForceField> as the root element, found <${root.tag}>`);
  const ff: OpenMMForceField = { atomTypes: [], residues: [], bonds: [], angles: [], propers: [], impropers: [], other: [] };
  const where = (e: XmlElement) => `${name}:${e.line}`;
  const num = (e: XmlElement, attr: string): number => {
    const s = e.attributes[attr];
    if (s === undefined) throw new Error(`${where(e)}: <${e.tag}> needs the attribute ${attr}`);
    const x = Number(s);
    if (s.trim() === "" || !Number.isFinite(x)) throw new Error(`${where(e)}: <${e.tag}> ${attr}="${s}" is not a number`);
    return x;
  };
  const str = (e: XmlElement, attr: string): string => {
    const s = e.attributes[attr];
    if (s === undefined) throw new Error(`${where(e)}: <${e.tag}> needs the attribute ${attr}`);
    return s;
  };
  const match = (e: XmlElement, n: number): OpenMMMatch => {
    const byType = e.attributes.type1 !== undefined;
    const prefix = byType ? "type" : "class";
    const names: string[] = [];
    for (let i = 1; i <= n; i++) {
      const other = byType ? `class${i}` : `type${i}`;
      if (e.attributes[other] !== undefined) throw new Error(`${where(e)}: <${e.tag}> mixes type and class attributes; give all ${n} as type1… or as class1…`);
      names.push(str(e, `${prefix}${i}`));
    }
    return { by: byType ? "type" : "class", names };
  };
  for (const section of root.children) {
    switch (section.tag) {
      case "AtomTypes":
        for (const t of section.children) {
          const type: OpenMMAtomType = { name: str(t, "name"), class: t.attributes.class ?? "", mass: num(t, "mass") };
          if (t.attributes.element !== undefined) type.element = t.attributes.element;
          ff.atomTypes.push(type);
        }
        break;
      case "Residues":
        for (const r of section.children) {
          const residue: OpenMMResidue = { name: str(r, "name"), atoms: [], bonds: [], externalBonds: [] };
          for (const c of r.children) {
            if (c.tag === "Atom") {
              const atom: OpenMMResidueAtom = { name: str(c, "name"), type: str(c, "type") };
              if (c.attributes.charge !== undefined) atom.charge = num(c, "charge");
              residue.atoms.push(atom);
            } else if (c.tag === "Bond") {
              const byName = c.attributes.atomName1 !== undefined;
              const a = byName ? str(c, "atomName1") : residue.atoms[num(c, "from")]?.name;
              const b = byName ? str(c, "atomName2") : residue.atoms[num(c, "to")]?.name;
              if (a === undefined || b === undefined) throw new Error(`${where(c)}: <Bond> refers to an atom index outside residue ${residue.name}`);
              residue.bonds.push([a, b]);
            } else if (c.tag === "ExternalBond") {
              residue.externalBonds.push(c.attributes.atomName ?? residue.atoms[num(c, "from")]?.name ?? "");
            }
          }
          ff.residues.push(residue);
        }
        break;
      case "HarmonicBondForce":
        for (const b of section.children) ff.bonds.push({ ...match(b, 2), length: num(b, "length"), k: num(b, "k") });
        break;
      case "HarmonicAngleForce":
        for (const a of section.children) ff.angles.push({ ...match(a, 3), angle: num(a, "angle"), k: num(a, "k") });
        break;
      case "PeriodicTorsionForce":
        if (section.attributes.ordering !== undefined) ff.torsionOrdering = section.attributes.ordering;
        for (const t of section.children) {
          const terms: OpenMMTorsionTerm[] = [];
          for (let i = 1; t.attributes[`periodicity${i}`] !== undefined; i++) {
            terms.push({ periodicity: num(t, `periodicity${i}`), phase: num(t, `phase${i}`), k: num(t, `k${i}`) });
          }
          if (terms.length === 0) throw new Error(`${where(t)}: <${t.tag}> has no periodicity1/phase1/k1`);
          const torsion = { ...match(t, 4), terms };
          if (t.tag === "Proper") ff.propers.push(torsion);
          else if (t.tag === "Improper") ff.impropers.push(torsion);
          else throw new Error(`${where(t)}: <PeriodicTorsionForce> holds <Proper> and <Improper>, found <${t.tag}>`);
        }
        break;
      case "NonbondedForce": {
        const nb: OpenMMNonbonded = { coulomb14scale: num(section, "coulomb14scale"), lj14scale: num(section, "lj14scale"), fromResidue: [], atoms: [] };
        for (const a of section.children) {
          if (a.tag === "UseAttributeFromResidue") nb.fromResidue.push(str(a, "name"));
          else if (a.tag === "Atom") {
            const byType = a.attributes.type !== undefined;
            const atom: OpenMMNonbondedAtom = { by: byType ? "type" : "class", name: str(a, byType ? "type" : "class"), sigma: num(a, "sigma"), epsilon: num(a, "epsilon") };
            if (a.attributes.charge !== undefined) atom.charge = num(a, "charge");
            nb.atoms.push(atom);
          }
        }
        ff.nonbonded = nb;
        break;
      }
      case "CMAPTorsionForce": {
        const cmap: OpenMMCmap = { maps: [], torsions: [] };
        for (const c of section.children) {
          if (c.tag === "Map") {
            const values = c.text.split(/\s+/).filter((s) => s !== "").map(Number);
            const size = Math.round(Math.sqrt(values.length));
            if (values.some((x) => !Number.isFinite(x)) || size * size !== values.length) {
              throw new Error(`${where(c)}: <Map> needs size×size numbers, found ${values.length} entries`);
            }
            cmap.maps.push(values);
          } else if (c.tag === "Torsion") {
            const map = num(c, "map");
            if (!Number.isInteger(map) || map < 0 || map >= cmap.maps.length) throw new Error(`${where(c)}: <Torsion> map="${map}" is not one of the ${cmap.maps.length} maps defined before it`);
            cmap.torsions.push({ ...match(c, 5), map });
          }
        }
        ff.cmap = cmap;
        break;
      }
      default:
        ff.other.push(section);
    }
  }
  return ff;
}

const matchAttributes = (m: OpenMMMatch): Record<string, string> =>
  Object.fromEntries(m.names.map((n, i) => [`${m.by}${i + 1}`, n]));

/** Format force-field data as OpenMM XML text. */
export function writeOpenMMXml(ff: OpenMMForceField): string {
  const children: XmlElement[] = [];
  children.push(el("AtomTypes", {}, ff.atomTypes.map((t) => el("Type", { name: t.name, class: t.class, element: t.element, mass: t.mass }))));
  children.push(el("Residues", {}, ff.residues.map((r) => el("Residue", { name: r.name }, [
    ...r.atoms.map((a) => el("Atom", { name: a.name, type: a.type, charge: a.charge })),
    ...r.bonds.map(([a, b]) => el("Bond", { atomName1: a, atomName2: b })),
    ...r.externalBonds.map((a) => el("ExternalBond", { atomName: a })),
  ]))));
  if (ff.bonds.length > 0) children.push(el("HarmonicBondForce", {}, ff.bonds.map((b) => el("Bond", { ...matchAttributes(b), length: b.length, k: b.k }))));
  if (ff.angles.length > 0) children.push(el("HarmonicAngleForce", {}, ff.angles.map((a) => el("Angle", { ...matchAttributes(a), angle: a.angle, k: a.k }))));
  if (ff.propers.length + ff.impropers.length > 0) {
    const torsion = (tag: string) => (t: OpenMMTorsion) => el(tag, {
      ...matchAttributes(t),
      ...Object.fromEntries(t.terms.flatMap((term, i) => [[`periodicity${i + 1}`, String(term.periodicity)], [`phase${i + 1}`, String(term.phase)], [`k${i + 1}`, String(term.k)]])),
    });
    children.push(el("PeriodicTorsionForce", { ordering: ff.torsionOrdering }, [...ff.propers.map(torsion("Proper")), ...ff.impropers.map(torsion("Improper"))]));
  }
  if (ff.nonbonded !== undefined) {
    const nb = ff.nonbonded;
    children.push(el("NonbondedForce", { coulomb14scale: nb.coulomb14scale, lj14scale: nb.lj14scale }, [
      ...nb.fromResidue.map((n) => el("UseAttributeFromResidue", { name: n })),
      ...nb.atoms.map((a) => el("Atom", { [a.by]: a.name, charge: a.charge, sigma: a.sigma, epsilon: a.epsilon })),
    ]));
  }
  if (ff.cmap !== undefined) {
    children.push(el("CMAPTorsionForce", {}, [
      ...ff.cmap.maps.map((m) => el("Map", {}, [], m.join(" "))),
      ...ff.cmap.torsions.map((t) => el("Torsion", { map: t.map, ...matchAttributes(t) })),
    ]));
  }
  children.push(...ff.other);
  return formatXml(el("ForceField", {}, children)) + "\n";
}

// ---------------------------------------------------------------- GROMACS topology → OpenMM

/** What `topologyToOpenMM` could not express in OpenMM's standard forces, one line each. */
export interface OpenMMConversion {
  forceField: OpenMMForceField;
  skipped: string[];
}

const DEG = Math.PI / 180;
const ELEMENTS = ["", "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar", "K", "Ca",
  "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr", "Nb", "Mo",
  "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe", "Cs", "Ba"];
const wildcard = (n: string) => (n === "X" ? "" : n);

/**
 * Write a topology's type tables as an OpenMM force field: atom types (class = bonded type),
 * one residue template per residue of each molecule type, bondtypes funct 1, angletypes funct 1,
 * dihedraltypes funct 1/9 (propers, consecutive funct-9 entries become one Proper with several
 * terms) and 4 (impropers, GROMACS's third atom — the centre — moved first as OpenMM wants),
 * atom types' σ/ε, fudgeQQ/fudgeLJ as coulomb14scale/lj14scale, and cmaptypes (grid re-indexed
 * from GROMACS's φ-major, −180°-based layout to OpenMM's i + size·j from 0). Needs comb-rule 2
 * (OpenMM's NonbondedForce is Lorentz–Berthelot). What cannot be expressed — Urey–Bradley,
 * Ryckaert–Bellemans, harmonic impropers, pairtypes, nonbond_params, interactions with their own
 * parameters in the molecule (e.g. amber99sb-ildn's residue-specific torsions) — is listed in
 * `skipped` rather than silently dropped.
 */
export function topologyToOpenMM(top: Topology): OpenMMConversion {
  const skipped: string[] = [];
  const combRule = top.defaults?.combRule ?? 2;
  if (combRule !== 2) throw new Error(`topologyToOpenMM: comb-rule ${combRule} cannot be written as an OpenMM NonbondedForce (it combines σ and ε by Lorentz–Berthelot, GROMACS comb-rule 2); a CustomNonbondedForce would be needed`);
  const ff: OpenMMForceField = { atomTypes: [], residues: [], bonds: [], angles: [], propers: [], impropers: [], other: [] };
  for (const t of top.atomTypes) {
    const type: OpenMMAtomType = { name: t.name, class: t.bondType, mass: t.mass };
    const element = ELEMENTS[t.atomicNumber];
    if (element !== undefined && element !== "") type.element = element;
    ff.atomTypes.push(type);
  }
  for (const m of top.moleculeTypes) addResidues(ff, m, skipped);
  for (const b of top.bondTypes) {
    if (b.funct === 1) ff.bonds.push({ by: "class", names: b.types, length: b.params[0], k: b.params[1] });
    else skipped.push(`bondtypes ${b.types.join(" ")} funct ${b.funct}`);
  }
  for (const a of top.angleTypes) {
    if (a.funct === 1) ff.angles.push({ by: "class", names: a.types, angle: a.params[0] * DEG, k: a.params[1] });
    else skipped.push(`angletypes ${a.types.join(" ")} funct ${a.funct}${a.funct === 5 ? " (Urey–Bradley)" : ""}`);
  }
  let previous: { types: string[]; torsion: OpenMMTorsion } | undefined;
  for (const d of top.dihedralTypes) {
    const term = { periodicity: d.params[2], phase: d.params[0] * DEG, k: d.params[1] };
    if (d.funct === 9 && previous !== undefined && previous.types.join() === d.types.join()) {
      previous.torsion.terms.push(term);
      continue;
    }
    previous = undefined;
    if (d.funct === 1 || d.funct === 9) {
      const torsion: OpenMMTorsion = { by: "class", names: d.types.map(wildcard), terms: [term] };
      ff.propers.push(torsion);
      if (d.funct === 9) previous = { types: d.types, torsion };
    } else if (d.funct === 4) {
      const [a, b, c, e] = d.types.map(wildcard);
      ff.impropers.push({ by: "class", names: [c, a, b, e], terms: [term] });
    } else {
      skipped.push(`dihedraltypes ${d.types.join(" ")} funct ${d.funct}`);
    }
  }
  for (const p of top.pairTypes) skipped.push(`pairtypes ${p.types.join(" ")}`);
  for (const p of top.nonbondParams) skipped.push(`nonbond_params ${p.types.join(" ")}`);
  ff.nonbonded = {
    coulomb14scale: top.defaults?.fudgeQQ ?? 1,
    lj14scale: top.defaults?.fudgeLJ ?? 1,
    fromResidue: ["charge"],
    atoms: top.atomTypes.map((t) => ({ by: "type", name: t.name, sigma: t.v, epsilon: t.w })),
  };
  if (top.cmapTypes.length > 0) {
    const cmap: OpenMMCmap = { maps: [], torsions: [] };
    for (const c of top.cmapTypes) {
      if (c.gridX !== c.gridY || c.gridX % 2 !== 0) {
        skipped.push(`cmaptypes ${c.types.join(" ")} (grid ${c.gridX}×${c.gridY}: OpenMM needs a square grid; shifting by 180° needs an even size)`);
        continue;
      }
      const n = c.gridX;
      const map = new Array<number>(n * n);
      // OpenMM element i + n·j is at φ = i·360/n, ψ = j·360/n; GROMACS element iφ·n + iψ at −180 + iφ·360/n
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) map[i + n * j] = c.values[((i + n / 2) % n) * n + ((j + n / 2) % n)];
      cmap.torsions.push({ by: "class", names: c.types, map: cmap.maps.length });
      cmap.maps.push(map);
    }
    ff.cmap = cmap;
  }
  return { forceField: ff, skipped };
}

/** One template per residue of the molecule type (first occurrence of a name wins; a later residue of the same name with other atoms/charges is named NAME_2, NAME_3…). */
function addResidues(ff: OpenMMForceField, m: MoleculeType, skipped: string[]): void {
  const residueOf = m.atoms.map((a) => a.resnr);
  const starts: number[] = [];
  m.atoms.forEach((a, i) => { if (i === 0 || a.resnr !== m.atoms[i - 1].resnr) starts.push(i); });
  for (let s = 0; s < starts.length; s++) {
    const from = starts[s];
    const to = s + 1 < starts.length ? starts[s + 1] : m.atoms.length;
    const atoms = m.atoms.slice(from, to).map((a) => ({ name: a.name, type: a.type, charge: a.charge }));
    const bonds: [string, string][] = [];
    const external = new Set<string>();
    for (const b of [...m.bonds, ...m.constraints]) {
      const [i, j] = b.atoms;
      const inI = i >= from && i < to;
      const inJ = j >= from && j < to;
      if (inI && inJ) bonds.push([m.atoms[i].name, m.atoms[j].name]);
      else if (inI && residueOf[j] !== residueOf[i]) external.add(m.atoms[i].name);
      else if (inJ && residueOf[i] !== residueOf[j]) external.add(m.atoms[j].name);
    }
    // rigid water: the settles imply O–H bonds
    for (const st of m.settles) {
      const o = st.atoms[0];
      if (o >= from && o < to && o + 2 < to) bonds.push([m.atoms[o].name, m.atoms[o + 1].name], [m.atoms[o].name, m.atoms[o + 2].name]);
    }
    const template: OpenMMResidue = { name: m.atoms[from].residue, atoms, bonds, externalBonds: [...external] };
    const same = ff.residues.filter((r) => r.name === template.name || r.name.startsWith(`${template.name}_`));
    if (same.some((r) => JSON.stringify({ ...r, name: "" }) === JSON.stringify({ ...template, name: "" }))) continue;
    if (same.length > 0) template.name = `${template.name}_${same.length + 1}`;
    ff.residues.push(template);
  }
  const own = [...m.bonds, ...m.angles, ...m.dihedrals].filter((it) => it.params.length > 0).length;
  if (own > 0) skipped.push(`${m.name}: ${own} interactions with their own parameters (not type-based)`);
}
