import { test } from "node:test";
import assert from "node:assert/strict";
import { np, grad, Tensor } from "../../src/index.js";
import * as tb from "../../src/tb/index.js";
import { fixture, A_CC } from "./helpers.js";

const maxAbs = (t: Tensor) => np.max(np.abs(t)).item();

/** |f(k)| = |1 + e^{ik·a1} + e^{ik·a2}| for the graphene cell of tb.grapheneSheet. */
function grapheneF(k: number[][], a: number): number[] {
  const s3 = Math.sqrt(3);
  const a1 = [1.5 * a, (s3 / 2) * a], a2 = [1.5 * a, (-s3 / 2) * a];
  return k.map(([x, y]) => {
    const p1 = x * a1[0] + y * a1[1], p2 = x * a2[0] + y * a2[1];
    return Math.hypot(1 + Math.cos(p1) + Math.cos(p2), Math.sin(p1) + Math.sin(p2));
  });
}

test("graphene pz bands equal the analytic dispersion ±|t0||f(k)| along Γ–M–K–Γ and on a grid", () => {
  const sys = tb.system(tb.graphene(), tb.grapheneSheet(A_CC));
  assert.equal(sys.bonds.i.length, 6);
  const path = tb.pathThrough(sys.crystal.cell, "hexagonal", ["Γ", "M", "K", "Γ"], 12);
  const grid = tb.kFromFractional(sys.crystal.cell, tb.kGrid([7, 5, 1]));
  for (const k of [path.k, grid]) {
    const e = tb.bands(sys, k).toArray() as number[][];
    const f = grapheneF(k.toArray() as number[][], A_CC);
    e.forEach((row, i) => {
      assert.ok(Math.abs(row[0] + 2.7 * f[i]) < 1e-12 && Math.abs(row[1] - 2.7 * f[i]) < 1e-12, `k ${i}: ${row} vs ±${2.7 * f[i]}`);
    });
  }
  // The Dirac point: both bands at zero at K.
  const K = tb.kFromFractional(sys.crystal.cell, [[2 / 3, 1 / 3, 0]]);
  assert.ok(maxAbs(tb.bands(sys, K)) < 1e-12);
});

test("graphene with overlap: bands solve H c = E S c, E = t|f|/(1 + s|f|) and −t|f|/(1 − s|f|)", () => {
  const s0 = 0.129, t0 = -2.7;
  const sys = tb.system(tb.graphene({ s0, t0 }), tb.grapheneSheet(A_CC));
  const k = tb.kFromFractional(sys.crystal.cell, tb.kGrid([4, 6, 1]));
  const e = tb.bands(sys, k).toArray() as number[][];
  const f = grapheneF(k.toArray() as number[][], A_CC);
  e.forEach((row, i) => {
    const lower = (t0 * f[i]) / (1 + s0 * f[i]), upper = (-t0 * f[i]) / (1 - s0 * f[i]);
    assert.ok(Math.abs(row[0] - lower) < 1e-12 && Math.abs(row[1] - upper) < 1e-12, `k ${i}: ${row} vs ${lower}, ${upper}`);
  });
});

test("silicon sp3s* band energies at Γ, X and L equal the Vogl–Hjalmarson–Dow parametrisation", () => {
  const ref = fixture("silicon_vogl.json");
  const sys = tb.system(tb.siliconSp3s(), tb.siliconDiamond(ref.a_angstrom));
  assert.equal(sys.bonds.i.length, 8); // four neighbours each way
  for (const [name, f] of Object.entries(ref.kpoints_2pi_over_a as Record<string, number[]>)) {
    const k = np.array([f.map((x) => (x * 2 * Math.PI) / ref.a_angstrom)]);
    const e = tb.bands(sys, k).data();
    const want: number[] = ref.energies_eV[name];
    want.forEach((w, i) => assert.ok(Math.abs(e[i] - w) < 1e-9, `${name} band ${i}: ${e[i]} vs ${w}`));
  }
  // The fitted Γ levels of the paper.
  const g = tb.bands(sys, np.zeros([1, 3])).data();
  const cf = ref.gamma_closed_form_eV;
  assert.ok(Math.abs(g[0] - cf["Γ1v"]) < 1e-12 && Math.abs(g[3] - cf["Γ25'v"]) < 1e-12 && Math.abs(g[4] - cf["Γ15c"]) < 1e-12 && Math.abs(g[7] - cf["Γ2'c"]) < 1e-12);
});

test("H(k) is Hermitian and eigh vectors diagonalise it (silicon, distorted, generic k)", () => {
  const sys = tb.system(tb.siliconSp3s(), tb.siliconDiamond());
  const R = sys.crystal.positions.add(np.array([[0.05, -0.02, 0.01], [0.0, 0.03, -0.04]]));
  const k = np.array([[0.31, -0.52, 0.17], [0.0, 0.0, 0.0]]);
  const H = tb.hamiltonian(sys, k, R);
  assert.ok(maxAbs(H.re.sub(np.swapaxes(H.re, -1, -2))) < 1e-14 && maxAbs(H.im.add(np.swapaxes(H.im, -1, -2))) < 1e-14);
  const eig = tb.eighHermitian(H);
  const n = sys.size;
  const Hr = H.re.data(), Hi = H.im.data();
  for (let b = 0; b < 2; b++) for (let m = 0; m < n; m++) {
    let res = 0;
    for (let i = 0; i < n; i++) {
      let sr = 0, si = 0;
      for (let j = 0; j < n; j++) {
        const hr = Hr[b * n * n + i * n + j], hi = Hi[b * n * n + i * n + j], zr = eig.re[b][j * n + m], zi = eig.im[b][j * n + m];
        sr += hr * zr - hi * zi; si += hr * zi + hi * zr;
      }
      res = Math.max(res, Math.hypot(sr - eig.values[b][m] * eig.re[b][i * n + m], si - eig.values[b][m] * eig.im[b][i * n + m]));
    }
    assert.ok(res < 1e-10, `k ${b} band ${m}: |H z − ε z| = ${res}`);
  }
});

test("∂H/∂u by AD equals central finite differences to 1e-8 (graphene and silicon, q = 0 and q ≠ 0)", () => {
  const cases = [
    { sys: tb.system(tb.graphene(), tb.grapheneSheet(A_CC)), q: [0.21, -0.4, 0] },
    { sys: tb.system(tb.siliconSp3s(), tb.siliconDiamond()), q: [0.13, 0.27, -0.35] },
  ];
  for (const { sys, q } of cases) {
    const k = np.array([[0.1, 0.2, 0.0], [-0.7, 0.35, 0.2], [0.0, 0.0, 0.0]]);
    const ad = tb.hamiltonianDerivative(sys, k, np.array(q));
    const fd = tb.hamiltonianDerivative(sys, k, np.array(q), { method: "fd", step: 1e-5 });
    const err = Math.max(maxAbs(ad.re.sub(fd.re)), maxAbs(ad.im.sub(fd.im)));
    assert.ok(err < 1e-8, `${sys.model.name}: max |AD − FD| = ${err}`);
    assert.ok(maxAbs(ad.re) > 0.1, "derivative is not trivially zero");
    // Independent of the G(u) construction: at q = 0 it is ∂H(k)/∂R through the whole Bloch sum.
    const ad0 = tb.hamiltonianDerivative(sys, k, np.zeros([3]));
    const h = 1e-5;
    const N = sys.atoms;
    let worst = 0;
    for (let a = 0; a < N; a++) for (let x = 0; x < 3; x++) {
      const e = new Float64Array(3 * N); e[3 * a + x] = h;
      const dR = np.array(e).reshape([N, 3]);
      const hp = tb.hamiltonian(sys, k, sys.crystal.positions.add(dR)), hm = tb.hamiltonian(sys, k, sys.crystal.positions.sub(dR));
      const dre = hp.re.sub(hm.re).div(2 * h), dim = hp.im.sub(hm.im).div(2 * h);
      worst = Math.max(worst, maxAbs(dre.sub(ad0.re.slice([], [], [], a, x))), maxAbs(dim.sub(ad0.im.slice([], [], [], a, x))));
    }
    assert.ok(worst < 1e-8, `${sys.model.name}: ∂H(k)/∂R AD vs FD of the Bloch sum: ${worst}`);
  }
});

test("k-path helpers: corners land on the named points and the DOS integrates to the band count", () => {
  const sys = tb.system(tb.siliconSp3s(), tb.siliconDiamond());
  const path = tb.pathThrough(sys.crystal.cell, "fcc", ["L", "Γ", "X"], 10);
  assert.equal(path.k.shape[0], 21);
  const X = path.k.slice(20).data();
  const a = tb.VOGL_SI.a;
  assert.ok(Math.abs(X[0] - (2 * Math.PI) / a) < 1e-12 && Math.abs(X[1]) < 1e-12 && Math.abs(X[2]) < 1e-12, `X = ${X}`);
  assert.deepEqual(path.ticks.map((t) => t.label), ["L", "Γ", "X"]);
  assert.throws(() => tb.pathThrough(sys.crystal.cell, "fcc", ["Γ", "Q"]), /no point "Q"/);
  const e = tb.bands(sys, tb.kFromFractional(sys.crystal.cell, tb.kGrid([4, 4, 4]))).toArray() as number[][];
  const { energy, dos } = tb.densityOfStates(e, { sigma: 0.2, points: 2000 });
  let integral = 0;
  for (let i = 1; i < energy.length; i++) integral += 0.5 * (dos[i] + dos[i - 1]) * (energy[i] - energy[i - 1]);
  assert.ok(Math.abs(integral - 10) < 1e-6, `∫ g = ${integral}`);
  // Silicon is an insulator with 8 valence electrons: μ sits in the gap.
  const mu = tb.fermiLevel(e, 8, { width: 0.01 });
  const vbm = Math.max(...e.map((r) => r[3])), cbm = Math.min(...e.map((r) => r[4]));
  assert.ok(mu > vbm && mu < cbm, `μ = ${mu}, gap [${vbm}, ${cbm}]`);
  assert.ok(Math.abs(tb.electronCount(e, mu, 0.01) - 8) < 1e-9);
});

test("eigenvector derivatives (complex eigh rule) match central differences away from degeneracy", () => {
  const sys = tb.system(tb.siliconSp3s(), tb.siliconDiamond());
  const R0 = sys.crystal.positions.add(np.array([[0.05, -0.02, 0.01], [0.0, 0.03, -0.04]]));
  const k = np.array([[0.31, -0.52, 0.17]]);
  const w = np.arange(1, 11).astype("float64");
  // Gauge-invariant functions of band n's eigenvector z: Σ_i w_i |z_i|² and Re(z̄_0 z_5) (a projector element).
  const f = (R: Tensor, n: number) => {
    const [e, v] = tb.hermitianEigh(tb.hamiltonian(sys, k, R));
    const z = v.slice(0, [], n); // [10] complex
    const dens = np.sum(np.multiply(np.square(np.abs(z)), w));
    const proj = np.real(np.multiply(np.conj(z.slice(0)), z.slice(5)));
    return np.add(np.add(dens, np.multiply(proj, 3)), np.multiply(e.slice(0, n), 0.1));
  };
  const e0 = tb.bands(sys, k, R0).data();
  for (const n of [2, 5]) {
    const gap = Math.min(Math.abs(e0[n] - e0[n - 1]), Math.abs(e0[n + 1] - e0[n]));
    assert.ok(gap > 0.05, `band ${n} is isolated (gap ${gap} eV)`);
    const g = grad((R: Tensor) => f(R, n))(R0) as Tensor;
    const G = g.data();
    const h = 1e-5;
    for (let c = 0; c < 6; c++) {
      const e = new Float64Array(6); e[c] = h;
      const dR = np.array(e).reshape([2, 3]);
      const fd = (f(R0.add(dR), n).item() - f(R0.sub(dR), n).item()) / (2 * h);
      assert.ok(Math.abs(fd - G[c]) < 1e-7 * Math.max(1, Math.abs(fd)), `band ${n}, component ${c}: AD ${G[c]} vs FD ${fd}`);
    }
  }
});
