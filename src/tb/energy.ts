// Band energy, total energy and forces. Forces are the AD gradient of the electronic free energy
// plus a pair repulsion; hellmannFeynmanForces computes the same forces from ⟨nk|∂H/∂R − ε ∂S/∂R|nk⟩
// as an independent check.
//
// The band term is the Mermin free energy of spin-degenerate bands with Fermi–Dirac smearing kT,
//   F = (2/Nk) Σ_nk [ −kT ln(1 + e^{−(ε_nk − μ)/kT}) ] + μ N_e,
// with μ set by bisection (occupation.ts). Because ∂F/∂μ = 0 at that μ, dF/dR = (2/Nk) Σ f_nk ∂ε_nk/∂R,
// which is exactly the Hellmann–Feynman force; μ is therefore held fixed (stopGradient) inside AD.
// As kT → 0, F → Σ_occupied ε (the band-structure energy).
import { np, grad, stopGradient, Tensor } from "../index.js";
import type { TightBindingSystem } from "./hamiltonian.js";
import { bands, blochStates } from "./bands.js";
import { hamiltonianDerivative, overlapDerivative } from "./derivative.js";
import { bondVectors } from "./lattice.js";
import { fermiLevel, occupation } from "./occupation.js";

export interface BandEnergyOptions {
  /** Electrons per cell. */
  electrons: number;
  /** Cartesian k-points [nk, 3], equal weights (e.g. kFromFractional(cell, kGrid(mesh))). */
  k: Tensor;
  /** Fermi–Dirac width kT (energy units; default 0.05). */
  kT?: number;
}

/** The electronic free energy F(R) per cell (differentiable in R). */
export function bandEnergy(sys: TightBindingSystem, positions: Tensor, opts: BandEnergyOptions): Tensor {
  const kT = opts.kT ?? 0.05;
  const eps = bands(sys, opts.k, positions);
  const rows = eps.toArray() as number[][];
  const mu = fermiLevel(rows, opts.electrons, { width: kT });
  const x = np.divide(np.subtract(eps, stopGradient(np.asarray(mu))), -kT);
  const grand = np.multiply(np.mean(np.sum(np.logaddexp(0, x), -1)), -2 * kT);
  return np.add(grand, mu * opts.electrons);
}

/** Pair repulsion E_rep = ½ Σ_directed φ(r_b) (0 when the model has none). */
export function repulsiveEnergy(sys: TightBindingSystem, positions: Tensor): Tensor {
  if (!sys.model.repulsion) return np.asarray(0);
  const d = bondVectors(positions, sys.crystal.cell, sys.bonds);
  return np.multiply(np.sum(sys.model.repulsion(np.sqrt(np.sum(np.square(d), -1)))), 0.5);
}

/** F_band + E_rep per cell. */
export function totalEnergy(sys: TightBindingSystem, positions: Tensor, opts: BandEnergyOptions): Tensor {
  return np.add(bandEnergy(sys, positions, opts), repulsiveEnergy(sys, positions));
}

/** Forces −∂(F_band + E_rep)/∂R [N, 3] by AD (R moves every periodic image of an atom together). */
export function forces(sys: TightBindingSystem, positions: Tensor, opts: BandEnergyOptions): Tensor {
  return np.negative(grad((R: Tensor) => totalEnergy(sys, R, opts))(positions) as Tensor);
}

/**
 * Hellmann–Feynman forces −(2/Nk) Σ_nk f_nk ⟨nk|∂H(k)/∂R − ε_nk ∂S(k)/∂R|nk⟩ − ∂E_rep/∂R at the
 * crystal's positions (the ∂S term, Pulay's, only for a model with an overlap), with the
 * derivatives from derivative.ts at q = 0 and S-normalised eigenvectors (no derivative of
 * eigenvectors involved).
 */
export function hellmannFeynmanForces(sys: TightBindingSystem, opts: BandEnergyOptions): Tensor {
  const kT = opts.kT ?? 0.05;
  const eig = blochStates(sys, opts.k);
  const mu = fermiLevel(eig.values, opts.electrons, { width: kT });
  const q0 = np.zeros([3]);
  const dH = hamiltonianDerivative(sys, opts.k, q0);
  const dS = overlapDerivative(sys, opts.k, q0);
  const H = { re: dH.re.data(), im: dH.im.data() };
  const S = dS ? { re: dS.re.data(), im: dS.im.data() } : null;
  const n = sys.size, N = sys.atoms, nk = eig.values.length;
  const F = new Float64Array(3 * N);
  for (let kk = 0; kk < nk; kk++) {
    const z = { re: eig.re[kk], im: eig.im[kk] };
    for (let b = 0; b < n; b++) {
      const f = occupation(eig.values[kk][b], mu, kT);
      if (f < 1e-14) continue;
      for (let c = 0; c < 3 * N; c++) {
        let dE = expectation(H, z, kk, b, c, n, 3 * N);
        if (S) dE -= eig.values[kk][b] * expectation(S, z, kk, b, c, n, 3 * N);
        F[c] -= (2 / nk) * f * dE;
      }
    }
  }
  const rep = grad((R: Tensor) => repulsiveEnergy(sys, R))(sys.crystal.positions) as Tensor;
  return np.subtract(np.array(F).reshape([N, 3]), rep);
}

/** Re ⟨z_b|M_c|z_b⟩ for a derivative M [nk, n, n, D] (flat) at k-index kk, component c. */
function expectation(M: { re: ArrayLike<number>; im: ArrayLike<number> }, z: { re: ArrayLike<number>; im: ArrayLike<number> }, kk: number, b: number, c: number, n: number, D: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const o = ((kk * n + i) * n + j) * D + c;
    const mr = M.re[o], mi = M.im[o];
    const ar = z.re[i * n + b], ai = z.im[i * n + b], br = z.re[j * n + b], bi = z.im[j * n + b];
    // Re[conj(a) · M · b]
    const pr = mr * br - mi * bi, pi = mr * bi + mi * br;
    s += ar * pr + ai * pi;
  }
  return s;
}
