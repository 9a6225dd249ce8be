// Shared by bench/md.ts and its worker thread bench/md-worker.ts: the user-level Lennard-Jones
// energy over a pair list (np code, differentiated by grad) and the hand-written half-list loop.
import { np, Tensor } from "../src/index.js";
import { space } from "../src/md/index.js";

/**
 * The user-level energy: gather both atoms of every listed pair, minimum image, truncated LJ
 * 4(r⁻¹² − r⁻⁶) for r < rc (σ = ε = 1, no shift: LAMMPS `pair_style lj/cut`), summed. Padded
 * slots (mask false) and pairs beyond rc contribute 0 with a zero gradient.
 */
export function ljUserEnergy(L: number, rc: number): (R: Tensor, I: Tensor, J: Tensor, M: Tensor) => Tensor {
  const [displacement] = space.periodic(L);
  return (R, I, J, M) => {
    const dR = displacement(np.take(R, I, 0), np.take(R, J, 0));
    const r2 = np.sum(dR.mul(dR), -1);
    const on = np.logicalAnd(M.astype("bool"), np.less(r2, rc * rc));
    const inv2 = np.reciprocal(np.where(on, r2, 1));
    const inv6 = inv2.mul(inv2).mul(inv2);
    return np.sum(np.where(on, inv6.mul(inv6).sub(inv6).mul(4), 0));
  };
}

/**
 * The hand-written loop: the first `count` pairs of a half list (i < j, each pair once, sorted by
 * i as partition.neighborList stores them), minimum image, LJ for r² < rc2, Newton's third law;
 * atom i's position and force stay in locals for its whole row (as LAMMPS's i-loop does). Adds
 * the FORCES (−∇E) into f; returns the energy.
 */
export function ljHalfListForces(x: Float64Array, f: Float64Array, I: Int32Array, J: Int32Array, count: number, L: number, rc2: number): number {
  const invL = 1 / L;
  let e = 0;
  let p = 0;
  while (p < count) {
    const ia = I[p], i = 3 * ia;
    const xi = x[i], yi = x[i + 1], zi = x[i + 2];
    let fxi = 0, fyi = 0, fzi = 0;
    for (; p < count && I[p] === ia; p++) {
      const j = 3 * J[p];
      let dx = xi - x[j], dy = yi - x[j + 1], dz = zi - x[j + 2];
      dx -= L * Math.round(dx * invL); dy -= L * Math.round(dy * invL); dz -= L * Math.round(dz * invL);
      const r2 = dx * dx + dy * dy + dz * dz;
      if (r2 >= rc2) continue;
      const inv2 = 1 / r2;
      const inv6 = inv2 * inv2 * inv2;
      e += inv6 * inv6 - inv6;
      const s = (48 * inv6 * inv6 - 24 * inv6) * inv2; // −(1/r) dφ/dr
      const fx = s * dx, fy = s * dy, fz = s * dz;
      fxi += fx; fyi += fy; fzi += fz;
      f[j] -= fx; f[j + 1] -= fy; f[j + 2] -= fz;
    }
    f[i] += fxi; f[i + 1] += fyi; f[i + 2] += fzi;
  }
  return 4 * e;
}
