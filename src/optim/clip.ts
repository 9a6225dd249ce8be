// Gradient clipping by the global norm (Pascanu et al. 2013): scale all updates together so the
// norm over every leaf is at most maxNorm.
import { np, tree, Tensor } from "../index.js";
import { GradientTransformation, castLike, leaf } from "./transform.js";

/** √(Σ over every leaf of Σ x²), a float64 scalar (0 for an empty tree). */
export function globalNorm(updates: unknown): Tensor {
  const squares = tree.leaves(updates).map((l) => np.sum(leaf(l, "optim.globalNorm").astype("float64").square()));
  return squares.reduce((a: Tensor, b) => a.add(b), np.asarray(0)).sqrt();
}

/** If the global norm g exceeds maxNorm, multiply every update by maxNorm / g; otherwise leave them. */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<Record<string, never>> {
  if (!(maxNorm > 0)) throw new RangeError(`optim.clipByGlobalNorm: maxNorm must be positive, got ${maxNorm}`);
  return {
    init: () => ({}),
    update: (updates, state) => {
      const norm = globalNorm(updates);
      const factor = np.where(norm.less(maxNorm), 1, np.divide(maxNorm, norm));
      return [tree.map((u: unknown) => { const t = leaf(u, "optim.clipByGlobalNorm"); return t.mul(castLike(factor, t)); }, updates), state];
    },
  };
}
