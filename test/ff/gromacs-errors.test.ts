// Malformed topologies give an Error naming file and line — never a crash or a silent guess.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { parseTop, readTop } from "../../src/ff/gromacs/top-reader.js";
import { readGro } from "../../src/ff/gromacs/gro.js";

const HEAD = [
  "[ defaults ]", "1 2 yes 0.5 0.8333",
  "[ atomtypes ]", "CT 6 12.01 0.0 A 0.339967 0.45773", "HC 1 1.008 0.0 A 0.264953 0.0656888",
  "[ moleculetype ]", "MOL 3",
  "[ atoms ]", "1 CT 1 MOL C1 1 -0.3", "2 HC 1 MOL H1 1 0.1", "3 HC 1 MOL H2 1 0.1", "4 HC 1 MOL H3 1 0.1",
];
const TAIL = ["[ system ]", "test", "[ molecules ]", "MOL 1"];
/** A topology with `lines` after the atoms; errors then point at line HEAD.length + k. */
const top = (...lines: string[]) => [...HEAD, ...lines, ...TAIL].join("\n");
const at = (k: number) => HEAD.length + k;

test("a well-formed small topology reads (the baseline the error cases perturb)", () => {
  const t = parseTop(top("[ bonds ]", "1 2 1 0.109 284512"), "peptide.top");
  assert.equal(t.moleculeTypes[0].atoms.length, 4);
  assert.deepEqual(t.moleculeTypes[0].bonds, [{ atoms: [0, 1], funct: 1, params: [0.109, 284512] }]);
  assert.equal(t.moleculeTypes[0].atoms[0].mass, 12.01, "mass from the atom type when [ atoms ] omits it");
});

test("too few columns", () => {
  assert.throws(() => parseTop(top("[ dihedrals ]", "1 2 3"), "peptide.top"),
    new RegExp(`^Error: peptide\\.top:${at(2)}: \\[ dihedrals \\] expects 4 or more columns .*found 3$`));
  assert.throws(() => parseTop(top("[ angles ]", "1 2"), "peptide.top"), new RegExp(`^Error: peptide\\.top:${at(2)}: \\[ angles \\] expects 3 or more columns`));
  assert.throws(() => parseTop(top("[ cmap ]", "1 2 3 4"), "peptide.top"), /\[ cmap \] expects 5 or more columns/);
  // as in grompp, a missing function type column means funct 1
  assert.deepEqual(parseTop(top("[ pairs ]", "1 2"), "p.top").moleculeTypes[0].pairs, [{ atoms: [0, 1], funct: 1, params: [] }]);
});

test("bad numbers name the column", () => {
  assert.throws(() => parseTop(top("[ bonds ]", "1 2 1 0.1O9 284512"), "peptide.top"),
    new RegExp(`^Error: peptide\\.top:${at(2)}: \\[ bonds \\] column 4: expected a number, found "0\\.1O9"$`));
  assert.throws(() => parseTop(top("[ bonds ]", "1 2 one"), "p.top"), /p\.top:\d+: \[ bonds \] column 3: expected an integer, found "one"/);
});

test("unknown directive, atom out of range, unknown atom type, unknown molecule", () => {
  assert.throws(() => parseTop(top("[ bondz ]", "1 2 1"), "p.top"), new RegExp(`^Error: p\\.top:${at(1)}: unknown directive \\[ bondz \\]$`));
  assert.throws(() => parseTop(top("[ bonds ]", "1 7 1"), "p.top"), new RegExp(`^Error: p\\.top:${at(2)}: \\[ bonds \\] atom 7 is not in \\[ atoms \\] of MOL \\(4 atoms so far\\)$`));
  assert.throws(() => parseTop(top("[ atoms ]", "5 OW 1 MOL O 1 0"), "p.top"), /p\.top:\d+: \[ atoms \] atom type OW is not in \[ atomtypes \]/);
  assert.throws(() => parseTop(top("[ atoms ]", "7 HC 1 MOL O 1 0"), "p.top"), /expected 5, found 7/);
  assert.throws(() => parseTop([...HEAD, "[ system ]", "x", "[ molecules ]", "SOL 3"].join("\n"), "p.top"), /\[ molecules \] names SOL, which is no \[ moleculetype \] \(known: MOL\)/);
  assert.throws(() => parseTop("[ bonds ]\n1 2 1", "p.top"), /p\.top:2: \[ bonds \] outside a \[ moleculetype \]/);
  assert.throws(() => parseTop("[ defaults ]\n1 4", "p.top"), /p\.top:2: \[ defaults \] comb-rule must be 1, 2 or 3, found 4/);
  assert.throws(() => parseTop("[ atomtypes ]\nCT 6 12.01 0.0 Q 0.3 0.4", "p.top"), /p\.top:2: \[ atomtypes \] expects the particle type \(A, S, V, D\) in column 5, found "Q"/);
  assert.throws(() => parseTop("[ cmaptypes ]\nA B C D E 1 2 2 1 2 3", "p.top"), /p\.top:2: \[ cmaptypes \] A B C D E: a 2×2 grid needs 4 values, found 3/);
});

test("errors inside an #included file name that file", () => {
  const files = { "ff/bad.itp": "[ bondtypes ]\nCT HC 1 0.109 x" };
  assert.throws(() => parseTop(`#include "ff/bad.itp"\n`, "p.top", { files }), /^Error: ff\/bad\.itp:2: \[ bondtypes \] column 5: expected a number, found "x"$/);
});

test("truncated and corrupted .gro files", () => {
  const good = readFileSync("test/fixtures/ff/peptide-amber99sb-ildn.gro", "utf8").split("\n");
  assert.throws(() => readGro(good.slice(0, 10).join("\n"), "peptide.gro"), /^Error: peptide\.gro: 46 atoms announced on line 2 but the file ends after 7 atom lines/);
  const badCount = [good[0], "forty", ...good.slice(2)].join("\n");
  assert.throws(() => readGro(badCount, "peptide.gro"), /^Error: peptide\.gro:2: expected the number of atoms, found "forty"/);
  const badCoord = [...good];
  badCoord[5] = badCoord[5].slice(0, 30) + "x" + badCoord[5].slice(31);
  assert.throws(() => readGro(badCoord.join("\n"), "peptide.gro"), /^Error: peptide\.gro:6: columns 29-36: expected a number/);
  const badBox = [...good.slice(0, 48), "1.0 2.0"].join("\n");
  assert.throws(() => readGro(badBox, "peptide.gro"), /^Error: peptide\.gro:49: expected a box line of 3 or 9 numbers, found "1\.0 2\.0"/);
});

/** A small deterministic generator (mulberry32), so a failing mutation can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Damage one line of `text`: drop a field, garble a field, cut the line short, or drop the line. */
function damage(text: string, random: () => number): { text: string; line: number } {
  const lines = text.split("\n");
  const candidates = lines.map((l, i) => i).filter((i) => lines[i].trim() !== "" && !lines[i].trimStart().startsWith(";"));
  const i = candidates[Math.floor(random() * candidates.length)];
  const fields = lines[i].trim().split(/\s+/);
  const k = Math.floor(random() * fields.length);
  const mode = Math.floor(random() * 4);
  if (mode === 0) fields.splice(k, 1);
  else if (mode === 1) fields[k] = ["x", "1.2.3", "-", "nan", "[", "]"][Math.floor(random() * 6)];
  else if (mode === 2) fields.length = k;
  lines[i] = mode === 3 ? "" : fields.join(" ");
  return { text: lines.join("\n"), line: i + 1 };
}

test("randomly damaged topologies either read or fail with file:line — never a TypeError", () => {
  const dir = "test/fixtures/ff";
  for (const file of ["peptide-charmm27.top", "spc216.top"]) {
    const original = readFileSync(`${dir}/${file}`, "utf8");
    const random = rng(file.length);
    for (let trial = 0; trial < 150; trial++) {
      const { text } = damage(original, random);
      const source = {
        read: (p: string) => (p === `${dir}/${file}` ? text : readFileSync(p, "utf8")),
        exists: (p: string) => p === `${dir}/${file}` || existsSync(p),
      };
      try {
        readTop(`${dir}/${file}`, source, { libraryDirs: [`${dir}/top`] });
      } catch (e) {
        assert.ok(e instanceof Error && e.constructor === Error, `trial ${trial}: ${String(e)}`);
        assert.match(e.message, /^test\/fixtures\/ff\/[\w./-]+:\d+: /, `trial ${trial}`);
      }
    }
  }
});

test("randomly damaged .gro files either read or fail with file:line", () => {
  const original = readFileSync("test/fixtures/ff/peptide-oplsaa.gro", "utf8");
  const random = rng(7);
  for (let trial = 0; trial < 150; trial++) {
    const lines = original.split("\n");
    const i = Math.floor(random() * lines.length);
    const at = Math.floor(random() * Math.max(1, lines[i].length));
    lines[i] = lines[i].slice(0, at) + ["x", "", " ", "9"][Math.floor(random() * 4)] + lines[i].slice(at + 1);
    try {
      readGro(lines.join("\n"), "p.gro");
    } catch (e) {
      assert.ok(e instanceof Error && e.constructor === Error, `trial ${trial}: ${String(e)}`);
      assert.match(e.message, /^p\.gro(:\d+)?: /);
    }
  }
});
