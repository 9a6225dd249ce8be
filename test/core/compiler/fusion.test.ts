// What jit generates, structurally: how the optimised IR is planned into fused loop kernels and
// opaque steps, what each kernel writes out, and that the compiled program agrees with eager.
//
//   neighbour-list Lennard-Jones energy + gradient  → ONE kernel, a single pass over the pairs,
//                                                     no [P, 3] (or any P-sized) buffer
//   dense all-pairs Lennard-Jones                   → few kernels, no [N, N, …] temporaries
//   a chain of 10 elementwise ops                   → one kernel
//   a function with a matmul                        → kernel, opaque dotGeneral, kernel
//   the compile cache                               → one trace and one code generation per signature
//   an out-of-range index under jit                 → RangeError, as eager
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, grad, valueAndGrad, jit, Tensor } from "../../../src/index.js";
import type { DType } from "../../../src/index.js";
import { compileProgram } from "../../../src/core/compiler/program.js";
import type { Plan, Step } from "../../../src/core/compiler/fusion.js";
import type { ClosedJaxpr } from "../../../src/core/jaxpr.js";
import { assertClose, flat } from "../../helpers/check-grads.js";

// ---- helpers ---------------------------------------------------------------------------------------

const planOf = (optimized: ClosedJaxpr): Plan => compileProgram(optimized).plan;
const kernelSteps = (p: Plan) => p.steps.filter((s): s is Step & { kind: "kernel" } => s.kind === "kernel");
const opaqueSteps = (p: Plan) => p.steps.filter((s): s is Step & { kind: "opaque" } => s.kind === "opaque");
const stepKinds = (p: Plan) => p.steps.map((s) => (s.kind === "kernel" ? "kernel" : s.prim.name));
/** Every buffer a step writes: kernel outputs and opaque results. */
const writtenShapes = (p: Plan): number[][] => p.steps.flatMap((s) => (s.kind === "kernel" ? s.kernel.outputs.map((o) => o.shape) : s.outAvals.map((a) => [...a.shape])));
/** Sizes of the scratch arrays a generated kernel allocates. */
const scratchSizes = (src: string): number[] => [...src.matchAll(/new (?:Float64|Float32|Int32|Uint8)Array\((\d+)\)/g)].map((m) => Number(m[1]));
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function same(got: Tensor | Tensor[], want: Tensor | Tensor[], rtol: number, what: string): void {
  const g = Array.isArray(got) ? got : [got], w = Array.isArray(want) ? want : [want];
  g.forEach((t, i) => { assert.deepEqual(t.shape, w[i].shape, `${what}: shape`); assert.equal(t.dtype, w[i].dtype, `${what}: dtype`); });
  const e = flat(w);
  assertClose(flat(g), e, { rtol, atol: rtol * Math.max(1, ...Array.from(e, Math.abs)) }, what);
}

/** Atoms on a jittered simple-cubic lattice, and the i<j pairs closer than the cutoff. */
function lattice(n: number, spacing: number, cutoff: number, dtype: DType = "float64") {
  const pos: number[] = [];
  let k = 0;
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) for (let c = 0; c < n; c++, k++) {
    pos.push(a * spacing + 0.07 * Math.sin(3 * k), b * spacing + 0.07 * Math.cos(5 * k), c * spacing + 0.07 * Math.sin(7 * k + 1));
  }
  const N = n ** 3;
  const I: number[] = [], J: number[] = [];
  for (let p = 0; p < N; p++) for (let q = p + 1; q < N; q++) {
    const r2 = (pos[3 * p] - pos[3 * q]) ** 2 + (pos[3 * p + 1] - pos[3 * q + 1]) ** 2 + (pos[3 * p + 2] - pos[3 * q + 2]) ** 2;
    if (r2 < cutoff * cutoff) { I.push(p); J.push(q); }
  }
  return {
    N, P: I.length, pos, I, J,
    x: np.reshape(np.array(pos, { dtype }), [N, 3]),
    i: np.array(I, { dtype: "int32" }),
    j: np.array(J, { dtype: "int32" }),
  };
}

/** Neighbour-list LJ: gather both ends of every pair, pair energy, sum. */
const ljEnergy = (x: Tensor, i: Tensor, j: Tensor): Tensor => {
  const d = np.take(x, i, 0).sub(np.take(x, j, 0));
  const r2 = np.sum(d.mul(d), -1);
  return np.sum(r2.pow(-6).sub(r2.pow(-3)).mul(4));
};

/** The same energy and gradient by a hand-written loop (an independent reference). */
function ljByHand(pos: number[], I: number[], J: number[]): [number, Float64Array] {
  let e = 0;
  const g = new Float64Array(pos.length);
  for (let p = 0; p < I.length; p++) {
    const a = I[p], b = J[p];
    const d = [0, 1, 2].map((c) => pos[3 * a + c] - pos[3 * b + c]);
    const r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    e += 4 * (r2 ** -6 - r2 ** -3);
    const dEdr2 = 4 * (-6 * r2 ** -7 + 3 * r2 ** -4);
    for (let c = 0; c < 3; c++) { g[3 * a + c] += 2 * dEdr2 * d[c]; g[3 * b + c] -= 2 * dEdr2 * d[c]; }
  }
  return [e, g];
}

// ---- neighbour-list Lennard-Jones ------------------------------------------------------------------

test("neighbour-list LJ energy + gradient compiles to ONE kernel: one pass over the pairs, no [P, 3] temporaries", () => {
  const { N, P, x, i, j, pos, I, J } = lattice(4, 1.1, 1.65);
  assert.ok(P > 3 * N, `enough pairs to tell P-sized buffers from N-sized ones (P = ${P}, N = ${N})`);
  const vg = valueAndGrad(ljEnergy);
  const jf = jit(vg);
  const lowered = jf.lower(x, i, j);
  assert.equal(lowered.kernels.length, 1, `expected one fused kernel\n${lowered.text}`);

  const plan = planOf(lowered.optimized);
  assert.deepEqual(stepKinds(plan), ["kernel"], "no opaque steps: gathers, reductions and scatter-adds all fused");
  const [k] = kernelSteps(plan);
  assert.deepEqual(k.kernel.domain, [P, 3], "the kernel's loop nest runs over the pairs (and xyz)");
  // The only buffers written are the scalar energy and the [N, 3] gradient.
  assert.deepEqual(k.kernel.outputs.map((o) => o.shape).sort((a, b) => a.length - b.length), [[], [N, 3]]);
  assert.deepEqual(plan.outputs.map((o) => [...o.aval.shape]), [[], [N, 3]]);
  for (const s of writtenShapes(plan)) assert.ok(!s.includes(P), `a buffer of shape [${s}] is written: a pair-sized temporary`);
  // Scratch inside the kernel is per pair (xyz), never per pair list.
  const src = lowered.kernels[0];
  for (const n of scratchSizes(src)) assert.ok(n < P, `the kernel allocates a scratch array of ${n} (P = ${P})\n${src}`);
  assert.ok(src.includes("indexError"), "indices are bounds-checked in the generated loop");

  const [e, g] = jf(x, i, j) as [Tensor, Tensor];
  const [e0, g0] = vg(x, i, j) as [Tensor, Tensor];
  same([e, g], [e0, g0], 1e-12, "jit vs eager");
  const [eh, gh] = ljByHand(pos, I, J);
  assertClose([e.item()], [eh], { rtol: 1e-12, atol: 0 }, "energy vs a hand-written loop");
  assertClose(flat([g]), gh, { rtol: 1e-12, atol: 1e-12 * Math.max(...Array.from(gh, Math.abs)) }, "gradient vs a hand-written loop");
});

test("neighbour-list LJ: float32 is also one kernel and agrees with eager float32; a new pair count retraces", () => {
  const L = lattice(3, 1.1, 1.65, "float32");
  const jf = jit(valueAndGrad(ljEnergy));
  const lowered = jf.lower(L.x, L.i, L.j);
  assert.equal(lowered.kernels.length, 1, lowered.text);
  // float32 intermediates stay in registers; the Float32Array stores round (see docs/jit.md)
  assert.ok(!lowered.kernels[0].includes("Math.fround"), "float32 intermediates are not rounded op by op");
  const got = jf(L.x, L.i, L.j) as [Tensor, Tensor];
  assert.equal(got[1].dtype, "float32");
  same(got, valueAndGrad(ljEnergy)(L.x, L.i, L.j) as [Tensor, Tensor], 1e-5, "float32 jit vs eager");
  assert.equal(jf.traceCount, 1);
  const fewer = [L.i.slice(":-3"), L.j.slice(":-3")];
  same(jf(L.x, fewer[0], fewer[1]) as [Tensor, Tensor], valueAndGrad(ljEnergy)(L.x, fewer[0], fewer[1]) as [Tensor, Tensor], 1e-5, "fewer pairs");
  assert.equal(jf.traceCount, 2, "a new number of pairs is a new signature");
});

test("neighbour-list forces with a per-atom energy (segmentSum) still fuse into one kernel", () => {
  const { N, P, x, i, j } = lattice(3, 1.1, 1.65);
  const f = (x: Tensor, i: Tensor, j: Tensor) => {
    const [e, g] = valueAndGrad(ljEnergy)(x, i, j) as [Tensor, Tensor];
    const d = np.take(x, i, 0).sub(np.take(x, j, 0));
    const r2 = np.sum(d.mul(d), -1);
    const pe = r2.pow(-6).sub(r2.pow(-3)).mul(2);
    return [e, g, np.segmentSum(pe, i, N).add(np.segmentSum(pe, j, N))];
  };
  const lowered = jit(f).lower(x, i, j);
  assert.equal(lowered.kernels.length, 1, lowered.text);
  const plan = planOf(lowered.optimized);
  assert.equal(opaqueSteps(plan).length, 0);
  for (const s of writtenShapes(plan)) assert.ok(!s.includes(P), `a buffer of shape [${s}] is written`);
  same(jit(f)(x, i, j), f(x, i, j), 1e-12, "jit vs eager");
});

// ---- dense all-pairs Lennard-Jones -----------------------------------------------------------------

test("dense all-pairs LJ (x[:, None] − x[None, :]) compiles to few kernels without [N, N, …] temporaries", () => {
  const { N, x } = lattice(2, 1.2, 0);
  const eye = np.eye(N);
  const mask = eye.astype("bool");
  const energy = (x: Tensor) => {
    const d = x.slice(":", null).sub(x.slice(null, ":"));
    const r2 = np.sum(d.mul(d), -1).add(eye);
    return np.sum(np.where(mask, 0, r2.pow(-6).sub(r2.pow(-3)).mul(4))).mul(0.5);
  };
  const vg = valueAndGrad(energy);
  const lowered = jit(vg).lower(x);
  assert.ok(lowered.kernels.length >= 1 && lowered.kernels.length <= 3, `${lowered.kernels.length} kernels\n${lowered.text}`);
  const plan = planOf(lowered.optimized);
  assert.equal(opaqueSteps(plan).length, 0, `no opaque steps: ${stepKinds(plan)}`);
  for (const s of writtenShapes(plan)) assert.ok(size(s) < N * N, `a buffer of shape [${s}] is written (N = ${N})`);
  same(jit(vg)(x) as Tensor[], vg(x) as Tensor[], 1e-12, "jit vs eager");
  const bigger = lattice(3, 1.2, 0).x;
  // a new N: still agrees (the masked diagonal is captured for N = 8 only, so use a fresh closure)
  const eye27 = np.eye(27), mask27 = eye27.astype("bool");
  const e27 = valueAndGrad((x: Tensor) => {
    const d = x.slice(":", null).sub(x.slice(null, ":"));
    const r2 = np.sum(d.mul(d), -1).add(eye27);
    return np.sum(np.where(mask27, 0, r2.pow(-6).sub(r2.pow(-3)).mul(4))).mul(0.5);
  });
  same(jit(e27)(bigger) as Tensor[], e27(bigger) as Tensor[], 1e-12, "jit vs eager, N = 27");
});

// ---- elementwise chains and opaque ops -------------------------------------------------------------

test("a chain of 10 elementwise ops (with a broadcast operand) is one kernel writing only the result", () => {
  const chain = (x: Tensor, y: Tensor) =>
    np.exp(np.sin(x.mul(y).add(1)).sub(y).div(2.5)).mul(x).neg().add(np.tanh(x)).mul(y).sub(0.25);
  const x = np.reshape(np.array(Array.from({ length: 40 }, (_, k) => Math.cos(k))), [8, 5]);
  const y = np.array([0.5, -1, 2, 0.25, 3]);
  const jf = jit(chain);
  const lowered = jf.lower(x, y);
  const nOps = lowered.optimized.jaxpr.eqns.length;
  assert.ok(nOps >= 10, `the optimised IR keeps the ${nOps} elementwise equations`);
  assert.equal(lowered.kernels.length, 1, lowered.text);
  const plan = planOf(lowered.optimized);
  assert.deepEqual(stepKinds(plan), ["kernel"]);
  assert.deepEqual(kernelSteps(plan)[0].kernel.outputs.map((o) => o.shape), [[8, 5]], "one output, no intermediates written");
  assert.deepEqual(scratchSizes(lowered.kernels[0]), []);
  same(jf(x, y), chain(x, y), 1e-12, "jit vs eager");
  // Its gradient agrees too. (Not asserted: its kernel count. The reductions for y's broadcast are
  // written by the first kernel, and each later add that reads one starts a new kernel — 4 today.)
  const g = grad((x: Tensor, y: Tensor) => np.sum(chain(x, y)), { argnums: [0, 1] });
  same(jit(g)(x, y) as unknown as Tensor[], g(x, y) as unknown as Tensor[], 1e-12, "jit(grad) vs eager");
});

test("a function with a matmul is split around it: kernel, opaque dotGeneral, kernel", () => {
  const f = (x: Tensor, w: Tensor, b: Tensor) => np.sum(np.tanh(np.matmul(np.sin(x), w).add(b)).mul(2));
  const x = np.reshape(np.array(Array.from({ length: 20 }, (_, k) => Math.sin(k))), [4, 5]);
  const w = np.reshape(np.array(Array.from({ length: 30 }, (_, k) => Math.cos(k) / 3)), [5, 6]);
  const b = np.array([0.1, -0.2, 0.3, 0, 0.5, -1]);
  const lowered = jit(f).lower(x, w, b);
  const plan = planOf(lowered.optimized);
  assert.deepEqual(stepKinds(plan), ["kernel", "dotGeneral", "kernel"]);
  assert.equal(lowered.kernels.length, 2);
  // the first kernel writes sin(x) (the matmul's operand); the second reads the product and writes the scalar
  assert.deepEqual(kernelSteps(plan).map((k) => k.kernel.outputs.map((o) => o.shape)), [[[4, 5]], [[]]]);
  same(jit(f)(x, w, b), f(x, w, b), 1e-12, "jit vs eager");
  // and the gradient: every matmul opaque, everything else fused between them
  const g = grad(f, { argnums: [0, 1, 2] });
  const pg = planOf(jit(g).lower(x, w, b).optimized);
  const ops = opaqueSteps(pg).map((s) => s.prim.name);
  assert.ok(ops.length >= 2 && ops.every((n) => n === "dotGeneral"), `opaque steps: ${ops}`);
  for (let s = 1; s < pg.steps.length; s++) assert.ok(!(pg.steps[s].kind === "kernel" && pg.steps[s - 1].kind === "kernel"), `two kernels in a row: ${stepKinds(pg)}`);
  same(jit(g)(x, w, b) as unknown as Tensor[], g(x, w, b) as unknown as Tensor[], 1e-12, "jit(grad) vs eager");
});

// ---- the compile cache -----------------------------------------------------------------------------

/** Count code generation (new Function) while fn runs. */
function countCodegen(fn: () => void): number {
  const original = globalThis.Function;
  let n = 0;
  globalThis.Function = new Proxy(original, { construct(target, args) { n++; return Reflect.construct(target, args); } });
  try { fn(); } finally { globalThis.Function = original; }
  return n;
}

test("compile cache: same shapes do not retrace or regenerate kernels; a new shape does, once", () => {
  const { x, i, j } = lattice(2, 1.1, 2);
  let traces = 0;
  const jf = jit((x: Tensor, i: Tensor, j: Tensor) => { traces++; return valueAndGrad(ljEnergy)(x, i, j); });
  const first = countCodegen(() => jf(x, i, j));
  assert.equal(jf.traceCount, 1);
  assert.ok(first >= 1, "the first call generates its kernel");
  const again = countCodegen(() => { for (let r = 0; r < 3; r++) jf(x.mul(1 + r / 10), i, j); });
  assert.equal(again, 0, "calls with the same shapes generate no code");
  assert.equal(jf.traceCount, 1, "and do not retrace");
  assert.equal(traces, 1, "the Python-side function ran once");
  const l1 = jf.lower(x, i, j), l2 = jf.lower(x.add(1), i, j);
  assert.equal(l1.optimized, l2.optimized, "lower() of the same signature returns the cached program");
  assert.deepEqual(l1.kernels, l2.kernels);
  assert.equal(jf.traceCount, 1);

  const x2 = np.concatenate([x, x.add(3)], 0);
  const second = countCodegen(() => jf(x2, i, j));
  assert.equal(jf.traceCount, 2, "a new shape traces again");
  assert.ok(second >= 1, "and generates its own kernels");
  assert.equal(countCodegen(() => { jf(x, i, j); jf(x2, i, j); }), 0, "both signatures stay cached");
  assert.equal(jf.traceCount, 2);
  assert.ok(countCodegen(() => jf(x.astype("float32"), i, j)) >= 1, "a new dtype compiles again");
  assert.equal(jf.traceCount, 3);
  jf.clearCache();
  jf(x, i, j);
  assert.equal(jf.traceCount, 4, "clearCache forgets the programs");
});

// ---- index errors ----------------------------------------------------------------------------------

test("out-of-range indices under jit throw a RangeError, as eager does (fused or not, gather or scatter)", () => {
  const x = np.reshape(np.arange(12), [4, 3]).astype("float64");
  const idx = (v: number[]) => np.array(v, { dtype: "int32" });
  const cases: [string, (x: Tensor, i: Tensor) => Tensor, Tensor][] = [
    ["take", (x, i) => np.take(x, i, 0), idx([0, 4])],
    ["take, negative beyond −n", (x, i) => np.take(x, i, 0), idx([-5])],
    ["take fused into an elementwise chain and a sum", (x, i) => np.sum(np.sin(np.take(x, i, 0)).mul(2)), idx([1, 2, 7])],
    ["indexAdd of a traced update", (x, i) => np.indexAdd(x, i, np.take(x, idx([0, 1]), 0)), idx([0, 4])],
    ["indexAdd of a constant update", (x, i) => np.indexAdd(x, i, np.ones([2, 3])), idx([3, 4])],
    ["segmentSum", (x, i) => np.segmentSum(x.slice(":2"), i, 4), idx([0, 4])],
    ["grad of a gather (a scatter-add)", (x, i) => grad((y: Tensor) => np.sum(np.sin(np.take(y, i, 0))))(x) as Tensor, idx([0, 9])],
    ["neighbour-list energy", (x, i) => valueAndGrad(ljEnergy)(x, i, idx([1, 2]))[0] as Tensor, idx([0, 4])],
  ];
  for (const [name, f, i] of cases) {
    assert.throws(() => f(x, i), RangeError, `${name}: eager`);
    assert.throws(() => jit(f)(x, i), RangeError, `${name}: jit`);
  }
  // in range (and negative within range) is fine, and agrees with eager
  const ok = idx([-1, 0, 3, 3]);
  for (const [name, f] of cases) if (name !== "segmentSum" && !name.startsWith("indexAdd") && !name.startsWith("neighbour")) same(jit(f)(x, ok), f(x, ok), 1e-12, `${name}: in range`);
});
