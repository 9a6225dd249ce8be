// Dense linear-algebra primitives: solve, triangularSolve, slogdet, cholesky, eigh, svd.
// Every operand is a stack of matrices [..., m, n] with identical leading (batch) dims; the
// numpy layer (np.linalg) broadcasts and converts before binding. Each primitive holds all of
// its rules here. Derivative rules are written with primitives only, so they differentiate
// again (grad of grad, hessian) and batch under vmap like any other program.
//
// Derivative conventions (the same as JAX's):
//  - cholesky reads the lower triangle of A; its jvp uses the symmetric (Hermitian) part of dA.
//  - eigh reads the lower triangle of A; its jvp uses the symmetric (Hermitian) matrix whose
//    lower triangle is dA's. Degenerate eigenvalues (w_i = w_j, i ≠ j) give infinite/NaN
//    eigenvector derivatives; eigenvalue derivatives stay finite.
//
// Complex (complex128/complex64): solve, triangularSolve (with op(T) = T, Tᵀ, conj(T) or Tᴴ),
// cholesky (A = L Lᴴ), eigh (Hermitian A = V diag(w) Vᴴ, real w) and slogdet (unit complex
// sign, real log|det|) take complex matrices; svd is real only. Transposes follow JAX's convention (plain transpose, no
// conjugation: a cotangent w pairs with a tangent dz as Re(w·dz)). Complex eigenvectors are
// defined up to a phase each; the kernel fixes it (largest-modulus component real positive),
// while the jvp returns the derivative with no component along v_i itself (vᵢᴴ dvᵢ = 0, the
// "parallel transport" gauge, as JAX). The two agree on every phase-invariant quantity
// (|v_i|², projectors v_i v_iᴴ, expectation values), which is what physics uses.
//  - svd: derivatives of U and Vᵀ are infinite/NaN where singular values are repeated, or
//    (for non-square A) where a singular value is zero; derivatives of S stay finite.
import { ShapedArray } from "../aval.js";
import { DenseTensor, scalarDense } from "../dense.js";
import { DType, arrayFor, complexDType, isComplex, isFloat, realDType, storageWidth } from "../dtype.js";
import { bind, bind1 } from "../interpreter.js";
import * as K from "../kernels/linalg.js";
import * as KC from "../kernels/linalg-complex.js";
import { BDim, Primitive, defineMultiPrimitive, definePrimitive, isUndefined } from "../primitive.js";
import { broadcastShapes, fmtShape, sizeOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { addP, divP, eyeBool, mulP, negP, selectP, subP, zerosLikeP } from "./arithmetic.js";
import { complexP, conjP, imagP, realP } from "./complex.js";
import { convertP } from "./convert.js";
import { dotGeneralP } from "./dot-general.js";
import { reduceSumP } from "./reductions.js";
import { batchToFront, broadcastP, moveAxis, reshapeP, transposeP } from "./structural.js";

// ---- helpers (primitive compositions used by the rules) -----------------------------------

/** A Float64Array result (interleaved for complex) as a tensor of the requested dtype. */
function toDense(buf: Float64Array, shape: readonly number[], dtype: DType): DenseTensor {
  if (dtype === "float64" || dtype === "complex128") return new DenseTensor(buf, shape, dtype);
  const out = arrayFor(dtype, buf.length / storageWidth(dtype));
  out.set(buf);
  return new DenseTensor(out, shape, dtype);
}

/** The conjugate transpose of each matrix (the plain transpose for real dtypes). */
export function adjointP(x: Tensor): Tensor {
  const t = matrixTransposeP(x);
  return isComplex(x.dtype) ? conjP(t) : t;
}

/** Swap the last two axes. */
export function matrixTransposeP(x: Tensor): Tensor {
  const r = x.ndim;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return transposeP(x, perm);
}

/** Batched matrix product [..., n, k] @ [..., k, m] (leading dims broadcast) via dotGeneral. */
export function matmulP(a: Tensor, b: Tensor): Tensor {
  const [n, k] = a.shape.slice(-2);
  const [k2, m] = b.shape.slice(-2);
  if (k !== k2) throw new Error(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} do not align (${k} ≠ ${k2})`);
  const lead = broadcastShapes("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = lead.map((_, i) => i);
  const r = lead.length;
  return dotGeneralP(broadcastP(a, [...lead, n, k]), broadcastP(b, [...lead, k, m]), { contract: [[r + 1], [r]], batch: [batch, batch] });
}

/** A real-valued constant n×n matrix in `dtype` (for complex dtypes the imaginary parts are 0). */
function constMatrix(n: number, dtype: DType, f: (i: number, j: number) => number): DenseTensor {
  const buf = arrayFor(dtype, n * n);
  const w = storageWidth(dtype);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) buf[w * (i * n + j)] = f(i, j);
  return new DenseTensor(buf, [n, n], dtype);
}

/** The diagonal of each matrix: [..., n, n] → [..., n]. */
export function diagPartP(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1];
  return reduceSumP(mulP(x, constMatrix(n, x.dtype, (i, j) => (i === j ? 1 : 0))), [x.ndim - 1]);
}

/** Diagonal matrices from vectors: [..., n] → [..., n, n]. */
export function diagEmbedP(d: Tensor): Tensor {
  const n = d.shape[d.ndim - 1];
  return mulP(reshapeP(d, [...d.shape.slice(0, -1), 1, n]), constMatrix(n, d.dtype, (i, j) => (i === j ? 1 : 0)));
}

/** The trace of each matrix: [..., n, n] → [...]. */
export function traceP(x: Tensor): Tensor {
  return reduceSumP(diagPartP(x), [x.ndim - 2]);
}

/** Keep one triangle (k = 0 includes the diagonal; lower with k = -1 is strictly lower). */
function triangleP(x: Tensor, lower: boolean, k = 0): Tensor {
  const n = x.shape[x.ndim - 1];
  return mulP(x, constMatrix(n, x.dtype, (i, j) => (lower ? j - i <= k : j - i >= k) ? 1 : 0));
}

/** The symmetric (Hermitian) matrix whose lower triangle is x's; a complex diagonal keeps only its real part. */
function symmetrizeLowerP(x: Tensor): Tensor {
  if (!isComplex(x.dtype)) return addP(triangleP(x, true), matrixTransposeP(triangleP(x, true, -1)));
  const strict = triangleP(x, true, -1);
  return addP(addP(strict, adjointP(strict)), convertP(realP(diagEmbedP(diagPartP(x))), x.dtype));
}

/**
 * 1 / (d_ij) off the diagonal and 0 on it, without ever dividing by zero on the diagonal
 * (so that neither the value nor any derivative of it picks up a NaN from there).
 */
function offDiagonalReciprocalP(d: Tensor): Tensor {
  const n = d.shape[d.ndim - 1];
  const eye = broadcastP(eyeBool(n), d.shape);
  const one = broadcastP(scalarDense(1, d.dtype), d.shape);
  const zero = broadcastP(scalarDense(0, d.dtype), d.shape);
  return selectP(eye, zero, divP(one, selectP(eye, one, d)));
}

/** x_j − x_i as an [..., n, n] matrix from a vector [..., n]. */
function pairwiseDifferenceP(x: Tensor): Tensor {
  const lead = x.shape.slice(0, -1);
  const n = x.shape[x.ndim - 1];
  return subP(reshapeP(x, [...lead, 1, n]), reshapeP(x, [...lead, n, 1]));
}

function checkFloat(op: string, avals: ShapedArray[], allowComplex = false): DType {
  const d = avals[0].dtype;
  for (const a of avals) {
    if (!isFloat(a.dtype) && !(allowComplex && isComplex(a.dtype))) {
      const kinds = allowComplex ? "float32, float64, complex64 or complex128" : "float32 or float64";
      throw new TypeError(`${op}: expects ${kinds} matrices, got ${a.dtype} (np.linalg converts integer input to float64)`);
    }
    if (a.dtype !== d) throw new TypeError(`${op}: operand dtypes ${avals.map((x) => x.dtype).join(" and ")} differ`);
  }
  return d;
}

function checkSquare(op: string, a: ShapedArray): number {
  const n = a.shape[a.ndim - 1];
  if (a.ndim < 2 || a.shape[a.ndim - 2] !== n) {
    throw new Error(`${op}: expects a square matrix or a stack of them [..., n, n], got shape ${fmtShape(a.shape)}`);
  }
  return n;
}

/** Check b = [..., n, k] against a = [..., n, n] with the same leading dims; returns k. */
function checkRhs(op: string, a: ShapedArray, b: ShapedArray): number {
  const n = checkSquare(op, a);
  const lead = a.shape.slice(0, -2);
  const ok = b.ndim === a.ndim && b.shape[b.ndim - 2] === n && lead.every((d, i) => d === b.shape[i]);
  if (!ok) {
    throw new Error(`${op}: right-hand side of shape ${fmtShape(b.shape)} does not fit a matrix of shape ${fmtShape(a.shape)} (expected [${[...lead, n, "k"].join(", ")}])`);
  }
  return b.shape[b.ndim - 1];
}

function batchCount(a: ShapedArray): number {
  return sizeOf(a.shape.slice(0, -2));
}

/** Size of the mapped axis from the batched operands. */
function axisSize(args: Tensor[], dims: BDim[]): number {
  for (let i = 0; i < args.length; i++) if (dims[i] !== null) return args[i].shape[dims[i]!];
  throw new Error("internal: batch rule called with no batched operand");
}

// ---- solve ----------------------------------------------------------------------------------

/** X with A X = B, for A [..., n, n] and B [..., n, k]. Linear in B. */
export const solve: Primitive<object> = definePrimitive<object>({
  name: "solve",
  complex: "native",
  abstractEval: ([a, b]) => {
    const d = checkFloat("solve", [a, b], true);
    checkRhs("solve", a, b);
    return new ShapedArray(b.shape, d);
  },
  impl: ([a, b], _p, out) => {
    const n = a.shape[a.ndim - 1], k = b.shape[b.ndim - 1];
    const solver = isComplex(a.dtype) ? KC.luSolveComplex : K.luSolve;
    return toDense(solver(a.buffer, b.buffer, batchCount(a.aval), n, k, "solve"), out.shape, out.dtype);
  },
  // dX = A⁻¹ (dB − dA X)
  jvp: ([a, b], [da, db]) => {
    const x = solveP(a, b);
    let rhs: Tensor | null = db;
    if (da !== null) {
      const dax = matmulP(da, x);
      rhs = rhs === null ? negP(dax) : subP(rhs, dax);
    }
    return [x, solveP(a, rhs!)];
  },
  transpose: (ct, [a, b]) => {
    if (isUndefined(a)) throw new Error("internal: solve is linear only in its right-hand side");
    return [null, isUndefined(b) ? solveP(matrixTransposeP(a), ct) : null];
  },
  batch: (args, dims) => {
    const size = axisSize(args, dims);
    return [solveP(batchToFront(args[0], dims[0], size), batchToFront(args[1], dims[1], size)), 0];
  },
});

export function solveP(a: Tensor, b: Tensor): Tensor {
  return bind1(solve, [a, b], {});
}

// ---- triangular solve -----------------------------------------------------------------------

/** op(T) is T, Tᵀ, conj(T) or Tᴴ; conjugateA matters only for complex T. */
export type TriangularParams = { lower: boolean; transposeA: boolean; conjugateA?: boolean };

/** op(T) as a matrix (the part of T read by the solve, transposed and/or conjugated). */
function opTriangleP(t: Tensor, p: TriangularParams): Tensor {
  let x = triangleP(t, p.lower);
  if (p.transposeA) x = matrixTransposeP(x);
  return p.conjugateA && isComplex(x.dtype) ? conjP(x) : x;
}

/** X with op(T) X = B, op(T) = T, Tᵀ, conj(T) or Tᴴ, reading only the `lower` (or upper) triangle of T. Linear in B. */
export const triangularSolve: Primitive<TriangularParams> = definePrimitive<TriangularParams>({
  name: "triangularSolve",
  complex: "native",
  abstractEval: ([a, b]) => {
    const d = checkFloat("triangularSolve", [a, b], true);
    checkRhs("triangularSolve", a, b);
    return new ShapedArray(b.shape, d);
  },
  impl: ([a, b], { lower, transposeA, conjugateA }, out) => {
    const n = a.shape[a.ndim - 1], k = b.shape[b.ndim - 1];
    const x = isComplex(a.dtype)
      ? KC.triangularSolveComplex(a.buffer, b.buffer, batchCount(a.aval), n, k, lower, transposeA, conjugateA ?? false)
      : K.triangularSolve(a.buffer, b.buffer, batchCount(a.aval), n, k, lower, transposeA);
    return toDense(x, out.shape, out.dtype);
  },
  // dX = op(T)⁻¹ (dB − op(dT) X), with dT restricted to the triangle that is read.
  jvp: ([a, b], [da, db], p) => {
    const x = triangularSolveP(a, b, p);
    let rhs: Tensor | null = db;
    if (da !== null) {
      const dax = matmulP(opTriangleP(da, p), x);
      rhs = rhs === null ? negP(dax) : subP(rhs, dax);
    }
    return [x, triangularSolveP(a, rhs!, p)];
  },
  // The transpose of B ↦ op(T)⁻¹B is C ↦ op(T)⁻ᵀC: flip transposeA, keep the conjugation.
  transpose: (ct, [a, b], { lower, transposeA, conjugateA }) => {
    if (isUndefined(a)) throw new Error("internal: triangularSolve is linear only in its right-hand side");
    return [null, isUndefined(b) ? triangularSolveP(a, ct, { lower, transposeA: !transposeA, conjugateA }) : null];
  },
  batch: (args, dims, p) => {
    const size = axisSize(args, dims);
    return [triangularSolveP(batchToFront(args[0], dims[0], size), batchToFront(args[1], dims[1], size), p), 0];
  },
  formatParams: (p) => `[lower=${p.lower}, transposeA=${p.transposeA}${p.conjugateA ? ", conjugateA=true" : ""}]`,
});

export function triangularSolveP(a: Tensor, b: Tensor, p: TriangularParams): Tensor {
  const params: TriangularParams = { lower: p.lower, transposeA: p.transposeA };
  if (p.conjugateA && isComplex(a.dtype)) params.conjugateA = true;
  return bind1(triangularSolve, [a, b], params);
}

// ---- slogdet --------------------------------------------------------------------------------

/**
 * [sign(det A), log|det A|] for A [..., n, n]. A singular A gives sign 0 and −∞. For complex A
 * the sign is the unit complex number det A/|det A| (as NumPy and JAX) and log|det A| is real.
 */
export const slogdet: Primitive<object> = defineMultiPrimitive<object>({
  name: "slogdet",
  complex: "native",
  abstractEval: ([a]) => {
    const d = checkFloat("slogdet", [a], true);
    checkSquare("slogdet", a);
    const lead = a.shape.slice(0, -2);
    return [new ShapedArray(lead, d), new ShapedArray(lead, realDType(d))];
  },
  impl: ([a], _p, [outSign, outLog]) => {
    const kernel = isComplex(a.dtype) ? KC.slogdetComplex : K.slogdet;
    const { sign, logAbsDet } = kernel(a.buffer, batchCount(a.aval), a.shape[a.ndim - 1]);
    return [toDense(sign, outSign.shape, outSign.dtype), toDense(logAbsDet, outLog.shape, outLog.dtype)];
  },
  // d log det A = tr(A⁻¹ dA) = d log|det A| + i·d arg det A. The real sign is piecewise constant;
  // the complex sign e^{i·arg} moves by i·sign·Im tr(A⁻¹ dA) (JAX's rule).
  jvp: ([a], [da]) => {
    const [sign, logAbsDet] = slogdetP(a);
    const tr = traceP(solveP(a, da!));
    if (!isComplex(a.dtype)) return [[sign, logAbsDet], [null, tr]];
    const im = imagP(tr);
    return [[sign, logAbsDet], [mulP(sign, complexP(zerosLikeP(im), im)), realP(tr)]];
  },
  batch: ([a], [d]) => [slogdetP(moveAxis(a, d!, 0)), [0, 0]],
});

export function slogdetP(a: Tensor): [Tensor, Tensor] {
  const [s, l] = bind(slogdet, [a], {});
  return [s, l];
}

// ---- cholesky -------------------------------------------------------------------------------

/** Lower-triangular L with A = L Lᵀ (complex: A = L Lᴴ, real diagonal), reading the lower triangle of A. */
export const cholesky: Primitive<object> = definePrimitive<object>({
  name: "cholesky",
  complex: "native",
  abstractEval: ([a]) => {
    const d = checkFloat("cholesky", [a], true);
    checkSquare("cholesky", a);
    return new ShapedArray(a.shape, d);
  },
  impl: ([a], _p, out) => {
    const factor = isComplex(a.dtype) ? KC.choleskyComplex : K.cholesky;
    return toDense(factor(a.buffer, batchCount(a.aval), a.shape[a.ndim - 1]), out.shape, out.dtype);
  },
  // dL = L Φ(L⁻¹ dA L⁻ᴴ), Φ = lower triangle with the diagonal halved, dA symmetrised (Hermitian part).
  jvp: ([a], [da]) => {
    const l = choleskyP(a);
    const n = a.shape[a.ndim - 1];
    const dSym = mulP(addP(da!, adjointP(da!)), scalarDense(0.5, a.dtype));
    const lower = { lower: true, transposeA: false };
    const left = triangularSolveP(l, dSym, lower); // L⁻¹ dA
    const middle = triangularSolveP(l, adjointP(left), lower); // L⁻¹ (L⁻¹ dA)ᴴ = L⁻¹ dA L⁻ᴴ
    const phi = mulP(middle, constMatrix(n, a.dtype, (i, j) => (i > j ? 1 : i === j ? 0.5 : 0)));
    return [l, matmulP(l, phi)];
  },
  batch: ([a], [d]) => [choleskyP(moveAxis(a, d!, 0)), 0],
});

export function choleskyP(a: Tensor): Tensor {
  return bind1(cholesky, [a], {});
}

// ---- eigh -----------------------------------------------------------------------------------

/**
 * [w, V] with A = V diag(w) Vᵀ for symmetric A [..., n, n] (lower triangle read): eigenvalues
 * ascending, eigenvectors as columns, each signed so that its largest-magnitude entry is positive.
 * Complex Hermitian A: A = V diag(w) Vᴴ with real w, each column's phase chosen so that its
 * largest-modulus entry is real and positive.
 */
export const eigh: Primitive<object> = defineMultiPrimitive<object>({
  name: "eigh",
  complex: "native",
  abstractEval: ([a]) => {
    const d = checkFloat("eigh", [a], true);
    checkSquare("eigh", a);
    return [new ShapedArray(a.shape.slice(0, -1), realDType(d)), new ShapedArray(a.shape, d)];
  },
  impl: ([a], _p, [outW, outV]) => {
    const n = a.shape[a.ndim - 1];
    const batch = batchCount(a.aval);
    if (isComplex(a.dtype)) {
      // Complete the Hermitian matrix from the lower triangle (the diagonal's real part).
      const herm = new Float64Array(2 * a.size);
      const src = a.buffer;
      for (let b = 0; b < batch; b++) {
        const o = 2 * b * n * n;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < i; j++) {
            const re = src[o + 2 * (i * n + j)], im = src[o + 2 * (i * n + j) + 1];
            herm[o + 2 * (i * n + j)] = re; herm[o + 2 * (i * n + j) + 1] = im;
            herm[o + 2 * (j * n + i)] = re; herm[o + 2 * (j * n + i) + 1] = -im;
          }
          herm[o + 2 * (i * n + i)] = src[o + 2 * (i * n + i)];
        }
      }
      const { w, v } = KC.eighHermitianJacobi(herm, batch, n);
      return [toDense(w, outW.shape, outW.dtype), toDense(v, outV.shape, outV.dtype)];
    }
    // Complete the symmetric matrix from the lower triangle.
    const sym = new Float64Array(a.size);
    for (let b = 0; b < batch; b++) {
      const o = b * n * n;
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) sym[o + i * n + j] = sym[o + j * n + i] = a.buffer[o + i * n + j];
    }
    const { w, v } = K.eighJacobi(sym, batch, n);
    return [toDense(w, outW.shape, outW.dtype), toDense(v, outV.shape, outV.dtype)];
  },
  // M = Vᴴ dA V: dw = Re diag(M), dV = V (F ∘ M) with F_ij = 1/(w_j − w_i) off the diagonal
  // (F ∘ M has a zero diagonal: no component of dv_i along v_i, the parallel-transport gauge).
  jvp: ([a], [da]) => {
    const [w, v] = eighP(a);
    const m = matmulP(adjointP(v), matmulP(symmetrizeLowerP(da!), v));
    const f = offDiagonalReciprocalP(pairwiseDifferenceP(w));
    if (!isComplex(a.dtype)) return [[w, v], [diagPartP(m), matmulP(v, mulP(f, m))]];
    return [[w, v], [realP(diagPartP(m)), matmulP(v, mulP(convertP(f, complexDType(w.dtype)), m))]];
  },
  batch: ([a], [d]) => [eighP(moveAxis(a, d!, 0)), [0, 0]],
});

export function eighP(a: Tensor): [Tensor, Tensor] {
  const [w, v] = bind(eigh, [a], {});
  return [w, v];
}

// ---- svd ------------------------------------------------------------------------------------

/**
 * Thin SVD [U, S, Vᵀ] of A [..., m, n] (NumPy's full_matrices=False): U [..., m, r],
 * S [..., r] descending, Vᵀ [..., r, n], r = min(m, n). Columns of U are signed so that
 * their largest-magnitude entry is positive.
 */
export const svd: Primitive<object> = defineMultiPrimitive<object>({
  name: "svd",
  abstractEval: ([a]) => {
    const d = checkFloat("svd", [a]);
    if (a.ndim < 2) throw new Error(`svd: expects a matrix or a stack of them [..., m, n], got shape ${fmtShape(a.shape)}`);
    const [m, n] = a.shape.slice(-2);
    const r = Math.min(m, n);
    const lead = a.shape.slice(0, -2);
    return [new ShapedArray([...lead, m, r], d), new ShapedArray([...lead, r], d), new ShapedArray([...lead, r, n], d)];
  },
  impl: ([a], _p, [outU, outS, outVt]) => {
    const [m, n] = a.shape.slice(-2);
    const { u, s, vt } = K.svdJacobi(a.buffer, batchCount(a.aval), m, n);
    return [toDense(u, outU.shape, outU.dtype), toDense(s, outS.shape, outS.dtype), toDense(vt, outVt.shape, outVt.dtype)];
  },
  // As JAX's svd_jvp_rule (real case): with dS = Uᵀ dA V and F_ij = 1/(s_j² − s_i²),
  // ds = diag(dS), dU = U (F ∘ (dS S + S dSᵀ)), dV = V (F ∘ (S dS + dSᵀ S)), plus the parts
  // outside the span of U (m > n) or of V (n > m).
  jvp: ([a], [da]) => {
    const [u, s, vt] = svdP(a);
    const [m, n] = a.shape.slice(-2);
    const v = matrixTransposeP(vt);
    const ut = matrixTransposeP(u);
    const dS = matmulP(ut, matmulP(da!, v));
    const ds = diagPartP(dS);
    const lead = s.shape.slice(0, -1);
    const r = s.shape[s.ndim - 1];
    const sRow = reshapeP(s, [...lead, 1, r]); // s_j along columns
    const sCol = reshapeP(s, [...lead, r, 1]); // s_i along rows
    const f = offDiagonalReciprocalP(mulP(addP(sRow, sCol), subP(sRow, sCol)));
    const dSS = mulP(dS, sRow);
    const sdS = mulP(sCol, dS);
    let dU = matmulP(u, mulP(f, addP(dSS, matrixTransposeP(dSS))));
    let dV = matmulP(v, mulP(f, addP(sdS, matrixTransposeP(sdS))));
    if (m > n) {
      const daV = matmulP(da!, v);
      dU = addP(dU, divP(subP(daV, matmulP(u, matmulP(ut, daV))), sRow));
    } else if (n > m) {
      const daTU = matmulP(matrixTransposeP(da!), u);
      dV = addP(dV, divP(subP(daTU, matmulP(v, matmulP(vt, daTU))), sRow));
    }
    return [[u, s, vt], [dU, ds, matrixTransposeP(dV)]];
  },
  batch: ([a], [d]) => [svdP(moveAxis(a, d!, 0)), [0, 0, 0]],
});

export function svdP(a: Tensor): [Tensor, Tensor, Tensor] {
  const [u, s, vt] = bind(svd, [a], {});
  return [u, s, vt];
}
