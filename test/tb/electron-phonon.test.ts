import { test } from "node:test";
import assert from "node:assert/strict";
import { np } from "../../src/index.js";
import * as tb from "../../src/tb/index.js";
import { A_CC, CARBON_MASS, grapheneForceConstants, sshForceConstants } from "./helpers.js";

// SSH chain, one atom per cell, reduced units (ħ = 1): t_{n,n+1} = t0 − α (u_{n+1} − u_n), springs K,
// mass M. ε_k = −2 t0 cos(ka), ω_q = 2 √(K/M) |sin(qa/2)|, and (docs/tb.md derives it)
//   ⟨k+q| ∂_q H |k⟩ = 2iα [sin((k+q)a) − sin(ka)],   |g(k,q)|² = 4α² [sin((k+q)a) − sin(ka)]² / (2Mω_q).
// At half filling the two Fermi points ±π/2a are joined only by q = π/a, and
//   λ = α² / (2π t0 K)   (Giustino's λ = Σ_qν λ_qν / Nq, N_F per spin per cell = 1/(2π t0)).
const t0 = 1, alpha = 0.5, K = 1.3, M = 1.7, a = 1;

test("SSH chain: g(k, q) by AD equals the analytic matrix element at every k for several q", () => {
  const sys = tb.system(tb.sshChain({ t0, alpha, a }), tb.sshCell({ a }));
  const { sc, fc } = sshForceConstants(a, K);
  const Nk = 24;
  const k = np.array(Array.from({ length: Nk }, (_, i) => [(2 * Math.PI * i) / (Nk * a), 0, 0]));
  for (const iq of [1, 5, 12, 17]) {
    const q = (2 * Math.PI * iq) / (Nk * a);
    const modes = tb.phononModes(fc, sc, [q, 0, 0], { mass: [M] });
    const w = 2 * Math.sqrt(K / M) * Math.abs(Math.sin((q * a) / 2));
    assert.ok(Math.abs(modes.energies[0] - w) < 1e-10, `ω(q) ${modes.energies[0]} vs ${w}`);
    const ep = tb.electronPhonon(sys, k, modes);
    const g2 = ep.abs2.data();
    for (let i = 0; i < Nk; i++) {
      const kk = (2 * Math.PI * i) / Nk;
      const want = (4 * alpha ** 2 * (Math.sin(kk + q * a) - Math.sin(kk)) ** 2) / (2 * M * w);
      assert.ok(Math.abs(g2[i] - want) < 1e-12, `q ${iq}, k ${i}: |g|² ${g2[i]} vs ${want}`);
    }
  }
});

test("SSH chain: λ from a k, q grid matches the analytic α²/(2π t0 K)", () => {
  const sys = tb.system(tb.sshChain({ t0, alpha, a }), tb.sshCell({ a }));
  const { sc, fc } = sshForceConstants(a, K);
  const Nk = 64;
  const k = np.array(Array.from({ length: Nk }, (_, i) => [(2 * Math.PI * i) / (Nk * a), 0, 0]));
  const modes = Array.from({ length: Nk }, (_, i) => tb.phononModes(fc, sc, [(2 * Math.PI * i) / (Nk * a), 0, 0], { mass: [M] }));
  const r = tb.couplingStrength(sys, k, modes, { fermiLevel: 0, sigma: 0.15 });
  const analytic = alpha ** 2 / (2 * Math.PI * t0 * K);
  const rel = Math.abs(r.lambda - analytic) / analytic;
  assert.ok(Math.abs(r.dosFermi - 1 / (2 * Math.PI * t0)) / (1 / (2 * Math.PI * t0)) < 0.01, `N_F ${r.dosFermi}`);
  assert.ok(rel < 0.01, `λ = ${r.lambda}, analytic ${analytic} (relative error ${rel})`);
});

test("graphene: g_mnν(k, q) by AD equals g by 2 × 3N finite-difference Hamiltonians", () => {
  const sys = tb.system(tb.graphene(), tb.grapheneSheet(A_CC));
  const { sc, fc } = grapheneForceConstants();
  const k = tb.kFromFractional(sys.crystal.cell, tb.kGrid([5, 4, 1]));
  const q = tb.kFromFractional(sys.crystal.cell, [0.2, 0.1, 0]).reshape([3]);
  const modes = tb.phononModes(fc, sc, q, { mass: [CARBON_MASS, CARBON_MASS], hbar2: tb.HBAR2_EV_A2_AMU });
  // The optical branches of this spring model sit near the measured G mode (≈ 0.196 eV).
  assert.ok(modes.energies[3] > 0.17 && modes.energies[3] < 0.22, `ħω = ${modes.energies}`);
  const ad = tb.electronPhonon(sys, k, modes, { hbar2: tb.HBAR2_EV_A2_AMU });
  const fd = tb.electronPhonon(sys, k, modes, { hbar2: tb.HBAR2_EV_A2_AMU, method: "fd" });
  const err = np.max(np.abs(ad.abs2.sub(fd.abs2))).item();
  const scale = np.max(ad.abs2).item();
  assert.ok(scale > 1e-3, `|g|² is not trivially small (${scale} eV²)`);
  assert.ok(err < 1e-8 * scale + 1e-12, `max ||g|²_AD − |g|²_FD| = ${err}`);
});
