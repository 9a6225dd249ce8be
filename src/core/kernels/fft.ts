// Discrete Fourier transforms along one axis of a row-major n-d array, on interleaved complex
// storage [re0, im0, re1, im1, …] (the layout of complex128/complex64 tensors).
//
//   fftAxis:   complex → complex, forward X_k = Σ_j x_j e^{−2πijk/n}, or inverse (1/n) Σ_k X_k e^{+2πijk/n}
//   rfftAxis:  real (length n) → the half spectrum X_0 … X_{⌊n/2⌋} (complex)
//   irfftAxis: half spectrum (⌊n/2⌋ + 1 bins) → real length n; the imaginary parts of X_0 and
//              (even n) X_{n/2} are ignored, as NumPy and pocketfft do
//
// Lines along the axis are gathered a block at a time: BLOCK neighbouring lines share each cache
// line of the input, so transforms along a leading axis of a 64³ grid stream memory instead of
// touching one number per cache line. Every kernel computes in float64 and returns a new array.
import { FftPlan, fftPlan, transformInPlace } from "./fft-plan.js";

const BLOCK = 16;

/** Walk the lines along `axis` in blocks of up to BLOCK neighbours: fn(first element's offset, line stride, count). */
function forEachBlock(shape: readonly number[], axis: number, fn: (base: number, stride: number, count: number) => void): void {
  let outer = 1, inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  const len = shape[axis];
  if (outer * inner * len === 0) return;
  for (let o = 0; o < outer; o++) {
    for (let i0 = 0; i0 < inner; i0 += BLOCK) fn(o * len * inner + i0, inner, Math.min(BLOCK, inner - i0));
  }
}

/** Block buffers: `count` lines of `len` complex numbers, plus one scratch line. */
function blockBuffers(len: number): { lines: Float64Array[]; scratch: Float64Array } {
  const buf = new Float64Array(2 * len * BLOCK);
  const lines: Float64Array[] = [];
  for (let c = 0; c < BLOCK; c++) lines.push(buf.subarray(2 * len * c, 2 * len * (c + 1)));
  return { lines, scratch: new Float64Array(2 * len) };
}

function checkAxis(op: string, shape: readonly number[], axis: number): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) throw new Error(`internal: ${op} axis ${axis} out of range for shape [${shape}]`);
}

/**
 * Complex DFT along `axis` of complex data `src` (2·size numbers) of the given shape.
 * The inverse includes the 1/n factor.
 */
export function fftAxis(src: ArrayLike<number>, shape: readonly number[], axis: number, inverse: boolean): Float64Array {
  checkAxis("fftAxis", shape, axis);
  const len = shape[axis];
  const total = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(2 * total);
  if (total === 0) return out;
  const plan = fftPlan(len);
  const { lines, scratch } = blockBuffers(len);
  const scale = inverse ? 1 / len : 1;
  forEachBlock(shape, axis, (base, stride, count) => {
    for (let t = 0; t < len; t++) {
      const at = 2 * (base + t * stride);
      for (let c = 0; c < count; c++) { lines[c][2 * t] = src[at + 2 * c]; lines[c][2 * t + 1] = src[at + 2 * c + 1]; }
    }
    for (let c = 0; c < count; c++) transformInPlace(plan, lines[c], scratch, inverse);
    for (let t = 0; t < len; t++) {
      const at = 2 * (base + t * stride);
      for (let c = 0; c < count; c++) { out[at + 2 * c] = lines[c][2 * t] * scale; out[at + 2 * c + 1] = lines[c][2 * t + 1] * scale; }
    }
  });
  return out;
}

/** e^{−2πik/n} for k ≤ n/2 (interleaved), cached per n: the split-radix twiddles of the real transforms. */
const halfTwiddles = new Map<number, Float64Array>();
function realTwiddles(n: number): Float64Array {
  let t = halfTwiddles.get(n);
  if (!t) {
    const h = n >> 1;
    t = new Float64Array(2 * (h + 1));
    for (let k = 0; k <= h; k++) { t[2 * k] = Math.cos((-2 * Math.PI * k) / n); t[2 * k + 1] = Math.sin((-2 * Math.PI * k) / n); }
    halfTwiddles.set(n, t);
  }
  return t;
}

/**
 * Real-input DFT along `axis`: real `src` of `shape` (length n on the axis) → complex output of the
 * same shape with n/2 + 1 (floor) bins on the axis. Even n packs the line into n/2 complex numbers
 * (even samples real, odd samples imaginary), transforms that, and separates the two halves.
 */
export function rfftAxis(src: ArrayLike<number>, shape: readonly number[], axis: number): Float64Array {
  checkAxis("rfftAxis", shape, axis);
  const n = shape[axis];
  const bins = (n >> 1) + 1;
  const outShape = shape.map((d, i) => (i === axis ? bins : d));
  const total = outShape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(2 * total);
  if (total === 0 || n === 0) return out;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  const even = n % 2 === 0 && n > 1;
  const len = even ? n >> 1 : n;
  const plan: FftPlan = fftPlan(len);
  const { lines, scratch } = blockBuffers(len);
  const tw = realTwiddles(n);
  forEachBlock(shape, axis, (base, stride, count) => {
    // Output offset of the same line: the block index o·n·inner + i0 maps to o·bins·inner + i0.
    const o = Math.floor(base / (n * inner)), i0 = base - o * n * inner;
    const outBase = o * bins * inner + i0;
    if (even) {
      for (let j = 0; j < len; j++) {
        const a0 = base + 2 * j * stride, a1 = a0 + stride;
        for (let c = 0; c < count; c++) { lines[c][2 * j] = src[a0 + c]; lines[c][2 * j + 1] = src[a1 + c]; }
      }
    } else {
      for (let j = 0; j < n; j++) {
        const a = base + j * stride;
        for (let c = 0; c < count; c++) { lines[c][2 * j] = src[a + c]; lines[c][2 * j + 1] = 0; }
      }
    }
    for (let c = 0; c < count; c++) {
      const z = lines[c];
      transformInPlace(plan, z, scratch, false);
      if (!even) {
        for (let k = 0; k < bins; k++) { const at = 2 * (outBase + k * stride + c); out[at] = z[2 * k]; out[at + 1] = z[2 * k + 1]; }
        continue;
      }
      // E_k = (Z_k + conj Z_{h−k})/2, O_k = (Z_k − conj Z_{h−k})/(2i), X_k = E_k + e^{−2πik/n} O_k.
      const h = len;
      for (let k = 0; k <= h; k++) {
        const zk = k % h, zm = (h - k) % h;
        const ar = z[2 * zk], ai = z[2 * zk + 1], br = z[2 * zm], bi = -z[2 * zm + 1];
        const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
        // (a − b)/(2i) = (Im(a − b) − i Re(a − b))/2
        const or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
        const wr = tw[2 * k], wi = tw[2 * k + 1];
        const at = 2 * (outBase + k * stride + c);
        out[at] = er + or * wr - oi * wi;
        out[at + 1] = ei + or * wi + oi * wr;
      }
    }
  });
  return out;
}

/**
 * Inverse of rfftAxis: complex `src` of `shape` with n/2 + 1 (floor) bins on `axis` → real output
 * of length n on the axis, including the 1/n factor. Reads the half spectrum as the Hermitian
 * spectrum it stands for, so Im X_0 and (even n) Im X_{n/2} do not contribute.
 */
export function irfftAxis(src: ArrayLike<number>, shape: readonly number[], axis: number, n: number): Float64Array {
  checkAxis("irfftAxis", shape, axis);
  const bins = (n >> 1) + 1;
  if (shape[axis] !== bins) throw new Error(`internal: irfftAxis expects ${bins} bins for length ${n}, got ${shape[axis]}`);
  const outShape = shape.map((d, i) => (i === axis ? n : d));
  const total = outShape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(total);
  if (total === 0) return out;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  const even = n % 2 === 0 && n > 1;
  const len = even ? n >> 1 : n;
  const plan = fftPlan(len);
  const { lines, scratch } = blockBuffers(len);
  const tw = realTwiddles(n);
  const h = n >> 1;
  const x = new Float64Array(2 * bins);
  forEachBlock(shape, axis, (base, stride, count) => {
    const o = Math.floor(base / (bins * inner)), i0 = base - o * bins * inner;
    const outBase = o * n * inner + i0;
    for (let c = 0; c < count; c++) {
      for (let k = 0; k < bins; k++) { const at = 2 * (base + k * stride + c); x[2 * k] = src[at]; x[2 * k + 1] = src[at + 1]; }
      x[1] = 0;
      if (even) x[2 * h + 1] = 0;
      const z = lines[c];
      if (even) {
        // Z_k = E_k + i O_k with E_k = (X_k + conj X_{h−k})/2, O_k = e^{+2πik/n}(X_k − conj X_{h−k})/2.
        for (let k = 0; k < h; k++) {
          const ar = x[2 * k], ai = x[2 * k + 1], br = x[2 * (h - k)], bi = -x[2 * (h - k) + 1];
          const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
          const dr = 0.5 * (ar - br), di = 0.5 * (ai - bi);
          const wr = tw[2 * k], wi = -tw[2 * k + 1];
          const or = dr * wr - di * wi, oi = dr * wi + di * wr;
          z[2 * k] = er - oi;
          z[2 * k + 1] = ei + or;
        }
        transformInPlace(plan, z, scratch, true);
        const scale = 1 / h;
        for (let j = 0; j < h; j++) {
          out[outBase + 2 * j * stride + c] = z[2 * j] * scale;
          out[outBase + (2 * j + 1) * stride + c] = z[2 * j + 1] * scale;
        }
      } else {
        for (let k = 0; k < bins; k++) { z[2 * k] = x[2 * k]; z[2 * k + 1] = x[2 * k + 1]; }
        for (let k = 1; k < bins; k++) { z[2 * (n - k)] = x[2 * k]; z[2 * (n - k) + 1] = -x[2 * k + 1]; }
        transformInPlace(plan, z, scratch, true);
        const scale = 1 / n;
        for (let j = 0; j < n; j++) out[outBase + j * stride + c] = z[2 * j] * scale;
      }
    }
  });
  return out;
}
