import { test } from "node:test";
import assert from "node:assert/strict";
import { np, Tensor } from "../../src/index.js";
import * as tb from "../../src/tb/index.js";
import { A_CC } from "./helpers.js";

const maxAbs = (t: Tensor) => np.max(np.abs(t)).item();

const cases = () => [
  {
    name: "graphene (metallic, kT = 0.1 eV)",
    sys: tb.system(tb.graphene(), tb.grapheneSheet(A_CC)),
    mesh: [6, 6, 1] as [number, number, number], electrons: 2, kT: 0.1,
    dR: [[0.03, -0.02, 0.0], [-0.01, 0.04, 0.0]],
  },
  {
    name: "silicon sp3s* (insulating, kT = 0.05 eV)",
    sys: tb.system(tb.siliconSp3s(), tb.siliconDiamond()),
    mesh: [3, 3, 3] as [number, number, number], electrons: 8, kT: 0.05,
    dR: [[0.04, -0.03, 0.02], [-0.02, 0.01, 0.05]],
  },
];

test("forces by AD of the band free energy + repulsion equal the Hellmann–Feynman forces", () => {
  for (const c of cases()) {
    // Distort the crystal itself so that HF (evaluated at the crystal's positions) sees the same geometry.
    const R = c.sys.crystal.positions.add(np.array(c.dR));
    const sys = tb.system(c.sys.model, { ...c.sys.crystal, positions: R });
    const k = tb.kFromFractional(sys.crystal.cell, tb.kGrid(c.mesh));
    const opts = { electrons: c.electrons, k, kT: c.kT };
    const ad = tb.forces(sys, R, opts);
    const hf = tb.hellmannFeynmanForces(sys, opts);
    const err = maxAbs(ad.sub(hf));
    assert.ok(maxAbs(ad) > 1e-2, `${c.name}: forces are not trivially zero (${ad})`);
    assert.ok(err < 1e-9, `${c.name}: max |F_AD − F_HF| = ${err}`);
    // Sum of forces vanishes (translation invariance).
    assert.ok(maxAbs(np.sum(ad, 0)) < 1e-10);
  }
});

test("AD forces equal central differences of the total energy", () => {
  const c = cases()[1];
  const R0 = c.sys.crystal.positions.add(np.array(c.dR));
  const k = tb.kFromFractional(c.sys.crystal.cell, tb.kGrid([2, 2, 2]));
  const opts = { electrons: c.electrons, k, kT: c.kT };
  const F = tb.forces(c.sys, R0, opts).data();
  const h = 1e-5;
  for (let x = 0; x < 6; x++) {
    const e = new Float64Array(6); e[x] = h;
    const dR = np.array(e).reshape([2, 3]);
    const fd = -(tb.totalEnergy(c.sys, R0.add(dR), opts).item() - tb.totalEnergy(c.sys, R0.sub(dR), opts).item()) / (2 * h);
    assert.ok(Math.abs(fd - F[x]) < 1e-7, `component ${x}: AD ${F[x]} vs FD ${fd}`);
  }
});

test("band energy tends to the sum of occupied eigenvalues as kT → 0 (silicon)", () => {
  const sys = tb.system(tb.siliconSp3s(), tb.siliconDiamond());
  const k = tb.kFromFractional(sys.crystal.cell, tb.kGrid([2, 2, 2]));
  const e = tb.bands(sys, k).toArray() as number[][];
  const occupied = (2 / e.length) * e.reduce((s, r) => s + r[0] + r[1] + r[2] + r[3], 0);
  const F = tb.bandEnergy(sys, sys.crystal.positions, { electrons: 8, k, kT: 0.01 }).item();
  assert.ok(Math.abs(F - occupied) < 1e-9, `F = ${F}, Σ occupied = ${occupied}`);
});
