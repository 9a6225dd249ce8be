// The common part of the ML potentials: an atomwise output per atom, scaled and shifted, plus a
// per-element reference energy, summed per structure; and energy → forces → stress by AD.
// Units follow ASE (Å, eV, eV/Å, eV/Å³).
import { np, valueAndGrad, Tensor } from "../index.js";
import type { DType } from "../index.js";
import { Module } from "../nn/index.js";
import { GraphInput, numGraphsOf } from "./graph.js";

/** Non-trainable output normalisation: E_i = stddev · y_i + mean + atomrefs[Z_i]. */
export interface Normalization {
  /** Per-atom shift, eV (default 0). */
  mean?: number;
  /** Per-atom scale, eV (default 1). */
  stddev?: number;
  /** Reference energy per atomic number (index Z), eV, or null for none. */
  atomrefs?: number[] | null;
}

/** The options SchNet and PaiNN share (each documents them in its own options). */
export interface SharedOptions {
  nInteractions?: number;
  nFeatures?: number;
  cutoff?: number;
  maxZ?: number;
  dtype?: DType;
}

/**
 * Base class of the potentials (SchNet, PaiNN). Subclasses implement `atomwise(batch)` (the raw
 * per-atom output y_i, [Ntot]); this class adds the normalisation and the per-graph sum. The
 * normalisation is static (not trained, like schnetpack's buffers); set it with
 * `withNormalization` (or `fitNormalization` in train.ts).
 */
export abstract class Potential extends Module {
  /** Message/interaction blocks. */
  declare readonly nInteractions: number;
  /** Feature width. */
  declare readonly nFeatures: number;
  /** Parameter dtype; batches must use the same. */
  declare readonly dtype: DType;
  /** Radial cutoff, Å. */
  declare readonly cutoff: number;
  /** Atomic numbers must be < maxZ. */
  declare readonly maxZ: number;
  /** Output normalisation (static, not trained); see `withNormalization`. */
  declare readonly mean: number;
  declare readonly stddev: number;
  declare readonly atomrefs: number[] | null;

  /** Raw per-atom outputs y_i, [Ntot]. */
  abstract atomwise(batch: GraphInput): Tensor;

  /** Per-atom energies E_i = stddev·y_i + mean + atomrefs[Z_i], [Ntot] (eV). */
  atomicEnergies(batch: GraphInput): Tensor {
    let e = this.atomwise(batch);
    if (this.stddev !== 1) e = e.mul(this.stddev);
    if (this.mean !== 0) e = e.add(this.mean);
    if (this.atomrefs) e = e.add(np.take(np.array(this.atomrefs, { dtype: e.dtype }), batch.species, 0));
    return e;
  }

  /** Energy per structure, [G] (eV). */
  energy(batch: GraphInput): Tensor {
    return np.segmentSum(this.atomicEnergies(batch), batch.graphIndex, numGraphsOf(batch));
  }

  /** Same as energy(batch). */
  call(batch: GraphInput): Tensor {
    return this.energy(batch);
  }

  /**
   * Sets the fields SchNet and PaiNN share from their options, with the defaults (3 blocks of 64
   * features, cutoff 5 Å, maxZ 100, float64, no normalisation yet) and the checks; `name` is for
   * the errors. Call it first in a subclass constructor (whose class declares these fields).
   */
  protected initShared(name: string, opts: SharedOptions): void {
    const w = this as unknown as Record<keyof SharedOptions | "mean" | "stddev" | "atomrefs", unknown>;
    w.nInteractions = opts.nInteractions ?? 3;
    w.nFeatures = opts.nFeatures ?? 64;
    w.cutoff = opts.cutoff ?? 5.0;
    w.maxZ = opts.maxZ ?? 100;
    w.dtype = opts.dtype ?? "float64";
    w.mean = 0;
    w.stddev = 1;
    w.atomrefs = null;
    const n = w.nInteractions as number;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name}: nInteractions must be a positive integer, got ${n}`);
    if (!((w.cutoff as number) > 0)) throw new RangeError(`${name}: cutoff must be positive, got ${w.cutoff}`);
  }

  /** Applies the normalisation the options give, if any (call it once the parameters exist). */
  protected initNormalization(opts: Normalization): void {
    if (opts.mean !== undefined || opts.stddev !== undefined || opts.atomrefs !== undefined) {
      Object.assign(this, this.withNormalization({ mean: opts.mean, stddev: opts.stddev, atomrefs: opts.atomrefs }));
    }
  }

  /** A copy with another output normalisation (parameters shared). */
  withNormalization(norm: Normalization): this {
    const m = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(m, this);
    const w = m as unknown as { mean: number; stddev: number; atomrefs: number[] | null };
    if (norm.mean !== undefined) w.mean = norm.mean;
    if (norm.stddev !== undefined) w.stddev = norm.stddev;
    if (norm.atomrefs !== undefined) {
      if (norm.atomrefs !== null && norm.atomrefs.length > this.maxZ) throw new RangeError(`withNormalization: atomrefs has ${norm.atomrefs.length} entries, more than maxZ = ${this.maxZ}`);
      w.atomrefs = norm.atomrefs === null ? null : Array.from({ length: this.maxZ }, (_, z) => norm.atomrefs![z] ?? 0);
    }
    return m;
  }
}

/** Anything with `energy(batch) → [G]`. */
export interface EnergyModel {
  energy(batch: GraphInput): Tensor;
}

export interface EnergyAndForces {
  /** [G] eV. */
  energy: Tensor;
  /** [Ntot, 3] eV/Å, −∂E/∂R. */
  forces: Tensor;
  /** [G, 3, 3] eV/Å³, (1/V) ∂E/∂ε (ASE's convention, the strain derivative of the energy per volume), for periodic batches. */
  stress?: Tensor;
}

export interface EnergyAndForcesOptions {
  /** Compute the stress (default: when the batch has a cell). */
  stress?: boolean;
}

/**
 * Energy, forces = −∂E/∂R (by reverse-mode AD of the summed energy; structures are independent
 * so the gradient of the sum gives each atom's force) and, for periodic batches, the stress
 * σ = (1/V) ∂E/∂ε: positions and image shifts are deformed by (I + ε) per structure
 * (r → r·(I + ε), rows as vectors) and differentiated at ε = 0.
 */
export function energyAndForces(model: EnergyModel, batch: GraphInput, opts: EnergyAndForcesOptions = {}): EnergyAndForces {
  const wantStress = opts.stress ?? batch.cell != null;
  if (!wantStress) {
    const f = (R: Tensor) => {
      const e = model.energy({ ...batch, positions: R });
      return [e.sum(), e] as [Tensor, Tensor];
    };
    const [[, energy], g] = valueAndGrad(f, { hasAux: true })(batch.positions) as [[Tensor, Tensor], Tensor];
    return { energy, forces: g.neg() };
  }
  if (batch.cell == null) throw new Error("energyAndForces: the stress needs a periodic batch (batch.cell is null)");
  const G = numGraphsOf(batch);
  const dtype = batch.positions.dtype;
  const f = (R: Tensor, eps: Tensor) => {
    const e = model.energy(strained(batch, R, eps));
    return [e.sum(), e] as [Tensor, Tensor];
  };
  const eps0 = np.zeros([G, 3, 3], { dtype });
  const [[, energy], [gR, gEps]] = valueAndGrad(f, { hasAux: true, argnums: [0, 1] })(batch.positions, eps0) as [[Tensor, Tensor], [Tensor, Tensor]];
  const volume = cellVolumes(batch.cell);
  return { energy, forces: gR.neg(), stress: gEps.div(volume.reshape([G, 1, 1])) };
}

/**
 * The batch with positions R, image shifts and cells deformed by x → (I + ε_g) x for each
 * structure g (column vectors; for the row-stored positions r → r (I + ε)ᵀ; cells hold the
 * lattice vectors as columns, so cell → (I + ε) cell). ASE's stress is (1/V) ∂E/∂ε at ε = 0.
 */
export function strained(batch: GraphInput, R: Tensor, eps: Tensor): GraphInput {
  const epsAtom = np.take(eps, batch.graphIndex, 0);                           // [N,3,3]
  const positions = R.add(np.einsum("nj,nij->ni", R, epsAtom));
  const epsEdge = np.take(epsAtom, batch.senders, 0);                          // [E,3,3]
  const shifts = batch.shifts.add(np.einsum("ej,eij->ei", batch.shifts, epsEdge));
  const cell = batch.cell ? batch.cell.add(np.einsum("gik,gkj->gij", eps, batch.cell)) : batch.cell;
  return { ...batch, positions, shifts, cell };
}

/** |det(cell_g)| for cells [G,3,3] (rows or columns: the determinant is the same), [G]. */
export function cellVolumes(cell: Tensor): Tensor {
  const c = (i: number, j: number) => cell.slice(":", i, j);
  const det = c(0, 0).mul(c(1, 1).mul(c(2, 2)).sub(c(1, 2).mul(c(2, 1))))
    .sub(c(0, 1).mul(c(1, 0).mul(c(2, 2)).sub(c(1, 2).mul(c(2, 0)))))
    .add(c(0, 2).mul(c(1, 0).mul(c(2, 1)).sub(c(1, 1).mul(c(2, 0)))));
  return det.abs();
}

/** −∂E/∂R only (no stress), as a function usable inside grad/jit (the loss differentiates it again). */
export function forcesOf(model: EnergyModel, batch: GraphInput): { energy: Tensor; forces: Tensor } {
  const r = energyAndForces(model, batch, { stress: false });
  return { energy: r.energy, forces: r.forces };
}
