// Energies against LAMMPS (numbers in test/fixtures/md/lammps-refs.json, made by
// test/fixtures/md/make-lammps-refs.py with LAMMPS 29 Sep 2021), forces = −∇E against LAMMPS
// forces (float64; the issue asks 1e-8 relative, we hold 1e-11 and see ~1e-15), pressure from the
// strain derivative against LAMMPS's virial pressure, gradients against finite differences,
// all pairs against neighbour lists (sparse/dense, half/full, padded), jit against eager, and
// the potential-file readers' errors.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { np, grad, jit, Tensor } from "../../src/index.js";
import { space, energy } from "../../src/md/index.js";
import type { NeighborList, DisplacementFn, EnergyFn } from "../../src/md/index.js";

// ---- fixtures ---------------------------------------------------------------------------------

const here = dirname(fileURLToPath(import.meta.url));
const fixtureDir = [resolve(here, "../../../test/fixtures/md"), resolve(here, "../fixtures/md"), resolve(process.cwd(), "test/fixtures/md")]
  .find((d) => existsSync(resolve(d, "lammps-refs.json")));
if (!fixtureDir) throw new Error("energy.test: cannot find test/fixtures/md/lammps-refs.json (run from the repository root)");
const fixture = (name: string) => readFileSync(resolve(fixtureDir, name), "utf8");

interface Case {
  name: string; config: string; units: "lj" | "metal"; lammps: string[]; types: number[];
  energy: number; forces: number[][];
  pressure: Record<"press" | "pxx" | "pyy" | "pzz" | "pxy" | "pxz" | "pyz", number>; volume: number;
}
interface Refs { nktv2p: Record<string, number>; configs: Record<string, { box: number[]; positions: number[][] }>; cases: Case[] }
const refs = JSON.parse(fixture("lammps-refs.json")) as Refs;

const CU_U3 = "/usr/share/lammps/potentials/Cu_u3.eam";
const setflAB = () => energy.parseSetfl(fixture("synthetic-AB.eam.alloy"), "synthetic-AB.eam.alloy");
const funcflAB = () => ["A", "B"].map((s) => energy.parseFuncfl(fixture(`synthetic-${s}.eam`), `synthetic-${s}.eam`));

/** The diffmol energy that mirrors a fixture case's LAMMPS settings (null: its file is not installed). */
function energyFor(c: Case, displacement: DisplacementFn, neighborList = false): EnergyFn | null {
  const cutoff = 2.5;
  const pick = <A extends unknown[]>(all: (...a: A) => EnergyFn, nl: (...a: A) => EnergyFn, ...a: A) => (neighborList ? nl : all)(...a);
  switch (c.name) {
    case "lj-fcc-108-shift": return pick(energy.lennardJones, energy.lennardJonesNeighborList, displacement, { sigma: 1, epsilon: 1, cutoff, shift: "energy" });
    case "lj-fcc-108-noshift": return pick(energy.lennardJones, energy.lennardJonesNeighborList, displacement, { sigma: 1, epsilon: 1, cutoff });
    case "lj-binary-108-shift":
      // pair_coeff 1 1 1.0 1.0 / 2 2 0.5 0.88 / 1 2 1.5 0.8 (epsilon sigma)
      return pick(energy.lennardJones, energy.lennardJonesNeighborList, displacement, {
        epsilon: [[1.0, 1.5], [1.5, 0.5]], sigma: [[1.0, 0.8], [0.8, 0.88]], cutoff, shift: "energy",
      });
    case "morse-fcc-108-shift": return pick(energy.morse, energy.morseNeighborList, displacement, { D0: 1, alpha: 3, r0: 1.1, cutoff, shift: "energy" });
    case "buck-fcc-108-noshift": return pick(energy.buckingham, energy.buckinghamNeighborList, displacement, { A: 100, rho: 0.25, C: 1, cutoff });
    case "eam-alloy-synthetic-108":
    case "eam-alloy-synthetic-compressed-108": return pick(energy.eam, energy.eamNeighborList, displacement, setflAB());
    case "eam-funcfl-synthetic-108": return pick(energy.eam, energy.eamNeighborList, displacement, funcflAB());
    case "eam-funcfl-Cu_u3-108":
      if (!existsSync(CU_U3)) return null;
      return pick(energy.eam, energy.eamNeighborList, displacement, energy.parseFuncfl(readFileSync(CU_U3, "utf8"), "Cu_u3.eam"));
    default: throw new Error(`no energy for fixture case ${c.name}`);
  }
}

function setup(c: Case) {
  const cfg = refs.configs[c.config];
  const R = np.array(cfg.positions);
  const species = np.array(c.types.map((t) => t - 1), { dtype: "int32" });
  return { cfg, R, species, L: cfg.box[0] };
}

// ---- helpers ----------------------------------------------------------------------------------

/** Brute-force neighbour list in the NeighborList shape, with `extra` padded slots. */
function bruteForceList(R: Tensor, L: number, cutoff: number, opts: { format: "sparse" | "dense"; half: boolean; extra?: number }): NeighborList {
  const x = Array.from(R.data() as Float64Array);
  const n = R.shape[0];
  const rows: number[][] = Array.from({ length: n }, () => []);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (a === b || (opts.half && b < a)) continue;
      let d2 = 0;
      for (let k = 0; k < 3; k++) {
        let d = x[3 * a + k] - x[3 * b + k];
        d -= Math.round(d / L) * L;
        d2 += d * d;
      }
      if (d2 < cutoff * cutoff) rows[a].push(b);
    }
  }
  const extra = opts.extra ?? 0;
  let i: number[], j: number[], mask: boolean[], capacity: number, needed: number;
  if (opts.format === "sparse") {
    i = []; j = []; mask = [];
    rows.forEach((r, a) => r.forEach((b) => { i.push(a); j.push(b); mask.push(true); }));
    needed = i.length;
    for (let k = 0; k < extra; k++) { i.push(0); j.push(0); mask.push(false); }
    capacity = i.length;
    return {
      format: "sparse", half: opts.half, capacity, needed, overflow: false, referencePositions: R, cutoff, skin: 0,
      i: np.array(i, { dtype: "int32" }), j: np.array(j, { dtype: "int32" }), mask: np.array(mask, { dtype: "bool" }),
    };
  }
  needed = Math.max(...rows.map((r) => r.length));
  capacity = needed + extra;
  i = []; j = []; mask = [];
  rows.forEach((r, a) => {
    for (let k = 0; k < capacity; k++) { i.push(a); j.push(k < r.length ? r[k] : 0); mask.push(k < r.length); }
  });
  return {
    format: "dense", half: opts.half, capacity, needed, overflow: false, referencePositions: R, cutoff, skin: 0,
    i: np.reshape(np.array(i, { dtype: "int32" }), [n, capacity]), j: np.reshape(np.array(j, { dtype: "int32" }), [n, capacity]),
    mask: np.reshape(np.array(mask, { dtype: "bool" }), [n, capacity]),
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, what: string) {
  const scale = Math.max(maxAbs(expected), 1e-300);
  const err = maxAbsDiff(actual, expected) / scale;
  assert.ok(err <= rtol, `${what}: max |Δ| / max |ref| = ${err.toExponential(3)} > ${rtol}`);
}

/** Directional derivative of f at x along v by central differences on the raw numbers. */
function centralDifference(f: (x: Tensor) => number, x: Tensor, v: Float64Array, h: number): number {
  const base = Float64Array.from(x.data() as Float64Array);
  const at = (s: number) => f(np.reshape(np.array(base.map((b, k) => b + s * h * v[k])), x.shape));
  return (at(1) - at(-1)) / (2 * h);
}

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296 * 2 - 1; };
}

/** Pressure tensor −(1/V) ∂E/∂ε at ε = 0, for positions R(1+ε)ᵀ in the cell (1+ε)·diag(L). */
function strainPressure(makeEnergy: (d: DisplacementFn) => EnergyFn, R: Tensor, L: number, species?: Tensor): number[] {
  const cell = np.multiply(np.eye(3), L);
  const [displacement] = space.periodicGeneral(cell, { fractionalCoordinates: false });
  const E = makeEnergy(displacement);
  const strained = (eps: Tensor) => {
    const F = np.eye(3).add(eps);
    return E(np.matmul(R, F.T), { box: np.matmul(F, cell), species });
  };
  const dE = grad(strained)(np.zeros([3, 3])).data() as Float64Array;
  const V = L ** 3;
  // LAMMPS order pxx pyy pzz pxy pxz pyz
  return [dE[0], dE[4], dE[8], 0.5 * (dE[1] + dE[3]), 0.5 * (dE[2] + dE[6]), 0.5 * (dE[5] + dE[7])].map((w) => -w / V);
}

// ---- LAMMPS references ------------------------------------------------------------------------

describe("energies and forces agree with LAMMPS", () => {
  for (const c of refs.cases) {
    test(`${c.name}: energy and forces = −∇E match LAMMPS (${c.lammps[0]})`, (t) => {
      const { R, species, L } = setup(c);
      const [displacement] = space.periodic(L);
      const E = energyFor(c, displacement);
      if (!E) { t.skip(`${CU_U3} not installed`); return; }
      const e = E(R, { species }).item();
      assert.ok(Math.abs(e - c.energy) <= 1e-12 * Math.abs(c.energy), `energy ${e} vs LAMMPS ${c.energy} (rel ${((e - c.energy) / c.energy).toExponential(2)})`);
      const forces = grad((x: Tensor) => E(x, { species }))(R).neg().data() as Float64Array;
      assertClose(forces, c.forces.flat(), 1e-11, "forces");
    });
  }

  for (const name of ["lj-fcc-108-shift", "lj-binary-108-shift", "buck-fcc-108-noshift", "eam-alloy-synthetic-108", "eam-funcfl-synthetic-108"]) {
    test(`${name}: pressure tensor from the strain derivative matches LAMMPS's virial pressure`, () => {
      const c = refs.cases.find((k) => k.name === name)!;
      const { R, species, L } = setup(c);
      const P = strainPressure((d) => energyFor(c, d)!, R, L, species).map((p) => p * refs.nktv2p[c.units]);
      const ref = [c.pressure.pxx, c.pressure.pyy, c.pressure.pzz, c.pressure.pxy, c.pressure.pxz, c.pressure.pyz];
      assertClose(P, ref, 1e-11, "pressure tensor");
      assert.ok(Math.abs((P[0] + P[1] + P[2]) / 3 - c.pressure.press) <= 1e-11 * Math.abs(c.pressure.press));
    });
  }

  test("the compressed EAM case runs past the end of the F(ρ) table (LAMMPS's linear extension is exercised)", () => {
    const c = refs.cases.find((k) => k.name === "eam-alloy-synthetic-compressed-108")!;
    const { R, species, L } = setup(c);
    const pot = energy.eamFromSetfl(setflAB());
    const rho = energy.eamDensity(space.periodic(L)[0], pot)(R, { species }).data() as Float64Array;
    const beyond = Array.from(rho).filter((r) => r > pot.rhomax).length;
    assert.ok(beyond > 0, `no density above rhomax = ${pot.rhomax} (max ${Math.max(...rho)})`);
  });
});

// ---- neighbour lists --------------------------------------------------------------------------

describe("neighbour-list energies equal all-pairs energies", () => {
  const formats = [
    { format: "sparse", half: true }, { format: "sparse", half: false },
    { format: "dense", half: true }, { format: "dense", half: false },
  ] as const;
  for (const name of ["lj-fcc-108-shift", "lj-binary-108-shift", "morse-fcc-108-shift", "eam-alloy-synthetic-108", "eam-funcfl-synthetic-108"]) {
    test(`${name}: sparse/dense × half/full lists with padding give the all-pairs energy and forces`, () => {
      const c = refs.cases.find((k) => k.name === name)!;
      const { R, species, L } = setup(c);
      const [displacement] = space.periodic(L);
      const all = energyFor(c, displacement)!;
      const nl = energyFor(c, displacement, true)!;
      const eAll = all(R, { species }).item();
      const fAll = grad((x: Tensor) => all(x, { species }))(R).data() as Float64Array;
      const listCutoff = (c.units === "metal" ? 4.9 : 2.5) + 0.3; // a skin's worth of extra pairs
      for (const f of formats) {
        const neighbor = bruteForceList(R, L, listCutoff, { ...f, extra: 7 });
        const e = nl(R, { neighbor, species }).item();
        assert.ok(Math.abs(e - eAll) <= 1e-12 * Math.abs(eAll), `${f.format}/${f.half ? "half" : "full"}: ${e} vs ${eAll}`);
        const g = grad((x: Tensor) => nl(x, { neighbor, species }))(R).data() as Float64Array;
        assertClose(g, fAll, 1e-12, `${f.format}/${f.half ? "half" : "full"} forces`);
      }
    });
  }

  test("a smooth-switched LJ is the same over a padded list and over all pairs", () => {
    const c = refs.cases[0];
    const { R, L } = setup(c);
    const [displacement] = space.periodic(L);
    const opts = { cutoff: 2.5, shift: "smooth" as const, rOnset: 2.0 };
    const neighbor = bruteForceList(R, L, 2.8, { format: "sparse", half: true, extra: 100 });
    const a = energy.lennardJones(displacement, opts)(R).item();
    const b = energy.lennardJonesNeighborList(displacement, opts)(R, { neighbor }).item();
    assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(a));
  });
});

// ---- derivatives ------------------------------------------------------------------------------

describe("gradients", () => {
  const c = refs.cases[0];
  const { R, L } = setup(c);
  const [displacement] = space.periodic(L);
  const eamCase = refs.cases.find((k) => k.name === "eam-alloy-synthetic-108")!;
  const eamSetup = setup(eamCase);
  const energies: [string, EnergyFn, Tensor, Tensor | undefined][] = [
    ["smooth LJ", energy.lennardJones(displacement, { cutoff: 2.5, shift: "smooth", rOnset: 2.0 }), R, undefined],
    ["smooth Morse", energy.morse(displacement, { D0: 1, alpha: 3, r0: 1.1, cutoff: 2.5, shift: "smooth" }), R, undefined],
    ["soft sphere (overlapping)", energy.softSphere(displacement, { sigma: 1.3, alpha: 2.5 }), R, undefined],
    ["Buckingham", energy.buckingham(displacement, { A: 100, rho: 0.25, C: 1, cutoff: 2.5 }), R, undefined],
    ["EAM setfl", energy.eam(space.periodic(eamSetup.L)[0], setflAB()), eamSetup.R, eamSetup.species],
    ["EAM funcfl", energy.eam(space.periodic(eamSetup.L)[0], funcflAB()), eamSetup.R, eamSetup.species],
  ];
  for (const [name, E, X, species] of energies) {
    test(`${name}: ∇E along random directions matches central differences`, () => {
      const next = seeded(name.length * 7919);
      const g = grad((x: Tensor) => E(x, { species }))(X).data() as Float64Array;
      const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, x) => s + x * x, 0));
      for (let trial = 0; trial < 3; trial++) {
        const v = Float64Array.from({ length: X.size }, next);
        const exact = g.reduce((s, gk, k) => s + gk * v[k], 0);
        const fd = centralDifference((x) => E(x, { species }).item(), X, v, 1e-6);
        assert.ok(Math.abs(exact - fd) <= 1e-7 * norm(g) * norm(v), `${exact} vs FD ${fd} (|∇E| = ${norm(g)})`);
      }
    });
  }

  test("jit(grad(E)) equals eager grad for LJ and EAM, all pairs and neighbour lists", () => {
    const neighbor = bruteForceList(R, L, 2.8, { format: "sparse", half: true, extra: 5 });
    const ljNl = energy.lennardJonesNeighborList(displacement, { cutoff: 2.5, shift: "energy" });
    const ljAll = energy.lennardJones(displacement, { cutoff: 2.5, shift: "energy" });
    const eamAll = energy.eam(space.periodic(eamSetup.L)[0], setflAB());
    const eamNeighbor = bruteForceList(eamSetup.R, eamSetup.L, 5.2, { format: "dense", half: false, extra: 3 });
    const eamNl = energy.eamNeighborList(space.periodic(eamSetup.L)[0], setflAB());
    const cases: [string, (x: Tensor) => Tensor, Tensor][] = [
      ["LJ all pairs", (x) => ljAll(x), R],
      ["LJ neighbour list", (x) => ljNl(x, { neighbor }), R],
      ["EAM all pairs", (x) => eamAll(x, { species: eamSetup.species }), eamSetup.R],
      ["EAM neighbour list", (x) => eamNl(x, { neighbor: eamNeighbor, species: eamSetup.species }), eamSetup.R],
    ];
    for (const [name, f, X] of cases) {
      const eager = grad(f)(X).data() as Float64Array;
      const jitted = jit(grad(f));
      assertClose(jitted(X).data() as Float64Array, eager, 1e-12, `${name} jit`);
      // A second call with moved positions reuses the compiled program and still agrees.
      const moved = X.add(0.01);
      assertClose(jitted(moved).data() as Float64Array, grad(f)(moved).data() as Float64Array, 1e-12, `${name} jit (moved)`);
    }
  });

  test("padded slots and coincident atoms give finite gradients", () => {
    const [free] = space.free();
    const X = np.array([[0, 0, 0], [0, 0, 0], [0.5, 0, 0]]);
    const neighbor: NeighborList = {
      format: "sparse", half: true, capacity: 6, needed: 3, overflow: false, referencePositions: X, cutoff: 1, skin: 0,
      i: np.array([0, 0, 1, 0, 0, 0], { dtype: "int32" }), j: np.array([1, 2, 2, 0, 0, 0], { dtype: "int32" }),
      mask: np.array([true, true, true, false, false, false], { dtype: "bool" }),
    };
    const soft = energy.softSphereNeighborList(free, { sigma: 1, cutoff: 1 });
    const g = grad((x: Tensor) => soft(x, { neighbor }))(X).data() as Float64Array;
    assert.ok(Array.from(g).every(Number.isFinite), `gradient ${Array.from(g)}`);
    // Soft sphere at r = 0 is ε/α; pairs (0,1) overlap fully, (0,2) and (1,2) at r = 0.5.
    assert.ok(Math.abs(soft(X, { neighbor }).item() - (0.5 + 2 * 0.5 * 0.25)) < 1e-15);
    // LJ over a list of only padded slots: energy 0 and gradient 0, not NaN.
    const lj = energy.lennardJonesNeighborList(free, { cutoff: 2.5, shift: "smooth" });
    const empty: NeighborList = { ...neighbor, cutoff: 2.5, mask: np.zeros([6], { dtype: "bool" }) };
    assert.equal(lj(X, { neighbor: empty }).item(), 0);
    assert.ok(Array.from(grad((x: Tensor) => lj(x, { neighbor: empty }))(X).data()).every((v) => v === 0));
  });

  test("dE/dε of a shifted LJ is E/ε (parameters passed as arguments are differentiable)", () => {
    const E = energy.lennardJones(displacement, { cutoff: 2.5, shift: "energy" });
    const e = E(R).item();
    const dEdEps = grad((eps: Tensor) => E(R, { params: { epsilon: eps } }))(np.array(1.0)).item();
    assert.ok(Math.abs(dEdEps - e) <= 1e-12 * Math.abs(e));
  });
});

// ---- cutoffs ----------------------------------------------------------------------------------

describe("cutoffs and shifts", () => {
  const [free] = space.free();
  const pairAt = (E: EnergyFn, r: number) => E(np.array([[0, 0, 0], [r, 0, 0]])).item();

  test("shift 'energy' subtracts e(cutoff), as LAMMPS pair_modify shift yes", () => {
    const raw = energy.lennardJones(free, { cutoff: 2.5 });
    const shifted = energy.lennardJones(free, { cutoff: 2.5, shift: "energy" });
    const eCut = 4 * (2.5 ** -12 - 2.5 ** -6);
    for (const r of [0.95, 1.3, 2.2, 2.4999]) assert.ok(Math.abs(pairAt(shifted, r) - (pairAt(raw, r) - eCut)) < 1e-15);
    assert.equal(pairAt(shifted, 2.5), 0); // r² < rc² is required
    assert.ok(Math.abs(pairAt(shifted, 2.5 - 1e-9)) < 1e-9);
  });

  test("the smooth switch is 1 inside rOnset, 0 beyond the cutoff, and C² in r (first and second derivatives vanish at both ends)", () => {
    const S = (r: number) => energy.smoothSwitch(np.array(r * r), 2.0, 2.5).item();
    assert.equal(S(1.5), 1);
    assert.equal(S(2.0), 1);
    assert.equal(S(2.5), 0);
    assert.equal(S(3), 0);
    // C² at both ends ⇔ S departs from its end value as h³ (JAX-MD's C¹ switch departs as h²).
    for (const h of [1e-2, 1e-3]) {
      assert.ok(Math.abs(S(2.0 + h) - 1) < 100 * h ** 3, `1 − S(2 + ${h}) = ${1 - S(2 + h)}`);
      assert.ok(Math.abs(S(2.5 - h)) < 200 * h ** 3, `S(2.5 − ${h}) = ${S(2.5 - h)}`);
    }
    const smooth = energy.lennardJones(free, { cutoff: 2.5, shift: "smooth", rOnset: 2.0 });
    const raw = energy.lennardJones(free, {});
    assert.equal(pairAt(smooth, 1.7), pairAt(raw, 1.7));
    assert.ok(Math.abs(pairAt(smooth, 2.49999)) < 1e-10);
  });

  test("a pair function written by the user is lifted with per-species parameters", () => {
    const harmonic: energy.PairFn = (r, { k, r0 }) => np.multiply(k, np.square(r.sub(r0))).mul(0.5);
    const E = energy.pairEnergy(harmonic, free, { params: { k: [[1, 2], [2, 4]], r0: 1 }, cutoff: 3 });
    const X = np.array([[0, 0, 0], [1.5, 0, 0], [0, 2, 0]]);
    const species = np.array([0, 1, 1], { dtype: "int32" });
    const expected = 0.5 * 2 * 0.5 ** 2 + 0.5 * 2 * 1 ** 2 + 0.5 * 4 * 1.5 ** 2; // r = 1.5, 2, 2.5
    assert.ok(Math.abs(E(X, { species }).item() - expected) < 1e-14);
  });
});

// ---- EAM tables and readers ---------------------------------------------------------------------

describe("EAM files and tables", () => {
  test("the setfl reader returns the header, elements and tables of the file", () => {
    const f = setflAB();
    assert.deepEqual([f.nrho, f.drho, f.nr, f.dr, f.cutoff], [200, 0.04, 200, 0.025, 4.9]);
    assert.deepEqual(f.elements.map((e) => [e.name, e.atomicNumber, e.mass, e.latticeType]), [["A", 29, 63.55, "fcc"], ["B", 28, 58.69, "fcc"]]);
    assert.equal(f.rphi.length, 2);
    assert.equal(f.rphi[1].length, 2);
    assert.equal(energy.setflPairTable(f, 0, 1), f.rphi[1][0]);
    assert.equal(f.elements[0].frho[0], 0); // F(0) = 0 for −a√ρ + bρ²
  });

  test("LAMMPS's spline passes through the tabulated values and is continuous between intervals", () => {
    const values = [0, 0.3, 1.1, 0.7, 0.2, -0.4, -0.5, 0.1];
    const n = values.length;
    const s = energy.splineTable([0, ...values], n, 0.5);
    for (let m = 1; m < n; m++) {
      const at = (k: number) => s[7 * m + k];
      assert.ok(Math.abs(at(6) - values[m - 1]) < 1e-15);
      assert.ok(Math.abs(at(3) + at(4) + at(5) + at(6) - values[m]) < 1e-14, `end of interval ${m}`);
      // f' coefficients are d f/dx of the value cubic
      assert.ok(Math.abs(at(0) - 3 * at(3) / 0.5) < 1e-14 && Math.abs(at(1) - 2 * at(4) / 0.5) < 1e-14 && Math.abs(at(2) - at(5) / 0.5) < 1e-14);
    }
  });

  test("opts.elements maps species to elements by name (pair_coeff * * file B A)", () => {
    const c = refs.cases.find((k) => k.name === "eam-alloy-synthetic-108")!;
    const { R, species, L } = setup(c);
    const [displacement] = space.periodic(L);
    const direct = energy.eam(displacement, setflAB())(R, { species }).item();
    const swapped = np.subtract(1, species).astype("int32");
    const mapped = energy.eam(displacement, setflAB(), { elements: ["B", "A"] })(R, { species: swapped }).item();
    assert.ok(Math.abs(direct - mapped) <= 1e-13 * Math.abs(direct));
    assert.throws(() => energy.eam(displacement, setflAB(), { elements: ["Cu"] }), /element "Cu" is not in the potential/);
    assert.throws(() => energy.eam(displacement, setflAB())(R, { species: np.full([R.shape[0]], 2, { dtype: "int32" }) }), /species\[0\] = 2/);
  });

  test("readEam picks setfl for *.eam.alloy and funcfl otherwise", () => {
    const a = energy.readEam(fixture("synthetic-AB.eam.alloy"), "synthetic-AB.eam.alloy");
    assert.deepEqual(a.elements, ["A", "B"]);
    const b = energy.readEam(fixture("synthetic-A.eam"), "synthetic-A.eam");
    // funcfl tables are regridded: LAMMPS keeps nrho − 1 and nr − 1 points
    assert.deepEqual([b.nrho, b.nr, b.cutoff], [199, 199, 4.9]);
  });

  describe("reader errors name the file and line", () => {
    const good = fixture("synthetic-A.eam").split("\n");
    const withLine = (k: number, text: string) => good.map((l, i) => (i === k ? text : l)).join("\n");
    test("a bad grid line", () => {
      assert.throws(() => energy.parseFuncfl(withLine(2, "200 0.04 200"), "Cu_u3.eam"),
        { message: 'Cu_u3.eam:3: expected Nrho drho Nr dr cutoff, found "200 0.04 200"' });
      assert.throws(() => energy.parseFuncfl(withLine(2, "200 0.04 2x0 0.025 4.9"), "Cu_u3.eam"), /^Error: Cu_u3\.eam:3: .*Nr is not a number/);
      assert.throws(() => energy.parseFuncfl(withLine(2, "200.5 0.04 200 0.025 4.9"), "x.eam"), /x\.eam:3: .*Nrho must be an integer/);
    });
    test("a non-number among the tabulated values", () => {
      const lines = [...good];
      lines[10] = lines[10].replace(/^\S+/, "abc");
      assert.throws(() => energy.parseFuncfl(lines.join("\n"), "A.eam"), /^Error: A\.eam:11: expected value \d+ of 200 of F\(rho\) to be a number, found "abc"/);
    });
    test("a truncated file", () => {
      assert.throws(() => energy.parseFuncfl(good.slice(0, 50).join("\n"), "short.eam"), /^Error: short\.eam:\d+: expected 200 values of Z\(r\), found the end of the file after \d+/);
      const setfl = fixture("synthetic-AB.eam.alloy").split("\n");
      assert.throws(() => energy.parseSetfl(setfl.slice(0, 3).join("\n"), "AB.eam.alloy"), /^Error: AB\.eam\.alloy:3: expected Nelements Element1 Element2 …, found the end of the file/);
      assert.throws(() => energy.parseSetfl([...setfl.slice(0, 3), "2 A", ...setfl.slice(4)].join("\n"), "AB.eam.alloy"),
        /AB\.eam\.alloy:4: expected Nelements Element1 Element2 … with 2 element names, found 1/);
    });
  });
});

// ---- usage errors -----------------------------------------------------------------------------

describe("usage errors", () => {
  const [free] = space.free();
  const X = np.array([[0, 0, 0], [1.2, 0, 0]]);
  test("a neighbour-list energy without a list, or without a cutoff", () => {
    assert.throws(() => energy.lennardJonesNeighborList(free, { cutoff: 2.5 })(X), /energy\.lennardJonesNeighborList: no neighbour list given/);
    assert.throws(() => energy.lennardJonesNeighborList(free, {}), /energy\.lennardJonesNeighborList: a neighbour-list energy needs a finite cutoff/);
  });
  test("an overflowed list, or one shorter than the cutoff", () => {
    const neighbor = bruteForceList(X, 100, 3, { format: "sparse", half: true });
    const E = energy.lennardJonesNeighborList(free, { cutoff: 2.5 });
    assert.throws(() => E(X, { neighbor: { ...neighbor, overflow: true, needed: 9 } }), /overflowed \(it needed 9 slots but has 1\)/);
    assert.throws(() => E(X, { neighbor: { ...neighbor, cutoff: 2 } }), /cutoff 2 is shorter than the energy's 2\.5/);
  });
  test("species-indexed parameters without species, and malformed parameters", () => {
    assert.throws(() => energy.lennardJones(free, { sigma: [[1, 2], [2, 1]] })(X), /parameter "sigma" is an \[2,2\] matrix, so the energy needs per-atom species/);
    assert.throws(() => energy.lennardJones(free, { sigma: [1, 2, 3] }), /energy\.lennardJones: parameter "sigma" must be a number or an \[S, S\] matrix/);
    assert.throws(() => energy.lennardJones(free, { shift: "energy" }), /shift "energy" needs a finite cutoff/);
    assert.throws(() => energy.buckingham(free, { A: 1 } as never), /A and rho are required/);
  });
});
