import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jit, Tensor } from "../../src/index.js";
import { space, minimize } from "../../src/md/index.js";
import { ljAllPairs } from "./lj-all-pairs.js";

// Global minima of LJ clusters (Cambridge Cluster Database; Wales & Doye 1997), ε = σ = 1.
const E_LJ13 = -44.326801;
const E_LJ38 = -173.928427;

const [displacement, shift] = space.free();
const energyFn = ljAllPairs(displacement); // no cutoff: the isolated cluster

/** Centre plus the 12 vertices (0, ±1, ±φ) and cyclic permutations of an icosahedron, radius r. */
function icosahedron13(r: number): Tensor {
  const phi = (1 + Math.sqrt(5)) / 2;
  const v: number[][] = [[0, 0, 0]];
  for (const s1 of [-1, 1]) for (const s2 of [-1, 1]) v.push([0, s1, s2 * phi], [s1, s2 * phi, 0], [s2 * phi, 0, s1]);
  const norm = Math.hypot(1, phi);
  return np.array(v.map((p) => p.map((x) => (x * r) / norm)));
}

/**
 * The 38-atom fcc truncated octahedron: the fcc sites (integer (i, j, k) with i + j + k even,
 * in units of half the cubic lattice constant) nearest an octahedral hole, taken at (1, 0, 0).
 * Offsets from the hole with odd coordinate sum: |δ|² = 1 (6, the inner octahedron), 3 (8, the
 * hexagonal-face centres) and 5 (24, the square-face atoms) — 6 + 32 = 38.
 */
function truncatedOctahedron38(nearestNeighbor: number): Tensor {
  const sites: number[][] = [];
  for (let i = -3; i <= 3; i++) for (let j = -3; j <= 3; j++) for (let k = -3; k <= 3; k++) {
    if ((((i + j + k) % 2) + 2) % 2 !== 1) continue;
    const r2 = i * i + j * j + k * k;
    if (r2 === 1 || r2 === 3 || r2 === 5) sites.push([i, j, k]);
  }
  assert.equal(sites.length, 38);
  const h = nearestNeighbor / Math.SQRT2; // half lattice constant
  return np.array(sites.map((p) => p.map((x) => x * h)));
}

test("FIRE relaxes the 13-atom LJ icosahedron to E = −44.326801", () => {
  const fire = minimize.fireDescent(energyFn, shift);
  const res = minimize.run(fire, icosahedron13(1.0), { maxSteps: 5000, fmax: 1e-7 });
  console.log(`LJ13 FIRE: E = ${res.energy.toFixed(8)} after ${res.steps} steps, max |F| = ${res.maxForce.toExponential(2)}`);
  assert.ok(res.converged, "converged");
  assert.ok(Math.abs(res.energy - E_LJ13) < 1e-6, `E = ${res.energy}`);
});

test("FIRE relaxes the 38-atom truncated octahedron (started from an ideal fcc cut) to E = −173.928427", () => {
  // The default dtStart = 0.1 / dtMax = 0.4 exceed the velocity-Verlet stability limit
  // (ω_max·dt < 2) of a close-packed LJ cluster (ω_max ≈ 25): use smaller steps.
  const fire = minimize.fireDescent(energyFn, shift, { dtStart: 0.02, dtMax: 0.1 });
  const start = truncatedOctahedron38(1.1);
  const e0 = energyFn(start).item();
  const res = minimize.run(fire, start, { maxSteps: 10000, fmax: 1e-7, step: jit(fire.step) });
  console.log(`LJ38 FIRE: E = ${res.energy.toFixed(8)} after ${res.steps} steps from E0 = ${e0.toFixed(4)}, max |F| = ${res.maxForce.toExponential(2)}`);
  assert.ok(res.converged, "converged");
  assert.ok(Math.abs(res.energy - E_LJ38) < 1e-6, `E = ${res.energy}`);
});

test("jit(FIRE step) takes the eager step's path", () => {
  const fire = minimize.fireDescent(energyFn, shift);
  const fast = jit(fire.step);
  let a = fire.init(icosahedron13(1.05));
  let b = a;
  for (let i = 0; i < 30; i++) { a = fire.step(a); b = fast(b); }
  assert.ok(np.max(np.abs(a.position.sub(b.position))).item() < 1e-12);
  assert.equal(a.dt.item(), b.dt.item());
  assert.equal(fast.traceCount, 1);
});

test("gradient descent lowers the energy monotonically to the LJ13 minimum", () => {
  const gd = minimize.gradientDescent(energyFn, shift, { stepSize: 0.002 });
  let s = gd.init(icosahedron13(1.05));
  let last = s.energy.item();
  for (let i = 0; i < 50; i++) {
    s = gd.step(s);
    assert.ok(s.energy.item() <= last + 1e-12, "energy does not rise");
    last = s.energy.item();
  }
  const res = minimize.run(gd, s.position, { maxSteps: 20000, fmax: 1e-6, step: jit(gd.step) });
  assert.ok(Math.abs(res.energy - E_LJ13) < 1e-6, `E = ${res.energy}`);
});

test("minimize.run reports non-convergence and rejects NaN input", () => {
  const fire = minimize.fireDescent(energyFn, shift);
  const res = minimize.run(fire, icosahedron13(1.2), { maxSteps: 3, fmax: 1e-9 });
  assert.equal(res.converged, false);
  assert.equal(res.steps, 3);
  assert.throws(() => minimize.run(fire, np.array([[0, 0, NaN], [1, 0, 0]])), /initial positions became NaN/);
});
