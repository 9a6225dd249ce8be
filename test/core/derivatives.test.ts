// Every differentiable np op, property-based: jvp and vjp against central finite differences in
// float64 on random shapes (broadcasting, duplicate scatter indices included), second
// derivatives via grad∘grad, vmap (of f and of grad f) against an explicit loop, and float32
// variants of a representative subset.
//
// Shapes and values are drawn by fast-check (rank 0–3, dims 1–4). The run is reproducible: the
// seed is fixed unless DIFFMOL_FC_SEED is set; DIFFMOL_FC_RUNS scales the number of runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { np, grad, jvp, vjp, vmap, jacfwd, jacrev, hessian, Tensor } from "../../src/index.js";
import {
  Fn, Tol, batchOf, checkFloat32, checkJvp, checkSecondOrder, checkVjp, checkVmap, assertClose, flat, outputs, randomLike, rng, tensor,
} from "../helpers/check-grads.js";
import {
  BINARY_OPS, CLIP_BROADCAST, CLIP_CONSTANT, CROSS, CUMSUM, Case, DIAGONAL_TRACE, DOT, Drawn, EINSUM_CASES, HSTACK_VSTACK, HYPOT, INDEX_ADD,
  INNER_VDOT_TENSORDOT, LINALG_CHOLESKY, LINALG_INV, LINALG_SOLVE, LOG2_LOG10_EXP2, MATMUL, OUTER, OpDef, REDUCTIONS, REPEAT, RESHAPE, ROUNDING,
  RedParams, SPLIT, STACK, SliceItem, TAKE, TAKE_ALONG_AXIS, TENSOR_METHODS, TILE, UNARY_OPS, WHERE, axisArg, binaryDef, binaryShapes,
  broadcastToDraw, caseArb, concatenateDraw, einsum, flipDraw, intTensor, linalg, noParams, normAxis, range, reductionDef, segmentSumDraw, shape,
  shifted, sizeOf, sliceDraw, sortDraw, squareDims, squareDraw, squeezeDraw, svdDraw, sym, transposeDraw, twoAxesDraw, unaryDef,
} from "../helpers/op-table.js";

const SEED = process.env.DIFFMOL_FC_SEED ? Number(process.env.DIFFMOL_FC_SEED) : 20261127;
const RUN_SCALE = process.env.DIFFMOL_FC_RUNS ? Number(process.env.DIFFMOL_FC_RUNS) : 1;
const runs = (n: number) => Math.max(1, Math.round(n * RUN_SCALE));

// ---- specs and checks -------------------------------------------------------------------------

interface OpSpec<P> extends OpDef<P> {
  name: string;
  secondOrder?: boolean;
  vmap?: boolean;
  tol?: Tol;
  tol2?: Tol;
  numRuns?: number;
  /** Also run the float32 variant (fewer runs). */
  f32?: boolean;
}

function reducedCount(s: readonly number[], axis: number | number[] | null): number {
  if (axis === null) return sizeOf(s);
  const list = typeof axis === "number" ? [axis] : axis;
  return list.reduce((k, a) => k * s[normAxis(a, s.length)], 1);
}

/** s(x) = Σ_k ⟨w_k, f_k(x)⟩ with fixed random weights: a scalar whose gradient vmap must batch. */
function weightedSum(f: Fn, args: readonly Tensor[], seed: number): (...xs: Tensor[]) => Tensor {
  const next = rng(seed + 17);
  const ws = outputs(f(...args)).map((y) => randomLike(y, next, y.dtype));
  return (...xs) => outputs(f(...xs)).reduce((acc: Tensor, y, k) => acc.add(np.sum(y.mul(ws[k]))), np.zeros([], { dtype: xs[0].dtype }));
}

function checkAll<P>(spec: OpSpec<P>, c: Case<P>): void {
  const args = c.shapes.map((s, i) => tensor(c.values[i], s));
  if (spec.pre) fc.pre(spec.pre(args, c.params));
  const f = spec.f(c.params);
  const opts = { seed: c.seed, tol: spec.tol };
  checkJvp(f, args, opts);
  checkVjp(f, args, opts);
  if (spec.secondOrder !== false) checkSecondOrder(f, args, { seed: c.seed, tol: spec.tol2 });
  if (spec.vmap !== false) {
    const axes: (number | null)[] = c.vmapAxes.map((a, i) => (a === null ? null : a % (args[i].ndim + 1)));
    if (!axes.some((a) => a !== null)) axes[0] = 0;
    const next = rng(c.seed + 5);
    const batched = args.map((x, i) => batchOf(x, axes[i], 3, next));
    checkVmap(f, batched, axes);
    const argnums = args.map((_, i) => i);
    const g = grad(weightedSum(f, args, c.seed), { argnums }) as unknown as (...xs: Tensor[]) => Tensor[];
    checkVmap(g, batched, axes, { rtol: 1e-10, atol: 1e-12 }, "vmap of grad");
  }
}

const specs: OpSpec<any>[] = [];
function op<P>(spec: OpSpec<P>): void { specs.push(spec as OpSpec<any>); }

// ---- elementwise ------------------------------------------------------------------------------

const F32_BINARY = new Set(["add", "multiply", "divide", "power (positive base)"]);
for (const b of BINARY_OPS) op({ name: b.name, ...binaryDef(b), f32: F32_BINARY.has(b.name) });
op({
  name: "logaddexp (including x = y, where max + |x − y| has a kink)",
  draw: noParams(binaryShapes), domain: [[-3, 3], [-3, 3]],
  f: () => (x, y) => [np.logaddexp(x, y), np.logaddexp(x, x)],
});
op({ name: HYPOT.name, ...binaryDef(HYPOT) });
op({ name: "log2, log10, exp2", ...LOG2_LOG10_EXP2 });
op({ name: "floor, ceil, round, sign (piecewise constant: zero derivative)", ...ROUNDING, domain: "offHalfIntegers" });
op({ name: "tensor methods (x.mul(y).add(x).div(y).pow(2))", ...TENSOR_METHODS });

const F32_UNARY = new Set(["sqrt", "exp", "log", "sin", "tanh", "erf"]);
for (const u of UNARY_OPS) op({ name: u.name === "abs" ? "abs (away from 0)" : u.name, ...unaryDef(u), f32: F32_UNARY.has(u.name) });

op({ name: "clip (constant bounds)", ...CLIP_CONSTANT });
op({ name: "clip (differentiable, broadcast bounds)", ...CLIP_BROADCAST });
op({ name: "where (broadcast condition and branches)", ...WHERE });

// ---- reductions -------------------------------------------------------------------------------

const F32_REDUCTIONS = new Set(["sum", "logsumexp"]);
for (const r of REDUCTIONS) {
  op({ name: `${r.name} (axis lists, keepdims${r.name === "prod" ? "; exact zeros drawn" : ""})`, ...reductionDef(r), f32: F32_REDUCTIONS.has(r.name) });
}

type VarParams = RedParams & { ddof: number };
const varDraw: fc.Arbitrary<Drawn<VarParams>> = shape(0, 3).chain((s) =>
  fc.record({ axis: axisArg(s.length), keepdims: fc.boolean(), ddof: fc.integer({ min: 0, max: 1 }) }).map((params) => ({ shapes: [s], params })));
op<VarParams>({
  name: "var (axis lists, keepdims, ddof)", draw: varDraw,
  pre: ([x], p) => reducedCount(x.shape, p.axis) > p.ddof,
  f: ({ axis, keepdims, ddof }) => (x) => np.var(x, axis, { keepdims, ddof }),
});
op<VarParams>({
  name: "std (axis lists, keepdims, ddof)", draw: varDraw, domain: "distinct",
  pre: ([x], p) => reducedCount(x.shape, p.axis) > Math.max(1, p.ddof),
  f: ({ axis, keepdims, ddof }) => (x) => np.std(x, axis, { keepdims, ddof }),
});
op({ name: "cumsum (axis, reverse)", ...CUMSUM, f32: true });

// ---- shape ops --------------------------------------------------------------------------------

op({ name: "reshape (merged dims, -1)", ...RESHAPE });
op({ name: "transpose (random permutation)", draw: transposeDraw, f: ({ perm }: { perm?: number[] }) => (x) => np.transpose(x, perm) });
op({ name: "swapaxes", draw: twoAxesDraw, f: ({ a, b }: { a: number; b: number }) => (x) => np.swapaxes(x, a, b) });
op({ name: "moveaxis", draw: twoAxesDraw, f: ({ a, b }: { a: number; b: number }) => (x) => np.moveaxis(x, a, b) });
op({
  name: "expandDims (one or several axes)",
  draw: shape(0, 2).chain((s) => fc.integer({ min: 1, max: 2 }).chain((k) =>
    fc.shuffledSubarray(range(s.length + k), { minLength: k, maxLength: k }).map((axes) => ({ shapes: [s], params: { axis: k === 1 ? axes[0] - (s.length + 1) * (axes[0] % 2) : axes } })))),
  f: ({ axis }: { axis: number | number[] }) => (x) => np.expandDims(x, axis),
});
op({ name: "squeeze (all or chosen unit axes)", draw: squeezeDraw, f: ({ axis }: { axis: number[] | null }) => (x) => np.squeeze(x, axis) });
op({ name: "broadcastTo", draw: broadcastToDraw, f: ({ t }: { t: number[] }) => (x) => np.broadcastTo(x, t) });
op({ name: "concatenate (1–3 arrays)", draw: concatenateDraw, f: ({ axis }: { axis: number }) => (...xs) => np.concatenate(xs, axis) });
op({ name: "stack (1–3 arrays)", ...STACK });
op({ name: "split (sections or cut indices)", ...SPLIT });
op({ name: "tile", ...TILE });
op({ name: "repeat (count or per-element counts, axis or flat)", ...REPEAT });
op({ name: "slice (indices, steps, negative steps, new axes, ellipsis)", draw: sliceDraw, f: ({ args }: { args: SliceItem[] }) => (x) => x.slice(...args) });
op({ name: "flip (all, one or several axes)", draw: flipDraw, f: ({ axis }: { axis: number | number[] | null }) => (x) => np.flip(x, axis) });

// ---- gathers and scatters (duplicates are the point) -------------------------------------------

op({ name: "take (axis or flat; negative and duplicate indices)", ...TAKE, f32: true });
op({ name: "takeAlongAxis (broadcast indices, duplicates)", ...TAKE_ALONG_AXIS });
op({
  name: "segmentSum (duplicate segment ids, explicit or inferred count)", draw: segmentSumDraw,
  f: ({ ids, num }: { ids: number[]; num?: number }) => (d) => np.segmentSum(d, np.array(ids, { dtype: "int32" }), num),
  f32: true,
});
op({ name: "indexAdd (duplicate and negative indices, broadcast values)", ...INDEX_ADD, f32: true });

// ---- products ---------------------------------------------------------------------------------

op({ name: "matmul (vectors, batched, broadcast batch dims)", ...MATMUL, f32: true });
op({ name: "dot (scalars, vectors, N-d · M-d)", ...DOT });
op({
  name: "einsum (matmul, batched, diagonal, full sum, inner, outer, chains, ellipsis, implicit)",
  ...einsum([...EINSUM_CASES, { spec: "ij,jk", letters: ["ij", "jk"] }]),
  f32: true,
});
op({ name: "outer", ...OUTER });
op({ name: "inner, vdot, tensordot", ...INNER_VDOT_TENSORDOT });
op({ name: "diagonal and trace (offsets)", ...DIAGONAL_TRACE });
op({ name: "hstack, vstack", ...HSTACK_VSTACK });
op({ name: "cross (broadcast leading dims)", ...CROSS });
op({
  name: "sort (axis or flat)", draw: sortDraw, domain: "distinct",
  f: ({ axis }: { axis: number | null }) => (x) => np.sort(x, axis),
  f32: true,
});

// ---- np.linalg --------------------------------------------------------------------------------

/** Smallest gap between sorted values along the last axis (and |smallest| when `fromZero`). */
function minGap(w: Tensor, fromZero = false): number {
  const n = w.shape[w.ndim - 1];
  const d = Array.from(w.data());
  let gap = Infinity;
  for (let r = 0; r < d.length / n; r++) {
    const row = d.slice(r * n, (r + 1) * n).sort((a, b) => a - b);
    for (let i = 1; i < n; i++) gap = Math.min(gap, row[i] - row[i - 1]);
    if (fromZero) gap = Math.min(gap, Math.abs(row[0]));
  }
  return gap;
}

const L = linalg;
op({ name: "linalg.inv (stacks)", ...LINALG_INV });
op({ name: "linalg.solve (vector or matrix right-hand side, broadcast stacks)", ...LINALG_SOLVE, f32: true });
op({ name: "linalg.det (stacks)", draw: squareDraw, domain: "unit", f: () => (a) => L.det(shifted(a)), f32: true });
op({
  name: "linalg.slogdet (positive and negative determinants)",
  draw: squareDims.chain(({ batch, n }) => fc.constantFrom(1, -1).map((sign) => ({ shapes: [[...batch, n, n]], params: { sign } }))),
  domain: "unit",
  f: ({ sign }: { sign: number }) => (a) => L.slogdet(shifted(a).mul(sign)) as Tensor[],
});
op({ name: "linalg.cholesky (of a aᵀ + n·I)", ...LINALG_CHOLESKY });
op({
  name: "linalg.eigh (eigenvalues; eigenvectors up to sign as v⊙v)", draw: squareDraw, domain: "unit",
  pre: ([a]) => minGap(L.eigh(sym(a))[0]) > 0.05,
  f: () => (a) => { const [w, v] = L.eigh(a) as [Tensor, Tensor]; return [w, v.mul(v)]; },
  f32: true,
});
op({
  name: "linalg.svd (singular values; u⊙u and vt⊙vt)", draw: svdDraw, domain: "unit",
  pre: ([a]) => minGap(L.svd(a, { computeUv: false }), true) > 0.05,
  f: () => (a) => { const [u, s, vt] = L.svd(a) as [Tensor, Tensor, Tensor]; return [s, u.mul(u), vt.mul(vt)]; },
});
op({ name: "linalg.norm (vector 2-norm / Frobenius)", draw: noParams(shape(1, 2).map((s) => [s])), domain: "nonzero", f: () => (x) => L.norm(x) });
op({
  name: "linalg.norm (vector ord 1, 3, ∞ along an axis; matrix 'fro')",
  draw: noParams(shape(2, 2).map((s) => [s])), domain: "distinct",
  // distinct multiples of 0.01, shifted by 0.003: no zeros and no ties in |x| (the ∞-norm's kinks)
  f: () => (x) => { const y = x.add(0.003); return [L.norm(y, 1, 1), L.norm(y, 3, 0), L.norm(y, Infinity, -1), L.norm(y, "fro")]; },
});

// ---- the property tests -----------------------------------------------------------------------

for (const spec of specs) {
  test(`${spec.name}: jvp and vjp match central differences, grad∘grad, vmap matches a loop`, () => {
    fc.assert(fc.property(caseArb(spec), (c) => checkAll(spec, c)), { numRuns: runs(spec.numRuns ?? 20), seed: SEED, includeErrorInReport: true });
  });
}

for (const spec of specs.filter((s) => s.f32)) {
  test(`${spec.name}: float32 values, jvp and vjp agree with float64 to 1e-5`, () => {
    fc.assert(fc.property(caseArb(spec), (c) => {
      const args = c.shapes.map((s, i) => tensor(c.values[i], s));
      if (spec.pre) fc.pre(spec.pre(args, c.params));
      checkFloat32(spec.f(c.params), args, { seed: c.seed });
    }), { numRuns: runs(8), seed: SEED + 1, includeErrorInReport: true });
  });
}

// ---- explicit cases ---------------------------------------------------------------------------

test("grad(grad(f)) of scalar functions matches the analytic second derivative", () => {
  const cases: [string, (x: Tensor) => Tensor, (x: number) => number, number][] = [
    ["sin", np.sin, (x) => -Math.sin(x), 0.7],
    ["exp", np.exp, (x) => Math.exp(x), -0.3],
    ["log", np.log, (x) => -1 / (x * x), 1.7],
    ["tanh", np.tanh, (x) => { const t = Math.tanh(x); return -2 * t * (1 - t * t); }, 0.4],
    ["sqrt", np.sqrt, (x) => -0.25 * x ** -1.5, 2.2],
    ["arctan", np.arctan, (x) => (-2 * x) / (1 + x * x) ** 2, 0.9],
    ["erf", np.erf, (x) => (-4 * x / Math.sqrt(Math.PI)) * Math.exp(-x * x), 0.5],
    ["x³", (x) => x.mul(x).mul(x), (x) => 6 * x, 1.3],
  ];
  for (const [name, f, d2, x0] of cases) {
    const g2 = grad(grad(f))(np.array(x0));
    assert.ok(Math.abs(g2.item() - d2(x0)) < 1e-12 * Math.max(1, Math.abs(d2(x0))), `${name}: grad∘grad ${g2.item()} vs ${d2(x0)}`);
  }
});

test("segmentSum and indexAdd with all indices equal: the cotangent of every row is the same", () => {
  const data = tensor([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
  const [, back] = vjp((d: Tensor) => np.segmentSum(d, [1, 1, 1, 1], 3), data);
  const ct = tensor([10, 20, 30, 40, 50, 60], [3, 2]);
  assert.deepEqual((back(ct)[0] as Tensor).toArray(), [[30, 40], [30, 40], [30, 40], [30, 40]]);
  const x = np.zeros([3]);
  const [y, back2] = vjp((x: Tensor, v: Tensor) => np.indexAdd(x, [2, 2, -1], v), x, tensor([1, 2, 4], [3]));
  assert.deepEqual((y as Tensor).toArray(), [0, 0, 7]);
  const [cx, cv] = back2(tensor([1, 2, 3], [3])) as Tensor[];
  assert.deepEqual(cx.toArray(), [1, 2, 3]);
  assert.deepEqual(cv.toArray(), [3, 3, 3]);
});

test("vmap with batched indices (take, takeAlongAxis, segmentSum, indexAdd) matches a loop, and so does vmap of grad", () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), (seed, n, b) => {
    const next = rng(seed);
    const x = randomLike(np.zeros([b, n, 3]), next);
    const rnd = (len: number, hi: number, lo = 0) => Array.from({ length: len }, () => lo + Math.floor(((next() + 1) / 2) * (hi - lo)));
    const idx = intTensor(rnd(b * 5, n, -n), [b, 5]);
    const ids = intTensor(rnd(b * n, 3), [b, n]);
    const takeF = (x: Tensor, i: Tensor) => np.take(x, i, 0);
    const alongF = (x: Tensor, i: Tensor) => np.takeAlongAxis(x, np.reshape(i, [5, 1]), 0);
    const segF = (x: Tensor, i: Tensor) => np.segmentSum(x, i, 3);
    const addF = (x: Tensor, i: Tensor) => np.indexAdd(np.zeros([n, 3]), i, np.ones([5, 3]).mul(x.sum()));
    for (const [f, i, axes] of [[takeF, idx, [0, 0]], [takeF, idx, [null, 0]], [alongF, idx, [0, 0]], [segF, ids, [0, 0]], [segF, ids, [null, 0]], [addF, idx, [0, 0]]] as const) {
      const xin = axes[0] === null ? np.take(x, 0, 0) : x;
      const fn = (xx: Tensor, ii: Tensor) => f(xx, ii);
      const loop = (g: (a: Tensor, j: Tensor) => Tensor) => np.stack(Array.from({ length: b }, (_, k) => g(axes[0] === null ? xin : np.take(xin, k, 0), np.take(i, k, 0))));
      const got = vmap(fn, { inAxes: [...axes] })(xin, i) as Tensor;
      assertClose(flat([got]), flat([loop(fn)]), { rtol: 1e-12, atol: 1e-12 }, "vmap with batched indices");
      const gf = (xx: Tensor, ii: Tensor) => grad((z: Tensor) => np.sum(np.sin(fn(z, ii))))(xx);
      const gotG = vmap(gf, { inAxes: [...axes] })(xin, i) as Tensor;
      assertClose(flat([gotG]), flat([loop(gf)]), { rtol: 1e-12, atol: 1e-12 }, "vmap of grad with batched indices");
    }
  }), { numRuns: runs(15), seed: SEED + 2, includeErrorInReport: true });
});

test("jacfwd, jacrev and hessian agree with each other and with central differences", () => {
  const f = (x: Tensor) => np.stack([np.sum(np.sin(x).mul(x)), np.logsumexp(x), np.prod(np.cos(x))]);
  const s = (x: Tensor) => np.sum(np.exp(x.mul(0.3))).mul(np.sum(np.tanh(x)));
  const x = tensor([0.3, -1.2, 0.8, 2.1], [4]);
  const jf = jacfwd(f)(x) as Tensor, jr = jacrev(f)(x) as Tensor;
  assert.deepEqual(jf.shape, [3, 4]);
  assertClose(flat([jf]), flat([jr]), { rtol: 1e-12, atol: 1e-12 }, "jacfwd vs jacrev");
  const h = hessian(s)(x) as Tensor;
  assert.deepEqual(h.shape, [4, 4]);
  const hh = jacfwd(jacrev(s))(x) as Tensor;
  assertClose(flat([h]), flat([hh]), { rtol: 1e-12, atol: 1e-12 }, "hessian vs jacfwd(jacrev)");
  assertClose(flat([h]), flat([np.transpose(h)]), { rtol: 1e-12, atol: 1e-12 }, "hessian symmetry");
  // column j of the Hessian: central difference of grad along e_j
  const g = grad(s);
  for (let j = 0; j < 4; j++) {
    const e = tensor(range(4).map((i) => (i === j ? 1e-5 : 0)), [4]);
    const col = (g(x.add(e)) as Tensor).sub(g(x.sub(e)) as Tensor).div(2e-5);
    assertClose(flat([col]), flat([np.take(h, j, 1)]), { rtol: 1e-6, atol: 1e-6 }, `hessian column ${j}`);
  }
  // and jvp of grad (forward over reverse) is the same Hessian-vector product
  const v = tensor([1, -2, 0.5, 3], [4]);
  const [, hv] = jvp(g, [x], [v]) as [Tensor, Tensor];
  assertClose(flat([hv]), flat([np.matmul(h, v)]), { rtol: 1e-12, atol: 1e-12 }, "jvp(grad) vs hessian·v");
});

test("power at special points: x⁰ and x² at 0, integer powers of negative bases, 0^y", () => {
  const d = (f: (x: Tensor) => Tensor, x: number) => (grad(f)(np.array(x)) as Tensor).item();
  assert.equal(d((x) => np.power(x, 0), 0), 0, "d/dx x⁰ at 0 is 0 (not NaN)");
  assert.equal(d((x) => np.power(x, 2), 0), 0);
  assert.equal(d((x) => np.power(x, 1), 0), 1);
  assert.equal(d((x) => np.power(x, 3), -2), 12);
  assert.equal(d((x) => np.power(x, -2), -2), 0.25);
  assert.equal((grad(grad((x: Tensor) => np.power(x, 2)))(np.array(0)) as Tensor).item(), 2);
  assert.equal(d((y) => np.power(0, y), 2), 0, "d/dy 0^y at y = 2 is 0");
  assertClose([d((y) => np.power(3, y), 2)], [9 * Math.log(3)], { rtol: 1e-14, atol: 0 }, "d/dy 3^y");
});

test("stopGradient: values pass through, derivatives of every order stop", () => {
  const f = (x: Tensor) => np.stopGradient(x.mul(x)).mul(x).add(np.sin(x));
  const x = tensor([0.3, -1.1], [2]);
  const [y, ty] = jvp(f, [x], [np.ones([2])]) as [Tensor, Tensor];
  assertClose(flat([y]), [0.027 + Math.sin(0.3), -1.331 + Math.sin(-1.1)], { rtol: 1e-14, atol: 0 }, "value");
  assertClose(flat([ty]), [0.09 + Math.cos(0.3), 1.21 + Math.cos(-1.1)], { rtol: 1e-14, atol: 0 }, "jvp");
  const g = grad((x: Tensor) => np.sum(f(x)));
  assertClose(flat([g(x) as Tensor]), flat([ty]), { rtol: 1e-14, atol: 0 }, "grad");
  assertClose(flat([grad((x: Tensor) => np.sum(g(x) as Tensor))(x) as Tensor]), [-Math.sin(0.3), -Math.sin(-1.1)], { rtol: 1e-14, atol: 0 }, "grad∘grad");
});

test("astype between float32 and float64 carries derivatives in each dtype", () => {
  const x32 = np.array([0.5, -1.25, 2], { dtype: "float32" });
  const f = (x: Tensor) => np.sum(np.square(x.astype("float64")).mul(np.array([1, 2, 3])));
  const g = grad(f)(x32) as Tensor;
  assert.equal(g.dtype, "float32");
  assert.deepEqual(Array.from(g.data()), [1, -5, 12]);
  const h = (x: Tensor) => np.sum(np.exp(x.astype("float32")));
  const x64 = tensor([0.1, 0.2], [2]);
  const gh = grad(h)(x64) as Tensor;
  assert.equal(gh.dtype, "float64");
  assertClose(flat([gh]), [Math.exp(0.1), Math.exp(0.2)], { rtol: 1e-6, atol: 0 }, "grad through a float32 cast");
  const [, t] = jvp((x: Tensor) => x.astype("float64"), [x32], [np.ones([3], { dtype: "float32" })]) as [Tensor, Tensor];
  assert.equal(t.dtype, "float64");
});

test("ops on zero-size arrays differentiate to zero-size or zero cotangents", () => {
  const cases: [string, Fn, number[][]][] = [
    ["sum over an empty axis", (x) => np.sum(x, 0), [[0, 3]]],
    ["prod over an empty axis", (x) => np.prod(x, 1), [[2, 0]]],
    ["matmul with k = 0", (a, b) => np.matmul(a, b), [[2, 0], [0, 3]]],
    ["concatenate with an empty part", (a, b) => np.concatenate([a, b], 0), [[0, 3], [2, 3]]],
    ["take with no indices", (a) => np.take(a, np.zeros([0], { dtype: "int32" }), 0), [[3, 2]]],
    ["segmentSum of no rows", (a) => np.segmentSum(a, np.zeros([0], { dtype: "int32" }), 2), [[0, 2]]],
    ["cumsum of an empty axis", (a) => np.cumsum(a, 0), [[0, 2]]],
    ["an empty slice", (a) => a.slice([2, 1]), [[3, 2]]],
    ["tile by 0", (a) => np.tile(a, [0, 2]), [[2, 2]]],
  ];
  for (const [name, f, shapes] of cases) {
    const args = shapes.map((s, i) => tensor(range(sizeOf(s)).map((k) => Math.sin(k + i)), s));
    for (const check of [checkJvp, checkVjp, checkSecondOrder]) {
      try { check(f, args); } catch (e) { throw new Error(`${name}: ${(e as Error).message}`); }
    }
    checkVmap(f, args.map((a) => np.stack([a, a.mul(2)], 1 % (a.ndim + 1))), args.map((a) => 1 % (a.ndim + 1)), undefined, `${name}: vmap`);
  }
});
