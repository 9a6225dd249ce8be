// Wigner-D matrices of the real basis: D(R) with Y(R x) = D(R) Y(x) for every x, as one
// block-diagonal [(L+1)², (L+1)²] matrix (block l acts on rows l²..(l+1)²−1).
//
// Computed by projection on an exact quadrature grid: with orthonormal Y,
//   D^l_{ab}(R) = ∫ Y_la(R x) Y_lb(x) dΩ = Σ_k w_k Y_la(R x_k) Y_lb(x_k),
// exact because the integrand is a polynomial of degree 2l on the sphere. The normalisation of
// D does not depend on that of Y (Racah and orthonormal differ per degree only). Built from np
// ops, so D is differentiable in R and works under jit/vmap.
//
// For an improper R (det −1) this D is the action on Y, i.e. on the natural-parity irreps (P = 1
// layout); an irrep of parity p ∈ {0 even, 1 odd} at degree l transforms with det(R)^(p+l)·D^l(R)
// (see rotateIrreps).
import { np, Tensor } from "../index.js";
import { degreeOfRows, layoutOf, numRows } from "./irreps.js";
import { sphericalHarmonics } from "./spherical-harmonics.js";
import { sphereQuadrature } from "./quadrature.js";

/** Block-diagonal D(R) [..., (L+1)², (L+1)²] for R [..., 3, 3] (rotation or reflection). */
export function wignerD(R: Tensor, maxDegree: number): Tensor {
  if (R.ndim < 2 || R.shape[R.ndim - 1] !== 3 || R.shape[R.ndim - 2] !== 3) throw new Error(`wignerD: R must have shape [..., 3, 3], got [${R.shape.join(", ")}]`);
  const { points, weights } = sphereQuadrature(2 * maxDegree, { dtype: R.dtype });
  const Y = sphericalHarmonics(points, maxDegree, { normalization: "orthonormal" });        // [n, Q]
  const Rx = np.einsum("...ij,nj->...ni", R, points);                                      // [..., n, 3]
  const YR = sphericalHarmonics(Rx, maxDegree, { normalization: "orthonormal" });          // [..., n, Q]
  const full = np.einsum("...na,nb->...ab", YR.mul(weights.expandDims(-1)), Y);            // [..., Q, Q]
  // Keep only the diagonal blocks (the off-block entries are zero up to rounding).
  const deg = degreeOfRows(maxDegree);
  const Q = numRows(maxDegree);
  const mask = new Float64Array(Q * Q);
  for (let a = 0; a < Q; a++) for (let b = 0; b < Q; b++) mask[a * Q + b] = deg[a] === deg[b] ? 1 : 0;
  return full.mul(np.array(mask, { dtype: R.dtype }).reshape([Q, Q]));
}

/**
 * x' = the irreps array x [..., P, (L+1)², F] transformed by R [3, 3] ∈ O(3): the features a
 * network should produce from inputs transformed by R, for testing equivariance.
 */
export function rotateIrreps(x: Tensor, R: Tensor): Tensor {
  const { parity: P, maxDegree: L } = layoutOf(x, "rotateIrreps");
  const D = wignerD(R, L);                                                                   // [Q, Q]
  const y = np.einsum("ab,...pbf->...paf", D, x);
  if (P === 1) return y;
  // Slot p at degree l transforms with det^(p + l)·D_Y (D_Y already carries det^l for degree l).
  const d = np.linalg.det(R);
  const deg = degreeOfRows(L);
  const oddMask = np.array([0, 1].flatMap((p) => deg.map((l) => (p + l) % 2)), { dtype: x.dtype }).reshape([2, deg.length, 1]);
  // sign = 1 + oddMask·(det − 1): det where p + l is odd, 1 elsewhere.
  return y.mul(oddMask.mul(d.sub(1)).add(1));
}
