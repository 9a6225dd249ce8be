// Central-force springs on a periodic supercell: a small phonon model for the shipped systems
// (graphene in-plane, the SSH chain), E = Σ_pairs ½ k (|r_ij| − r0)². Pairs are found once at the
// reference geometry, by distance shells.
import { np, Tensor } from "../index.js";
import { space, phonons } from "../md/index.js";
import type { EnergyFn } from "../md/index.js";

export interface SpringShell {
  /** Rest length (the shell's distance in the reference structure). */
  r0: number;
  /** Spring constant (energy/length²). */
  k: number;
}

/** An md energy function of supercell positions [N, d] with a spring on every pair at one of the shells' distances. */
export function springs(sc: phonons.Supercell, shells: readonly SpringShell[], tol = 1e-3): EnergyFn {
  const [displacement] = space.periodicGeneral(sc.box, { fractionalCoordinates: false });
  const R = sc.positions;
  const dist = np.sqrt(np.sum(np.square(displacement(R.expandDims(1), R.expandDims(0))), -1)).toArray() as number[][];
  const I: number[] = [], J: number[] = [], K: number[] = [], R0: number[] = [];
  for (let a = 0; a < dist.length; a++) for (let b = a + 1; b < dist.length; b++) {
    for (const s of shells) if (Math.abs(dist[a][b] - s.r0) < tol) { I.push(a); J.push(b); K.push(s.k); R0.push(s.r0); }
  }
  if (I.length === 0) throw new Error("tb.springs: no pair of the supercell is at any of the shell distances");
  const k = np.array(K), r0 = np.array(R0);
  return (Rx: Tensor) => {
    const dR = displacement(np.take(Rx, J, 0), np.take(Rx, I, 0));
    const r = np.sqrt(np.sum(np.square(dR), -1));
    return np.multiply(np.sum(np.multiply(k, np.square(np.subtract(r, r0)))), 0.5);
  };
}
