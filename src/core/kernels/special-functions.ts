// Scalar helpers that generated kernels call (Math lacks them). Float64-accurate.

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * erf to ~1e-16: a positive-term series for |x| < 3 (no cancellation), Lentz's continued fraction
 * beyond. Slow (tens of terms); it builds the table `erf` evaluates from.
 */
export function erfSeries(x: number): number {
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

// erf by piecewise Taylor polynomials: |x| in [0, 6) is cut into cells of width 1/8; in the cell
// around c = (k + ½)/8 erf(c + t) = erf(c) + Σ_{n≥1} a_n tⁿ with |t| ≤ 1/16 and
// a_n = erf⁽ⁿ⁾(c)/n! = (2/√π) e^{−c²} (−1)^{n−1} H_{n−1}(c) / n!  (Hermite polynomials H).
// Degree 12 leaves a truncation error below 1e-19 everywhere; erf(c) comes from erfSeries, so
// the values agree with it to a few ulp (checked in test/core/compiler/kernel-lib.test.ts) at
// ~10× less cost — erf is the inner loop of Ewald real-space sums. Beyond 6, erf = ±1 in double
// precision (erfc(6) ≈ 2e-17).
const ERF_CELLS_PER_UNIT = 8;
const ERF_LIMIT = 6;
const ERF_DEGREE = 12;
const ERF_STRIDE = ERF_DEGREE + 1;
const erfTable = ((): Float64Array => {
  const cells = ERF_LIMIT * ERF_CELLS_PER_UNIT;
  const t = new Float64Array(cells * ERF_STRIDE);
  for (let k = 0; k < cells; k++) {
    const c = (k + 0.5) / ERF_CELLS_PER_UNIT;
    const g = TWO_OVER_SQRT_PI * Math.exp(-c * c);
    t[k * ERF_STRIDE] = erfSeries(c);
    // H_0 = 1, H_1 = 2c, H_{m+1} = 2c H_m − 2m H_{m−1}
    let hPrev = 0, h = 1, factorial = 1;
    for (let n = 1; n <= ERF_DEGREE; n++) {
      factorial *= n;
      t[k * ERF_STRIDE + n] = (n % 2 === 1 ? 1 : -1) * g * h / factorial;
      const m = n - 1;
      const hNext = 2 * c * h - 2 * m * hPrev;
      hPrev = h;
      h = hNext;
    }
  }
  return t;
})();

/** erf(x), float64-accurate (see the table above); what np.erf and compiled kernels call. */
export function erf(x: number): number {
  const ax = x < 0 ? -x : x;
  if (!(ax < ERF_LIMIT)) return ax === ax ? (x < 0 ? -1 : 1) : NaN;
  const k = (ax * ERF_CELLS_PER_UNIT) | 0;
  if (k === 0) {
    // |x| < 1/8: the odd Maclaurin series keeps full relative precision down to tiny x.
    const z = x * x;
    return TWO_OVER_SQRT_PI * x * (1 + z * (-1 / 3 + z * (1 / 10 + z * (-1 / 42 + z * (1 / 216 + z * (-1 / 1320 + z * (1 / 9360 + z * (-1 / 75600))))))));
  }
  const t = ax - (k + 0.5) / ERF_CELLS_PER_UNIT;
  const o = k * ERF_STRIDE;
  const T = erfTable;
  let p = T[o + 12];
  p = p * t + T[o + 11]; p = p * t + T[o + 10]; p = p * t + T[o + 9]; p = p * t + T[o + 8];
  p = p * t + T[o + 7]; p = p * t + T[o + 6]; p = p * t + T[o + 5]; p = p * t + T[o + 4];
  p = p * t + T[o + 3]; p = p * t + T[o + 2]; p = p * t + T[o + 1]; p = p * t + T[o];
  return x < 0 ? -p : p;
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
