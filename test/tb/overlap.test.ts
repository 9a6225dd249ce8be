// Non-orthogonal models: ∂S/∂u, the Pulay term in forces and in the electron–phonon matrix
// elements, checked on distorted graphene with the overlap s0 = 0.129.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, Tensor } from "../../src/index.js";
import * as tb from "../../src/tb/index.js";
import type { PhononModes } from "../../src/tb/index.js";
import { A_CC } from "./helpers.js";

const maxAbs = (t: Tensor) => np.max(np.abs(t)).item();

/** Graphene with overlap, its atoms moved off the ideal sites (and out of plane) so nothing vanishes by symmetry. */
function distorted(s0 = 0.129) {
  const sheet = tb.grapheneSheet(A_CC);
  const R = sheet.positions.add(np.array([[0.03, -0.02, 0.01], [-0.01, 0.04, -0.02]]));
  return tb.system(tb.graphene({ s0 }), { ...sheet, positions: R });
}

const K = np.array([[0.31, -0.52, 0.0], [1.1, 0.4, 0.0], [-0.7, 0.9, 0.0]]);

/** Unit Cartesian displacement patterns as "modes" with ħω = ½ (so √(ħ²/2ħω) = 1 for ħ² = 1): g = ⟨m|∂_u H − ε̄ ∂_u S|n⟩. */
function unitModes(sys: tb.TightBindingSystem, q: number[], conjugate = false): PhononModes {
  const D = 3 * sys.atoms;
  const phase = (c: number) => 0.3 * c + 0.1; // arbitrary complex patterns, not just unit vectors
  const re: Float64Array[] = [], im: Float64Array[] = [];
  for (let v = 0; v < D; v++) {
    re.push(Float64Array.from({ length: D }, (_, c) => (c === v ? 1 : 0.2) * Math.cos(phase(c + v))));
    im.push(Float64Array.from({ length: D }, (_, c) => (conjugate ? -1 : 1) * (c === v ? 1 : 0.2) * Math.sin(phase(c + v))));
  }
  return { q: np.array(q), energies: new Float64Array(D).fill(0.5), re, im };
}

test("∂S/∂u by AD equals central differences to 1e-8 (q = 0 and q ≠ 0); orthogonal models have none", () => {
  const sys = distorted();
  for (const q of [[0, 0, 0], [0.4, -0.25, 0]]) {
    const ad = tb.overlapDerivative(sys, K, np.array(q))!;
    const fd = tb.overlapDerivative(sys, K, np.array(q), { method: "fd", step: 1e-5 })!;
    assert.ok(maxAbs(ad.re) > 1e-2, "∂S/∂u is not trivially zero");
    const err = Math.max(maxAbs(ad.re.sub(fd.re)), maxAbs(ad.im.sub(fd.im)));
    assert.ok(err < 1e-8, `q = ${q}: max |AD − FD| = ${err}`);
  }
  // At q = 0 it is the derivative of the Bloch sum S(k) itself.
  const d0 = tb.overlapDerivative(sys, K, np.zeros([3]))!;
  const h = 1e-5, R = sys.crystal.positions;
  for (const [atom, x] of [[0, 0], [1, 2]]) {
    const e = new Float64Array(6); e[3 * atom + x] = h;
    const dR = np.array(e).reshape([2, 3]);
    const up = tb.overlap(sys, K, R.add(dR)), down = tb.overlap(sys, K, R.sub(dR));
    const fd = up.re.sub(down.re).div(2 * h);
    const col = d0.re.slice([], [], [], atom, x);
    assert.ok(maxAbs(col.sub(fd)) < 1e-8, `atom ${atom}, axis ${x}`);
  }
  assert.equal(tb.overlapDerivative(tb.system(tb.graphene(), tb.grapheneSheet(A_CC)), K, np.zeros([3])), null);
});

test("with an overlap, AD forces equal Hellmann–Feynman forces only with the Pulay term −ε ∂S/∂R", () => {
  const sys = distorted();
  const k = tb.kFromFractional(sys.crystal.cell, tb.kGrid([6, 6, 1]));
  const opts = { electrons: 2, k, kT: 0.1 };
  const ad = tb.forces(sys, sys.crystal.positions, opts);
  const hf = tb.hellmannFeynmanForces(sys, opts);
  const err = maxAbs(ad.sub(hf));
  assert.ok(err < 1e-9, `max |F_AD − F_HF| = ${err}`);
  // Dropping the Pulay term (treating the basis as orthonormal in the force) is visibly wrong.
  const orthogonalHF = tb.hellmannFeynmanForces({ ...sys, model: { ...sys.model, overlap: undefined } }, opts);
  assert.ok(maxAbs(ad.sub(orthogonalHF)) > 1e-2, "the Pulay term matters at s0 = 0.129");
});

test("with an overlap, g_nn(k, q = 0) is ∂ε_n/∂u (FD of the generalised eigenvalues) and g_mn(k, q) = g_nm(k+q, −q)*", () => {
  const sys = distorted();
  const modes = unitModes(sys, [0, 0, 0]);
  const ep = tb.electronPhonon(sys, K, modes);
  const n = sys.size, D = 3 * sys.atoms, nk = K.shape[0];
  const gRe = ep.re.data(), gIm = ep.im.data();
  const R = sys.crystal.positions, h = 1e-5;
  for (let v = 0; v < D; v++) {
    // Real part of the pattern moves the atoms; its imaginary part is a second real displacement.
    for (const [part, sign] of [[modes.re[v], 1], [modes.im[v], 0]] as const) {
      const dR = np.array(Float64Array.from(part, (x) => x * h)).reshape([sys.atoms, 3]);
      const fd = tb.bands(sys, K, R.add(dR)).sub(tb.bands(sys, K, R.sub(dR))).div(2 * h).data();
      for (let kk = 0; kk < nk; kk++) for (let b = 0; b < n; b++) {
        const o = ((kk * D + v) * n + b) * n + b;
        const g = sign ? gRe[o] : gIm[o];
        assert.ok(Math.abs(g - fd[kk * n + b]) < 1e-7, `mode ${v}, k ${kk}, band ${b}: g ${g} vs FD ${fd[kk * n + b]}`);
      }
    }
  }
  // Time-reversal-like symmetry of the matrix element between k and k+q.
  const q = [0.4, -0.25, 0];
  const fwd = tb.electronPhonon(sys, K, unitModes(sys, q));
  const back = tb.electronPhonon(sys, K.add(np.array([q])), unitModes(sys, q.map((x) => -x), true));
  const fr = fwd.re.data(), fi = fwd.im.data(), br = back.re.data(), bi = back.im.data();
  let worst = 0;
  for (let kk = 0; kk < nk; kk++) for (let v = 0; v < D; v++) for (let m = 0; m < n; m++) for (let b = 0; b < n; b++) {
    const o = ((kk * D + v) * n + m) * n + b, t = ((kk * D + v) * n + b) * n + m;
    worst = Math.max(worst, Math.abs(fr[o] - br[t]), Math.abs(fi[o] + bi[t]));
  }
  assert.ok(worst < 1e-12, `|g_mn(k, q) − g_nm(k+q, −q)*| = ${worst}`);
});
