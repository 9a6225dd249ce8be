// Smooth cut-off functions f(r) with f(0) = 1 and f = 0 for r ≥ cutoff.
import { np, Tensor } from "../index.js";

function checkCutoff(c: number, where: string): void {
  if (!(c > 0)) throw new RangeError(`${where}: cutoff must be positive, got ${c}`);
}

/** ½(cos(πr/c) + 1) inside, 0 outside (continuous first derivative). */
export function cosineCutoff(r: Tensor, cutoff: number): Tensor {
  checkCutoff(cutoff, "cosineCutoff");
  const f = np.cos(r.mul(Math.PI / cutoff)).add(1).mul(0.5);
  return np.where(r.less(cutoff), f, 0);
}

/**
 * NequIP's polynomial envelope of order p (default 6), x = r/c:
 *   1 − (p+1)(p+2)/2 x^p + p(p+2) x^(p+1) − p(p+1)/2 x^(p+2),
 * which is 1 at 0 and has p − 1... continuous derivatives vanishing at x = 1 (value, first and second).
 */
export function polynomialCutoff(r: Tensor, cutoff: number, p = 6): Tensor {
  checkCutoff(cutoff, "polynomialCutoff");
  if (!Number.isInteger(p) || p < 1) throw new RangeError(`polynomialCutoff: p must be a positive integer, got ${p}`);
  const x = r.div(cutoff);
  let xp = x;
  for (let k = 1; k < p; k++) xp = xp.mul(x);
  const f = np.subtract(1, xp.mul(((p + 1) * (p + 2)) / 2))
    .add(xp.mul(x).mul(p * (p + 2)))
    .sub(xp.mul(x).mul(x).mul((p * (p + 1)) / 2));
  return np.where(r.less(cutoff), f, 0);
}

/**
 * E3x's smooth window exp(−x²/(1 − x²)), x = r/c, for r < c, else 0: every derivative vanishes at
 * the cutoff. The double where keeps the gradient finite beyond it.
 */
export function smoothWindow(r: Tensor, cutoff: number): Tensor {
  checkCutoff(cutoff, "smoothWindow");
  const x = r.div(cutoff);
  const inside = r.less(cutoff);
  const x2 = np.where(inside, x.mul(x), 0);
  return np.where(inside, np.exp(x2.neg().div(np.subtract(1, x2))), 0);
}
