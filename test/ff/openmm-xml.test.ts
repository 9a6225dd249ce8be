// OpenMM force-field XML: reading the format DMFF/OpenMM use, writing it back, converting a
// GROMACS topology's type tables to it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readTopFile } from "../../src/io/index.js";
import { readOpenMMXml, writeOpenMMXml, topologyToOpenMM, parseXml } from "../../src/ff/openmm-xml.js";

const LIB = ["test/fixtures/ff/top"];

// A small force field in the style of OpenMM's amber14 files / DMFF's examples (numbers are
// amber99sb's, angles in radians as OpenMM stores them).
const SAMPLE = `<?xml version="1.0" encoding="utf-8"?>
<!-- a comment, with <tags> inside -->
<ForceField>
 <AtomTypes>
  <Type name="ACE-C" class="C" element="C" mass="12.01"/>
  <Type name="ACE-O" class="O" element="O" mass="16.0"/>
  <Type name="ACE-CH3" class="CT" element="C" mass="12.01"/>
 </AtomTypes>
 <Residues>
  <Residue name="ACE">
   <Atom name="C" type="ACE-C" charge="0.5972"/>
   <Atom name="O" type="ACE-O" charge="-0.5679"/>
   <Atom name="CH3" type="ACE-CH3" charge="-0.3662"/>
   <Bond from="0" to="1"/>
   <Bond atomName1="C" atomName2="CH3"/>
   <ExternalBond atomName="C"/>
  </Residue>
 </Residues>
 <HarmonicBondForce>
  <Bond class1="C" class2="O" length="0.1229" k="476976.0"/>
  <Bond type1="ACE-C" type2="ACE-CH3" length="0.1522" k="265265.6"/>
 </HarmonicBondForce>
 <HarmonicAngleForce>
  <Angle class1="CT" class2="C" class3="O" angle="2.101523" k="669.44"/>
 </HarmonicAngleForce>
 <PeriodicTorsionForce ordering="amber">
  <Proper class1="" class2="C" class3="CT" class4="" periodicity1="2" phase1="3.141592653589793" k1="4.6024" periodicity2="1" phase2="0.0" k2="0.8368"/>
  <Improper class1="C" class2="" class3="" class4="O" periodicity1="2" phase1="3.14159265359" k1="43.932"/>
 </PeriodicTorsionForce>
 <NonbondedForce coulomb14scale="0.833333" lj14scale="0.5">
  <UseAttributeFromResidue name="charge"/>
  <Atom type="ACE-C" sigma="0.339967" epsilon="0.359824"/>
  <Atom class="O" sigma="0.295992" epsilon="0.87864"/>
 </NonbondedForce>
 <CMAPTorsionForce>
  <Map>
   1 2 3
   4 5 6 7 8 &#57;
  </Map>
  <Torsion map="0" class1="C" class2="N" class3="CT" class4="C" class5="N"/>
 </CMAPTorsionForce>
 <Script>import something</Script>
</ForceField>
`;

test("reads every section of an OpenMM/DMFF force-field file", () => {
  const ff = readOpenMMXml(SAMPLE, "sample.xml");
  assert.deepEqual(ff.atomTypes[0], { name: "ACE-C", class: "C", element: "C", mass: 12.01 });
  assert.deepEqual(ff.residues[0].bonds, [["C", "O"], ["C", "CH3"]]);
  assert.deepEqual(ff.residues[0].externalBonds, ["C"]);
  assert.deepEqual(ff.residues[0].atoms[2], { name: "CH3", type: "ACE-CH3", charge: -0.3662 });
  assert.deepEqual(ff.bonds[1], { by: "type", names: ["ACE-C", "ACE-CH3"], length: 0.1522, k: 265265.6 });
  assert.deepEqual(ff.angles[0], { by: "class", names: ["CT", "C", "O"], angle: 2.101523, k: 669.44 });
  assert.deepEqual(ff.propers[0].names, ["", "C", "CT", ""]);
  assert.deepEqual(ff.propers[0].terms, [{ periodicity: 2, phase: Math.PI, k: 4.6024 }, { periodicity: 1, phase: 0, k: 0.8368 }]);
  assert.equal(ff.impropers.length, 1);
  assert.equal(ff.torsionOrdering, "amber");
  assert.deepEqual(ff.nonbonded, {
    coulomb14scale: 0.833333, lj14scale: 0.5, fromResidue: ["charge"],
    atoms: [{ by: "type", name: "ACE-C", sigma: 0.339967, epsilon: 0.359824 }, { by: "class", name: "O", sigma: 0.295992, epsilon: 0.87864 }],
  });
  assert.deepEqual(ff.cmap?.maps, [[1, 2, 3, 4, 5, 6, 7, 8, 9]]);
  assert.deepEqual(ff.cmap?.torsions, [{ by: "class", names: ["C", "N", "CT", "C", "N"], map: 0 }]);
  assert.deepEqual(ff.other.map((e) => [e.tag, e.text]), [["Script", "import something"]]);
});

test("write → read gives identical force-field data", () => {
  const ff = readOpenMMXml(SAMPLE, "sample.xml");
  const again = readOpenMMXml(writeOpenMMXml(ff), "written.xml");
  // `line` of verbatim elements differs between the two texts; compare without it
  const strip = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === "line" ? undefined : v)));
  assert.deepEqual(strip(again), strip(ff));
});

test("amber99sb-ildn topology → OpenMM XML → read gives the same data; types and units converted", () => {
  const top = readTopFile("test/fixtures/ff/peptide-amber99sb-ildn.top", { libraryDirs: LIB });
  const { forceField, skipped } = topologyToOpenMM(top);
  const again = readOpenMMXml(writeOpenMMXml(forceField), "amber.xml");
  assert.deepEqual(again, forceField);
  // bondtypes C-CT funct 1: 0.15220 nm, 265265.6 kJ/mol/nm² (same units and ½k convention)
  const bt = top.bondTypes.find((b) => b.types.join() === "C,CT")!;
  assert.deepEqual(forceField.bonds.find((b) => b.names.join() === "C,CT"), { by: "class", names: ["C", "CT"], length: bt.params[0], k: bt.params[1] });
  // angle degrees → radians
  const at = top.angleTypes[0];
  const angle = forceField.angles[0];
  assert.ok(Math.abs(angle.angle - (at.params[0] * Math.PI) / 180) < 1e-15);
  // consecutive funct-9 dihedraltypes with the same names became one Proper with several terms
  const nTerms = forceField.propers.reduce((s, p) => s + p.terms.length, 0);
  assert.equal(nTerms, top.dihedralTypes.filter((d) => d.funct === 9 || d.funct === 1).length);
  assert.ok(forceField.propers.some((p) => p.terms.length === 3));
  // amber impropers: GROMACS's third atom (the centre) goes first
  const imp = top.dihedralTypes.find((d) => d.funct === 4)!;
  const expected = [imp.types[2], imp.types[0], imp.types[1], imp.types[3]].map((n) => (n === "X" ? "" : n));
  assert.deepEqual(forceField.impropers[0].names, expected);
  assert.equal(forceField.nonbonded?.coulomb14scale, 0.8333);
  assert.equal(forceField.nonbonded?.lj14scale, 0.5);
  // three residues, charges summing to the molecule's
  assert.deepEqual(forceField.residues.map((r) => r.name), ["ILE", "ASN", "ALA"]);
  const q = forceField.residues.flatMap((r) => r.atoms).reduce((s, a) => s + (a.charge ?? 0), 0);
  assert.ok(Math.abs(q - top.moleculeTypes[0].atoms.reduce((s, a) => s + a.charge, 0)) < 1e-12);
  assert.deepEqual(forceField.residues[0].externalBonds, ["C"]);
  // the ILDN residue-specific torsions are explicit in the molecule and cannot be class-based
  assert.ok(skipped.some((s) => /interactions with their own parameters/.test(s)), skipped.join("; "));
});

test("charmm27 CMAP grid is re-indexed from GROMACS (φ-major, from −180°) to OpenMM (i + n·j, from 0)", () => {
  const top = readTopFile("test/fixtures/ff/peptide-charmm27.top", { libraryDirs: LIB });
  const { forceField, skipped } = topologyToOpenMM(top);
  const c = top.cmapTypes[0];
  const n = c.gridX;
  const map = forceField.cmap!.maps[0];
  const gromacs = (phiDeg: number, psiDeg: number) => c.values[(((phiDeg + 180) / (360 / n)) % n) * n + (((psiDeg + 180) / (360 / n)) % n)];
  const openmm = (phiDeg: number, psiDeg: number) => map[((phiDeg + 360) % 360) / (360 / n) + n * (((psiDeg + 360) % 360) / (360 / n))];
  for (const [phi, psi] of [[0, 0], [-180, -180], [-60, 45], [165, -15], [30, -150]]) assert.equal(openmm(phi, psi), gromacs(phi, psi), `φ=${phi} ψ=${psi}`);
  assert.ok(skipped.some((s) => /Urey–Bradley/.test(s)));
  assert.deepEqual(readOpenMMXml(writeOpenMMXml(forceField)), forceField);
});

test("comb-rule 3 (OPLS) is refused with the reason", () => {
  const top = readTopFile("test/fixtures/ff/peptide-oplsaa.top", { libraryDirs: LIB });
  assert.throws(() => topologyToOpenMM(top), /comb-rule 3 cannot be written as an OpenMM NonbondedForce/);
});

test("malformed XML and force-field files name file and line", () => {
  assert.throws(() => parseXml("<A>\n<B>\n</A>", "x.xml"), /^Error: x\.xml:3: closing <\/A> does not match <B> opened at line 2/);
  assert.throws(() => parseXml("<A>\n<B/>", "x.xml"), /x\.xml:2: <A> opened at line 1 is never closed/);
  assert.throws(() => parseXml('<A b="1" c>', "x.xml"), /x\.xml:1: malformed attributes/);
  assert.throws(() => parseXml("<A>&nbsp;</A>", "x.xml"), /unknown entity &nbsp;/);
  assert.throws(() => readOpenMMXml('<ForceField>\n<HarmonicBondForce>\n<Bond class1="C" class2="O" length="0.1x" k="1"/>\n</HarmonicBondForce>\n</ForceField>', "ff.xml"),
    /ff\.xml:3: <Bond> length="0\.1x" is not a number/);
  assert.throws(() => readOpenMMXml('<ForceField>\n<HarmonicBondForce>\n<Bond class1="C" type2="O" length="0.1" k="1"/>\n</HarmonicBondForce>\n</ForceField>', "ff.xml"),
    /ff\.xml:3: <Bond> mixes type and class attributes/);
  assert.throws(() => readOpenMMXml("<ForceField><HarmonicAngleForce><Angle class1='A' class2='B' class3='C' k='1'/></HarmonicAngleForce></ForceField>", "ff.xml"),
    /ff\.xml:1: <Angle> needs the attribute angle/);
  assert.throws(() => readOpenMMXml("<Other/>", "ff.xml"), /expected <ForceField> as the root element/);
  assert.throws(() => readOpenMMXml("<ForceField><CMAPTorsionForce><Map>1 2 3</Map></CMAPTorsionForce></ForceField>", "ff.xml"), /<Map> needs size×size numbers, found 3/);
});
