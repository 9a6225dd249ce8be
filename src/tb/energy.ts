// Band energy, total energy and forces. Forces are the AD gradient of the electronic free energy
// plus a pair repulsion; hellmannFeynmanForces computes the same forces from ⟨nk|∂H/∂R|nk⟩ as an
// independent check.
//
// The band term is the Mermin free energy of spin-degenerate bands with Fermi–Dirac smearing kT,
//   F = (2/Nk) Σ_nk [ −kT ln(1 + e^{−(ε_nk − μ)/kT}) ] + μ N_e,
// with μ set by bisection (occupation.ts). Because ∂F/∂μ = 0 at that μ, dF/dR = (2/Nk) Σ f_nk ∂ε_nk/∂R,
// which is exactly the Hellmann–Feynman force; μ is therefore held fixed (stopGradient) inside AD.
// As kT → 0, F → Σ_occupied ε (the band-structure energy).
import { np, grad, stopGradient, Tensor } from "../index.js";
import type { TightBindingSystem } from "./hamiltonian.js";
import { hamiltonian } from "./hamiltonian.js";
import { bands } from "./bands.js";
import { eighHermitian } from "./hermitian.js";
import { hamiltonianDerivative } from "./derivative.js";
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
 * Hellmann–Feynman forces −(2/Nk) Σ_nk f_nk ⟨nk|∂H(k)/∂R|nk⟩ − ∂E_rep/∂R at the crystal's
 * positions, with ∂H(k)/∂R from hamiltonianDerivative at q = 0 and eigenvectors from the
 * Hermitian eigensolver (no derivative of eigenvectors involved).
 */
export function hellmannFeynmanForces(sys: TightBindingSystem, opts: BandEnergyOptions): Tensor {
  const kT = opts.kT ?? 0.05;
  const eig = eighHermitian(hamiltonian(sys, opts.k));
  const mu = fermiLevel(eig.values, opts.electrons, { width: kT });
  const dH = hamiltonianDerivative(sys, opts.k, np.zeros([3]));
  const Re = dH.re.data(), Im = dH.im.data();
  const n = sys.size, N = sys.atoms, nk = eig.values.length;
  const F = new Float64Array(3 * N);
  for (let kk = 0; kk < nk; kk++) {
    const zr = eig.re[kk], zi = eig.im[kk];
    for (let b = 0; b < n; b++) {
      const f = occupation(eig.values[kk][b], mu, kT);
      if (f < 1e-14) continue;
      for (let c = 0; c < 3 * N; c++) {
        // Re ⟨z|M|z⟩ = Σ_ij (zr_i − i zi_i)(Mr_ij + i Mi_ij)(zr_j + i zi_j), real part.
        let s = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          const o = (((kk * n + i) * n + j) * 3 * N) + c;
          const mr = Re[o], mi = Im[o];
          const ar = zr[i * n + b], ai = zi[i * n + b], br = zr[j * n + b], bi = zi[j * n + b];
          // conj(a) · M · b
          const pr = mr * br - mi * bi, pi = mr * bi + mi * br;
          s += ar * pr + ai * pi;
        }
        F[c] -= (2 / nk) * f * s;
      }
    }
  }
  const rep = grad((R: Tensor) => repulsiveEnergy(sys, R))(sys.crystal.positions) as Tensor;
  return np.subtract(np.array(F).reshape([N, 3]), rep);
}
