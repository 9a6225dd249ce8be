// A Euclidean norm whose gradient is finite at zero: sqrt is taken of x² where x² > 0 and of 1
// elsewhere, and the result selected (the "double where" trick), so neither branch of the
// derivative produces 0/0. At x = 0 the norm is 0 and its gradient 0.
import { np, Tensor } from "../index.js";

/** |x| over `axis` (default −1), keepdims optional. */
export function safeNorm(x: Tensor, axis: number | number[] = -1, opts: { keepdims?: boolean } = {}): Tensor {
  const r2 = x.mul(x).sum(axis, { keepdims: opts.keepdims ?? false });
  const pos = r2.greater(0);
  return np.where(pos, np.sqrt(np.where(pos, r2, 1)), 0);
}
