// Harmonic angle (GROMACS angle type 1) and Urey–Bradley (angle type 5).
//   harmonic:      V = ½ k_θ (θ − θ0)²
//   Urey–Bradley:  V = ½ k_θ (θ − θ0)² + ½ k_UB (r_13 − r13_0)²  (r_13 = |r_i − r_k|)
// Units as in a GROMACS topology: θ0 in degrees, k_θ kJ mol⁻¹ rad⁻², r13_0 nm,
// k_UB kJ mol⁻¹ nm⁻²; positions and box nm; energy kJ/mol.
import { np, Tensor, TensorLike } from "../../index.js";
import { DEG_TO_RAD } from "../../units.js";
import { asBox, asIndexList, asParameter, asPositions, bondAngles, column, displacement, safeNorm } from "./geometry.js";

/** Energy of harmonic angles; `angles` int32 [M, 3] (i, j, k; the angle is at j). */
export function harmonicAngle(positions: TensorLike, box: TensorLike | null, angles: TensorLike, theta0: TensorLike, k: TensorLike): Tensor {
  const where = "harmonicAngle";
  const idx = asIndexList(angles, 3, where);
  const m = idx.shape[0];
  const theta = bondAngles(asPositions(positions, where), asBox(box, where), idx);
  const d = theta.sub(asParameter(theta0, m, "theta0", where).mul(DEG_TO_RAD));
  return np.sum(asParameter(k, m, "k", where).mul(d).mul(d)).mul(0.5);
}

/**
 * Energy of Urey–Bradley angles (GROMACS angle type 5): the harmonic angle plus a harmonic
 * 1–3 distance term. `angles` int32 [M, 3]; theta0 (deg), kTheta, r13 (nm), kUB per angle.
 */
export function ureyBradley(
  positions: TensorLike, box: TensorLike | null, angles: TensorLike,
  theta0: TensorLike, kTheta: TensorLike, r13: TensorLike, kUB: TensorLike,
): Tensor {
  const where = "ureyBradley";
  const idx = asIndexList(angles, 3, where);
  const m = idx.shape[0];
  const R = asPositions(positions, where);
  const B = asBox(box, where);
  const theta = bondAngles(R, B, idx);
  const d = theta.sub(asParameter(theta0, m, "theta0", where).mul(DEG_TO_RAD));
  const r = safeNorm(displacement(R, column(idx, 0), column(idx, 2), B));
  const dr = r.sub(asParameter(r13, m, "r13", where));
  return np.sum(asParameter(kTheta, m, "kTheta", where).mul(d).mul(d).add(asParameter(kUB, m, "kUB", where).mul(dr).mul(dr))).mul(0.5);
}
