// Non-bonded force-field terms without Ewald (src/ff/terms): LJ with GROMACS's potential shift,
// combination rules and overrides, LJ-14/Coulomb-14, plain Coulomb, reaction field with its
// exclusion correction, the dispersion correction; pair lists from md's neighbour list with
// exclusions; forces and virials against finite differences; jit against eager.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { np, grad, jit, Tensor } from "../../src/index.js";
import { ONE_4PI_EPS0 } from "../../src/units.js";
import {
  lennardJones, lennardJones14, combinationRule, applyPairOverrides, pairParameters, coulomb, coulomb14, reactionField,
  reactionFieldExclusionCorrection, reactionFieldConstants, dispersionCorrection, dispersionCorrectionPressure,
  averagePairParameter, allPairs, maskExclusions, pairListBuilder, uniqueExclusions,
} from "../../src/ff/terms/index.js";
import { assertGradMatchesFD, assertVirialMatchesStrainFD, assertClose, randomPositions, randomRotation, strained } from "./terms-helpers.js";

// A small periodic box of 3-site "molecules" (water-like charges), triclinic.
const box = np.array([[1.6, 0, 0], [0.2, 1.5, 0], [-0.3, 0.4, 1.55]]);
const nMol = 12;
const centres = randomPositions(11, nMol, box).data();
const sites: number[][] = [];
for (let m = 0; m < nMol; m++) {
  const c = [centres[3 * m], centres[3 * m + 1], centres[3 * m + 2]];
  sites.push(c, [c[0] + 0.1, c[1], c[2]], [c[0] - 0.033, c[1] + 0.094, c[2]]);
}
const R = np.array(sites);
const N = R.shape[0];
const charges = np.array(Array.from({ length: N }, (_, a) => (a % 3 === 0 ? -0.8476 : 0.4238)));
const types = Array.from({ length: N }, (_, a) => (a % 3 === 0 ? 0 : 1));
const exclusions: number[][] = [];
for (let m = 0; m < nMol; m++) exclusions.push([3 * m, 3 * m + 1], [3 * m, 3 * m + 2], [3 * m + 1, 3 * m + 2]);
const { c6, c12 } = combinationRule(2, [0.3166, 0.12], [0.65, 0.05]);
const rc = 0.65;
const allList = maskExclusions(allPairs(N), exclusions, N);
const ljE = (P: Tensor, B: Tensor) => lennardJones(P, B, allList, pairParameters(c6, types, allList.i, allList.j), pairParameters(c12, types, allList.i, allList.j), { cutoff: rc });

describe("Lennard-Jones and combination rules", () => {
  test("two atoms: C12/r¹² − C6/r⁶ minus its value at rc (potential shift); zero beyond rc", () => {
    const P = np.array([[0, 0, 0], [0.33, 0, 0], [1.5, 0, 0]]);
    const pairs = allPairs(3);
    const a6 = 2.6e-3, a12 = 2.6e-6;
    const v = (r: number) => a12 / r ** 12 - a6 / r ** 6;
    const e = lennardJones(P, null, pairs, np.full([3], a6), np.full([3], a12), { cutoff: 1.0 }).item();
    assertClose(e, v(0.33) - v(1.0), 1e-13, "LJ shifted (pairs at 1.17 and 1.5 are beyond rc)");
    const plain = lennardJones(P, null, pairs, np.full([3], a6), np.full([3], a12)).item();
    assertClose(plain, v(0.33) + v(1.5) + v(1.17), 1e-13, "LJ no cut-off");
  });
  test("combination rules 1, 2, 3 and nonbond_params overrides", () => {
    const s = [0.3, 0.25], e = [0.5, 0.2];
    const r2 = combinationRule(2, s, e);
    const sig = 0.275, eps = Math.sqrt(0.1);
    assertClose((r2.c6.toArray() as number[][])[0][1], 4 * eps * sig ** 6, 1e-14, "rule 2 C6");
    assertClose((r2.c12.toArray() as number[][])[1][0], 4 * eps * sig ** 12, 1e-14, "rule 2 C12");
    const r3 = combinationRule(3, s, e);
    assertClose((r3.c6.toArray() as number[][])[0][1], 4 * eps * Math.sqrt(0.075) ** 6, 1e-14, "rule 3 C6");
    const r1 = combinationRule(1, [1e-3, 4e-3], [1e-6, 9e-6]);
    assertClose((r1.c6.toArray() as number[][])[0][1], 2e-3, 1e-14, "rule 1 C6");
    assertClose((r1.c12.toArray() as number[][])[0][1], 3e-6, 1e-14, "rule 1 C12");
    const o = combinationRule(2, s, e, { overrides: { i: [1], j: [0], a: [0.31], b: [0.4] } });
    assertClose((o.c6.toArray() as number[][])[0][1], 4 * 0.4 * 0.31 ** 6, 1e-14, "override (0,1)");
    assertClose((o.c6.toArray() as number[][])[1][0], 4 * 0.4 * 0.31 ** 6, 1e-14, "override (1,0)");
    assertClose((o.c6.toArray() as number[][])[1][1], (r2.c6.toArray() as number[][])[1][1], 1e-14, "untouched (1,1)");
    // gen-pairs: fudgeLJ × the normal table, [ pairtypes ] entries as given.
    const p14 = applyPairOverrides(2, r2.c6, r2.c12, { i: [1], j: [1], a: [0.2], b: [0.3] }, { scale: 0.5 });
    assertClose((p14.c6.toArray() as number[][])[0][1], 0.5 * (r2.c6.toArray() as number[][])[0][1], 1e-14, "fudged (0,1)");
    assertClose((p14.c12.toArray() as number[][])[1][1], 4 * 0.3 * 0.2 ** 12, 1e-14, "pairtype (1,1)");
  });
  test("gradient with respect to per-type σ, ε collects every pair of that type (FD)", () => {
    const E = (p: Tensor) => {
      const { c6: C6, c12: C12 } = combinationRule(2, np.slice(p, 0), np.slice(p, 1), { overrides: { i: [0], j: [1], a: np.slice(p, 2, [0, 1]), b: np.slice(p, 2, [1, 2]) } });
      return lennardJones(R, box, allList, pairParameters(C6, types, allList.i, allList.j), pairParameters(C12, types, allList.i, allList.j), { cutoff: rc });
    };
    assertGradMatchesFD(E, np.array([[0.3166, 0.12], [0.65, 0.05], [0.2, 0.3]]), { h: 1e-7, tol: 1e-6, label: "σ, ε" });
  });
  test("LJ forces and virial equal finite differences (triclinic box, exclusions masked)", () => {
    assertGradMatchesFD((P) => ljE(P, box), R, { label: "LJ force", tol: 1e-6, maxComponents: 40 });
    assertVirialMatchesStrainFD(ljE, R, box, { label: "LJ", tol: 1e-6 });
  });
  test("md's neighbour list with exclusions gives the all-pairs energy", () => {
    const builder = pairListBuilder(box, { cutoff: rc, skin: 0.05, exclusions, numAtoms: N });
    const list = builder.allocate(R);
    const e1 = lennardJones(R, box, list, pairParameters(c6, types, list.i, list.j), pairParameters(c12, types, list.i, list.j), { cutoff: rc }).item();
    assertClose(e1, ljE(R, box).item(), 1e-12, "neighbour list vs all pairs");
    const rf = { cutoff: rc, epsilonRF: 0 };
    assertClose(reactionField(R, box, list, charges, rf).item(), reactionField(R, box, allList, charges, rf).item(), 1e-12, "RF list");
    // The list is a pytree: it passes through jit, and an update after a small move keeps it.
    const f = jit((P: Tensor, l: typeof list) => reactionField(P, box, l, charges, rf));
    assertClose(f(R, list).item(), reactionField(R, box, list, charges, rf).item(), 1e-12, "jit with a neighbour list");
    const moved = R.add(0.01);
    const list2 = builder.update(moved, list);
    assertClose(f(moved, list2).item(), reactionField(moved, box, allList, charges, rf).item(), 1e-12, "updated list");
  });
  test("LJ-14: per-pair C6/C12 without cut-off; forces = FD", () => {
    const P = np.array([[0, 0, 0], [0.25, 0.1, 0], [0.1, 0.3, 0.2]]);
    const e = lennardJones14(P, null, [[0, 1], [0, 2]], [1e-3, 2e-3], [1e-6, 3e-6]).item();
    const r1 = Math.hypot(0.25, 0.1), r2 = Math.hypot(0.1, 0.3, 0.2);
    assertClose(e, 1e-6 / r1 ** 12 - 1e-3 / r1 ** 6 + 3e-6 / r2 ** 12 - 2e-3 / r2 ** 6, 1e-13, "LJ-14");
    assertGradMatchesFD((X) => lennardJones14(X, null, [[0, 1], [0, 2]], [1e-3, 2e-3], [1e-6, 3e-6]), P, { label: "LJ-14" });
  });
});

describe("Coulomb and reaction field", () => {
  test("plain Coulomb and Coulomb-14 with fudgeQQ and ε_r", () => {
    const P = np.array([[0, 0, 0], [0.3, 0, 0]]);
    assertClose(coulomb(P, null, allPairs(2), [1, -0.5]).item(), -0.5 * ONE_4PI_EPS0 / 0.3, 1e-14, "Coulomb");
    assertClose(coulomb14(P, null, [[0, 1]], [1, -0.5], { fudgeQQ: 0.8333, epsilonR: 2 }).item(), (-0.5 * 0.8333 * ONE_4PI_EPS0) / (2 * 0.3), 1e-14, "Coulomb-14");
  });
  test("reaction field: f qq (1/r + k_rf r² − c_rf), zero at rc; ε_rf = 0 means ∞", () => {
    const { kRF, cRF } = reactionFieldConstants({ cutoff: 1.2, epsilonRF: 0 });
    assertClose(kRF, 1 / (2 * 1.2 ** 3), 1e-15, "k_rf");
    assert.equal(reactionFieldConstants({ cutoff: 1.2 }).kRF, kRF, "the default ε_rf is the .mdp default, ∞");
    assert.equal(reactionFieldConstants({ cutoff: 1.2, epsilonRF: 1 }).kRF, 0, "ε_rf = 1 is a plain cut-off");
    const k2 = reactionFieldConstants({ cutoff: 1.2, epsilonRF: 78, epsilonR: 1 });
    assertClose(k2.kRF, 77 / (157 * 1.2 ** 3), 1e-15, "k_rf(78)");
    const P = np.array([[0, 0, 0], [0.5, 0, 0], [0, 1.3, 0]]);
    const e = reactionField(P, null, allPairs(3), [0.5, -1, 1], { cutoff: 1.2, epsilonRF: 0 }).item();
    assertClose(e, ONE_4PI_EPS0 * -0.5 * (1 / 0.5 + kRF * 0.25 - cRF), 1e-14, "RF pair");
    const near = np.array([[0, 0, 0], [1.2 - 1e-9, 0, 0]]);
    assert.ok(Math.abs(reactionField(near, null, allPairs(2), [1, 1], { cutoff: 1.2, epsilonRF: 0 }).item()) < 1e-6);
    const corr = reactionFieldExclusionCorrection(P, null, [[0, 1], [0, 2]], [0.5, -1, 1], { cutoff: 1.2, epsilonRF: 0 }).item();
    const want = ONE_4PI_EPS0 * (-0.5 * (kRF * 0.25 - cRF) - 0.5 * cRF * (0.25 + 1 + 1));
    assertClose(corr, want, 1e-14, "RF exclusion correction (pair 0–2 beyond rc skipped) + self");
  });
  const rfOpts = { cutoff: rc, epsilonRF: 0, epsilonR: 1 };
  const rfE = (P: Tensor, B: Tensor) => reactionField(P, B, allList, charges, rfOpts).add(reactionFieldExclusionCorrection(P, B, exclusions, charges, rfOpts));
  test("reaction-field forces, charge gradients and virial equal finite differences", () => {
    assertGradMatchesFD((P) => rfE(P, box), R, { label: "RF force", tol: 1e-6, maxComponents: 40 });
    assertGradMatchesFD((q) => reactionField(R, box, allList, q, rfOpts), charges, { label: "RF dq", h: 1e-6, tol: 1e-7 });
    assertVirialMatchesStrainFD(rfE, R, box, { label: "RF", tol: 1e-6 });
  });
  test("energies are invariant under rotation and translation (vacuum)", () => {
    const Q = randomRotation(3);
    const moved = np.matmul(R, Q.T).add(np.array([0.3, -2, 1]));
    const list = allPairs(N, { exclusions });
    const pairsE = (P: Tensor) => coulomb(P, null, list, charges).add(lennardJones(P, null, list, pairParameters(c6, types, list.i, list.j), pairParameters(c12, types, list.i, list.j)));
    assertClose(pairsE(moved).item(), pairsE(R).item(), 1e-12, "rotated");
  });
  test("jit equals eager (energy and forces)", () => {
    for (const [name, E] of [["LJ", ljE], ["RF", rfE]] as const) {
      const f = (P: Tensor) => E(P, box);
      assertClose(jit(f)(R).item(), f(R).item(), 1e-12, `${name} energy`);
      const a = grad(f)(R).data(), b = jit(grad(f))(R).data();
      a.forEach((v, k) => assertClose(b[k], v, 1e-10, `${name} force ${k}`, 1e-9));
    }
  });
  test("uniqueExclusions lists each excluded pair once", () => {
    assert.deepEqual(uniqueExclusions([[1, 0], [0, 1], [2, 1], [3, 3]], 4).toArray(), [[0, 1], [1, 2]]);
  });
});

describe("dispersion correction (DispCorr = EnerPres / AllEnerPres, potential-shift)", () => {
  const avgC6 = averagePairParameter(c6, types, exclusions);
  test("⟨C6⟩ averages over all pairs minus exclusions, as GROMACS", () => {
    const M = c6.toArray() as number[][];
    let s = 0, cnt = 0;
    for (let a = 0; a < N; a++) for (let b = a + 1; b < N; b++) {
      if (Math.floor(a / 3) === Math.floor(b / 3)) continue;
      s += M[types[a]][types[b]]; cnt++;
    }
    assertClose(avgC6.item(), s / cnt, 1e-13, "<C6>");
  });
  test("energy formula and pressure: P = −(1/3V) tr(virial by strain) = −(4π/3) ρ² ⟨C6⟩/rc³", () => {
    const opts = { cutoff: rc, numAtoms: N, avgC6 };
    const V = Math.abs(np.linalg.det(box).item());
    const rho = N / V;
    const want = avgC6.item() * (N / 2) * (rho * (-8 * Math.PI / (3 * rc ** 3)) + 1 / rc ** 6);
    assertClose(dispersionCorrection(box, opts).item(), want, 1e-13, "E_disp");
    const dEdEps = grad(strained((_P, B) => dispersionCorrection(B, opts), R, box))(np.zeros([3, 3])).toArray() as number[][];
    const p = -(dEdEps[0][0] + dEdEps[1][1] + dEdEps[2][2]) / (3 * V);
    assertClose(p, -(4 * Math.PI / 3) * rho * rho * avgC6.item() / rc ** 3, 1e-12, "P_disp from AD");
    assertClose(dispersionCorrectionPressure(box, opts).item(), p, 1e-12, "P_disp helper");
    // With C12 (AllEnerPres).
    const opts12 = { ...opts, avgC12: 2e-6 };
    const g12 = grad(strained((_P, B) => dispersionCorrection(B, opts12), R, box))(np.zeros([3, 3])).toArray() as number[][];
    const p12 = -(g12[0][0] + g12[1][1] + g12[2][2]) / (3 * V);
    assertClose(p12, dispersionCorrectionPressure(box, opts12).item(), 1e-12, "P with C12");
    // d E/d⟨C6⟩ is the energy per unit ⟨C6⟩.
    assertClose(grad((c: Tensor) => dispersionCorrection(box, { ...opts, avgC6: c }))(avgC6).item(), want / avgC6.item(), 1e-12, "dE/d<C6>");
  });
});
