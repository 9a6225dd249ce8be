// np.linalg: NumPy's calling conventions over the linear-algebra primitives.
// Every function accepts a single matrix [m, n] or a stack [..., m, n]; integer and bool input
// is promoted to float64; float32 stays float32 (the kernels compute in float64 internally).
//
//   const x = np.linalg.solve(a, b);            // b: [n] (a vector) or [..., n, k]
//   const [sign, logdet] = np.linalg.slogdet(a);
//   const [w, v] = np.linalg.eigh(a);           // ascending w, eigenvectors as columns
//   const [e, c] = np.linalg.eighGeneralized(h, s); // H c = E S c, Cᴴ S C = I
//   const [u, s, vt] = np.linalg.svd(a);        // thin SVD (full_matrices=False)
//
// All of them are differentiable (first and higher order) and batch under vmap. Derivative
// caveats: eigh's eigenvector derivatives (and svd's U/Vᵀ derivatives) are infinite/NaN at
// degenerate eigenvalues (repeated singular values); the 2-norm's gradient at 0 is NaN.
// Complex matrices (complex128/complex64) are accepted by solve, inv, cholesky (a = L Lᴴ), eigh
// (Hermitian: real eigenvalues, complex eigenvectors, each phase-fixed so that its largest-modulus
// entry is real positive), eighGeneralized, norm, det and slogdet (sign a unit complex number,
// log|det| real, as NumPy and JAX); svd is real only.
import { DenseTensor } from "../dense.js";
import { DType, arrayFor, floatResult, isComplex, promoteTypes, storageWidth } from "../dtype.js";
import { eighGeneralizedP, hermitianPart } from "../linalg/generalized-eigh.js";
import * as L from "../primitives/linalg.js";
import { broadcastP, reshapeP, transposeP } from "../primitives/structural.js";
import { broadcastShapes, fmtShape, normAxis } from "../shape.js";
import { Tensor, TensorLike } from "../tensor.js";
import { asTensor } from "./coerce.js";
import { abs, exp, multiply, notEqual, power, sqrt } from "./math.js";
import { max, min, sum } from "./reductions.js";

/** A float tensor of rank ≥ minRank (int/bool → float64). */
function asFloatArray(x: TensorLike, op: string, minRank: number): Tensor {
  const t = asTensor(x, undefined, op);
  if (t.ndim < minRank) {
    throw new Error(`${op}: expects ${minRank === 2 ? "a matrix or a stack of matrices [..., m, n]" : `a tensor of rank ≥ ${minRank}`}, got shape ${fmtShape(t.shape)}`);
  }
  const d = floatResult(t.dtype);
  return t.dtype === d ? t : t.astype(d);
}

function asSquare(x: TensorLike, op: string): Tensor {
  const t = asFloatArray(x, op, 2);
  const [m, n] = t.shape.slice(-2);
  if (m !== n) throw new Error(`${op}: expects a square matrix or a stack of them [..., n, n], got shape ${fmtShape(t.shape)}`);
  return t;
}

function eyeDense(n: number, dtype: DType): DenseTensor {
  const buf = arrayFor(dtype, n * n);
  const w = storageWidth(dtype);
  for (let i = 0; i < n; i++) buf[w * (i * n + i)] = 1;
  return new DenseTensor(buf, [n, n], dtype);
}

/**
 * Solve a x = b. `a` is [..., n, n]; `b` is a vector [n] or a stack of matrices [..., n, k]
 * (NumPy 2 rule: b is a vector only when it is 1-D; for a stack of vectors pass b[..., None]).
 * Leading dims broadcast.
 */
function solve(a: TensorLike, b: TensorLike): Tensor {
  let ta = asSquare(a, "solve");
  let tb = asFloatArray(b, "solve", 1);
  const d = promoteTypes(ta.dtype, tb.dtype);
  if (ta.dtype !== d) ta = ta.astype(d);
  if (tb.dtype !== d) tb = tb.astype(d);
  const n = ta.shape[ta.ndim - 1];
  const vector = tb.ndim === 1;
  if (vector) tb = reshapeP(tb, [tb.shape[0], 1]);
  if (tb.shape[tb.ndim - 2] !== n) {
    throw new Error(
      `solve: shapes ${fmtShape(ta.shape)} and ${fmtShape(vector ? [tb.shape[0]] : tb.shape)} do not align ` +
      `(${n} ≠ ${tb.shape[tb.ndim - 2]}); b must be [${n}] or [..., ${n}, k] (for a stack of vectors use b[..., None])`,
    );
  }
  const lead = broadcastShapes("solve", ta.shape.slice(0, -2), tb.shape.slice(0, -2));
  const x = L.solveP(broadcastP(ta, [...lead, n, n]), broadcastP(tb, [...lead, n, tb.shape[tb.ndim - 1]]));
  return vector ? reshapeP(x, [...lead, n]) : x;
}

/** Inverse of a square matrix (or of each in a stack): solve(a, I). */
function inv(a: TensorLike): Tensor {
  const t = asSquare(a, "inv");
  const n = t.shape[t.ndim - 1];
  return L.solveP(t, broadcastP(eyeDense(n, t.dtype), t.shape));
}

/** [sign, log|det a|]; a singular matrix gives sign 0 and −∞. Complex a: sign = det/|det| (complex), log|det| real. */
function slogdet(a: TensorLike): [Tensor, Tensor] {
  return L.slogdetP(asSquare(a, "slogdet"));
}

/** Determinant, as sign · exp(log|det|). */
function det(a: TensorLike): Tensor {
  const [sign, logAbsDet] = L.slogdetP(asSquare(a, "det"));
  return multiply(sign, exp(logAbsDet));
}

/** Lower-triangular L with a = L Lᵀ (reads the lower triangle of a). Throws if a is not positive definite. */
function cholesky(a: TensorLike): Tensor {
  return L.choleskyP(asSquare(a, "cholesky"));
}

export type EighOptions = { symmetrizeInput?: boolean };

/**
 * [w, v] of a symmetric (complex: Hermitian) matrix: real eigenvalues ascending, eigenvectors as
 * the columns of v (real: each with its largest-magnitude entry positive; complex: each multiplied
 * by the phase that makes its largest-modulus entry real and positive). By default the input is
 * symmetrised as (a + aᴴ)/2 first (as JAX does), which keeps gradients symmetric; with
 * `symmetrizeInput: false` only the lower triangle is read (NumPy's UPLO='L').
 */
function eigh(a: TensorLike, opts: EighOptions = {}): [Tensor, Tensor] {
  let t = asSquare(a, "eigh");
  if (opts.symmetrizeInput ?? true) t = hermitianPart(t);
  return L.eighP(t);
}

/**
 * The generalised eigenproblem h c = E s c for symmetric/Hermitian h and positive-definite s
 * (the overlap matrix of a non-orthogonal basis): [w, c] with w real ascending and the columns
 * of c s-orthonormal (cᴴ s c = I), by Cholesky reduction (LAPACK's sygv/hegv, itype 1). Both
 * inputs are symmetrised as (x + xᴴ)/2; leading dims broadcast. Differentiable in h and s.
 */
function eighGeneralized(h: TensorLike, s: TensorLike): [Tensor, Tensor] {
  let th = asSquare(h, "eighGeneralized");
  let ts = asSquare(s, "eighGeneralized");
  const d = promoteTypes(th.dtype, ts.dtype);
  if (th.dtype !== d) th = th.astype(d);
  if (ts.dtype !== d) ts = ts.astype(d);
  const n = th.shape[th.ndim - 1];
  if (ts.shape[ts.ndim - 1] !== n) {
    throw new Error(`eighGeneralized: h of shape ${fmtShape(th.shape)} and s of shape ${fmtShape(ts.shape)} differ in matrix size (${n} ≠ ${ts.shape[ts.ndim - 1]})`);
  }
  const lead = broadcastShapes("eighGeneralized", th.shape.slice(0, -2), ts.shape.slice(0, -2));
  return eighGeneralizedP(broadcastP(th, [...lead, n, n]), broadcastP(ts, [...lead, n, n]));
}

export type SvdOptions = { fullMatrices?: boolean; computeUv?: boolean };

/**
 * Thin singular value decomposition [u, s, vt] with a = u · diag(s) · vt, s descending
 * (NumPy's full_matrices=False, which is the default here; fullMatrices: true is only
 * accepted for square input, where the two agree). With computeUv: false returns s alone.
 */
function svd(a: TensorLike, opts: SvdOptions & { computeUv: false }): Tensor;
function svd(a: TensorLike, opts?: SvdOptions): [Tensor, Tensor, Tensor];
function svd(a: TensorLike, opts: SvdOptions = {}): [Tensor, Tensor, Tensor] | Tensor {
  const t = asFloatArray(a, "svd", 2);
  const [m, n] = t.shape.slice(-2);
  if (opts.fullMatrices && m !== n) {
    throw new Error(`svd: fullMatrices: true is not supported for non-square input of shape ${fmtShape(t.shape)}; use the thin SVD (fullMatrices: false)`);
  }
  const out = L.svdP(t);
  return opts.computeUv === false ? out[1] : out;
}

export type NormOrder = number | "fro" | "nuc" | null;

/**
 * Vector or matrix norm with NumPy's conventions: with axis null, a 1-D x gets a vector norm,
 * a 2-D x a matrix norm, and with ord null any x gets the 2-norm of all its entries. A number
 * axis means vector norms along it; a pair of axes means matrix norms over them.
 * Vector ords: 2 (default), 1, Infinity, -Infinity, 0 (count of non-zeros), any p.
 * Matrix ords: 'fro' (default), 'nuc', 1, -1, 2, -2, Infinity, -Infinity.
 */
function norm(x: TensorLike, ord: NormOrder = null, axis: number | readonly number[] | null = null, opts: { keepdims?: boolean } = {}): Tensor {
  let t = asFloatArray(x, "norm", 0);
  // Every norm depends on complex entries only through their moduli.
  if (isComplex(t.dtype)) t = abs(t);
  let axes: number[];
  if (axis === null) {
    if (ord === null) {
      const r = sqrt(sum(multiply(t, t)));
      return opts.keepdims ? reshapeP(r, t.shape.map(() => 1)) : r;
    }
    if (t.ndim !== 1 && t.ndim !== 2) throw new Error(`norm: ord=${String(ord)} needs axis for a tensor of shape ${fmtShape(t.shape)} (it is defined for 1-D and 2-D input)`);
    axes = t.ndim === 1 ? [0] : [0, 1];
  } else {
    axes = (typeof axis === "number" ? [axis] : [...axis]).map((a) => normAxis("norm", a, t.ndim));
  }
  let r: Tensor;
  if (axes.length === 1) r = vectorNorm(t, ord, axes[0]);
  else if (axes.length === 2) {
    if (axes[0] === axes[1]) throw new Error(`norm: repeated axis in ${JSON.stringify(axis)}`);
    r = matrixNorm(t, ord, axes[0], axes[1]);
  } else throw new Error(`norm: axis must be a number or a pair of numbers, got ${JSON.stringify(axis)}`);
  return opts.keepdims ? reshapeP(r, t.shape.map((d, i) => (axes.includes(i) ? 1 : d))) : r;
}

function vectorNorm(t: Tensor, ord: NormOrder, axis: number): Tensor {
  if (ord === null || ord === 2) return sqrt(sum(multiply(t, t), axis));
  if (typeof ord === "string") throw new Error(`norm: ord '${ord}' is a matrix norm; vector norms take a number`);
  if (ord === Infinity) return max(abs(t), axis);
  if (ord === -Infinity) return min(abs(t), axis);
  if (ord === 0) return sum(notEqual(t, 0).astype(t.dtype), axis);
  if (ord === 1) return sum(abs(t), axis);
  return power(sum(power(abs(t), ord), axis), 1 / ord);
}

function matrixNorm(t: Tensor, ord: NormOrder, rowAxis: number, colAxis: number): Tensor {
  if (ord === null || ord === "fro") return sqrt(sum(multiply(t, t), [rowAxis, colAxis]));
  if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    // 1: max over columns of the column sums of |t|; Infinity: max over rows of the row sums.
    const sumAxis = Math.abs(ord) === 1 ? rowAxis : colAxis;
    const keepAxis = Math.abs(ord) === 1 ? colAxis : rowAxis;
    const sums = sum(abs(t), sumAxis);
    const k = keepAxis > sumAxis ? keepAxis - 1 : keepAxis;
    return ord > 0 ? max(sums, k) : min(sums, k);
  }
  if (ord === 2 || ord === -2 || ord === "nuc") {
    const rest = t.shape.map((_, i) => i).filter((i) => i !== rowAxis && i !== colAxis);
    const s = L.svdP(transposeP(t, [...rest, rowAxis, colAxis]))[1];
    const last = s.ndim - 1;
    return ord === "nuc" ? sum(s, last) : ord === 2 ? max(s, last) : min(s, last);
  }
  throw new Error(`norm: invalid ord ${JSON.stringify(ord)} for a matrix norm (use 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity)`);
}

export const linalg = { norm, inv, solve, det, slogdet, cholesky, eigh, eighGeneralized, svd };
