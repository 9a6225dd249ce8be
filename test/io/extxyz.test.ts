import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { np, Tensor } from "../../src/index.js";
import { trajectory } from "../../src/md/index.js";
import { readExtxyz } from "../../src/io/index.js";

test("readExtxyz reads ASE-style frames: Lattice, pbc, quoted and bare info, S/R/I/L properties", () => {
  const text = [
    "2",
    'Lattice="5.0 0.0 0.0 0.0 6.0 0.0 1.0 0.0 7.0" Properties=species:S:1:pos:R:3:Z:I:1:fixed:L:1:forces:R:3 energy=-12.5 config_type="bulk fcc" converged stress="1 2 3 4 5 6" pbc="T T F"',
    "Cu 0.0 0.5 1.0 29 T 0.1 0.2 0.3",
    "Ni 1.5d0 -2.5E-1 NaN 28 F -0.1 -0.2 -0.3",
    "1",
    "Properties=species:S:1:pos:R:3 step=7",
    "H 1 2 3",
    "",
    "",
  ].join("\r\n");
  const [a, b] = readExtxyz(text, "mixed.xyz");
  assert.deepEqual(a.species, ["Cu", "Ni"]);
  const pos = Array.from(a.positions.data());
  assert.deepEqual(pos.slice(0, 5), [0, 0.5, 1, 1.5, -0.25]);
  assert.ok(Number.isNaN(pos[5]));
  // Lattice rows (file) become columns (the md convention).
  assert.deepEqual(a.cell?.toArray(), [[5, 0, 1], [0, 6, 0], [0, 0, 7]]);
  assert.deepEqual(a.pbc, [true, true, false]);
  assert.deepEqual(a.info, { energy: -12.5, config_type: "bulk fcc", converged: true, stress: [1, 2, 3, 4, 5, 6] });
  const Z = a.properties.Z as Tensor, fixed = a.properties.fixed as Tensor, forces = a.properties.forces as Tensor;
  assert.equal(Z.dtype, "int32");
  assert.deepEqual(Array.from(Z.data()), [29, 28]);
  assert.equal(fixed.dtype, "bool");
  assert.deepEqual(fixed.shape, [2]);
  assert.deepEqual(forces.shape, [2, 3]);
  assert.equal(a.line, 1);
  assert.equal(b.line, 5);
  assert.equal(b.cell, null);
  assert.deepEqual(b.pbc, [false, false, false]);
  assert.deepEqual(b.info, { step: 7 });
  // Without a Properties key the columns are species and pos.
  const [plain] = readExtxyz("1\nplain comment\nO 0 0 1\n", "plain.xyz");
  assert.deepEqual(Array.from(plain.positions.data()), [0, 0, 1]);
  assert.deepEqual(plain.info, { plain: true, comment: true });
  // An empty frame.
  assert.deepEqual(readExtxyz("0\n\n", "empty.xyz")[0].positions.shape, [0, 3]);
});

test("malformed extended XYZ is an error naming the file, the line and what was expected", () => {
  const good = trajectory.xyzFrame(np.array([[0, 0, 0], [1, 1, 1]]), { species: "Ar", box: 4, velocity: np.zeros([2, 3]) });
  const lines = good.split("\n");
  const cases: [string, RegExp][] = [
    // a short atom line in the second frame
    [good + [lines[0], lines[1], lines[2], "Ar 1 1 1 0"].join("\n") + "\n",
      /^Error: traj\.xyz:8: expected 7 columns for Properties=species:S:1:pos:R:3:vel:R:3, found 5$/],
    [good.replace("Ar 1 1 1", "Ar 1 x 1"), /^Error: traj\.xyz:4: column 3 \(pos\[1\]\) expected a real number, found "x"$/],
    ["two\ncomment\n", /^Error: traj\.xyz:1: expected the number of atoms of a frame \(a non-negative integer\), found "two"$/],
    ["3\nProperties=species:S:1:pos:R:3\nAr 0 0 0\n", /^Error: traj\.xyz:4: expected 3 atom lines for the frame starting at line 1, the file ends after 1$/],
    ["1\n", /^Error: traj\.xyz:2: expected the comment line of the frame starting at line 1, the file ends$/],
    ['1\nLattice="1 0 0 0 1 0" Properties=species:S:1:pos:R:3\nAr 0 0 0\n', /^Error: traj\.xyz:2: Lattice must hold 9 finite numbers/],
    ['1\npbc="T T"\nAr 0 0 0\n', /^Error: traj\.xyz:2: pbc must be three of T\/F, found "T T"$/],
    ["1\nProperties=species:S:1:pos:R\nAr 0 0 0\n", /^Error: traj\.xyz:2: Properties=species:S:1:pos:R must be name:type:count triples/],
    ["1\nProperties=species:S:1:pos:Q:3\nAr 0 0 0\n", /^Error: traj\.xyz:2: .*type of pos must be S, R, I or L, found "Q"$/],
    ["1\nProperties=species:S:1:vel:R:3\nAr 0 0 0 0\n", /^Error: traj\.xyz:3: expected 4 columns/],
    ["1\nProperties=species:S:1:vel:R:3\nAr 0 0 0\n", /^Error: traj\.xyz:2: Properties=species:S:1:vel:R:3 has no positions/],
    ["1\nProperties=species:S:1:pos:R:3:Z:I:1\nAr 0 0 0 1.5\n", /^Error: traj\.xyz:3: column 5 \(Z\) expected an integer, found "1.5"$/],
    ['1\nname="unclosed\nAr 0 0 0\n', /^Error: traj\.xyz:2: unclosed quote/],
    ["1\ncomment\nAr 0 0 0\n\n1\n", /^Error: traj\.xyz:4: expected the number of atoms of a frame, found a blank line$/],
  ];
  for (const [text, message] of cases) assert.throws(() => readExtxyz(text, "traj.xyz"), message, JSON.stringify(text.slice(0, 60)));
});

test("xyzFrame then readExtxyz is the identity on positions, velocities, species and info (property)", () => {
  const real = fc.double({ noNaN: true, noDefaultInfinity: true });
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 5 }).chain((n) => fc.record({
      R: fc.array(fc.array(real, { minLength: 3, maxLength: 3 }), { minLength: n, maxLength: n }),
      v: fc.array(fc.array(real, { minLength: 3, maxLength: 3 }), { minLength: n, maxLength: n }),
      species: fc.array(fc.stringMatching(/^[A-Z][a-z]?$/), { minLength: n, maxLength: n }),
      step: fc.integer({ min: 0, max: 1e9 }),
      energy: real,
      side: fc.double({ min: 0.5, max: 100, noNaN: true }),
    })),
    ({ R, v, species, step, energy, side }) => {
      const text = trajectory.xyzFrame(np.array(R), { species, velocity: np.array(v), box: side, info: { step, energy } });
      const [f] = readExtxyz(text + text, "p.xyz").slice(1);
      assert.deepEqual(Array.from(f.positions.data()), R.flat().map((x) => x + 0) /* -0 is written as 0 */);
      assert.deepEqual(Array.from((f.properties.vel as Tensor).data()), v.flat().map((x) => x + 0));
      assert.deepEqual(f.species, species);
      assert.deepEqual(f.info, { step, energy: energy + 0 });
      assert.deepEqual(Array.from((f.cell as Tensor).data()), [side, 0, 0, 0, side, 0, 0, 0, side]);
    },
  ), { numRuns: 200 });
});
