// diffmol/e3: E(3)-equivariant building blocks in the spirit of E3x. Conventions (feature layout
// [..., P, (L+1)², F], real spherical harmonics with m = −l..l and degree-1 rows (y, z, x), Racah
// or orthonormal normalisation, the real-basis Clebsch–Gordan coefficients) are documented in
// docs/e3.md and at the top of irreps.ts and solid-harmonics.ts.
export {
  numRows, maxDegreeFromRows, degreeOfRows, layoutOf, parityOf, changeMaxDegreeOrType, add,
  fromCartesianVector, toCartesianVector, fromTracelessSymmetric, toTracelessSymmetric,
} from "./irreps.js";
export type { IrrepsLayout } from "./irreps.js";
export { MAX_DEGREE, monomials, solidHarmonicCoefficients } from "./solid-harmonics.js";
export type { Normalization } from "./solid-harmonics.js";
export { sphericalHarmonics, solidHarmonics } from "./spherical-harmonics.js";
export type { HarmonicsOptions } from "./spherical-harmonics.js";
export { clebschGordan, clebschGordanArray, clebschGordanDense, complexClebschGordan } from "./clebsch-gordan.js";
export { gaussLegendre, sphereQuadrature } from "./quadrature.js";
export type { SphereQuadrature } from "./quadrature.js";
export { randomRotation, rotationFromQuaternion, rotationFromAxisAngle } from "./rotations.js";
export type { RandomRotationOptions } from "./rotations.js";
export { wignerD, rotateIrreps } from "./wigner-d.js";
export { couplingPaths, sparseCoupling } from "./coupling.js";
export type { IrrepsSpec, CouplingPath, SparseCoupling } from "./coupling.js";
export { tensorProduct, tensorProductConvolution, outputSpec, numPaths } from "./tensor-product.js";
export type { TensorProductOptions } from "./tensor-product.js";
export { Dense, EquivariantDense } from "./dense.js";
export type { EquivariantDenseOptions } from "./dense.js";
export { TensorProduct, TensorDense } from "./tensor-layers.js";
export type { TensorProductLayerOptions, TensorDenseOptions } from "./tensor-layers.js";
export { gated, normActivation } from "./activations.js";
export {
  gaussian, sinc, bessel, chebyshev, bernstein, reciprocalMap, exponentialMap,
  reciprocalGaussian, exponentialGaussian, reciprocalSinc, exponentialSinc,
  reciprocalChebyshev, exponentialChebyshev, reciprocalBernstein, exponentialBernstein,
} from "./radial.js";
export type { BasisOptions } from "./radial.js";
export { cosineCutoff, polynomialCutoff, smoothWindow } from "./cutoffs.js";
export { gatherSource, gatherDestination, indexedSum, indexedMax, indexedSoftmax } from "./message-passing.js";
export { safeNorm } from "./safe-norm.js";
