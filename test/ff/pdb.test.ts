// PDB reader/writer: the peptide built for the fixtures (Å in the file, nm in memory).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readPdb, writePdb, cellToBox, boxToCell } from "../../src/ff/pdb.js";
import { readPdbFile } from "../../src/io/index.js";

const PDB = "test/fixtures/ff/peptide.pdb";

test("peptide.pdb: atoms, residues, Å → nm, CRYST1 and TER", () => {
  const s = readPdbFile(PDB);
  const lines = readFileSync(PDB, "utf8").split("\n").filter((l) => l.startsWith("ATOM"));
  assert.equal(s.atoms.length, lines.length);
  assert.deepEqual([s.atoms[0].name, s.atoms[0].residue, s.atoms[0].resnr, s.atoms[0].chain, s.atoms[0].element], ["N", "ILE", 1, "A", "N"]);
  const last = lines[lines.length - 1];
  assert.deepEqual(s.positions[lines.length - 1], [30, 38, 46].map((c) => Number(last.slice(c, c + 8)) / 10));
  assert.deepEqual(s.box, [[4, 0, 0], [0, 4, 0], [0, 0, 4]]);
  assert.deepEqual(s.chainEnds, [lines.length - 1]);
  assert.deepEqual(new Set(s.atoms.map((a) => a.residue)), new Set(["ILE", "ASN", "ALA"]));
});

test("write → read gives the same structure (positions to the written 0.001 Å)", () => {
  const s = readPdbFile(PDB);
  const again = readPdb(writePdb(s));
  assert.deepEqual(again.atoms, s.atoms);
  assert.deepEqual(again.box, s.box);
  assert.deepEqual(again.chainEnds, s.chainEnds);
  again.positions.forEach((p, i) => p.forEach((x, k) => assert.ok(Math.abs(x - s.positions[i][k]) < 1e-12)));
});

test("HETATM, four-letter names and only the first MODEL", () => {
  const text = [
    "MODEL        1",
    "HETATM    1 HOH1 HOH W   1       1.000   2.000   3.000  0.50 10.00           H",
    "ENDMDL",
    "MODEL        2",
    "HETATM    1 HOH1 HOH W   1       9.000   9.000   9.000  1.00  0.00           H",
  ].join("\n");
  const s = readPdb(text, "w.pdb");
  assert.equal(s.atoms.length, 1);
  assert.deepEqual({ ...s.atoms[0] }, { record: "HETATM", serial: 1, name: "HOH1", altLoc: "", residue: "HOH", chain: "W", resnr: 1, insertionCode: "", occupancy: 0.5, bFactor: 10, element: "H" });
  assert.deepEqual(s.positions[0], [0.1, 0.2, 0.3]);
  assert.deepEqual(readPdb(writePdb(s)).atoms, s.atoms);
});

test("a non-orthogonal CRYST1 cell becomes box vectors and back", () => {
  const box = cellToBox(3, 3, 3, 60, 60, 90);
  const cell = boxToCell(box);
  [3, 3, 3, 60, 60, 90].forEach((x, i) => assert.ok(Math.abs(cell[i] - x) < 1e-12, `cell[${i}]`));
  const text = "CRYST1   30.000   30.000   30.000  60.00  60.00  90.00 P 1           1\nATOM      1  O   HOH A   1       0.000   0.000   0.000  1.00  0.00           O\nEND\n";
  const s = readPdb(text);
  s.box!.forEach((row, i) => row.forEach((x, k) => assert.ok(Math.abs(x - box[i][k]) < 1e-12)));
});

test("malformed records name file and line", () => {
  assert.throws(() => readPdb("REMARK x\nATOM      1  N   ILE A   1       0.000   zero    0.000", "bad.pdb"),
    /^Error: bad\.pdb:2: ATOM columns 39-46 \(y\): expected a number, found "zero"/);
  assert.throws(() => readPdb("ATOM      1  N   ILE A   1       0.000", "short.pdb"), /^Error: short\.pdb:1: ATOM record needs columns up to 54/);
});
