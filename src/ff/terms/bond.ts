// Harmonic bond, GROMACS bond type 1: V = ½ k_b (r − b0)².
// Units: positions and box nm, b0 nm, k_b kJ mol⁻¹ nm⁻², energy kJ/mol.
import { np, Tensor, TensorLike } from "../../index.js";
import { asBox, asIndexList, asParameter, asPositions, distances } from "./geometry.js";

/**
 * Energy of harmonic bonds. `bonds` is int32 [M, 2] (atoms i, j), `b0` and `kb` one value per
 * bond ([M], or a number for all). `box` ([3, 3], vectors as rows) applies the minimum image.
 */
export function harmonicBond(positions: TensorLike, box: TensorLike | null, bonds: TensorLike, b0: TensorLike, kb: TensorLike): Tensor {
  const where = "harmonicBond";
  const idx = asIndexList(bonds, 2, where);
  const m = idx.shape[0];
  const r = distances(asPositions(positions, where), asBox(box, where), idx);
  const dr = r.sub(asParameter(b0, m, "b0", where));
  return np.sum(asParameter(kb, m, "kb", where).mul(dr).mul(dr)).mul(0.5);
}
