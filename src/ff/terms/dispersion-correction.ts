// Long-range dispersion correction (GROMACS DispCorr = EnerPres / AllEnerPres) for a cut-off LJ
// with the Verlet potential-shift modifier, following GROMACS's DispersionCorrection:
//   E = ⟨C6⟩ (N/2) [ρ (−4π/(3rc³) − 4π/(3rc³)) + 1/rc⁶]
//       (tail beyond rc, plus the shift constant inside rc, minus the self pair it over-counts)
//   (+ ⟨C12⟩ (N/2) [ρ (4π/(9rc⁹) + 4π/(3rc⁹)) − 1/rc¹²] with AllEner)
//   P = −(4π/3) ρ² ⟨C6⟩ / rc³ (+ (8π/9) ρ² ⟨C12⟩ / rc⁹)
// with ρ = N/V and ⟨C6⟩ the average over all atom pairs minus excluded pairs (averageC6).
// The pressure correction comes only from the tail (the shift constant exerts no force); see
// dispersionCorrection for how its box derivative is made exactly GROMACS's virial correction.
// Units: nm, kJ/mol, C6 kJ mol⁻¹ nm⁶, C12 kJ mol⁻¹ nm¹².
import { np, Tensor, TensorLike } from "../../index.js";
import { asBox, asIndexList, boxVolume } from "./geometry.js";

export interface DispersionCorrectionOptions {
  /** LJ cut-off rc (nm). */
  cutoff: number;
  /** Number of atoms N. */
  numAtoms: number;
  /** ⟨C6⟩ (see averageC6). */
  avgC6: TensorLike;
  /** ⟨C12⟩ for AllEner/AllEnerPres (omit for EnerPres: dispersion only). */
  avgC12?: TensorLike;
  /** "potential-shift" (default, GROMACS's Verlet default) or "none" (plain cut-off). */
  modifier?: "potential-shift" | "none";
}

/**
 * The dispersion-correction energy (kJ/mol) as a function of the box. Its value is GROMACS's
 * energy correction; its derivative with respect to the box is GROMACS's virial correction, which
 * is the pressure of the missing tail of the full LJ potential, P = −(4π/3) ρ² ⟨C6⟩/rc³
 * (+ (8π/9) ρ² ⟨C12⟩/rc⁹) — twice −∂E_tail/∂V, because the full potential also pushes on the
 * pairs at the cut-off. The value and the volume derivative are therefore carried by two
 * expressions (value with the volume held fixed, plus a zero-valued term whose volume derivative
 * is the pressure); the derivative with respect to ⟨C6⟩, ⟨C12⟩ is that of the energy.
 */
export function dispersionCorrection(box: TensorLike, opts: DispersionCorrectionOptions): Tensor {
  const B = asBox(box, "dispersionCorrection");
  if (B === null) throw new Error("dispersionCorrection: needs a periodic box");
  const rc = opts.cutoff, N = opts.numAtoms;
  const rc3 = rc ** 3, rc9 = rc3 ** 3;
  const shift = (opts.modifier ?? "potential-shift") === "potential-shift";
  const V = boxVolume(B);
  const rho = np.stopGradient(np.reciprocal(V).mul(N));
  // Zero-valued, with ∂/∂V = −P/C (per unit ⟨C⟩): N² a (1/V − 1/V_fixed).
  const invV = np.reciprocal(V);
  const pressureCarrier = (a: number) => invV.sub(np.stopGradient(invV)).mul(N * N * a);
  const c6 = opts.avgC6 instanceof Tensor ? opts.avgC6 : np.asarray(opts.avgC6);
  // Dispersion: tail −4π/(3rc³) ρ; shift inside rc: −4π/(3rc³) ρ and +1/rc⁶ for the self pair.
  let e6 = rho.mul((shift ? -8 : -4) * Math.PI / (3 * rc3)).mul(0.5 * N);
  if (shift) e6 = e6.add(0.5 * N / rc3 ** 2);
  let energy = e6.add(pressureCarrier(-4 * Math.PI / (3 * rc3))).mul(c6);
  if (opts.avgC12 !== undefined) {
    const c12 = opts.avgC12 instanceof Tensor ? opts.avgC12 : np.asarray(opts.avgC12);
    let e12 = rho.mul((shift ? 4 / 9 + 4 / 3 : 4 / 9) * Math.PI / rc9).mul(0.5 * N);
    if (shift) e12 = e12.sub(0.5 * N / (rc9 * rc3));
    energy = energy.add(e12.add(pressureCarrier(8 * Math.PI / (9 * rc9))).mul(c12));
  }
  return energy;
}

/**
 * GROMACS's scalar pressure correction (kJ mol⁻¹ nm⁻³; × units.KJ_PER_MOL_NM3_TO_BAR for bar):
 * −(4π/3) ρ² ⟨C6⟩/rc³ (+ (8π/9) ρ² ⟨C12⟩/rc⁹). Equal to −(1/3V) tr(∂E/∂ε) of dispersionCorrection.
 */
export function dispersionCorrectionPressure(box: TensorLike, opts: DispersionCorrectionOptions): Tensor {
  const B = asBox(box, "dispersionCorrectionPressure");
  if (B === null) throw new Error("dispersionCorrectionPressure: needs a periodic box");
  const rc3 = opts.cutoff ** 3, rc9 = rc3 ** 3;
  const rho = np.reciprocal(boxVolume(B)).mul(opts.numAtoms);
  const c6 = opts.avgC6 instanceof Tensor ? opts.avgC6 : np.asarray(opts.avgC6);
  let p = rho.mul(rho).mul(c6).mul(-4 * Math.PI / (3 * rc3));
  if (opts.avgC12 !== undefined) {
    const c12 = opts.avgC12 instanceof Tensor ? opts.avgC12 : np.asarray(opts.avgC12);
    p = p.add(rho.mul(rho).mul(c12).mul(8 * Math.PI / (9 * rc9)));
  }
  return p;
}

/**
 * ⟨C⟩ over all atom pairs minus the excluded pairs, as GROMACS averages C6 (and C12): per-type
 * counts give Σ_{t≤u} n_tu C_tu, from which the excluded pairs' C are subtracted, divided by
 * (pairs − exclusions). `matrix` [T, T] (differentiable), `types` int [N], `exclusions` [E, 2]
 * each excluded pair once.
 */
export function averagePairParameter(matrix: Tensor, types: TensorLike, exclusions?: TensorLike): Tensor {
  const T = matrix.shape[0];
  const t = Array.from((types instanceof Tensor ? types : np.asarray(types)).data());
  const count = new Float64Array(T);
  for (const a of t) count[a]++;
  const w = new Float64Array(T * T);
  let npair = 0;
  for (let a = 0; a < T; a++) for (let b = a; b < T; b++) {
    const n = a === b ? (count[a] * (count[a] - 1)) / 2 : count[a] * count[b];
    w[a * T + b] += n;
    npair += n;
  }
  let nexcl = 0;
  if (exclusions !== undefined) {
    const e = asIndexList(exclusions, 2, "averagePairParameter").data();
    for (let p = 0; p < e.length; p += 2) {
      const a = t[e[p]], b = t[e[p + 1]];
      w[Math.min(a, b) * T + Math.max(a, b)] -= 1;
      nexcl++;
    }
  }
  if (npair - nexcl <= 0) return np.zeros([]);
  return np.sum(matrix.mul(np.array(Array.from(w)).reshape([T, T]))).div(npair - nexcl);
}
