// Bloch sums: H(k)_{iα, jβ} = δ_ij ε_α + Σ_T e^{i k·T} h_{iα, jβ}(R_j + T − R_i).
// The phase uses the lattice translation T only ("convention I", the atomic-orbital gauge), so
// H(k) depends on atomic displacements only through the hopping blocks, not through phases;
// this keeps ∂H/∂u simple. Band energies do not depend on the choice of gauge.
//
// A complex matrix is carried as its real and imaginary parts ({ re, im }, float64) so every step
// is an ordinary real np operation that grad, jacfwd and vmap see through.
import { np, Tensor } from "../index.js";
import type { TightBindingModel } from "./model.js";
import { orbitalCount } from "./model.js";
import { Bonds, Crystal, bondTranslations, bondVectors, findBonds } from "./lattice.js";

/** A complex tensor as real and imaginary parts of the same shape. */
export interface ComplexPair {
  re: Tensor;
  im: Tensor;
}

/** Everything about a crystal and model that does not change under small displacements. */
export interface TightBindingSystem {
  model: TightBindingModel;
  crystal: Crystal;
  bonds: Bonds;
  /** Atoms N, orbitals per atom, matrix size N·norb. */
  atoms: number;
  orbitals: number;
  size: number;
  /** Lattice translation of each bond [nb, 3]. */
  translations: Tensor;
  /** Scatter matrices: bond b's block lands at rows of atom i_b and columns of atom j_b ([nb, N] one-hot). */
  rowOf: Tensor;
  colOf: Tensor;
  /** Onsite energies on the diagonal [N·norb]. */
  onsite: Tensor;
  speciesI: number[];
  speciesJ: number[];
}

/** Find the bonds of `crystal` within the model's cutoff and set up the bookkeeping. */
export function system(model: TightBindingModel, crystal: Crystal): TightBindingSystem {
  const bonds = findBonds(crystal, model.cutoff);
  const N = crystal.positions.shape[0];
  const norb = orbitalCount(model);
  const species = crystal.species ?? Array.from({ length: N }, () => 0);
  const oneHot = (idx: number[]) => np.array(idx.map((a) => Array.from({ length: N }, (_, k) => (k === a ? 1 : 0))));
  const onsite = species.flatMap((s) => {
    const e = model.onsite(s);
    if (e.length !== norb) throw new Error(`tb.system: ${model.name}.onsite(${s}) gives ${e.length} energies for ${norb} orbitals`);
    return [...e];
  });
  if (bonds.i.length === 0) throw new Error(`tb.system: no bonds shorter than the ${model.name} cutoff ${model.cutoff} in this crystal`);
  return {
    model, crystal, bonds, atoms: N, orbitals: norb, size: N * norb,
    translations: bondTranslations(crystal.cell, bonds),
    rowOf: oneHot(bonds.i), colOf: oneHot(bonds.j),
    onsite: np.array(onsite),
    speciesI: bonds.i.map((a) => species[a]), speciesJ: bonds.j.map((a) => species[a]),
  };
}

/** Hopping blocks [nb, norb, norb] at positions R [N, 3] (differentiable in R). */
export function hoppingBlocks(sys: TightBindingSystem, positions: Tensor = sys.crystal.positions): Tensor {
  return sys.model.hopping(bondVectors(positions, sys.crystal.cell, sys.bonds), sys.speciesI, sys.speciesJ);
}

/** Overlap blocks, or null for an orthogonal model. */
export function overlapBlocks(sys: TightBindingSystem, positions: Tensor = sys.crystal.positions): Tensor | null {
  return sys.model.overlap ? sys.model.overlap(bondVectors(positions, sys.crystal.cell, sys.bonds), sys.speciesI, sys.speciesJ) : null;
}

/** Each bond's block placed in a full real-space matrix, flattened: [nb, size·size]. */
export function placeBlocks(sys: TightBindingSystem, blocks: Tensor): Tensor {
  const full = np.einsum("bi,bxy,bj->bixjy", sys.rowOf, blocks, sys.colOf);
  return full.reshape([blocks.shape[0], sys.size * sys.size]);
}

/** Phases k·T for Cartesian k [nk, 3]: [nk, nb]. */
export function bondPhases(sys: TightBindingSystem, k: Tensor): Tensor {
  return np.matmul(k, sys.translations.T);
}

/**
 * Σ_b e^{i k·T_b} B_b for placed blocks [nb, size²] and Cartesian k [nk, 3]:
 * { re, im } each [nk, size, size].
 */
export function blochSum(sys: TightBindingSystem, placed: Tensor, k: Tensor): ComplexPair {
  const phase = bondPhases(sys, k);
  const shape = [k.shape[0], sys.size, sys.size];
  return { re: np.matmul(np.cos(phase), placed).reshape(shape), im: np.matmul(np.sin(phase), placed).reshape(shape) };
}

/** H(k) for Cartesian k [nk, 3] at positions R (default the crystal's): { re, im } [nk, n, n]. */
export function hamiltonian(sys: TightBindingSystem, k: Tensor, positions?: Tensor): ComplexPair {
  const kk = checkK(sys, k);
  const h = blochSum(sys, placeBlocks(sys, hoppingBlocks(sys, positions)), kk);
  return { re: np.add(h.re, np.diag(sys.onsite)), im: h.im };
}

/** S(k) (identity for an orthogonal model). */
export function overlap(sys: TightBindingSystem, k: Tensor, positions?: Tensor): ComplexPair {
  const kk = checkK(sys, k);
  const blocks = overlapBlocks(sys, positions);
  const eye = np.eye(sys.size);
  if (!blocks) return { re: np.broadcastTo(eye, [kk.shape[0], sys.size, sys.size]), im: np.zeros([kk.shape[0], sys.size, sys.size]) };
  const s = blochSum(sys, placeBlocks(sys, blocks), kk);
  return { re: np.add(s.re, eye), im: s.im };
}

function checkK(sys: TightBindingSystem, k: Tensor): Tensor {
  const kk = k.ndim === 1 ? k.reshape([1, -1]) : k;
  if (kk.ndim !== 2 || kk.shape[1] !== 3) throw new Error(`tb.hamiltonian: k must be Cartesian [nk, 3] (or one [3]), got [${k.shape}] for ${sys.model.name}`);
  return kk;
}
