// Eigen-decomposition of Hermitian matrices carried as { re, im }, through the core's complex128
// `np.linalg.eigh` (and `eighGeneralized` for H c = E S c). Eigenvalues come back real and
// ascending and differentiate exactly (∂ε_n = ⟨n|∂H|n⟩); eigenvectors are complex columns whose
// derivative is the usual perturbation sum over other bands, singular at degeneracies.
import { np, Tensor } from "../index.js";
import type { ComplexPair } from "./hamiltonian.js";

/** The complex128 tensor re + i·im. */
export function toComplex(h: ComplexPair): Tensor {
  return np.complex(h.re, h.im);
}

/** [eigenvalues [..., n] (float64, ascending), eigenvectors [..., n, n] (complex128 columns)]; differentiable. */
export function hermitianEigh(h: ComplexPair): [Tensor, Tensor] {
  return np.linalg.eigh(toComplex(h));
}

/** Eigenvalues [..., n] (ascending) of Hermitian { re, im } [..., n, n]; differentiable. */
export function eigvalsh(h: ComplexPair): Tensor {
  return hermitianEigh(h)[0];
}

/** Eigenvalues of H c = E S c for Hermitian H and positive-definite S; differentiable. */
export function generalizedEigvalsh(h: ComplexPair, s: ComplexPair): Tensor {
  return np.linalg.eighGeneralized(toComplex(h), toComplex(s))[0];
}

export interface HermitianEigen {
  /** Eigenvalues [batch][n], ascending. */
  values: Float64Array[];
  /** Eigenvectors as columns: re/im [batch][n·n] row-major (column m is eigenvector m). */
  re: Float64Array[];
  im: Float64Array[];
  n: number;
}

/**
 * Eigenvalues and eigenvectors of a batch of Hermitian matrices [nk, n, n] (or one [n, n]) as
 * plain numbers: orthonormal, or with an overlap `s` the solutions of H c = E S c normalised to
 * cᴴ S c = 1.
 */
export function eighHermitian(h: ComplexPair, s?: ComplexPair): HermitianEigen {
  const batch = (x: Tensor) => (x.ndim === 2 ? x.reshape([1, ...x.shape]) : x);
  const re3 = batch(h.re), im3 = batch(h.im);
  const n = re3.shape[2], nb = re3.shape[0];
  const [w, v] = s
    ? np.linalg.eighGeneralized(np.complex(re3, im3), np.complex(batch(s.re), batch(s.im)))
    : hermitianEigh({ re: re3, im: im3 });
  const W = w.data(), VR = np.real(v).data(), VI = np.imag(v).data();
  const out: HermitianEigen = { values: [], re: [], im: [], n };
  for (let b = 0; b < nb; b++) {
    out.values.push(Float64Array.from(W.subarray(b * n, (b + 1) * n)));
    out.re.push(Float64Array.from(VR.subarray(b * n * n, (b + 1) * n * n)));
    out.im.push(Float64Array.from(VI.subarray(b * n * n, (b + 1) * n * n)));
  }
  return out;
}
