// GROMACS topology reader/writer against real pdb2gmx output and the counts `gmx dump` reports
// for the same files (test/fixtures/ff/counts.json, made by make-fixtures.sh).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readTopFile } from "../../src/io/index.js";
import { parseTop } from "../../src/ff/gromacs/top-reader.js";
import { writeTop } from "../../src/ff/gromacs/top-writer.js";
import { interactionParameters, bondTypeMap } from "../../src/ff/gromacs/type-lookup.js";
import { Topology, moleculeType, systemAtomCount } from "../../src/ff/topology.js";

const DIR = "test/fixtures/ff";
const LIB = [`${DIR}/top`];
const counts = JSON.parse(readFileSync(`${DIR}/counts.json`, "utf8")) as Record<string, Record<string, Record<string, number>>>;

const SYSTEMS: { name: string; top: string; defines?: Record<string, string> }[] = [
  { name: "peptide-amber99sb-ildn", top: "peptide-amber99sb-ildn.top" },
  { name: "peptide-charmm27", top: "peptide-charmm27.top" },
  { name: "peptide-oplsaa", top: "peptide-oplsaa.top" },
  { name: "spc216", top: "spc216.top" },
  { name: "spc216-flexible", top: "spc216.top", defines: { FLEXIBLE: "" } },
];

const read = (file: string, defines?: Record<string, string>): Topology => readTopFile(`${DIR}/${file}`, { libraryDirs: LIB, defines });

/** Interaction counts under GROMACS's names (as `gmx dump` lists them), from our topology. */
function ourCounts(top: Topology, molName: string): Record<string, number> {
  const m = moleculeType(top, molName);
  const bt = bondTypeMap(top);
  const out: Record<string, number> = { atoms: m.atoms.length };
  const add = (key: string, n: number) => { if (n > 0) out[key] = (out[key] ?? 0) + n; };
  for (const b of m.bonds) add(b.funct === 1 ? "Bond" : `bond funct ${b.funct}`, 1);
  for (const a of m.angles) add(a.funct === 1 ? "Angle" : a.funct === 5 ? "U-B" : `angle funct ${a.funct}`, 1);
  for (const d of m.dihedrals) {
    // a funct-9 dihedral is one GROMACS interaction per periodic term; grompp drops torsion
    // terms that add nothing: periodic ones with force constant 0 (amber's "X CT N X 9 0.0 0.0 0",
    // charmm's "… 9 0.0 0.0 1") and ones whose parameters are all zero (oplsaa's RB 0 0 0 0 0 0)
    const periodic = d.funct === 1 || d.funct === 4 || d.funct === 9;
    const terms = interactionParameters(top, m, "dihedrals", d, bt).filter((p) => (periodic ? p[1] !== 0 : p.some((x) => x !== 0)));
    if (d.funct === 1 || d.funct === 9) add("Proper Dih.", terms.length);
    else add({ 2: "Improper Dih.", 3: "Ryckaert-Bell.", 4: "Per. Imp. Dih.", 5: "Fourier Dih." }[d.funct] ?? `dihedral funct ${d.funct}`, terms.length);
  }
  add("LJ-14", m.pairs.length);
  add("CMAP Dih.", m.cmap.length);
  add("Settle", m.settles.length);
  return out;
}

for (const sys of SYSTEMS) {
  test(`${sys.name}: interaction counts equal gmx dump of the grompp'ed .tpr`, () => {
    const top = read(sys.top, sys.defines);
    const expected = counts[sys.name];
    assert.deepEqual(Object.keys(top.moleculeTypes.filter((m) => top.molecules.some((c) => c.name === m.name)).reduce((o, m) => ({ ...o, [m.name]: 1 }), {})).sort(), Object.keys(expected).sort());
    for (const name of Object.keys(expected)) assert.deepEqual(ourCounts(top, name), expected[name], `${sys.name} ${name}`);
  });

  test(`${sys.name}: every listed interaction finds parameters (own or from the type tables)`, () => {
    const top = read(sys.top, sys.defines);
    const bt = bondTypeMap(top);
    for (const m of top.moleculeTypes) {
      for (const section of ["bonds", "angles", "dihedrals"] as const) {
        for (const it of m[section]) {
          const sets = interactionParameters(top, m, section, it, bt);
          assert.ok(sets.length > 0 && sets.every((p) => p.length > 0), `${sys.name} ${section} ${it.atoms.map((a) => a + 1).join("-")} has no parameters`);
        }
      }
    }
  });

  test(`${sys.name}: read → write → read gives identical data`, () => {
    const top = read(sys.top, sys.defines);
    const text = writeTop(top);
    assert.ok(!text.includes("#include"), "written topology is self-contained");
    assert.deepEqual(parseTop(text, "written.top"), top);
  });
}

test("[ defaults ] and atom types of the three force fields", () => {
  const amber = read("peptide-amber99sb-ildn.top");
  assert.deepEqual(amber.defaults, { nbfunc: 1, combRule: 2, genPairs: true, fudgeLJ: 0.5, fudgeQQ: 0.8333 });
  const ct = amber.atomTypes.find((t) => t.name === "CT");
  // amber's ffnonbonded.itp: "CT 6 12.01 0.0000 A 3.39967e-01 4.57730e-01" (no bonded-type column)
  assert.deepEqual(ct, { name: "CT", bondType: "CT", atomicNumber: 6, mass: 12.01, charge: 0, ptype: "A", v: 3.39967e-01, w: 4.57730e-01 });
  const opls = read("peptide-oplsaa.top");
  assert.deepEqual(opls.defaults, { nbfunc: 1, combRule: 3, genPairs: true, fudgeLJ: 0.5, fudgeQQ: 0.5 });
  const o116 = read("spc216.top").atomTypes.find((t) => t.name === "opls_116");
  assert.equal(o116?.bondType, "OW"); // oplsaa's 8-column form carries the bonded type
  assert.equal(o116?.atomicNumber, 8);
  const charmm = read("peptide-charmm27.top");
  assert.deepEqual(charmm.defaults, { nbfunc: 1, combRule: 2, genPairs: true, fudgeLJ: 1, fudgeQQ: 1 });
  assert.equal(charmm.cmapTypes.length > 0, true);
  for (const c of charmm.cmapTypes) assert.equal(c.values.length, c.gridX * c.gridY);
});

test("#define macros in [ dihedrals ] expand to the numbers the force field defines", () => {
  const top = read("peptide-amber99sb-ildn.top");
  const ffbonded = readFileSync(`${DIR}/top/amber99sb-ildn.ff/ffbonded.itp`, "utf8");
  const define = /^#define\s+torsion_ILE_N_CA_CB_CG2_mult1\s+(.*)$/m.exec(ffbonded);
  assert.ok(define !== null);
  const expected = define[1].split(";")[0].trim().split(/\s+/).map(Number);
  const m = moleculeType(top, "Protein_chain_A");
  // pdb2gmx wrote "1 5 7 9 9 torsion_ILE_N_CA_CB_CG2_mult1"
  const d = m.dihedrals.find((x) => x.atoms.join() === "0,4,6,8" && x.funct === 9 && x.params.length > 0);
  assert.deepEqual(d?.params, expected);
});

test("the three-term ILDN backbone torsion: consecutive funct-9 dihedraltypes are one dihedral's terms", () => {
  const top = read("peptide-charmm27.top");
  const m = moleculeType(top, "Protein_chain_A");
  const bt = bondTypeMap(top);
  const multi = m.dihedrals.map((d) => interactionParameters(top, m, "dihedrals", d, bt)).filter((p) => p.length > 1);
  assert.ok(multi.length > 0, "charmm27 has multi-term dihedrals");
  for (const sets of multi) {
    const multiplicities = sets.map((p) => p[2]);
    assert.equal(new Set(multiplicities).size, multiplicities.length, "each term its own multiplicity");
  }
});

test("#ifdef POSRES includes the position restraints pdb2gmx wrote", () => {
  const plain = read("peptide-amber99sb-ildn.top");
  assert.equal(moleculeType(plain, "Protein_chain_A").positionRestraints.length, 0);
  const restrained = read("peptide-amber99sb-ildn.top", { POSRES: "" });
  const posre = readFileSync(`${DIR}/posre-peptide-amber99sb-ildn.itp`, "utf8").split("\n").filter((l) => /^\s*\d/.test(l));
  const pr = moleculeType(restrained, "Protein_chain_A").positionRestraints;
  assert.equal(pr.length, posre.length);
  assert.deepEqual(pr[0], { atoms: [Number(posre[0].trim().split(/\s+/)[0]) - 1], funct: 1, params: [1000, 1000, 1000] });
  assert.deepEqual(parseTop(writeTop(restrained), "posre.top"), restrained);
});

test("spc216: FLEXIBLE switches settles for bonds and angles; system size", () => {
  const rigid = read("spc216.top");
  const sol = moleculeType(rigid, "SOL");
  assert.deepEqual(sol.settles, [{ atoms: [0], funct: 1, params: [0.1, 0.1633] }]);
  assert.deepEqual(sol.exclusions, [[0, 1, 2], [1, 0, 2], [2, 0, 1]]);
  assert.equal(systemAtomCount(rigid), 648);
  assert.equal(rigid.system, "spc216");
  const flexible = moleculeType(read("spc216.top", { FLEXIBLE: "" }), "SOL");
  assert.equal(flexible.settles.length, 0);
  assert.deepEqual(flexible.bonds[0], { atoms: [0, 1], funct: 1, params: [0.1, 345000, 0.1, 345000] });
});
