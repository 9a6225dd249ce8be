import { test } from "node:test";
import assert from "node:assert/strict";
import { np } from "../../src/index.js";
import { trajectory } from "../../src/md/index.js";

test("xyzFrame writes an extended-XYZ frame with lattice, properties and info", () => {
  const R = np.array([[0, 0, 0], [1.5, 0.25, 1e-20]]);
  const v = np.array([[0.1, 0, 0], [0, -0.2, 0]]);
  const text = trajectory.xyzFrame(R, { species: ["Ar", "Kr"], box: [10, 11, 12], velocity: v, info: { step: 3, energy: -1.25, label: "two words" } });
  const lines = text.split("\n");
  assert.equal(lines[0], "2");
  assert.equal(lines[1], 'Lattice="10 0 0 0 11 0 0 0 12" Properties=species:S:1:pos:R:3:vel:R:3 step=3 energy=-1.25 label="two words" pbc="T T T"');
  assert.equal(lines[2], "Ar 0 0 0 0.1 0 0");
  assert.equal(lines[3], "Kr 1.5 0.25 1e-20 0 -0.2 0");
  assert.equal(lines[4], "");
  // A cell matrix has lattice vectors as columns; the frame lists them as rows.
  const tri = trajectory.xyzFrame(R, { box: np.array([[4, 1, 0], [0, 4, 0], [0, 0, 4]]) });
  assert.match(tri.split("\n")[1], /^Lattice="4 0 0 1 4 0 0 0 4" Properties=species:S:1:pos:R:3 pbc="T T T"$/);
  // Full float64 precision round-trips.
  const x = 0.1 + 0.2;
  const back = Number(trajectory.xyzFrame(np.array([[x, 0, 0]])).split("\n")[2].split(" ")[1]);
  assert.equal(back, x);
  assert.throws(() => trajectory.xyzFrame(R, { species: ["Ar"] }), /1 species names for 2 atoms/);
});

test("csvLog writes a header and one line per record, passing each string to the sink", () => {
  const out: string[] = [];
  const log = trajectory.csvLog(undefined, (s) => out.push(s));
  log.header();
  log.line({ step: 10, time: 0.05, potentialEnergy: np.asarray(-4.5), kineticEnergy: 2.1, totalEnergy: -2.4 });
  assert.deepEqual(out, ["step,time,potentialEnergy,kineticEnergy,totalEnergy,temperature,pressure\n", "10,0.05,-4.5,2.1,-2.4,,\n"]);
  assert.throws(() => log.line({ stepp: 1 }), /unknown column "stepp"/);
});
