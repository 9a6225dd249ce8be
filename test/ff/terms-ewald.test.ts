// Ewald summation and smooth PME (src/ff/terms): β from ewald-rtol as GROMACS finds it, the NaCl
// Madelung constant from a converged Ewald sum, PME against a converged Ewald sum (energy, forces,
// virial), PME grid sizes against GROMACS's grompp (test/fixtures/ff/terms/make-pme-grid-refs.sh),
// forces/charge gradients/virial against finite differences, the FFT and dense-DFT transforms
// against each other, jit against eager.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { np, grad, jit, Tensor } from "../../src/index.js";
import { ONE_4PI_EPS0 } from "../../src/units.js";
import {
  ewaldCoefficient, ewaldRealSpace, ewaldReciprocal, ewaldSelfEnergy, ewaldExclusionCorrection, ewaldChargeCorrection,
  pmeReciprocal, pmeGridSize, bsplineWeights, allPairs, coulomb, erfcNumber,
} from "../../src/ff/terms/index.js";
import { assertGradMatchesFD, assertVirialMatchesStrainFD, assertClose, randomPositions } from "./terms-helpers.js";

const hasFft = typeof (np as unknown as { fft?: { rfftn?: unknown } }).fft?.rfftn === "function";

// A random neutral system of 24 charges in a triclinic box.
const box = np.array([[1.5, 0, 0], [0.25, 1.4, 0], [-0.2, 0.3, 1.45]]);
const N = 24;
const R = randomPositions(5, N, box);
const charges = np.array(Array.from({ length: N }, (_, a) => (a % 2 === 0 ? 1 : -1) * (0.3 + 0.05 * (a % 5))));
const qMean = Array.from(charges.data()).reduce((s, v) => s + v, 0) / N;
const q = charges.sub(qMean); // exactly neutral
const rc = 0.7;
const beta = ewaldCoefficient(rc, 1e-5);

describe("Ewald", () => {
  test("β from ewald-rtol: erfc(β rc) = rtol, and GROMACS's 3.12341 nm⁻¹ for rc = 1 nm, rtol = 1e-5", () => {
    const b1 = ewaldCoefficient(1.0, 1e-5);
    assert.ok(Math.abs(b1 - 3.12341) < 5e-6, `β = ${b1}`);
    assertClose(erfcNumber(b1 * 1.0), 1e-5, 1e-9, "erfc(β rc)");
    assertClose(erfcNumber(0.5), 0.4795001221869535, 1e-14, "erfc(0.5)");
    assertClose(erfcNumber(3), 2.209049699858544e-05, 1e-13, "erfc(3)");
  });
  test("NaCl: the converged Ewald sum gives the Madelung constant 1.747564594633", () => {
    // 2 × 2 × 2 conventional rock-salt cells (64 ions), a = 0.5 nm, nearest-neighbour r0 = a/2.
    const a = 0.5, pos: number[][] = [], qs: number[] = [];
    for (let x = 0; x < 4; x++) for (let y = 0; y < 4; y++) for (let z = 0; z < 4; z++) {
      pos.push([x * a / 2, y * a / 2, z * a / 2]);
      qs.push((x + y + z) % 2 === 0 ? 1 : -1);
    }
    const L = 2 * a;
    const B = np.eye(3).mul(L);
    const P = np.array(pos);
    const cut = 0.49, b = 11.0; // erfc(b · cut) ≈ 3e-12; reciprocal terms to exp(−π² n²/(b L)²) at n = 20: 4e-15
    const real = ewaldRealSpace(P, B, allPairs(64), qs, { beta: b, cutoff: cut, shift: false }).item();
    const recip = ewaldReciprocal(P, B, qs, { beta: b, kmax: 20 }).item();
    const self = ewaldSelfEnergy(qs, { beta: b }).item();
    const madelung = -(real + recip + self) / ((64 / 2) * ONE_4PI_EPS0 / (a / 2));
    assert.ok(Math.abs(madelung - 1.747564594633) < 1e-9, `Madelung constant ${madelung}`);
  });
  test("excluded-pair correction, self term and net-charge correction formulas", () => {
    const P = np.array([[0.1, 0.1, 0.1], [0.2, 0.15, 0.1], [0.7, 0.8, 0.9]]);
    const B = np.eye(3).mul(2);
    const qs = [0.5, -0.7, 0.4];
    const corr = ewaldExclusionCorrection(P, B, [[0, 1]], qs, { beta: 3 }).item();
    const r = Math.hypot(0.1, 0.05);
    assertClose(corr, -ONE_4PI_EPS0 * 0.5 * -0.7 * (1 - erfcNumber(3 * r)) / r, 1e-13, "exclusion correction");
    // Masked real space + correction = all-pairs real space − bare Coulomb of the excluded pair.
    const all = ewaldRealSpace(P, B, allPairs(3), qs, { beta: 3, cutoff: 0.99, shift: false }).item();
    const rest = ewaldRealSpace(P, B, allPairs(3, { exclusions: [[0, 1]] }), qs, { beta: 3, cutoff: 0.99, shift: false }).item();
    const bare = coulomb(P, null, { i: np.array([0], { dtype: "int32" }), j: np.array([1], { dtype: "int32" }) }, qs).item();
    assertClose(rest + corr, all - bare, 1e-12, "exclusion identity");
    assertClose(ewaldSelfEnergy(qs, { beta: 3, epsilonR: 2 }).item(), (-ONE_4PI_EPS0 / 2) * 3 / Math.sqrt(Math.PI) * (0.25 + 0.49 + 0.16), 1e-14, "self");
    assertClose(ewaldChargeCorrection(B, qs, { beta: 3 }).item(), -ONE_4PI_EPS0 * Math.PI * 0.2 ** 2 / (2 * 8 * 9), 1e-12, "net charge");
  });
  test("real-space shift: erfc(βr)/r − erfc(βrc)/rc is zero at rc", () => {
    const P = np.array([[0, 0, 0], [rc - 1e-10, 0, 0]]);
    assert.ok(Math.abs(ewaldRealSpace(P, np.eye(3).mul(3), allPairs(2), [1, 1], { beta, cutoff: rc }).item()) < 1e-6);
  });
  const ewaldTotal = (P: Tensor, B: Tensor) => ewaldRealSpace(P, B, allPairs(N), q, { beta, cutoff: rc })
    .add(ewaldReciprocal(P, B, q, { beta, kmax: 10 })).add(ewaldSelfEnergy(q, { beta }));
  test("Ewald forces and virial equal finite differences; translation invariance", () => {
    assertGradMatchesFD((P) => ewaldTotal(P, box), R, { label: "Ewald force", tol: 1e-6, maxComponents: 24 });
    assertVirialMatchesStrainFD(ewaldTotal, R, box, { label: "Ewald", tol: 1e-6 });
    assertClose(ewaldTotal(R.add(np.array([0.37, -0.21, 0.8])), box).item(), ewaldTotal(R, box).item(), 1e-11, "translated");
  });
});

describe("smooth PME", () => {
  test("grid sizes equal those GROMACS's grompp picks (fixture from gmx_d grompp)", () => {
    const refs = JSON.parse(readFileSync("test/fixtures/ff/terms/pme-grid-refs.json", "utf8")) as { cases: { box: number[][]; spacing: number; order: number; grid: number[] }[] };
    assert.ok(refs.cases.length >= 10);
    for (const c of refs.cases) assert.deepEqual(pmeGridSize(np.array(c.box), c.spacing, c.order), c.grid, `box ${JSON.stringify(c.box)} spacing ${c.spacing} order ${c.order}`);
  });
  test("B-spline weights: partition of unity and the cubic B-spline values", () => {
    for (const order of [4, 5, 6]) {
      const w = bsplineWeights(np.array([0, 0.3, 0.999]), order);
      const sums = w.reduce((s, t) => s.add(t)).data();
      for (const s of sums) assertClose(s, 1, 1e-14, `order ${order} sum`);
    }
    const m4 = bsplineWeights(np.array(0.0), 4).map((t) => t.item());
    [0, 1 / 6, 4 / 6, 1 / 6].forEach((v, k) => assertClose(m4[k], v, 1e-15, `M4(${k})`, 1e-16));
  });
  test("PME equals a converged Ewald sum (order 8, 40³ grid): energy to 5e-9, forces and virial to 1e-7", () => {
    const ref = ewaldReciprocal(R, box, q, { beta, kmax: 14 });
    const pme = pmeReciprocal(R, box, q, { beta, grid: [40, 40, 40], order: 8, transform: "dft" });
    assertClose(pme.item(), ref.item(), 5e-9, "PME vs Ewald energy");
    const fE = grad((P: Tensor) => ewaldReciprocal(P, box, q, { beta, kmax: 14 }))(R).data();
    const fP = grad((P: Tensor) => pmeReciprocal(P, box, q, { beta, grid: [40, 40, 40], order: 8, transform: "dft" }))(R).data();
    const scale = Math.max(...Array.from(fE, Math.abs));
    fE.forEach((v, k) => assert.ok(Math.abs(fP[k] - v) < 1e-7 * scale, `force ${k}: ${fP[k]} vs ${v}`));
    const strainE = (E: (P: Tensor, B: Tensor) => Tensor) => grad((eps: Tensor) => { const F = np.eye(3).add(eps); return E(np.matmul(R, F.T), np.matmul(box, F.T)); })(np.zeros([3, 3])).data();
    const vE = strainE((P, B) => ewaldReciprocal(P, B, q, { beta, kmax: 14 }));
    const vP = strainE((P, B) => pmeReciprocal(P, B, q, { beta, grid: [40, 40, 40], order: 8, transform: "dft" }));
    const vs = Math.max(...Array.from(vE, Math.abs));
    vE.forEach((v, k) => assert.ok(Math.abs(vP[k] - v) < 1e-7 * vs, `virial ${k}: ${vP[k]} vs ${v}`));
  });
  test("PME at GROMACS's default spacing 0.12 nm: within 5e-3 of Ewald at order 4, better at orders 5 and 6", () => {
    const ref = ewaldReciprocal(R, box, q, { beta, kmax: 14 }).item();
    let last = Infinity;
    for (const order of [4, 5, 6]) {
      const e = pmeReciprocal(R, box, q, { beta, grid: pmeGridSize(box, 0.12, order), order, transform: "dft" }).item();
      const err = Math.abs(e - ref) / Math.abs(ref);
      assert.ok(err < 5e-3, `order ${order}: relative error ${err}`);
      assert.ok(err < last, `order ${order} should not be worse than the lower order (${err} vs ${last})`);
      last = err;
    }
  });
  const pmeE = (P: Tensor, B: Tensor) => pmeReciprocal(P, B, q, { beta, grid: [12, 12, 12], order: 5, transform: "dft" });
  test("PME forces, charge gradients and virial equal finite differences (the box enters through np)", () => {
    assertGradMatchesFD((P) => pmeE(P, box), R, { label: "PME force", tol: 1e-6, maxComponents: 24 });
    assertGradMatchesFD((c) => pmeReciprocal(R, box, c, { beta, grid: [12, 12, 12], order: 5, transform: "dft" }), q, { label: "PME dq", h: 1e-6, tol: 1e-7, maxComponents: 8 });
    assertVirialMatchesStrainFD(pmeE, R, box, { label: "PME", tol: 1e-6 });
  });
  test("np.fft.rfftn and the dense DFT give the same PME energy and forces", { skip: !hasFft && "np.fft.rfftn is not in this build of the core" }, () => {
    const opts = { beta, grid: [15, 16, 18] as [number, number, number], order: 4 };
    const a = pmeReciprocal(R, box, q, { ...opts, transform: "fft" }).item();
    const b = pmeReciprocal(R, box, q, { ...opts, transform: "dft" }).item();
    assertClose(a, b, 1e-12, "fft vs dft");
    const fa = grad((P: Tensor) => pmeReciprocal(P, box, q, { ...opts, transform: "fft" }))(R).data();
    const fb = grad((P: Tensor) => pmeReciprocal(P, box, q, { ...opts, transform: "dft" }))(R).data();
    fa.forEach((v, k) => assertClose(v, fb[k], 1e-10, `force ${k}`, 1e-9));
  });
  test("jit equals eager for PME energy and forces", () => {
    const f = (P: Tensor) => pmeE(P, box);
    assertClose(jit(f)(R).item(), f(R).item(), 1e-12, "PME jit energy");
    const a = grad(f)(R).data(), b = jit(grad(f))(R).data();
    a.forEach((v, k) => assertClose(b[k], v, 1e-10, `PME jit force ${k}`, 1e-9));
  });
});
