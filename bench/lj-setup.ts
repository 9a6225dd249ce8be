// The dense Lennard-Jones system of bench/core.ts and bench/jit.ts: N = 512 atoms at reduced
// density 0.8 in a cubic box of side L = (N/ρ)^⅓ ≈ 8.62.
import { rng } from "./timing.js";

export const LJ_N = 512;
export const LJ_DENSITY = 0.8;
export const LJ_L = Math.cbrt(LJ_N / LJ_DENSITY);

/** An 8×8×8 cubic lattice filling the box, each coordinate jittered by up to ±15% of the
 *  spacing: random, but without the overlapping pairs (r ≪ 1) that pure uniform sampling
 *  produces, which would make the energy a handful of r⁻¹² terms. */
export function ljPositions(): Float64Array {
  const m = Math.round(Math.cbrt(LJ_N));
  const a = LJ_L / m;
  const r = rng(3);
  const x = new Float64Array(LJ_N * 3);
  let k = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) for (let l = 0; l < m; l++) {
    x[k++] = (i + 0.5 + 0.3 * (r() - 0.5)) * a;
    x[k++] = (j + 0.5 + 0.3 * (r() - 0.5)) * a;
    x[k++] = (l + 0.5 + 0.3 * (r() - 0.5)) * a;
  }
  return x;
}
