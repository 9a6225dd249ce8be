// Ewald and smooth-PME electrostatics for the force field, split the way GROMACS reports them:
//   "Coulomb (SR)"  = real space erfc(βr)/r over non-excluded pairs within rc (potential-shifted
//                     by default) − erf(βr)/r over excluded pairs within rc − β/√π Σ q²
//   "Coul. recip."  = reciprocal sum (PME or direct Ewald) + the net-charge correction
// β from ewald-rtol and rcoulomb (GROMACS's calc_ewaldcoeff_q); the PME grid from fourier-nx/ny/nz
// or fourier-spacing (GROMACS's grid-size rule), order pme-order; direct Ewald sums |n_d| ≤ kmax,
// by default as many as PME's grid would resolve (fourierN/2) — a converged reference.
import { Tensor } from "../index.js";
import type { PairList } from "./terms/pairs.js";
import type { NonbondedOptions } from "./nonbonded.js";
import { ewaldChargeCorrection, ewaldCoefficient, ewaldExclusionCorrection, ewaldRealSpace, ewaldReciprocal, ewaldSelfEnergy } from "./terms/ewald.js";
import { pmeGridSize, pmeReciprocal } from "./terms/pme.js";

export interface LongRangeSetup {
  kind: "ewald" | "pme";
  beta: number;
  grid: [number, number, number];
  order: number;
  kmax: [number, number, number];
}

/** Options beyond NonbondedOptions for direct Ewald: the largest |n| per axis. */
export interface EwaldKmax { ewaldKmax?: number | [number, number, number] }

export function setupLongRange(kind: "ewald" | "pme", o: NonbondedOptions & EwaldKmax, rcoulomb: number, box: Tensor): LongRangeSetup {
  const beta = ewaldCoefficient(rcoulomb, o.ewaldRtol ?? 1e-5);
  const order = o.pmeOrder ?? 4;
  const fromSpacing = pmeGridSize(box, o.fourierSpacing ?? 0.12, order);
  const grid: [number, number, number] = [o.fourierNx ?? fromSpacing[0], o.fourierNy ?? fromSpacing[1], o.fourierNz ?? fromSpacing[2]];
  const k = o.ewaldKmax;
  const kmax: [number, number, number] = k === undefined ? [grid[0] >> 1, grid[1] >> 1, grid[2] >> 1] : typeof k === "number" ? [k, k, k] : k;
  return { kind, beta, grid, order, kmax };
}

export function longRangeElectrostatics(
  setup: LongRangeSetup, R: Tensor, box: Tensor, pairs: PairList, q: Tensor, exclusions: Tensor,
  opts: { epsilonR: number; cutoff: number; modifier: "potential-shift" | "none" },
): { shortRange: Tensor; reciprocal: Tensor } {
  const e = { beta: setup.beta, epsilonR: opts.epsilonR };
  const shortRange = ewaldRealSpace(R, box, pairs, q, { ...e, cutoff: opts.cutoff, shift: opts.modifier === "potential-shift" })
    .add(ewaldExclusionCorrection(R, box, exclusions, q, { ...e, cutoff: opts.cutoff }))
    .add(ewaldSelfEnergy(q, e));
  const recip = setup.kind === "pme"
    ? pmeReciprocal(R, box, q, { ...e, grid: setup.grid, order: setup.order })
    : ewaldReciprocal(R, box, q, { ...e, kmax: setup.kmax });
  return { shortRange, reciprocal: recip.add(ewaldChargeCorrection(box, q, e)) };
}
