// The generalised Hermitian eigenproblem H c = E S c (S positive definite), by Cholesky reduction:
//
//   S = L Lᴴ,   A = L⁻¹ H L⁻ᴴ (Hermitian, same eigenvalues),   A y = E y,   c = L⁻ᴴ y.
//
// Then Cᴴ S C = Yᴴ L⁻¹ (L Lᴴ) L⁻ᴴ Y = I: the eigenvectors come out S-orthonormal, as LAPACK's
// zhegv (itype 1) returns them. Everything is a composition of differentiable primitives
// (cholesky, triangularSolve, eigh), so derivatives with respect to both H and S, of any order,
// and vmap come from their rules. Real symmetric and complex Hermitian input are both accepted.
//
// Derivative caveats are eigh's: eigenvector derivatives diverge at degenerate eigenvalues; for
// complex input each c_i is defined up to a phase (the phase of y_i is fixed as eigh fixes it),
// so only phase-invariant functions of C have derivatives that match finite differences.
import { Tensor } from "../tensor.js";
import { addP, mulP } from "../primitives/arithmetic.js";
import { scalarDense } from "../dense.js";
import { adjointP, choleskyP, eighP, triangularSolveP } from "../primitives/linalg.js";

/** Hermitian part (X + Xᴴ)/2 of each matrix. */
export function hermitianPart(x: Tensor): Tensor {
  return mulP(addP(x, adjointP(x)), scalarDense(0.5, x.dtype));
}

/**
 * [w, C] with H C = S C diag(w) and Cᴴ S C = I for H Hermitian and S Hermitian positive definite,
 * both [..., n, n] of one dtype (the caller broadcasts and promotes). w ascends and is real.
 */
export function eighGeneralizedP(h: Tensor, s: Tensor): [Tensor, Tensor] {
  const l = choleskyP(hermitianPart(s));
  const lower = { lower: true, transposeA: false };
  const left = triangularSolveP(l, hermitianPart(h), lower); // L⁻¹ H
  const reduced = triangularSolveP(l, adjointP(left), lower); // L⁻¹ (L⁻¹ H)ᴴ = L⁻¹ H L⁻ᴴ
  const [w, y] = eighP(hermitianPart(reduced));
  const c = triangularSolveP(l, y, { lower: true, transposeA: true, conjugateA: true }); // L⁻ᴴ y
  return [w, c];
}
