// Lennard-Jones parameters per atom-type pair from per-type parameters, GROMACS's combination
// rules ([ defaults ] comb-rule), with [ nonbond_params ] overrides:
//   rule 1: a = C6, b = C12 per type;   C6_ij = √(C6_i C6_j), C12_ij = √(C12_i C12_j)
//   rule 2: a = σ, b = ε (Lorentz–Berthelot);  σ_ij = (σ_i + σ_j)/2, ε_ij = √(ε_i ε_j)
//   rule 3: a = σ, b = ε (OPLS);  σ_ij = √(σ_i σ_j), ε_ij = √(ε_i ε_j)
// and for rules 2, 3: C6 = 4 ε σ⁶, C12 = 4 ε σ¹². Overrides give (a, b) for a type pair in the
// rule's own meaning (C6, C12 for rule 1; σ, ε otherwise), as [ nonbond_params ] and
// [ pairtypes ] do. Units: σ nm, ε kJ/mol, C6 kJ mol⁻¹ nm⁶, C12 kJ mol⁻¹ nm¹².
// Everything is np, so gradients flow from C6/C12 back to each type's σ and ε.
import { np, Tensor, TensorLike } from "../../index.js";

export type CombinationRule = 1 | 2 | 3;

/** Type-pair overrides: type indices i, j ([P]) and the values a, b ([P]) in the rule's meaning. */
export interface PairOverrides {
  i: TensorLike;
  j: TensorLike;
  a: TensorLike;
  b: TensorLike;
}

function safeSqrt(x: Tensor): Tensor {
  const pos = np.greater(x, 0);
  return np.where(pos, np.sqrt(np.where(pos, x, 1)), 0);
}

function toFloat(x: TensorLike): Tensor {
  const t = x instanceof Tensor ? x : np.asarray(x);
  return t.dtype === "float64" || t.dtype === "float32" ? t : t.astype("float64");
}

/** (σ, ε) → (C6, C12) elementwise. */
export function sigmaEpsilonToC6C12(sigma: Tensor, epsilon: Tensor): { c6: Tensor; c12: Tensor } {
  const s6 = np.power(sigma, 6);
  return { c6: epsilon.mul(s6).mul(4), c12: epsilon.mul(s6).mul(s6).mul(4) };
}

/**
 * C6 and C12 matrices [T, T] for T atom types from per-type parameters a, b ([T]) by GROMACS
 * combination rule 1, 2 or 3, with optional per-type-pair overrides (symmetric).
 */
export function combinationRule(rule: CombinationRule, a: TensorLike, b: TensorLike, opts: { overrides?: PairOverrides } = {}): { c6: Tensor; c12: Tensor } {
  const where = "combinationRule";
  const A = toFloat(a), Bv = toFloat(b);
  if (A.ndim !== 1 || Bv.ndim !== 1 || A.shape[0] !== Bv.shape[0]) throw new Error(`${where}: per-type parameters must be two [T] vectors, got [${A.shape}] and [${Bv.shape}]`);
  const ai = A.expandDims(1), aj = A.expandDims(0), bi = Bv.expandDims(1), bj = Bv.expandDims(0);
  let c6: Tensor, c12: Tensor;
  if (rule === 1) {
    c6 = safeSqrt(ai.mul(aj));
    c12 = safeSqrt(bi.mul(bj));
  } else if (rule === 2 || rule === 3) {
    const sigma = rule === 2 ? ai.add(aj).mul(0.5) : safeSqrt(ai.mul(aj));
    ({ c6, c12 } = sigmaEpsilonToC6C12(sigma, safeSqrt(bi.mul(bj))));
  } else {
    throw new Error(`${where}: comb-rule must be 1, 2 or 3, got ${String(rule)}`);
  }
  return opts.overrides ? applyPairOverrides(rule, c6, c12, opts.overrides) : { c6, c12 };
}

/**
 * C6/C12 matrices with some type pairs replaced (symmetrically) by override values given in the
 * rule's meaning (C6, C12 for rule 1; σ, ε for rules 2, 3). `scale` multiplies the other entries
 * first: the 1–4 table of gen-pairs = yes is applyPairOverrides(rule, c6, c12, pairtypes,
 * { scale: fudgeLJ }) — GROMACS scales the normal pair parameters (nonbond_params included) by
 * fudgeLJ and takes [ pairtypes ] entries as they are.
 */
export function applyPairOverrides(rule: CombinationRule, c6: Tensor, c12: Tensor, o: PairOverrides, opts: { scale?: number } = {}): { c6: Tensor; c12: Tensor } {
  const where = "applyPairOverrides";
  const T = c6.shape[0];
  const scale = opts.scale ?? 1;
  const I = Array.from(np.asarray(o.i).data()), J = Array.from(np.asarray(o.j).data());
  if (I.length !== J.length) throw new Error(`${where}: overrides need as many i as j (${I.length} vs ${J.length})`);
  const oa = toFloat(o.a), ob = toFloat(o.b);
  if (oa.shape[0] !== I.length || ob.shape[0] !== I.length) throw new Error(`${where}: overrides need one a and one b per pair (${I.length})`);
  const [o6, o12] = rule === 1 ? [oa, ob] : (() => { const r = sigmaEpsilonToC6C12(oa, ob); return [r.c6, r.c12]; })();
  // Scatter the override values into both (i, j) and (j, i) and zero the base entries there.
  const keep = new Float64Array(T * T).fill(scale);
  const flat: number[] = [], src: number[] = [];
  I.forEach((ti, p) => {
    const tj = J[p];
    if (!(ti >= 0 && ti < T && tj >= 0 && tj < T && Number.isInteger(ti) && Number.isInteger(tj))) throw new RangeError(`${where}: override type pair (${ti}, ${tj}) is outside [0, ${T})`);
    for (const f of ti === tj ? [ti * T + tj] : [ti * T + tj, tj * T + ti]) {
      if (flat.includes(f)) throw new Error(`${where}: type pair (${ti}, ${tj}) is overridden twice`);
      keep[f] = 0; flat.push(f); src.push(p);
    }
  });
  const keepT = np.array(Array.from(keep)).reshape([T, T]);
  const idx = np.array(flat, { dtype: "int32" }), srcIdx = np.array(src, { dtype: "int32" });
  const place = (base: Tensor, values: Tensor) =>
    base.mul(keepT).add(np.indexAdd(np.zeros([T * T]), idx, np.take(values, srcIdx)).reshape([T, T]));
  return { c6: place(c6, o6), c12: place(c12, o12) };
}

/** Per-pair values matrix[type[i], type[j]] for a pair list's i, j (int32, any shape). */
export function pairParameters(matrix: Tensor, types: TensorLike, i: Tensor, j: Tensor): Tensor {
  const T = matrix.shape[0];
  const t = types instanceof Tensor ? types : np.array(types as number[], { dtype: "int32" });
  return np.take(matrix.reshape([-1]), np.take(t, i).mul(T).add(np.take(t, j)));
}
