// Contracts shared by the md modules (space, partition, energy, simulate, minimize, quantity).
import type { Tensor } from "../index.js";

/**
 * A neighbour list with a fixed capacity (so jitted code sees constant shapes). Sparse format:
 * pair k is (i[k], j[k]) when mask[k] is true; padded slots point at atom 0 with mask false.
 * Dense format: i is [N, maxNeighbors] row ids (i[a, :] = a), j the neighbour ids, mask likewise.
 */
export interface NeighborList {
  format: "sparse" | "dense";
  /** Half lists hold each pair once (i < j); full lists hold both (i, j) and (j, i). */
  half: boolean;
  i: Tensor;
  j: Tensor;
  mask: Tensor;
  /** Number of slots (pairs for sparse, neighbours per atom for dense). */
  capacity: number;
  /** How many slots the last build needed (≤ capacity unless it overflowed). */
  needed: number;
  /** True when the last build needed more slots than the capacity: the list is incomplete. */
  overflow: boolean;
  /** Positions at the last build; a rebuild happens when any atom moved more than skin / 2. */
  referencePositions: Tensor;
  cutoff: number;
  skin: number;
}

/** Extra arguments an energy or force function may take besides positions. */
export interface EnergyArgs {
  neighbor?: NeighborList;
  /** Cell override (periodicGeneral [d, d], or side lengths) — NPT and stress differentiate through it. */
  box?: Tensor;
  /** Per-atom species (int32 [N]) for multi-species parameters. */
  species?: Tensor;
}

/** Potential energy (scalar) of positions R ([N, d]). */
export type EnergyFn = (R: Tensor, args?: EnergyArgs) => Tensor;
