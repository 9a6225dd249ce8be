// Graph batches and the geometric building blocks shared by the message-passing potentials:
// edge vectors with periodic images, a norm with a finite gradient at r = 0, the cosine cutoff
// and the radial bases (Gaussian for SchNet, sinc/Bessel for PaiNN). Units follow ASE: Å, eV.
//
// Edge convention (the same as diffmol/io's collate): an edge e points from atom senders[e] to
// atom receivers[e] seen through the periodic image shifts[e] (Cartesian, Å), so
//     r_e = positions[receivers[e]] − positions[senders[e]] + shifts[e],
// and messages flow from senders into receivers (segmentSum over receivers). Edges are directed
// and listed in both directions. Everything here is browser-safe (no Node imports; the
// io/graph-batch.ts module imported for the type is browser-safe too).
import { np, Tensor } from "../index.js";
import type { GraphBatch as IoGraphBatch } from "../io/graph-batch.js";

/**
 * Many structures concatenated into one graph: `GraphBatch` of diffmol/io, made by
 * `collate(frames, { cutoff, dtype })` (cell [G,3,3] with lattice vectors as COLUMNS).
 */
export type GraphBatch = IoGraphBatch;

/**
 * The fields the models read. Any `GraphBatch` is one; hand-built batches need only these
 * (numGraphs is read from numAtoms.shape[0], static under jit; cell only for the stress volume).
 */
export type GraphInput = Pick<IoGraphBatch, "positions" | "species" | "graphIndex" | "numAtoms" | "senders" | "receivers" | "shifts" | "cell">
  & Partial<Omit<IoGraphBatch, "positions" | "species" | "graphIndex" | "numAtoms" | "senders" | "receivers" | "shifts" | "cell">>;

/** Number of graphs, read from a shape so that it stays a static number under jit. */
export function numGraphsOf(batch: Pick<GraphInput, "numAtoms">): number {
  return batch.numAtoms.shape[0];
}

/** r_e = positions[receivers] − positions[senders] + shifts, [E, 3]. */
export function edgeVectors(positions: Tensor, senders: Tensor, receivers: Tensor, shifts: Tensor): Tensor {
  return np.take(positions, receivers, 0).sub(np.take(positions, senders, 0)).add(shifts);
}

/**
 * |v| over the last axis with a finite (zero) gradient at v = 0: sqrt is taken of r² where
 * r² > 0 and of 1 elsewhere, and the result is selected, so neither branch produces NaN.
 */
export function safeNorm(v: Tensor, axis = -1, opts: { keepdims?: boolean } = {}): Tensor {
  const r2 = v.mul(v).sum(axis, { keepdims: opts.keepdims ?? false });
  const pos = r2.greater(0);
  return np.where(pos, np.sqrt(np.where(pos, r2, 1)), 0);
}

/** Behler's cosine cutoff ½(cos(πr/rc) + 1) for r < rc, 0 beyond (smooth to first order). */
export function cosineCutoff(r: Tensor, cutoff: number): Tensor {
  const f = np.cos(r.mul(Math.PI / cutoff)).add(1).mul(0.5);
  return np.where(r.less(cutoff), f, 0);
}

/**
 * Gaussians exp(−(r − μ_k)² / 2w²) with n centres μ_k evenly spaced on [start, cutoff] and width
 * w the spacing (schnetpack's GaussianRBF). r of shape [...] → [..., n].
 */
export function gaussianRBF(r: Tensor, n: number, cutoff: number, start = 0): Tensor {
  const width = n > 1 ? (cutoff - start) / (n - 1) : cutoff - start;
  const centres = np.linspace(start, cutoff, n, { dtype: r.dtype });
  const d = r.expandDims(-1).sub(centres);
  return np.exp(d.mul(d).mul(-0.5 / (width * width)));
}

/**
 * sin(kπr/rc)/r for k = 1..n (PaiNN's radial basis; schnetpack's BesselRBF without the
 * √(2/rc) factor, which the filter layer absorbs). At r = 0 the quotient is replaced by
 * sin(·)/1 = 0 so values and gradients stay finite. r [...] → [..., n].
 */
export function besselRBF(r: Tensor, n: number, cutoff: number): Tensor {
  const k = np.arange(1, n + 1, 1, { dtype: r.dtype }).mul(Math.PI / cutoff);
  const rr = r.expandDims(-1);
  const s = np.sin(rr.mul(k));
  const nz = rr.greater(0);
  return s.div(np.where(nz, rr, 1));
}

/** The dtype of a batch's positions (models create their constants in it). */
export function batchDtype(batch: Pick<GraphInput, "positions">) {
  return batch.positions.dtype;
}
