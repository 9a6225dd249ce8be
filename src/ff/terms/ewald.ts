// Ewald summation for Coulomb in a periodic box, with GROMACS's conventions (f = ONE_4PI_EPS0/ε_r):
//   real space (Verlet, potential-shift):  f q_i q_j (erfc(βr)/r − erfc(βrc)/rc)  for r < rc
//   excluded pairs:                        −f q_i q_j erf(βr)/r  (removes their reciprocal part)
//   self:                                  −f β/√π Σ q_i²
//   reciprocal (plain Ewald):              f/(2πV) Σ_{m≠0} exp(−π²m²/β²)/m² |S(m)|²,
//                                          S(m) = Σ_j q_j exp(2πi m·r_j), m = reciprocal vector
//   net-charge correction:                 −f π Q²/(2 V β²)   (GROMACS adds it to Coul. recip.)
// β comes from ewald-rtol and the cut-off as GROMACS's calc_ewaldcoeff_q finds it. GROMACS
// reports real space + exclusion correction + self as "Coulomb (SR)" (the nbnxm kernels do all
// three) and reciprocal + net-charge correction as "Coul. recip.".
// Units: nm, e, kJ/mol; β nm⁻¹. The box is [3, 3] with box vectors as rows.
import { np, Tensor, TensorLike } from "../../index.js";
import { ONE_4PI_EPS0 } from "../../units.js";
import { asCharges } from "./coulomb.js";
import { asBox, asIndexList, asPositions, boxVolume, column } from "./geometry.js";
import { pairDistances, PairList } from "./pairs.js";

/** erfc(x) for x ≥ 0 to full double precision (numerical recipes' Chebyshev fit is not enough). */
function erfcNumber(x: number): number {
  // Continued fraction for large x, series for small x.
  if (x < 2) {
    let sum = x, term = x;
    for (let n = 1; n < 200; n++) {
      term *= -x * x / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Lentz's continued fraction: erfc(x) = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …))))
  let f = x, C = x, D = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    D = x + a * D; D = 1 / D;
    C = x + a / C;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/**
 * β (nm⁻¹) with erfc(β rc) = ewald-rtol, found as GROMACS's calc_ewaldcoeff_q does: double β
 * from 5 until erfc(β rc) ≤ rtol, then bisect (i + 60 steps).
 */
export function ewaldCoefficient(cutoff: number, rtol = 1e-5): number {
  if (!(cutoff > 0) || !(rtol > 0 && rtol < 1)) throw new Error(`ewaldCoefficient: need cutoff > 0 and 0 < rtol < 1, got ${cutoff}, ${rtol}`);
  let beta = 5;
  let i = 0;
  do { i++; beta *= 2; } while (erfcNumber(beta * cutoff) > rtol);
  const n = i + 60;
  let low = 0, high = beta;
  for (let k = 0; k < n; k++) {
    beta = (low + high) / 2;
    if (erfcNumber(beta * cutoff) > rtol) low = beta; else high = beta;
  }
  return beta;
}

export interface EwaldOptions {
  /** Splitting parameter β (nm⁻¹), e.g. ewaldCoefficient(rc, 1e-5). */
  beta: number;
  /** Relative dielectric constant ε_r (default 1). */
  epsilonR?: number;
}

/** erfc for tensors: 1 − erf, exact enough in float64 for the βr ≲ 6 that Ewald uses. */
function erfc(x: Tensor): Tensor {
  return np.erf(x).neg().add(1);
}

/**
 * Real-space Ewald energy over a pair list (excluded pairs masked off), cut at rc, with GROMACS's
 * potential shift (subtract erfc(β rc)/rc per pair) unless `shift: false`.
 */
export function ewaldRealSpace(positions: TensorLike, box: TensorLike | null, pairs: PairList, charges: TensorLike, opts: EwaldOptions & { cutoff: number; shift?: boolean }): Tensor {
  const where = "ewaldRealSpace";
  const q = asCharges(charges, where);
  const { rSafe, active, i, j } = pairDistances(asPositions(positions, where), asBox(box, where), pairs, opts.cutoff);
  const qq = np.take(q, i).mul(np.take(q, j));
  let v = erfc(rSafe.mul(opts.beta)).div(rSafe);
  if (opts.shift ?? true) v = v.sub(erfcNumber(opts.beta * opts.cutoff) / opts.cutoff);
  return np.sum(np.where(active, qq.mul(v), 0)).mul(ONE_4PI_EPS0 / (opts.epsilonR ?? 1));
}

/**
 * −f Σ q_i q_j erf(βr)/r over excluded pairs (each once, [E, 2]); with `cutoff`, pairs beyond it
 * are skipped as GROMACS's Verlet kernels skip them.
 */
export function ewaldExclusionCorrection(positions: TensorLike, box: TensorLike | null, exclusions: TensorLike, charges: TensorLike, opts: EwaldOptions & { cutoff?: number }): Tensor {
  const where = "ewaldExclusionCorrection";
  const q = asCharges(charges, where);
  const idx = asIndexList(exclusions, 2, where);
  if (idx.shape[0] === 0) return np.zeros([]);
  const { rSafe, active, i, j } = pairDistances(asPositions(positions, where), asBox(box, where), { i: column(idx, 0), j: column(idx, 1) }, opts.cutoff);
  const qq = np.take(q, i).mul(np.take(q, j));
  const v = qq.mul(np.erf(rSafe.mul(opts.beta))).div(rSafe);
  return np.sum(np.where(active, v, 0)).mul(-ONE_4PI_EPS0 / (opts.epsilonR ?? 1));
}

/** Ewald self energy −f β/√π Σ q_i². */
export function ewaldSelfEnergy(charges: TensorLike, opts: EwaldOptions): Tensor {
  const q = asCharges(charges, "ewaldSelfEnergy");
  return np.sum(q.mul(q)).mul(-ONE_4PI_EPS0 / (opts.epsilonR ?? 1) * opts.beta / Math.sqrt(Math.PI));
}

/** GROMACS's net-charge correction −f π Q²/(2 V β²) (zero for a neutral system). */
export function ewaldChargeCorrection(box: TensorLike, charges: TensorLike, opts: EwaldOptions): Tensor {
  const B = asBox(box, "ewaldChargeCorrection");
  if (B === null) throw new Error("ewaldChargeCorrection: needs a periodic box");
  const Q = np.sum(asCharges(charges, "ewaldChargeCorrection"));
  return Q.mul(Q).div(boxVolume(B)).mul(-ONE_4PI_EPS0 / (opts.epsilonR ?? 1) * Math.PI / (2 * opts.beta * opts.beta));
}

/**
 * Reciprocal vectors m = B⁻¹ n for integer triples n ([K, 3] rows, nm⁻¹; 2π not included), i.e.
 * rows n · B⁻ᵀ, differentiable in the box.
 */
export function reciprocalVectors(box: Tensor, n: Tensor): Tensor {
  return np.matmul(n, np.linalg.inv(box).T);
}

/**
 * Reciprocal-space Ewald energy by direct summation over |n_d| ≤ kmax[d] (half of the vectors,
 * using S(−m) = S(m)*). Cost O(N · K); meant for references and small systems — PME is the fast
 * path.
 */
export function ewaldReciprocal(positions: TensorLike, box: TensorLike, charges: TensorLike, opts: EwaldOptions & { kmax: number | [number, number, number] }): Tensor {
  const where = "ewaldReciprocal";
  const R = asPositions(positions, where);
  const B = asBox(box, where);
  if (B === null) throw new Error(`${where}: needs a periodic box`);
  const q = asCharges(charges, where);
  const km = typeof opts.kmax === "number" ? [opts.kmax, opts.kmax, opts.kmax] : opts.kmax;
  const ns: number[][] = [];
  // Half space: n_x > 0, or n_x = 0 and n_y > 0, or n_x = n_y = 0 and n_z > 0.
  for (let a = 0; a <= km[0]; a++) for (let b = -km[1]; b <= km[1]; b++) for (let c = -km[2]; c <= km[2]; c++) {
    if (a === 0 && (b < 0 || (b === 0 && c <= 0))) continue;
    ns.push([a, b, c]);
  }
  const n = np.array(ns);
  const m = reciprocalVectors(B, n); // [K, 3]
  const m2 = np.sum(m.mul(m), -1);
  const V = boxVolume(B);
  const phase = np.matmul(R, m.T).mul(2 * Math.PI); // [N, K]
  const sRe = np.matmul(q.expandDims(0), np.cos(phase)).reshape([-1]);
  const sIm = np.matmul(q.expandDims(0), np.sin(phase)).reshape([-1]);
  const s2 = sRe.mul(sRe).add(sIm.mul(sIm));
  const weight = np.exp(m2.mul(-(Math.PI ** 2) / (opts.beta ** 2))).div(m2);
  // Full sum = 2 × half sum; prefactor f/(2πV).
  return np.sum(weight.mul(s2)).div(V).mul(ONE_4PI_EPS0 / (opts.epsilonR ?? 1) / Math.PI);
}

export { erfcNumber };
