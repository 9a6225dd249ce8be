import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { np, Tensor } from "../../src/index.js";
import { openCsvLog, openTrajectory, readExtxyz, readExtxyzFile } from "../../src/io/index.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "diffmol-io-"));
const same = (a: Tensor, b: Tensor) => assert.deepEqual(Array.from(a.data()), Array.from(b.data()));

test("a trajectory round-trips positions, velocities, cell, pbc, species and info bit for bit", () => {
  const dir = tempDir();
  try {
    const path = join(dir, "traj.extxyz");
    const traj = openTrajectory(path, { format: "extxyz", species: ["Ar", "Kr", "Ar"], box: [10, 11, 12] });
    assert.equal(traj.partialPath, path + ".partial");
    const frames = [0, 1, 2].map((k) => ({
      R: np.array([[0.1 + 0.2, 1 / 3, k], [Math.PI, -1e-300, 5], [1e20, 2, -0.5]]),
      v: np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]]).mul(k + 0.1),
    }));
    frames.forEach(({ R, v }, k) => traj.write(R, { velocity: v, info: { step: 10 * k, energy: -1.5 * k, label: "liquid Ar" } }));
    // Until close() only the .partial file exists.
    assert.equal(existsSync(path), false);
    assert.deepEqual(readdirSync(dir), ["traj.extxyz.partial"]);
    traj.close();
    traj.close(); // no-op
    assert.deepEqual(readdirSync(dir), ["traj.extxyz"]);
    assert.equal(traj.frames, 3);

    const back = readExtxyzFile(path);
    assert.equal(back.length, 3);
    back.forEach((f, k) => {
      same(f.positions, frames[k].R);
      same(f.properties.vel as Tensor, frames[k].v);
      assert.deepEqual(f.species, ["Ar", "Kr", "Ar"]);
      assert.deepEqual(f.pbc, [true, true, true]);
      same(f.cell as Tensor, np.array([[10, 0, 0], [0, 11, 0], [0, 0, 12]]));
      assert.deepEqual(f.info, { step: 10 * k, energy: -1.5 * k + 0, label: "liquid Ar" }); // -0 is written as 0
      assert.deepEqual(f.propertySpec.map((p) => `${p.name}:${p.type}:${p.count}`), ["species:S:1", "pos:R:3", "vel:R:3"]);
    });
    assert.throws(() => traj.write(frames[0].R), /TrajectoryWriter: .*traj\.extxyz is already closed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a triclinic cell (lattice vectors as columns) round-trips through Lattice", () => {
  const cell = np.array([[4, 1, 0.5], [0, 4, 0.25], [0, 0, 4]]);
  const dir = tempDir();
  try {
    const path = join(dir, "tri.xyz");
    const traj = openTrajectory(path, { box: cell, pbc: [true, true, false] });
    traj.write(np.array([[0, 0, 0], [1, 1, 1]]));
    traj.close();
    const [f] = readExtxyz(readFileSync(path, "utf8"), "tri.xyz");
    same(f.cell as Tensor, cell);
    assert.deepEqual(f.pbc, [true, true, false]);
    assert.deepEqual(f.species, ["X", "X"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a CSV log is written under its final name only on close", () => {
  const dir = tempDir();
  try {
    const path = join(dir, "log.csv");
    const log = openCsvLog(path, { columns: ["step", "temperature", "pressure"] });
    log.write({ step: 0, temperature: np.asarray(1.44), pressure: 0.5 });
    log.write({ step: 100, temperature: 1.4 });
    assert.throws(() => log.write({ step: 1, volume: 3 }), /unknown column "volume"/);
    assert.equal(existsSync(path), false);
    log.close();
    assert.equal(readFileSync(path, "utf8"), "step,temperature,pressure\n0,1.44,0.5\n100,1.4,\n");
    assert.equal(log.lines, 2);
    assert.throws(() => openCsvLog(join(dir, "bad.csv"), { columns: ["a,b"] }), /may not contain commas/);
    assert.deepEqual(readdirSync(dir), ["log.csv"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("abort removes the partial file, or keeps it for a failed run", () => {
  const dir = tempDir();
  try {
    const a = openTrajectory(join(dir, "a.xyz"));
    a.write(np.zeros([2, 3]));
    a.abort();
    const b = openTrajectory(join(dir, "b.xyz"));
    b.write(np.zeros([2, 3]));
    b.abort({ keepPartial: true });
    assert.deepEqual(readdirSync(dir), ["b.xyz.partial"]);
    assert.equal(readExtxyzFile(join(dir, "b.xyz.partial")).length, 1);
    assert.throws(() => b.close(), /b\.xyz was aborted/);
    assert.throws(() => openTrajectory(join(dir, "c.pdb"), { format: "pdb" as "extxyz" }), /format "pdb" is not supported \(supported: "extxyz"\)/);
    assert.throws(() => openTrajectory(join(dir, "missing", "d.xyz")), /cannot open .*d\.xyz\.partial for writing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a bad frame argument writes nothing, so the file stays readable", () => {
  const dir = tempDir();
  try {
    const path = join(dir, "t.xyz");
    const traj = openTrajectory(path);
    traj.write(np.ones([2, 3]));
    assert.throws(() => traj.write(np.ones([2, 3]), { species: ["A"] }), /1 species names for 2 atoms/);
    traj.write(np.zeros([2, 3]));
    traj.close();
    assert.equal(readExtxyzFile(path).length, 2);
    assert.equal(traj.frames, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a run that crashes mid-write leaves no final file, and the .partial file holds its whole frames", () => {
  const dir = tempDir();
  try {
    const path = join(dir, "traj.extxyz");
    const logPath = join(dir, "log.csv");
    const coreUrl = new URL("../../src/index.js", import.meta.url).href;
    const ioUrl = new URL("../../src/io/index.js", import.meta.url).href;
    // The child writes 5 frames and 5 log lines, then dies without closing (SIGKILL: no cleanup runs).
    const script = `
      import { np } from ${JSON.stringify(coreUrl)};
      import { openTrajectory, openCsvLog } from ${JSON.stringify(ioUrl)};
      const traj = openTrajectory(${JSON.stringify(path)}, { species: "Ar", box: 5 });
      const log = openCsvLog(${JSON.stringify(logPath)}, { columns: ["step", "energy"] });
      for (let k = 0; k < 5; k++) {
        traj.write(np.full([4, 3], k), { info: { step: k } });
        log.write({ step: k, energy: -k });
      }
      process.kill(process.pid, "SIGKILL");`;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    assert.equal(result.signal, "SIGKILL", result.stderr);
    assert.equal(existsSync(path), false, "no trajectory under the final name");
    assert.equal(existsSync(logPath), false, "no log under the final name");
    const frames = readExtxyzFile(path + ".partial");
    assert.deepEqual(frames.map((f) => f.info.step), [0, 1, 2, 3, 4]);
    same(frames[4].positions, np.full([4, 3], 4));
    assert.equal(readFileSync(logPath + ".partial", "utf8"), "step,energy\n0,0\n1,-1\n2,-2\n3,-3\n4,-4\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
