// Topology helpers and grompp's type-table look-up rules on small hand-made tables.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTop } from "../../src/ff/gromacs/top-reader.js";
import { findBondedTypes, interactionParameters } from "../../src/ff/gromacs/type-lookup.js";
import { ljC6C12, ljSigmaEpsilon, isImproper } from "../../src/ff/topology.js";

test("σ/ε ↔ C6/C12 conversions invert each other", () => {
  for (const [sigma, epsilon] of [[0.339967, 0.45773], [0.1, 10], [0.35, 0.276144]]) {
    const { c6, c12 } = ljC6C12(sigma, epsilon, 2);
    const back = ljSigmaEpsilon(c6, c12, 1);
    assert.ok(Math.abs(back.sigma - sigma) < 1e-14 * sigma && Math.abs(back.epsilon - epsilon) < 1e-13 * epsilon, `${sigma} ${epsilon}`);
    assert.deepEqual(ljSigmaEpsilon(sigma, epsilon, 3), { sigma, epsilon });
    assert.deepEqual(ljC6C12(c6, c12, 1), { c6, c12 });
  }
  assert.deepEqual(ljSigmaEpsilon(0, 0, 1), { sigma: 0, epsilon: 0 });
  assert.deepEqual([1, 2, 3, 4, 5, 9].map(isImproper), [false, true, false, true, false, false]);
});

const TABLES = `
[ defaults ]
1 2 yes 0.5 0.8333
[ atomtypes ]
ca  CA 6 12.01 0 A 0.34 0.36
cb  CA 6 12.01 0 A 0.34 0.36
n   N  7 14.01 0 A 0.32 0.71
h   H  1 1.008 0 A 0.10 0.06
[ bondtypes ]
CA N 1 0.1335 400000
N CA 1 0.1400 1 ; same names reversed: replaces the line above (grompp warns, the later wins)
[ dihedraltypes ]
X  CA N  X  9 180 10 2
CA CA N  H  9 0 1 1
CA CA N  H  9 0 2 2
CA CA N  H  9 0 3 3
X  CA N  H  9 0 7 7
CA CA 4 180 4.6 2     ; old two-name form of an improper: outer atoms
CA N 1 0 5 3          ; old two-name form of a proper: central atoms
`;

test("two-name dihedraltypes widen with wildcards where GROMACS puts the names", () => {
  const top = parseTop(TABLES, "t.top");
  assert.deepEqual(top.dihedralTypes.slice(5).map((d) => d.types), [["CA", "X", "X", "CA"], ["X", "CA", "N", "X"]]);
  assert.deepEqual(top.bondTypes, [{ types: ["N", "CA"], funct: 1, params: [0.14, 1] }]);
});

test("dihedral look-up: most specific entry wins, either direction; funct-9 takes the adjacent terms", () => {
  const top = parseTop(TABLES, "t.top");
  const params = (names: string[], funct: number) => findBondedTypes(top, "dihedrals", names, funct).map((t) => t.params);
  assert.deepEqual(params(["CA", "CA", "N", "H"], 9), [[0, 1, 1], [0, 2, 2], [0, 3, 3]]);
  assert.deepEqual(params(["H", "N", "CA", "CA"], 9), [[0, 1, 1], [0, 2, 2], [0, 3, 3]], "reversed");
  assert.deepEqual(params(["N", "CA", "N", "H"], 9), [[0, 7, 7]], "3 real matches beat 2");
  assert.deepEqual(params(["N", "CA", "N", "CA"], 9), [[180, 10, 2]], "first of the 2-match entries (file order)");
  // grompp maps topology funct 1 and 9 to the same interaction (F_PDIHS) and pushes every
  // adjacent term of a funct-9 table entry for either
  assert.deepEqual(params(["CA", "CA", "N", "H"], 1), [[0, 1, 1], [0, 2, 2], [0, 3, 3]], "funct 1 shares the table");
  assert.deepEqual(params(["CA", "N", "H", "CA"], 4), [[180, 4.6, 2]], "improper by outer atoms");
  assert.deepEqual(params(["H", "N", "H", "H"], 9), [], "no match");
  assert.deepEqual(findBondedTypes(top, "bonds", ["CA", "N"], 1).map((t) => t.params), [[0.14, 1]]);
  assert.deepEqual(findBondedTypes(top, "bonds", ["CA", "N"], 2), []);
});

test("interactionParameters uses the atoms' bonded types, and explicit params first", () => {
  const top = parseTop(`${TABLES}
[ moleculetype ]
M 3
[ atoms ]
1 ca 1 R A 1 0
2 cb 1 R B 1 0
3 n  1 R C 1 0
4 h  1 R D 1 0
[ bonds ]
2 3 1
[ dihedrals ]
1 2 3 4 9
1 2 3 4 9 0 99 1
`, "m.top");
  const m = top.moleculeTypes[0];
  assert.deepEqual(interactionParameters(top, m, "bonds", m.bonds[0]), [[0.14, 1]], "cb has bonded type CA");
  assert.deepEqual(interactionParameters(top, m, "dihedrals", m.dihedrals[0]), [[0, 1, 1], [0, 2, 2], [0, 3, 3]]);
  assert.deepEqual(interactionParameters(top, m, "dihedrals", m.dihedrals[1]), [[0, 99, 1]]);
});
