// One-dimensional complex DFT plans of any length, cached per length.
//
//   X_k = Σ_j x_j · exp(−2πi·jk/n)            (forward; the inverse flips the sign, unscaled)
//
// Smooth lengths (every prime factor ≤ MAX_DIRECT_RADIX) run a self-sorting Stockham
// decimation-in-frequency transform: one pass per factor, specialised butterflies for radix 4,
// 2, 3 and 5 and a generic O(p²) butterfly for the other small primes, ping-ponging between two
// buffers so no bit-reversal pass is needed. Lengths with a larger prime factor use Bluestein's
// algorithm: the DFT becomes a convolution with a chirp, done by a power-of-two transform of
// length ≥ 2n − 1. Data are interleaved complex numbers [re0, im0, re1, im1, …] in Float64Arrays.

/** Prime factors above this go to Bluestein (a generic radix-p pass costs p operations per point). */
const MAX_DIRECT_RADIX = 13;

interface Stage {
  /** Radix of this pass. */
  p: number;
  /** Sub-length m = n_stage / p and stride s (product of the radices already applied). */
  m: number;
  s: number;
  /** Twiddles w^{q·k}, w = exp(−2πi/(p·m)), for q < m and 1 ≤ k < p, laid out [q][k−1] interleaved. */
  tw: Float64Array;
}

interface Bluestein {
  /** The power-of-two plan used for the convolution. */
  inner: FftPlan;
  /** The chirp w_j = exp(−πi·j²/n), j < n. */
  chirp: Float64Array;
  /** FFT of the conjugate chirp placed cyclically (b_j and b_{M−j} = conj(w_j)), scaled by 1/M. */
  kernel: Float64Array;
  /** Work buffers of M complex numbers. */
  a: Float64Array;
  scratch: Float64Array;
}

export interface FftPlan {
  readonly n: number;
  readonly stages: Stage[];
  readonly bluestein: Bluestein | null;
}

const plans = new Map<number, FftPlan>();

/** Prime factorisation with 4s taken first (radix 4 saves a pass over two radix-2 passes). */
function factorise(n: number): number[] {
  const f: number[] = [];
  while (n % 4 === 0) { f.push(4); n /= 4; }
  while (n % 2 === 0) { f.push(2); n /= 2; }
  for (let p = 3; p * p <= n; p += 2) while (n % p === 0) { f.push(p); n /= p; }
  if (n > 1) f.push(n);
  return f;
}

/** The cached plan for length n (n ≥ 1). */
export function fftPlan(n: number): FftPlan {
  let plan = plans.get(n);
  if (plan) return plan;
  if (!Number.isInteger(n) || n < 1) throw new Error(`fft: transform length must be a positive integer, got ${n}`);
  const factors = factorise(n);
  if (factors.some((p) => p > MAX_DIRECT_RADIX)) {
    plan = { n, stages: [], bluestein: makeBluestein(n) };
  } else {
    const stages: Stage[] = [];
    let s = 1, len = n;
    for (const p of factors) {
      const m = len / p;
      const tw = new Float64Array(2 * m * (p - 1));
      for (let q = 0; q < m; q++) {
        for (let k = 1; k < p; k++) {
          // Reduce q·k modulo len before the angle so that large lengths keep full precision.
          const ang = (-2 * Math.PI * ((q * k) % len)) / len;
          const at = 2 * (q * (p - 1) + k - 1);
          tw[at] = Math.cos(ang);
          tw[at + 1] = Math.sin(ang);
        }
      }
      stages.push({ p, m, s, tw });
      s *= p;
      len = m;
    }
    plan = { n, stages, bluestein: null };
  }
  plans.set(n, plan);
  return plan;
}

function makeBluestein(n: number): Bluestein {
  let big = 1;
  while (big < 2 * n - 1) big *= 2;
  const inner = fftPlan(big);
  const chirp = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) {
    // j² mod 2n keeps the angle small (exp(−πi·j²/n) has period 2n in j²).
    const ang = (-Math.PI * ((j * j) % (2 * n))) / n;
    chirp[2 * j] = Math.cos(ang);
    chirp[2 * j + 1] = Math.sin(ang);
  }
  const kernel = new Float64Array(2 * big);
  for (let j = 0; j < n; j++) {
    kernel[2 * j] = chirp[2 * j];
    kernel[2 * j + 1] = -chirp[2 * j + 1];
    if (j > 0) {
      kernel[2 * (big - j)] = chirp[2 * j];
      kernel[2 * (big - j) + 1] = -chirp[2 * j + 1];
    }
  }
  const out = new Float64Array(2 * big);
  transformInPlace(inner, kernel, out, false);
  for (let i = 0; i < 2 * big; i++) kernel[i] = kernel[i] / big;
  return { inner, chirp, kernel, a: new Float64Array(2 * big), scratch: new Float64Array(2 * big) };
}

/**
 * Transform `data` (2n numbers) in place: forward (exp(−…)) or inverse (exp(+…), unscaled).
 * `scratch` must hold 2n numbers (the Stockham passes ping-pong between it and `data`);
 * Bluestein plans use their own length-M buffers instead.
 */
export function transformInPlace(plan: FftPlan, data: Float64Array, scratch: Float64Array, inverse: boolean): void {
  const n = plan.n;
  if (n === 1) return;
  // The inverse is conj(F(conj(x))): conjugate in, conjugate out.
  if (inverse) for (let i = 1; i < 2 * n; i += 2) data[i] = -data[i];
  if (plan.bluestein) bluesteinForward(plan, data);
  else {
    let x = data, y = scratch;
    for (const st of plan.stages) {
      pass(st, x, y);
      const t = x; x = y; y = t;
    }
    if (x !== data) data.set(x.subarray(0, 2 * n));
  }
  if (inverse) for (let i = 1; i < 2 * n; i += 2) data[i] = -data[i];
}

function bluesteinForward(plan: FftPlan, data: Float64Array): void {
  const n = plan.n;
  const { inner, chirp, kernel, a, scratch } = plan.bluestein!;
  const big = inner.n;
  a.fill(0);
  for (let j = 0; j < n; j++) {
    const xr = data[2 * j], xi = data[2 * j + 1], cr = chirp[2 * j], ci = chirp[2 * j + 1];
    a[2 * j] = xr * cr - xi * ci;
    a[2 * j + 1] = xr * ci + xi * cr;
  }
  transformInPlace(inner, a, scratch, false);
  for (let k = 0; k < big; k++) {
    const ar = a[2 * k], ai = a[2 * k + 1], br = kernel[2 * k], bi = kernel[2 * k + 1];
    a[2 * k] = ar * br - ai * bi;
    a[2 * k + 1] = ar * bi + ai * br;
  }
  transformInPlace(inner, a, scratch, true);
  for (let k = 0; k < n; k++) {
    const ar = a[2 * k], ai = a[2 * k + 1], cr = chirp[2 * k], ci = chirp[2 * k + 1];
    data[2 * k] = ar * cr - ai * ci;
    data[2 * k + 1] = ar * ci + ai * cr;
  }
}

/**
 * One Stockham DIF pass of radix p: for each q < m and r < s,
 *   y[r + s(pq + k)] = w^{qk} · Σ_l x[r + s(q + m·l)] · ω_p^{lk}.
 */
function pass(st: Stage, x: Float64Array, y: Float64Array): void {
  switch (st.p) {
    case 4: return pass4(st, x, y);
    case 2: return pass2(st, x, y);
    case 3: return pass3(st, x, y);
    case 5: return pass5(st, x, y);
    default: return passGeneric(st, x, y);
  }
}

function pass2(st: Stage, x: Float64Array, y: Float64Array): void {
  const { m, s, tw } = st;
  for (let q = 0; q < m; q++) {
    const wr = tw[2 * q], wi = tw[2 * q + 1];
    for (let r = 0; r < s; r++) {
      const i0 = 2 * (r + s * q), i1 = 2 * (r + s * (q + m));
      const ar = x[i0], ai = x[i0 + 1], br = x[i1], bi = x[i1 + 1];
      const o0 = 2 * (r + s * 2 * q), o1 = o0 + 2 * s;
      y[o0] = ar + br; y[o0 + 1] = ai + bi;
      const dr = ar - br, di = ai - bi;
      y[o1] = dr * wr - di * wi; y[o1 + 1] = dr * wi + di * wr;
    }
  }
}

function pass4(st: Stage, x: Float64Array, y: Float64Array): void {
  const { m, s, tw } = st;
  for (let q = 0; q < m; q++) {
    const t = 6 * q;
    const w1r = tw[t], w1i = tw[t + 1], w2r = tw[t + 2], w2i = tw[t + 3], w3r = tw[t + 4], w3i = tw[t + 5];
    for (let r = 0; r < s; r++) {
      const i0 = 2 * (r + s * q), i1 = 2 * (r + s * (q + m)), i2 = 2 * (r + s * (q + 2 * m)), i3 = 2 * (r + s * (q + 3 * m));
      const ar = x[i0], ai = x[i0 + 1], br = x[i1], bi = x[i1 + 1];
      const cr = x[i2], ci = x[i2 + 1], dr = x[i3], di = x[i3 + 1];
      const apcR = ar + cr, apcI = ai + ci, amcR = ar - cr, amcI = ai - ci;
      const bpdR = br + dr, bpdI = bi + di, bmdR = br - dr, bmdI = bi - di;
      // ω_4 = −i: X1 = (a − c) − i(b − d), X3 = (a − c) + i(b − d).
      const x1r = amcR + bmdI, x1i = amcI - bmdR;
      const x2r = apcR - bpdR, x2i = apcI - bpdI;
      const x3r = amcR - bmdI, x3i = amcI + bmdR;
      const o0 = 2 * (r + s * 4 * q), o1 = o0 + 2 * s, o2 = o1 + 2 * s, o3 = o2 + 2 * s;
      y[o0] = apcR + bpdR; y[o0 + 1] = apcI + bpdI;
      y[o1] = x1r * w1r - x1i * w1i; y[o1 + 1] = x1r * w1i + x1i * w1r;
      y[o2] = x2r * w2r - x2i * w2i; y[o2 + 1] = x2r * w2i + x2i * w2r;
      y[o3] = x3r * w3r - x3i * w3i; y[o3 + 1] = x3r * w3i + x3i * w3r;
    }
  }
}

const SIN60 = Math.sqrt(3) / 2;

function pass3(st: Stage, x: Float64Array, y: Float64Array): void {
  const { m, s, tw } = st;
  for (let q = 0; q < m; q++) {
    const t = 4 * q;
    const w1r = tw[t], w1i = tw[t + 1], w2r = tw[t + 2], w2i = tw[t + 3];
    for (let r = 0; r < s; r++) {
      const i0 = 2 * (r + s * q), i1 = 2 * (r + s * (q + m)), i2 = 2 * (r + s * (q + 2 * m));
      const ar = x[i0], ai = x[i0 + 1], br = x[i1], bi = x[i1 + 1], cr = x[i2], ci = x[i2 + 1];
      const sr = br + cr, si = bi + ci;
      const mr = ar - 0.5 * sr, mi = ai - 0.5 * si;
      // ω_3 = −1/2 − i√3/2: X1 = m − i√3/2 (b − c), X2 = m + i√3/2 (b − c).
      const dr = SIN60 * (br - cr), di = SIN60 * (bi - ci);
      const x1r = mr + di, x1i = mi - dr, x2r = mr - di, x2i = mi + dr;
      const o0 = 2 * (r + s * 3 * q), o1 = o0 + 2 * s, o2 = o1 + 2 * s;
      y[o0] = ar + sr; y[o0 + 1] = ai + si;
      y[o1] = x1r * w1r - x1i * w1i; y[o1 + 1] = x1r * w1i + x1i * w1r;
      y[o2] = x2r * w2r - x2i * w2i; y[o2 + 1] = x2r * w2i + x2i * w2r;
    }
  }
}

const C1 = Math.cos((2 * Math.PI) / 5), C2 = Math.cos((4 * Math.PI) / 5);
const S1 = Math.sin((2 * Math.PI) / 5), S2 = Math.sin((4 * Math.PI) / 5);

function pass5(st: Stage, x: Float64Array, y: Float64Array): void {
  const { m, s, tw } = st;
  for (let q = 0; q < m; q++) {
    const t = 8 * q;
    for (let r = 0; r < s; r++) {
      const i0 = 2 * (r + s * q), step = 2 * s * m;
      const ar = x[i0], ai = x[i0 + 1];
      const br = x[i0 + step], bi = x[i0 + step + 1];
      const cr = x[i0 + 2 * step], ci = x[i0 + 2 * step + 1];
      const dr = x[i0 + 3 * step], di = x[i0 + 3 * step + 1];
      const er = x[i0 + 4 * step], ei = x[i0 + 4 * step + 1];
      const beR = br + er, beI = bi + ei, bmeR = br - er, bmeI = bi - ei;
      const cdR = cr + dr, cdI = ci + di, cmdR = cr - dr, cmdI = ci - di;
      const p1r = ar + C1 * beR + C2 * cdR, p1i = ai + C1 * beI + C2 * cdI;
      const p2r = ar + C2 * beR + C1 * cdR, p2i = ai + C2 * beI + C1 * cdI;
      // Imaginary parts of the rotation: −i(S1(b − e) + S2(c − d)) and −i(S2(b − e) − S1(c − d)).
      const q1r = S1 * bmeR + S2 * cmdR, q1i = S1 * bmeI + S2 * cmdI;
      const q2r = S2 * bmeR - S1 * cmdR, q2i = S2 * bmeI - S1 * cmdI;
      const x1r = p1r + q1i, x1i = p1i - q1r, x4r = p1r - q1i, x4i = p1i + q1r;
      const x2r = p2r + q2i, x2i = p2i - q2r, x3r = p2r - q2i, x3i = p2i + q2r;
      const o0 = 2 * (r + s * 5 * q), os = 2 * s;
      y[o0] = ar + beR + cdR; y[o0 + 1] = ai + beI + cdI;
      const vals = [x1r, x1i, x2r, x2i, x3r, x3i, x4r, x4i];
      for (let k = 1; k < 5; k++) {
        const vr = vals[2 * k - 2], vi = vals[2 * k - 1], wr = tw[t + 2 * k - 2], wi = tw[t + 2 * k - 1];
        y[o0 + k * os] = vr * wr - vi * wi;
        y[o0 + k * os + 1] = vr * wi + vi * wr;
      }
    }
  }
}

/** Roots of unity ω_p^j (interleaved), cached per radix, for the generic pass. */
const rootsCache = new Map<number, Float64Array>();
function roots(p: number): Float64Array {
  let r = rootsCache.get(p);
  if (!r) {
    r = new Float64Array(2 * p);
    for (let j = 0; j < p; j++) { r[2 * j] = Math.cos((-2 * Math.PI * j) / p); r[2 * j + 1] = Math.sin((-2 * Math.PI * j) / p); }
    rootsCache.set(p, r);
  }
  return r;
}

function passGeneric(st: Stage, x: Float64Array, y: Float64Array): void {
  const { p, m, s, tw } = st;
  const w = roots(p);
  const ar = new Float64Array(p), ai = new Float64Array(p);
  for (let q = 0; q < m; q++) {
    for (let r = 0; r < s; r++) {
      for (let l = 0; l < p; l++) { const i = 2 * (r + s * (q + m * l)); ar[l] = x[i]; ai[l] = x[i + 1]; }
      const o0 = 2 * (r + s * p * q);
      for (let k = 0; k < p; k++) {
        let sr = 0, si = 0;
        for (let l = 0, idx = 0; l < p; l++, idx = (idx + k) % p) {
          const wr = w[2 * idx], wi = w[2 * idx + 1];
          sr += ar[l] * wr - ai[l] * wi;
          si += ar[l] * wi + ai[l] * wr;
        }
        if (k === 0) { y[o0] = sr; y[o0 + 1] = si; continue; }
        const at = 2 * (q * (p - 1) + k - 1), twr = tw[at], twi = tw[at + 1];
        y[o0 + 2 * s * k] = sr * twr - si * twi;
        y[o0 + 2 * s * k + 1] = sr * twi + si * twr;
      }
    }
  }
}
