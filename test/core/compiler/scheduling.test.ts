// How jit keeps a force-field pair loop in ONE kernel when the program around it is not one
// straight loop: several kernels open at once (a parameter table or a per-atom vector computed
// between the pair loop's equations does not end it), gradient sums rebuilt so the largest scatter
// comes last (simplify: reshape(a) + reshape(b) → reshape(a + b) and its reassociation;
// chain-scatter: one chain per sum tree, smallest update first, same-index scatters merged). Each
// rewrite is checked on the IR and for unchanged results; the compiled programs against eager.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jit, grad, vmap, valueAndGrad, makeJaxpr, Tensor } from "../../../src/index.js";
import { ClosedJaxpr, JaxprEqn, evalJaxpr } from "../../../src/core/jaxpr.js";
import { simplifyAlgebra } from "../../../src/core/compiler/simplify.js";
import { eliminateDeadCode } from "../../../src/core/compiler/dce.js";
import { eliminateCommonSubexpressions } from "../../../src/core/compiler/cse.js";
import { chainScatterAdds } from "../../../src/core/compiler/scatter-chain.js";
import { compileProgram } from "../../../src/core/compiler/program.js";
import type { Plan, Step } from "../../../src/core/compiler/fusion.js";
import { assertClose, flat, tensor } from "../../helpers/check-grads.js";

const eqnsOf = (cj: ClosedJaxpr, name: string): JaxprEqn[] => cj.jaxpr.eqns.filter((e) => e.prim.name === name);
const i32 = (v: number[]) => np.array(v, { dtype: "int32" });
const kernelSteps = (p: Plan) => p.steps.filter((s): s is Step & { kind: "kernel" } => s.kind === "kernel");
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function sameResults(before: ClosedJaxpr, after: ClosedJaxpr, args: Tensor[], what: string): void {
  const a = flat(evalJaxpr(after.jaxpr, after.consts, args)), b = flat(evalJaxpr(before.jaxpr, before.consts, args));
  assertClose(a, b, { rtol: 1e-14, atol: 1e-14 }, what);
}

// ---- a two-term pair energy with parameters, as src/ff assembles one ---------------------------

/** Atoms on a jittered cubic lattice and their i < j pairs within a cut-off (a Verlet list). */
function system(n: number) {
  const pos: number[] = [];
  for (let k = 0; k < n ** 3; k++) {
    const [a, b, c] = [Math.floor(k / (n * n)), Math.floor(k / n) % n, k % n];
    pos.push(a * 0.31 + 0.03 * Math.sin(3 * k), b * 0.31 + 0.03 * Math.cos(5 * k), c * 0.31 + 0.03 * Math.sin(7 * k + 1));
  }
  const N = n ** 3, I: number[] = [], J: number[] = [];
  for (let p = 0; p < N; p++) for (let q = p + 1; q < N; q++) {
    const r2 = (pos[3 * p] - pos[3 * q]) ** 2 + (pos[3 * p + 1] - pos[3 * q + 1]) ** 2 + (pos[3 * p + 2] - pos[3 * q + 2]) ** 2;
    if (r2 < 0.7 * 0.7) { I.push(p); J.push(q); }
  }
  const types = Array.from({ length: N }, (_, k) => k % 2);
  return { N, P: I.length, x: np.reshape(np.array(pos), [N, 3]), i: i32(I), j: i32(J), pairType: i32(I.map((p, k) => 2 * types[p] + types[J[k]])), typeOf: i32(types) };
}

/**
 * LJ with a per-type table from (σ, ε) and Coulomb with per-type charges: the table ([2, 2]) and
 * the charges ([N]) are computed between the pair equations, in other loops than the pairs'.
 */
function energy(s: ReturnType<typeof system>) {
  const flatI = [0, 1, 2].map((c) => s.i.mul(3).add(c)), flatJ = [0, 1, 2].map((c) => s.j.mul(3).add(c));
  return (x: Tensor, sigma: Tensor, eps: Tensor, qType: Tensor): Tensor => {
    const fx = x.reshape([-1]);
    const d = [0, 1, 2].map((c) => np.take(fx, flatI[c]).sub(np.take(fx, flatJ[c])));
    const r2 = d[0].mul(d[0]).add(d[1].mul(d[1])).add(d[2].mul(d[2]));
    const sig = sigma.reshape([2, 1]).add(sigma.reshape([1, 2])).mul(0.5);
    const c6 = np.sqrt(eps.reshape([2, 1]).mul(eps.reshape([1, 2]))).mul(sig.pow(6)).mul(4).reshape([-1]);
    const inv6 = np.reciprocal(r2.mul(r2).mul(r2));
    const lj = np.sum(np.take(c6, s.pairType).mul(inv6).mul(inv6.mul(0.5).sub(1)));
    const q = np.take(qType, s.typeOf);
    const coul = np.sum(np.take(q, s.i).mul(np.take(q, s.j)).div(np.sqrt(r2)));
    return lj.add(coul.mul(138.9));
  };
}

test("a two-term pair energy with parameter tables in other loops: energy + forces are ONE pass over the pairs", () => {
  const s = system(4);
  const E = energy(s);
  const args: [Tensor, Tensor, Tensor, Tensor] = [s.x, tensor([0.3, 0.1], [2]), tensor([0.6, 0.2], [2]), tensor([-0.8, 0.4], [2])];
  const f = valueAndGrad(E);
  const lowered = jit(f).lower(...args);
  const plan = compileProgram(lowered.optimized).plan;
  const pairKernels = kernelSteps(plan).filter((k) => size(k.kernel.domain) === s.P);
  assert.equal(pairKernels.length, 1, `pair kernels: ${pairKernels.length}\n${lowered.text}`);
  assert.ok(!kernelSteps(plan).some((k) => k.kernel.outputs.some((o) => size(o.shape) >= s.P)), "no pair-sized buffer is written");
  assert.equal(lowered.optimized.jaxpr.eqns.filter((e) => e.prim.name === "scatterAdd").length, 6, "one scatter per component and pair end, shared by both terms");
  const [e1, g1] = jit(f)(...args) as [Tensor, Tensor];
  const [e0, g0] = f(...args) as [Tensor, Tensor];
  assertClose(flat([e1]), flat([e0]), { rtol: 1e-12, atol: 0 }, "energy");
  assertClose(flat([g1]), flat([g0]), { rtol: 1e-12, atol: 1e-12 * Math.max(...Array.from(flat([g0]), Math.abs)) }, "forces");
  // all parameter gradients too (scatters into the tables and the charges)
  const full = valueAndGrad(E, { argnums: [0, 1, 2, 3] });
  const leaves = (r: unknown): Tensor[] => { const [v, gs] = r as [Tensor, Tensor[]]; return [v, ...gs]; };
  assertClose(flat(leaves(jit(full)(...args))), flat(leaves(full(...args))), { rtol: 1e-11, atol: 1e-9 }, "parameter gradients");
});

// ---- simplify: adds below reshapes -------------------------------------------------------------

test("simplify: reshape(a) + reshape(b) → reshape(a + b), and (z + reshape(a)) + reshape(b) → z + reshape(a + b)", () => {
  const x = tensor(Array.from({ length: 6 }, (_, k) => Math.sin(k + 1)), [6]);
  const z = tensor(Array.from({ length: 6 }, (_, k) => Math.cos(k)), [2, 3]);
  const two = makeJaxpr((a: Tensor) => np.sin(a).reshape([2, 3]).add(np.cos(a).reshape([2, 3])))(x);
  const s2 = eliminateDeadCode(simplifyAlgebra(two));
  const add2 = eqnsOf(s2, "add");
  assert.equal(add2.length, 1);
  assert.deepEqual(add2[0].outs[0].aval.shape, [6], `the add runs before the reshape\n${s2}`);
  sameResults(two, s2, [x], "reshape pushdown");

  const three = makeJaxpr((a: Tensor, w: Tensor) => w.add(np.sin(a).reshape([2, 3])).add(np.exp(a).reshape([2, 3])))(x, z);
  const s3 = eliminateDeadCode(simplifyAlgebra(three));
  assert.deepEqual(eqnsOf(s3, "add").map((e) => e.outs[0].aval.shape), [[6], [2, 3]], `${s3}`);
  sameResults(three, s3, [x, z], "reassociation");

  // not when the inner sum is read elsewhere
  const shared = makeJaxpr((a: Tensor, w: Tensor) => { const t = w.add(np.sin(a).reshape([2, 3])); return [t.add(np.exp(a).reshape([2, 3])), t]; })(x, z);
  const s4 = eliminateDeadCode(simplifyAlgebra(shared));
  assert.ok(eqnsOf(s4, "add").every((e) => e.outs[0].aval.shape.length === 2), `${s4}`);
  sameResults(shared, s4, [x, z], "shared inner sum");
});

// ---- chain-scatter: sum trees ------------------------------------------------------------------

test("chain-scatter: a sum of scatters becomes one chain, smallest update first, same-index scatters merged", () => {
  const x = tensor(Array.from({ length: 8 }, (_, k) => Math.sin(3 * k)), [8]);
  const big = i32([0, 1, 2, 3, 4, 5, 6, 7, 0, 3]), small = i32([1, 6]);
  const traced = makeJaxpr((v: Tensor) => {
    const upd = (idx: Tensor, f: (t: Tensor) => Tensor) => np.indexAdd(np.zeros([8]), idx, f(np.take(v, idx)));
    // big, small, big again (the same index array), and a term that is not a scatter
    return upd(big, np.sin).add(upd(small, np.cos)).add(upd(big, np.exp)).add(v.mul(2));
  })(x);
  // (after CSE, which makes the two uses of `big` one constant, as the pipeline runs it)
  const after = eliminateDeadCode(chainScatterAdds(eliminateDeadCode(eliminateCommonSubexpressions(traced))));
  const scatters = eqnsOf(after, "scatterAdd");
  assert.deepEqual(scatters.map((e) => e.inputs[2].aval.shape[0]), [2, 10], `two scatters, the small one first\n${after}`);
  assert.equal(scatters[1].inputs[0], scatters[0].outs[0], "the big scatter accumulates into the small one's buffer");
  assert.equal(scatters[1].outs[0], after.jaxpr.outs[0], "and gives the sum");
  sameResults(traced, after, [x], "chain-scatter tree");
});

// ---- accumulations in a kernel over a larger domain -----------------------------------------------

test("a scatter or reduction that runs along fewer loops than an open kernel's does not join it (it would add several times)", () => {
  // Under vmap the first two scatters loop over [batch, 3]; the third (unbatched) is over [3] only.
  const i = i32([0, 0, 0]);
  const g = (x: Tensor, idx: Tensor) => [np.indexAdd(x, idx, np.ones([3]), 0), np.indexAdd(x.mul(2), idx, 2.5, 0), np.indexAdd(np.zeros([3]), idx, np.full([3], -1.5), 0)];
  const vg = vmap(g, { inAxes: [0, null] });
  const xb = tensor([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [2, 3]);
  assertClose(flat(jit(vg)(xb, i) as Tensor[]), flat(vg(xb, i) as Tensor[]), { rtol: 1e-14, atol: 1e-14 }, "scatters");
  // The gradient of a broadcast product under vmap: a [4] reduction after a [2, 2, 4, 3] one.
  const x = tensor([0.3, -0.2, 0.5, 0.7, 0.1, -0.4], [2, 1, 3]);
  const yb = tensor([0.2, 0.4, -0.6, 0.8, 1.0, -1.2, 0.5, 0.9], [2, 4, 1]);
  const w = tensor(Array.from({ length: 24 }, (_, k) => Math.sin(k + 1)), [2, 4, 3]);
  const vgrad = vmap(grad((a: Tensor, b: Tensor) => np.sum(a.mul(b).mul(w)), { argnums: [0, 1] }), { inAxes: [null, 0] });
  assertClose(flat(jit(vgrad)(x, yb) as unknown as Tensor[]), flat(vgrad(x, yb) as unknown as Tensor[]), { rtol: 1e-14, atol: 1e-14 }, "reductions");
});
