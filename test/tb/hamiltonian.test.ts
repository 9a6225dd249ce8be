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

/** One level of silicon_vogl.json's exact_levels (sympy): a linear closed form or a cubic in E. */
interface ExactLevel {
  label: string; irrep: string; degeneracy: number; value: number;
  expression?: string; polynomial?: string;
}

/** diffmol's silicon bands at the fixture's Γ, X and L (ascending, 10 each). */
function siliconBandsAtFixturePoints(ref: { a_angstrom: number; kpoints_2pi_over_a: Record<string, number[]> }) {
  const sys = tb.system(tb.siliconSp3s(), tb.siliconDiamond(ref.a_angstrom));
  const out: Record<string, number[]> = {};
  for (const [name, f] of Object.entries(ref.kpoints_2pi_over_a)) {
    out[name] = Array.from(tb.bands(sys, np.array([f.map((x) => (x * 2 * Math.PI) / ref.a_angstrom)])).data());
  }
  return { sys, bands: out };
}

test("silicon sp3s* band energies at Γ, X and L equal the Vogl–Hjalmarson–Dow parametrisation", () => {
  const ref = fixture("silicon_vogl.json");
  const { sys, bands } = siliconBandsAtFixturePoints(ref);
  assert.equal(sys.bonds.i.length, 8); // four neighbours each way
  for (const [name, e] of Object.entries(bands)) {
    const want: number[] = ref.energies_eV[name];
    want.forEach((w, i) => assert.ok(Math.abs(e[i] - w) < 1e-9, `${name} band ${i}: ${e[i]} vs ${w}`));
    // Level by level against sympy's exact roots: each level fills `degeneracy` consecutive bands.
    const levels: ExactLevel[] = ref.exact_levels[name];
    let band = 0;
    for (const L of levels) {
      for (let j = 0; j < L.degeneracy; j++, band++) {
        assert.ok(Math.abs(e[band] - L.value) < 1e-10, `${name} ${L.label} (×${L.degeneracy}) band ${band}: ${e[band]} vs exact ${L.value}`);
      }
    }
    assert.equal(band, 10, `${name}: exact levels cover ${band} of 10 bands`);
    // Distinct levels stay distinct in diffmol (no spurious degeneracy), e.g. L1c and L2'c 0.014 eV apart.
    for (let i = 1; i < levels.length; i++) {
      if (levels[i].value - levels[i - 1].value > 1e-6) {
        const hi = levels.slice(0, i).reduce((n, L) => n + L.degeneracy, 0);
        assert.ok(e[hi] - e[hi - 1] > 1e-6, `${name}: ${levels[i - 1].label} and ${levels[i].label} merged`);
      }
    }
    // Eight electrons: the levels labelled v hold exactly four bands.
    assert.equal(levels.filter((L) => L.label.endsWith("v")).reduce((n, L) => n + L.degeneracy, 0), 4, name);
  }
  // The fitted Γ levels of the paper.
  const g = tb.bands(sys, np.zeros([1, 3])).data();
  const cf = ref.gamma_closed_form_eV;
  assert.ok(Math.abs(g[0] - cf["Γ1v"]) < 1e-12 && Math.abs(g[3] - cf["Γ25'v"]) < 1e-12 && Math.abs(g[4] - cf["Γ15c"]) < 1e-12 && Math.abs(g[7] - cf["Γ2'c"]) < 1e-12);
});

test("silicon sp3s* closed forms at Γ, X, L (sympy: linear levels and s–s*–p cubics) hold for diffmol's bands", () => {
  const ref = fixture("silicon_vogl.json");
  const { bands } = siliconBandsAtFixturePoints(ref);
  const p: Record<string, number> = ref.parameters_eV;
  const names = Object.keys(p);
  // sympy's strings use only the parameter names, E, numbers and + − * / ** ( ): evaluate them as JS.
  const evaluate = (src: string, E = 0): number => {
    assert.match(src, /^[A-Za-z0-9_+\-*/(). ]+$/, `unexpected characters in ${src}`);
    return new Function("E", ...names, `return ${src};`)(E, ...names.map((n) => p[n])) as number;
  };
  /** diffmol's bands at `name`, grouped by sympy's levels (in order; each level `degeneracy` bands). */
  const levelsWithBands = (name: string) => {
    let band = 0;
    return (ref.exact_levels[name] as ExactLevel[]).map((L) => ({ ...L, bands: Array.from({ length: L.degeneracy }, () => bands[name][band++]) }));
  };
  const bandsOf = (name: string, label: string, expression?: string): number[] => {
    const hits = levelsWithBands(name).filter((L) => L.label === label && (expression === undefined || L.expression === expression));
    assert.ok(hits.length > 0, `sympy has no level ${label}${expression ? ` = ${expression}` : ""} at ${name}`);
    return hits.flatMap((L) => L.bands);
  };
  // Linear levels, written here from the parameters, must be sympy's (same string) and diffmol's.
  const { Es, Ep, Esstar, Vss, Vxx, Vxy, Vsapc, Vsstarapc } = p;
  const linear: [string, string, string, number][] = [
    ["Γ", "Γ1v", "Es + Vss", Es + Vss], ["Γ", "Γ25'v", "Ep - Vxx", Ep - Vxx], ["Γ", "Γ15c", "Ep + Vxx", Ep + Vxx],
    ["Γ", "Γ2'c", "Es - Vss", Es - Vss], ["Γ", "Γ1c", "Esstar", Esstar], ["Γ", "Γ2'c", "Esstar", Esstar],
    ["X", "X4v", "Ep - Vxy", Ep - Vxy], ["X", "X4c", "Ep + Vxy", Ep + Vxy],
    ["L", "L3'v", "Ep - Vxx/2 - Vxy/2", Ep - Vxx / 2 - Vxy / 2], ["L", "L3c", "Ep + Vxx/2 + Vxy/2", Ep + Vxx / 2 + Vxy / 2],
  ];
  for (const [name, label, expr, value] of linear) {
    assert.ok(Math.abs(evaluate(expr) - value) < 1e-14);
    for (const e of bandsOf(name, label, expr)) assert.ok(Math.abs(e - value) < 1e-10, `${name} ${label}: ${e} vs ${expr} = ${value}`);
  }
  assert.equal(bandsOf("Γ", "Γ25'v").length, 3);
  assert.equal(bandsOf("X", "X4v").length, 2);
  assert.equal(bandsOf("L", "L3'v").length, 2);
  // The cubics: (E − es)(E − es*)(E − ep) − vsp²(E − es*) − vs*p²(E − es) with, from the symmetry
  // blocks, X1: (Es, Es*, Ep, Vsapc², Vs*apc²); L1 / L2': (Es ∓ Vss/2, Es*, Ep ± (Vxx/2 − Vxy), ¾Vsapc², ¾Vs*apc²).
  const triad = (es: number, ess: number, ep: number, vsp2: number, vssp2: number) => ({
    f: (E: number) => (E - es) * (E - ess) * (E - ep) - vsp2 * (E - ess) - vssp2 * (E - es),
    df: (E: number) => (E - ess) * (E - ep) + (E - es) * (E - ep) + (E - es) * (E - ess) - vsp2 - vssp2,
  });
  const cubics: [string, string[], ReturnType<typeof triad>][] = [
    ["X", ["X1v", "X1c"], triad(Es, Esstar, Ep, Vsapc ** 2, Vsstarapc ** 2)],
    ["L", ["L1v", "L1c"], triad(Es - Vss / 2, Esstar, Ep + Vxx / 2 - Vxy, (3 / 4) * Vsapc ** 2, (3 / 4) * Vsstarapc ** 2)],
    ["L", ["L2'v", "L2'c"], triad(Es + Vss / 2, Esstar, Ep - Vxx / 2 + Vxy, (3 / 4) * Vsapc ** 2, (3 / 4) * Vsstarapc ** 2)],
  ];
  for (const [name, labels, { f, df }] of cubics) {
    const roots = [...new Set(labels.flatMap((l) => bandsOf(name, l)).map((e) => e.toFixed(8)))].map(Number);
    assert.equal(roots.length, 3, `${name} ${labels}: three distinct roots of one cubic, got ${roots}`);
    for (const l of labels) {
      for (const e of bandsOf(name, l)) {
        // Newton step |f/f′| = distance to the exact root (simple root): diffmol within 1e-10.
        assert.ok(Math.abs(f(e) / df(e)) < 1e-10, `${name} ${l}: ${e} leaves the cubic at ${f(e)}`);
        const L = (ref.exact_levels[name] as ExactLevel[]).find((x) => x.label === l)!;
        assert.ok(L.polynomial, `${name} ${l} has a polynomial`);
        const sym = evaluate(L.polynomial!, e), scale = Math.abs(df(e)) * 1e-10;
        assert.ok(Math.abs(sym - f(e)) < scale + 1e-12 * Math.abs(e) ** 3, `${name} ${l}: sympy's cubic ${sym} vs TS ${f(e)}`);
      }
    }
  }
  // Every sympy expression and polynomial, evaluated here from the parameters, holds at its own level's bands.
  for (const name of Object.keys(bands)) {
    for (const L of levelsWithBands(name)) for (const e of L.bands) {
      if (L.expression !== undefined) {
        assert.ok(Math.abs(e - evaluate(L.expression)) < 1e-10, `${name} ${L.label}: ${e} vs ${L.expression}`);
      } else {
        const h = 1e-6, d = (evaluate(L.polynomial!, e + h) - evaluate(L.polynomial!, e - h)) / (2 * h);
        assert.ok(Math.abs(evaluate(L.polynomial!, e) / d) < 1e-10, `${name} ${L.label}: ${L.polynomial} at ${e}`);
      }
    }
  }
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
