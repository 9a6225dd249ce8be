// The np op table shared by the property tests that run every op: derivatives.test.ts (jvp/vjp
// against finite differences, grad∘grad, vmap) and jit-equivalence.test.ts (jit against eager).
//
// This module holds what the two tables have in common: the fast-check generators of shapes,
// parameters and values (with the input domains inside which each op is smooth), the case
// generator, and the op definitions (draw, domain, function) that both files run. Each test file
// keeps its own spec type, its own test names and flags, and its own checks; a definition here
// is spread into a file's spec: `op({ name: "tile", ...TILE })`.
//
// Reusing one arbitrary (or building an identical one) draws the same values for the same seed,
// so the cases a file runs do not depend on whether a definition lives here or there.
import fc from "fast-check";
import { np, Tensor } from "../../src/index.js";
import type { Fn } from "./check-grads.js";

// ---- shapes, axes and parameters --------------------------------------------------------------

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
export const sizeOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
export const normAxis = (a: number, r: number) => (a < 0 ? a + r : a);

/** A shape of rank minRank..maxRank with dims minDim..maxDim. */
export function shape(minRank = 0, maxRank = 3, minDim = 1, maxDim = 4): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/** A shape that broadcasts to s: some leading dims dropped, some dims set to 1. */
export function broadcastable(s: readonly number[]): fc.Arbitrary<number[]> {
  return fc.tuple(fc.integer({ min: 0, max: s.length }), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }))
    .map(([drop, ones]) => s.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
}

/** An axis argument for a reduction over rank r: null, one (maybe negative) axis, or a list. */
export function axisArg(r: number): fc.Arbitrary<number | number[] | null> {
  const options: fc.Arbitrary<number | number[] | null>[] = [fc.constant(null), fc.subarray(range(r)).map((l) => l.map((a, i) => (i % 2 ? a - r : a)))];
  if (r > 0) options.push(fc.integer({ min: -r, max: r - 1 }));
  return fc.oneof(...options);
}

/** Index values in [-n, n) (or [0, n)), with at least one duplicate. */
export function indices(shape: readonly number[], n: number, negative = true): fc.Arbitrary<number[]> {
  const k = sizeOf(shape);
  return fc.array(fc.integer({ min: negative ? -n : 0, max: n - 1 }), { minLength: k, maxLength: k })
    // force at least one duplicate index
    .map((v) => (v.length >= 2 ? [...v.slice(0, -1), v[0]] : v));
}
export const intTensor = (v: number[], s: number[]) => np.reshape(np.array(v, { dtype: "int32" }), s);

// ---- values -----------------------------------------------------------------------------------

/** Where the inputs live: the op is smooth (and finite differences are valid) inside it. */
export type Domain = "real" | "pos" | "unit" | "nonzero" | "distinct" | "offHalfIntegers" | readonly [number, number];

export function valuesFor(n: number, d: Exclude<Domain, "distinct">): fc.Arbitrary<number[]> {
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
export function valuesArb(shapes: readonly number[][], domains: readonly Domain[]): fc.Arbitrary<number[][]> {
  if (domains.includes("distinct")) {
    const total = shapes.reduce((k, s) => k + sizeOf(s), 0);
    return fc.uniqueArray(fc.integer({ min: -250, max: 250 }), { minLength: total, maxLength: total }).map((all) => {
      let k = 0;
      return shapes.map((s) => { const n = sizeOf(s); const v = all.slice(k, k + n).map((x) => x / 100); k += n; return v; });
    });
  }
  return fc.tuple(...shapes.map((s, i) => valuesFor(sizeOf(s), domains[i] as Exclude<Domain, "distinct">)));
}

// ---- op definitions and cases -----------------------------------------------------------------

export interface Drawn<P> {
  shapes: number[][];
  params: P;
  /** Integer arguments passed after the float ones (traced as int32 inputs, not differentiated). */
  ints?: { values: number[]; shape: number[] }[];
}
export interface Case<P> extends Drawn<P> { values: number[][]; vmapAxes: (number | null)[]; seed: number }

/** What an op is, apart from how a test file names and checks it. */
export interface OpDef<P> {
  draw: fc.Arbitrary<Drawn<P>>;
  /** One domain for all arguments, or one per argument (default "real"). */
  domain?: Domain | Domain[];
  f: (p: P) => Fn;
  /** Skip draws where the op is not smooth (ties, branch cuts, jumps) — rare by construction. */
  pre?: (args: Tensor[], p: P) => boolean;
}

/** Values, vmap axes and a seed for one draw of an op. */
export function caseArb<P>(spec: Pick<OpDef<P>, "draw" | "domain">): fc.Arbitrary<Case<P>> {
  return spec.draw.chain((d) => {
    const domains = d.shapes.map((_, i) => (Array.isArray(spec.domain) && typeof spec.domain[0] !== "number" ? (spec.domain as Domain[])[i] : (spec.domain as Domain | undefined) ?? "real"));
    return fc.record({
      values: valuesArb(d.shapes, domains),
      vmapAxes: fc.array(fc.option(fc.nat(3), { nil: null }), { minLength: d.shapes.length, maxLength: d.shapes.length }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    }).map((r) => ({ ...d, ...r }));
  });
}

export const noParams = (shapes: fc.Arbitrary<number[][]>): fc.Arbitrary<Drawn<Record<string, never>>> => shapes.map((s) => ({ shapes: s, params: {} }));
/** One argument of any shape. */
export const oneArg = noParams(shape(0, 3).map((s) => [s]));
const withAxis = <A>(s: number[], axis: fc.Arbitrary<A>) => axis.map((a) => ({ shapes: [s], params: { axis: a } }));

// ---- elementwise ------------------------------------------------------------------------------

/** Two shapes that broadcast together, plus the fixed [3, 1] × [4] case. */
export const binaryShapes: fc.Arbitrary<number[][]> = fc.oneof(
  { arbitrary: shape(0, 3).chain((s) => fc.tuple(broadcastable(s), broadcastable(s))), weight: 5 },
  { arbitrary: fc.constantFrom<number[][]>([[3, 1], [4]], [[4], [3, 1]], [[2, 1, 3], [4, 1]]), weight: 1 },
);

export interface ElementwiseOp<F> { name: string; fn: F; domain?: Domain | Domain[]; pre?: (args: Tensor[]) => boolean }

/** Binary ops (but logaddexp and hypot, which the files register around their own logaddexp). */
export const BINARY_OPS: ElementwiseOp<(x: Tensor, y: Tensor) => Tensor>[] = [
  { name: "add", fn: np.add },
  { name: "subtract", fn: np.subtract },
  { name: "multiply", fn: np.multiply },
  { name: "divide", fn: np.divide, domain: ["real", "nonzero"] },
  { name: "power (positive base)", fn: np.power, domain: ["pos", "real"] },
  { name: "arctan2", fn: np.arctan2, domain: ["nonzero", "nonzero"] },
  { name: "maximum", fn: np.maximum, domain: "distinct" },
  { name: "minimum", fn: np.minimum, domain: "distinct" },
  {
    name: "mod", fn: np.mod, domain: [[-3, 3], "nonzero"],
    // away from the jumps of x mod y (x/y an integer)
    pre: ([x, y]) => Array.from(np.divide(x, y).data()).every((q) => Math.abs(q - Math.round(q)) > 1e-3),
  },
];
export const HYPOT: ElementwiseOp<(x: Tensor, y: Tensor) => Tensor> = { name: "hypot", fn: np.hypot, domain: ["nonzero", "nonzero"] };

export const UNARY_OPS: ElementwiseOp<(x: Tensor) => Tensor>[] = [
  { name: "negative", fn: np.negative },
  { name: "abs", fn: np.abs, domain: "nonzero" },
  { name: "square", fn: np.square },
  { name: "sqrt", fn: np.sqrt, domain: "pos" },
  { name: "rsqrt", fn: np.rsqrt, domain: "pos" },
  { name: "reciprocal", fn: np.reciprocal, domain: "nonzero" },
  { name: "exp", fn: np.exp },
  { name: "expm1", fn: np.expm1 },
  { name: "log", fn: np.log, domain: "pos" },
  { name: "log1p", fn: np.log1p, domain: [-0.8, 2] },
  { name: "sin", fn: np.sin, domain: [-4, 4] },
  { name: "cos", fn: np.cos, domain: [-4, 4] },
  { name: "tan", fn: np.tan, domain: [-1.2, 1.2] },
  { name: "arcsin", fn: np.arcsin, domain: "unit" },
  { name: "arccos", fn: np.arccos, domain: "unit" },
  { name: "arctan", fn: np.arctan, domain: [-3, 3] },
  { name: "sinh", fn: np.sinh },
  { name: "cosh", fn: np.cosh },
  { name: "tanh", fn: np.tanh },
  { name: "erf", fn: np.erf },
];

export const LOG2_LOG10_EXP2: OpDef<Record<string, never>> = { draw: oneArg, domain: "pos", f: () => (x) => [np.log2(x), np.log10(x), np.exp2(x)] };
/** Piecewise constant ops times x (the domain, away from the jumps, is the file's). */
export const ROUNDING: OpDef<Record<string, never>> = {
  draw: oneArg, f: () => (x) => [np.floor(x).mul(x), np.ceil(x).mul(x), np.round(x).mul(x), np.sign(x).mul(x)],
};
/** Tensor methods go through the same primitives; one spot check that the method forms agree. */
export const TENSOR_METHODS: OpDef<Record<string, never>> = { draw: noParams(binaryShapes), domain: ["real", "nonzero"], f: () => (x, y) => x.mul(y).add(x).div(y).pow(2) };
export const CLIP_CONSTANT: OpDef<Record<string, never>> = { draw: oneArg, domain: "distinct", f: () => (x) => np.clip(x, -0.5003, 0.4997) };
export const CLIP_BROADCAST: OpDef<Record<string, never>> = {
  draw: noParams(shape(0, 3).chain((s) => fc.tuple(fc.constant(s), broadcastable(s), broadcastable(s)))), domain: "distinct",
  f: () => (x, lo, hi) => np.clip(x, lo, hi),
};
export const WHERE: OpDef<{ cs: number[]; mask: boolean[] }> = {
  draw: shape(0, 3).chain((s) => fc.tuple(broadcastable(s), broadcastable(s), broadcastable(s)).chain(([cs, xs, ys]) =>
    fc.array(fc.boolean(), { minLength: sizeOf(cs), maxLength: sizeOf(cs) }).map((mask) => ({ shapes: [xs, ys], params: { cs, mask } })))),
  f: ({ cs, mask }) => (x, y) => np.where(np.reshape(np.array(mask), cs), x, y),
};

// ---- reductions -------------------------------------------------------------------------------

export type RedParams = { axis: number | number[] | null; keepdims: boolean };
export const reductionDraw: fc.Arbitrary<Drawn<RedParams>> = shape(0, 3).chain((s) =>
  fc.record({ axis: axisArg(s.length), keepdims: fc.boolean() }).map((params) => ({ shapes: [s], params })));
export const REDUCTIONS: ElementwiseOp<(x: Tensor, axis: RedParams["axis"], o: { keepdims: boolean }) => Tensor>[] = [
  { name: "sum", fn: np.sum },
  { name: "mean", fn: np.mean },
  { name: "prod", fn: np.prod },
  { name: "max", fn: np.max, domain: "distinct" },
  { name: "min", fn: np.min, domain: "distinct" },
  { name: "logsumexp", fn: np.logsumexp, domain: [-4, 4] },
];
export const CUMSUM: OpDef<{ axis: number | null; reverse: boolean }> = {
  draw: shape(0, 3).chain((s) => fc.record({
    axis: s.length === 0 ? fc.constant(null) : fc.option(fc.integer({ min: -s.length, max: s.length - 1 }), { nil: null }),
    reverse: fc.boolean(),
  }).map((params) => ({ shapes: [s], params }))),
  f: ({ axis, reverse }) => (x) => np.cumsum(x, axis, { reverse }),
};

// ---- shape ops --------------------------------------------------------------------------------

export const RESHAPE: OpDef<{ target: number[] }> = {
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
  f: ({ target }) => (x) => np.reshape(x, target),
};
export const transposeDraw = shape(0, 3).chain((s) => fc.option(fc.shuffledSubarray(range(s.length), { minLength: s.length, maxLength: s.length }), { nil: undefined })
  .map((perm) => ({ shapes: [s], params: { perm } })));
export const twoAxesDraw = shape(1, 3).chain((s) => fc.tuple(fc.integer({ min: -s.length, max: s.length - 1 }), fc.integer({ min: -s.length, max: s.length - 1 }))
  .map(([a, b]) => ({ shapes: [s], params: { a, b } })));
export const squeezeDraw = fc.array(fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 4 })), { minLength: 0, maxLength: 4 }).chain((s) => {
  const ones = range(s.length).filter((i) => s[i] === 1);
  return withAxis(s, fc.option(fc.subarray(ones), { nil: null }));
});
export const broadcastToDraw = shape(0, 3).chain((t) => broadcastable(t).map((s) => ({ shapes: [s], params: { t } })));
export const concatenateDraw = shape(1, 3).chain((s) => fc.record({
  axis: fc.integer({ min: -s.length, max: s.length - 1 }),
  lens: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
}).map(({ axis, lens }) => ({ shapes: lens.map((n) => s.map((d, i) => (i === normAxis(axis, s.length) ? n : d))), params: { axis } })));
export const STACK: OpDef<{ axis: number }> = {
  draw: shape(0, 2).chain((s) => fc.record({ axis: fc.integer({ min: -s.length - 1, max: s.length }), k: fc.integer({ min: 1, max: 3 }) })
    .map(({ axis, k }) => ({ shapes: new Array(k).fill(s), params: { axis } }))),
  f: ({ axis }) => (...xs) => np.stack(xs, axis),
};
export const SPLIT: OpDef<{ axis: number; sections: number | number[] }> = {
  draw: shape(1, 3).chain((s) => fc.integer({ min: -s.length, max: s.length - 1 }).chain((axis) => {
    const n = s[normAxis(axis, s.length)];
    const divisors = range(n + 1).filter((d) => d > 0 && n % d === 0);
    return fc.oneof(fc.constantFrom(...divisors), fc.array(fc.integer({ min: -n, max: n + 1 }), { maxLength: 3 }))
      .map((sections) => ({ shapes: [s], params: { axis, sections } }));
  })),
  f: ({ axis, sections }) => (x) => np.split(x, sections, axis),
};
export const TILE: OpDef<{ reps: number | number[] }> = {
  draw: shape(0, 3).chain((s) => fc.oneof(fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 }))
    .map((reps) => ({ shapes: [s], params: { reps } }))),
  f: ({ reps }) => (x) => np.tile(x, reps),
};
export const REPEAT: OpDef<{ axis: number | null; repeats: number | number[] }> = {
  draw: shape(0, 3).chain((s) => fc.option(s.length > 0 ? fc.integer({ min: -s.length, max: s.length - 1 }) : fc.constant(null), { nil: null }).chain((axis) => {
    const n = axis === null ? sizeOf(s) : s[normAxis(axis, s.length)];
    return fc.oneof(fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }))
      .map((repeats) => ({ shapes: [s], params: { axis, repeats } }));
  })),
  f: ({ axis, repeats }) => (x) => np.repeat(x, repeats, axis),
};

export type SliceItem = number | (number | null)[] | string | null;
/** Indices, ranges with (negative) steps and shorthand strings per axis, some kept, maybe an ellipsis, new axes anywhere. */
export const sliceDraw: fc.Arbitrary<Drawn<{ args: SliceItem[] }>> = shape(0, 3).chain((s) => {
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
});
export const flipDraw = shape(0, 3).chain((s) => withAxis(s, axisArg(s.length)));

// ---- gathers and scatters (duplicates are the point) ------------------------------------------

export const TAKE: OpDef<{ axis: number | null; is: number[]; idx: number[] }> = {
  draw: shape(0, 3).chain((s) => fc.option(s.length > 0 ? fc.integer({ min: -s.length, max: s.length - 1 }) : fc.constant(null), { nil: null })
    .chain((axis) => shape(0, 2, 1, 5).chain((is) => indices(is, axis === null ? sizeOf(s) : s[normAxis(axis, s.length)])
      .map((idx) => ({ shapes: [s], params: { axis, is, idx } }))))),
  f: ({ axis, is, idx }) => (x) => np.take(x, intTensor(idx, is), axis),
};
export const TAKE_ALONG_AXIS: OpDef<{ axis: number; is: number[]; idx: number[] }> = {
  draw: shape(1, 3).chain((s) => fc.integer({ min: -s.length, max: s.length - 1 }).chain((axis) => {
    const a = normAxis(axis, s.length);
    return fc.tuple(...s.map((d, i) => (i === a ? fc.integer({ min: 1, max: 4 }) : fc.constantFrom(d, 1))))
      .chain((is) => indices(is, s[a]).map((idx) => ({ shapes: [s], params: { axis, is, idx } })));
  })),
  f: ({ axis, is, idx }) => (x) => np.takeAlongAxis(x, intTensor(idx, is), axis),
};
/** n rows, duplicate segment ids, the count given or inferred. */
export const segmentSumDraw = fc.tuple(fc.integer({ min: 1, max: 6 }), shape(0, 2), fc.integer({ min: 1, max: 4 }), fc.boolean()).chain(([n, rest, segs, explicit]) =>
  indices([n], segs, false).map((ids) => ({ shapes: [[n, ...rest]], params: { ids, num: explicit ? segs : undefined } })));
export const INDEX_ADD: OpDef<{ axis: number; is: number[]; idx: number[] }> = {
  draw: shape(1, 3).chain((s) => fc.integer({ min: -s.length, max: s.length - 1 }).chain((axis) => {
    const a = normAxis(axis, s.length);
    return shape(0, 2, 1, 5).chain((is) => {
      const want = [...s.slice(0, a), ...is, ...s.slice(a + 1)];
      return fc.tuple(indices(is, s[a]), broadcastable(want)).map(([idx, vs]) => ({ shapes: [s, vs], params: { axis, is, idx } }));
    });
  })),
  f: ({ axis, is, idx }) => (x, v) => np.indexAdd(x, intTensor(idx, is), v, axis),
};

// ---- products ---------------------------------------------------------------------------------

export const MATMUL: OpDef<Record<string, never>> = {
  draw: fc.record({
    m: fc.integer({ min: 1, max: 3 }), k: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 3 }),
    batch: shape(0, 2, 1, 3), aVec: fc.boolean(), bVec: fc.boolean(),
  }).chain(({ m, k, n, batch, aVec, bVec }) => fc.tuple(broadcastable(batch), broadcastable(batch)).map(([ba, bb]) => ({
    shapes: [aVec ? [k] : [...ba, m, k], bVec ? [k] : [...bb, k, n]], params: {},
  }))),
  f: () => np.matmul,
};
export const DOT: OpDef<Record<string, never>> = {
  draw: fc.oneof(
    shape(0, 2).map((s) => ({ shapes: [[], s], params: {} })),
    fc.record({ pa: shape(0, 2, 1, 3), pb: shape(0, 1, 1, 3), k: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 3 }), vec: fc.boolean() })
      .map(({ pa, pb, k, n, vec }) => ({ shapes: [[...pa, k], vec ? [k] : [...pb, k, n]], params: {} })),
  ),
  f: () => np.dot,
};
export interface EinsumCase { spec: string; letters: string[] }
/** matmul, batched, diagonal, full sum, inner, transpose, outer, contractions, chains, ellipsis. */
export const EINSUM_CASES: EinsumCase[] = [
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
/** einsum over one of `cases`, with random sizes for the letters. */
export function einsum(cases: readonly EinsumCase[]): OpDef<{ spec: string }> {
  return {
    draw: fc.record({
      which: fc.integer({ min: 0, max: cases.length - 1 }),
      sizes: fc.record({ i: fc.integer({ min: 1, max: 4 }), j: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 3 }), l: fc.integer({ min: 1, max: 3 }), b: fc.integer({ min: 1, max: 3 }) }),
    }).map(({ which, sizes }) => ({
      shapes: cases[which].letters.map((ls) => ls.split("").map((c) => sizes[c as keyof typeof sizes])),
      params: { spec: cases[which].spec },
    })),
    f: ({ spec }) => (...xs) => np.einsum(spec, ...xs),
  };
}
export const OUTER: OpDef<Record<string, never>> = { draw: noParams(fc.tuple(shape(0, 2), shape(0, 2))), f: () => np.outer };
export const INNER_VDOT_TENSORDOT: OpDef<Record<string, never>> = {
  draw: fc.record({ pa: shape(0, 2, 1, 3), pb: shape(0, 1, 1, 3), k: fc.integer({ min: 1, max: 4 }) })
    .map(({ pa, pb, k }) => ({ shapes: [[...pa, k], [...pb, k], [k, ...pb]], params: {} })),
  f: () => (a, b, c) => [np.inner(a, b), np.vdot(a, np.sin(a)), np.tensordot(a, c, 1)],
};
export const DIAGONAL_TRACE: OpDef<{ offset: number }> = {
  draw: fc.record({ m: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }), lead: shape(0, 1, 1, 3), offset: fc.integer({ min: -2, max: 2 }) })
    .map(({ m, n, lead, offset }) => ({ shapes: [[m, n, ...lead]], params: { offset } })),
  f: ({ offset }) => (x) => [np.diagonal(x, offset), np.trace(x, offset)],
};
export const HSTACK_VSTACK: OpDef<Record<string, never>> = {
  draw: shape(1, 2).chain((s) => fc.integer({ min: 1, max: 3 }).map((k) => ({ shapes: [s, s.map((d, i) => (i === s.length - 1 && s.length === 1 ? k : d))], params: {} }))),
  f: () => (a, b) => [np.hstack([a, b]), np.vstack([a, a])],
};
export const CROSS: OpDef<Record<string, never>> = {
  draw: shape(0, 2).chain((s) => fc.tuple(broadcastable(s), broadcastable(s)).map(([a, b]) => ({ shapes: [[...a, 3], [...b, 3]], params: {} }))),
  f: () => np.cross,
};
export const sortDraw = shape(0, 3).chain((s) => fc.option(s.length > 0 ? fc.integer({ min: -s.length, max: s.length - 1 }) : fc.constant(-1), { nil: null })
  .map((axis) => ({ shapes: [s], params: { axis: s.length === 0 ? null : axis } })));

// ---- np.linalg --------------------------------------------------------------------------------

export const linalg = np.linalg;
/** A batch of square matrices: batch dims and n. */
export const squareDims = fc.record({ batch: shape(0, 1, 1, 3), n: fc.integer({ min: 1, max: 4 }) });
export const squareDraw = squareDims.map(({ batch, n }) => ({ shapes: [[...batch, n, n]], params: {} }));
export const svdDraw = fc.record({ batch: shape(0, 1, 1, 2), m: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }) })
  .map(({ batch, m, n }) => ({ shapes: [[...batch, m, n]], params: {} }));
/** a + n·I: diagonally dominant for entries in [-0.9, 0.9], so well conditioned. */
export const shifted = (a: Tensor) => a.add(np.eye(a.shape[a.ndim - 1], undefined, { dtype: a.dtype }).mul(a.shape[a.ndim - 1]));
export const sym = (a: Tensor) => a.add(np.swapaxes(a, -1, -2)).mul(0.5);

export const LINALG_INV: OpDef<Record<string, never>> = { draw: squareDraw, domain: "unit", f: () => (a) => linalg.inv(shifted(a)) };
export const LINALG_SOLVE: OpDef<Record<string, never>> = {
  draw: fc.record({ batch: shape(0, 1, 1, 3), n: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 3 }), vec: fc.boolean() })
    .chain(({ batch, n, k, vec }) => broadcastable(batch).map((bb) => ({ shapes: [[...batch, n, n], vec ? [n] : [...bb, n, k]], params: {} }))),
  domain: "unit",
  f: () => (a, b) => linalg.solve(shifted(a), b),
};
/** cholesky of a aᵀ + n·I. */
export const LINALG_CHOLESKY: OpDef<Record<string, never>> = {
  draw: squareDraw, domain: "unit",
  f: () => (a) => linalg.cholesky(np.matmul(a, np.swapaxes(a, -1, -2)).add(np.eye(a.shape[a.ndim - 1], undefined, { dtype: a.dtype }).mul(a.shape[a.ndim - 1]))),
};

// ---- the elementwise tables as op definitions ---------------------------------------------------

export const binaryDef = (e: ElementwiseOp<(x: Tensor, y: Tensor) => Tensor>): OpDef<Record<string, never>> =>
  ({ draw: noParams(binaryShapes), domain: e.domain, f: () => e.fn, pre: e.pre });
export const unaryDef = (e: ElementwiseOp<(x: Tensor) => Tensor>): OpDef<Record<string, never>> =>
  ({ draw: oneArg, domain: e.domain, f: () => e.fn });
export const reductionDef = (e: (typeof REDUCTIONS)[number]): OpDef<RedParams> =>
  ({ draw: reductionDraw, domain: e.domain, f: ({ axis, keepdims }) => (x) => e.fn(x, axis, { keepdims }) });
