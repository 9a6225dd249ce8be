import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../examples/lj-liquid.js";
import { readExtxyzFile } from "../../src/io/index.js";

test("the LJ liquid example runs a short simulation and writes a readable trajectory and log", () => {
  const outDir = join(mkdtempSync(join(tmpdir(), "diffmol-lj-test-")), "out");
  try {
    const printed: string[] = [];
    const result = run({ outDir, cells: 4, steps: 40, every: 10, print: (s) => printed.push(s) });
    assert.equal(result.atoms, 256);
    assert.deepEqual(readdirSync(outDir).sort(), ["log.csv", "traj.extxyz"]);
    assert.ok(existsSync(result.trajectoryPath) && existsSync(result.logPath));

    const frames = readExtxyzFile(result.trajectoryPath);
    assert.equal(frames.length, 5); // steps 0, 10, 20, 30, 40
    assert.deepEqual(frames.map((f) => f.info.step), [0, 10, 20, 30, 40]);
    for (const f of frames) {
      assert.deepEqual(f.positions.shape, [256, 3]);
      assert.deepEqual(f.pbc, [true, true, true]);
      assert.equal(f.species[0], "Ar");
      assert.ok(Number.isFinite(f.info.temperature as number));
    }

    const [header, ...rows] = readFileSync(result.logPath, "utf8").trim().split("\n");
    assert.equal(header, "step,time,potentialEnergy,kineticEnergy,totalEnergy,temperature,pressure");
    assert.equal(rows.length, 5);
    const T = Number(rows[4].split(",")[5]);
    assert.ok(Number.isFinite(T) && T > 0.5 && T < 3, `temperature ${T}`);
    for (const r of result.reports) assert.ok([r.potentialEnergy, r.temperature, r.pressure].every(Number.isFinite));
    assert.ok(result.rdfPeak > 0.9 && result.rdfPeak < 1.3, `g(r) peak at ${result.rdfPeak}`);
    assert.match(printed.join("\n"), /g\(r\) peaks at r = /);
  } finally {
    rmSync(join(outDir, ".."), { recursive: true, force: true });
  }
});
