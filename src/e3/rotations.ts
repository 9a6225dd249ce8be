// Rotation matrices: Haar-random ones from diffmol's random keys, and from quaternions or
// axis–angle. A rotation R acts on column vectors, x' = R x; on row-stacked positions
// [n, 3] that is x' = x Rᵀ.
import { np, random, Tensor } from "../index.js";
import type { DType } from "../index.js";

/** The rotation of a unit quaternion q = (w, x, y, z) [..., 4] (normalised here) → [..., 3, 3]. */
export function rotationFromQuaternion(q: Tensor): Tensor {
  if (q.ndim < 1 || q.shape[q.ndim - 1] !== 4) throw new Error(`rotationFromQuaternion: expected [..., 4], got [${q.shape.join(", ")}]`);
  const u = q.div(np.sqrt(q.mul(q).sum(-1, { keepdims: true })));
  const [w, x, y, z] = [0, 1, 2, 3].map((i) => u.slice("...", i));
  const rows = [
    [w.mul(w).add(x.mul(x)).sub(y.mul(y)).sub(z.mul(z)), x.mul(y).sub(w.mul(z)).mul(2), x.mul(z).add(w.mul(y)).mul(2)],
    [x.mul(y).add(w.mul(z)).mul(2), w.mul(w).sub(x.mul(x)).add(y.mul(y)).sub(z.mul(z)), y.mul(z).sub(w.mul(x)).mul(2)],
    [x.mul(z).sub(w.mul(y)).mul(2), y.mul(z).add(w.mul(x)).mul(2), w.mul(w).sub(x.mul(x)).sub(y.mul(y)).add(z.mul(z))],
  ];
  return np.stack(rows.map((r) => np.stack(r, -1)), -2);
}

/** Rotation by `angle` (radians, right-handed) about `axis` [3] (normalised here). */
export function rotationFromAxisAngle(axis: ArrayLike<number>, angle: number, opts: { dtype?: DType } = {}): Tensor {
  const n = Math.hypot(axis[0], axis[1], axis[2]);
  if (!(n > 0)) throw new RangeError("rotationFromAxisAngle: the axis must be a non-zero 3-vector");
  const s = Math.sin(angle / 2) / n;
  return rotationFromQuaternion(np.array([Math.cos(angle / 2), axis[0] * s, axis[1] * s, axis[2] * s], { dtype: opts.dtype ?? "float64" }));
}

export interface RandomRotationOptions {
  /** Number of rotations: returns [num, 3, 3] (default: one, [3, 3]). */
  num?: number;
  /** Return improper rotations (det −1): the rotation times the inversion −I. */
  reflection?: boolean;
  dtype?: DType;
}

/**
 * Haar-uniform random rotations: a standard normal 4-vector, normalised, is uniform on S³, and
 * the unit quaternion of a uniform point on S³ is a Haar-uniform rotation.
 */
export function randomRotation(key: Tensor, opts: RandomRotationOptions = {}): Tensor {
  const dtype = opts.dtype ?? "float64";
  const q = random.normal(key, opts.num === undefined ? [4] : [opts.num, 4], { dtype });
  const R = rotationFromQuaternion(q);
  return opts.reflection ? R.neg() : R;
}
