// Clebsch–Gordan coefficients for the real spherical-harmonic basis of solid-harmonics.ts.
//
// The complex coefficients ⟨l1 m1 l2 m2 | l3 m3⟩ (Condon–Shortley) come from Racah's closed form,
// evaluated exactly: the square of each coefficient is a rational number computed with BigInt
// factorials, and only its final square root is rounded (to float64). The real-basis tensor is
//   C_{abc} = Σ conj(U1[a, m1]) conj(U2[b, m2]) U3[c, m3] ⟨l1 m1 l2 m2 | l3 m3⟩,
// with U the complex→real change of basis (Y_real = U Y_complex). It is real when l1 + l2 + l3
// is even and purely imaginary when odd; the stored value is its real, respectively imaginary,
// part (the sympy fixture uses the same rule). C is an orthogonal coupling: for each (l1, l2),
// the map (a, b) → (l3, c) is orthonormal, and Σ_ab C_abc Y_l1a(x) Y_l2b(y) transforms like
// Y_l3(·) under rotations; for x = y and even l1 + l2 + l3 it is proportional to Y_l3(x).
// Each (l1, l2, l3) is computed once and cached.
import { np, Tensor } from "../index.js";
import type { DType } from "../index.js";
import { MAX_DEGREE } from "./solid-harmonics.js";

const factorials: bigint[] = [1n];
function fact(n: number): bigint {
  for (let k = factorials.length; k <= n; k++) factorials.push(factorials[k - 1] * BigInt(k));
  return factorials[n];
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a; b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** num/den as a float64 with one rounding of the quotient (BigInt → Number keeps 53 bits each). */
function ratio(num: bigint, den: bigint): number {
  const g = gcd(num, den);
  num /= g; den /= g;
  // Scale both to ≤ 2^1000 so that Number() does not overflow, keeping their ratio.
  const bits = Math.max(num.toString(2).length, den.toString(2).length) - 1000;
  if (bits > 0) { num >>= BigInt(bits); den >>= BigInt(bits); }
  return Number(num) / Number(den);
}

/** ⟨l1 m1 l2 m2 | l3 m3⟩ for the complex basis (Condon–Shortley), exact up to the final sqrt. */
export function complexClebschGordan(l1: number, m1: number, l2: number, m2: number, l3: number, m3: number): number {
  if (m1 + m2 !== m3 || l3 < Math.abs(l1 - l2) || l3 > l1 + l2) return 0;
  if (Math.abs(m1) > l1 || Math.abs(m2) > l2 || Math.abs(m3) > l3) return 0;
  // Racah: C = sqrt(A) · Σ_k (−1)^k / D_k, A = (2l3+1)(l3+l1−l2)!(l3−l1+l2)!(l1+l2−l3)!/(l1+l2+l3+1)!
  //           · (l3+m3)!(l3−m3)!(l1−m1)!(l1+m1)!(l2−m2)!(l2+m2)!
  const aNum = BigInt(2 * l3 + 1) * fact(l3 + l1 - l2) * fact(l3 - l1 + l2) * fact(l1 + l2 - l3)
    * fact(l3 + m3) * fact(l3 - m3) * fact(l1 - m1) * fact(l1 + m1) * fact(l2 - m2) * fact(l2 + m2);
  const aDen = fact(l1 + l2 + l3 + 1);
  // Σ_k over the k that keep every factorial argument ≥ 0, as one fraction sNum / sDen.
  const kMin = Math.max(0, l2 - l3 - m1, l1 - l3 + m2);
  const kMax = Math.min(l1 + l2 - l3, l1 - m1, l2 + m2);
  let sNum = 0n, sDen = 1n;
  for (let k = kMin; k <= kMax; k++) {
    const d = fact(k) * fact(l1 + l2 - l3 - k) * fact(l1 - m1 - k) * fact(l2 + m2 - k) * fact(l3 - l2 + m1 + k) * fact(l3 - l1 - m2 + k);
    const sign = k % 2 === 0 ? 1n : -1n;
    sNum = sNum * d + sign * sDen;
    sDen = sDen * d;
  }
  if (sNum === 0n) return 0;
  const sign = sNum < 0n ? -1 : 1;
  // C² = A · S² exactly; C = sign(S) · sqrt(C²).
  return sign * Math.sqrt(ratio(aNum * sNum * sNum, aDen * sDen * sDen));
}

interface Complex { re: number; im: number }

/** Non-zero entries of U (real m → complex m) for degree l: list of [complex m, coefficient]. */
function uRow(l: number, a: number): [number, Complex][] {
  const h = Math.SQRT1_2;
  if (a === 0) return [[0, { re: 1, im: 0 }]];
  const s = a % 2 === 0 ? 1 : -1; // (−1)^a
  if (a > 0) return [[-a, { re: h, im: 0 }], [a, { re: s * h, im: 0 }]];
  return [[a, { re: 0, im: h }], [-a, { re: 0, im: -s * h }]];
}

const cgCache = new Map<string, Float64Array>();

function checkDegree(l: number, name: string): void {
  if (!Number.isInteger(l) || l < 0 || l > MAX_DEGREE) throw new RangeError(`clebschGordan: ${name} must be an integer in 0..${MAX_DEGREE}, got ${l}`);
}

/**
 * The real-basis coupling tensor for degrees (l1, l2, l3) as a flat Float64Array
 * [(2l1+1)·(2l2+1)·(2l3+1)], row-major over (m1, m2, m3) each from −l to l. Zero when the
 * triangle rule fails. Cached; do not mutate the returned array.
 */
export function clebschGordanArray(l1: number, l2: number, l3: number): Float64Array {
  checkDegree(l1, "l1"); checkDegree(l2, "l2"); checkDegree(l3, "l3");
  const key = `${l1},${l2},${l3}`;
  const hit = cgCache.get(key);
  if (hit) return hit;
  const n1 = 2 * l1 + 1, n2 = 2 * l2 + 1, n3 = 2 * l3 + 1;
  const out = new Float64Array(n1 * n2 * n3);
  if (l3 >= Math.abs(l1 - l2) && l3 <= l1 + l2) {
    const odd = (l1 + l2 + l3) % 2 === 1;
    for (let a = -l1; a <= l1; a++) for (let b = -l2; b <= l2; b++) for (let c = -l3; c <= l3; c++) {
      let re = 0, im = 0;
      for (const [m1, u1] of uRow(l1, a)) for (const [m2, u2] of uRow(l2, b)) for (const [m3, u3] of uRow(l3, c)) {
        if (m1 + m2 !== m3) continue;
        const cg = complexClebschGordan(l1, m1, l2, m2, l3, m3);
        if (cg === 0) continue;
        // conj(u1)·conj(u2)·u3
        const p = { re: u1.re * u2.re - u1.im * u2.im, im: -(u1.re * u2.im + u1.im * u2.re) };
        re += cg * (p.re * u3.re - p.im * u3.im);
        im += cg * (p.re * u3.im + p.im * u3.re);
      }
      const v = odd ? im : re;
      out[((a + l1) * n2 + (b + l2)) * n3 + (c + l3)] = Math.abs(v) < 1e-15 ? 0 : v;
    }
  }
  cgCache.set(key, out);
  return out;
}

/** clebschGordan(l1, l2, l3): the real-basis coupling tensor as a Tensor [2l1+1, 2l2+1, 2l3+1]. */
export function clebschGordan(l1: number, l2: number, l3: number, opts: { dtype?: DType } = {}): Tensor {
  const a = clebschGordanArray(l1, l2, l3);
  return np.array(a, { dtype: opts.dtype ?? "float64" }).reshape([2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1]);
}

/**
 * All couplings between degrees 0..L1 and 0..L2 into 0..L3 as one dense tensor
 * [(L1+1)², (L2+1)², (L3+1)²] (E3x's clebsch_gordan(max_degree1, max_degree2, max_degree3)).
 */
export function clebschGordanDense(maxDegree1: number, maxDegree2: number, maxDegree3: number, opts: { dtype?: DType } = {}): Tensor {
  const Q1 = (maxDegree1 + 1) ** 2, Q2 = (maxDegree2 + 1) ** 2, Q3 = (maxDegree3 + 1) ** 2;
  const out = new Float64Array(Q1 * Q2 * Q3);
  for (let l1 = 0; l1 <= maxDegree1; l1++) for (let l2 = 0; l2 <= maxDegree2; l2++) {
    for (let l3 = Math.abs(l1 - l2); l3 <= Math.min(l1 + l2, maxDegree3); l3++) {
      const c = clebschGordanArray(l1, l2, l3);
      const n2 = 2 * l2 + 1, n3 = 2 * l3 + 1;
      for (let a = 0; a < 2 * l1 + 1; a++) for (let b = 0; b < n2; b++) for (let k = 0; k < n3; k++) {
        out[((l1 * l1 + a) * Q2 + l2 * l2 + b) * Q3 + l3 * l3 + k] = c[(a * n2 + b) * n3 + k];
      }
    }
  }
  return np.array(out, { dtype: opts.dtype ?? "float64" }).reshape([Q1, Q2, Q3]);
}
