// Spaces: how positions combine. Each constructor returns [displacement, shift], the JAX-MD
// convention: displacement(Ra, Rb) is Ra − Rb under the space's boundary conditions (minimum
// image when periodic), shift(R, dR) moves positions and keeps them in the cell.
// Units are the user's (reduced LJ units in the examples).
import { np, Tensor, TensorLike } from "../index.js";

export interface DisplacementOptions {
  /** Cell to use instead of the one fixed at construction (periodicGeneral: [d, d]; lets NPT and stress differentiate through the box). */
  box?: Tensor;
}
/** Ra − Rb (shapes broadcast; last axis is the spatial dimension). */
export type DisplacementFn = (Ra: Tensor, Rb: Tensor, opts?: DisplacementOptions) => Tensor;
/** R moved by dR, wrapped back into the cell when periodic. */
export type ShiftFn = (R: Tensor, dR: Tensor, opts?: DisplacementOptions) => Tensor;
export type Space = [DisplacementFn, ShiftFn];

/**
 * The nearest integer as floor(s + ½), for the minimum image: which periodic image is nearest,
 * with an exact tie (|d| = L/2, both images equally near) going to the upper one. Not np.round:
 * its half-to-even and −0 rules cost branches that a compiled pair loop mispredicts whenever the
 * pairs crossing the boundary are mixed in (ff measured three such roundings at ~25 % of a pair's
 * time); floor is one instruction. Piecewise constant: its derivative is zero, as round's.
 */
export function nearestInteger(s: Tensor): Tensor {
  return np.floor(s.add(0.5));
}

/** Open boundaries: displacement is the plain difference. */
export function free(): Space {
  return [(Ra, Rb) => Ra.sub(Rb), (R, dR) => R.add(dR)];
}

function sideTensor(side: TensorLike, where: string): Tensor {
  const s = np.asarray(side).astype("float64");
  if (s.ndim > 1) throw new Error(`${where}: box side must be a number or a vector of per-axis lengths, got shape [${s.shape}]`);
  if (Array.from(s.data()).some((v) => !(v > 0))) throw new Error(`${where}: box sides must be positive, got ${s.toString()}`);
  return s;
}

/**
 * Orthorhombic periodic box with side lengths `side` (a number or one per axis). Displacements
 * use the minimum-image convention; `wrapped: false` keeps shifted positions unwrapped (for MSD).
 */
export function periodic(side: TensorLike, opts: { wrapped?: boolean } = {}): Space {
  const L = sideTensor(side, "space.periodic");
  const wrapped = opts.wrapped ?? true;
  const minimumImage = (dR: Tensor, s: Tensor) => dR.sub(nearestInteger(dR.div(s)).mul(s));
  const displacement: DisplacementFn = (Ra, Rb, o) => minimumImage(Ra.sub(Rb), o?.box ?? L);
  const shift: ShiftFn = (R, dR, o) => {
    const moved = R.add(dR);
    if (!wrapped) return moved;
    const s = o?.box ?? L;
    return np.mod(moved, s);
  };
  return [displacement, shift];
}

/**
 * General (triclinic) periodic cell. `box` is [d, d] with the lattice vectors as COLUMNS, so a
 * real position is box · f for fractional f. With `fractionalCoordinates` (the default, as
 * JAX-MD) positions are fractional in [0, 1) and displacements come out in real space; otherwise
 * positions are real and are converted on the fly.
 */
export function periodicGeneral(box: TensorLike, opts: { fractionalCoordinates?: boolean; wrapped?: boolean } = {}): Space {
  const B = np.asarray(box).astype("float64");
  const d = B.shape[0];
  if (B.ndim !== 2 || B.shape[1] !== d) throw new Error(`space.periodicGeneral: box must be a square [d, d] matrix of lattice vectors (columns), got shape [${B.shape}]`);
  if (Math.abs(np.linalg.det(B).item()) < 1e-300) throw new Error("space.periodicGeneral: box matrix is singular (lattice vectors are linearly dependent)");
  const fractional = opts.fractionalCoordinates ?? true;
  const wrapped = opts.wrapped ?? true;
  const toReal = (f: Tensor, b: Tensor) => np.matmul(f, b.T);
  const toFrac = (r: Tensor, b: Tensor) => np.matmul(r, np.linalg.inv(b).T);
  const displacement: DisplacementFn = (Ra, Rb, o) => {
    const b = o?.box ?? B;
    let dF = fractional ? Ra.sub(Rb) : toFrac(Ra.sub(Rb), b);
    dF = dF.sub(nearestInteger(dF));
    return toReal(dF, b);
  };
  const shift: ShiftFn = (R, dR, o) => {
    const b = o?.box ?? B;
    if (fractional) {
      const f = R.add(toFrac(dR, b));
      return wrapped ? np.mod(f, 1) : f;
    }
    const moved = R.add(dR);
    return wrapped ? toReal(np.mod(toFrac(moved, b), 1), b) : moved;
  };
  return [displacement, shift];
}

/** Pairwise displacements of every row of Ra against every row of Rb: [n, m, d]. */
export function mapProduct(displacement: DisplacementFn): (Ra: Tensor, Rb: Tensor, opts?: DisplacementOptions) => Tensor {
  return (Ra, Rb, o) => displacement(Ra.expandDims(1), Rb.expandDims(0), o);
}

/** Euclidean distance from displacements (last axis), safe at zero (finite gradient 0 there). */
export function distance(dR: Tensor): Tensor {
  const r2 = np.sum(dR.mul(dR), -1);
  const pos = np.greater(r2, 0);
  return np.where(pos, np.sqrt(np.where(pos, r2, 1)), 0);
}

/** Squared distance. */
export function squareDistance(dR: Tensor): Tensor {
  return np.sum(dR.mul(dR), -1);
}

