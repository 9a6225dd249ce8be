// Electron–phonon matrix elements
//   g_mnν(k, q) = √(ħ² / (2 ħω_qν)) · ⟨m, k+q| Σ_κα ε_κα,ν ∂H/∂u_κα |n, k⟩
// with ∂H/∂u from derivative.ts (AD by default; ∂H − ε ∂S for a non-orthogonal model, below) and the mass-weighted mode patterns ε from
// phonon-modes.ts (ε = e/√M, so this is ⟨m|∂_qν H|n⟩ / √(2Mω) of the usual notation).
// Units: energies in eV, lengths in Å, masses in amu with hbar2 = HBAR2_EV_A2_AMU give g in eV;
// reduced units with hbar2 = 1.
//
// The dimensionless coupling (F. Giustino, Rev. Mod. Phys. 89, 015003 (2017), Eqs. 103–104):
//   λ_qν = 1/(N_F ω_qν) · (1/Nk) Σ_{k,mn} |g_mnν(k,q)|² δ(ε_nk − ε_F) δ(ε_m,k+q − ε_F),
//   λ = (1/Nq) Σ_qν λ_qν,   N_F = (1/Nk) Σ_nk δ(ε_nk − ε_F)  (states per cell per spin),
// with Gaussian δ's of width σ.
import { np, Tensor } from "../index.js";
import type { TightBindingSystem, ComplexPair } from "./hamiltonian.js";
import type { HermitianEigen } from "./hermitian.js";
import { blochStates } from "./bands.js";
import { hamiltonianDerivative, overlapDerivative, DerivativeOptions } from "./derivative.js";
import type { PhononModes } from "./phonon-modes.js";
import { gaussianDelta } from "./occupation.js";

export interface ElectronPhonon {
  /** g_mnν(k, q) as [nk, nmodes, nbands (m at k+q), nbands (n at k)], real and imaginary parts. */
  re: Tensor;
  im: Tensor;
  /** |g|² with the same shape. */
  abs2: Tensor;
  /** Band energies at k and at k+q [nk][nbands]. */
  energiesK: Float64Array[];
  energiesKQ: Float64Array[];
  /** Phonon energies ħω_ν. */
  phononEnergies: Float64Array;
}

export interface ElectronPhononOptions extends DerivativeOptions {
  /** ħ² in energy·length²·mass (default 1, reduced units). */
  hbar2?: number;
}

/** All g_mnν(k, q) for Cartesian k [nk, 3] and the modes at one q. */
export function electronPhonon(sys: TightBindingSystem, k: Tensor, modes: PhononModes, opts: ElectronPhononOptions = {}): ElectronPhonon {
  const kk = k.ndim === 1 ? k.reshape([1, 3]) : k;
  const q = modes.q;
  const kq = np.add(kk, q.reshape([1, 3]));
  const eK = blochStates(sys, kk);
  const eKQ = blochStates(sys, kq);
  const dH = hamiltonianDerivative(sys, kk, q, opts);
  const dS = overlapDerivative(sys, kk, q, opts);
  return contract(sys, dH, eK, eKQ, modes, opts.hbar2 ?? 1, dS);
}

/**
 * g from ∂H/∂u (and ∂S/∂u for a non-orthogonal model), the states at k and k+q, and the mode
 * patterns. With an overlap the matrix element is ⟨m| ∂H − ½(ε_m + ε_n) ∂S |n⟩ between
 * S-normalised states: its diagonal at q = 0 is ∂ε_n/∂u (Hellmann–Feynman with the Pulay term),
 * it equals ⟨m|∂H − ε_n ∂S|n⟩ of first-order perturbation theory whenever ε_m = ε_n (the
 * energy-conserving transitions that λ counts), and the symmetric energy keeps
 * g_mn(k, q) = g_nm(k+q, −q)*.
 */
export function contract(sys: TightBindingSystem, dH: ComplexPair, eK: HermitianEigen, eKQ: HermitianEigen, modes: PhononModes, hbar2: number, dS: ComplexPair | null = null): ElectronPhonon {
  const n = sys.size, nk = eK.values.length, nm = modes.energies.length;
  const gr = new Float64Array(nk * nm * n * n), gi = new Float64Array(nk * nm * n * n);
  const H = { re: dH.re.data(), im: dH.im.data() };
  const S = dS ? { re: dS.re.data(), im: dS.im.data() } : null;
  // Work buffers reused for every (k, mode): the loop runs nk · nmodes times on small matrices.
  const buffer = () => ({ re: new Float64Array(n * n), im: new Float64Array(n * n) });
  const P = buffer(), T = buffer(), gH = buffer(), gS = buffer();
  for (let kk = 0; kk < nk; kk++) {
    const left = { re: eKQ.re[kk], im: eKQ.im[kk] }, right = { re: eK.re[kk], im: eK.im[kk] };
    for (let v = 0; v < nm; v++) {
      const w = modes.energies[v];
      const l = w > 0 ? Math.sqrt(hbar2 / (2 * w)) : 0; // acoustic modes at Γ and unstable modes carry no coupling
      const mode = { re: modes.re[v], im: modes.im[v] };
      sandwich(left, project(H, kk, n, mode, P), right, n, T, gH);
      if (S) sandwich(left, project(S, kk, n, mode, P), right, n, T, gS);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
        const ab = a * n + b;
        const e = S ? 0.5 * (eKQ.values[kk][a] + eK.values[kk][b]) : 0;
        const o = ((kk * nm + v) * n + a) * n + b;
        gr[o] = l * (gH.re[ab] - (S ? e * gS.re[ab] : 0));
        gi[o] = l * (gH.im[ab] - (S ? e * gS.im[ab] : 0));
      }
    }
  }
  const shape = [nk, nm, n, n];
  const abs2 = Float64Array.from(gr, (x, i) => x * x + gi[i] * gi[i]);
  return {
    re: np.array(gr).reshape(shape), im: np.array(gi).reshape(shape), abs2: np.array(abs2).reshape(shape),
    energiesK: eK.values, energiesKQ: eKQ.values, phononEnergies: modes.energies,
  };
}

interface ComplexArray { re: ArrayLike<number>; im: ArrayLike<number> }
interface ComplexBuffer { re: Float64Array; im: Float64Array }

/** P = Σ_c ε_c M_c: a derivative [nk, n, n, D] (flat) projected on one mode pattern, at k-index kk, into `out`. */
function project(M: ComplexArray, kk: number, n: number, mode: ComplexArray, out: ComplexBuffer): ComplexBuffer {
  const D = mode.re.length;
  for (let ij = 0; ij < n * n; ij++) {
    let sr = 0, si = 0;
    const o = (kk * n * n + ij) * D;
    for (let c = 0; c < D; c++) {
      const mr = M.re[o + c], mi = M.im[o + c], er = mode.re[c], ei = mode.im[c];
      sr += er * mr - ei * mi;
      si += er * mi + ei * mr;
    }
    out.re[ij] = sr; out.im[ij] = si;
  }
  return out;
}

/** A^H P B into `out` for eigenvector columns A, B (row-major n×n) and P n×n; `T` is scratch. */
function sandwich(A: ComplexArray, P: ComplexArray, B: ComplexArray, n: number, T: ComplexBuffer, out: ComplexBuffer): void {
  for (let i = 0; i < n; i++) for (let b = 0; b < n; b++) { // T = P B
    let sr = 0, si = 0;
    for (let j = 0; j < n; j++) {
      const pr = P.re[i * n + j], pi = P.im[i * n + j], zr = B.re[j * n + b], zi = B.im[j * n + b];
      sr += pr * zr - pi * zi; si += pr * zi + pi * zr;
    }
    T.re[i * n + b] = sr; T.im[i * n + b] = si;
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
    let sr = 0, si = 0;
    for (let i = 0; i < n; i++) {
      const zr = A.re[i * n + a], zi = -A.im[i * n + a], tr = T.re[i * n + b], ti = T.im[i * n + b];
      sr += zr * tr - zi * ti; si += zr * ti + zi * tr;
    }
    out.re[a * n + b] = sr; out.im[a * n + b] = si;
  }
}

export interface CouplingOptions extends ElectronPhononOptions {
  /** Fermi level (energy units). */
  fermiLevel: number;
  /** Width of the Gaussian δ's. */
  sigma: number;
}

/**
 * λ_qν for every q of `modesPerQ` and their average λ, on the Cartesian k-points `k` (a full
 * uniform grid, so that k+q samples the same Fermi surface). Returns N_F (per cell per spin) too.
 */
export function couplingStrength(sys: TightBindingSystem, k: Tensor, modesPerQ: readonly PhononModes[], opts: CouplingOptions): { lambda: number; lambdaQ: number[][]; dosFermi: number } {
  const { fermiLevel: ef, sigma } = opts;
  let dosFermi = 0;
  let nk = 0;
  const lambdaQ: number[][] = [];
  for (const modes of modesPerQ) {
    const ep = electronPhonon(sys, k, modes, opts);
    nk = ep.energiesK.length;
    if (dosFermi === 0) {
      for (const row of ep.energiesK) for (const e of row) dosFermi += gaussianDelta(e - ef, sigma);
      dosFermi /= nk;
    }
    const a2 = ep.abs2.data();
    const n = sys.size, nm = modes.energies.length;
    const row: number[] = [];
    for (let v = 0; v < nm; v++) {
      const w = modes.energies[v];
      if (!(w > 0)) { row.push(0); continue; }
      let s = 0;
      for (let kk = 0; kk < nk; kk++) for (let m = 0; m < n; m++) for (let b = 0; b < n; b++) {
        s += a2[((kk * nm + v) * n + m) * n + b] * gaussianDelta(ep.energiesK[kk][b] - ef, sigma) * gaussianDelta(ep.energiesKQ[kk][m] - ef, sigma);
      }
      row.push(s / (nk * dosFermi * w));
    }
    lambdaQ.push(row);
  }
  const lambda = lambdaQ.reduce((acc, r) => acc + r.reduce((a, b) => a + b, 0), 0) / modesPerQ.length;
  return { lambda, lambdaQ, dosFermi };
}
