// Products: matmul, dot, einsum, outer, cross, tensordot, trace — all on dotGeneral.
import { DenseTensor, scalarDense } from "../dense.js";
import { dotGeneralP } from "../primitives/dot-general.js";
import { scatterAddP, takeP } from "../primitives/gather.js";
import { broadcastP, reshapeP, transposeP } from "../primitives/structural.js";
import { reduceSumP } from "../primitives/reductions.js";
import { broadcastShapes, fmtShape, normAxis } from "../shape.js";
import { Tensor, TensorLike } from "../tensor.js";
import { promoteAll } from "./coerce.js";
import { conj } from "./complex.js";
import { multiply, subtract } from "./math.js";
import { stack } from "./shape-ops.js";

export function matmul(x: TensorLike, y: TensorLike): Tensor {
  let [a, b] = promoteAll("matmul", [x, y]);
  if (a.ndim === 0 || b.ndim === 0) throw new Error(`matmul: operands must not be scalars (shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)})`);
  const aVec = a.ndim === 1, bVec = b.ndim === 1;
  if (aVec) a = reshapeP(a, [1, a.shape[0]]);
  if (bVec) b = reshapeP(b, [b.shape[0], 1]);
  const k = a.shape[a.ndim - 1];
  if (b.shape[b.ndim - 2] !== k) {
    throw new Error(`matmul: shapes ${fmtShape(x instanceof Tensor ? x.shape : a.shape)} and ${fmtShape(y instanceof Tensor ? y.shape : b.shape)} do not align (${k} ≠ ${b.shape[b.ndim - 2]})`);
  }
  let out: Tensor;
  if (b.ndim === 2) {
    out = dotGeneralP(a, b, { contract: [[a.ndim - 1], [0]], batch: [[], []] });
  } else if (a.ndim === 2) {
    // [m, k] · [..., k, n] → [m, ..., n] → [..., m, n]
    const r = dotGeneralP(a, b, { contract: [[1], [b.ndim - 2]], batch: [[], []] });
    const nb = b.ndim - 2;
    out = transposeP(r, [...Array.from({ length: nb }, (_, i) => i + 1), 0, nb + 1]);
  } else {
    const batch = broadcastShapes("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
    const ab = broadcastP(a, [...batch, ...a.shape.slice(-2)]);
    const bb = broadcastP(b, [...batch, ...b.shape.slice(-2)]);
    const bd = batch.map((_, i) => i);
    out = dotGeneralP(ab, bb, { contract: [[batch.length + 1], [batch.length]], batch: [bd, bd] });
  }
  if (aVec) out = reshapeP(out, [...out.shape.slice(0, -2), out.shape[out.ndim - 1]]);
  if (bVec) out = reshapeP(out, out.shape.slice(0, -1));
  return out;
}

/** NumPy dot: inner product of vectors, matmul of matrices, sum over a's last and b's second-to-last axis. */
export function dot(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = promoteAll("dot", [x, y]);
  if (a.ndim === 0 || b.ndim === 0) return multiply(a, b);
  const cb = Math.max(b.ndim - 2, 0);
  if (a.shape[a.ndim - 1] !== b.shape[cb]) throw new Error(`dot: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} do not align (${a.shape[a.ndim - 1]} ≠ ${b.shape[cb]})`);
  return dotGeneralP(a, b, { contract: [[a.ndim - 1], [cb]], batch: [[], []] });
}
/** Σ conj(x)·y over the flattened inputs (NumPy's vdot conjugates its first argument). */
export function vdot(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = promoteAll("vdot", [x, y]);
  return dot(reshapeP(conj(a), [a.size]), reshapeP(b, [b.size]));
}
export function inner(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = promoteAll("inner", [x, y]);
  return dotGeneralP(a, b, { contract: [[a.ndim - 1], [b.ndim - 1]], batch: [[], []] });
}
export function outer(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = promoteAll("outer", [x, y]);
  return multiply(reshapeP(a, [a.size, 1]), reshapeP(b, [1, b.size]));
}

export function tensordot(x: TensorLike, y: TensorLike, axes: number | [readonly number[], readonly number[]] = 2): Tensor {
  const [a, b] = promoteAll("tensordot", [x, y]);
  const [ca, cb] = typeof axes === "number"
    ? [Array.from({ length: axes }, (_, i) => a.ndim - axes + i), Array.from({ length: axes }, (_, i) => i)]
    : [axes[0].map((i) => normAxis("tensordot", i, a.ndim)), axes[1].map((i) => normAxis("tensordot", i, b.ndim))];
  return dotGeneralP(a, b, { contract: [ca, cb], batch: [[], []] });
}

/** Cross product along the last axis (length 3), broadcasting the rest. */
export function cross(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = promoteAll("cross", [x, y]);
  if (a.shape[a.ndim - 1] !== 3 || b.shape[b.ndim - 1] !== 3) throw new Error(`cross: last axis must have length 3 (shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)})`);
  const c = (t: Tensor, i: number) => takeP(t, new DenseTensor(new Int32Array([i]), [], "int32"), t.ndim - 1);
  const [a0, a1, a2] = [0, 1, 2].map((i) => c(a, i));
  const [b0, b1, b2] = [0, 1, 2].map((i) => c(b, i));
  return stack([subtract(multiply(a1, b2), multiply(a2, b1)), subtract(multiply(a2, b0), multiply(a0, b2)), subtract(multiply(a0, b1), multiply(a1, b0))], -1);
}

export function diagonal(x: TensorLike, offset = 0, axis1 = 0, axis2 = 1): Tensor {
  const [t] = promoteAll("diagonal", [x]);
  const a1 = normAxis("diagonal", axis1, t.ndim), a2 = normAxis("diagonal", axis2, t.ndim);
  const rest = t.shape.map((_, i) => i).filter((i) => i !== a1 && i !== a2);
  const moved = transposeP(t, [...rest, a1, a2]);
  const n = t.shape[a1], m = t.shape[a2];
  const len = Math.max(0, offset >= 0 ? Math.min(n, m - offset) : Math.min(n + offset, m));
  const flatIdx = Int32Array.from({ length: len }, (_, i) => (offset >= 0 ? i * m + i + offset : (i - offset) * m + i));
  const flat = reshapeP(moved, [...moved.shape.slice(0, -2), n * m]);
  return takeP(flat, new DenseTensor(flatIdx, [len], "int32"), flat.ndim - 1);
}
export function trace(x: TensorLike, offset = 0): Tensor {
  const d = diagonal(x, offset);
  return reduceSumP(d, [d.ndim - 1]);
}

// ---- einsum ---------------------------------------------------------------------------------

type Term = { t: Tensor; idx: string[] };

/** einsum with any spec: repeated indices (diagonals), implicit output, "..." broadcasting. */
export function einsum(spec: string, ...operands: TensorLike[]): Tensor {
  const ts = promoteAll("einsum", operands);
  const clean = spec.replace(/\s+/g, "");
  const [lhs, rhsGiven] = clean.includes("->") ? clean.split("->") : [clean, null];
  const inputs = lhs.split(",");
  if (inputs.length !== ts.length) throw new Error(`einsum: spec "${spec}" names ${inputs.length} operands but ${ts.length} were given`);
  const unused = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("").filter((c) => !clean.includes(c));
  const ellipsisRank = (s: string, t: Tensor) => (s.includes("...") ? t.ndim - (s.length - 3) : 0);
  const maxEll = Math.max(0, ...inputs.map((s, i) => ellipsisRank(s, ts[i])));
  // "..." dims are right-aligned across operands, as in NumPy.
  const ellipsisLetters = unused.slice(0, maxEll);
  const terms: Term[] = inputs.map((s, i) => {
    const t = ts[i];
    let letters = s.split("");
    if (s.includes("...")) {
      const [pre, post] = s.split("...");
      const n = ellipsisRank(s, t);
      letters = [...pre.split(""), ...ellipsisLetters.slice(maxEll - n), ...post.split("")];
    }
    if (letters.length !== t.ndim || letters.some((c) => !/^[a-zA-Z]$/.test(c))) {
      throw new Error(`einsum: operand ${i} has shape ${fmtShape(t.shape)} but its subscripts are "${s}"`);
    }
    return { t, idx: letters };
  });
  let out: string[];
  if (rhsGiven === null) {
    const counts = new Map<string, number>();
    for (const term of terms) for (const c of term.idx) counts.set(c, (counts.get(c) ?? 0) + 1);
    out = [...ellipsisLetters, ...[...counts.keys()].filter((c) => counts.get(c) === 1 && !ellipsisLetters.includes(c)).sort()];
  } else {
    out = rhsGiven.includes("...") ? (() => { const [pre, post] = rhsGiven.split("..."); return [...pre.split(""), ...ellipsisLetters, ...post.split("")]; })() : rhsGiven.split("");
  }
  // sizes must agree
  const size = new Map<string, number>();
  for (const term of terms) term.idx.forEach((c, k) => {
    const d = term.t.shape[k];
    const prev = size.get(c);
    if (prev !== undefined && prev !== d) throw new Error(`einsum: index "${c}" has size ${prev} in one operand and ${d} in another ("${spec}")`);
    size.set(c, d);
  });
  for (const c of out) if (!size.has(c)) throw new Error(`einsum: output index "${c}" does not appear in any input ("${spec}")`);

  let work = terms.map(takeDiagonals);
  const needed = (exclude: number[]): Set<string> => {
    const s = new Set(out);
    work.forEach((w, i) => { if (!exclude.includes(i)) w.idx.forEach((c) => s.add(c)); });
    return s;
  };
  // Sum out indices private to one operand, then contract pairwise left to right.
  work = work.map((w, i) => sumPrivate(w, needed([i])));
  while (work.length > 1) {
    const [a, b] = work;
    const keep = needed([0, 1]);
    const shared = a.idx.filter((c) => b.idx.includes(c));
    const batch = shared.filter((c) => keep.has(c));
    const contract = shared.filter((c) => !keep.has(c));
    const t = dotGeneralP(a.t, b.t, {
      contract: [contract.map((c) => a.idx.indexOf(c)), contract.map((c) => b.idx.indexOf(c))],
      batch: [batch.map((c) => a.idx.indexOf(c)), batch.map((c) => b.idx.indexOf(c))],
    });
    const idx = [...batch, ...a.idx.filter((c) => !shared.includes(c)), ...b.idx.filter((c) => !shared.includes(c))];
    work = [sumPrivate({ t, idx }, needed([0, 1])), ...work.slice(2)];
  }
  const last = sumPrivate(work[0], new Set(out));
  if (last.idx.length !== out.length) throw new Error(`einsum: output "${out.join("")}" repeats an index ("${spec}")`);
  const perm = out.map((c) => last.idx.indexOf(c));
  return transposeP(last.t, perm);
}

function sumPrivate(w: Term, keep: Set<string>): Term {
  const axes = w.idx.map((c, i) => (keep.has(c) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return w;
  return { t: reduceSumP(w.t, axes), idx: w.idx.filter((c) => keep.has(c)) };
}

/** Replace a repeated index within one operand by its diagonal ("ii->i"). */
function takeDiagonals(w: Term): Term {
  let { t, idx } = w;
  for (;;) {
    const dup = idx.findIndex((c, i) => idx.indexOf(c) !== i);
    if (dup < 0) return { t, idx };
    const first = idx.indexOf(idx[dup]);
    const n = t.shape[first];
    const rest = idx.map((_, i) => i).filter((i) => i !== first && i !== dup);
    const moved = transposeP(t, [...rest, first, dup]);
    const flat = reshapeP(moved, [...moved.shape.slice(0, -2), n * n]);
    t = takeP(flat, new DenseTensor(Int32Array.from({ length: n }, (_, i) => i * n + i), [n], "int32"), flat.ndim - 1);
    idx = [...rest.map((i) => idx[i]), idx[first]];
  }
}

/** NumPy's diag: a vector becomes a (k-th) diagonal matrix; a matrix gives its k-th diagonal. */
export function diag(x: TensorLike, k = 0): Tensor {
  const [t] = promoteAll("diag", [x]);
  if (t.ndim === 2) return diagonal(t, k);
  if (t.ndim !== 1) throw new Error(`diag: expected a 1-D or 2-D array, got shape ${fmtShape(t.shape)}`);
  const n = t.shape[0] + Math.abs(k);
  const rows = Int32Array.from({ length: t.shape[0] }, (_, i) => (k >= 0 ? i * n + i + k : (i - k) * n + i));
  const flat = scatterAddP(broadcastP(scalarDense(0, t.dtype), [n * n]), new DenseTensor(rows, [rows.length], "int32"), t, 0);
  return reshapeP(flat, [n, n]);
}
