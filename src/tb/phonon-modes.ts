// Phonon modes for electron–phonon couplings, from md's force constants and dynamical matrix.
//
// md.phonons builds D(q) with the phases e^{iq·(r_j − r_i)} of the atom positions, so a mode e
// displaces atom κ of cell p by e_κ e^{iq·(T_p + τ_κ)} / √M_κ. The electronic Bloch sums here
// use lattice phases e^{iq·T_p} only, so the displacement pattern per cell is
//   ε_κα = e_κα e^{iq·τ_κ} / √M_κ.
// Units: force constants in energy/length², masses in mass units; hbar2 = ħ² in energy·length²·mass
// (eV·Å²·amu: HBAR2_EV_A2_AMU; 1 in reduced units) turns ω² into phonon energies ħω.
import { np, Tensor, TensorLike } from "../index.js";
import { phonons } from "../md/index.js";
import { HBAR_SI, AMU_SI, ELEMENTARY_CHARGE_SI } from "../units.js";
import { eighHermitian } from "./hermitian.js";

/** ħ² / (1 amu · 1 Å²) in eV (≈ 4.1802e-3; CODATA 2018 constants from diffmol/units). */
export const HBAR2_EV_A2_AMU = (HBAR_SI ** 2) / (AMU_SI * 1e-20) / ELEMENTARY_CHARGE_SI;

export interface PhononModes {
  /** Cartesian wavevector [3]. */
  q: Tensor;
  /** Phonon energies ħω_ν (energy units), ascending; negative for unstable modes. */
  energies: Float64Array;
  /** Mass-weighted displacement patterns ε_κα,ν (per cell, lattice-phase convention): [nmodes][3N] re and im. */
  re: Float64Array[];
  im: Float64Array[];
}

export interface ModesOptions {
  /** Mass per basis atom (default 1). */
  mass?: readonly number[];
  /** ħ² in energy·length²·mass (default 1: reduced units). */
  hbar2?: number;
}

/**
 * Phonon modes at Cartesian q (3-vector; only its first d components are used when md works in
 * d < 3 dimensions, e.g. in-plane graphene or a chain) for force constants `fc` on supercell `sc`.
 */
export function phononModes(fc: Tensor, sc: phonons.Supercell, q: TensorLike, opts: ModesOptions = {}): PhononModes {
  const q3 = np.asarray(q).astype("float64");
  if (q3.ndim !== 1 || q3.shape[0] !== 3) throw new Error(`tb.phononModes: q must be a Cartesian 3-vector, got shape [${q3.shape}]`);
  const d = sc.positions.shape[1], nb = sc.reference.length;
  const qd = q3.slice([0, d]);
  const mass = opts.mass ?? Array.from({ length: nb }, () => 1);
  if (mass.length !== nb) throw new Error(`tb.phononModes: mass needs one value per basis atom (${nb}), got ${mass.length}`);
  const D = phonons.dynamicalMatrix(fc, sc, qd, { mass: [...mass] });
  const eig = eighHermitian({ re: D.real, im: D.imag });
  const hbar = Math.sqrt(opts.hbar2 ?? 1);
  const w2 = eig.values[0], zr = eig.re[0], zi = eig.im[0];
  const n = nb * d;
  const tau = np.take(sc.positions, sc.reference, 0).data();
  const qv = q3.data();
  const out: PhononModes = { q: q3, energies: new Float64Array(n), re: [], im: [] };
  for (let m = 0; m < n; m++) {
    out.energies[m] = Math.sign(w2[m]) * Math.sqrt(Math.abs(w2[m])) * hbar;
    const er = new Float64Array(3 * nb), ei = new Float64Array(3 * nb);
    for (let b = 0; b < nb; b++) {
      let phase = 0;
      for (let x = 0; x < d; x++) phase += qv[x] * tau[b * d + x];
      const c = Math.cos(phase) / Math.sqrt(mass[b]), s = Math.sin(phase) / Math.sqrt(mass[b]);
      for (let x = 0; x < d; x++) {
        const ar = zr[(b * d + x) * n + m], ai = zi[(b * d + x) * n + m];
        er[3 * b + x] = ar * c - ai * s;
        ei[3 * b + x] = ar * s + ai * c;
      }
    }
    out.re.push(er); out.im.push(ei);
  }
  return out;
}
