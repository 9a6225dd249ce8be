// Radial basis functions, E3x's family: x [...] → [..., n]. Each basis lives on [0, limit];
// the reciprocal and exponential variants first map a distance r ∈ [0, ∞) onto (0, 1] —
// reciprocal: u = 1/(1 + r), exponential: u = exp(−γ r) — and use the basis on [0, 1] in u, so
// they decay smoothly to the long-range side without a cutoff. All are written with np ops and
// are finite (with finite gradients) at x = 0.
import { np, Tensor } from "../index.js";

export interface BasisOptions {
  /** The basis covers [0, limit] (default 1). */
  limit?: number;
}

function checkN(n: number, where: string): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${where}: the number of basis functions must be a positive integer, got ${n}`);
}

/** Gaussians exp(−(x − μ_k)²/(2σ²)), n centres evenly on [0, limit], σ their spacing (limit if n = 1). */
export function gaussian(x: Tensor, n: number, opts: BasisOptions = {}): Tensor {
  checkN(n, "gaussian");
  const limit = opts.limit ?? 1;
  const width = n > 1 ? limit / (n - 1) : limit;
  const d = x.expandDims(-1).sub(np.linspace(0, limit, n, { dtype: x.dtype }));
  return np.exp(d.mul(d).mul(-0.5 / (width * width)));
}

/** sinc(kπx/limit) = sin(kπx/limit)/(kπx/limit), k = 1..n; 1 at x = 0 (E3x's sinc basis). */
export function sinc(x: Tensor, n: number, opts: BasisOptions = {}): Tensor {
  checkN(n, "sinc");
  const limit = opts.limit ?? 1;
  const a = x.expandDims(-1).mul(np.arange(1, n + 1, 1, { dtype: x.dtype }).mul(Math.PI / limit));
  const nz = np.notEqual(a, 0);
  const safe = np.where(nz, a, 1);
  return np.where(nz, np.sin(safe).div(safe), 1);
}

/**
 * NequIP's Bessel basis √(2/limit)·sin(kπx/limit)/x, k = 1..n; at x = 0 its limit √(2/limit)·kπ/limit.
 */
export function bessel(x: Tensor, n: number, opts: BasisOptions = {}): Tensor {
  checkN(n, "bessel");
  const limit = opts.limit ?? 1;
  const k = np.arange(1, n + 1, 1, { dtype: x.dtype }).mul(Math.PI / limit);
  return sinc(x, n, { limit }).mul(k).mul(Math.sqrt(2 / limit));
}

/** Chebyshev polynomials T_k(2x/limit − 1), k = 0..n−1 (recurrence, so smooth everywhere). */
export function chebyshev(x: Tensor, n: number, opts: BasisOptions = {}): Tensor {
  checkN(n, "chebyshev");
  const limit = opts.limit ?? 1;
  const y = x.mul(2 / limit).sub(1);
  const T: Tensor[] = [np.onesLike(y)];
  if (n > 1) T.push(y);
  for (let k = 2; k < n; k++) T.push(y.mul(T[k - 1]).mul(2).sub(T[k - 2]));
  return np.stack(T, -1);
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** Bernstein polynomials C(n−1, k) t^k (1 − t)^(n−1−k), t = x/limit, k = 0..n−1 (integer powers as products). */
export function bernstein(x: Tensor, n: number, opts: BasisOptions = {}): Tensor {
  checkN(n, "bernstein");
  const t = x.div(opts.limit ?? 1);
  const s = np.subtract(1, t);
  const tp: Tensor[] = [np.onesLike(t)], sp: Tensor[] = [np.onesLike(t)];
  for (let k = 1; k < n; k++) { tp.push(tp[k - 1].mul(t)); sp.push(sp[k - 1].mul(s)); }
  return np.stack(Array.from({ length: n }, (_, k) => tp[k].mul(sp[n - 1 - k]).mul(binomial(n - 1, k))), -1);
}

type Basis = (x: Tensor, n: number, opts?: BasisOptions) => Tensor;

/** u = 1/(1 + r) ∈ (0, 1]. */
export function reciprocalMap(r: Tensor): Tensor {
  return np.reciprocal(r.add(1));
}

/** u = exp(−γ r) ∈ (0, 1] (γ default 1). */
export function exponentialMap(r: Tensor, gamma = 1): Tensor {
  return np.exp(r.mul(-gamma));
}

const reciprocal = (basis: Basis): ((r: Tensor, n: number) => Tensor) => (r, n) => basis(reciprocalMap(r), n, { limit: 1 });
const exponential = (basis: Basis): ((r: Tensor, n: number, opts?: { gamma?: number }) => Tensor) =>
  (r, n, opts = {}) => basis(exponentialMap(r, opts.gamma ?? 1), n, { limit: 1 });

export const reciprocalGaussian = reciprocal(gaussian);
export const exponentialGaussian = exponential(gaussian);
export const reciprocalSinc = reciprocal(sinc);
export const exponentialSinc = exponential(sinc);
export const reciprocalChebyshev = reciprocal(chebyshev);
export const exponentialChebyshev = exponential(chebyshev);
export const reciprocalBernstein = reciprocal(bernstein);
export const exponentialBernstein = exponential(bernstein);
