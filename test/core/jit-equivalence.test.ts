// The core op table run a second time through the compiler: for every np op (elementwise with
// broadcasting, reductions with axes/keepdims, shape ops, slicing with steps/negative steps/new
// axes, gathers and scatter-adds with duplicate indices, products, sort, cumsum, linalg) and for
// composite functions that exercise fusion (gather → elementwise → reduction → scatter, reductions
// read back by the same loop, softmax/layer-norm), on random shapes drawn by fast-check:
//
//   jit(f)(x)              = f(x)                       float64 to 1e-12 relative, float32 to 1e-5
//   jit(grad(s∘f))(x)      = grad(s∘f)(x)               s = Σ_k ⟨w_k, f_k⟩ with fixed random weights
//   grad(s∘jit(f))(x)      = grad(s∘f)(x)
//   jit(vmap(f)), vmap(jit(f)), jit(vmap(grad(s∘f)))  = vmap(f), vmap(grad(s∘f))
//
// Relative means |jit − eager| ≤ 1e-12·max(|jit|, |eager|) + 1e-12·max(1, max|eager|): the second
// term allows for reassociated sums whose result cancels to near zero. NaN must match NaN.
//
// The generators and the op definitions both tables run come from helpers/op-table.ts; the names,
// the variants that also exercise fusion and the composites are this file's own. Seeded:
// DIFFMOL_FC_SEED / DIFFMOL_FC_RUNS as in derivatives.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { np, grad, vmap, jit, Tensor } from "../../src/index.js";
import type { DType } from "../../src/index.js";
import { Fn, batchOf, flat, outputs, randomLike, rng, tensor } from "../helpers/check-grads.js";
import {
  BINARY_OPS, CLIP_BROADCAST, CLIP_CONSTANT, CROSS, CUMSUM, Case, DIAGONAL_TRACE, DOT, EINSUM_CASES, HSTACK_VSTACK, HYPOT, INDEX_ADD,
  INNER_VDOT_TENSORDOT, LINALG_CHOLESKY, LINALG_INV, LINALG_SOLVE, LOG2_LOG10_EXP2, MATMUL, OUTER, OpDef, REDUCTIONS, REPEAT, RESHAPE, ROUNDING,
  RedParams, SPLIT, STACK, SliceItem, TAKE, TAKE_ALONG_AXIS, TENSOR_METHODS, TILE, UNARY_OPS, WHERE, axisArg, binaryDef, binaryShapes,
  broadcastToDraw, caseArb, concatenateDraw, einsum, flipDraw, indices, intTensor, linalg, noParams, normAxis, oneArg, range, reductionDef,
  segmentSumDraw, shape, broadcastable, shifted, sliceDraw, sortDraw, squareDraw, squeezeDraw, svdDraw, sym, transposeDraw, twoAxesDraw, unaryDef,
} from "../helpers/op-table.js";

const SEED = process.env.DIFFMOL_FC_SEED ? Number(process.env.DIFFMOL_FC_SEED) : 20261203;
const RUN_SCALE = process.env.DIFFMOL_FC_RUNS ? Number(process.env.DIFFMOL_FC_RUNS) : 1;
const runs = (n: number) => Math.max(1, Math.round(n * RUN_SCALE));

const F64 = 1e-12;
const F32 = 1e-5;

// ---- comparison ----------------------------------------------------------------------------------

function maxAbs(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i])) m = Math.max(m, Math.abs(xs[i]));
  return m;
}

/** Same shapes and dtypes, and every number within rtol (NaN matches NaN, ±∞ match exactly). */
function assertSame(got: readonly Tensor[], want: readonly Tensor[], rtol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} outputs, expected ${want.length}`);
  got.forEach((g, k) => {
    assert.ok(g instanceof Tensor, `${what}: output ${k} is not a tensor`);
    assert.deepEqual(g.shape, want[k].shape, `${what}: output ${k} shape [${g.shape}], expected [${want[k].shape}]`);
    assert.equal(g.dtype, want[k].dtype, `${what}: output ${k} dtype`);
  });
  const a = flat(got), e = flat(want);
  const atol = rtol * Math.max(1, maxAbs(e));
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(e[i])) continue;
    if (!Number.isFinite(e[i]) || !Number.isFinite(a[i])) {
      assert.equal(a[i], e[i], `${what}: element ${i} is ${a[i]}, expected ${e[i]}`);
      continue;
    }
    const err = Math.abs(a[i] - e[i]);
    if (!(err <= atol + rtol * Math.max(Math.abs(a[i]), Math.abs(e[i])))) {
      const show = (xs: Float64Array) => Array.from(xs).slice(0, 16).map((v) => +v.toPrecision(10)).join(", ") + (xs.length > 16 ? ", …" : "");
      assert.fail(`${what}: element ${i} is ${a[i]}, expected ${e[i]} (|diff| ${err.toExponential(2)}, rtol ${rtol})\n  jit:   [${show(a)}]\n  eager: [${show(e)}]`);
    }
  }
}

// ---- specs ---------------------------------------------------------------------------------------

interface OpSpec<P> extends OpDef<P> {
  name: string;
  /** Skip draws at a jump of the op (where float32 intermediates kept in float64 may take the other side). */
  pre?: (args: Tensor[], p: P) => boolean;
  /** No gradient (piecewise constant, or not differentiable everywhere we draw). */
  grad?: boolean;
  vmap?: boolean;
  numRuns?: number;
}

const specs: OpSpec<any>[] = [];
function op<P>(spec: OpSpec<P>): void { specs.push(spec as OpSpec<any>); }

// ---- the checks ------------------------------------------------------------------------------------

/** s(x) = Σ_k ⟨w_k, f_k(x)⟩ for fixed random weights (float outputs only). */
function weightedSum(f: Fn, args: readonly Tensor[], seed: number): (...xs: Tensor[]) => Tensor {
  const next = rng(seed + 17);
  const ws = outputs(f(...args)).map((y) => (y.dtype === "float32" || y.dtype === "float64" ? randomLike(y, next, y.dtype) : null));
  return (...xs) => outputs(f(...xs)).reduce((acc: Tensor, y, k) => (ws[k] ? acc.add(np.sum(y.mul(ws[k]!)).astype(acc.dtype)) : acc), np.zeros([], { dtype: xs[0].dtype }));
}

/** Run one comparison, naming it in any error (a compiler failure otherwise says only where it split). */
function runStage(what: string, fn: () => void): void {
  try { fn(); } catch (e) {
    if (e instanceof Error && !e.message.startsWith(what)) e.message = `${what}: ${e.message}`;
    throw e;
  }
}

function checkCase<P>(spec: OpSpec<P>, c: Case<P>, dtype: DType): void {
  const rtol = dtype === "float64" ? F64 : F32;
  const stage = (what: string, fn: () => void) => runStage(`${dtype} ${what}`, fn);
  const floats = c.shapes.map((s, i) => tensor(c.values[i], s, dtype));
  const ints = (c.ints ?? []).map((t) => intTensor(t.values, t.shape));
  const args = [...floats, ...ints];
  if (spec.pre) fc.pre(spec.pre(c.shapes.map((s, i) => tensor(c.values[i], s)), c.params));
  const f = spec.f(c.params);
  const g = (...xs: Tensor[]) => outputs(f(...xs));

  let want: Tensor[] = [];
  stage("eager f", () => { want = g(...args); });
  const jf = jit(g);
  stage("jit(f)", () => assertSame(jf(...args), want, rtol, "jit(f)"));
  stage("jit(f) cached", () => assertSame(jf(...args), want, rtol, "jit(f), second call (cached)"));
  assert.equal(jf.traceCount, 1, "jit(f) traced more than once for one signature");

  const argnums = floats.map((_, i) => i);
  if (spec.grad !== false && floats.length > 0) {
    const s = weightedSum(f, args, c.seed);
    const gs = grad(s, { argnums }) as unknown as (...xs: Tensor[]) => Tensor[];
    let wantG: Tensor[] = [];
    stage("eager grad(s∘f)", () => { wantG = gs(...args); });
    stage("jit(grad(s∘f))", () => assertSame(jit(gs)(...args), wantG, rtol, "jit(grad(s∘f))"));
    const sj = weightedSum(jit(f) as Fn, args, c.seed);
    stage("grad(s∘jit(f))", () => assertSame((grad(sj, { argnums }) as unknown as (...xs: Tensor[]) => Tensor[])(...args), wantG, rtol, "grad(s∘jit(f))"));
  }

  if (spec.vmap !== false && dtype === "float64" && floats.length > 0) {
    const axes: (number | null)[] = c.vmapAxes.map((a, i) => (a === null ? null : a % (floats[i].ndim + 1)));
    if (!axes.some((a) => a !== null)) axes[0] = 0;
    const inAxes = [...axes, ...ints.map(() => null)];
    const next = rng(c.seed + 5);
    const batched = [...floats.map((x, i) => batchOf(x, axes[i], 2, next)), ...ints];
    let wantV: Tensor[] = [];
    stage("eager vmap(f)", () => { wantV = vmap(g, { inAxes })(...batched) as Tensor[]; });
    stage("jit(vmap(f))", () => assertSame(jit(vmap(g, { inAxes }))(...batched) as Tensor[], wantV, rtol, "jit(vmap(f))"));
    stage("vmap(jit(f))", () => assertSame(vmap(jit(g), { inAxes })(...batched) as Tensor[], wantV, rtol, "vmap(jit(f))"));
    if (spec.grad !== false) {
      const gs = grad(weightedSum(f, args, c.seed), { argnums }) as unknown as (...xs: Tensor[]) => Tensor[];
      let wantVG: Tensor[] = [];
      stage("eager vmap(grad(s∘f))", () => { wantVG = vmap(gs, { inAxes })(...batched) as Tensor[]; });
      stage("jit(vmap(grad(s∘f)))", () => assertSame(jit(vmap(gs, { inAxes }))(...batched) as Tensor[], wantVG, rtol, "jit(vmap(grad(s∘f)))"));
    }
  }
}

// ---- elementwise -----------------------------------------------------------------------------------

for (const b of BINARY_OPS) op({ name: b.name, ...binaryDef(b) });
op({ name: "logaddexp", draw: noParams(binaryShapes), domain: [[-3, 3], [-3, 3]], f: () => np.logaddexp });
op({ name: HYPOT.name, ...binaryDef(HYPOT) });
op({ name: "comparisons and logical ops (non-differentiable outputs)", draw: noParams(binaryShapes), domain: "distinct", grad: false,
  f: () => (x, y) => [np.less(x, y), np.greaterEqual(x, y), np.equal(x, x), np.where(np.logicalAnd(np.greater(x, 0), np.less(y, 0.5)), x, y)] });
op({ name: "log2, log10, exp2", ...LOG2_LOG10_EXP2 });
op({ name: "floor, ceil, round, sign", ...ROUNDING, domain: [-3, 3] });
op({ name: "tensor methods", ...TENSOR_METHODS });
op({ name: "power with integer and fractional literal exponents", draw: oneArg, domain: "pos",
  f: () => (x) => [np.power(x, 2), np.power(x, -3), np.power(x, 0.5), np.power(x, -6), x.pow(1)] });

for (const u of UNARY_OPS) op({ name: u.name, ...unaryDef(u) });
op({ name: "clip (constant bounds)", ...CLIP_CONSTANT });
op({ name: "clip (broadcast tensor bounds)", ...CLIP_BROADCAST });
op({ name: "where (broadcast condition and branches)", ...WHERE });

// ---- reductions --------------------------------------------------------------------------------------

for (const r of REDUCTIONS) op({ name: r.name, ...reductionDef(r) });
op<RedParams & { ddof: number }>({
  name: "var and std (axis lists, keepdims, ddof)", domain: "distinct",
  draw: shape(1, 3, 2, 4).chain((s) => fc.record({ axis: axisArg(s.length), keepdims: fc.boolean(), ddof: fc.integer({ min: 0, max: 1 }) }).map((params) => ({ shapes: [s], params }))),
  f: ({ axis, keepdims, ddof }) => (x) => [np.var(x, axis, { keepdims, ddof }), np.std(x, axis, { keepdims, ddof })],
});
op({ name: "cumsum (axis, reverse)", ...CUMSUM });
op({
  name: "argmax, argmin (integer outputs)", grad: false, domain: "distinct",
  draw: shape(1, 3).chain((s) => fc.integer({ min: -s.length, max: s.length - 1 }).map((axis) => ({ shapes: [s], params: { axis } }))),
  f: ({ axis }: { axis: number }) => (x) => [np.argmax(x, axis), np.argmin(x, axis)],
});

// ---- shape ops ---------------------------------------------------------------------------------------

op({ name: "reshape (merged dims, -1)", ...RESHAPE });
op({
  name: "transpose (random permutation), then elementwise", draw: transposeDraw,
  f: ({ perm }: { perm?: number[] }) => (x) => [np.transpose(x, perm), np.sin(np.transpose(x.mul(2), perm))],
});
op({ name: "swapaxes, moveaxis", draw: twoAxesDraw, f: ({ a, b }: { a: number; b: number }) => (x) => [np.swapaxes(x, a, b), np.moveaxis(np.exp(x), a, b)] });
op({
  name: "expandDims",
  draw: shape(0, 2).chain((s) => fc.integer({ min: 1, max: 2 }).chain((k) =>
    fc.shuffledSubarray(range(s.length + k), { minLength: k, maxLength: k }).map((axes) => ({ shapes: [s], params: { axis: k === 1 ? axes[0] : axes } })))),
  f: ({ axis }: { axis: number | number[] }) => (x) => np.expandDims(x, axis).mul(x.sum()),
});
op({ name: "squeeze", draw: squeezeDraw, f: ({ axis }: { axis: number[] | null }) => (x) => np.squeeze(np.cos(x), axis) });
op({ name: "broadcastTo", draw: broadcastToDraw, f: ({ t }: { t: number[] }) => (x) => [np.broadcastTo(x, t), np.broadcastTo(x, t).mul(np.broadcastTo(x, t))] });
op({ name: "concatenate", draw: concatenateDraw, f: ({ axis }: { axis: number }) => (...xs) => np.concatenate(xs.map((x) => np.tanh(x)), axis) });
op({ name: "stack", ...STACK });
op({ name: "split", ...SPLIT });
op({ name: "tile", ...TILE });
op({ name: "repeat", ...REPEAT });
op({
  name: "slice (indices, steps, negative steps, new axes, ellipsis), then elementwise",
  numRuns: 24,
  draw: sliceDraw,
  f: ({ args }: { args: SliceItem[] }) => (x) => { const y = x.slice(...args); return [y, np.exp(y).mul(y), np.sin(x).slice(...args)]; },
});
op({ name: "flip", draw: flipDraw, f: ({ axis }: { axis: number | number[] | null }) => (x) => np.flip(x, axis).mul(x) });

// ---- gathers and scatters (duplicates are the point) ----------------------------------------------

op({ name: "take (axis or flat; negative and duplicate captured indices)", ...TAKE });
op({
  name: "take (indices as a traced int32 argument), then elementwise",
  draw: shape(1, 3).chain((s) => fc.integer({ min: -s.length, max: s.length - 1 })
    .chain((axis) => shape(0, 2, 1, 5).chain((is) => indices(is, s[normAxis(axis, s.length)])
      .map((idx) => ({ shapes: [s], params: { axis }, ints: [{ values: idx, shape: is }] }))))),
  f: ({ axis }: { axis: number }) => (x, i) => np.sin(np.take(x, i, axis)).mul(np.take(x, i, axis)),
});
op({ name: "takeAlongAxis", ...TAKE_ALONG_AXIS });
op({
  name: "segmentSum (duplicate ids, explicit or inferred count)", draw: segmentSumDraw,
  f: ({ ids, num }: { ids: number[]; num?: number }) => (d) => np.segmentSum(np.square(d), np.array(ids, { dtype: "int32" }), num),
});
op({
  name: "segmentSum (traced int32 ids)",
  draw: fc.tuple(fc.integer({ min: 1, max: 6 }), shape(0, 2), fc.integer({ min: 1, max: 4 })).chain(([n, rest, segs]) =>
    indices([n], segs, false).map((ids) => ({ shapes: [[n, ...rest]], params: { segs }, ints: [{ values: ids, shape: [n] }] }))),
  f: ({ segs }: { segs: number }) => (d, ids) => np.segmentSum(np.exp(d), ids, segs),
});
op({ name: "indexAdd (duplicate and negative indices, broadcast values)", ...INDEX_ADD });

op({
  name: "splat-constant operands: indexAdd of ones/scalars, sums and means of broadcast inputs",
  draw: shape(1, 3).chain((s) => fc.integer({ min: -s.length, max: s.length - 1 }).chain((axis) => {
    const a = normAxis(axis, s.length);
    return shape(1, 2, 1, 5).chain((is) => indices(is, s[a]).map((idx) => ({ shapes: [s], params: { axis, is }, ints: [{ values: idx, shape: is }] })));
  })),
  f: ({ axis, is }: { axis: number; is: number[] }) => (x, i) => {
    const a = normAxis(axis, x.ndim);
    const upd = [...x.shape.slice(0, a), ...is, ...x.shape.slice(a + 1)];
    return [
      np.indexAdd(x, i, np.ones(upd), a), np.indexAdd(x.mul(2), i, 2.5, a), np.indexAdd(np.zeros(x.shape), i, np.full(upd, -1.5), a),
      np.sum(np.broadcastTo(x, [3, ...x.shape]), 0), np.mean(np.broadcastTo(np.expandDims(x, 0), [2, ...x.shape]), [0, 1]),
      np.sum(np.broadcastTo(np.sum(x, axis, { keepdims: true }), x.shape).mul(x)),
    ];
  },
});
op({
  name: "reductions of broadcast values (a new axis anywhere, loaded or computed) over every axis subset",
  numRuns: 24,
  draw: shape(1, 3, 1, 3).chain((s) => fc.record({
    at: fc.integer({ min: 0, max: s.length }), k: fc.integer({ min: 2, max: 3 }), computed: fc.boolean(), keepdims: fc.boolean(),
    axes: fc.subarray(range(s.length + 1)), op: fc.constantFrom("sum", "mean", "max"),
  }).map((params) => ({ shapes: [s], params }))),
  f: ({ at, k, computed, keepdims, axes, op }: { at: number; k: number; computed: boolean; keepdims: boolean; axes: number[]; op: "sum" | "mean" | "max" }) => (x) => {
    const src = computed ? np.sin(x) : x;
    const shp = [...x.shape.slice(0, at), 1, ...x.shape.slice(at)];
    const b = np.broadcastTo(np.reshape(src, shp), [...x.shape.slice(0, at), k, ...x.shape.slice(at)]);
    const r = np[op](b, axes, { keepdims });
    return [r, r.mul(np.cos(r))];
  },
});
op({
  name: "segment counts: segmentSum of ones with traced ids",
  draw: fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }), shape(0, 1)).chain(([n, segs, rest]) =>
    indices([n], segs, false).map((ids) => ({ shapes: [[segs, ...rest]], params: { n, segs, rest }, ints: [{ values: ids, shape: [n] }] }))),
  f: ({ n, segs, rest }: { n: number; segs: number; rest: number[] }) => (x, ids) =>
    [np.segmentSum(np.ones([n, ...rest]), ids, segs), np.segmentSum(np.ones([n]), ids, segs).reshape([segs, ...rest.map(() => 1)]).mul(x)],
});

// ---- products ------------------------------------------------------------------------------------

op({ name: "matmul (vectors, batched, broadcast batch dims)", ...MATMUL });
op({ name: "dot", ...DOT });
op({ name: "einsum", ...einsum(EINSUM_CASES) });
op({ name: "outer", ...OUTER });
op({ name: "inner, vdot, tensordot", ...INNER_VDOT_TENSORDOT });
op({ name: "diagonal and trace", ...DIAGONAL_TRACE });
op({ name: "hstack, vstack", ...HSTACK_VSTACK });
op({ name: "cross (broadcast leading dims)", ...CROSS });
op({ name: "sort", draw: sortDraw, domain: "distinct", f: ({ axis }: { axis: number | null }) => (x) => np.sort(np.sin(x), axis).mul(2) });

// ---- np.linalg -------------------------------------------------------------------------------------

const L = linalg;
op({ name: "linalg.inv", ...LINALG_INV });
op({ name: "linalg.solve", ...LINALG_SOLVE });
op({ name: "linalg.det, slogdet", draw: squareDraw, domain: "unit", f: () => (a) => [L.det(shifted(a)), ...(L.slogdet(shifted(a).mul(-1)) as Tensor[])] });
op({ name: "linalg.cholesky", ...LINALG_CHOLESKY });
op({
  name: "linalg.eigh (eigenvalues, v⊙v)", draw: squareDraw, domain: "unit",
  f: () => (a) => { const [w, v] = L.eigh(sym(a)) as [Tensor, Tensor]; return [w, v.mul(v)]; },
});
if (L.svd) op({ name: "linalg.svd (singular values)", draw: svdDraw, domain: "unit", f: () => (a) => L.svd(a, { computeUv: false }) });
if (L.norm) op({
  name: "linalg.norm (2-norm, ord 1, ∞, fro)", draw: noParams(shape(2, 2).map((s) => [s])), domain: "nonzero",
  f: () => (x) => [L.norm(x), L.norm(x, 1, 1), L.norm(x, Infinity, -1), L.norm(x, "fro")],
});

// ---- composites: what fusion is for ----------------------------------------------------------------

op({
  name: "elementwise chain with broadcasting, reduced over random axes",
  draw: shape(1, 3).chain((s) => fc.tuple(broadcastable(s), axisArg(s.length), fc.boolean()).map(([t, axis, keepdims]) => ({ shapes: [s, t], params: { axis, keepdims } }))),
  f: ({ axis, keepdims }: RedParams) => (x, y) => {
    const u = np.tanh(x.mul(y)).add(np.exp(x.mul(0.5))).sub(np.sin(y).mul(y));
    return [np.sum(u, axis, { keepdims }), np.max(u.mul(x), axis, { keepdims }), u];
  },
});
op({
  name: "softmax and layer norm (a reduction read back by the same loop)",
  draw: shape(1, 3).chain((s) => fc.integer({ min: -s.length, max: s.length - 1 }).map((axis) => ({ shapes: [s], params: { axis } }))),
  domain: [-3, 3],
  f: ({ axis }: { axis: number }) => (x) => {
    const e = np.exp(x.sub(np.max(x, axis, { keepdims: true })));
    const soft = e.div(np.sum(e, axis, { keepdims: true }));
    const mu = np.mean(x, axis, { keepdims: true });
    const ln = x.sub(mu).div(np.sqrt(np.mean(np.square(x.sub(mu)), axis, { keepdims: true }).add(1e-3)));
    return [soft, ln, x.sub(np.logsumexp(x, axis, { keepdims: true }))];
  },
});
op({
  name: "gather → pair term → scatter back (neighbour-list pattern, traced indices)",
  draw: fc.tuple(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 3 })).chain(([n, p, dim]) =>
    fc.tuple(indices([p], n, false), indices([p], n, false)).map(([i, j]) => ({
      shapes: [[n, dim]], params: { n }, ints: [{ values: i, shape: [p] }, { values: j.map((v, q) => (v === i[q] ? (v + 1) % n : v)), shape: [p] }],
    }))),
  f: ({ n }: { n: number }) => (x, i, j) => {
    const d = np.take(x, i, 0).sub(np.take(x, j, 0));
    const r2 = np.sum(d.mul(d), -1).add(0.5);
    const e = r2.pow(-6).sub(r2.pow(-3)).mul(4);
    const perAtom = np.segmentSum(e, i, n).add(np.segmentSum(e, j, n));
    return [np.sum(e), perAtom, np.indexAdd(np.zeros([n, x.shape[1]]), i, d.mul(np.expandDims(e, -1)))];
  },
});
op({
  name: "dense all pairs x[:, None] − x[None, :] with a masked diagonal",
  draw: fc.tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 3 })).map(([n, dim]) => ({ shapes: [[n, dim]], params: { n } })),
  // atoms at least 0.6 apart (a row of unit spacing, jittered): float32 stays well conditioned
  domain: [-0.2, 0.2],
  f: ({ n }: { n: number }) => (x0) => {
    const x = x0.add(np.reshape(np.arange(n), [n, 1]).astype(x0.dtype));
    const d = x.slice(":", null).sub(x.slice(null, ":"));
    const eye = np.eye(n).astype("bool");
    const r2 = np.where(eye, 1, np.sum(d.mul(d), -1));
    const e = np.where(eye, 0, r2.pow(-6).sub(r2.pow(-3)).mul(4));
    return [np.sum(e).mul(0.5), np.sum(e, 1)];
  },
});
op({
  name: "MLP layer: tanh(x @ w + b) summed, matmul between fused chains",
  draw: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).map(([b, i, o]) => ({ shapes: [[b, i], [i, o], [o]], params: {} })),
  f: () => (x, w, b) => { const h = np.tanh(np.matmul(np.sin(x), w).add(b)); return [np.sum(np.square(h)), h.mul(2)]; },
});
op({
  name: "cumsum, sort and slicing mixed with elementwise chains",
  draw: shape(1, 2, 2, 5).map((s) => ({ shapes: [s], params: {} })), domain: "distinct",
  f: () => (x) => { const c = np.cumsum(np.exp(x), -1); return [np.sort(c.mul(x), -1).slice("...", "::-2"), np.flip(c, -1).add(x)]; },
});
op({
  name: "float constants captured by the function stay exact",
  draw: shape(0, 2).map((s) => ({ shapes: [s], params: {} })),
  f: () => (x) => [x.mul(0.1).add(1 / 3).mul(Math.PI), x.add(np.full(x.shape, 1e-300)).mul(1e300), x.mul(np.array(0.1))],
});

// ---- the property tests ----------------------------------------------------------------------------

for (const spec of specs) {
  test(`jit ≡ eager: ${spec.name}`, () => {
    fc.assert(fc.property(caseArb(spec), (c) => checkCase(spec, c, "float64")), { numRuns: runs(spec.numRuns ?? 12), seed: SEED, includeErrorInReport: true });
    fc.assert(fc.property(caseArb(spec), (c) => checkCase(spec, c, "float32")), { numRuns: runs(4), seed: SEED + 1, includeErrorInReport: true });
  });
}

test("the table covers every np op the derivative table covers", () => {
  const names = specs.map((s) => s.name).join(" | ");
  for (const want of ["add", "power", "arctan2", "maximum", "mod", "logaddexp", "hypot", "erf", "clip", "where", "sum", "prod", "logsumexp", "var",
    "cumsum", "reshape", "transpose", "swapaxes", "expandDims", "squeeze", "broadcastTo", "concatenate", "stack", "split", "tile", "repeat", "slice", "flip",
    "take", "takeAlongAxis", "segmentSum", "indexAdd", "matmul", "dot", "einsum", "outer", "tensordot", "trace", "cross", "sort", "linalg.inv", "linalg.solve",
    "linalg.det", "linalg.cholesky", "linalg.eigh"]) assert.ok(names.includes(want), `no spec for ${want}`);
});
