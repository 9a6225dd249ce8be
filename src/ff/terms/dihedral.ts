// Periodic proper dihedrals (GROMACS dihedral types 1, 4 and 9) and harmonic impropers (type 2).
//   proper:    V = k_φ (1 + cos(n φ − φ_s))       one row per term; type 9's several terms on
//                                                 the same four atoms are simply several rows
//   improper:  V = ½ k_ξ (ξ − ξ0)², ξ − ξ0 wrapped into [−π, π) as GROMACS does
// φ, ξ: the IUPAC dihedral of i–j–k–l (trans = 180°). Units as in a GROMACS topology: φ_s and ξ0
// in degrees, k_φ kJ/mol, k_ξ kJ mol⁻¹ rad⁻², n an integer multiplicity; energy kJ/mol.
import { np, Tensor, TensorLike } from "../../index.js";
import { DEG_TO_RAD } from "../../units.js";
import { asBox, asIndexList, asParameter, asPositions, dihedralAngles, periodicAngleDifference } from "./geometry.js";

/**
 * Energy of periodic proper dihedrals; `dihedrals` int32 [M, 4], `phase` (deg), `k` (kJ/mol) and
 * `multiplicity` one value per row ([M] or a number).
 */
export function periodicDihedral(
  positions: TensorLike, box: TensorLike | null, dihedrals: TensorLike,
  phase: TensorLike, k: TensorLike, multiplicity: TensorLike,
): Tensor {
  const where = "periodicDihedral";
  const idx = asIndexList(dihedrals, 4, where);
  const m = idx.shape[0];
  const phi = dihedralAngles(asPositions(positions, where), asBox(box, where), idx);
  const n = asParameter(multiplicity, m, "multiplicity", where);
  const arg = n.mul(phi).sub(asParameter(phase, m, "phase", where).mul(DEG_TO_RAD));
  return np.sum(asParameter(k, m, "k", where).mul(np.cos(arg).add(1)));
}

/** Energy of harmonic impropers; `impropers` int32 [M, 4], `xi0` (deg), `k` (kJ mol⁻¹ rad⁻²). */
export function harmonicImproper(positions: TensorLike, box: TensorLike | null, impropers: TensorLike, xi0: TensorLike, k: TensorLike): Tensor {
  const where = "harmonicImproper";
  const idx = asIndexList(impropers, 4, where);
  const m = idx.shape[0];
  const xi = dihedralAngles(asPositions(positions, where), asBox(box, where), idx);
  const d = periodicAngleDifference(xi.sub(asParameter(xi0, m, "xi0", where).mul(DEG_TO_RAD)));
  return np.sum(asParameter(k, m, "k", where).mul(d).mul(d)).mul(0.5);
}
