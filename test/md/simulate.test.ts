import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jit, random, Tensor } from "../../src/index.js";
import { space, simulate, quantity } from "../../src/md/index.js";
import type { EnergyFn } from "../../src/md/index.js";
import { ljAllPairs, fccLattice } from "./lj-all-pairs.js";

// The LAMMPS "melt"/LJ benchmark state point: fcc at ρ = 0.8442, velocities at T = 1.44.
const rho = 0.8442;
// The cutoff must stay below half the box for minimum-image all-pairs sums (L = 5.04 for 108 atoms).
function ljLiquid(cells: number, cutoff = 2.5) {
  const a = Math.cbrt(4 / rho);
  const L = cells * a;
  if (cutoff >= L / 2) throw new Error(`test setup: cutoff ${cutoff} ≥ half the box ${L / 2}`);
  const [displacement, shift] = space.periodic(L);
  const energyFn = ljAllPairs(displacement, { cutoff, shift: true });
  return { R: fccLattice(cells, a), L, displacement, shift, energyFn };
}

function maxAbsDiff(a: Tensor, b: Tensor): number {
  return np.max(np.abs(a.sub(b))).item();
}

/** Mean and standard error of a correlated series by block averaging (nBlocks blocks). */
function blockMean(xs: number[], nBlocks = 10): { mean: number; stderr: number } {
  const m = Math.floor(xs.length / nBlocks);
  const blocks = Array.from({ length: nBlocks }, (_, b) => xs.slice(b * m, (b + 1) * m).reduce((s, x) => s + x, 0) / m);
  const mean = blocks.reduce((s, x) => s + x, 0) / nBlocks;
  const v = blocks.reduce((s, x) => s + (x - mean) ** 2, 0) / (nBlocks - 1);
  return { mean, stderr: Math.sqrt(v / nBlocks) };
}

test("init draws Maxwell–Boltzmann momenta with zero centre-of-mass momentum", () => {
  const { R, energyFn, shift } = ljLiquid(4);
  const { init } = simulate.nve(energyFn, shift, { dt: 0.005 });
  const mass = np.linspace(1, 3, R.shape[0]);
  const s = init(random.key(1), R, { kT: 1.44, mass });
  assert.ok(np.max(np.abs(np.sum(s.momentum, 0))).item() < 1e-10, "total momentum is zero");
  const T = quantity.temperature({ momentum: s.momentum, mass, dof: 3 * (R.shape[0] - 1) }).item();
  assert.ok(Math.abs(T - 1.44) < 0.2, `initial kT ${T} near 1.44`);
});

test("NVE velocity Verlet conserves energy for the LJ liquid (ρ = 0.8442, T = 1.44, dt = 0.005, 256 atoms)", () => {
  const { R, energyFn, shift } = ljLiquid(4);
  const { init, step } = simulate.nve(energyFn, shift, { dt: 0.005 });
  const fast = jit(step);
  let s = init(random.key(0), R, { kT: 1.44 });
  const n = R.shape[0];
  const total = (st: typeof s) => st.energy.item() + quantity.kineticEnergy(st).item();
  const e0 = total(s);
  const series: number[] = [];
  const steps = 500;
  s = simulate.run(fast, s, steps, { callback: (_, st) => series.push(total(st)) });
  const dev = series.map((e) => (e - e0) / n);
  const maxDev = Math.max(...dev.map(Math.abs));
  // Linear drift per atom per unit time from a least-squares fit over the second half.
  const half = dev.slice(steps / 2);
  const ts = half.map((_, k) => (steps / 2 + k + 1) * 0.005);
  const tm = ts.reduce((a, b) => a + b) / ts.length, em = half.reduce((a, b) => a + b) / half.length;
  const slope = ts.reduce((acc, t, k) => acc + (t - tm) * (half[k] - em), 0) / ts.reduce((acc, t) => acc + (t - tm) ** 2, 0);
  const T = quantity.temperature({ momentum: s.momentum, mass: s.mass, dof: 3 * (n - 1) }).item();
  console.log(`NVE LJ N=${n} ${steps} steps dt=0.005: E0/N = ${(e0 / n).toFixed(6)}, max |ΔE|/N = ${maxDev.toExponential(3)}, drift = ${slope.toExponential(3)} per atom per time unit, final kT = ${T.toFixed(4)}`);
  assert.ok(maxDev < 2e-3, `energy fluctuation per atom ${maxDev}`);
  assert.ok(Math.abs(slope) < 1e-3, `energy drift per atom per time ${slope}`);
});

test("jit(step) gives the eager step's numbers for NVE, Langevin and Nosé–Hoover", () => {
  const { R, energyFn, shift } = ljLiquid(2, 1.6);
  const nve = simulate.nve(energyFn, shift, { dt: 0.005 });
  const lan = simulate.nvtLangevin(energyFn, shift, { dt: 0.005, kT: 1.2, gamma: 2 });
  const nh = simulate.nvtNoseHoover(energyFn, shift, { dt: 0.005, kT: 1.2, tau: 0.5 });
  for (const [name, sim] of [["nve", nve], ["langevin", lan], ["noseHoover", nh]] as const) {
    const integrator = sim as simulate.Simulator<simulate.NVEState>;
    let a = integrator.init(random.key(3), R, { kT: 1.2 });
    let b = a;
    const fast = jit(integrator.step);
    for (let i = 0; i < 5; i++) { a = integrator.step(a); b = fast(b); }
    assert.ok(maxAbsDiff(a.position, b.position) < 1e-11, `${name} positions`);
    assert.ok(maxAbsDiff(a.momentum, b.momentum) < 1e-11, `${name} momenta`);
    assert.equal(fast.traceCount, 1, `${name} traced once`);
  }
});

test("Langevin (BAOAB) holds the LJ liquid at the target temperature within statistical error", () => {
  const { R, energyFn, shift } = ljLiquid(3);
  const kT = 1.5;
  const { init, step } = simulate.nvtLangevin(energyFn, shift, { dt: 0.005, kT, gamma: 2 });
  const fast = jit(step);
  let s = init(random.key(7), R);
  s = simulate.run(fast, s, 400);
  const temps: number[] = [];
  s = simulate.run(fast, s, 3000, { callback: (_, st) => temps.push(quantity.temperature(st).item()) });
  const { mean, stderr } = blockMean(temps);
  console.log(`Langevin LJ N=108 kT=${kT}: ⟨kT⟩ = ${mean.toFixed(4)} ± ${stderr.toFixed(4)} over ${temps.length} steps`);
  assert.ok(Math.abs(mean - kT) < Math.max(4 * stderr, 0.01), `⟨kT⟩ = ${mean} ± ${stderr}`);
  assert.ok(Math.abs(mean - kT) / kT < 0.03, "within 3%");
});

test("Nosé–Hoover chain thermostats to kT and conserves its extended energy", () => {
  const { R, energyFn, shift } = ljLiquid(3);
  const kT = 1.0;
  const { init, step } = simulate.nvtNoseHoover(energyFn, shift, { dt: 0.004, kT, tau: 0.2, chainLength: 3 });
  const fast = jit(step);
  let s = init(random.key(11), R);
  const n = R.shape[0];
  const h0 = simulate.noseHooverInvariant(s, kT).item();
  const temps: number[] = [];
  let maxDev = 0;
  s = simulate.run(fast, s, 3000, {
    callback: (i, st) => {
      if (i > 500) temps.push(quantity.temperature({ momentum: st.momentum, mass: st.mass, dof: 3 * (n - 1) }).item());
      maxDev = Math.max(maxDev, Math.abs(simulate.noseHooverInvariant(st, kT).item() - h0) / n);
    },
  });
  const { mean, stderr } = blockMean(temps);
  console.log(`Nosé–Hoover chain LJ N=${n} kT=${kT}: ⟨kT⟩ = ${mean.toFixed(4)} ± ${stderr.toFixed(4)}, max |ΔH|/N = ${maxDev.toExponential(3)}`);
  assert.ok(Math.abs(mean - kT) < Math.max(4 * stderr, 0.02), `⟨kT⟩ = ${mean} ± ${stderr}`);
  assert.ok(maxDev < 3e-3, `extended energy drift ${maxDev}`);
});

test("stochastic cell rescaling drives the volume toward the target pressure", () => {
  const { R, L, energyFn, shift } = ljLiquid(3);
  const kT = 1.5;
  const sim = simulate.nptStochasticCellRescaling(energyFn, shift, { dt: 0.004, kT, pressure: 1.0, gamma: 2, tauP: 0.5, compressibility: 0.1 });
  const fast = jit(sim.step);
  let s = sim.init(random.key(5), R, L);
  const pressureOf = jit((st: typeof s) => quantity.pressure(energyFn, st.position, st.box, { momentum: st.momentum, mass: st.mass }));
  const pressures: number[] = [];
  const vols: number[] = [];
  s = simulate.run(fast, s, 2500, {
    callback: (i, st) => {
      if (i <= 500 || i % 5 !== 0) return;
      vols.push(np.prod(st.box).item());
      pressures.push(pressureOf(st).item());
    },
  });
  const P = blockMean(pressures, 5), V = blockMean(vols, 5);
  console.log(`NPT (stochastic cell rescaling) LJ N=108 kT=${kT} P0=1: ⟨P⟩ = ${P.mean.toFixed(3)} ± ${P.stderr.toFixed(3)}, ⟨ρ⟩ = ${(108 / V.mean).toFixed(4)} (start ρ = ${rho})`);
  assert.ok(Math.abs(P.mean - 1.0) < Math.max(4 * P.stderr, 0.3), `⟨P⟩ = ${P.mean} ± ${P.stderr}`);
  // At kT = 1.5 and P = 1 the LJ fluid is much less dense than 0.8442.
  assert.ok(108 / V.mean < 0.8, `density fell from ${rho} to ${108 / V.mean}`);
});

test("a blow-up throws a clear error naming the step and keeps the last good state", () => {
  // A harmonic well integrated with ω·dt = 3 > 2: velocity Verlet is unstable and overflows.
  const energyFn: EnergyFn = (R) => np.sum(R.square()).mul(0.5);
  const [, shift] = space.free();
  const { init, step } = simulate.nve(energyFn, shift, { dt: 3 });
  const s0 = init(random.key(0), np.array([[1, 0, 0], [0, 1, 0]]));
  assert.throws(() => { let s = s0; for (let i = 0; i < 1000; i++) s = step(s); }, /simulate\.nve step: the (potential energy|positions) became (Infinity|NaN)/);
  let caught: unknown;
  try { simulate.run(jit(step), s0, 1000); } catch (e) { caught = e; }
  assert.ok(caught instanceof simulate.SimulationBlowUp, "run throws SimulationBlowUp");
  const err = caught as simulate.SimulationBlowUp<typeof s0>;
  assert.match(err.message, /^step \d+: simulate\.run step \d+: the (potential energy|positions|momenta) became/);
  assert.ok(Number.isFinite(err.lastGoodState.energy.item()), "last good state is finite");
  assert.throws(() => init(random.key(0), np.array([[NaN, 0, 0]])), /initial positions became NaN/);
});
