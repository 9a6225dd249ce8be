// What a tight-binding model is: orbitals per atom, onsite energies, and hopping (and optionally
// overlap) blocks as differentiable functions of bond vectors. Shipped models live in models/;
// a learned model (learned.ts) fills the same interface with a network.
import type { Tensor } from "../index.js";

export interface TightBindingModel {
  /** A short name for messages. */
  name: string;
  /** Orbital names on every atom, in block order (every atom carries the same set), e.g. ["s", "px", "py", "pz"]. */
  orbitals: readonly string[];
  /** Onsite energies of the orbitals of an atom of this species (one per orbital). */
  onsite: (species: number) => readonly number[];
  /**
   * Hopping blocks ⟨α, A|H|β, B⟩ for bond vectors d = R_B − R_A [nb, 3] → [nb, norb, norb].
   * `speciesA`/`speciesB` give the species of each bond's ends.
   */
  hopping: (d: Tensor, speciesA: readonly number[], speciesB: readonly number[]) => Tensor;
  /** Overlap blocks ⟨α, A|β, B⟩ (same shape); absent for an orthogonal model (S = I). */
  overlap?: (d: Tensor, speciesA: readonly number[], speciesB: readonly number[]) => Tensor;
  /** Bonds up to this length (Å) carry hopping. */
  cutoff: number;
  /** Pair repulsion φ(r) (eV) per bond, counted once per pair: E_rep = ½ Σ_directed φ. */
  repulsion?: (r: Tensor) => Tensor;
}

/** Orbitals per atom. */
export function orbitalCount(model: TightBindingModel): number {
  return model.orbitals.length;
}
