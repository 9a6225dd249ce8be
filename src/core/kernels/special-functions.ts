// Scalar helpers that generated kernels call (Math lacks them). Float64-accurate.

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** erf to ~1e-16: a positive-term series for |x| < 3 (no cancellation), Lentz's continued fraction beyond. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 3) {
    // erf(x) = 2/√π · e^{-x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1))
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }
  if (ax > 6.5) return Math.sign(x);
  const c = erfcContinuedFraction(ax);
  return x > 0 ? 1 - c : c - 1;
}

function erfcContinuedFraction(x: number): number {
  // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))  (modified Lentz)
  const tiny = 1e-300;
  let f = x;
  let C = x;
  let D = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    D = x + a * D;
    D = D === 0 ? tiny : D;
    C = x + a / C;
    C = C === 0 ? tiny : C;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** NumPy's round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python/NumPy remainder: the result takes the sign of the divisor. */
export function floorMod(a: number, b: number): number {
  const r = a % b;
  if (r === 0) return b < 0 ? -0 : 0;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

export function intFloorMod(a: number, b: number): number {
  if (b === 0) return 0;
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** Raised by compiled gather/scatter kernels (eager kernels check before looping). */
export function indexError(op: string, i: number, n: number): never {
  if (i === -2147483648) throw new RangeError(`${op}: an index was out of bounds (detected after vmap folded the batch into the indexed axis)`);
  throw new RangeError(`${op}: index ${i} is out of bounds for an axis of size ${n}`);
}

export const kernelLib = { erf, roundHalfEven, floorMod, intFloorMod, indexError };
export type KernelLib = typeof kernelLib;
