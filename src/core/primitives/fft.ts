// Fourier-transform primitives: fft (complex ↔ complex), rfft (real → half spectrum) and irfft
// (half spectrum → real), each over a list of axes, with every rule in this file.
//
//   fft   {axes, inverse}  X = Σ x e^{∓2πi j·k/N}; the inverse carries 1/N (N = product of lengths)
//   rfft  {axes}           real input; the LAST listed axis keeps n/2 + 1 bins (floor), the others
//                          are full complex transforms
//   irfft {axes, n}        the inverse of rfft: the last listed axis becomes length n (its input
//                          must have n/2 + 1 bins); reads the bins as the Hermitian spectrum they
//                          stand for, so the imaginary parts of bin 0 and (even n) bin n/2 are ignored
//
// All three are linear, so jvp applies the same transform to the tangent. Transposes follow JAX's
// complex convention (a cotangent w pairs with a tangent dz as Re(w·dz), no conjugation):
//   - fft: the DFT matrix is symmetric, so fft's transpose is fft itself (same direction, same scale).
//   - rfft (R → C): ⟨w, rfft x⟩ = Σ_j x_j Re Σ_k w_k e^{−2πijk/n}. The sum over the kept bins
//     is an irfft of conj(w) once each bin is weighted as irfft weights it (1 for bin 0 and an
//     even n's bin n/2, 2 for the bins whose mirror image was dropped): transpose(w) =
//     N · irfft(conj(w) ⊙ c) with c = 1 at those end bins and 1/2 elsewhere. (It is not a scaled
//     irfft of w: the conjugation and the end-bin weights are what make the two differ.)
//   - irfft (C → R): differentiating ⟨t, irfft X⟩ in Re X_k and Im X_k gives the cotangent
//     conj(m ⊙ rfft(t)) / N with m = 1 at the end bins and 2 elsewhere (zero imaginary part at the
//     end bins, whose imaginary inputs irfft ignores).
// In n-d the other axes' full transforms commute with these per-bin weights, so the same formulas
// hold with rfftn/irfftn and N the product of all transformed lengths.
// jit runs these as opaque steps (no lower rule) between fused kernels.
import { ShapedArray } from "../aval.js";
import { DenseTensor } from "../dense.js";
import { DType, arrayFor, complexDType, isComplex, isFloat, realDType } from "../dtype.js";
import { bind1 } from "../interpreter.js";
import { fftAxis, irfftAxis, rfftAxis } from "../kernels/fft.js";
import { BDim, definePrimitive } from "../primitive.js";
import { fmtShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { mulP } from "./arithmetic.js";
import { conjP } from "./complex.js";
import { moveAxis } from "./structural.js";

export type FftParams = { axes: number[]; inverse: boolean };
export type RfftParams = { axes: number[] };
export type IrfftParams = { axes: number[]; n: number };

function checkAxes(op: string, aval: ShapedArray, axes: readonly number[]): void {
  if (axes.length === 0) throw new Error(`${op}: needs at least one axis`);
  const seen = new Set<number>();
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= aval.ndim) throw new Error(`${op}: axis ${a} is out of range for an input of shape ${fmtShape(aval.shape)}`);
    if (seen.has(a)) throw new Error(`${op}: axis ${a} is repeated in [${axes}]`);
    seen.add(a);
  }
}

/** A float64 result from the kernels as a tensor of the requested (possibly 32-bit) dtype. */
function toDense(buf: Float64Array, shape: readonly number[], dtype: DType): DenseTensor {
  if (dtype === "float64" || dtype === "complex128") return new DenseTensor(buf, shape, dtype);
  const out = arrayFor(dtype, shape.reduce((a, b) => a * b, 1));
  out.set(buf);
  return new DenseTensor(out, shape, dtype);
}

function lengthProduct(shape: readonly number[], axes: readonly number[]): number {
  return axes.reduce((p, a) => p * shape[a], 1);
}

/**
 * A complex constant of `rank` dims that scales the bins of `axis` by weight(k), k < bins
 * (shape [bins, 1, …, 1] so that it broadcasts from `axis` onwards).
 */
function binWeights(dtype: DType, rank: number, axis: number, bins: number, weight: (k: number) => number): DenseTensor {
  const buf = arrayFor(dtype, bins);
  for (let k = 0; k < bins; k++) buf[2 * k] = weight(k);
  const shape = [bins, ...new Array<number>(rank - axis - 1).fill(1)];
  return new DenseTensor(buf, shape, dtype);
}

/** Whether bin k of a length-n real transform stands alone (bin 0, and bin n/2 for even n). */
function selfConjugateBin(k: number, n: number): boolean {
  return k === 0 || (n % 2 === 0 && 2 * k === n);
}

function batchAxes(x: Tensor, d: BDim, axes: readonly number[]): [Tensor, number[]] {
  return [moveAxis(x, d!, 0), axes.map((a) => a + 1)];
}

// ---- fft ------------------------------------------------------------------------------------

export const fft = definePrimitive<FftParams>({
  name: "fft",
  complex: "native",
  abstractEval: ([x], { axes }) => {
    if (!isComplex(x.dtype)) throw new TypeError(`fft: expects complex128 or complex64 input, got ${x.dtype} (np.fft converts real input)`);
    checkAxes("fft", x, axes);
    return x;
  },
  impl: ([x], { axes, inverse }, out) => {
    let buf: ArrayLike<number> = x.buffer;
    let result: Float64Array | null = null;
    for (const a of axes) buf = result = fftAxis(buf, x.aval.shape, a, inverse);
    return toDense(result!, out.shape, out.dtype);
  },
  jvp: ([x], [dx], p) => [fftP(x, p), dx && fftP(dx, p)],
  transpose: (ct, _args, p) => [fftP(ct, p)],
  batch: ([x], [d], p) => {
    const [moved, axes] = batchAxes(x, d, p.axes);
    return [fftP(moved, { axes, inverse: p.inverse }), 0];
  },
  formatParams: (p) => `[axes=${fmtShape(p.axes)}, inverse=${p.inverse}]`,
});

export function fftP(x: Tensor, p: FftParams): Tensor {
  return bind1(fft, [x], { axes: [...p.axes], inverse: p.inverse });
}

// ---- rfft -----------------------------------------------------------------------------------

export const rfft = definePrimitive<RfftParams>({
  name: "rfft",
  complex: "native",
  abstractEval: ([x], { axes }) => {
    if (!isFloat(x.dtype)) throw new TypeError(`rfft: expects float64 or float32 input, got ${x.dtype}`);
    checkAxes("rfft", x, axes);
    const last = axes[axes.length - 1];
    return new ShapedArray(x.shape.map((d, i) => (i === last ? (d >> 1) + 1 : d)), complexDType(x.dtype));
  },
  impl: ([x], { axes }, out) => {
    const last = axes[axes.length - 1];
    let buf = rfftAxis(x.buffer, x.aval.shape, last);
    for (const a of axes.slice(0, -1)) buf = fftAxis(buf, out.shape, a, false);
    return toDense(buf, out.shape, out.dtype);
  },
  jvp: ([x], [dx], p) => [rfftP(x, p), dx && rfftP(dx, p)],
  transpose: (ct, [x], { axes }) => {
    const shape = (x as { aval: ShapedArray }).aval.shape;
    const last = axes[axes.length - 1];
    const n = shape[last];
    const total = lengthProduct(shape, axes);
    const w = binWeights(ct.dtype, ct.ndim, last, (n >> 1) + 1, (k) => (selfConjugateBin(k, n) ? total : total / 2));
    return [irfftP(mulP(conjP(ct), w), { axes, n })];
  },
  batch: ([x], [d], p) => {
    const [moved, axes] = batchAxes(x, d, p.axes);
    return [rfftP(moved, { axes }), 0];
  },
  formatParams: (p) => `[axes=${fmtShape(p.axes)}]`,
});

export function rfftP(x: Tensor, p: RfftParams): Tensor {
  return bind1(rfft, [x], { axes: [...p.axes] });
}

// ---- irfft ----------------------------------------------------------------------------------

export const irfft = definePrimitive<IrfftParams>({
  name: "irfft",
  complex: "native",
  abstractEval: ([x], { axes, n }) => {
    if (!isComplex(x.dtype)) throw new TypeError(`irfft: expects complex128 or complex64 input, got ${x.dtype}`);
    checkAxes("irfft", x, axes);
    const last = axes[axes.length - 1];
    if (!Number.isInteger(n) || n < 1) throw new Error(`irfft: output length n must be a positive integer, got ${n}`);
    if (x.shape[last] !== (n >> 1) + 1) {
      throw new Error(`irfft: axis ${last} of ${fmtShape(x.shape)} has ${x.shape[last]} bins; an output of length ${n} needs ${(n >> 1) + 1}`);
    }
    return new ShapedArray(x.shape.map((d, i) => (i === last ? n : d)), realDType(x.dtype));
  },
  impl: ([x], { axes, n }, out) => {
    const last = axes[axes.length - 1];
    let buf: ArrayLike<number> = x.buffer;
    for (const a of axes.slice(0, -1)) buf = fftAxis(buf, x.aval.shape, a, true);
    return toDense(irfftAxis(buf, x.aval.shape, last, n), out.shape, out.dtype);
  },
  jvp: ([x], [dx], p) => [irfftP(x, p), dx && irfftP(dx, p)],
  transpose: (ct, [x], { axes, n }) => {
    const shape = (x as { aval: ShapedArray }).aval.shape;
    const last = axes[axes.length - 1];
    const outShape = shape.map((d, i) => (i === last ? n : d));
    const total = lengthProduct(outShape, axes);
    const spectrum = rfftP(ct, { axes });
    const m = binWeights(spectrum.dtype, spectrum.ndim, last, (n >> 1) + 1, (k) => (selfConjugateBin(k, n) ? 1 / total : 2 / total));
    return [conjP(mulP(spectrum, m))];
  },
  batch: ([x], [d], p) => {
    const [moved, axes] = batchAxes(x, d, p.axes);
    return [irfftP(moved, { axes, n: p.n }), 0];
  },
  formatParams: (p) => `[axes=${fmtShape(p.axes)}, n=${p.n}]`,
});

export function irfftP(x: Tensor, p: IrfftParams): Tensor {
  return bind1(irfft, [x], { axes: [...p.axes], n: p.n });
}
