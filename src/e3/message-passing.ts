// Message-passing helpers over a graph of directed edges (diffmol's edge convention, see
// src/models/graph.ts: edge e goes from senders[e] to receivers[e], messages are summed into the
// receivers). Gathers are np.take, sums are np.segmentSum: jit fuses a gather → elementwise →
// segment-sum chain into one loop over the edges.
import { np, stopGradient, Tensor } from "../index.js";

/** x[senders] (rows of node features at each edge's source). */
export function gatherSource(x: Tensor, senders: Tensor): Tensor {
  return np.take(x, senders, 0);
}

/** x[receivers] (rows of node features at each edge's destination). */
export function gatherDestination(x: Tensor, receivers: Tensor): Tensor {
  return np.take(x, receivers, 0);
}

function checkIds(data: Tensor, ids: Tensor, where: string): void {
  if (ids.ndim !== 1 || data.ndim < 1 || ids.shape[0] !== data.shape[0]) {
    throw new Error(`${where}: ids of shape [${ids.shape.join(", ")}] must be 1-D with one id per row of data (shape [${data.shape.join(", ")}])`);
  }
}

/** out[s] = Σ_{e: ids[e] = s} data[e], [numSegments, ...]. */
export function indexedSum(data: Tensor, ids: Tensor, numSegments: number): Tensor {
  checkIds(data, ids, "indexedSum");
  return np.segmentSum(data, ids, numSegments);
}

/**
 * out[s] = max_{e: ids[e] = s} data[e] (−∞ for a segment without rows, as jax.ops.segment_max).
 * Computed as a masked max over a [numSegments, E, ...] view, so its cost is O(numSegments·E):
 * fine for the per-graph or per-atom sizes it is meant for; the gradient goes to the maxima.
 */
export function indexedMax(data: Tensor, ids: Tensor, numSegments: number): Tensor {
  checkIds(data, ids, "indexedMax");
  const seg = np.arange(numSegments).reshape([numSegments, ...new Array<number>(data.ndim).fill(1)]);
  const mask = np.equal(ids.reshape([1, ids.shape[0], ...new Array<number>(data.ndim - 1).fill(1)]), seg);
  return np.max(np.where(mask, data.expandDims(0), -Infinity), 1);
}

/**
 * Softmax over the rows of each segment: exp(data[e] − m) / Σ_{e' in segment} exp(data[e'] − m),
 * with m the segment's maximum (held constant for the derivative, which leaves the softmax and its
 * gradient unchanged and keeps the exponentials from overflowing).
 */
export function indexedSoftmax(data: Tensor, ids: Tensor, numSegments: number): Tensor {
  checkIds(data, ids, "indexedSoftmax");
  const m = stopGradient(indexedMax(data, ids, numSegments));
  const e = np.exp(data.sub(np.take(m, ids, 0)));
  const z = np.segmentSum(e, ids, numSegments);
  return e.div(np.take(z, ids, 0));
}
