// .gro coordinates: the pdb2gmx output, spc216, a triclinic box, velocities, round trip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readGro, writeGro } from "../../src/ff/gromacs/gro.js";
import { readGroFile, readTopFile } from "../../src/io/index.js";
import { systemAtomCount } from "../../src/ff/topology.js";

test("spc216.gro: 648 atoms, the cubic box, and the first water as written", () => {
  const g = readGroFile("test/fixtures/ff/spc216.gro");
  assert.equal(g.atoms.length, 648);
  assert.deepEqual(g.box, [[1.86206, 0, 0], [0, 1.86206, 0], [0, 0, 1.86206]]);
  const line = readFileSync("test/fixtures/ff/spc216.gro", "utf8").split("\n")[2];
  assert.deepEqual(g.atoms[0], { resnr: Number(line.slice(0, 5)), residue: line.slice(5, 10).trim(), name: line.slice(10, 15).trim(), number: 1 });
  assert.deepEqual(g.positions[0], [20, 28, 36].map((c) => Number(line.slice(c, c + 8))));
  assert.equal(g.velocities, undefined);
  const top = readTopFile("test/fixtures/ff/spc216.top", { libraryDirs: ["test/fixtures/ff/top"] });
  assert.equal(systemAtomCount(top), g.atoms.length);
});

test("pdb2gmx .gro files match their topologies atom for atom", () => {
  for (const ff of ["amber99sb-ildn", "charmm27", "oplsaa"]) {
    const g = readGroFile(`test/fixtures/ff/peptide-${ff}.gro`);
    const top = readTopFile(`test/fixtures/ff/peptide-${ff}.top`, { libraryDirs: ["test/fixtures/ff/top"] });
    const atoms = top.moleculeTypes[0].atoms;
    assert.equal(g.atoms.length, atoms.length);
    g.atoms.forEach((a, i) => assert.deepEqual([a.resnr, a.residue, a.name], [atoms[i].resnr, atoms[i].residue, atoms[i].name], `${ff} atom ${i + 1}`));
  }
});

test("a triclinic box line (9 numbers, GROMACS order) becomes box vectors a, b, c", () => {
  // a rhombic dodecahedron box as gmx editconf -bt dodecahedron writes it
  const text = ["dodecahedron", "    1", "    1SOL     OW    1   0.126   1.624   1.679  0.1744 -0.5341 -0.0178",
    "   3.00000   3.00000   2.12132   0.00000   0.00000   0.00000   0.00000   1.50000   1.50000"].join("\n");
  const g = readGro(text, "box.gro");
  assert.deepEqual(g.box, [[3, 0, 0], [0, 3, 0], [1.5, 1.5, 2.12132]]);
  assert.deepEqual(g.velocities, [[0.1744, -0.5341, -0.0178]]);
  const again = readGro(writeGro(g), "again.gro");
  assert.deepEqual(again, g);
});

test("higher-precision .gro (wider fields) is read from the decimal-point spacing", () => {
  const text = ["hi-res", "    2", "    1SOL     OW    1    0.12600    1.62400    1.67900", "    1SOL    HW1    2   -0.01250    1.00000   10.50000", "   2.0   2.0   2.0"].join("\n");
  assert.deepEqual(readGro(text).positions, [[0.126, 1.624, 1.679], [-0.0125, 1, 10.5]]);
});

test("write → read keeps positions to the written 3 decimals and the atoms exactly", () => {
  const g = readGroFile("test/fixtures/ff/peptide-charmm27.gro");
  assert.deepEqual(readGro(writeGro(g)), g);
});
