// createSystemFromOpenMM: OpenMM force-field XML + PDB → differentiable system, checked against
// OpenMM 7.7 itself (Reference platform, double precision): per-force energies, forces, the list
// of torsions OpenMM generates (improper atom order included), PME, residue-matching errors, and
// parameter gradients against central differences. Numbers: test/fixtures/ff/openmm/ (made by
// make-openmm-refs.py).
import { test } from "node:test";
const nodeTest = test;
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { np, grad, Tensor } from "../../src/index.js";
import { createSystemFromOpenMM, loadOpenMMSystem, openMMTopology, OpenMMSystem } from "../../src/ff/openmm-system.js";
import { memoryFileSource } from "../../src/ff/gromacs/file-source.js";
import { createForceField } from "../../src/ff/force-field.js";
import { applyParameters } from "../../src/ff/write-back.js";
import { readOpenMMXml } from "../../src/ff/openmm-xml.js";
import { ForceFieldParams } from "../../src/ff/parameters.js";

const DIR = "test/fixtures/ff/openmm";
const PDB: Record<string, string> = {
  capped: readFileSync(`${DIR}/capped.pdb`, "utf8"),
  zwitterion: readFileSync(`${DIR}/zwitterion.pdb`, "utf8"),
  villin: readFileSync(`${DIR}/villin.pdb`, "utf8"),
  // capped.pdb with each residue's atoms in reverse order: improper atom order depends on indices
  reversed: readFileSync(`${DIR}/reversed.pdb`, "utf8"),
};
interface Ref {
  templates: string[];
  nAtoms: number;
  /** Absent for villin (kept small). */
  charges?: number[];
  masses?: number[];
  noCutoff: { energies: Record<string, number>; forces: number[][] };
  bonds: number;
  angles: number;
  torsions: (number | string)[][];
  cutoff: Record<"CutoffNonPeriodic" | "CutoffPeriodic" | "PME", {
    cutoff: number; NonbondedForce: number; forces: number[][]; reactionFieldDielectric?: number; ewaldErrorTolerance?: number; grid?: number[];
  }>;
}
const REFS = JSON.parse(readFileSync(`${DIR}/openmm-refs.json`, "utf8")) as { forcefields: Record<string, { xml: string; systems: Record<string, Ref> }> };
const XMLS: Record<string, string> = Object.fromEntries(Object.entries(REFS.forcefields).map(([k, v]) => [k, readFileSync(`${DIR}/${v.xml}`, "utf8")]));
const XML = XMLS.amber99sb;
const FF = readOpenMMXml(XML, "amber99sb-trimmed.xml");

const relClose = (actual: number, expected: number, rtol: number, what: string) => {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
  assert.ok(err <= rtol, `${what}: ${actual} vs OpenMM ${expected} (relative error ${err.toExponential(2)} > ${rtol})`);
};
const num = (t: Tensor) => t.item() as number;

/** max |F − F_ref| / max |F_ref| over all components. */
function forceError(F: Tensor, ref: number[][]): number {
  const f = F.toArray() as number[][];
  let diff = 0, scale = 0;
  f.forEach((row, i) => row.forEach((x, d) => { diff = Math.max(diff, Math.abs(x - ref[i][d])); scale = Math.max(scale, Math.abs(ref[i][d])); }));
  return diff / scale;
}

const systems = new Map<string, OpenMMSystem>();
const systemForFF = (name: string, ff: string) => {
  let s = systems.get(`${ff}/${name}`);
  if (s === undefined) systems.set(`${ff}/${name}`, (s = createSystemFromOpenMM(PDB[name], XMLS[ff], { name: `${name}.pdb` })));
  return s;
};
const systemFor = (name: string) => systemForFF(name, "amber99sb");

const CASES = [["amber99sb", "capped"], ["amber99sb", "zwitterion"], ["amber99sb", "reversed"], ["amber99sb", "villin"], ["ff14SB", "capped"], ["ff14SB", "zwitterion"], ["ff14SB", "reversed"]];
for (const [ffName, name] of CASES) {
  const ref = REFS.forcefields[ffName].systems[name];
  const test = (title: string, fn: () => void) => nodeTest(`${ffName} ${title}`, fn);
  const systemFor = (n: string) => systemForFF(n, ffName);

  test(`${name}: residues get OpenMM's templates${ref.charges === undefined ? "" : ", charges and masses"}`, () => {
    const s = systemFor(name);
    assert.deepEqual(s.residues.map((r) => r.template.name), ref.templates);
    assert.equal(s.nAtoms, ref.nAtoms);
    if (ref.charges !== undefined && ref.masses !== undefined) {
      const q = (s.topology.moleculeTypes.flatMap((m) => m.atoms.map((a) => a.charge)));
      q.forEach((x, i) => assert.ok(Math.abs(x - ref.charges![i]) < 1e-12, `charge of atom ${i}: ${x} vs ${ref.charges![i]}`));
      Array.from(s.system.masses).forEach((m, i) => assert.ok(Math.abs(m - ref.masses![i]) < 1e-9, `mass of atom ${i}`));
    }
    assert.deepEqual(s.unmatched, []);
  });

  test(`${name}: bonds, angles and torsions (improper atom order included) are the ones OpenMM generates`, () => {
    const s = systemFor(name);
    const sys = s.system, p = s.params;
    assert.equal(sys.bonds.type.length, ref.bonds);
    assert.equal(sys.angles.type.length, ref.angles);
    const rows = (list: typeof sys.properDihedrals, table: ForceFieldParams["properDihedralTypes"]) => {
      const phi0 = list.keys.flatMap((k) => Array.from(table[k].phi0.data()));
      const kphi = list.keys.flatMap((k) => Array.from(table[k].kphi.data()));
      const out: string[] = [];
      for (let r = 0; r < list.term.length; r++) {
        const k = kphi[list.term[r]];
        if (k === 0) continue; // OpenMM adds no term with k = 0
        const atoms = Array.from(list.atoms.slice(4 * r, 4 * r + 4));
        out.push(`${atoms.join(",")}|${list.multiplicity[r]}|${(phi0[list.term[r]] * Math.PI / 180).toFixed(8)}|${k.toFixed(6)}`);
      }
      return out;
    };
    const ours = { proper: rows(sys.properDihedrals, p.properDihedralTypes), improper: rows(sys.periodicImpropers, p.periodicImproperTypes) };
    for (const kind of ["proper", "improper"] as const) {
      if (!ref.torsions.some((t) => t[7] === kind)) continue; // villin lists its impropers only
      const theirs = ref.torsions.filter((t) => t[7] === kind).map((t) => {
        let atoms = t.slice(0, 4) as number[];
        // a proper is the same torsion read backwards; ours are stored first index < last
        if (kind === "proper" && atoms[0] > atoms[3]) atoms = [...atoms].reverse();
        return `${atoms.join(",")}|${t[4]}|${(t[5] as number).toFixed(8)}|${(t[6] as number).toFixed(6)}`;
      });
      const mine = kind === "proper" ? ours.proper.map((r) => {
        const [a, rest] = [r.split("|")[0].split(",").map(Number), r.split("|").slice(1)];
        return [(a[0] > a[3] ? [...a].reverse() : a).join(","), ...rest].join("|");
      }) : ours.improper;
      assert.deepEqual([...mine].sort(), [...theirs].sort(), `${kind} torsions differ from OpenMM's`);
    }
  });

  test(`${name}: NoCutoff energies of every force equal OpenMM's (≤ 1e-6 relative), forces ≤ 1e-5`, () => {
    const s = systemFor(name);
    const e = ref.noCutoff.energies;
    const b = s.breakdownFn()(s.positions, s.params);
    relClose(num(b.Bond), e.HarmonicBondForce, 1e-6, "HarmonicBondForce");
    relClose(num(b.Angle), e.HarmonicAngleForce, 1e-6, "HarmonicAngleForce");
    relClose(num(b["Proper Dih."]), e.propers, 1e-6, "propers");
    relClose(num(b["Per. Imp. Dih."]), e.impropers, 1e-6, "impropers");
    relClose(num(b["Proper Dih."]) + num(b["Per. Imp. Dih."]), e.PeriodicTorsionForce, 1e-6, "PeriodicTorsionForce");
    relClose(num(b["Coulomb (SR)"]) + num(b["Coulomb-14"]), e.coulomb, 1e-6, "Coulomb (NonbondedForce, LJ off)");
    relClose(num(b["LJ (SR)"]) + num(b["LJ-14"]), e.lj, 1e-6, "LJ (NonbondedForce, charges off)");
    relClose(num(b["Coulomb (SR)"]) + num(b["Coulomb-14"]) + num(b["LJ (SR)"]) + num(b["LJ-14"]), e.NonbondedForce, 1e-6, "NonbondedForce");
    relClose(num(b.Potential), e.total, 1e-6, "total");
    const err = forceError(s.forcesFn()(s.positions, s.params), ref.noCutoff.forces);
    assert.ok(err <= 1e-5, `forces differ from OpenMM's by ${err.toExponential(2)} (relative to the largest)`);
  });
}

for (const method of ["CutoffNonPeriodic", "CutoffPeriodic", "PME"] as const) {
  test(`${method}: nonbonded energy and forces equal OpenMM's (cut-off 1 nm, no dispersion correction)`, () => {
    const ref = REFS.forcefields.amber99sb.systems.capped.cutoff[method];
    const s = createSystemFromOpenMM(PDB.capped, FF, { name: "capped.pdb", nonbondedMethod: method, nonbondedCutoff: ref.cutoff, ewaldErrorTolerance: ref.ewaldErrorTolerance });
    const o = s.nonbondedOptions;
    if (method === "PME") {
      assert.deepEqual([o.fourierNx, o.fourierNy, o.fourierNz], ref.grid);
      assert.equal(o.pmeOrder, 5);
    } else {
      assert.equal(o.epsilonRf, ref.reactionFieldDielectric);
    }
    assert.equal(s.box === null, method === "CutoffNonPeriodic");
    const NB = ["LJ (SR)", "Coulomb (SR)", "Coul. recip.", "LJ-14", "Coulomb-14"];
    const nonbonded = (R: Tensor) => {
      const b = s.breakdownFn()(R, s.params, s.box);
      return NB.filter((k) => k in b).map((k) => b[k]).reduce((x, y) => x.add(y));
    };
    relClose(num(nonbonded(s.positions)), ref.NonbondedForce, 1e-6, `${method} NonbondedForce`);
    const err = forceError(grad(nonbonded)(s.positions).neg(), ref.forces);
    assert.ok(err <= 1e-5, `${method} forces differ from OpenMM's by ${err.toExponential(2)}`);
  });
}

test("gradients with respect to force-field parameters match central differences", () => {
  const s = systemFor("capped");
  const E = s.energyFn();
  const g = grad(E, { argnums: 1 })(s.positions, s.params) as ForceFieldParams;
  const bondKey = Object.keys(s.params.bondTypes).find((k) => k === "CT-HC") ?? Object.keys(s.params.bondTypes)[0];
  const angleKey = Object.keys(s.params.angleTypes)[0];
  const properKey = Object.keys(s.params.properDihedralTypes).find((k) => k.startsWith("X-")) ?? Object.keys(s.params.properDihedralTypes)[0];
  const improperKey = Object.keys(s.params.periodicImproperTypes)[0];
  const typeKey = Object.keys(s.params.atomTypes)[2];
  const molecule = Object.keys(s.params.charges)[0];
  type Case = { what: string; get: (p: ForceFieldParams) => Tensor; set: (p: ForceFieldParams, v: Tensor) => ForceFieldParams; index?: number; h: number };
  const cases: Case[] = [
    { what: `bondTypes.${bondKey}.kb`, get: (p) => p.bondTypes[bondKey].kb, set: (p, v) => ({ ...p, bondTypes: { ...p.bondTypes, [bondKey]: { ...p.bondTypes[bondKey], kb: v } } }), h: 10 },
    { what: `angleTypes.${angleKey}.theta0`, get: (p) => p.angleTypes[angleKey].theta0, set: (p, v) => ({ ...p, angleTypes: { ...p.angleTypes, [angleKey]: { ...p.angleTypes[angleKey], theta0: v } } }), h: 1e-3 },
    { what: `properDihedralTypes.${properKey}.kphi[0]`, get: (p) => p.properDihedralTypes[properKey].kphi, set: (p, v) => ({ ...p, properDihedralTypes: { ...p.properDihedralTypes, [properKey]: { ...p.properDihedralTypes[properKey], kphi: v } } }), index: 0, h: 1e-3 },
    { what: `periodicImproperTypes.${improperKey}.phi0[0]`, get: (p) => p.periodicImproperTypes[improperKey].phi0, set: (p, v) => ({ ...p, periodicImproperTypes: { ...p.periodicImproperTypes, [improperKey]: { ...p.periodicImproperTypes[improperKey], phi0: v } } }), index: 0, h: 1e-3 },
    { what: `atomTypes.${typeKey}.sigma`, get: (p) => (p.atomTypes[typeKey] as { sigma: Tensor }).sigma, set: (p, v) => ({ ...p, atomTypes: { ...p.atomTypes, [typeKey]: { ...(p.atomTypes[typeKey] as { sigma: Tensor; epsilon: Tensor }), sigma: v } } }), h: 1e-5 },
    { what: `charges.${molecule}[5]`, get: (p) => p.charges[molecule], set: (p, v) => ({ ...p, charges: { ...p.charges, [molecule]: v } }), index: 5, h: 1e-5 },
  ];
  for (const c of cases) {
    const base = Array.from(c.get(s.params).data());
    const at = (delta: number) => {
      const v = [...base];
      v[c.index ?? 0] += delta;
      return num(E(s.positions, c.set(s.params, c.index === undefined ? np.asarray(v[0]) : np.array(v))));
    };
    const fd = (at(c.h) - at(-c.h)) / (2 * c.h);
    const ad = Array.from(c.get(g).data())[c.index ?? 0];
    assert.ok(Math.abs(ad - fd) <= 1e-6 * Math.max(1, Math.abs(fd)), `∂E/∂${c.what}: autodiff ${ad} vs central difference ${fd}`);
  }
});

test("the parameters are keyed by the force field's classes, and GROMACS-style look-up reproduces OpenMM's choice", () => {
  const t = openMMTopology(PDB.capped, FF, { name: "capped.pdb" });
  const s = systemFor("capped");
  assert.ok("CT-HC" in s.params.bondTypes || "HC-CT" in s.params.bondTypes, `bond type keys: ${Object.keys(s.params.bondTypes).join(" ")}`);
  assert.ok(Object.keys(s.params.properDihedralTypes).some((k) => k.startsWith("X-")), "wildcard propers keep their X-…-X name");
  assert.equal(t.topology.defaults?.fudgeQQ, FF.nonbonded!.coulomb14scale);
  assert.equal(t.topology.defaults?.fudgeLJ, FF.nonbonded!.lj14scale);
  assert.equal(t.explicit, t.topology.moleculeTypes[0].dihedrals.filter((d) => d.params.length > 0).length
    + t.topology.moleculeTypes[0].bonds.filter((d) => d.params.length > 0).length + t.topology.moleculeTypes[0].angles.filter((d) => d.params.length > 0).length);
});

test("entries the type tables cannot hold (by type in a class-based file) give interactions their own numbers, same energy", () => {
  // by-type copies of the CT–HC bond entry, placed first: OpenMM takes them (first match wins)
  const ctHc = FF.bonds.find((b) => b.by === "class" && [...b.names].sort().join() === "CT,HC")!;
  const typesOf = (c: string) => FF.atomTypes.filter((t) => t.class === c).map((t) => t.name);
  const copies = typesOf("CT").flatMap((a) => typesOf("HC").map((b) => ({ ...ctHc, by: "type" as const, names: [a, b] })));
  const ff = { ...FF, bonds: [...copies, ...FF.bonds] };
  const t = openMMTopology(PDB.capped, ff, { name: "capped.pdb" });
  const own = t.topology.moleculeTypes.flatMap((m) => m.bonds.filter((b) => b.params.length > 0));
  assert.ok(own.length > 0 && t.explicit === own.length, `explicit ${t.explicit}, bonds with own numbers ${own.length}`);
  assert.ok(own.every((b) => b.params[0] === ctHc.length && b.params[1] === ctHc.k));
  const s = createSystemFromOpenMM(PDB.capped, ff, { name: "capped.pdb" });
  const ref = REFS.forcefields.amber99sb.systems.capped.noCutoff.energies;
  relClose(num(s.breakdownFn()(s.positions, s.params).Bond), ref.HarmonicBondForce, 1e-12, "bond energy with explicit CT–HC bonds");
  assert.ok(Object.keys(s.params.bondTypes).some((k) => k.includes(":")), "explicit bonds get molecule-local keys");
});

test("fitted parameters write back: applyParameters → createForceField gives the changed energy", () => {
  const s = systemFor("capped");
  const key = Object.keys(s.params.properDihedralTypes).find((k) => k.startsWith("X-"))!;
  const changed = { ...s.params, properDihedralTypes: { ...s.params.properDihedralTypes, [key]: { ...s.params.properDihedralTypes[key], kphi: s.params.properDihedralTypes[key].kphi.mul(1.5) } } };
  const expected = num(s.energyFn()(s.positions, changed));
  const back = createForceField(applyParameters(s, changed), { positions: s.positions });
  relClose(num(back.energyFn(s.nonbondedOptions)(back.positions, back.params)), expected, 1e-12, "energy after write-back");
  assert.notEqual(expected, REFS.forcefields.amber99sb.systems.capped.noCutoff.energies.total);
});

test("loadOpenMMSystem reads the files and follows <Include>, giving the same system", () => {
  const s = loadOpenMMSystem({ pdb: `${DIR}/capped.pdb`, forceFields: [`${DIR}/amber99sb-trimmed.xml`] });
  const ref = REFS.forcefields.amber99sb.systems.capped.noCutoff.energies;
  relClose(num(s.energyFn()(s.positions, s.params)), ref.total, 1e-12, "loadOpenMMSystem total");
  const files = memoryFileSource({
    "ff/all.xml": `<ForceField><Include file="parts/amber.xml"/></ForceField>`,
    "ff/parts/amber.xml": XML,
    "capped.pdb": PDB.capped,
  });
  const viaInclude = loadOpenMMSystem({ pdb: "capped.pdb", forceFields: ["ff/all.xml"], source: files });
  relClose(num(viaInclude.energyFn()(viaInclude.positions, viaInclude.params)), ref.total, 1e-12, "through <Include>");
  const cycle = memoryFileSource({ "a.xml": `<ForceField><Include file="b.xml"/></ForceField>`, "b.xml": `<ForceField><Include file="a.xml"/></ForceField>`, "x.pdb": PDB.capped });
  assert.throws(() => loadOpenMMSystem({ pdb: "x.pdb", forceFields: ["a.xml"], source: cycle }), /a\.xml includes b\.xml includes a\.xml: an include cycle/);
});

test("separate molecules become molecule types; identical consecutive ones one [ molecules ] line", () => {
  // three flexible waters (a TIP3P-like template written for this test) after the peptide
  const water = `<ForceField>
 <AtomTypes><Type name="OW" class="OW" element="O" mass="15.99943"/><Type name="HW" class="HW" element="H" mass="1.007947"/></AtomTypes>
 <Residues><Residue name="HOH"><Atom name="O" type="OW"/><Atom name="H1" type="HW"/><Atom name="H2" type="HW"/><Bond atomName1="O" atomName2="H1"/><Bond atomName1="O" atomName2="H2"/></Residue></Residues>
 <HarmonicBondForce><Bond class1="OW" class2="HW" length="0.09572" k="462750.4"/></HarmonicBondForce>
 <HarmonicAngleForce><Angle class1="HW" class2="OW" class3="HW" angle="1.82421813418" k="836.8"/></HarmonicAngleForce>
 <NonbondedForce coulomb14scale="0.833333" lj14scale="0.5"><Atom type="OW" charge="-0.834" sigma="0.315061" epsilon="0.636386"/><Atom type="HW" charge="0.417" sigma="1" epsilon="0"/></NonbondedForce>
</ForceField>`;
  const at = (serial: number, name: string, resnr: number, x: number, y: number, z: number, el: string) =>
    `HETATM${String(serial).padStart(5)} ${name.padEnd(4)} HOH B${String(resnr).padStart(4)}    ${x.toFixed(3).padStart(8)}${y.toFixed(3).padStart(8)}${z.toFixed(3).padStart(8)}  1.00  0.00          ${el.padStart(2)}`;
  const waters = [0, 1, 2].flatMap((k) => [at(60 + 3 * k, "O", k + 1, 5 * k, 30, 0, "O"), at(61 + 3 * k, "H1", k + 1, 5 * k + 0.96, 30, 0, "H"), at(62 + 3 * k, "H2", k + 1, 5 * k - 0.24, 30.93, 0, "H")]);
  const body = PDB.capped.split("\n").filter((l) => /^(ATOM|HETATM|CONECT|TER)/.test(l));
  const pdb = [...body, ...waters, "END"].join("\n");
  const t = openMMTopology(pdb, [XML, water]);
  assert.deepEqual(t.topology.molecules.map((m) => [m.name, m.count]), [["chain_A", 1], ["HOH", 3]]);
  const hoh = t.topology.moleculeTypes.find((m) => m.name === "HOH")!;
  assert.equal(hoh.bonds.length, 2);
  assert.equal(hoh.angles.length, 1);
  const s = createSystemFromOpenMM(pdb, [XML, water]);
  const b = s.breakdownFn()(s.positions, s.params);
  // the waters' own energy: their bonds (r = 0.096 vs 0.09572 nm) and angles only add to the peptide's
  const peptide = systemFor("capped").breakdownFn()(systemFor("capped").positions, systemFor("capped").params);
  const dr = [0.096 - 0.09572, Math.hypot(-0.024, 0.093) - 0.09572];
  relClose(num(b.Bond) - num(peptide.Bond), 3 * dr.reduce((e, d) => e + 0.5 * 462750.4 * d * d, 0), 1e-9, "water bond energy");
});

// ---------------------------------------------------------------- residue-matching errors

const lines = PDB.capped.split("\n");
const without = (pred: (l: string) => boolean) => lines.filter((l) => !pred(l)).join("\n");

test("a residue missing an atom names the residue and the missing atom", () => {
  const pdb = without((l) => / HB3 ALA A   4/.test(l) || l.startsWith("CONECT"));
  assert.throws(() => createSystemFromOpenMM(pdb, XML, { name: "bad.pdb" }), (e: Error) =>
    /bad\.pdb: residue A 4 ALA \(9 atoms\) matches no residue template/.test(e.message) && /missing HB3/.test(e.message) && /ALA/.test(e.message));
});

test("a chain end without a terminal template or cap says so", () => {
  const pdb = without((l) => / NME A /.test(l) || l.startsWith("CONECT"));
  assert.throws(() => createSystemFromOpenMM(pdb, XML, { name: "nocap.pdb" }), (e: Error) =>
    /residue A 4 ALA/.test(e.message) && /the atom names match, but the template bonds to neighbouring residues at C, N and this residue at N/.test(e.message) && /terminal template or a cap/.test(e.message));
});

test("a residue with an extra atom names the closest template and the extra atom", () => {
  const hb3 = lines.findIndex((l) => / HB3 ALA A   4/.test(l));
  const extra = lines[hb3].replace(" HB3 ALA", " XX1 ALA").replace(/^(.{30}).{8}/, (_, head: string) => `${head}${"99.000".padStart(8)}`);
  const pdb = [...lines.slice(0, hb3 + 1), extra, ...lines.slice(hb3 + 1)].filter((l) => !l.startsWith("CONECT")).join("\n");
  assert.throws(() => createSystemFromOpenMM(pdb, XML, { name: "x.pdb" }), (e: Error) =>
    /x\.pdb: residue A 4 ALA \(11 atoms\) matches no residue template; closest is ALA: extra XX1$/.test(e.message));
});

test("atoms named as OpenMM writes them (NME's C, an N-terminal H) are paired with the template's by element and geometry", () => {
  assert.ok(/ C   NME/.test(PDB.capped) && !/CH3 NME/.test(PDB.capped), "the fixture keeps OpenMM's name C for NME's methyl carbon");
  const nme = systemFor("capped").residues[4];
  const c = nme.atoms.findIndex((_, j) => nme.template.atoms[nme.templateAtom[j]].name === "CH3");
  assert.equal(nme.template.name, "NME");
  assert.ok(c >= 0);
  // a hydrogen moved far from its carbon no longer fits: no silent mis-assignment
  const far = PDB.capped.split("\n").map((l) => (/HH31 NME/.test(l) ? l.replace(/^(.{30}).{8}/, (_, h: string) => `${h}${"99.000".padStart(8)}`) : l)).join("\n");
  assert.throws(() => createSystemFromOpenMM(far, XML), /residue A 5 NME \(6 atoms\) matches no residue template/);
});

test("residueTemplates that do not fit, and force fields with unsupported forces, are refused clearly", () => {
  assert.throws(() => createSystemFromOpenMM(PDB.capped, XML, { residueTemplates: { "A:4": "NALA" } }), /residue A 4 ALA does not fit the template NALA it was given: missing H1, H2, H3; extra H/);
  assert.throws(() => createSystemFromOpenMM(PDB.capped, XML, { residueTemplates: { "A:4": "NOPE" } }), /no such template/);
  const cmap = XML.replace("</ForceField>", "<CMAPTorsionForce><Map>0 0 0 0</Map><Torsion map=\"0\" class1=\"C\" class2=\"N\" class3=\"CT\" class4=\"C\" class5=\"N\"/></CMAPTorsionForce></ForceField>");
  assert.throws(() => createSystemFromOpenMM(PDB.capped, cmap), /CMAPTorsionForce, which is not supported/);
  assert.throws(() => createSystemFromOpenMM(PDB.capped, XML, { nonbondedMethod: "Ewald" as "PME" }), /nonbondedMethod "Ewald" is not supported/);
  const noBox = lines.filter((l) => !l.startsWith("CRYST1")).join("\n");
  assert.throws(() => createSystemFromOpenMM(noBox, XML, { nonbondedMethod: "PME", name: "nobox.pdb" }), /needs a periodic box, and nobox\.pdb has no CRYST1/);
});
