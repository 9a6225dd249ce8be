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

const SEED = process.env.DIFFMOL_FC_SEED ? Number(process.env.DIFFMOL_FC_SEED) : 20261127;
const RUN_SCALE = process.env.DIFFMOL_FC_RUNS ? Number(process.env.DIFFMOL_FC_RUNS) : 1;
const runs = (n: number) => Math.max(1, Math.round(n * RUN_SCALE));

// ---- drawing shapes, parameters and values ----------------------------------------------------

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const sizeOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** A shape of rank minRank..maxRank with dims minDim..maxDim. */
function shape(minRank = 0, maxRank = 3, minDim = 1, maxDim = 4): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/** A shape that broadcasts to s: some leading dims dropped, some dims set to 1. */
function broadcastable(s: readonly number[]): fc.Arbitrary<number[]> {
  return fc.tuple(fc.integer({ min: 0, max: s.length }), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }))
    .map(([drop, ones]) => s.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
}

/** An axis argument for a reduction over rank r: null, one (maybe negative) axis, or a list. */
function axisArg(r: number): fc.Arbitrary<number | number[] | null> {
  const options: fc.Arbitrary<number | number[] | null>[] = [fc.constant(null), fc.subarray(range(r)).map((l) => l.map((a, i) => (i % 2 ? a - r : a)))];
  if (r > 0) options.push(fc.integer({ min: -r, max: r - 1 }));
  return fc.oneof(...options);
}

const normAxis = (a: number, r: number) => (a < 0 ? a + r : a);
function reducedCount(s: readonly number[], axis: number | number[] | null): number {
  if (axis === null) return sizeOf(s);
  const list = typeof axis === "number" ? [axis] : axis;
  return list.reduce((k, a) => k * s[normAxis(a, s.length)], 1);
}

/** Where the inputs live: the op is smooth (and finite differences are valid) inside it. */
type Domain = "real" | "pos" | "unit" | "nonzero" | "distinct" | "offHalfIntegers" | readonly [number, number];

function valuesFor(n: number, d: Exclude<Domain, "distinct">): fc.Arbitrary<number[]> {
  const arr = (a: fc.Arbitrary<number>) => fc.array(a, { minLength: n, maxLength: n });
  const dbl = (min: number, max: number) => fc.double({ min, max, noNaN: true });
  if (d === "real") return arr(dbl(-2, 2));
  if (d === "pos") return arr(dbl(0.2, 2.5));
  if (d === "unit") return arr(dbl(-0.9, 0.9));
  // at least 0.05 away from every multiple of ½ (the jumps of floor, ceil, round, sign), in [-3, 3]
  if (d === "offHalfIntegers") return arr(fc.tuple(fc.integer({ min: -6, max: 5 }), dbl(0.05, 0.45)).map(([k, u]) => k / 2 + u));
  if (d === "nonzero") return arr(fc.tuple(fc.boolean(), dbl(0.2, 2)).map(([neg, v]) => (neg ? -v : v)));
  return arr(dbl(d[0], d[1]));
}

/** Values for all arguments; "distinct" makes every value (across all arguments) differ by ≥ 0.01. */
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

interface Drawn<P> { shapes: number[][]; params: P }
interface Case<P> extends Drawn<P> { values: number[][]; vmapAxes: (number | null)[]; seed: number }

interface OpSpec<P> {
  name: string;
  draw: fc.Arbitrary<Drawn<P>>;
  /** One domain for all arguments, or one per argument (default "real"). */
  domain?: Domain | Domain[];
  f: (p: P) => Fn;
  /** Skip draws where the op is not smooth (ties, branch cuts) — rare by construction. */
  pre?: (args: Tensor[], p: P) => boolean;
  secondOrder?: boolean;
  vmap?: boolean;
  tol?: Tol;
  tol2?: Tol;
  numRuns?: number;
  /** Also run the float32 variant (fewer runs). */
  f32?: boolean;
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
const noParams = (shapes: fc.Arbitrary<number[][]>): fc.Arbitrary<Drawn<Record<string, never>>> => shapes.map((s) => ({ shapes: s, params: {} }));

// ---- elementwise ------------------------------------------------------------------------------

/** Two shapes that broadcast together, plus the fixed [3, 1] × [4] case. */
const binaryShapes: fc.Arbitrary<number[][]> = fc.oneof(
  { arbitrary: shape(0, 3).chain((s) => fc.tuple(broadcastable(s), broadcastable(s))), weight: 5 },
  { arbitrary: fc.constantFrom<number[][]>([[3, 1], [4]], [[4], [3, 1]], [[2, 1, 3], [4, 1]]), weight: 1 },
);

const binary = (name: string, fn: (x: Tensor, y: Tensor) => Tensor, domain: Domain | Domain[] = "real", extra: Partial<OpSpec<unknown>> = {}) =>
  op({ name, draw: noParams(binaryShapes), domain, f: () => fn, ...extra });

binary("add", np.add, "real", { f32: true });
binary("subtract", np.subtract);
binary("multiply", np.multiply, "real", { f32: true });
binary("divide", np.divide, ["real", "nonzero"], { f32: true });
binary("power (positive base)", np.power, ["pos", "real"], { f32: true });
binary("arctan2", np.arctan2, ["nonzero", "nonzero"]);
binary("maximum", np.maximum, "distinct");
binary("minimum", np.minimum, "distinct");
binary("mod", np.mod, [[-3, 3], "nonzero"], {
  // away from the jumps of x mod y (x/y an integer)
  pre: ([x, y]) => Array.from(np.divide(x, y).data()).every((q) => Math.abs(q - Math.round(q)) > 1e-3),
});
op({
  name: "logaddexp (including x = y, where max + |x − y| has a kink)",
  draw: noParams(binaryShapes), domain: [[-3, 3], [-3, 3]],
  f: () => (x, y) => [np.logaddexp(x, y), np.logaddexp(x, x)],
});
binary("hypot", np.hypot, ["nonzero", "nonzero"]);
op({ name: "log2, log10, exp2", draw: noParams(shape(0, 3).map((s) => [s])), domain: "pos", f: () => (x) => [np.log2(x), np.log10(x), np.exp2(x)] });
op({
  name: "floor, ceil, round, sign (piecewise constant: zero derivative)",
  draw: noParams(shape(0, 3).map((s) => [s])), domain: "offHalfIntegers",
  f: () => (x) => [np.floor(x).mul(x), np.ceil(x).mul(x), np.round(x).mul(x), np.sign(x).mul(x)],
});
// Tensor methods go through the same primitives; one spot check that the method forms agree.
op({ name: "tensor methods (x.mul(y).add(x).div(y).pow(2))", draw: noParams(binaryShapes), domain: ["real", "nonzero"], f: () => (x, y) => x.mul(y).add(x).div(y).pow(2) });

const unary = (name: string, fn: (x: Tensor) => Tensor, domain: Domain = "real", extra: Partial<OpSpec<unknown>> = {}) =>
  op({ name, draw: noParams(shape(0, 3).map((s) => [s])), domain, f: () => fn, ...extra });

unary("negative", np.negative);
unary("abs (away from 0)", np.abs, "nonzero");
unary("square", np.square);
unary("sqrt", np.sqrt, "pos", { f32: true });
unary("rsqrt", np.rsqrt, "pos");
unary("reciprocal", np.reciprocal, "nonzero");
unary("exp", np.exp, "real", { f32: true });
unary("expm1", np.expm1);
unary("log", np.log, "pos", { f32: true });
unary("log1p", np.log1p, [-0.8, 2]);
unary("sin", np.sin, [-4, 4], { f32: true });
unary("cos", np.cos, [-4, 4]);
unary("tan", np.tan, [-1.2, 1.2]);
unary("arcsin", np.arcsin, "unit");
unary("arccos", np.arccos, "unit");
unary("arctan", np.arctan, [-3, 3]);
unary("sinh", np.sinh);
unary("cosh", np.cosh);
unary("tanh", np.tanh, "real", { f32: true });
unary("erf", np.erf, "real", { f32: true });

op({
  name: "clip (constant bounds)",
  draw: noParams(shape(0, 3).map((s) => [s])), domain: "distinct",
  f: () => (x) => np.clip(x, -0.5003, 0.4997),
});
op({
  name: "clip (differentiable, broadcast bounds)",
  draw: noParams(shape(0, 3).chain((s) => fc.tuple(fc.constant(s), broadcastable(s), broadcastable(s)))), domain: "distinct",
  f: () => (x, lo, hi) => np.clip(x, lo, hi),
});
op({
  name: "where (broadcast condition and branches)",
  draw: shape(0, 3).chain((s) => fc.tuple(broadcastable(s), broadcastable(s), broadcastable(s)).chain(([cs, xs, ys]) =>
    fc.array(fc.boolean(), { minLength: sizeOf(cs), maxLength: sizeOf(cs) }).map((mask) => ({ shapes: [xs, ys], params: { cs, mask } })))),
  f: ({ cs, mask }: { cs: number[]; mask: boolean[] }) => (x, y) => np.where(np.reshape(np.array(mask), cs), x, y),
});

// ---- reductions -------------------------------------------------------------------------------

type RedParams = { axis: number | number[] | null; keepdims: boolean };
const reductionDraw: fc.Arbitrary<Drawn<RedParams>> = shape(0, 3).chain((s) =>
  fc.record({ axis: axisArg(s.length), keepdims: fc.boolean() }).map((params) => ({ shapes: [s], params })));
const reduction = (name: string, fn: (x: Tensor, axis: RedParams["axis"], o: { keepdims: boolean }) => Tensor, domain: Domain = "real", extra: Partial<OpSpec<RedParams>> = {}) =>
  op<RedParams>({ name, draw: reductionDraw, domain, f: ({ axis, keepdims }) => (x) => fn(x, axis, { keepdims }), ...extra });

reduction("sum (axis lists, keepdims)", np.sum, "real", { f32: true });
reduction("mean (axis lists, keepdims)", np.mean);
reduction("prod (axis lists, keepdims; exact zeros drawn)", np.prod, "real");
reduction("max (axis lists, keepdims)", np.max, "distinct");
reduction("min (axis lists, keepdims)", np.min, "distinct");
reduction("logsumexp (axis lists, keepdims)", np.logsumexp, [-4, 4], { f32: true });

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
op({
  name: "cumsum (axis, reverse)",
  draw: shape(0, 3).chain((s) => fc.record({
    axis: s.length === 0 ? fc.constant(null) : fc.option(fc.integer({ min: -s.length, max: s.length - 1 }), { nil: null }),
    reverse: fc.boolean(),
  }).map((params) => ({ shapes: [s], params }))),
  f: ({ axis, reverse }: { axis: number | null; reverse: boolean }) => (x) => np.cumsum(x, axis, { reverse }),
  f32: true,
});

// ---- shape ops --------------------------------------------------------------------------------

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
  name: "transpose (random permutation)",
  draw: shape(0, 3).chain((s) => fc.option(fc.shuffledSubarray(range(s.length), { minLength: s.length, maxLength: s.length }), { nil: undefined })
    .map((perm) => ({ shapes: [s], params: { perm } }))),
  f: ({ perm }: { perm?: number[] }) => (x) => np.transpose(x, perm),
});
const twoAxes = shape(1, 3).chain((s) => fc.tuple(fc.integer({ min: -s.length, max: s.length - 1 }), fc.integer({ min: -s.length, max: s.length - 1 }))
  .map(([a, b]) => ({ shapes: [s], params: { a, b } })));
op({ name: "swapaxes", draw: twoAxes, f: ({ a, b }: { a: number; b: number }) => (x) => np.swapaxes(x, a, b) });
op({ name: "moveaxis", draw: twoAxes, f: ({ a, b }: { a: number; b: number }) => (x) => np.moveaxis(x, a, b) });
op({
  name: "expandDims (one or several axes)",
  draw: shape(0, 2).chain((s) => fc.integer({ min: 1, max: 2 }).chain((k) =>
    fc.shuffledSubarray(range(s.length + k), { minLength: k, maxLength: k }).map((axes) => ({ shapes: [s], params: { axis: k === 1 ? axes[0] - (s.length + 1) * (axes[0] % 2) : axes } })))),
  f: ({ axis }: { axis: number | number[] }) => (x) => np.expandDims(x, axis),
});
op({
  name: "squeeze (all or chosen unit axes)",
  draw: fc.array(fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 4 })), { minLength: 0, maxLength: 4 }).chain((s) => {
    const ones = range(s.length).filter((i) => s[i] === 1);
    return fc.option(fc.subarray(ones), { nil: null }).map((axis) => ({ shapes: [s], params: { axis } }));
  }),
  f: ({ axis }: { axis: number[] | null }) => (x) => np.squeeze(x, axis),
});
op({
  name: "broadcastTo",
  draw: shape(0, 3).chain((t) => broadcastable(t).map((s) => ({ shapes: [s], params: { t } }))),
  f: ({ t }: { t: number[] }) => (x) => np.broadcastTo(x, t),
});
op({
  name: "concatenate (1–3 arrays)",
  draw: shape(1, 3).chain((s) => fc.record({
    axis: fc.integer({ min: -s.length, max: s.length - 1 }),
    lens: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
  }).map(({ axis, lens }) => ({ shapes: lens.map((n) => s.map((d, i) => (i === normAxis(axis, s.length) ? n : d))), params: { axis } }))),
  f: ({ axis }: { axis: number }) => (...xs) => np.concatenate(xs, axis),
});
op({
  name: "stack (1–3 arrays)",
  draw: shape(0, 2).chain((s) => fc.record({ axis: fc.integer({ min: -s.length - 1, max: s.length }), k: fc.integer({ min: 1, max: 3 }) })
    .map(({ axis, k }) => ({ shapes: new Array(k).fill(s), params: { axis } }))),
  f: ({ axis }: { axis: number }) => (...xs) => np.stack(xs, axis),
});
op({
  name: "split (sections or cut indices)",
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
  name: "repeat (count or per-element counts, axis or flat)",
  draw: shape(0, 3).chain((s) => fc.option(s.length > 0 ? fc.integer({ min: -s.length, max: s.length - 1 }) : fc.constant(null), { nil: null }).chain((axis) => {
    const n = axis === null ? sizeOf(s) : s[normAxis(axis, s.length)];
    return fc.oneof(fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }))
      .map((repeats) => ({ shapes: [s], params: { axis, repeats } }));
  })),
  f: ({ axis, repeats }: { axis: number | null; repeats: number | number[] }) => (x) => np.repeat(x, repeats, axis),
});

type SliceItem = number | (number | null)[] | string | null;
op({
  name: "slice (indices, steps, negative steps, new axes, ellipsis)",
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
  f: ({ args }: { args: SliceItem[] }) => (x) => x.slice(...args),
});
op({
  name: "flip (all, one or several axes)",
  draw: shape(0, 3).chain((s) => axisArg(s.length).map((axis) => ({ shapes: [s], params: { axis } }))),
  f: ({ axis }: { axis: number | number[] | null }) => (x) => np.flip(x, axis),
});

// ---- gathers and scatters (duplicates are the point) -------------------------------------------

function indices(shape: readonly number[], n: number, negative = true): fc.Arbitrary<number[]> {
  const k = sizeOf(shape);
  return fc.array(fc.integer({ min: negative ? -n : 0, max: n - 1 }), { minLength: k, maxLength: k })
    // force at least one duplicate index
    .map((v) => (v.length >= 2 ? [...v.slice(0, -1), v[0]] : v));
}
const intTensor = (v: number[], s: number[]) => np.reshape(np.array(v, { dtype: "int32" }), s);

op({
  name: "take (axis or flat; negative and duplicate indices)",
  draw: shape(0, 3).chain((s) => fc.option(s.length > 0 ? fc.integer({ min: -s.length, max: s.length - 1 }) : fc.constant(null), { nil: null })
    .chain((axis) => shape(0, 2, 1, 5).chain((is) => indices(is, axis === null ? sizeOf(s) : s[normAxis(axis, s.length)])
      .map((idx) => ({ shapes: [s], params: { axis, is, idx } }))))),
  f: ({ axis, is, idx }: { axis: number | null; is: number[]; idx: number[] }) => (x) => np.take(x, intTensor(idx, is), axis),
  f32: true,
});
op({
  name: "takeAlongAxis (broadcast indices, duplicates)",
  draw: shape(1, 3).chain((s) => fc.integer({ min: -s.length, max: s.length - 1 }).chain((axis) => {
    const a = normAxis(axis, s.length);
    return fc.tuple(...s.map((d, i) => (i === a ? fc.integer({ min: 1, max: 4 }) : fc.constantFrom(d, 1))))
      .chain((is) => indices(is, s[a]).map((idx) => ({ shapes: [s], params: { axis, is, idx } })));
  })),
  f: ({ axis, is, idx }: { axis: number; is: number[]; idx: number[] }) => (x) => np.takeAlongAxis(x, intTensor(idx, is), axis),
});
op({
  name: "segmentSum (duplicate segment ids, explicit or inferred count)",
  draw: fc.tuple(fc.integer({ min: 1, max: 6 }), shape(0, 2), fc.integer({ min: 1, max: 4 }), fc.boolean()).chain(([n, rest, segs, explicit]) =>
    indices([n], segs, false).map((ids) => ({ shapes: [[n, ...rest]], params: { ids, num: explicit ? segs : undefined } }))),
  f: ({ ids, num }: { ids: number[]; num?: number }) => (d) => np.segmentSum(d, np.array(ids, { dtype: "int32" }), num),
  f32: true,
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
  f32: true,
});

// ---- products ---------------------------------------------------------------------------------

op({
  name: "matmul (vectors, batched, broadcast batch dims)",
  draw: fc.record({
    m: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 3 }),
    batch: shape(0, 2, 1, 3), aVec: fc.boolean(), bVec: fc.boolean(),
  }).chain(({ m, k, n, batch, aVec, bVec }) => fc.tuple(broadcastable(batch), broadcastable(batch)).map(([ba, bb]) => ({
    shapes: [aVec ? [k] : [...ba, m, k], bVec ? [k] : [...bb, k, n]], params: {},
  }))),
  f: () => np.matmul,
  f32: true,
});
op({
  name: "dot (scalars, vectors, N-d · M-d)",
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
  { spec: "ij,jk", letters: ["ij", "jk"] },
];
op({
  name: "einsum (matmul, batched, diagonal, full sum, inner, outer, chains, ellipsis, implicit)",
  draw: fc.record({
    which: fc.integer({ min: 0, max: EINSUM.length - 1 }),
    sizes: fc.record({ i: fc.integer({ min: 1, max: 4 }), j: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 3 }), l: fc.integer({ min: 1, max: 3 }), b: fc.integer({ min: 1, max: 3 }) }),
  }).map(({ which, sizes }) => ({
    shapes: EINSUM[which].letters.map((ls) => ls.split("").map((c) => sizes[c as keyof typeof sizes])),
    params: { spec: EINSUM[which].spec },
  })),
  f: ({ spec }: { spec: string }) => (...xs) => np.einsum(spec, ...xs),
  f32: true,
});
op({ name: "outer", draw: noParams(fc.tuple(shape(0, 2), shape(0, 2))), f: () => np.outer });
op({
  name: "inner, vdot, tensordot",
  draw: fc.record({ pa: shape(0, 2, 1, 3), pb: shape(0, 1, 1, 3), k: fc.integer({ min: 1, max: 4 }) })
    .map(({ pa, pb, k }) => ({ shapes: [[...pa, k], [...pb, k], [k, ...pb]], params: {} })),
  f: () => (a, b, c) => [np.inner(a, b), np.vdot(a, np.sin(a)), np.tensordot(a, c, 1)],
});
op({
  name: "diagonal and trace (offsets)",
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
  name: "sort (axis or flat)",
  draw: shape(0, 3).chain((s) => fc.option(s.length > 0 ? fc.integer({ min: -s.length, max: s.length - 1 }) : fc.constant(-1), { nil: null })
    .map((axis) => ({ shapes: [s], params: { axis: s.length === 0 ? null : axis } }))),
  domain: "distinct",
  f: ({ axis }: { axis: number | null }) => (x) => np.sort(x, axis),
  f32: true,
});

// ---- np.linalg --------------------------------------------------------------------------------

const linalg = (np as unknown as { linalg?: Record<string, (...a: any[]) => any> }).linalg;
const squareDraw = fc.record({ batch: shape(0, 1, 1, 3), n: fc.integer({ min: 1, max: 4 }) });
/** a + n·I: diagonally dominant for entries in [-0.9, 0.9], so well conditioned. */
const shifted = (a: Tensor) => a.add(np.eye(a.shape[a.ndim - 1], undefined, { dtype: a.dtype }).mul(a.shape[a.ndim - 1]));
const sym = (a: Tensor) => a.add(np.swapaxes(a, -1, -2)).mul(0.5);
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

if (linalg) {
  const L = linalg;
  op({ name: "linalg.inv (stacks)", draw: squareDraw.map(({ batch, n }) => ({ shapes: [[...batch, n, n]], params: {} })), domain: "unit", f: () => (a) => L.inv(shifted(a)) });
  op({
    name: "linalg.solve (vector or matrix right-hand side, broadcast stacks)",
    draw: fc.record({ batch: shape(0, 1, 1, 3), n: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 3 }), vec: fc.boolean() })
      .chain(({ batch, n, k, vec }) => broadcastable(batch).map((bb) => ({ shapes: [[...batch, n, n], vec ? [n] : [...bb, n, k]], params: {} }))),
    domain: "unit",
    f: () => (a, b) => L.solve(shifted(a), b),
    f32: true,
  });
  op({ name: "linalg.det (stacks)", draw: squareDraw.map(({ batch, n }) => ({ shapes: [[...batch, n, n]], params: {} })), domain: "unit", f: () => (a) => L.det(shifted(a)), f32: true });
  op({
    name: "linalg.slogdet (positive and negative determinants)",
    draw: squareDraw.chain(({ batch, n }) => fc.constantFrom(1, -1).map((sign) => ({ shapes: [[...batch, n, n]], params: { sign } }))),
    domain: "unit",
    f: ({ sign }: { sign: number }) => (a) => L.slogdet(shifted(a).mul(sign)) as Tensor[],
  });
  op({
    name: "linalg.cholesky (of a aᵀ + n·I)",
    draw: squareDraw.map(({ batch, n }) => ({ shapes: [[...batch, n, n]], params: {} })), domain: "unit",
    f: () => (a) => L.cholesky(np.matmul(a, np.swapaxes(a, -1, -2)).add(np.eye(a.shape[a.ndim - 1], undefined, { dtype: a.dtype }).mul(a.shape[a.ndim - 1]))),
  });
  op({
    name: "linalg.eigh (eigenvalues; eigenvectors up to sign as v⊙v)",
    draw: squareDraw.map(({ batch, n }) => ({ shapes: [[...batch, n, n]], params: {} })), domain: "unit",
    pre: ([a]) => minGap(L.eigh(sym(a))[0]) > 0.05,
    f: () => (a) => { const [w, v] = L.eigh(a) as [Tensor, Tensor]; return [w, v.mul(v)]; },
    f32: true,
  });
  if (L.svd) {
    op({
      name: "linalg.svd (singular values; u⊙u and vt⊙vt)",
      draw: fc.record({ batch: shape(0, 1, 1, 2), m: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }) })
        .map(({ batch, m, n }) => ({ shapes: [[...batch, m, n]], params: {} })),
      domain: "unit",
      pre: ([a]) => minGap(L.svd(a, { computeUv: false }), true) > 0.05,
      f: () => (a) => { const [u, s, vt] = L.svd(a) as [Tensor, Tensor, Tensor]; return [s, u.mul(u), vt.mul(vt)]; },
    });
  }
  if (L.norm) {
    op({ name: "linalg.norm (vector 2-norm / Frobenius)", draw: noParams(shape(1, 2).map((s) => [s])), domain: "nonzero", f: () => (x) => L.norm(x) });
    op({
      name: "linalg.norm (vector ord 1, 3, ∞ along an axis; matrix 'fro')",
      draw: noParams(shape(2, 2).map((s) => [s])), domain: "distinct",
      // distinct multiples of 0.01, shifted by 0.003: no zeros and no ties in |x| (the ∞-norm's kinks)
      f: () => (x) => { const y = x.add(0.003); return [L.norm(y, 1, 1), L.norm(y, 3, 0), L.norm(y, Infinity, -1), L.norm(y, "fro")]; },
    });
  }
}

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

if (!linalg) test.skip("np.linalg derivatives (np.linalg is not available)", () => {});

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
