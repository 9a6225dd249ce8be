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
// The table is this file's own (derivatives.test.ts does not export its table); it covers the
// same ops. Seeded: DIFFMOL_FC_SEED / DIFFMOL_FC_RUNS as in derivatives.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { np, grad, vmap, jit, Tensor } from "../../src/index.js";
import type { DType } from "../../src/index.js";
import { Fn, batchOf, flat, outputs, randomLike, rng, tensor } from "../helpers/check-grads.js";

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

// ---- drawing shapes, parameters and values -------------------------------------------------------

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const sizeOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const normAxis = (a: number, r: number) => (a < 0 ? a + r : a);

function shape(minRank = 0, maxRank = 3, minDim = 1, maxDim = 4): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}
function broadcastable(s: readonly number[]): fc.Arbitrary<number[]> {
  return fc.tuple(fc.integer({ min: 0, max: s.length }), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }))
    .map(([drop, ones]) => s.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
}
function axisArg(r: number): fc.Arbitrary<number | number[] | null> {
  const options: fc.Arbitrary<number | number[] | null>[] = [fc.constant(null), fc.subarray(range(r)).map((l) => l.map((a, i) => (i % 2 ? a - r : a)))];
  if (r > 0) options.push(fc.integer({ min: -r, max: r - 1 }));
  return fc.oneof(...options);
}

type Domain = "real" | "pos" | "unit" | "nonzero" | "distinct" | readonly [number, number];

function valuesFor(n: number, d: Exclude<Domain, "distinct">): fc.Arbitrary<number[]> {
  const arr = (a: fc.Arbitrary<number>) => fc.array(a, { minLength: n, maxLength: n });
  const dbl = (min: number, max: number) => fc.double({ min, max, noNaN: true });
  if (d === "real") return arr(dbl(-2, 2));
  if (d === "pos") return arr(dbl(0.2, 2.5));
  if (d === "unit") return arr(dbl(-0.9, 0.9));
  if (d === "nonzero") return arr(fc.tuple(fc.boolean(), dbl(0.2, 2)).map(([neg, v]) => (neg ? -v : v)));
  return arr(dbl(d[0], d[1]));
}
function valuesArb(shapes: readonly number[][], domains: readonly Domain[]): fc.Arbitrary<number[][]> {
  if (domains.includes("distinct")) {
    const total = shapes.reduce((k, s) => k + sizeOf(s), 0);
    return fc.uniqueArray(fc.integer({ min: -250, max: 250 }), { minLength: total, maxLength: total }).map((all) => {
      let k = 0;
      return shapes.map((s) => { const n = sizeOf(s); const v = all.slice(k, k + n).map((x) => x / 100); k += n; return v; });
    });
  }
  return fc.tuple(...shapes.map((s, i) => valuesFor(sizeOf(s), domains[i] as Exclude<Domain, "distinct">)));
}

/** Index values in [-n, n) (or [0, n)), with at least one duplicate. */
function indices(shape: readonly number[], n: number, negative = true): fc.Arbitrary<number[]> {
  const k = sizeOf(shape);
  return fc.array(fc.integer({ min: negative ? -n : 0, max: n - 1 }), { minLength: k, maxLength: k })
    .map((v) => (v.length >= 2 ? [...v.slice(0, -1), v[0]] : v));
}
const intTensor = (v: number[], s: number[]) => np.reshape(np.array(v, { dtype: "int32" }), s);

interface Drawn<P> {
  shapes: number[][];
  params: P;
  /** Integer arguments passed after the float ones (traced as int32 inputs, not differentiated). */
  ints?: { values: number[]; shape: number[] }[];
}
interface Case<P> extends Drawn<P> { values: number[][]; vmapAxes: (number | null)[]; seed: number }

interface OpSpec<P> {
  name: string;
  draw: fc.Arbitrary<Drawn<P>>;
  domain?: Domain | Domain[];
  f: (p: P) => Fn;
  /** Skip draws at a jump of the op (where float32 intermediates kept in float64 may take the other side). */
  pre?: (args: Tensor[], p: P) => boolean;
  /** No gradient (piecewise constant, or not differentiable everywhere we draw). */
  grad?: boolean;
  vmap?: boolean;
  numRuns?: number;
}

function caseArb<P>(spec: OpSpec<P>): fc.Arbitrary<Case<P>> {
  return spec.draw.chain((d) => {
    const domains = d.shapes.map((_, i) => (Array.isArray(spec.domain) && typeof spec.domain[0] !== "number" ? (spec.domain as Domain[])[i] : (spec.domain as Domain | undefined) ?? "real"));
    return fc.record({
      values: valuesArb(d.shapes, domains),
      vmapAxes: fc.array(fc.option(fc.nat(3), { nil: null }), { minLength: d.shapes.length, maxLength: d.shapes.length }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    }).map((r) => ({ ...d, ...r }));
  });
}

const specs: OpSpec<any>[] = [];
function op<P>(spec: OpSpec<P>): void { specs.push(spec as OpSpec<any>); }
const noParams = (shapes: fc.Arbitrary<number[][]>): fc.Arbitrary<Drawn<Record<string, never>>> => shapes.map((s) => ({ shapes: s, params: {} }));

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

const binaryShapes: fc.Arbitrary<number[][]> = fc.oneof(
  { arbitrary: shape(0, 3).chain((s) => fc.tuple(broadcastable(s), broadcastable(s))), weight: 5 },
  { arbitrary: fc.constantFrom<number[][]>([[3, 1], [4]], [[4], [3, 1]], [[2, 1, 3], [4, 1]]), weight: 1 },
);
const binary = (name: string, fn: (x: Tensor, y: Tensor) => Tensor, domain: Domain | Domain[] = "real", extra: Partial<OpSpec<unknown>> = {}) =>
  op({ name, draw: noParams(binaryShapes), domain, f: () => fn, ...extra });

binary("add", np.add);
binary("subtract", np.subtract);
binary("multiply", np.multiply);
binary("divide", np.divide, ["real", "nonzero"]);
binary("power (positive base)", np.power, ["pos", "real"]);
binary("arctan2", np.arctan2, ["nonzero", "nonzero"]);
binary("maximum", np.maximum, "distinct");
binary("minimum", np.minimum, "distinct");
binary("mod", np.mod, [[-3, 3], "nonzero"], {
  pre: ([x, y]) => Array.from(np.divide(x, y).data()).every((q) => Math.abs(q - Math.round(q)) > 1e-3),
});
binary("logaddexp", np.logaddexp, [[-3, 3], [-3, 3]]);
binary("hypot", np.hypot, ["nonzero", "nonzero"]);
op({ name: "comparisons and logical ops (non-differentiable outputs)", draw: noParams(binaryShapes), domain: "distinct", grad: false,
  f: () => (x, y) => [np.less(x, y), np.greaterEqual(x, y), np.equal(x, x), np.where(np.logicalAnd(np.greater(x, 0), np.less(y, 0.5)), x, y)] });
op({ name: "log2, log10, exp2", draw: noParams(shape(0, 3).map((s) => [s])), domain: "pos", f: () => (x) => [np.log2(x), np.log10(x), np.exp2(x)] });
op({ name: "floor, ceil, round, sign", draw: noParams(shape(0, 3).map((s) => [s])), domain: [-3, 3],
  f: () => (x) => [np.floor(x).mul(x), np.ceil(x).mul(x), np.round(x).mul(x), np.sign(x).mul(x)] });
op({ name: "tensor methods", draw: noParams(binaryShapes), domain: ["real", "nonzero"], f: () => (x, y) => x.mul(y).add(x).div(y).pow(2) });
op({ name: "power with integer and fractional literal exponents", draw: noParams(shape(0, 3).map((s) => [s])), domain: "pos",
  f: () => (x) => [np.power(x, 2), np.power(x, -3), np.power(x, 0.5), np.power(x, -6), x.pow(1)] });

const unary = (name: string, fn: (x: Tensor) => Tensor, domain: Domain = "real") =>
  op({ name, draw: noParams(shape(0, 3).map((s) => [s])), domain, f: () => fn });
unary("negative", np.negative);
unary("abs", np.abs, "nonzero");
unary("square", np.square);
unary("sqrt", np.sqrt, "pos");
unary("rsqrt", np.rsqrt, "pos");
unary("reciprocal", np.reciprocal, "nonzero");
unary("exp", np.exp);
unary("expm1", np.expm1);
unary("log", np.log, "pos");
unary("log1p", np.log1p, [-0.8, 2]);
unary("sin", np.sin, [-4, 4]);
unary("cos", np.cos, [-4, 4]);
unary("tan", np.tan, [-1.2, 1.2]);
unary("arcsin", np.arcsin, "unit");
unary("arccos", np.arccos, "unit");
unary("arctan", np.arctan, [-3, 3]);
unary("sinh", np.sinh);
unary("cosh", np.cosh);
unary("tanh", np.tanh);
unary("erf", np.erf);
op({ name: "clip (constant bounds)", draw: noParams(shape(0, 3).map((s) => [s])), domain: "distinct", f: () => (x) => np.clip(x, -0.5003, 0.4997) });
op({
  name: "clip (broadcast tensor bounds)",
  draw: noParams(shape(0, 3).chain((s) => fc.tuple(fc.constant(s), broadcastable(s), broadcastable(s)))), domain: "distinct",
  f: () => (x, lo, hi) => np.clip(x, lo, hi),
});
op({
  name: "where (broadcast condition and branches)",
  draw: shape(0, 3).chain((s) => fc.tuple(broadcastable(s), broadcastable(s), broadcastable(s)).chain(([cs, xs, ys]) =>
    fc.array(fc.boolean(), { minLength: sizeOf(cs), maxLength: sizeOf(cs) }).map((mask) => ({ shapes: [xs, ys], params: { cs, mask } })))),
  f: ({ cs, mask }: { cs: number[]; mask: boolean[] }) => (x, y) => np.where(np.reshape(np.array(mask), cs), x, y),
});

// ---- reductions --------------------------------------------------------------------------------------

type RedParams = { axis: number | number[] | null; keepdims: boolean };
const reductionDraw: fc.Arbitrary<Drawn<RedParams>> = shape(0, 3).chain((s) =>
  fc.record({ axis: axisArg(s.length), keepdims: fc.boolean() }).map((params) => ({ shapes: [s], params })));
const reduction = (name: string, fn: (x: Tensor, axis: RedParams["axis"], o: { keepdims: boolean }) => Tensor, domain: Domain = "real") =>
  op<RedParams>({ name, draw: reductionDraw, domain, f: ({ axis, keepdims }) => (x) => fn(x, axis, { keepdims }) });
reduction("sum", np.sum);
reduction("mean", np.mean);
reduction("prod", np.prod);
reduction("max", np.max, "distinct");
reduction("min", np.min, "distinct");
reduction("logsumexp", np.logsumexp, [-4, 4]);
op<RedParams & { ddof: number }>({
  name: "var and std (axis lists, keepdims, ddof)", domain: "distinct",
  draw: shape(1, 3, 2, 4).chain((s) => fc.record({ axis: axisArg(s.length), keepdims: fc.boolean(), ddof: fc.integer({ min: 0, max: 1 }) }).map((params) => ({ shapes: [s], params }))),
  f: ({ axis, keepdims, ddof }) => (x) => [np.var(x, axis, { keepdims, ddof }), np.std(x, axis, { keepdims, ddof })],
});
op({
  name: "cumsum (axis, reverse)",
  draw: shape(0, 3).chain((s) => fc.record({
    axis: s.length === 0 ? fc.constant(null) : fc.option(fc.integer({ min: -s.length, max: s.length - 1 }), { nil: null }),
    reverse: fc.boolean(),
  }).map((params) => ({ shapes: [s], params }))),
  f: ({ axis, reverse }: { axis: number | null; reverse: boolean }) => (x) => np.cumsum(x, axis, { reverse }),
});
op({
  name: "argmax, argmin (integer outputs)", grad: false, domain: "distinct",
  draw: shape(1, 3).chain((s) => fc.integer({ min: -s.length, max: s.length - 1 }).map((axis) => ({ shapes: [s], params: { axis } }))),
  f: ({ axis }: { axis: number }) => (x) => [np.argmax(x, axis), np.argmin(x, axis)],
});

// ---- shape ops ---------------------------------------------------------------------------------------

op({
  name: "reshape (merged dims, -1)",
  draw: shape(0, 3).chain((s) => fc.record({
    perm: fc.shuffledSubarray(s, { minLength: s.length, maxLength: s.length }),
    merge: fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
    minusOne: fc.boolean(),
  }).map(({ perm, merge, minusOne }) => {
    const target: number[] = [];
    perm.forEach((d, i) => (merge[i] && target.length > 0 ? (target[target.length - 1] *= d) : target.push(d)));
    if (minusOne && target.length > 0) target[0] = -1;
    return { shapes: [s], params: { target } };
  })),
  f: ({ target }: { target: number[] }) => (x) => np.reshape(x, target),
});
op({
  name: "transpose (random permutation), then elementwise",
  draw: shape(0, 3).chain((s) => fc.option(fc.shuffledSubarray(range(s.length), { minLength: s.length, maxLength: s.length }), { nil: undefined })
    .map((perm) => ({ shapes: [s], params: { perm } }))),
  f: ({ perm }: { perm?: number[] }) => (x) => [np.transpose(x, perm), np.sin(np.transpose(x.mul(2), perm))],
});
const twoAxes = shape(1, 3).chain((s) => fc.tuple(fc.integer({ min: -s.length, max: s.length - 1 }), fc.integer({ min: -s.length, max: s.length - 1 }))
  .map(([a, b]) => ({ shapes: [s], params: { a, b } })));
op({ name: "swapaxes, moveaxis", draw: twoAxes, f: ({ a, b }: { a: number; b: number }) => (x) => [np.swapaxes(x, a, b), np.moveaxis(np.exp(x), a, b)] });
op({
  name: "expandDims",
  draw: shape(0, 2).chain((s) => fc.integer({ min: 1, max: 2 }).chain((k) =>
    fc.shuffledSubarray(range(s.length + k), { minLength: k, maxLength: k }).map((axes) => ({ shapes: [s], params: { axis: k === 1 ? axes[0] : axes } })))),
  f: ({ axis }: { axis: number | number[] }) => (x) => np.expandDims(x, axis).mul(x.sum()),
});
op({
  name: "squeeze",
  draw: fc.array(fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 4 })), { minLength: 0, maxLength: 4 }).chain((s) => {
    const ones = range(s.length).filter((i) => s[i] === 1);
    return fc.option(fc.subarray(ones), { nil: null }).map((axis) => ({ shapes: [s], params: { axis } }));
  }),
  f: ({ axis }: { axis: number[] | null }) => (x) => np.squeeze(np.cos(x), axis),
});
op({
  name: "broadcastTo",
  draw: shape(0, 3).chain((t) => broadcastable(t).map((s) => ({ shapes: [s], params: { t } }))),
  f: ({ t }: { t: number[] }) => (x) => [np.broadcastTo(x, t), np.broadcastTo(x, t).mul(np.broadcastTo(x, t))],
});
op({
  name: "concatenate",
  draw: shape(1, 3).chain((s) => fc.record({
    axis: fc.integer({ min: -s.length, max: s.length - 1 }),
    lens: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
  }).map(({ axis, lens }) => ({ shapes: lens.map((n) => s.map((d, i) => (i === normAxis(axis, s.length) ? n : d))), params: { axis } }))),
  f: ({ axis }: { axis: number }) => (...xs) => np.concatenate(xs.map((x) => np.tanh(x)), axis),
});
op({
  name: "stack",
  draw: shape(0, 2).chain((s) => fc.record({ axis: fc.integer({ min: -s.length - 1, max: s.length }), k: fc.integer({ min: 1, max: 3 }) })
    .map(({ axis, k }) => ({ shapes: new Array(k).fill(s), params: { axis } }))),
  f: ({ axis }: { axis: number }) => (...xs) => np.stack(xs, axis),
});
op({
  name: "split",
  draw: shape(1, 3).chain((s) => fc.integer({ min: -s.length, max: s.length - 1 }).chain((axis) => {
    const n = s[normAxis(axis, s.length)];
    const divisors = range(n + 1).filter((d) => d > 0 && n % d === 0);
    return fc.oneof(fc.constantFrom(...divisors), fc.array(fc.integer({ min: -n, max: n + 1 }), { maxLength: 3 }))
      .map((sections) => ({ shapes: [s], params: { axis, sections } }));
  })),
  f: ({ axis, sections }: { axis: number; sections: number | number[] }) => (x) => np.split(x, sections, axis),
});
op({
  name: "tile",
  draw: shape(0, 3).chain((s) => fc.oneof(fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 }))
    .map((reps) => ({ shapes: [s], params: { reps } }))),
  f: ({ reps }: { reps: number | number[] }) => (x) => np.tile(x, reps),
});
op({
  name: "repeat",
  draw: shape(0, 3).chain((s) => fc.option(s.length > 0 ? fc.integer({ min: -s.length, max: s.length - 1 }) : fc.constant(null), { nil: null }).chain((axis) => {
    const n = axis === null ? sizeOf(s) : s[normAxis(axis, s.length)];
    return fc.oneof(fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }))
      .map((repeats) => ({ shapes: [s], params: { axis, repeats } }));
  })),
  f: ({ axis, repeats }: { axis: number | null; repeats: number | number[] }) => (x) => np.repeat(x, repeats, axis),
});

type SliceItem = number | (number | null)[] | string | null;
op({
  name: "slice (indices, steps, negative steps, new axes, ellipsis), then elementwise",
  numRuns: 24,
  draw: shape(0, 3).chain((s) => {
    const perAxis = s.map((n) => fc.oneof(
      fc.integer({ min: -n, max: n - 1 }),
      fc.tuple(fc.option(fc.integer({ min: -n - 1, max: n + 1 }), { nil: null }), fc.option(fc.integer({ min: -n - 1, max: n + 1 }), { nil: null }),
        fc.option(fc.constantFrom(-3, -2, -1, 1, 2, 3), { nil: null })).map((r) => r as (number | null)[]),
      fc.constantFrom<SliceItem>("::-1", ":", "1:", "::2"),
    ));
    return fc.record({
      items: fc.tuple(...perAxis),
      keep: fc.integer({ min: 0, max: s.length }),
      ellipsis: fc.boolean(),
      newAxes: fc.array(fc.integer({ min: 0, max: s.length }), { maxLength: 2 }),
    }).map(({ items, keep, ellipsis, newAxes }) => {
      const args: SliceItem[] = (items as SliceItem[]).slice(0, keep);
      if (ellipsis) args.push("...");
      for (const p of newAxes) args.splice(Math.min(p, args.length), 0, null);
      return { shapes: [s], params: { args } };
    });
  }),
  f: ({ args }: { args: SliceItem[] }) => (x) => { const y = x.slice(...args); return [y, np.exp(y).mul(y), np.sin(x).slice(...args)]; },
});
op({
  name: "flip",
  draw: shape(0, 3).chain((s) => axisArg(s.length).map((axis) => ({ shapes: [s], params: { axis } }))),
  f: ({ axis }: { axis: number | number[] | null }) => (x) => np.flip(x, axis).mul(x),
});

// ---- gathers and scatters (duplicates are the point) ----------------------------------------------

op({
  name: "take (axis or flat; negative and duplicate captured indices)",
  draw: shape(0, 3).chain((s) => fc.option(s.length > 0 ? fc.integer({ min: -s.length, max: s.length - 1 }) : fc.constant(null), { nil: null })
    .chain((axis) => shape(0, 2, 1, 5).chain((is) => indices(is, axis === null ? sizeOf(s) : s[normAxis(axis, s.length)])
      .map((idx) => ({ shapes: [s], params: { axis, is, idx } }))))),
  f: ({ axis, is, idx }: { axis: number | null; is: number[]; idx: number[] }) => (x) => np.take(x, intTensor(idx, is), axis),
});
op({
  name: "take (indices as a traced int32 argument), then elementwise",
  draw: shape(1, 3).chain((s) => fc.integer({ min: -s.length, max: s.length - 1 })
    .chain((axis) => shape(0, 2, 1, 5).chain((is) => indices(is, s[normAxis(axis, s.length)])
      .map((idx) => ({ shapes: [s], params: { axis }, ints: [{ values: idx, shape: is }] }))))),
  f: ({ axis }: { axis: number }) => (x, i) => np.sin(np.take(x, i, axis)).mul(np.take(x, i, axis)),
});
op({
  name: "takeAlongAxis",
  draw: shape(1, 3).chain((s) => fc.integer({ min: -s.length, max: s.length - 1 }).chain((axis) => {
    const a = normAxis(axis, s.length);
    return fc.tuple(...s.map((d, i) => (i === a ? fc.integer({ min: 1, max: 4 }) : fc.constantFrom(d, 1))))
      .chain((is) => indices(is, s[a]).map((idx) => ({ shapes: [s], params: { axis, is, idx } })));
  })),
  f: ({ axis, is, idx }: { axis: number; is: number[]; idx: number[] }) => (x) => np.takeAlongAxis(x, intTensor(idx, is), axis),
});
op({
  name: "segmentSum (duplicate ids, explicit or inferred count)",
  draw: fc.tuple(fc.integer({ min: 1, max: 6 }), shape(0, 2), fc.integer({ min: 1, max: 4 }), fc.boolean()).chain(([n, rest, segs, explicit]) =>
    indices([n], segs, false).map((ids) => ({ shapes: [[n, ...rest]], params: { ids, num: explicit ? segs : undefined } }))),
  f: ({ ids, num }: { ids: number[]; num?: number }) => (d) => np.segmentSum(np.square(d), np.array(ids, { dtype: "int32" }), num),
});
op({
  name: "segmentSum (traced int32 ids)",
  draw: fc.tuple(fc.integer({ min: 1, max: 6 }), shape(0, 2), fc.integer({ min: 1, max: 4 })).chain(([n, rest, segs]) =>
    indices([n], segs, false).map((ids) => ({ shapes: [[n, ...rest]], params: { segs }, ints: [{ values: ids, shape: [n] }] }))),
  f: ({ segs }: { segs: number }) => (d, ids) => np.segmentSum(np.exp(d), ids, segs),
});
op({
  name: "indexAdd (duplicate and negative indices, broadcast values)",
  draw: shape(1, 3).chain((s) => fc.integer({ min: -s.length, max: s.length - 1 }).chain((axis) => {
    const a = normAxis(axis, s.length);
    return shape(0, 2, 1, 5).chain((is) => {
      const want = [...s.slice(0, a), ...is, ...s.slice(a + 1)];
      return fc.tuple(indices(is, s[a]), broadcastable(want)).map(([idx, vs]) => ({ shapes: [s, vs], params: { axis, is, idx } }));
    });
  })),
  f: ({ axis, is, idx }: { axis: number; is: number[]; idx: number[] }) => (x, v) => np.indexAdd(x, intTensor(idx, is), v, axis),
});

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

op({
  name: "matmul (vectors, batched, broadcast batch dims)",
  draw: fc.record({
    m: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 3 }),
    batch: shape(0, 2, 1, 3), aVec: fc.boolean(), bVec: fc.boolean(),
  }).chain(({ m, k, n, batch, aVec, bVec }) => fc.tuple(broadcastable(batch), broadcastable(batch)).map(([ba, bb]) => ({
    shapes: [aVec ? [k] : [...ba, m, k], bVec ? [k] : [...bb, k, n]], params: {},
  }))),
  f: () => np.matmul,
});
op({
  name: "dot",
  draw: fc.oneof(
    shape(0, 2).map((s) => ({ shapes: [[], s], params: {} })),
    fc.record({ pa: shape(0, 2, 1, 3), pb: shape(0, 1, 1, 3), k: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 3 }), vec: fc.boolean() })
      .map(({ pa, pb, k, n, vec }) => ({ shapes: [[...pa, k], vec ? [k] : [...pb, k, n]], params: {} })),
  ),
  f: () => np.dot,
});
const EINSUM: { spec: string; letters: string[] }[] = [
  { spec: "ij,jk->ik", letters: ["ij", "jk"] },
  { spec: "bij,bjk->bik", letters: ["bij", "bjk"] },
  { spec: "ii->i", letters: ["ii"] },
  { spec: "ij->", letters: ["ij"] },
  { spec: "i,i->", letters: ["i", "i"] },
  { spec: "ij->ji", letters: ["ij"] },
  { spec: "i,j->ij", letters: ["i", "j"] },
  { spec: "ijk,jk->i", letters: ["ijk", "jk"] },
  { spec: "ij,ij->i", letters: ["ij", "ij"] },
  { spec: "ij,jk,kl->il", letters: ["ij", "jk", "kl"] },
  { spec: "iij->j", letters: ["iij"] },
  { spec: "...ij,...jk->...ik", letters: ["bij", "bjk"] },
];
op({
  name: "einsum",
  draw: fc.record({
    which: fc.integer({ min: 0, max: EINSUM.length - 1 }),
    sizes: fc.record({ i: fc.integer({ min: 1, max: 4 }), j: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 3 }), l: fc.integer({ min: 1, max: 3 }), b: fc.integer({ min: 1, max: 3 }) }),
  }).map(({ which, sizes }) => ({
    shapes: EINSUM[which].letters.map((ls) => ls.split("").map((c) => sizes[c as keyof typeof sizes])),
    params: { spec: EINSUM[which].spec },
  })),
  f: ({ spec }: { spec: string }) => (...xs) => np.einsum(spec, ...xs),
});
op({ name: "outer", draw: noParams(fc.tuple(shape(0, 2), shape(0, 2))), f: () => np.outer });
op({
  name: "inner, vdot, tensordot",
  draw: fc.record({ pa: shape(0, 2, 1, 3), pb: shape(0, 1, 1, 3), k: fc.integer({ min: 1, max: 4 }) })
    .map(({ pa, pb, k }) => ({ shapes: [[...pa, k], [...pb, k], [k, ...pb]], params: {} })),
  f: () => (a, b, c) => [np.inner(a, b), np.vdot(a, np.sin(a)), np.tensordot(a, c, 1)],
});
op({
  name: "diagonal and trace",
  draw: fc.record({ m: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }), lead: shape(0, 1, 1, 3), offset: fc.integer({ min: -2, max: 2 }) })
    .map(({ m, n, lead, offset }) => ({ shapes: [[m, n, ...lead]], params: { offset } })),
  f: ({ offset }: { offset: number }) => (x) => [np.diagonal(x, offset), np.trace(x, offset)],
});
op({
  name: "hstack, vstack",
  draw: shape(1, 2).chain((s) => fc.integer({ min: 1, max: 3 }).map((k) => ({ shapes: [s, s.map((d, i) => (i === s.length - 1 && s.length === 1 ? k : d))], params: {} }))),
  f: () => (a, b) => [np.hstack([a, b]), np.vstack([a, a])],
});
op({
  name: "cross (broadcast leading dims)",
  draw: shape(0, 2).chain((s) => fc.tuple(broadcastable(s), broadcastable(s)).map(([a, b]) => ({ shapes: [[...a, 3], [...b, 3]], params: {} }))),
  f: () => np.cross,
});
op({
  name: "sort",
  draw: shape(0, 3).chain((s) => fc.option(s.length > 0 ? fc.integer({ min: -s.length, max: s.length - 1 }) : fc.constant(-1), { nil: null })
    .map((axis) => ({ shapes: [s], params: { axis: s.length === 0 ? null : axis } }))),
  domain: "distinct",
  f: ({ axis }: { axis: number | null }) => (x) => np.sort(np.sin(x), axis).mul(2),
});

// ---- np.linalg -------------------------------------------------------------------------------------

const L = (np as unknown as { linalg: Record<string, (...a: any[]) => any> }).linalg;
const squareDraw = fc.record({ batch: shape(0, 1, 1, 3), n: fc.integer({ min: 1, max: 4 }) }).map(({ batch, n }) => ({ shapes: [[...batch, n, n]], params: {} }));
const shifted = (a: Tensor) => a.add(np.eye(a.shape[a.ndim - 1], undefined, { dtype: a.dtype }).mul(a.shape[a.ndim - 1]));
const sym = (a: Tensor) => a.add(np.swapaxes(a, -1, -2)).mul(0.5);
op({ name: "linalg.inv", draw: squareDraw, domain: "unit", f: () => (a) => L.inv(shifted(a)) });
op({
  name: "linalg.solve",
  draw: fc.record({ batch: shape(0, 1, 1, 3), n: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 3 }), vec: fc.boolean() })
    .chain(({ batch, n, k, vec }) => broadcastable(batch).map((bb) => ({ shapes: [[...batch, n, n], vec ? [n] : [...bb, n, k]], params: {} }))),
  domain: "unit",
  f: () => (a, b) => L.solve(shifted(a), b),
});
op({ name: "linalg.det, slogdet", draw: squareDraw, domain: "unit", f: () => (a) => [L.det(shifted(a)), ...(L.slogdet(shifted(a).mul(-1)) as Tensor[])] });
op({
  name: "linalg.cholesky", draw: squareDraw, domain: "unit",
  f: () => (a) => L.cholesky(np.matmul(a, np.swapaxes(a, -1, -2)).add(np.eye(a.shape[a.ndim - 1], undefined, { dtype: a.dtype }).mul(a.shape[a.ndim - 1]))),
});
op({
  name: "linalg.eigh (eigenvalues, v⊙v)", draw: squareDraw, domain: "unit",
  f: () => (a) => { const [w, v] = L.eigh(sym(a)) as [Tensor, Tensor]; return [w, v.mul(v)]; },
});
if (L.svd) op({
  name: "linalg.svd (singular values)",
  draw: fc.record({ batch: shape(0, 1, 1, 2), m: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }) }).map(({ batch, m, n }) => ({ shapes: [[...batch, m, n]], params: {} })),
  domain: "unit",
  f: () => (a) => L.svd(a, { computeUv: false }),
});
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
