// Complex elementary functions of one complex argument x + iy, for the complex kernels of
// complex-elementwise.ts (their bodies call these through `clib` and read the result from
// `clib.r`). All arithmetic is in float64; complex64 results are rounded once on store.
//
// Branches and signed zeros follow C99 Annex G (what NumPy computes): every function is
// computed on |x|, |y| and the signs are put back with copysign, so a zero imaginary part of
// either sign picks the side of a cut on the real axis (asin(2 − 0i) = π/2 − 1.317i) and a zero
// real part the side of a cut on the imaginary axis (atan(−0 + 2i) = −π/2 + 0.549i).
// Accuracy: asin/acos/asinh/acosh use the Hull–Fairgrieve–Tang splitting (no cancellation near
// z = ±1, none for tiny or huge |z|), atanh/atan work from 1 − x without forming 1 − z², tanh/tan
// use Kahan's form (finite for any large argument), log1p/expm1 keep full digits for small z,
// log keeps them for |z| near 1, exp2 carries the phase y·ln 2 in double-double, and sqrt,
// 1/sqrt, log and sign rescale subnormal and overflowing |z| (hypot alone would round them).

/** Result pair written by every function below: [re, im]. */
export const r = new Float64Array(2);

const HALF_PI = Math.PI / 2;
const LN2 = Math.LN2;
const TWO600 = 2 ** 600;
/** Beyond this modulus asin z = −i·log(2iz) to within 1/|z|² (below float64 resolution). */
const ASIN_LARGE = 1e8;
/** Beyond this modulus atanh z = 1/z + iπ/2 to within 1/|z|² relative. */
const ATANH_LARGE = 1e150;

const neg = (v: number): boolean => v < 0 || Object.is(v, -0);
/** |m| with the sign bit of s (C's copysign). */
const copysign = (m: number, s: number): number => (neg(s) ? -Math.abs(m) : Math.abs(m));

// ---- sqrt, 1/sqrt, sign ------------------------------------------------------------------------

const TWO_M300 = 2 ** -300;

/** Principal √z, stable for either sign of x (C99 csqrt); subnormal or overflowing |z| rescaled. */
export function csqrt(x: number, y: number): void {
  if (y === Infinity || y === -Infinity) { r[0] = Infinity; r[1] = y; return; } // C99: √(x ± i∞) = ∞ ± i∞
  const h = Math.hypot(x, y);
  if (h === 0) { r[0] = 0; r[1] = y; return; }
  if (h < 1e-300) { csqrt(x * TWO600, y * TWO600); r[0] *= TWO_M300; r[1] *= TWO_M300; return; }
  if (h === Infinity && Number.isFinite(x)) { csqrt(0.25 * x, 0.25 * y); r[0] *= 2; r[1] *= 2; return; }
  if (x >= 0) { const t = Math.sqrt((h + x) / 2); r[0] = t; r[1] = y / (2 * t); }
  else { const t = Math.sqrt((h - x) / 2); r[0] = Math.abs(y) / (2 * t); r[1] = neg(y) ? -t : t; }
}

/** 1/√z = conj(√z)/|z| (|√z|² = |z|, so nothing is squared); 1/√0 = ∞ + NaN·i as NumPy's 1/(0 + 0j). */
export function crsqrt(x: number, y: number): void {
  const h = Math.hypot(x, y);
  if (h === 0) { r[0] = Infinity; r[1] = NaN; return; }
  if (h < 1e-300) { crsqrt(x * TWO600, y * TWO600); r[0] *= 2 ** 300; r[1] *= 2 ** 300; return; }
  if (h === Infinity && Number.isFinite(x) && Number.isFinite(y)) { crsqrt(0.25 * x, 0.25 * y); r[0] *= 0.5; r[1] *= 0.5; return; }
  csqrt(x, y);
  r[0] = r[0] / h; r[1] = -r[1] / h;
}

/** z/|z| (0 at 0, NaN for NaN), rescaled so subnormal and huge |z| keep full precision. */
export function csign(x: number, y: number): void {
  const ax = Math.abs(x), ay = Math.abs(y);
  const b = Math.max(ax, ay);
  if (b === 0 || b !== b) { r[0] = b === 0 ? 0 : NaN; r[1] = r[0]; return; }
  if (b === Infinity) { r[0] = ax === Infinity ? Math.sign(x) * (ay === Infinity ? Math.SQRT1_2 : 1) : 0; r[1] = ay === Infinity ? Math.sign(y) * (ax === Infinity ? Math.SQRT1_2 : 1) : 0; return; }
  const sx = x / b, sy = y / b, m = Math.hypot(sx, sy); // parts scaled into [−1, 1]
  r[0] = sx / m; r[1] = sy / m;
}

// ---- asin / acos family ------------------------------------------------------------------

/** Hull–Fairgrieve–Tang on x, y ≥ 0: Re asin, Re acos and |Im| of both (they share it). */
const hft = new Float64Array(3);
function asinCore(x: number, y: number): void {
  if (x !== x || y !== y) { // NaN: C99 keeps asin(0 + iNaN) = 0 + iNaN and an infinite part infinite
    hft[0] = x === 0 ? 0 : NaN; hft[1] = NaN; hft[2] = x === Infinity || y === Infinity ? Infinity : NaN;
    return;
  }
  if (x > ASIN_LARGE || y > ASIN_LARGE) {
    // asin z ≈ −i·log(2iz): Re = arg, |Im| = log 2|z| (halved parts so that hypot cannot overflow).
    hft[0] = Math.atan2(x, y); hft[1] = Math.atan2(y, x);
    hft[2] = Math.log(Math.hypot(0.5 * x, 0.5 * y)) + 2 * LN2;
    return;
  }
  if (y < 1e-150 && x < 1) {
    // y² is below 1e-300 ≪ 1 − x² ≥ 1e-16: asin z = asin x + i·y/√(1 − x²) to first order, exactly
    // in float64 (and the general path would square or divide y into underflow).
    hft[0] = Math.asin(x); hft[1] = Math.acos(x); hft[2] = y / Math.sqrt((1 - x) * (1 + x));
    return;
  }
  if (y === 0) {
    if (x <= 1) { hft[0] = Math.asin(x); hft[1] = Math.acos(x); hft[2] = 0; return; }
    hft[0] = HALF_PI; hft[1] = 0;
    const xm1 = x - 1;
    hft[2] = Math.log1p(xm1 + Math.sqrt(xm1 * (x + 1))); // acosh x
    return;
  }
  // R = |z + 1|, S = |z − 1|, A = (R + S)/2 ≥ 1, B = x/A; asin z = asin B + i·log(A + √(A² − 1)).
  const xp1 = x + 1, xm1 = x - 1;
  const R = Math.hypot(xp1, y), S = Math.hypot(xm1, y);
  const A = 0.5 * R + 0.5 * S, B = x / A;
  const t1 = y / (R + xp1); // y²/(R + x + 1) = R − (x + 1), without the cancellation
  let im: number;
  let D: number; // √(A² − x²), formed from cancellation-free pieces
  if (x <= 1) {
    const t2 = y / (S + (1 - x)); // S − (1 − x) = y²/(S + 1 − x)
    const am1 = 0.5 * y * (t1 + t2); // A − 1
    // √((A−1)(A+1)) split so that y² never underflows for tiny y.
    im = Math.log1p(am1 + Math.sqrt(0.5 * (A + 1)) * Math.sqrt(y) * Math.sqrt(t1 + t2));
    D = Math.sqrt(0.5 * (A + x) * (y * t1 + (S + (1 - x))));
  } else {
    const am1 = 0.5 * (y * t1 + (S + xm1));
    im = Math.log1p(am1 + Math.sqrt(am1 * (A + 1)));
    D = y * Math.sqrt(0.5 * (A + x) * (1 / (R + xp1) + 1 / (S + xm1)));
  }
  hft[2] = im;
  if (B <= 0.6417) { hft[0] = Math.asin(B); hft[1] = Math.acos(B); } // B well below 1: direct
  else { hft[0] = Math.atan(x / D); hft[1] = Math.atan(D / x); }
}

export function casin(x: number, y: number): void {
  asinCore(Math.abs(x), Math.abs(y));
  r[0] = copysign(hft[0], x); r[1] = copysign(hft[2], y);
}

export function cacos(x: number, y: number): void {
  asinCore(Math.abs(x), Math.abs(y));
  r[0] = neg(x) ? Math.PI - hft[1] : hft[1]; r[1] = copysign(hft[2], -y);
}

/** asinh z = −i·asin(iz). */
export function casinh(x: number, y: number): void {
  asinCore(Math.abs(y), Math.abs(x));
  r[0] = copysign(hft[2], x); r[1] = copysign(hft[0], y);
}

/** acosh z = ±i·acos z, the sign making Re ≥ 0 (C99: Im takes the sign of y). */
export function cacosh(x: number, y: number): void {
  asinCore(Math.abs(x), Math.abs(y));
  r[0] = hft[2]; r[1] = copysign(neg(x) ? Math.PI - hft[1] : hft[1], y);
}

// ---- atanh / atan --------------------------------------------------------------------------

/** atanh on x, y ≥ 0 into at[0], at[1]. */
const at = new Float64Array(2);
function atanhCore(x: number, y: number): void {
  if (x === Infinity || y === Infinity) { at[0] = 0; at[1] = HALF_PI; return; }
  if (x === 0 && y !== y) { at[0] = 0; at[1] = NaN; return; } // C99: atanh(±0 + iNaN) = ±0 + iNaN
  if (x > ATANH_LARGE || y > ATANH_LARGE) {
    // 1/z = conj(z)/|z|²: Re = x/|z|², scaled so |z|² cannot overflow.
    const sx = x * 1e-200, sy = y * 1e-200, h = Math.hypot(sx, sy);
    at[0] = (sx / h / h) * 1e-200; at[1] = HALF_PI;
    return;
  }
  // Re = ¼·log(|1 + z|²/|1 − z|²) = ¼·log1p(4x/|1 − z|²); Im = ½·arg((1 + z)(1 − conj z)).
  const omx = 1 - x; // exact near x = 1
  const d = Math.hypot(omx, y);
  at[0] = d < 0.5 ? 0.5 * (Math.log(Math.hypot(1 + x, y)) - Math.log(d)) : 0.25 * Math.log1p(4 * x / (d * d));
  at[1] = 0.5 * Math.atan2(2 * y, omx * (1 + x) - y * y);
}

export function catanh(x: number, y: number): void {
  atanhCore(Math.abs(x), Math.abs(y));
  r[0] = copysign(at[0], x); r[1] = copysign(at[1], y);
}

/** atan z = −i·atanh(iz). */
export function catan(x: number, y: number): void {
  atanhCore(Math.abs(y), Math.abs(x));
  r[0] = copysign(at[1], x); r[1] = copysign(at[0], y);
}

// ---- tanh / tan ----------------------------------------------------------------------------

/** Kahan's tanh: (β·ρ·s + i·t)/(1 + β·s²), t = tan y, β = 1 + t², s = sinh x, ρ = √(1 + s²). */
export function ctanh(x: number, y: number): void {
  if (Math.abs(x) > 22) {
    // tanh x rounds to ±1; Im = sin 2y/(cosh 2x + cos 2y) ≈ 4·sin y·cos y·e^(−2|x|).
    r[0] = x > 0 ? 1 : -1;
    r[1] = 4 * Math.sin(y) * Math.cos(y) * Math.exp(-2 * Math.abs(x)); // keeps the sign of sin 2y
    if (Math.abs(x) === Infinity && !Number.isFinite(y)) r[1] = copysign(0, y); // C99: tanh(±∞ + i∞) = ±1 ± 0i
    return;
  }
  if (y === 0) { r[0] = Math.tanh(x); r[1] = y; return; }
  const t = Math.tan(y), beta = 1 + t * t, s = Math.sinh(x), rho = Math.sqrt(1 + s * s);
  const den = 1 + beta * s * s;
  r[0] = (beta * rho * s) / den; r[1] = t / den;
}

/** tan z = −i·tanh(iz). */
export function ctan(x: number, y: number): void {
  ctanh(-y, x);
  const a = r[0];
  r[0] = r[1]; r[1] = -a;
}

// ---- log ------------------------------------------------------------------------------------

/** log z = log|z| + i·arg z; for |z| near 1, log|z| = ½·log1p((b − 1)(b + 1) + s²) (b, s the
 *  larger and smaller |part|), which keeps its digits where log(hypot) would round to 0. */
export function clog(x: number, y: number): void {
  const ax = Math.abs(x), ay = Math.abs(y);
  const b = Math.max(ax, ay), s = Math.min(ax, ay);
  const h = Math.hypot(ax, ay);
  if (h > 0.5 && h < 2) r[0] = 0.5 * Math.log1p((b - 1) * (b + 1) + s * s);
  // Subnormal |z| has few significant bits, and |z| of two parts near 1.8e308 overflows: rescale.
  else if (h < 1e-300) r[0] = Math.log(Math.hypot(ax * TWO600, ay * TWO600)) - 600 * LN2;
  else if (h === Infinity && b !== Infinity) r[0] = Math.log(Math.hypot(0.25 * ax, 0.25 * ay)) + 2 * LN2;
  else r[0] = Math.log(h);
  r[1] = Math.atan2(y, x);
}

// ---- exp2 ----------------------------------------------------------------------------------

const SPLIT = 134217729; // 2^27 + 1: Dekker's splitting of a double into two 26-bit halves
const LN2_LO = 2.3190468138462996e-17; // ln 2 − Math.LN2

/** 2^z = 2ˣ·e^(i·y·ln 2), the phase y·ln 2 carried as an exact product plus a small correction
 *  (Dekker), so that large |y| keeps its digits (NumPy's exp(z·ln 2) loses ~|y|·1e-16 in phase). */
export function cexp2(x: number, y: number): void {
  const m = Math.pow(2, x);
  if (y === 0) { r[0] = m; r[1] = y; return; }
  const p = y * LN2;
  if (!(Math.abs(y) < 1e300)) { r[0] = m * Math.cos(p); r[1] = m * Math.sin(p); return; } // splitting would overflow
  let yh = SPLIT * y; yh -= yh - y;
  let lh = SPLIT * LN2; lh -= lh - LN2;
  const yl = y - yh, ll = LN2 - lh;
  const e = ((yh * lh - p) + yh * ll + yl * lh) + yl * ll; // y·Math.LN2 − p, exactly
  const d = e + y * LN2_LO; // the phase is p + d with |d| ≲ ulp(p)
  const s = Math.sin(p), c = Math.cos(p);
  r[0] = m * (c - d * s); r[1] = m * (s + d * c);
}

// ---- expm1 / log1p -------------------------------------------------------------------------

/** e^z − 1 = (expm1 x·cos y − 2 sin²(y/2)) + i·eˣ sin y: no cancellation against the 1. */
export function cexpm1(x: number, y: number): void {
  if (y === 0) { r[0] = Math.expm1(x); r[1] = y; return; }
  const h = Math.sin(0.5 * y);
  r[0] = Math.expm1(x) * Math.cos(y) - 2 * h * h;
  r[1] = Math.exp(x) * Math.sin(y);
}

/** log(1 + z): Re = ½·log1p(2x + x² + y²) near 0, so small z keeps its digits. */
export function clog1p(x: number, y: number): void {
  r[0] = Math.abs(x) < 0.5 && Math.abs(y) < 0.5 ? 0.5 * Math.log1p(x * (2 + x) + y * y) : Math.log(Math.hypot(1 + x, y));
  r[1] = Math.atan2(y, 1 + x);
}
