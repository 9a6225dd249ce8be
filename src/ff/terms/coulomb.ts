// Coulomb interactions without Ewald, as GROMACS computes them (f = ONE_4PI_EPS0 / ε_r):
//  - plain Coulomb (vacuum, no cut-off):   V = f q_i q_j / r
//  - 1–4 pairs (Coulomb-14):               V = f fudgeQQ q_i q_j / r  (no cut-off, no RF)
//  - reaction field, Verlet scheme (coulombtype = Reaction-Field; plain "Cut-off" is the same
//    with ε_rf = 1):  V = f q_i q_j (1/r + k_rf r² − c_rf) for r < rc, with
//       k_rf = (ε_rf − ε_r) / ((2 ε_rf + ε_r) rc³)   (ε_rf = 0 means ∞: k_rf = 1/(2 rc³)),
//       c_rf = 1/rc + k_rf rc²   (the potential is zero at rc: GROMACS's potential shift);
//    and the correction GROMACS's nbnxm kernels apply for excluded pairs within rc,
//       V = f q_i q_j (k_rf r² − c_rf),   plus the self term −½ f c_rf Σ q_i².
// Units: nm, e, kJ/mol.
import { np, Tensor, TensorLike } from "../../index.js";
import { ONE_4PI_EPS0 } from "../../units.js";
import { asBox, asIndexList, asPositions, column, displacement } from "./geometry.js";
import { pairDistances, PairList } from "./pairs.js";

export interface ReactionFieldOptions {
  /** Cut-off rc (nm). */
  cutoff: number;
  /** Relative dielectric constant ε_r (default 1). */
  epsilonR?: number;
  /** Reaction-field dielectric ε_rf: 0 means ∞ (the .mdp default, and this default); 1 is GROMACS's plain "Cut-off". */
  epsilonRF?: number;
}

function asCharges(charges: TensorLike, where: string): Tensor {
  const q = charges instanceof Tensor ? charges : np.asarray(charges);
  if (q.ndim !== 1) throw new Error(`${where}: charges must be [N] (e), got shape [${q.shape}]`);
  return q.dtype === "float64" || q.dtype === "float32" ? q : q.astype("float64");
}

/** k_rf and c_rf (nm⁻³, nm⁻¹) for a reaction field, as GROMACS computes them. */
export function reactionFieldConstants(opts: ReactionFieldOptions): { kRF: number; cRF: number } {
  const rc = opts.cutoff;
  const er = opts.epsilonR ?? 1;
  const erf = opts.epsilonRF ?? 0;
  const kRF = erf === 0 ? 1 / (2 * rc ** 3) : (erf - er) / ((2 * erf + er) * rc ** 3);
  return { kRF, cRF: 1 / rc + kRF * rc * rc };
}

/** Plain Coulomb energy over a pair list (no cut-off unless given; vacuum when box is null). */
export function coulomb(positions: TensorLike, box: TensorLike | null, pairs: PairList, charges: TensorLike, opts: { epsilonR?: number; cutoff?: number } = {}): Tensor {
  const where = "coulomb";
  const q = asCharges(charges, where);
  const { rSafe, active, i, j } = pairDistances(asPositions(positions, where), asBox(box, where), pairs, opts.cutoff);
  const qq = np.take(q, i).mul(np.take(q, j));
  return np.sum(np.where(active, qq.div(rSafe), 0)).mul(ONE_4PI_EPS0 / (opts.epsilonR ?? 1));
}

/** Coulomb-14 energy: `pairs14` int32 [P, 2]; f · fudgeQQ · q_i q_j / r. */
export function coulomb14(positions: TensorLike, box: TensorLike | null, pairs14: TensorLike, charges: TensorLike, opts: { fudgeQQ?: number; epsilonR?: number } = {}): Tensor {
  const where = "coulomb14";
  const idx = asIndexList(pairs14, 2, where);
  const q = asCharges(charges, where);
  const a = column(idx, 0), b = column(idx, 1);
  const dr = displacement(asPositions(positions, where), a, b, asBox(box, where));
  const r = np.sqrt(np.sum(dr.mul(dr), -1));
  const qq = np.take(q, a).mul(np.take(q, b));
  return np.sum(qq.div(r)).mul((ONE_4PI_EPS0 * (opts.fudgeQQ ?? 1)) / (opts.epsilonR ?? 1));
}

/** Reaction-field energy over a pair list (excluded pairs masked off). */
export function reactionField(positions: TensorLike, box: TensorLike | null, pairs: PairList, charges: TensorLike, opts: ReactionFieldOptions): Tensor {
  const where = "reactionField";
  const q = asCharges(charges, where);
  const { kRF, cRF } = reactionFieldConstants(opts);
  const { rSafe, active, i, j } = pairDistances(asPositions(positions, where), asBox(box, where), pairs, opts.cutoff);
  const qq = np.take(q, i).mul(np.take(q, j));
  const v = qq.mul(np.reciprocal(rSafe).add(rSafe.mul(rSafe).mul(kRF)).sub(cRF));
  return np.sum(np.where(active, v, 0)).mul(ONE_4PI_EPS0 / (opts.epsilonR ?? 1));
}

/**
 * GROMACS's reaction-field correction for excluded pairs (each listed once, [E, 2]; those beyond
 * rc are skipped as the Verlet kernels skip them) and the self term −½ f c_rf Σ q².
 */
export function reactionFieldExclusionCorrection(positions: TensorLike, box: TensorLike | null, exclusions: TensorLike, charges: TensorLike, opts: ReactionFieldOptions): Tensor {
  const where = "reactionFieldExclusionCorrection";
  const q = asCharges(charges, where);
  const { kRF, cRF } = reactionFieldConstants(opts);
  const idx = asIndexList(exclusions, 2, where);
  const f = ONE_4PI_EPS0 / (opts.epsilonR ?? 1);
  const self = np.sum(q.mul(q)).mul(-0.5 * cRF);
  if (idx.shape[0] === 0) return self.mul(f);
  const { rSafe, active, i, j } = pairDistances(asPositions(positions, where), asBox(box, where), { i: column(idx, 0), j: column(idx, 1) }, opts.cutoff);
  const qq = np.take(q, i).mul(np.take(q, j));
  const v = qq.mul(rSafe.mul(rSafe).mul(kRF).sub(cRF));
  return np.sum(np.where(active, v, 0)).add(self).mul(f);
}

export { asCharges };
