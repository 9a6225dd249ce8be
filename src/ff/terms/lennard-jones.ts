// Lennard-Jones, GROMACS form V = C12/r¹² − C6/r⁶:
//  - short range over a pair list with a cut-off and GROMACS's default Verlet-scheme modifier,
//    potential-shift: V(r) − V(rc) for r < rc, 0 beyond (forces are not modified);
//  - 1–4 pairs ([ pairs ], LJ-14): no cut-off, no shift, per-pair C6/C12 (from [ pairtypes ] or
//    fudgeLJ × the normal pair parameters when gen-pairs = yes — the caller's choice).
// Units: positions, box, cut-off nm; C6 kJ mol⁻¹ nm⁶; C12 kJ mol⁻¹ nm¹²; energy kJ/mol.
import { np, Tensor, TensorLike } from "../../index.js";
import { asBox, asIndexList, asPositions, column, displacement } from "./geometry.js";
import { pairDistances, PairList } from "./pairs.js";

export interface LennardJonesOptions {
  /** Cut-off rc (nm); omit for no cut-off. */
  cutoff?: number;
  /** "potential-shift" (GROMACS default with a cut-off) or "none". */
  modifier?: "potential-shift" | "none";
}

function lj(c6: Tensor, c12: Tensor, r: Tensor): Tensor {
  const inv2 = np.reciprocal(r.mul(r));
  const inv6 = inv2.mul(inv2).mul(inv2);
  return c12.mul(inv6).sub(c6).mul(inv6);
}

/**
 * Short-range LJ energy over a pair list. `c6`, `c12` are per pair (same shape as pairs.i; build
 * them with pairParameters from the type matrices). Excluded pairs must be masked in `pairs`.
 */
export function lennardJones(positions: TensorLike, box: TensorLike | null, pairs: PairList, c6: Tensor, c12: Tensor, opts: LennardJonesOptions = {}): Tensor {
  const where = "lennardJones";
  const R = asPositions(positions, where);
  const { rSafe, active } = pairDistances(R, asBox(box, where), pairs, opts.cutoff);
  const C6 = c6.reshape([-1]), C12 = c12.reshape([-1]);
  let v = lj(C6, C12, rSafe);
  const modifier = opts.modifier ?? (opts.cutoff !== undefined ? "potential-shift" : "none");
  if (modifier === "potential-shift") {
    if (opts.cutoff === undefined) throw new Error(`${where}: the potential-shift modifier needs a cutoff`);
    const rc6 = opts.cutoff ** -6;
    v = v.sub(C12.mul(rc6).sub(C6).mul(rc6));
  }
  return np.sum(np.where(active, v, 0));
}

/** LJ-14 energy: `pairs14` int32 [P, 2], per-pair c6, c12 ([P]); no cut-off, no shift. */
export function lennardJones14(positions: TensorLike, box: TensorLike | null, pairs14: TensorLike, c6: TensorLike, c12: TensorLike): Tensor {
  const where = "lennardJones14";
  const idx = asIndexList(pairs14, 2, where);
  const R = asPositions(positions, where);
  const dr = displacement(R, column(idx, 0), column(idx, 1), asBox(box, where));
  const r = np.sqrt(np.sum(dr.mul(dr), -1));
  const t = (x: TensorLike) => (x instanceof Tensor ? x : np.asarray(x)).reshape([-1]);
  return np.sum(lj(t(c6), t(c12), r));
}
