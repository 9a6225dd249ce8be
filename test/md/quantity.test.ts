import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { np, random, Tensor } from "../../src/index.js";
import { space, quantity, phonons } from "../../src/md/index.js";
import { ljAllPairs, fccLattice } from "./lj-all-pairs.js";

const fixture = (name: string) => {
  // Compiled tests run from another outDir: resolve against the source tree.
  const here = fileURLToPath(new URL(".", import.meta.url));
  const candidates = [`${here}../fixtures/md/${name}`, `${process.cwd()}/test/fixtures/md/${name}`];
  for (const c of candidates) { try { return JSON.parse(readFileSync(c, "utf8")); } catch { /* next */ } }
  throw new Error(`fixture ${name} not found in ${candidates.join(", ")}`);
};

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

test("kinetic energy and temperature from momenta or velocities", () => {
  const v = np.array([[1, 0, 0], [0, 2, 0]]);
  const mass = np.array([2, 1]);
  assert.equal(quantity.kineticEnergy({ velocity: v, mass }).item(), 0.5 * 2 * 1 + 0.5 * 1 * 4);
  assert.equal(quantity.kineticEnergy({ momentum: v.mul(mass.reshape([2, 1])), mass }).item(), 3);
  assert.equal(quantity.temperature({ velocity: v, mass }).item(), (2 * 3) / 6);
  assert.equal(quantity.temperature({ velocity: v, mass, dof: 3 }).item(), 2);
  assert.throws(() => quantity.kineticEnergy({ velocity: v, momentum: v }), /momentum or velocity, not both/);
});

// The LAMMPS configuration: 108 LJ atoms, fcc at ρ = 0.8442 with random displacements ≤ 0.1.
const lmp = fixture("lj-stress-lammps.json");
const L: number = lmp.box;
const R: Tensor = np.array(lmp.positions);
const [displacement] = space.periodic(L);
const energyFn = ljAllPairs(displacement, { cutoff: lmp.cutoff });

test("energy and forces of a perturbed LJ fcc configuration agree with LAMMPS (1e-10 relative)", () => {
  const E = energyFn(R).item();
  const F = quantity.forces(energyFn)(R).data();
  const Fref = (lmp.forces as number[][]).flat();
  let maxF = 0, maxDiff = 0;
  for (let k = 0; k < Fref.length; k++) { maxF = Math.max(maxF, Math.abs(Fref[k])); maxDiff = Math.max(maxDiff, Math.abs(F[k] - Fref[k])); }
  console.log(`LJ vs LAMMPS: E = ${E} (LAMMPS ${lmp.energy}), max |ΔF| / max |F| = ${(maxDiff / maxF).toExponential(2)}`);
  assert.ok(relErr(E, lmp.energy) < 1e-10, `energy ${E} vs ${lmp.energy}`);
  assert.ok(maxDiff / maxF < 1e-10, `forces differ by ${maxDiff}`);
});

test("pressure by AD of a cell scaling equals −dE/dV by finite differences and LAMMPS", () => {
  const P = quantity.pressure(energyFn, R, L).item();
  // −dE/dV with R and L scaled together, central differences in the volume.
  const h = 1e-5;
  const E = (s: number) => energyFn(R.mul(s), { box: np.asarray(L * s) }).item();
  const sp = Math.cbrt(1 + h), sm = Math.cbrt(1 - h);
  const V = L ** 3;
  const Pfd = -(E(sp) - E(sm)) / (2 * h * V);
  console.log(`LJ pressure: AD ${P}, finite difference ${Pfd}, LAMMPS ${lmp.pressure} (rel. diff ${relErr(P, lmp.pressure).toExponential(2)})`);
  assert.ok(relErr(P, Pfd) < 1e-7, `finite difference ${Pfd}`);
  assert.ok(relErr(P, lmp.pressure) < 1e-10, `LAMMPS ${lmp.pressure}`);
  // Side lengths as a vector give the same number.
  assert.ok(relErr(quantity.pressure(energyFn, R, [L, L, L]).item(), P) < 1e-13);
});

test("the full stress tensor (general cell, strain derivative) matches LAMMPS's pressure tensor", () => {
  const box = np.eye(3).mul(L);
  const [dispGeneral] = space.periodicGeneral(box, { fractionalCoordinates: false });
  const eGeneral = ljAllPairs(dispGeneral, { cutoff: lmp.cutoff });
  const sigma = quantity.stress(eGeneral, R, box, { fractionalCoordinates: false }).toArray() as number[][];
  const P = lmp.pressureTensor;
  const ref = [[P.Pxx, P.Pxy, P.Pxz], [P.Pxy, P.Pyy, P.Pyz], [P.Pxz, P.Pyz, P.Pzz]];
  let worst = 0;
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) worst = Math.max(worst, Math.abs(-sigma[a][b] - ref[a][b]) / Math.abs(lmp.pressure));
  console.log(`LJ stress vs LAMMPS pressure tensor: max |−σ − P_LAMMPS| / |P| = ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-10);
  // In fractional coordinates the same physics gives the same stress.
  const [dispFrac] = space.periodicGeneral(box);
  const sigmaFrac = quantity.stress(ljAllPairs(dispFrac, { cutoff: lmp.cutoff }), R.div(L), box);
  assert.ok(np.max(np.abs(sigmaFrac.sub(np.array(sigma)))).item() < 1e-10);
});

test("stress in a triclinic cell equals finite differences of the energy under strain; P = −tr σ / 3", () => {
  const cell = np.array([[4.2, 0.6, -0.3], [0, 4.0, 0.5], [0, 0, 4.4]]); // lattice vectors as columns
  const [disp] = space.periodicGeneral(cell);
  const e = ljAllPairs(disp, { cutoff: 1.9 });
  const frac = random.uniform(random.key(4), [40, 3]);
  const sigma = quantity.stress(e, frac, cell).toArray() as number[][];
  const V = Math.abs(np.linalg.det(cell).item());
  const h = 1e-6;
  for (const [a, b] of [[0, 0], [1, 2], [0, 1], [2, 2]]) {
    const strained = (s: number) => {
      const eps = np.zeros([3, 3]).toArray() as number[][];
      eps[a][b] += s / 2; eps[b][a] += s / 2;
      const F = np.eye(3).add(np.array(eps));
      return e(frac, { box: np.matmul(F, cell) }).item();
    };
    const fd = (strained(h) - strained(-h)) / (2 * h) / V;
    assert.ok(Math.abs(fd - sigma[a][b]) < 1e-6 * Math.max(1, Math.abs(fd)), `σ[${a}][${b}] AD ${sigma[a][b]} vs FD ${fd}`);
  }
  const P = quantity.pressure(e, frac, cell).item();
  assert.ok(Math.abs(P + (sigma[0][0] + sigma[1][1] + sigma[2][2]) / 3) < 1e-10);
  assert.throws(() => quantity.stress(e, frac, [4, 4, 4]), /box must be a \[3, 3\] cell matrix/);
});

test("the kinetic term: an ideal gas has P = N kT / V and σ = −Σ m v⊗v / V", () => {
  const zero = (Rx: Tensor) => np.sum(Rx.mul(0));
  const v = random.normal(random.key(2), [500, 3]);
  const mass = 2;
  const Lb = 10;
  const K = quantity.kineticEnergy({ velocity: v, mass }).item();
  const P = quantity.pressure(zero, v, Lb, { velocity: v, mass }).item();
  assert.ok(relErr(P, (2 * K) / (3 * Lb ** 3)) < 1e-13);
  const s = quantity.stress(zero, v, np.eye(3).mul(Lb), { velocity: v, mass });
  const expect = np.matmul(v.T, v).mul(-mass / Lb ** 3);
  assert.ok(np.max(np.abs(s.sub(expect))).item() < 1e-14);
});

test("radial distribution: ≈ 1 for an ideal gas, first fcc peak at the nearest-neighbour distance", () => {
  const Lb = 6;
  const [disp] = space.periodic(Lb);
  const frames = [0, 1, 2, 3].map((k) => random.uniform(random.key(k), [200, 3]).mul(Lb));
  const { r, g } = quantity.radialDistribution(disp, frames, { rMax: 3, nBins: 15, volume: Lb ** 3 });
  const mean = Array.from(g.slice(5)).reduce((a, b) => a + b) / (g.length - 5);
  assert.ok(Math.abs(mean - 1) < 0.05, `ideal gas g ≈ 1, got ${mean}`);
  const a = 1.6;
  const [dispFcc] = space.periodic(3 * a);
  const fcc = quantity.radialDistribution(dispFcc, fccLattice(3, a), { rMax: 1.5 * a, nBins: 60, volume: (3 * a) ** 3 });
  const first = fcc.g.findIndex((x) => x > 0);
  assert.ok(Math.abs(fcc.r[first] - a / Math.SQRT2) <= 1.5 * a / 60, `first peak at ${fcc.r[first]}`);
  void r;
});

test("mean-squared displacement", () => {
  const R0 = np.zeros([4, 3]);
  const R1 = np.array([[1, 0, 0], [0, 2, 0], [0, 0, 0], [1, 1, 1]]);
  assert.equal(quantity.meanSquaredDisplacement(R0, R1).item(), (1 + 4 + 0 + 3) / 4);
  assert.deepEqual(Array.from(quantity.meanSquaredDisplacement([R0, R1, R1.mul(2)])), [0, 2, 8]);
});

// ---- phonons ---------------------------------------------------------------------------------

test("force constants (Hessian by AD) equal central finite differences of the forces", () => {
  const [free] = space.free();
  const e = ljAllPairs(free);
  const phi = (1 + Math.sqrt(5)) / 2;
  const pts: number[][] = [[0, 0, 0]];
  for (const s1 of [-1, 1]) for (const s2 of [-1, 1]) pts.push([0, s1, s2 * phi], [s1, s2 * phi, 0], [s2 * phi, 0, s1]);
  const Rc = np.array(pts).mul(1.1 / Math.hypot(1, phi)).add(random.uniform(random.key(9), [13, 3]).mul(0.05));
  const fc = phonons.forceConstants(e, Rc);
  assert.deepEqual(fc.shape, [13, 3, 13, 3]);
  const H = fc.data();
  const force = quantity.forces(e);
  const h = 1e-5;
  let worst = 0, scale = 0;
  for (let j = 0; j < 13; j++) for (let b = 0; b < 3; b++) {
    const bump = np.zeros([13, 3]).toArray() as number[][];
    bump[j][b] = h;
    const fp = force(Rc.add(np.array(bump))).data(), fm = force(Rc.sub(np.array(bump))).data();
    for (let i = 0; i < 13; i++) for (let a = 0; a < 3; a++) {
      const fd = -(fp[i * 3 + a] - fm[i * 3 + a]) / (2 * h);
      const ad = H[((i * 3 + a) * 13 + j) * 3 + b];
      worst = Math.max(worst, Math.abs(fd - ad));
      scale = Math.max(scale, Math.abs(ad));
    }
  }
  console.log(`Hessian vs finite differences of forces (LJ13): max |Δ| / max |Φ| = ${(worst / scale).toExponential(2)}`);
  assert.ok(worst / scale < 1e-7);
});

test("phonon frequencies of fcc LJ agree with ASE's finite-displacement phonons", () => {
  const ref = fixture("lj-phonons-ase.json");
  const a: number = ref.latticeConstant;
  const sc = phonons.supercell(np.eye(3).mul(a), ref.basis, ref.supercell);
  const [disp] = space.periodic(3 * a);
  const e = ljAllPairs(disp, { cutoff: ref.cutoff, shift: true });
  const fc = phonons.forceConstants(e, sc.positions);
  const qs = (ref.qFractional as number[][]).map((f) => phonons.qFromFractional(sc, f));
  const ours = phonons.frequencies(fc, sc, qs);
  let worst = 0;
  (ref.frequencies as number[][]).forEach((fr, k) => fr.forEach((w, j) => { worst = Math.max(worst, Math.abs(ours[k][j] - w)); }));
  const wMax = Math.max(...(ref.frequencies as number[][]).flat());
  console.log(`phonons vs ASE (fcc LJ, 3×3×3, ${qs.length} q-points × 12 branches): max |Δω| = ${worst.toExponential(2)} (ω_max = ${wMax.toFixed(4)}); Γ optical ${ours[0][3].toFixed(6)} vs ${ref.frequencies[0][3].toFixed(6)}`);
  // ASE's central differences (δ = 1e-4) carry O(δ²) ≈ 1e-6 relative error and ~1e-5 noise on the zero modes.
  assert.ok(worst < 5e-5, `max |Δω| = ${worst}`);

  // Acoustic sum rule and the other entry points.
  assert.ok(Math.max(...Array.from(ours[0].slice(0, 3), Math.abs)) < 1e-6, "three zero modes at Γ");
  const bands = phonons.bandStructure(fc, sc, [qs[0], phonons.qFromFractional(sc, [0.5, 0, 0])], { pointsPerSegment: 4 });
  assert.equal(bands.frequencies.length, 5);
  assert.ok(Math.abs(bands.frequencies[0][3] - ours[0][3]) < 1e-10);
  const { omega, dos } = phonons.densityOfStates(fc, sc, { nPoints: 400 });
  let integral = 0;
  for (let k = 1; k < omega.length; k++) integral += 0.5 * (dos[k] + dos[k - 1]) * (omega[k] - omega[k - 1]);
  assert.ok(Math.abs(integral - 12) < 1e-3, `DOS integrates to the 12 branches, got ${integral}`);
});
