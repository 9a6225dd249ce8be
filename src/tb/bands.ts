// Band energies as differentiable functions of positions, k-paths through high-symmetry points.
import { np, Tensor } from "../index.js";
import type { TightBindingSystem } from "./hamiltonian.js";
import { hamiltonian, overlap } from "./hamiltonian.js";
import { eigvalsh, generalizedEigvalsh, eighHermitian } from "./hermitian.js";
import type { HermitianEigen } from "./hermitian.js";
import { kFromFractional } from "./lattice.js";

/**
 * Band energies ε_n(k) [nk, nbands] (ascending) at Cartesian k [nk, 3], for positions R
 * (default the crystal's). Differentiable in R. With an overlap the generalised problem
 * H c = E S c is solved (np.linalg.eighGeneralized: Cholesky reduction).
 */
export function bands(sys: TightBindingSystem, k: Tensor, positions?: Tensor): Tensor {
  const h = hamiltonian(sys, k, positions);
  if (!sys.model.overlap) return eigvalsh(h);
  return generalizedEigvalsh(h, overlap(sys, k, positions));
}

/**
 * Eigenstates at Cartesian k [nk, 3] as plain numbers (not differentiable): orthonormal, or
 * S-normalised (cᴴ S c = 1) for a model with an overlap.
 */
export function blochStates(sys: TightBindingSystem, k: Tensor, positions?: Tensor): HermitianEigen {
  const h = hamiltonian(sys, k, positions);
  return sys.model.overlap ? eighHermitian(h, overlap(sys, k, positions)) : eighHermitian(h);
}

/** Fractional coordinates (of the reciprocal lattice of the cells built here) of standard points. */
export const highSymmetryPoints = {
  /** graphene / hexagonal cells with a 60° angle between a1 and a2 (tb.grapheneSheet). */
  hexagonal: { "Γ": [0, 0, 0], M: [0.5, 0, 0], K: [2 / 3, 1 / 3, 0] },
  /** fcc primitive cell (a/2)(0,1,1), (1,0,1), (1,1,0) (tb.siliconDiamond). */
  fcc: { "Γ": [0, 0, 0], X: [0, 0.5, 0.5], L: [0.5, 0.5, 0.5], W: [0.25, 0.5, 0.75], K: [0.375, 0.375, 0.75], U: [0.25, 0.625, 0.625] },
  /** a chain along the first lattice vector. */
  chain: { "Γ": [0, 0, 0], X: [0.5, 0, 0] },
} as const;

export interface KPath {
  /** Cartesian k-points [nk, 3]. */
  k: Tensor;
  /** Path length at each k. */
  distance: Float64Array;
  /** Labels of the corners and their path lengths. */
  ticks: { label: string; distance: number }[];
}

/**
 * Straight segments through labelled points (fractional reciprocal coordinates), `pointsPerSegment`
 * samples per segment; the last corner is included.
 */
export function kPath(cell: Tensor, corners: readonly (readonly [string, readonly number[]])[], pointsPerSegment = 30): KPath {
  if (corners.length < 2) throw new Error("tb.kPath: a path needs at least two points");
  const cart = corners.map(([, f]) => kFromFractional(cell, [...f]).data());
  const rows: number[][] = [];
  const dist: number[] = [];
  const ticks = [{ label: corners[0][0], distance: 0 }];
  let s = 0;
  for (let c = 0; c + 1 < cart.length; c++) {
    const a = cart[c], b = cart[c + 1];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
    for (let t = 0; t < pointsPerSegment; t++) {
      rows.push([0, 1, 2].map((x) => a[x] + ((b[x] - a[x]) * t) / pointsPerSegment));
      dist.push(s + (len * t) / pointsPerSegment);
    }
    s += len;
    ticks.push({ label: corners[c + 1][0], distance: s });
  }
  rows.push(Array.from(cart[cart.length - 1]));
  dist.push(s);
  return { k: np.array(rows), distance: Float64Array.from(dist), ticks };
}

/** kPath by point names from a table of highSymmetryPoints, e.g. pathThrough(cell, "fcc", ["L", "Γ", "X"]). */
export function pathThrough(cell: Tensor, lattice: keyof typeof highSymmetryPoints, labels: readonly string[], pointsPerSegment = 30): KPath {
  const table = highSymmetryPoints[lattice] as Record<string, readonly number[]>;
  return kPath(cell, labels.map((l) => {
    const f = table[l];
    if (!f) throw new Error(`tb.pathThrough: no point "${l}" for a ${lattice} lattice (known: ${Object.keys(table).join(", ")})`);
    return [l, f] as const;
  }), pointsPerSegment);
}
