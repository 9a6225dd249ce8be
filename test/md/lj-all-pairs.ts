// Small all-pairs Lennard-Jones energies for the simulate / minimize / quantity tests, written
// with np so the tests do not depend on diffmol/md's energy module. Reduced units (σ = ε = 1).
import { np, Tensor } from "../../src/index.js";
import { space } from "../../src/md/index.js";
import type { DisplacementFn, EnergyArgs, EnergyFn } from "../../src/md/index.js";

/**
 * E = ½ Σ_{i≠j} 4(r⁻¹² − r⁻⁶) over pairs closer than `cutoff` (minimum image through
 * `displacement`, which receives `args.box` so cell derivatives work). `shift: true` subtracts the
 * pair energy at the cutoff (LAMMPS `pair_modify shift yes`).
 */
export function ljAllPairs(displacement: DisplacementFn, opts: { cutoff?: number; shift?: boolean } = {}): EnergyFn {
  const pairs = space.mapProduct(displacement);
  const rc = opts.cutoff ?? Infinity;
  const eCut = opts.shift && Number.isFinite(rc) ? 4 * (rc ** -12 - rc ** -6) : 0;
  return (R: Tensor, args?: EnergyArgs) => {
    const n = R.shape[0];
    const dR = pairs(R, R, args?.box ? { box: args.box } : undefined);
    const r2 = np.sum(dR.mul(dR), -1);
    const offDiagonal = np.logicalNot(np.eye(n).astype("bool"));
    const mask = Number.isFinite(rc) ? np.logicalAnd(offDiagonal, r2.less(rc * rc)) : offDiagonal;
    const inv6 = np.reciprocal(np.where(mask, r2, 1).pow(3));
    const e = inv6.square().sub(inv6).mul(4).sub(eCut);
    return np.sum(np.where(mask, e, 0)).mul(0.5);
  };
}

/** fcc lattice of n×n×n conventional cells (4n³ atoms) with cubic lattice constant a. */
export function fccLattice(n: number, a: number): Tensor {
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) for (const b of basis) rows.push([(i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a]);
  return np.array(rows);
}
