// Bonded force-field terms (src/ff/terms): a known analytic value per term, forces = −∇E against
// central finite differences (float64), parameter gradients against finite differences, the
// minimum image across a triclinic boundary, the virial against the strain derivative,
// rotation/translation invariance and jit against eager.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { np, grad, jit, Tensor } from "../../src/index.js";
import {
  harmonicBond, harmonicAngle, ureyBradley, periodicDihedral, harmonicImproper, ryckaertBellemans,
  fourierDihedral, fourierToRyckaertBellemans, cmapEnergy, cmapDerivativeOperator, dihedralAngles, bondAngles,
} from "../../src/ff/terms/index.js";
import { assertGradMatchesFD, assertVirialMatchesStrainFD, assertClose, randomRotation } from "./terms-helpers.js";

const DEG = Math.PI / 180;

/** i–j–k–l with dihedral φ (IUPAC: cis = 0): i = (0,1,0), j = 0, k = (1,0,0), l = (1, cos φ, sin φ), scaled. */
function dihedralGeometry(phiDeg: number, s = 0.15): Tensor {
  const p = phiDeg * DEG;
  return np.array([[0, s, 0], [0, 0, 0], [s, 0, 0], [s, s * Math.cos(p), s * Math.sin(p)]]);
}

// A six-atom chain, slightly irregular so that no angle is special.
const chain = np.array([
  [0.0, 0.0, 0.0], [0.151, 0.012, -0.004], [0.203, 0.143, 0.021], [0.352, 0.158, 0.061],
  [0.398, 0.283, 0.118], [0.547, 0.301, 0.052],
]);
const bonds = [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]];
const angles = [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]];
const dihedrals = [[0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5], [0, 1, 2, 3]];
const cmaps = [[0, 1, 2, 3, 4], [1, 2, 3, 4, 5]];

// A smooth periodic 24 × 24 CMAP-like grid.
const n = 24;
const gridValues = (f: (phi: number, psi: number) => number) =>
  np.array(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => f(-Math.PI + (2 * Math.PI * i) / n, -Math.PI + (2 * Math.PI * j) / n))));
const smooth = (phi: number, psi: number) => 3 * Math.cos(phi) - 2 * Math.sin(2 * psi) + Math.cos(phi - psi) + 0.5 * Math.sin(phi + 2 * psi);
const grid = gridValues(smooth);
const grid2 = gridValues((a, b) => Math.sin(a) * Math.cos(b));
const grids = np.stack([grid, grid2], 0);

const terms: Record<string, (R: Tensor, box: Tensor | null) => Tensor> = {
  bond: (R, box) => harmonicBond(R, box, bonds, [0.15, 0.14, 0.153, 0.149, 0.16], [2.5e5, 3.1e5, 2.2e5, 2.9e5, 2.0e5]),
  angle: (R, box) => harmonicAngle(R, box, angles, [109.5, 120, 111, 104.5], [300, 420, 380, 520]),
  ureyBradley: (R, box) => ureyBradley(R, box, angles, [109.5, 120, 111, 104.5], [300, 420, 380, 520], [0.25, 0.24, 0.26, 0.25], [2e4, 1.5e4, 3e4, 2e4]),
  proper: (R, box) => periodicDihedral(R, box, dihedrals, [0, 180, 0, 90], [5, 2.5, 1.2, 0.7], [3, 2, 1, 4]),
  improper: (R, box) => harmonicImproper(R, box, dihedrals.slice(0, 3), [35, -150, 170], [40, 80, 60]),
  ryckaertBellemans: (R, box) => ryckaertBellemans(R, box, dihedrals.slice(0, 3), [[9.28, 12.16, -13.12, -3.06, 26.24, -31.5], [1, 2, 3, 4, 5, 6], [-1, 0.5, 0, 2, 0, -1]]),
  fourier: (R, box) => fourierDihedral(R, box, dihedrals.slice(0, 3), [[1, 2, 3, 4], [-2, 0.5, 1, 0], [0, 0, 3, -1]]),
  cmap: (R, box) => cmapEnergy(R, box, cmaps, [0, 1], grids),
};

describe("bonded terms: analytic values", () => {
  test("harmonic bond: ½ k (r − b0)²", () => {
    const R = np.array([[0, 0, 0], [0.09, 0.12, 0]]); // r = 0.15
    assertClose(harmonicBond(R, null, [[0, 1]], 0.1, 1000).item(), 0.5 * 1000 * 0.05 ** 2, 1e-14, "bond");
  });
  test("harmonic angle at 90° and Urey–Bradley's 1–3 term", () => {
    const R = np.array([[0.1, 0, 0], [0, 0, 0], [0, 0.2, 0]]);
    const e = 0.5 * 300 * ((90 - 109.5) * DEG) ** 2;
    assertClose(harmonicAngle(R, null, [[0, 1, 2]], 109.5, 300).item(), e, 1e-14, "angle");
    const r13 = Math.hypot(0.1, 0.2);
    assertClose(ureyBradley(R, null, [[0, 1, 2]], 109.5, 300, 0.2, 5e4).item(), e + 0.5 * 5e4 * (r13 - 0.2) ** 2, 1e-14, "UB");
  });
  test("the dihedral angle follows the IUPAC sign convention (cis 0, trans 180°)", () => {
    for (const phi of [0, 35, 60, 120, 179, -45, -150]) {
      const got = dihedralAngles(dihedralGeometry(phi), null, np.array([[0, 1, 2, 3]], { dtype: "int32" })).item() / DEG;
      assertClose(got, phi, 1e-12, `phi ${phi}`, 1e-12);
    }
    const theta = bondAngles(np.array([[1, 0, 0], [0, 0, 0], [Math.cos(2), Math.sin(2), 0]]), null, np.array([[0, 1, 2]], { dtype: "int32" })).item();
    assertClose(theta, 2, 1e-14, "bond angle");
  });
  test("proper dihedral k (1 + cos(nφ − φs)) with several terms on one dihedral (type 9)", () => {
    const R = dihedralGeometry(60);
    const idx = [[0, 1, 2, 3], [0, 1, 2, 3]];
    const want = 4 * (1 + Math.cos(3 * 60 * DEG - 0)) + 1.5 * (1 + Math.cos(2 * 60 * DEG - 180 * DEG));
    assertClose(periodicDihedral(R, null, idx, [0, 180], [4, 1.5], [3, 2]).item(), want, 1e-13, "proper");
  });
  test("harmonic improper wraps ξ − ξ0 into [−180°, 180°)", () => {
    const R = dihedralGeometry(170);
    assertClose(harmonicImproper(R, null, [[0, 1, 2, 3]], -170, 100).item(), 0.5 * 100 * (20 * DEG) ** 2, 1e-11, "improper");
    assertClose(harmonicImproper(dihedralGeometry(10), null, [[0, 1, 2, 3]], 25, 100).item(), 0.5 * 100 * (15 * DEG) ** 2, 1e-11, "improper");
  });
  test("Ryckaert–Bellemans Σ C_n cos^n(φ − 180°) and Fourier through its RB conversion", () => {
    const C = [9.28, 12.16, -13.12, -3.06, 26.24, -31.5];
    const F = [1.3, -2.1, 0.7, 0.4];
    for (const phi of [-170, -60, 0, 45, 180]) {
      const R = dihedralGeometry(phi);
      const c = Math.cos((phi - 180) * DEG);
      assertClose(ryckaertBellemans(R, null, [[0, 1, 2, 3]], [C]).item(), C.reduce((s, cn, k) => s + cn * c ** k, 0), 1e-12, `RB ${phi}`, 1e-12);
      const p = phi * DEG;
      const fourier = 0.5 * (F[0] * (1 + Math.cos(p)) + F[1] * (1 - Math.cos(2 * p)) + F[2] * (1 + Math.cos(3 * p)) + F[3] * (1 - Math.cos(4 * p)));
      assertClose(fourierDihedral(R, null, [[0, 1, 2, 3]], [F]).item(), fourier, 1e-12, `Fourier ${phi}`, 1e-13);
    }
    assert.deepEqual(fourierToRyckaertBellemans([[1, 2, 3, 4]]).toArray(), [[2 + 2, (-1 + 9) / 2, -2 + 16, -6, -16, 0]]);
  });
  test("CMAP equals the grid value on grid points and interpolates a smooth map closely", () => {
    const chainAt = (phiDeg: number, psiDeg: number) => {
      // Five atoms whose φ (1–4) and ψ (2–5) are the given angles.
      const p = phiDeg * DEG, q = psiDeg * DEG, s = 0.15;
      // ψ of atoms 2–5: j = (1,0,0)s, k = 0 → use a zig-zag in which the second torsion shares atoms.
      const a = [0, s, 0], b = [0, 0, 0], c = [s, 0, 0];
      const d = [s, s * Math.cos(p), s * Math.sin(p)];
      // e: dihedral b–c–d–e = ψ: rotate about the c→d axis.
      const axis = [d[0] - c[0], d[1] - c[1], d[2] - c[2]].map((x) => x / s);
      const ref = [b[0] - c[0], b[1] - c[1], b[2] - c[2]];
      const dotp = ref[0] * axis[0] + ref[1] * axis[1] + ref[2] * axis[2];
      const u = [ref[0] - dotp * axis[0], ref[1] - dotp * axis[1], ref[2] - dotp * axis[2]];
      const un = Math.hypot(...u);
      const e1 = u.map((x) => x / un);
      const e2 = [axis[1] * e1[2] - axis[2] * e1[1], axis[2] * e1[0] - axis[0] * e1[2], axis[0] * e1[1] - axis[1] * e1[0]];
      const e = [0, 1, 2].map((k) => d[k] + s * (Math.cos(q) * e1[k] + Math.sin(q) * e2[k]));
      return np.array([a, b, c, d, e]);
    };
    const psiCheck = dihedralAngles(chainAt(30, -75), null, np.array([[1, 2, 3, 4]], { dtype: "int32" })).item() / DEG;
    const sign = Math.abs(psiCheck + 75) < 1e-9 ? 1 : -1; // orientation of e2 relative to IUPAC
    const at = (phi: number, psi: number) => chainAt(phi, sign * psi);
    const g = grid.data();
    for (const [i, j] of [[0, 0], [3, 17], [12, 5], [23, 23], [8, 0]]) {
      const e = cmapEnergy(at(-180 + 15 * i + 1e-9, -180 + 15 * j + 1e-9), null, [[0, 1, 2, 3, 4]], 0, grid).item();
      assertClose(e, g[i * n + j], 1e-7, `grid point ${i},${j}`, 1e-7);
    }
    for (const [phi, psi] of [[-62, -41], [-120, 130], [57, 47], [170, -175]]) {
      const e = cmapEnergy(at(phi, psi), null, [[0, 1, 2, 3, 4]], 0, grid).item();
      assert.ok(Math.abs(e - smooth(phi * DEG, psi * DEG)) < 2e-3, `CMAP at (${phi}, ${psi}): ${e} vs ${smooth(phi * DEG, psi * DEG)}`);
    }
  });
  test("the CMAP derivative operator differentiates periodic functions (natural spline on the doubled grid)", () => {
    const D = cmapDerivativeOperator(n).data();
    const y = Array.from({ length: n }, (_, i) => Math.sin(-Math.PI + (2 * Math.PI * i) / n));
    for (let i = 0; i < n; i++) {
      const dy = y.reduce((s, yk, k) => s + D[i * n + k] * yk, 0) / DEG; // per radian
      assert.ok(Math.abs(dy - Math.cos(-Math.PI + (2 * Math.PI * i) / n)) < 1e-3, `D row ${i}: ${dy}`);
    }
  });
});

describe("bonded terms: derivatives", () => {
  for (const [name, E] of Object.entries(terms)) {
    test(`${name}: forces equal central finite differences`, () => {
      assertGradMatchesFD((R) => E(R, null), chain, { label: name, tol: 1e-7 });
    });
  }
  test("parameter gradients equal finite differences (k, b0, θ0, phase, RB and CMAP grid)", () => {
    assertGradMatchesFD((k) => harmonicBond(chain, null, bonds, 0.15, k), np.array([2.5e5, 3.1e5, 2.2e5, 2.9e5, 2.0e5]), { label: "kb", h: 1 });
    assertGradMatchesFD((b0) => harmonicBond(chain, null, bonds, b0, 2e5), np.array([0.15, 0.14, 0.153, 0.149, 0.16]), { label: "b0", h: 1e-7 });
    assertGradMatchesFD((t0) => harmonicAngle(chain, null, angles, t0, 400), np.array([109.5, 120, 111, 104.5]), { label: "theta0", h: 1e-4 });
    assertGradMatchesFD((ph) => periodicDihedral(chain, null, dihedrals, ph, 3, [3, 2, 1, 4]), np.array([0, 180, 10, 90]), { label: "phase", h: 1e-4 });
    assertGradMatchesFD((c) => ryckaertBellemans(chain, null, dihedrals.slice(0, 3), c), np.array([[1, 2, 3, 4, 5, 6], [1, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 1]]), { label: "RB C", h: 1e-3 });
    assertGradMatchesFD((G) => cmapEnergy(chain, null, cmaps, [0, 1], G), grids, { label: "CMAP grid", h: 1e-4, maxComponents: 150 });
  });
  test("second derivatives: the Hessian of the proper dihedral is symmetric and matches FD of the gradient", () => {
    const E = (R: Tensor) => periodicDihedral(R, null, dihedrals, [0, 180, 0, 90], [5, 2.5, 1.2, 0.7], [3, 2, 1, 4]);
    const g = (R: Tensor) => grad(E)(R);
    // d/dR[1,0] of the gradient's [2,1] component vs FD.
    const pick = (R: Tensor) => np.slice(g(R), 2, 1);
    assertGradMatchesFD(pick, chain, { label: "hessian row", tol: 1e-6 });
  });
});

describe("bonded terms: periodic boxes, invariances, jit", () => {
  // Triclinic box (rows a, b, c, lower triangular as GROMACS) and the chain placed across its corner.
  const box = np.array([[0.9, 0, 0], [0.3, 0.85, 0], [-0.2, 0.25, 0.8]]);
  const shifted = chain.sub(np.array([0.25, 0.15, 0.08]));
  const wrapped = (() => {
    const f = np.matmul(shifted, np.linalg.inv(box));
    return np.matmul(f.sub(np.floor(f)), box);
  })();
  for (const [name, E] of Object.entries(terms)) {
    test(`${name}: minimum image across a triclinic boundary gives the vacuum energy; virial = strain derivative`, () => {
      assertClose(E(wrapped, box).item(), E(shifted, null).item(), 1e-11, name, 1e-12);
      assertVirialMatchesStrainFD(E, wrapped, box, { label: name, tol: 1e-6 });
    });
  }
  test("energies are invariant under rotation and translation", () => {
    const Q = randomRotation(7);
    const moved = np.matmul(chain, Q.T).add(np.array([1.3, -0.4, 2.2]));
    for (const [name, E] of Object.entries(terms)) assertClose(E(moved, null).item(), E(chain, null).item(), 1e-11, name, 1e-12);
  });
  test("jit equals eager for energy and forces", () => {
    for (const [name, E] of Object.entries(terms)) {
      const f = (R: Tensor) => E(R, null);
      const eager = grad(f)(chain).data();
      const compiled = jit(grad(f))(chain).data();
      eager.forEach((v, k) => assertClose(compiled[k], v, 1e-12, `${name} jit force ${k}`, 1e-9));
      assertClose(jit(f)(chain).item(), f(chain).item(), 1e-12, `${name} jit energy`);
    }
  });
  test("bad input names the term and the shape", () => {
    assert.throws(() => harmonicBond(chain, null, [[0, 1, 2]], 0.1, 1), /harmonicBond: atom indices must be \[M, 2\]/);
    assert.throws(() => harmonicAngle(chain, null, angles, [1, 2], 1), /harmonicAngle: theta0 must have one value per interaction \(\[4\]\)/);
    assert.throws(() => harmonicBond(chain, np.eye(2), bonds, 0.1, 1), /box must be a \[3, 3\] matrix/);
  });
});
