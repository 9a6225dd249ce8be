// Geometry shared by the force-field terms: GROMACS-style periodic displacements and the internal
// coordinates (distance, bond angle, dihedral angle) written with np so that grad gives forces,
// grad with respect to the box gives the virial, and jit traces them.
//
// Box convention (GROMACS): `box` is [3, 3] nm with the box VECTORS AS ROWS (box[0] = a,
// box[1] = b, box[2] = c), lower triangular as GROMACS stores it (a along x, b in the xy plane).
// A position is r = f · box for fractional f. (md's space.periodicGeneral takes the transpose,
// vectors as columns.) `box = null` means no periodic boundaries (vacuum).
import { isConcrete, np, Tensor, TensorLike } from "../../index.js";
// floor(s + ½), not np.round: see its comment (md and ff share one minimum-image rounding)
import { nearestInteger } from "../../md/space.js";

/** A box given as a tensor or nested array, or null for vacuum. */
export type Box = Tensor | null;

/** Coerces a box to float64 [3, 3] and checks its shape (null stays null). */
export function asBox(box: TensorLike | null | undefined, where: string): Box {
  if (box === null || box === undefined) return null;
  const b = box instanceof Tensor ? box : np.asarray(box);
  if (b.ndim !== 2 || b.shape[0] !== 3 || b.shape[1] !== 3) {
    throw new Error(`${where}: box must be a [3, 3] matrix of box vectors as rows (nm), got shape [${b.shape}]`);
  }
  return b.dtype === "float64" ? b : b.astype("float64");
}

/** Coerces positions to float64 [N, 3]. */
export function asPositions(positions: TensorLike, where: string): Tensor {
  const r = positions instanceof Tensor ? positions : np.asarray(positions);
  if (r.ndim !== 2 || r.shape[1] !== 3) throw new Error(`${where}: positions must be [N, 3] (nm), got shape [${r.shape}]`);
  return r.dtype === "float64" || r.dtype === "float32" ? r : r.astype("float64");
}

/**
 * An interaction list as int32 [M, k] (k atoms per interaction). JS arrays are converted; a
 * float tensor or a wrong width is refused with the term's name.
 */
export function asIndexList(indices: TensorLike, k: number, where: string): Tensor {
  let t: Tensor;
  if (indices instanceof Tensor) {
    if (indices.dtype !== "int32") throw new TypeError(`${where}: atom indices must be int32, got ${indices.dtype}`);
    t = indices;
  } else {
    const a = np.asarray(indices);
    if (a.size === 0) return np.zeros([0, k], { dtype: "int32" });
    const data = a.data();
    for (const v of data) if (!Number.isInteger(v)) throw new TypeError(`${where}: atom indices must be integers, found ${v}`);
    t = a.astype("int32");
  }
  if (t.size === 0) return t.reshape([0, k]);
  if (t.ndim !== 2 || t.shape[1] !== k) throw new Error(`${where}: atom indices must be [M, ${k}], got shape [${t.shape}]`);
  return t;
}

/** Column c of an [M, k] index list, as int32 [M]. */
export function column(indices: Tensor, c: number): Tensor {
  return np.slice(indices, [], c);
}

/** Per-interaction parameter as float64 [M] (a number broadcasts to every interaction). */
export function asParameter(value: TensorLike, m: number, name: string, where: string): Tensor {
  const t = value instanceof Tensor ? value : np.asarray(value);
  const f = t.dtype === "float64" || t.dtype === "float32" ? t : t.astype("float64");
  if (f.ndim === 0) return np.broadcastTo(f, [m]);
  if (f.ndim !== 1 || f.shape[0] !== m) throw new Error(`${where}: ${name} must have one value per interaction ([${m}]), got shape [${f.shape}]`);
  return f;
}

/**
 * Minimum-image displacement the way GROMACS's pbc_dx_aiuc does it for a (lower-triangular)
 * triclinic box: subtract whole box vectors c, then b, then a, each chosen by rounding the
 * z, y, x component. For a rectangular box this is the exact minimum image; for a triclinic box
 * it is exact for distances up to the GROMACS cut-off restrictions. The rounding is piecewise
 * constant, so derivatives flow through the box vectors themselves (the virial of pairs that
 * cross the boundary is right).
 */
export function minimumImage(dr: Tensor, box: Box): Tensor {
  if (box === null) return dr;
  let d = dr;
  for (const axis of [2, 1, 0]) {
    const vector = np.slice(box, axis, []); // [3]
    const length = np.slice(box, axis, axis);
    const shift = nearestInteger(np.stopGradient(np.slice(d, "...", axis).div(length)));
    d = d.sub(shift.expandDims(-1).mul(vector));
  }
  return d;
}

/**
 * minimumImage for a displacement given as its three Cartesian components (each any shape, e.g.
 * [P] per pair), the same arithmetic component by component: d −= round(d_axis / L_axis) · box[axis]
 * for axis = z, y, x. Keeps pair code free of [P, 3] arrays (see pairDistances).
 */
export function minimumImageComponents(d: Tensor[], box: Box): Tensor[] {
  if (box === null) return d;
  // A box that is a plain value (not differentiated) skips its zero entries: a rectangular box
  // then costs one rounding per component, as a hand-written minimum image does.
  const values = isConcrete(box) ? box.data() : null;
  let out = d;
  for (const axis of [2, 1, 0]) {
    const length = np.slice(box, axis, axis);
    const shift = nearestInteger(np.stopGradient(out[axis].div(length)));
    out = out.map((x, c) => (values !== null && values[3 * axis + c] === 0 ? x : x.sub(shift.mul(np.slice(box, axis, c)))));
  }
  return out;
}

/** r[a] − r[b] for index tensors a, b (any shape), minimum image when box is given. */
export function displacement(positions: Tensor, a: Tensor, b: Tensor, box: Box): Tensor {
  return minimumImage(np.take(positions, a, 0).sub(np.take(positions, b, 0)), box);
}

/** |v| along the last axis, with a finite (zero) gradient at v = 0. */
export function safeNorm(v: Tensor): Tensor {
  const s = np.sum(v.mul(v), -1);
  const pos = np.greater(s, 0);
  return np.where(pos, np.sqrt(np.where(pos, s, 1)), 0);
}

/** Dot product along the last axis. */
export function dot(a: Tensor, b: Tensor): Tensor {
  return np.sum(a.mul(b), -1);
}

/**
 * Bond angle θ (radians) at j between r_ij = r_i − r_j and r_kj = r_k − r_j, as
 * atan2(|r_ij × r_kj|, r_ij · r_kj): accurate near 0 and π, where acos loses digits.
 */
export function bondAngle(rij: Tensor, rkj: Tensor): Tensor {
  return np.arctan2(safeNorm(np.cross(rij, rkj)), dot(rij, rkj));
}

/**
 * Dihedral angle φ (radians, (−π, π]) of i–j–k–l with the IUPAC/GROMACS sign convention
 * (trans = π): with r_ij = r_i − r_j, r_kj = r_k − r_j, r_kl = r_k − r_l, m = r_ij × r_kj,
 * n = r_kj × r_kl, φ = atan2(|r_kj| r_ij · n, m · n). Unlike acos of the normalised m · n this
 * keeps a finite, exact gradient near 0 and π.
 */
export function dihedralAngle(rij: Tensor, rkj: Tensor, rkl: Tensor): Tensor {
  const m = np.cross(rij, rkj);
  const n = np.cross(rkj, rkl);
  return np.arctan2(safeNorm(rkj).mul(dot(rij, n)), dot(m, n));
}

/** Dihedral angles for an [M, 4] index list (atoms i, j, k, l). */
export function dihedralAngles(positions: Tensor, box: Box, indices: Tensor): Tensor {
  const [i, j, k, l] = [0, 1, 2, 3].map((c) => column(indices, c));
  return dihedralAngle(displacement(positions, i, j, box), displacement(positions, k, j, box), displacement(positions, k, l, box));
}

/** Bond angles for an [M, 3] index list (atoms i, j, k; the angle is at j). */
export function bondAngles(positions: Tensor, box: Box, indices: Tensor): Tensor {
  const [i, j, k] = [0, 1, 2].map((c) => column(indices, c));
  return bondAngle(displacement(positions, i, j, box), displacement(positions, k, j, box));
}

/** Distances for an [M, 2] index list. */
export function distances(positions: Tensor, box: Box, indices: Tensor): Tensor {
  return safeNorm(displacement(positions, column(indices, 0), column(indices, 1), box));
}

/** The box volume det(box) (nm³), differentiable in the box. */
export function boxVolume(box: Tensor): Tensor {
  return np.abs(np.linalg.det(box));
}

/** Wraps an angle difference into [−π, π) (GROMACS's make_dp_periodic); gradient 1. */
export function periodicAngleDifference(dp: Tensor): Tensor {
  const turns = np.floor(np.stopGradient(dp.add(Math.PI).div(2 * Math.PI)));
  return dp.sub(turns.mul(2 * Math.PI));
}
