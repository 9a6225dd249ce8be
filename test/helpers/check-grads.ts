// Numerical checks for derivatives and batching, shared by the derivative tests.
//
//   checkJvp(f, args)          jvp(f) against central finite differences along random tangents
//   checkVjp(f, args)          ⟨vjp(ct), t⟩ = ⟨ct, jvp(t)⟩ = ⟨ct, FD(t)⟩ for random ct and t
//   checkSecondOrder(f, args)  grad(⟨grad(Σ w·f), v⟩) (grad∘grad, a Hessian-vector product)
//                              against central differences of grad along v
//   checkVmap(f, args, axes)   vmap(f) against stacking f over explicit slices
//   checkFloat32(f, args)      float32 values and derivatives against the float64 ones
//
// f takes tensors and returns a tensor or a list of tensors. Finite differences are computed
// on the raw numbers (never through the library's own arithmetic), with a step scaled by the
// largest input magnitude. Every "random" number comes from a seeded generator so a failing
// fast-check case replays exactly.
import assert from "node:assert/strict";
import { np, grad, jvp, vjp, vmap, Tensor } from "../../src/index.js";
import type { DType } from "../../src/index.js";

export type Fn = (...xs: Tensor[]) => Tensor | readonly Tensor[];

export interface Tol {
  /** Relative tolerance, against the larger magnitude of the two numbers compared. */
  rtol: number;
  /** Absolute tolerance. */
  atol: number;
}

/** Tolerances for float64 first derivatives against central differences. */
export const F64_FD: Tol = { rtol: 1e-6, atol: 1e-6 };
/** Tolerances for float64 second derivatives (differences of gradients). */
export const F64_FD2: Tol = { rtol: 1e-5, atol: 1e-5 };

// ---- numbers ----------------------------------------------------------------------------------

/** Deterministic uniform numbers in [-1, 1) from a 32-bit seed (LCG; good enough for test data). */
export function rng(seed: number): () => number {
  let s = (seed ^ 0x9e3779b9) >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296) * 2 - 1;
  };
}

/** A tensor from flat row-major values. */
export function tensor(values: ArrayLike<number>, shape: readonly number[], dtype: DType = "float64"): Tensor {
  return np.reshape(np.array(Float64Array.from(values), { dtype }), [...shape]);
}

/** A tensor shaped like x (float64 unless told) with uniform values in [-1, 1). */
export function randomLike(x: Tensor, next: () => number, dtype: DType = "float64"): Tensor {
  return tensor(Array.from({ length: x.size }, next), x.shape, dtype);
}

/** The outputs of f as a list. */
export function outputs(y: Tensor | readonly Tensor[]): Tensor[] {
  return y instanceof Tensor ? [y] : [...y];
}

/** All elements of a list of tensors, concatenated, as float64. */
export function flat(ts: readonly Tensor[]): Float64Array {
  const n = ts.reduce((k, t) => k + t.size, 0);
  const out = new Float64Array(n);
  let k = 0;
  for (const t of ts) { out.set(Float64Array.from(t.data() as ArrayLike<number>), k); k += t.size; }
  return out;
}

function maxAbs(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, Math.abs(xs[i]));
  return m;
}

function dotFlat(a: ArrayLike<number>, b: ArrayLike<number>): [number, number] {
  let s = 0, scale = 0;
  for (let i = 0; i < a.length; i++) { s += a[i] * b[i]; scale += Math.abs(a[i] * b[i]); }
  return [s, scale];
}

/** Elementwise |a − e| ≤ atol + rtol·max(|a|, |e|); a failure names the worst element. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tol, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} numbers, expected ${expected.length}`);
  let worst = -1, worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    const err = Math.abs(a - e);
    const bound = tol.atol + tol.rtol * Math.max(Math.abs(a), Math.abs(e));
    if (!(err <= bound)) {
      const excess = Number.isNaN(err) ? Infinity : err / bound;
      if (worst < 0 || excess > worstExcess) { worst = i; worstExcess = excess; }
    }
  }
  if (worst >= 0) {
    const show = (xs: ArrayLike<number>) => Array.from(xs).slice(0, 24).map((v) => +v.toPrecision(8)).join(", ") + (xs.length > 24 ? ", …" : "");
    assert.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} ` +
      `(|diff| ${Math.abs(actual[worst] - expected[worst]).toExponential(2)}, rtol ${tol.rtol}, atol ${tol.atol})\n` +
      `  actual:   [${show(actual)}]\n  expected: [${show(expected)}]`);
  }
}

/** The absolute tolerance scaled by the largest expected magnitude (finite-difference noise is relative to the whole vector, not to each element). */
function scaled(tol: Tol, expected: ArrayLike<number>): Tol {
  return { rtol: tol.rtol, atol: tol.atol * Math.max(1, maxAbs(expected)) };
}

function assertShapes(got: readonly Tensor[], want: readonly Tensor[], what: string, dtype?: DType): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} results, expected ${want.length}`);
  got.forEach((g, i) => {
    assert.deepEqual(g.shape, want[i].shape, `${what} ${i}: shape [${g.shape}], expected [${want[i].shape}]`);
    assert.equal(g.dtype, dtype ?? want[i].dtype, `${what} ${i}: dtype`);
  });
}

// ---- finite differences -----------------------------------------------------------------------

/** x + s·t on the raw numbers, in x's dtype. */
function shifted(x: Tensor, t: Tensor, s: number): Tensor {
  const xd = x.data(), td = t.data();
  return tensor(Array.from({ length: x.size }, (_, i) => xd[i] + s * td[i]), x.shape, x.dtype);
}

function stepFor(args: readonly Tensor[], step: number): number {
  return step * Math.max(1, ...args.map((a) => maxAbs(a.data() as ArrayLike<number>)));
}

/** (g(x + h·t) − g(x − h·t)) / 2h, flattened, for g returning a list of tensors. */
export function centralDifference(g: (...xs: Tensor[]) => readonly Tensor[], args: readonly Tensor[], ts: readonly Tensor[], step: number): Float64Array {
  const h = stepFor(args, step);
  const plus = flat(g(...args.map((a, i) => shifted(a, ts[i], h))));
  const minus = flat(g(...args.map((a, i) => shifted(a, ts[i], -h))));
  return plus.map((p, i) => (p - minus[i]) / (2 * h));
}

// ---- the checks -------------------------------------------------------------------------------

export interface CheckOptions {
  /** Seeds the random tangents, cotangents and weights. */
  seed?: number;
  tol?: Tol;
  /** Finite-difference step before scaling by max(1, max |x|). */
  step?: number;
}

/** jvp(f, args, t) against f(args) and central differences along random tangents t. */
export function checkJvp(f: Fn, args: readonly Tensor[], opts: CheckOptions = {}): void {
  const next = rng(opts.seed ?? 1);
  const g = (...xs: Tensor[]) => outputs(f(...xs));
  const ts = args.map((a) => randomLike(a, next, a.dtype));
  const [ys, tys] = jvp(g, args, ts) as [Tensor[], Tensor[]];
  const direct = g(...args);
  assertShapes(ys, direct, "jvp primal output");
  assertShapes(tys, direct, "jvp tangent output");
  assertClose(flat(ys), flat(direct), { rtol: 1e-12, atol: 1e-12 }, "jvp primal output vs f(x)");
  const fd = centralDifference(g, args, ts, opts.step ?? 1e-6);
  assertClose(flat(tys), fd, scaled(opts.tol ?? F64_FD, fd), "jvp tangent vs central differences");
}

/** vjp against the dot-product identity ⟨vjp(ct), t⟩ = ⟨ct, jvp(t)⟩ = ⟨ct, FD(t)⟩. */
export function checkVjp(f: Fn, args: readonly Tensor[], opts: CheckOptions = {}): void {
  const next = rng((opts.seed ?? 1) + 7919);
  const tol = opts.tol ?? F64_FD;
  const g = (...xs: Tensor[]) => outputs(f(...xs));
  const [ys, vjpFn] = vjp(g, ...args) as [Tensor[], (ct: unknown) => Tensor[]];
  const cts = ys.map((y) => randomLike(y, next, y.dtype));
  const inCts = vjpFn(cts);
  assertShapes(inCts, args, "vjp cotangent");
  const ts = args.map((a) => randomLike(a, next, a.dtype));
  const [lhs, lhsScale] = dotFlat(flat(inCts), flat(ts));
  const [, tys] = jvp(g, args, ts) as [Tensor[], Tensor[]];
  const [viaJvp, jvpScale] = dotFlat(flat(cts), flat(tys));
  const [viaFd, fdScale] = dotFlat(flat(cts), centralDifference(g, args, ts, opts.step ?? 1e-6));
  const scale = Math.max(lhsScale, jvpScale, fdScale);
  const near = (a: number, b: number, t: Tol) => Math.abs(a - b) <= t.atol + t.rtol * scale;
  assert.ok(near(lhs, viaJvp, { rtol: 1e-10, atol: 1e-10 }), `vjp: ⟨vjp(ct), t⟩ = ${lhs} but ⟨ct, jvp(t)⟩ = ${viaJvp}`);
  assert.ok(near(lhs, viaFd, tol), `vjp: ⟨vjp(ct), t⟩ = ${lhs} but ⟨ct, FD(t)⟩ = ${viaFd}`);
}

/**
 * grad∘grad: for the scalar s(x) = Σ_k ⟨w_k, f_k(x)⟩ (random weights w), the Hessian-vector
 * product grad(x ↦ ⟨grad s(x), v⟩) must match (grad s(x + h v) − grad s(x − h v)) / 2h.
 */
export function checkSecondOrder(f: Fn, args: readonly Tensor[], opts: CheckOptions = {}): void {
  const next = rng((opts.seed ?? 1) + 104729);
  const argnums = args.map((_, i) => i);
  const ys = outputs(f(...args));
  const ws = ys.map((y) => randomLike(y, next, y.dtype));
  const s = (...xs: Tensor[]): Tensor => outputs(f(...xs)).reduce((acc: Tensor, y, k) => acc.add(np.sum(y.mul(ws[k]))), np.zeros([], { dtype: args[0].dtype }));
  const gradS = grad(s, { argnums }) as unknown as (...xs: Tensor[]) => Tensor[];
  const vs = args.map((a) => randomLike(a, next, a.dtype));
  const gv = (...xs: Tensor[]): Tensor => gradS(...xs).reduce((acc: Tensor, gi, i) => acc.add(np.sum(gi.mul(vs[i]))), np.zeros([], { dtype: args[0].dtype }));
  const hvp = (grad(gv, { argnums }) as unknown as (...xs: Tensor[]) => Tensor[])(...args);
  assertShapes(hvp, args, "grad∘grad");
  const fd = centralDifference(gradS, args, vs, opts.step ?? 1e-5);
  assertClose(flat(hvp), fd, scaled(opts.tol ?? F64_FD2, fd), "grad∘grad (Hessian-vector product) vs central differences of grad");
}

/** One slice of a batched argument: x[..., b, ...] along `axis` (null: unbatched). */
export function sliceAt(x: Tensor, axis: number | null, b: number): Tensor {
  return axis === null ? x : np.take(x, b, axis);
}

/** vmap(f, { inAxes }) against np.stack of f on each slice. */
export function checkVmap(f: Fn, batchedArgs: readonly Tensor[], inAxes: readonly (number | null)[], tol: Tol = { rtol: 1e-12, atol: 1e-12 }, what = "vmap"): void {
  const first = inAxes.findIndex((a) => a !== null);
  assert.ok(first >= 0, "checkVmap: at least one argument must be batched");
  const size = batchedArgs[first].shape[inAxes[first]!];
  const g = (...xs: Tensor[]) => outputs(f(...xs));
  const got = vmap(g, { inAxes: [...inAxes] })(...batchedArgs) as Tensor[];
  const perSlice = Array.from({ length: size }, (_, b) => g(...batchedArgs.map((x, i) => sliceAt(x, inAxes[i], b))));
  const want = perSlice[0].map((_, k) => np.stack(perSlice.map((outs) => outs[k]), 0));
  assertShapes(got, want, `${what} output`);
  assertClose(flat(got), flat(want), tol, `${what} vs a loop over slices`);
}

/** Stack `size` perturbed copies of x along `axis` (null: x itself). Copies stay in x's domain up to ±6%. */
export function batchOf(x: Tensor, axis: number | null, size: number, next: () => number): Tensor {
  if (axis === null) return x;
  const xd = x.data();
  const copies = Array.from({ length: size }, (_, b) =>
    tensor(Array.from({ length: x.size }, (_, i) => xd[i] * (1 + 0.03 * b) + 0.01 * b * next()), x.shape, x.dtype));
  return np.stack(copies, axis);
}

export interface Float32Options {
  seed?: number;
  /** Relative tolerance of float32 values/derivatives against float64 (scaled by the largest magnitude). */
  rtol?: number;
  /** Tolerance of float32 jvp against float32 central differences. */
  fdTol?: Tol;
  step?: number;
}

/**
 * float32: f on float32 inputs returns float32, and its values, jvp and vjp agree with the
 * float64 computation on the same (float32-representable) inputs to ~1e-5; jvp also agrees
 * with float32 central differences to a looser tolerance.
 */
export function checkFloat32(f: Fn, args: readonly Tensor[], opts: Float32Options = {}): void {
  const next = rng((opts.seed ?? 1) + 3);
  const rtol = opts.rtol ?? 1e-5;
  const g = (...xs: Tensor[]) => outputs(f(...xs));
  const round = (t: Tensor) => tensor(Float32Array.from(t.data() as ArrayLike<number>), t.shape);
  const x64 = args.map(round);
  const x32 = x64.map((t) => t.astype("float32"));
  const close = (a: Float64Array, e: Float64Array, what: string) =>
    assertClose(a, e, { rtol, atol: rtol * Math.max(1, maxAbs(e)) }, what);

  const y32 = g(...x32), y64 = g(...x64);
  assertShapes(y32, y64, "float32 output", "float32");
  close(flat(y32), flat(y64), "float32 values vs float64");

  const t64 = x64.map((a) => round(randomLike(a, next)));
  const t32 = t64.map((t) => t.astype("float32"));
  const [, ty32] = jvp(g, x32, t32) as [Tensor[], Tensor[]];
  const [, ty64] = jvp(g, x64, t64) as [Tensor[], Tensor[]];
  assertShapes(ty32, ty64, "float32 jvp tangent", "float32");
  close(flat(ty32), flat(ty64), "float32 jvp vs float64 jvp");
  // float32 differences: 1% of the largest derivative, plus the rounding of f itself over 2h.
  const step = opts.step ?? 3e-4;
  const fd = centralDifference(g, x32, t32, step);
  const roundoff = (16 * 2 ** -24 * Math.max(1, maxAbs(flat(y32)))) / stepFor(x32, step);
  assertClose(flat(ty32), fd, opts.fdTol ?? { rtol: 1e-2, atol: 1e-2 * Math.max(1, maxAbs(fd)) + roundoff }, "float32 jvp vs float32 central differences");

  const ct64 = y64.map((y) => round(randomLike(y, next)));
  const [, back32] = vjp(g, ...x32) as [Tensor[], (ct: unknown) => Tensor[]];
  const [, back64] = vjp(g, ...x64) as [Tensor[], (ct: unknown) => Tensor[]];
  const c32 = back32(ct64.map((c) => c.astype("float32")));
  const c64 = back64(ct64);
  assertShapes(c32, x32, "float32 vjp cotangent", "float32");
  close(flat(c32), flat(c64), "float32 vjp vs float64 vjp");
}
