// How a bond integral (or a pair repulsion) scales with the bond length r. Each law maps a
// tensor of lengths to a tensor of the same shape with np operations, so it differentiates.
import { np, Tensor } from "../index.js";

export type DistanceLaw = (r: Tensor) => Tensor;

/** v(r) = v0 · exp(−β (r/r0 − 1)); the graphene form t(r) = t0 · exp(−β (r/a − 1)). */
export function exponential(v0: number, r0: number, beta: number): DistanceLaw {
  return (r) => np.multiply(v0, np.exp(np.multiply(-beta, np.subtract(np.divide(r, r0), 1))));
}

/** Harrison's universal scaling v(r) = v0 · (r0/r)² (W. A. Harrison, Electronic Structure and the Properties of Solids, 1980). */
export function harrison(v0: number, r0: number): DistanceLaw {
  return (r) => np.multiply(v0, np.square(np.divide(r0, r)));
}

export interface GspOptions {
  /** Power of the prefactor (r0/r)^n. */
  n: number;
  /** Exponent of the cutoff term. */
  nc: number;
  /** Cutoff length of the exponential term. */
  rc: number;
}

/**
 * Goodwin–Skinner–Pettifor scaling (L. Goodwin, A. J. Skinner, D. G. Pettifor, Europhys. Lett. 9,
 * 701 (1989)): v(r) = v0 · (r0/r)^n · exp(n [−(r/rc)^nc + (r0/rc)^nc]). v(r0) = v0.
 */
export function goodwinSkinnerPettifor(v0: number, r0: number, opts: GspOptions): DistanceLaw {
  const { n, nc, rc } = opts;
  const offset = Math.pow(r0 / rc, nc);
  return (r) => np.multiply(v0, np.multiply(np.power(np.divide(r0, r), n), np.exp(np.multiply(n, np.subtract(offset, np.power(np.divide(r, rc), nc))))));
}

/** v(r) = v0 − α (r − r0): the linear law of the SSH chain (t(u) = t0 − α (u_{n+1} − u_n)). */
export function linear(v0: number, r0: number, alpha: number): DistanceLaw {
  return (r) => np.subtract(v0, np.multiply(alpha, np.subtract(r, r0)));
}
