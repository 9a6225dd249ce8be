// The Clebsch–Gordan tensor product of two irreps arrays, channel by channel:
//   out[..., (p3,l3,c), f] = Σ_paths w[..., path, f] Σ_{a,b} C^{l1 l2 l3}_{a b c} x1[..., (p1,l1,a), f] x2[..., (p2,l2,b), f]
// x2 may have one channel (broadcast over f), e.g. the spherical harmonics of an edge direction;
// the weights may be per path and channel [nPaths, F], or per sample [..., nPaths, F] (e.g. from
// a radial network — the "fused" convolution of NequIP-style models), or absent (all 1).
// Implemented on the sparse table of coupling.ts by the sparseContraction primitive (one loop over
// samples × non-zero entries × channels; its jvp and transposes are the same loop with the roles
// of the operands permuted, so no [samples, entries, channels] intermediates exist in any
// direction — see sparse-contraction.ts).
import { np, Tensor } from "../index.js";
import { IrrepsSpec, couplingPaths, sparseCoupling } from "./coupling.js";
import { contract, registerTable } from "./sparse-contraction.js";
import { layoutOf, numRows } from "./irreps.js";

export interface TensorProductOptions {
  /** Maximum degree of the output (default: the larger of the two inputs'). */
  maxDegree?: number;
  /** Parity layout of the output (default: 2 if either input has 2, else 1). */
  parity?: 1 | 2;
  /** Path weights: [nPaths, F], or [..., nPaths, F] per sample; default all ones. */
  weights?: Tensor | null;
}

/** The output layout that tensorProduct gives for these inputs and options. */
export function outputSpec(in1: IrrepsSpec, in2: IrrepsSpec, opts: { maxDegree?: number; parity?: 1 | 2 } = {}): IrrepsSpec {
  return {
    maxDegree: opts.maxDegree ?? Math.max(in1.maxDegree, in2.maxDegree),
    parity: opts.parity ?? (in1.parity === 2 || in2.parity === 2 ? 2 : 1),
  };
}

/** Number of paths (weights per channel) of a tensor product with these layouts. */
export function numPaths(in1: IrrepsSpec, in2: IrrepsSpec, out: IrrepsSpec): number {
  return couplingPaths(in1, in2, out).length;
}

/** Registers the coupling table of these layouts with the contraction primitive; returns its key. */
function tableKey(in1: IrrepsSpec, in2: IrrepsSpec, out: IrrepsSpec): { key: string; nPaths: number } {
  const key = `cg:${in1.parity},${in1.maxDegree}|${in2.parity},${in2.maxDegree}|${out.parity},${out.maxDegree}`;
  const t = sparseCoupling(in1, in2, out);
  registerTable(key, {
    idx: [t.row1, t.row2, t.path, t.rowOut],
    rows: [in1.parity * numRows(in1.maxDegree), in2.parity * numRows(in2.maxDegree), t.paths.length, out.parity * numRows(out.maxDegree)],
    coef: t.coef,
  });
  return { key, nPaths: t.paths.length };
}

function broadcastLead(...shapes: number[][]): number[] {
  const n = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(n).fill(1);
  for (const s of shapes) s.forEach((d, i) => {
    const j = n - s.length + i;
    if (d !== 1 && out[j] !== 1 && out[j] !== d) throw new Error(`tensorProduct: leading axes [${shapes.map((x) => x.join(", ")).join("] and [")}] cannot be broadcast together`);
    if (d !== 1) out[j] = d;
  });
  return out;
}

/**
 * x1 [..., P1, (L1+1)², F] ⊗ x2 [..., P2, (L2+1)², F or 1] → [..., P3, (L3+1)², F] (leading
 * axes broadcast).
 */
export function tensorProduct(x1: Tensor, x2: Tensor, opts: TensorProductOptions = {}): Tensor {
  const a = layoutOf(x1, "tensorProduct (x1)"), b = layoutOf(x2, "tensorProduct (x2)");
  if (b.features !== 1 && b.features !== a.features) {
    throw new Error(`tensorProduct: x2 has ${b.features} channels; it needs ${a.features} (as x1) or 1; shapes [${x1.shape.join(", ")}] and [${x2.shape.join(", ")}]`);
  }
  const in1 = { parity: a.parity, maxDegree: a.maxDegree }, in2 = { parity: b.parity, maxDegree: b.maxDegree };
  const out = outputSpec(in1, in2, opts);
  const { key, nPaths: nP } = tableKey(in1, in2, out);
  const F = a.features;
  const w = opts.weights ?? null;
  if (w && (w.ndim < 2 || w.shape[w.ndim - 2] !== nP || (w.shape[w.ndim - 1] !== F && w.shape[w.ndim - 1] !== 1))) {
    throw new Error(`tensorProduct: weights must have shape [..., ${nP}, ${F}] (paths, channels), got [${w.shape.join(", ")}]`);
  }
  const lead = broadcastLead(x1.shape.slice(0, -3), x2.shape.slice(0, -3), w ? w.shape.slice(0, -2) : []);
  const E = lead.reduce((p, d) => p * d, 1);
  // Every operand as [E, rows, F or 1] (leading axes broadcast and flattened). A one-channel operand
  // stays one channel: the contraction reads it for every f, which spares an [E, rows, F] copy.
  const flat = (t: Tensor, rows: number) => {
    const c = t.shape[t.ndim - 1];
    return np.broadcastTo(t.reshape([...t.shape.slice(0, -3), rows, c]), [...lead, rows, c]).reshape([E, rows, c]);
  };
  const X1 = flat(x1, a.parity * numRows(a.maxDegree));
  const X2 = flat(x2, b.parity * numRows(b.maxDegree));
  const W = w ? flat(w.reshape([...w.shape.slice(0, -2), 1, nP, w.shape[w.ndim - 1]]), nP) : np.ones([E, nP, 1], { dtype: x1.dtype });
  const y = contract(key, X1, X2, W.astype(x1.dtype));
  return y.reshape([...lead, out.parity, numRows(out.maxDegree), F]);
}

/**
 * A message-passing convolution (the form of NequIP's): for each edge e,
 *   out[receivers[e]] += tensorProduct(x[senders[e]], y[e], weights[e]),
 * with x [N, P1, Q1, F] node features, y [E, P2, Q2, 1 or F] edge attributes (e.g. spherical
 * harmonics of the edge vector), weights [E, nPaths, F] (or null). Returns [numNodes, P3, Q3, F]:
 * a gather of the senders' rows, the contraction, and a segment sum over the receivers.
 */
export function tensorProductConvolution(
  x: Tensor, y: Tensor, weights: Tensor | null, senders: Tensor, receivers: Tensor, numNodes: number,
  opts: { maxDegree?: number; parity?: 1 | 2 } = {},
): Tensor {
  const a = layoutOf(x, "tensorProductConvolution (x)"), b = layoutOf(y, "tensorProductConvolution (y)");
  if (x.ndim !== 4 || y.ndim !== 4) throw new Error(`tensorProductConvolution: x must be [N, P, Q, F] and y [E, P, Q, F or 1]; got [${x.shape.join(", ")}] and [${y.shape.join(", ")}]`);
  const E = y.shape[0];
  if (senders.shape.length !== 1 || senders.shape[0] !== E || receivers.shape.length !== 1 || receivers.shape[0] !== E) {
    throw new Error(`tensorProductConvolution: senders [${senders.shape.join(", ")}] and receivers [${receivers.shape.join(", ")}] must be [E] with E = ${E} (y's first axis)`);
  }
  const in1 = { parity: a.parity, maxDegree: a.maxDegree }, in2 = { parity: b.parity, maxDegree: b.maxDegree };
  const nP = numPaths(in1, in2, outputSpec(in1, in2, opts));
  if (weights && (weights.ndim !== 3 || weights.shape[0] !== E || weights.shape[1] !== nP)) {
    throw new Error(`tensorProductConvolution: weights must have shape [${E}, ${nP}, ${a.features}] (edges, paths, channels), got [${weights.shape.join(", ")}]`);
  }
  const m = tensorProduct(np.take(x, senders, 0), y, { ...opts, weights });
  return np.segmentSum(m, receivers, numNodes);
}
