// np.fft: NumPy's discrete Fourier transforms over the fft/rfft/irfft primitives.
//
//   const X = np.fft.fft(x);                         // last axis, any length (real input → complex)
//   const G = np.fft.rfftn(grid);                    // 3-D real-to-half-spectrum (PME)
//   const back = np.fft.irfftn(G, { s: grid.shape }); // give s to recover odd last lengths
//
// Conventions are NumPy's: forward X_k = Σ_j x_j e^{−2πijk/n}; `n`/`s` crop or zero-pad the input
// along the transformed axes (for irfft they are the OUTPUT lengths); norm "backward" (default:
// the inverse carries 1/n), "ortho" (1/√n both ways) or "forward" (the forward carries 1/n).
// Everything here is differentiable (the primitives are linear, with transposes following JAX's
// complex convention) and batches under vmap; jit runs the transforms as opaque steps.
import { DType, complexDType, floatResult, isComplex } from "../dtype.js";
import { fftP, irfftP, rfftP } from "../primitives/fft.js";
import { fmtShape, normAxis } from "../shape.js";
import { Tensor, TensorLike } from "../tensor.js";
import { asTensor } from "./coerce.js";
import { arange, zeros } from "./creation.js";
import { concatenate, sliceAxis } from "./shape-ops.js";

export type FftNorm = "backward" | "ortho" | "forward";
export type FftOptions = { n?: number | null; axis?: number; norm?: FftNorm | null };
export type FftnOptions = { s?: readonly number[] | null; axes?: readonly number[] | null; norm?: FftNorm | null };

/** The input as a complex tensor (real input is promoted: float32 → complex64, else complex128). */
function asComplex(x: TensorLike, op: string): Tensor {
  const t = asTensor(x, undefined, op);
  if (isComplex(t.dtype)) return t;
  return t.astype(complexDType(floatResult(t.dtype)));
}

/** The input as a real float tensor; complex input is refused rather than silently dropping Im. */
function asReal(x: TensorLike, op: string): Tensor {
  const t = asTensor(x, undefined, op);
  if (isComplex(t.dtype)) throw new TypeError(`${op}: input is ${t.dtype}; ${op} takes real input (use np.fft.fft for complex data, or np.real(x) first)`);
  const d: DType = floatResult(t.dtype);
  return t.dtype === d ? t : t.astype(d);
}

/** Crop or zero-pad `t` along `axis` to length n. */
function resize(t: Tensor, axis: number, n: number, op: string): Tensor {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${op}: transform length must be a positive integer, got ${n}`);
  const have = t.shape[axis];
  if (n === have) return t;
  if (n < have) return sliceAxis(t, axis, 0, n, 1);
  const padShape = t.shape.map((d, i) => (i === axis ? n - have : d));
  return concatenate([t, zeros(padShape, { dtype: t.dtype })], axis);
}

function checkNorm(norm: FftNorm | null | undefined, op: string): FftNorm {
  const v = norm ?? "backward";
  if (v !== "backward" && v !== "ortho" && v !== "forward") throw new Error(`${op}: norm must be "backward", "ortho" or "forward", got ${JSON.stringify(norm)}`);
  return v;
}

/**
 * The factor to apply after the primitive: the forward primitive is unscaled and the inverse one
 * carries 1/N, which is NumPy's "backward" convention.
 */
function normFactor(norm: FftNorm, total: number, inverse: boolean): number {
  if (norm === "backward") return 1;
  if (norm === "ortho") return inverse ? Math.sqrt(total) : 1 / Math.sqrt(total);
  return inverse ? total : 1 / total; // "forward"
}

function scaled(t: Tensor, factor: number): Tensor {
  return factor === 1 ? t : t.mul(factor);
}

/** NumPy's (s, axes) resolution for the n-d transforms. */
function resolveAxes(t: Tensor, opts: FftnOptions, op: string, defaultAll: boolean): { axes: number[]; s: number[] | null } {
  const s = opts.s ?? null;
  let axes: number[];
  if (opts.axes != null) axes = opts.axes.map((a) => normAxis(op, a, t.ndim));
  else if (s !== null) {
    if (s.length > t.ndim) throw new Error(`${op}: s has ${s.length} entries but the input ${fmtShape(t.shape)} has only ${t.ndim} axes`);
    axes = s.map((_, i) => t.ndim - s.length + i);
  } else axes = defaultAll ? t.shape.map((_, i) => i) : [t.ndim - 2, t.ndim - 1];
  if (axes.length === 0) throw new Error(`${op}: needs at least one axis to transform`);
  if (new Set(axes).size !== axes.length) throw new Error(`${op}: axes [${axes}] repeat an axis (transform it once)`);
  if (s !== null && s.length !== axes.length) throw new Error(`${op}: s has ${s.length} entries but ${axes.length} axes are transformed`);
  return { axes, s: s === null ? null : [...s] };
}

function complexTransform(x: TensorLike, axesOpts: FftnOptions, op: string, inverse: boolean, defaultAll: boolean): Tensor {
  let t = asComplex(x, op);
  const { axes, s } = resolveAxes(t, axesOpts, op, defaultAll);
  if (s) axes.forEach((a, i) => { t = resize(t, a, s[i], op); });
  const total = axes.reduce((p, a) => p * t.shape[a], 1);
  return scaled(fftP(t, { axes, inverse }), normFactor(checkNorm(axesOpts.norm, op), total, inverse));
}

function oneAxis(x: TensorLike, opts: FftOptions, op: string): FftnOptions {
  const t = asTensor(x, undefined, op);
  if (t.ndim === 0) throw new Error(`${op}: expects an array of at least one dimension, got a scalar`);
  const axis = normAxis(op, opts.axis ?? -1, t.ndim);
  return { axes: [axis], s: opts.n == null ? null : [opts.n], norm: opts.norm };
}

/** 1-D DFT along `axis` (default last); `n` crops or zero-pads the input first. */
function fft(x: TensorLike, opts: FftOptions = {}): Tensor {
  return complexTransform(x, oneAxis(x, opts, "fft"), "fft", false, true);
}
/** 1-D inverse DFT (1/n with the default norm). */
function ifft(x: TensorLike, opts: FftOptions = {}): Tensor {
  return complexTransform(x, oneAxis(x, opts, "ifft"), "ifft", true, true);
}
/** 2-D DFT over `axes` (default the last two). */
function fft2(x: TensorLike, opts: FftnOptions = {}): Tensor {
  return complexTransform(x, opts, "fft2", false, false);
}
function ifft2(x: TensorLike, opts: FftnOptions = {}): Tensor {
  return complexTransform(x, opts, "ifft2", true, false);
}
/** n-D DFT over `axes` (default all, or the last len(s) when only `s` is given). */
function fftn(x: TensorLike, opts: FftnOptions = {}): Tensor {
  return complexTransform(x, opts, "fftn", false, true);
}
function ifftn(x: TensorLike, opts: FftnOptions = {}): Tensor {
  return complexTransform(x, opts, "ifftn", true, true);
}

function realForward(x: TensorLike, opts: FftnOptions, op: string, defaultAll: boolean): Tensor {
  let t = asReal(x, op);
  const { axes, s } = resolveAxes(t, opts, op, defaultAll);
  if (s) axes.forEach((a, i) => { t = resize(t, a, s[i], op); });
  const total = axes.reduce((p, a) => p * t.shape[a], 1);
  return scaled(rfftP(t, { axes }), normFactor(checkNorm(opts.norm, op), total, false));
}

function realInverse(x: TensorLike, opts: FftnOptions, op: string, defaultAll: boolean): Tensor {
  let t = asComplex(x, op);
  const { axes, s } = resolveAxes(t, opts, op, defaultAll);
  const last = axes.length - 1;
  // Output lengths: s where given; otherwise the input's, with the halved axis 2(m − 1).
  const lengths = axes.map((a, i) => (s ? s[i] : i === last ? 2 * (t.shape[a] - 1) : t.shape[a]));
  const n = lengths[last];
  if (!(n >= 1)) throw new Error(`${op}: the output length along axis ${axes[last]} would be ${n}; pass n (or s) explicitly`);
  axes.forEach((a, i) => { t = resize(t, a, i === last ? (n >> 1) + 1 : lengths[i], op); });
  const total = lengths.reduce((p, d) => p * d, 1);
  return scaled(irfftP(t, { axes, n }), normFactor(checkNorm(opts.norm, op), total, true));
}

/** Real-input DFT: the n/2 + 1 non-negative-frequency bins along `axis`. */
function rfft(x: TensorLike, opts: FftOptions = {}): Tensor {
  return realForward(x, oneAxis(x, opts, "rfft"), "rfft", true);
}
/** Inverse of rfft: a real signal of length n (default 2(m − 1) for m input bins). */
function irfft(x: TensorLike, opts: FftOptions = {}): Tensor {
  return realInverse(x, oneAxis(x, opts, "irfft"), "irfft", true);
}
function rfft2(x: TensorLike, opts: FftnOptions = {}): Tensor {
  return realForward(x, opts, "rfft2", false);
}
function irfft2(x: TensorLike, opts: FftnOptions = {}): Tensor {
  return realInverse(x, opts, "irfft2", false);
}
/** Real-input n-D DFT: full transforms over all but the last axis, which keeps n/2 + 1 bins. */
function rfftn(x: TensorLike, opts: FftnOptions = {}): Tensor {
  return realForward(x, opts, "rfftn", true);
}
/** Inverse of rfftn; pass s (the real shape) to get odd lengths back. */
function irfftn(x: TensorLike, opts: FftnOptions = {}): Tensor {
  return realInverse(x, opts, "irfftn", true);
}

function checkLength(n: number, op: string): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${op}: n must be a positive integer, got ${n}`);
}

/** Sample frequencies of an n-point DFT with spacing d: [0, 1, …, ⌈n/2⌉−1, −⌊n/2⌋, …, −1] / (d·n). */
function fftfreq(n: number, d = 1): Tensor {
  checkLength(n, "fftfreq");
  const k = Array.from({ length: n }, (_, i) => (i < Math.ceil(n / 2) ? i : i - n));
  return asTensor(k, "float64").div(d * n);
}

/** Sample frequencies of rfft's bins: [0, 1, …, ⌊n/2⌋] / (d·n). */
function rfftfreq(n: number, d = 1): Tensor {
  checkLength(n, "rfftfreq");
  return arange(0, (n >> 1) + 1).astype("float64").div(d * n);
}

function roll(t: Tensor, axes: number | readonly number[] | null | undefined, op: string, inverse: boolean): Tensor {
  const list = axes == null ? t.shape.map((_, i) => i) : (typeof axes === "number" ? [axes] : [...axes]).map((a) => normAxis(op, a, t.ndim));
  let out = t;
  for (const a of list) {
    const n = out.shape[a];
    // fftshift moves element i to (i + ⌊n/2⌋) mod n; ifftshift undoes it.
    const shift = inverse ? n - (n >> 1) : n >> 1;
    const cut = n - shift;
    if (shift === 0 || shift === n) continue;
    out = concatenate([sliceAxis(out, a, cut, shift, 1), sliceAxis(out, a, 0, cut, 1)], a);
  }
  return out;
}

/** Move the zero-frequency bin to the centre (over all axes by default). */
function fftshift(x: TensorLike, axes: number | readonly number[] | null = null): Tensor {
  return roll(asTensor(x, undefined, "fftshift"), axes, "fftshift", false);
}
/** The inverse of fftshift (they differ for odd lengths). */
function ifftshift(x: TensorLike, axes: number | readonly number[] | null = null): Tensor {
  return roll(asTensor(x, undefined, "ifftshift"), axes, "ifftshift", true);
}

export const fftNamespace = {
  fft, ifft, fft2, ifft2, fftn, ifftn, rfft, irfft, rfft2, irfft2, rfftn, irfftn, fftfreq, rfftfreq, fftshift, ifftshift,
};
