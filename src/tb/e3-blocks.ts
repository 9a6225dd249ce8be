// Hopping blocks from diffmol/e3: the p–p block of a bond as an equivariant tensor product,
//   B_{m1 m2}(d) = Σ_{L ∈ {0, 2}} c_L(r) Σ_M C^{1 1 L}_{m1 m2 M} Y_LM(d̂),
// with e3's real spherical harmonics Y and real Clebsch–Gordan coefficients C (the way
// equivariant Hamiltonian networks assemble l ⊗ l′ blocks from output irreps). The invariant
// coefficients c_L(r) come from a network; L = 1 is absent because a homonuclear p–p block is
// symmetric. e3 orders degree-1 rows (y, z, x); tb orders orbitals (x, y, z), so the block is
// permuted on the way out. For a bond alone this spans exactly the Slater–Koster p–p blocks
// (c0, c2 are linear combinations of ppσ and ppπ; the test checks it).
import { np, Tensor } from "../index.js";
import { sphericalHarmonics, clebschGordan } from "../e3/index.js";

/** tb (x, y, z) ← e3 (y, z, x): row k of the tb block is row E3_ROW[k] of the e3 block. */
const E3_ROW = [2, 0, 1];

/** The p–p block [nb, 3, 3] (tb order px, py, pz) for bond vectors d [nb, 3] and invariant coefficients c0, c2 [nb]. */
export function e3PBlock(d: Tensor, c0: Tensor, c2: Tensor): Tensor {
  const r = np.sqrt(np.sum(np.square(d), -1));
  const Y = sphericalHarmonics(np.divide(d, np.expandDims(r, -1)), 2); // [nb, 9]: l = 0 (1), 1 (3), 2 (5)
  const Y0 = Y.slice([], [0, 1]), Y2 = Y.slice([], [4, 9]);
  const part0 = np.einsum("abm,nm->nab", clebschGordan(1, 1, 0), Y0).mul(np.expandDims(np.expandDims(c0, -1), -1));
  const part2 = np.einsum("abm,nm->nab", clebschGordan(1, 1, 2), Y2).mul(np.expandDims(np.expandDims(c2, -1), -1));
  const block = np.add(part0, part2);
  return np.take(np.take(block, E3_ROW, 1), E3_ROW, 2);
}

/** A BlockAssembler (learned.ts) for the graphene pz model: integrals "c0" and "c2" → the pz–pz element. */
export function e3PzAssembler(d: Tensor, integrals: Record<string, Tensor>): Tensor {
  return e3PBlock(d, integrals["c0"], integrals["c2"]).slice([], [2, 3], [2, 3]);
}
