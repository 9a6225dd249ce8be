// The IR → IR passes jit runs before fusion, one at a time: what each removes, rewrites or keeps,
// asserted on the equation list (and printed IR), and that every pass — and the whole pipeline —
// preserves the program's results (evalJaxpr before and after).
//
// Tracing already evaluates concrete sub-expressions, so inputs for constant folding and dead
// code are made by IR surgery: an input variable turned into a constant of the program, an
// output dropped.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { np, grad, valueAndGrad, vmap, makeJaxpr, Tensor } from "../../../src/index.js";
import { ClosedJaxpr, Jaxpr, JaxprEqn, Literal, Var, evalJaxpr } from "../../../src/core/jaxpr.js";
import { foldConstants } from "../../../src/core/compiler/fold.js";
import { simplifyAlgebra } from "../../../src/core/compiler/simplify.js";
import { eliminateCommonSubexpressions } from "../../../src/core/compiler/cse.js";
import { eliminateDeadCode } from "../../../src/core/compiler/dce.js";
import { chainScatterAdds } from "../../../src/core/compiler/scatter-chain.js";
import { shareReciprocals } from "../../../src/core/compiler/reciprocal.js";
import { optimize, standardPasses } from "../../../src/core/compiler/pipeline.js";
import { flat, rng, tensor } from "../../helpers/check-grads.js";

// ---- helpers ---------------------------------------------------------------------------------------

const prims = (cj: ClosedJaxpr): string[] => cj.jaxpr.eqns.map((e) => e.prim.name);
const count = (cj: ClosedJaxpr, name: string): number => prims(cj).filter((p) => p === name).length;
const eqnsOf = (cj: ClosedJaxpr, name: string): JaxprEqn[] => cj.jaxpr.eqns.filter((e) => e.prim.name === name);
const i32 = (v: number[]) => np.array(v, { dtype: "int32" });

/** Turn input `k` of a traced program into a constant with the given value (IR in with foldable equations). */
function bindInput(cj: ClosedJaxpr, k: number, value: Tensor): ClosedJaxpr {
  const j = cj.jaxpr;
  const v = j.inVars[k];
  return new ClosedJaxpr(new Jaxpr([...j.constVars, v], j.inVars.filter((_, i) => i !== k), j.eqns, j.outs), [...cj.consts, value]);
}
/** Keep only some outputs (the rest of the program becomes dead). */
function keepOutputs(cj: ClosedJaxpr, keep: number[]): ClosedJaxpr {
  const j = cj.jaxpr;
  return new ClosedJaxpr(new Jaxpr(j.constVars, j.inVars, j.eqns, keep.map((i) => j.outs[i])), cj.consts);
}

function run(cj: ClosedJaxpr, args: Tensor[]): Tensor[] {
  return evalJaxpr(cj.jaxpr, cj.consts, args);
}

/** The pass changed nothing about what the program computes: same shapes, dtypes and numbers (to 1e-15). */
function assertSameResults(before: ClosedJaxpr, after: ClosedJaxpr, args: Tensor[], what: string): void {
  assert.deepEqual(after.inAvals.map(String), before.inAvals.map(String), `${what}: inputs changed`);
  assert.deepEqual(after.outAvals.map(String), before.outAvals.map(String), `${what}: output avals changed`);
  const a = run(after, args), b = run(before, args);
  a.forEach((t, i) => {
    assert.deepEqual(t.shape, b[i].shape, `${what}: output ${i} shape`);
    assert.equal(t.dtype, b[i].dtype, `${what}: output ${i} dtype`);
  });
  const fa = flat(a), fb = flat(b);
  for (let i = 0; i < fa.length; i++) {
    if (Number.isNaN(fa[i]) && Number.isNaN(fb[i])) continue;
    assert.ok(Math.abs(fa[i] - fb[i]) <= 1e-15 * Math.max(1, Math.abs(fb[i])), `${what}: element ${i} is ${fa[i]}, expected ${fb[i]}\n${before}\n→\n${after}`);
  }
}

/** The IR is well formed: every variable read is defined earlier (a constant, an input or an equation output). */
function assertWellFormed(cj: ClosedJaxpr, what: string): void {
  const j = cj.jaxpr;
  assert.equal(j.constVars.length, cj.consts.length, `${what}: constVars and consts differ in number`);
  const defined = new Set<Var>([...j.constVars, ...j.inVars]);
  for (const e of j.eqns) {
    for (const a of e.inputs) if (a instanceof Var) assert.ok(defined.has(a), `${what}: ${e.prim.name} reads an undefined variable\n${cj}`);
    for (const o of e.outs) { assert.ok(!defined.has(o), `${what}: a variable is defined twice\n${cj}`); defined.add(o); }
  }
  for (const o of j.outs) if (o instanceof Var) assert.ok(defined.has(o), `${what}: an output is undefined\n${cj}`);
}

const x3 = tensor([0.3, -1.2, 2.5], [3]);
const m23 = tensor([0.1, 0.2, -0.3, 0.4, 1.5, -0.6], [2, 3]);

// ---- constant folding ------------------------------------------------------------------------------

test("fold: equations whose inputs are all constants are evaluated at compile time", () => {
  const traced = makeJaxpr((x: Tensor, c: Tensor) => x.add(np.exp(c).mul(2).sub(np.sin(c))))(x3, x3);
  const c = tensor([0.5, 1, -2], [3]);
  const before = bindInput(traced, 1, c);
  assert.deepEqual(prims(before), ["exp", "mul", "sin", "sub", "add"]);
  const after = foldConstants(before);
  assertWellFormed(after, "fold");
  assert.deepEqual(prims(after), ["add"], after.toString());
  // the folded value is a constant of the program, exact in float64
  const [add] = after.jaxpr.eqns;
  const folded = add.inputs.find((a) => a !== after.jaxpr.inVars[0])!;
  const k = after.jaxpr.constVars.indexOf(folded as Var);
  assert.ok(k >= 0, "the folded operand is a program constant");
  assert.deepEqual(Array.from(after.consts[k].data()), [0.5, 1, -2].map((v) => Math.exp(v) * 2 - Math.sin(v)));
  assertSameResults(before, after, [x3], "fold");
});

test("fold: a scalar result becomes a literal; equations reading an input are kept", () => {
  const traced = makeJaxpr((x: Tensor, c: Tensor) => np.sin(x).mul(np.square(c).add(1)).add(np.cos(c)))(x3, np.array(0));
  const before = bindInput(traced, 1, np.array(0.7));
  const after = foldConstants(before);
  assertWellFormed(after, "fold");
  assert.deepEqual(prims(after), ["sin", "mul", "add"], after.toString());
  const lits = after.jaxpr.eqns.flatMap((e) => e.inputs).filter((a): a is Literal => a instanceof Literal);
  assert.deepEqual(lits.map((l) => l.value.item()).sort(), [0.7 * 0.7 + 1, Math.cos(0.7)].sort());
  assertSameResults(before, after, [x3], "fold");
});

test("fold: broadcasts of constants stay symbolic (a fused loop reads a broadcast scalar for free)", () => {
  const traced = makeJaxpr((x: Tensor, c: Tensor) => x.add(np.broadcastTo(c, [2, 3])))(m23, np.array(0));
  const before = bindInput(traced, 1, np.array(2));
  const after = foldConstants(before);
  assert.ok(prims(after).includes("broadcastTo"), after.toString());
  assertSameResults(before, after, [m23], "fold");
});

// ---- algebraic simplification ----------------------------------------------------------------------

test("simplify: x·1, 1·x, x+0, 0+x, x−0, x/1 disappear", () => {
  const f = (x: Tensor) => [x.mul(1), np.multiply(1, x), x.add(0), np.add(0, x), x.sub(0), x.div(1), x.mul(1).add(0).div(1).sub(0)];
  const before = makeJaxpr(f)(x3);
  assert.equal(before.jaxpr.eqns.length, 10);
  const after = simplifyAlgebra(before);
  assertWellFormed(after, "simplify");
  assert.equal(after.jaxpr.eqns.length, 0, after.toString());
  assert.ok(after.jaxpr.outs.every((o) => o === after.jaxpr.inVars[0]), "every output is x itself");
  assertSameResults(before, after, [x3], "simplify");
});

test("simplify: identities that would change the shape or the value are kept (x·ones[2,3] broadcasts, 0 − x, x·0)", () => {
  const ones = np.ones([2, 3]);
  const f = (x: Tensor) => [x.mul(ones), np.subtract(0, x), x.mul(0), x.add(1), x.div(2)];
  const before = makeJaxpr(f)(x3);
  const after = simplifyAlgebra(before);
  assert.deepEqual(prims(after), prims(before), after.toString());
  assertSameResults(before, after, [x3], "simplify");
});

test("simplify: transpose∘transpose composes into one transpose, or none when it is the identity", () => {
  const t3 = tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i)), [2, 3, 4]);
  const inverse = makeJaxpr((m: Tensor) => np.transpose(np.transpose(m, [1, 2, 0]), [2, 0, 1]))(t3);
  // simplify forwards the output to x; the transposes are left dead for DCE
  const a1 = eliminateDeadCode(simplifyAlgebra(inverse));
  assert.deepEqual(prims(a1), [], a1.toString());
  assert.equal(a1.jaxpr.outs[0], a1.jaxpr.inVars[0]);
  assertSameResults(inverse, a1, [t3], "simplify");

  const composed = makeJaxpr((m: Tensor) => np.transpose(np.transpose(m, [1, 0, 2]), [0, 2, 1]))(t3);
  const a2 = eliminateDeadCode(simplifyAlgebra(composed));
  assert.deepEqual(prims(a2), ["transpose"], a2.toString());
  const [t] = a2.jaxpr.eqns;
  assert.equal(t.inputs[0], a2.jaxpr.inVars[0], "the one transpose reads x directly");
  assert.deepEqual((t.params as { perm: number[] }).perm, [1, 2, 0]);
  assertSameResults(composed, a2, [t3], "simplify");

  const twice = makeJaxpr((m: Tensor) => np.transpose(np.transpose(m)))(m23);
  assert.deepEqual(prims(eliminateDeadCode(simplifyAlgebra(twice))), []);
});

test("simplify: double negation, same-shape broadcast/reshape, reshape∘reshape, empty-axis sums, selects", () => {
  const before = makeJaxpr((x: Tensor, m: Tensor) => [
    np.negative(np.negative(x)),
    np.broadcastTo(x, [3]),
    np.reshape(x, [3]),
    np.reshape(np.reshape(m, [3, 2]), [6]),
    np.sum(x, []),
    np.where(np.greater(x, 0), x, x),
  ])(x3, m23);
  const after = eliminateDeadCode(simplifyAlgebra(before));
  assertWellFormed(after, "simplify");
  // what is left: one reshape m → [6] (the inner reshape bypassed), and the comparison is dead
  assert.deepEqual(prims(after), ["reshape"], after.toString());
  assert.equal(after.jaxpr.eqns[0].inputs[0], after.jaxpr.inVars[1]);
  assert.deepEqual(after.jaxpr.outs.filter((_, i) => i !== 3), [0, 1, 2, 4, 5].map(() => after.jaxpr.inVars[0]));
  assertSameResults(before, after, [x3, m23], "simplify");
});

test("simplify: select with a constant condition picks its branch", () => {
  const traced = makeJaxpr((x: Tensor, y: Tensor, c: Tensor) => np.where(c, x, y))(x3, x3, np.array(true));
  for (const [c, pick] of [[true, 0], [false, 1]] as const) {
    const before = bindInput(traced, 2, np.broadcastTo(np.array(c), [3]));
    const after = simplifyAlgebra(before);
    assert.deepEqual(prims(after), [], after.toString());
    assert.equal(after.jaxpr.outs[0], after.jaxpr.inVars[pick]);
    assertSameResults(before, after, [x3, x3.mul(-2)], "simplify");
  }
});

test("simplify: the ×1 and +0 that reverse mode leaves behind are gone from grad's IR", () => {
  const f = (x: Tensor) => np.sum(np.sin(x).mul(x));
  const before = makeJaxpr(grad(f))(x3);
  const after = optimize(before);
  assert.ok(after.jaxpr.eqns.length <= before.jaxpr.eqns.length);
  for (const e of after.jaxpr.eqns) {
    for (const a of e.inputs) {
      if (!(a instanceof Literal)) continue;
      const v = a.value.item();
      assert.ok(!((e.prim.name === "mul" || e.prim.name === "div") && v === 1) && !((e.prim.name === "add" || e.prim.name === "sub") && v === 0), `left ${e.prim.name} by ${v}\n${after}`);
    }
  }
  assertSameResults(before, after, [x3], "optimize");
});

// ---- common subexpressions -------------------------------------------------------------------------

test("cse: a duplicate sin(x) is computed once and the sum reads it twice", () => {
  const before = makeJaxpr((x: Tensor) => np.sin(x).add(np.sin(x)))(x3);
  assert.equal(count(before, "sin"), 2);
  const after = eliminateCommonSubexpressions(before);
  assertWellFormed(after, "cse");
  assert.equal(count(after, "sin"), 1, after.toString());
  const [add] = eqnsOf(after, "add");
  assert.equal(add.inputs[0], add.inputs[1], "add reads the one sin twice");
  assertSameResults(before, after, [x3], "cse");
});

test("cse: commutative ops match with swapped operands; non-commutative ones and different params do not", () => {
  const before = makeJaxpr((x: Tensor, y: Tensor, m: Tensor) => [
    x.mul(y), y.mul(x), x.add(y), y.add(x), x.sub(y), y.sub(x), x.div(y), y.div(x),
    np.sum(m, 0), np.sum(m, 1), np.sum(m, 0),
  ])(x3, x3, m23);
  const after = eliminateDeadCode(eliminateCommonSubexpressions(before));
  assertWellFormed(after, "cse");
  assert.equal(count(after, "mul"), 1);
  assert.equal(count(after, "add"), 1);
  assert.equal(count(after, "sub"), 2);
  assert.equal(count(after, "div"), 2);
  assert.equal(count(after, "reduceSum"), 2, after.toString());
  const o = after.jaxpr.outs;
  assert.equal(o[0], o[1]);
  assert.equal(o[2], o[3]);
  assert.notEqual(o[4], o[5]);
  assert.equal(o[8], o[10]);
  assert.notEqual(o[8], o[9]);
  assertSameResults(before, after, [x3, x3.mul(1.5).add(0.25), m23], "cse");
});

test("cse: literals compare by value; the same captured tensor is one constant", () => {
  const c = tensor([1, 2, 3], [3]);
  const before = makeJaxpr((x: Tensor) => [x.mul(2), x.mul(2.0), x.mul(3), x.add(c), x.add(c)])(x3);
  const after = eliminateDeadCode(eliminateCommonSubexpressions(before));
  assert.equal(count(after, "mul"), 2, after.toString());
  assert.equal(count(after, "add"), 1, after.toString());
  assert.ok(after.consts.length <= 1, `one constant for c, got ${after.consts.length}`);
  assertSameResults(before, after, [x3], "cse");
});

test("cse: duplicated work in jvp/grad programs is shared (sin and cos of the same input once each)", () => {
  const f = (x: Tensor) => np.sum(np.sin(x).mul(np.sin(x)).add(np.cos(x).mul(np.sin(x))));
  const before = makeJaxpr(valueAndGrad(f))(x3);
  const after = optimize(before);
  assert.equal(count(after, "sin"), 1, after.toString());
  assert.equal(count(after, "cos"), 1, after.toString());
  assertSameResults(before, after, [x3], "optimize");
});

// ---- dead code -------------------------------------------------------------------------------------

test("dce: equations no output reads are removed, with the constants only they read", () => {
  const c = tensor([7, 8, 9], [3]);
  const traced = makeJaxpr((x: Tensor) => [np.exp(x), np.cos(np.sin(x).mul(c)), np.tanh(x).add(np.exp(x))])(x3);
  assert.equal(traced.consts.length, 1);
  const before = keepOutputs(traced, [0, 2]);
  const after = eliminateDeadCode(before);
  assertWellFormed(after, "dce");
  assert.deepEqual(prims(after).sort(), ["add", "exp", "exp", "tanh"].sort(), after.toString());
  assert.equal(after.consts.length, 0, "the constant only the dead branch read is dropped");
  assertSameResults(before, after, [x3], "dce");
  // nothing to remove: unchanged
  assert.equal(eliminateDeadCode(after).toString(), after.toString());
});

test("dce: a multi-output equation is kept when any of its outputs is live", () => {
  const L = (np as unknown as { linalg: { slogdet(a: Tensor): Tensor[] } }).linalg;
  const a = tensor([2, 0.5, 0.1, 3], [2, 2]);
  const traced = makeJaxpr((a: Tensor) => L.slogdet(a))(a);
  const multi = traced.jaxpr.eqns.find((e) => e.outs.length > 1);
  assert.ok(multi, `slogdet is one equation with two outputs\n${traced}`);
  for (const keep of [[0], [1]]) {
    const before = keepOutputs(traced, keep);
    const after = eliminateDeadCode(before);
    assert.ok(after.jaxpr.eqns.some((e) => e.prim === multi.prim), after.toString());
    assertSameResults(before, after, [a], "dce");
  }
  const none = eliminateDeadCode(keepOutputs(traced, []));
  assert.equal(none.jaxpr.eqns.length, 0);
});

// ---- scatter-add chaining --------------------------------------------------------------------------

const X43 = tensor(Array.from({ length: 12 }, (_, k) => Math.cos(k)), [4, 3]);
const I = i32([0, 1, 1]), J = i32([2, 3, 0]);
const pairGrad = (x: Tensor, i: Tensor, j: Tensor) => grad((x: Tensor) => np.sum(np.sin(np.take(x, i, 0).sub(np.take(x, j, 0)))))(x);

test("reciprocal: several divisions by one value become one 1/a and products; a single division is left alone", () => {
  const a0 = tensor([0.7, -1.9, 3.1e-3, 250], [4]), x0 = tensor([1.5, 2, -3, 4e5], [4]);
  const f = (x: Tensor, a: Tensor) => [x.div(a), np.sin(x).div(a), np.ones([4]).div(a), x.div(a.add(1))];
  const before = makeJaxpr(f)(x0, a0);
  assert.equal(count(before, "div"), 4);
  const after = shareReciprocals(before);
  assertWellFormed(after, "reciprocal");
  const divs = eqnsOf(after, "div");
  assert.equal(divs.length, 2, `one reciprocal of a, and the lone division by a + 1 stays\n${after}`);
  assert.ok(divs.some((e) => e.inputs[0] instanceof Literal && e.inputs[1] === before.jaxpr.inVars[1]), `1/a is computed once\n${after}`);
  assert.equal(count(after, "mul"), count(before, "mul") + 3, "x/a, sin(x)/a and ones/a multiply by it");
  // within ~1 ulp of the quotients (two roundings instead of one)
  const got = flat(run(after, [x0, a0])), want = flat(run(before, [x0, a0]));
  got.forEach((g, k) => assert.ok(Math.abs(g - want[k]) <= 4e-16 * Math.abs(want[k]), `element ${k}: ${g} vs ${want[k]}`));
  assert.equal(shareReciprocals(after).toString(), after.toString(), "idempotent");
});

test("reciprocal: x / c for a scalar literal c becomes x · (1/c), unless 1/c would overflow or be subnormal", () => {
  const x0 = tensor([1.5, -2, 3e-3, 7.75], [4]);
  const before = makeJaxpr((x: Tensor) => [x.div(3.1), x.div(0.25), x.div(1e-310)])(x0);
  const after = shareReciprocals(before);
  assertWellFormed(after, "reciprocal");
  const divs = eqnsOf(after, "div");
  assert.equal(divs.length, 1, `only the division by a subnormal stays\n${after}`);
  const muls = eqnsOf(after, "mul").map((e) => (e.inputs[1] as Literal).value.buffer[0]);
  assert.deepEqual(muls, [1 / 3.1, 4]);
  const got = flat(run(after, [x0])), want = flat(run(before, [x0]));
  got.forEach((g, k) => assert.ok(g === want[k] || Math.abs(g - want[k]) <= 4e-16 * Math.abs(want[k]), `element ${k}: ${g} vs ${want[k]}`));
});

test("reciprocal: a division whose divisor is broadcast (another shape) or integer is not rewritten", () => {
  const f = (x: Tensor, s: Tensor) => [x.div(s), x.mul(2).div(s)];
  const before = makeJaxpr(f)(tensor([1, 2, 3, 4, 5, 6], [2, 3]), tensor([2], [1]));
  assert.equal(shareReciprocals(before).toString(), before.toString());
});

test("chain-scatter: add of two scatter-adds into zeros becomes one scatter into the other", () => {
  const before = makeJaxpr(pairGrad)(X43, I, J);
  const scatters = eqnsOf(before, "scatterAdd");
  assert.equal(scatters.length, 2, before.toString());
  const adds = eqnsOf(before, "add").filter((e) => e.inputs.every((a) => scatters.some((s) => s.outs[0] === a)));
  assert.equal(adds.length, 1, `grad sums two fresh scatters\n${before}`);

  const after = chainScatterAdds(before);
  assertWellFormed(after, "chain-scatter");
  const chained = eqnsOf(eliminateDeadCode(after), "scatterAdd");
  assert.equal(chained.length, 2, after.toString());
  assert.equal(chained[1].inputs[0], chained[0].outs[0], "the second scatter accumulates into the first's result");
  assert.equal(chained[1].outs[0], after.jaxpr.outs[0], "and produces the gradient");
  assert.ok(!eqnsOf(eliminateDeadCode(after), "add").some((e) => e.outs[0].aval.shape.length === 2 && e.outs[0].aval.shape[0] === 4), "the [4,3] add is gone");
  assertSameResults(before, after, [X43, I, J], "chain-scatter");
  assertSameResults(before, optimize(before), [X43, I, J], "optimize");
  // the full pipeline chains too, and drops the dead zero buffer of the second scatter
  const opt = optimize(before);
  assert.equal(count(opt, "add"), 0, opt.toString());
  assert.equal(count(opt, "scatterAdd"), 2);
});

test("chain-scatter: no chaining when a scatter's result is read elsewhere, or it does not start from zeros", () => {
  const shared = makeJaxpr((x: Tensor, i: Tensor, j: Tensor) => {
    const a = np.indexAdd(np.zeros([4, 3]), i, np.sin(np.take(x, i, 0)));
    const b = np.indexAdd(np.zeros([4, 3]), j, np.cos(np.take(x, j, 0)));
    return [a.add(b), a, b];
  })(X43, I, J);
  const s1 = chainScatterAdds(shared);
  assert.equal(count(s1, "add"), 1, `both scatter results are outputs too\n${s1}`);
  assertSameResults(shared, s1, [X43, I, J], "chain-scatter");

  const intoX = makeJaxpr((x: Tensor, i: Tensor, j: Tensor) =>
    np.indexAdd(x, i, np.take(x, j, 0)).add(np.indexAdd(x.mul(2), j, np.take(x, i, 0))))(X43, I, J);
  const s2 = chainScatterAdds(intoX);
  assert.equal(count(s2, "add"), 1, `neither scatter starts from zeros\n${s2}`);
  assertSameResults(intoX, s2, [X43, I, J], "chain-scatter");

  const oneFresh = makeJaxpr((x: Tensor, i: Tensor) => x.add(np.indexAdd(np.zeros([4, 3]), i, np.take(x, i, 0))))(X43, I);
  const s3 = eliminateDeadCode(chainScatterAdds(oneFresh));
  assert.equal(count(s3, "add"), 0, `x + scatter(0, i, u) is scatter(x, i, u)\n${s3}`);
  const [sc] = eqnsOf(s3, "scatterAdd");
  assert.equal(sc.inputs[0], s3.jaxpr.inVars[0]);
  assertSameResults(oneFresh, s3, [X43, I], "chain-scatter");
});

// ---- every pass preserves results ------------------------------------------------------------------

const programs: [string, (...xs: Tensor[]) => Tensor | Tensor[], () => Tensor[]][] = [
  ["elementwise chain", (x) => np.tanh(x.mul(2).add(1)).mul(np.exp(x.neg())).sub(np.sin(x).mul(np.sin(x))), () => [X43]],
  ["grad of a reduction chain", grad((x: Tensor) => np.sum(np.logsumexp(np.sin(x).mul(x), 1).mul(np.mean(x, 0).sum()))), () => [X43]],
  ["valueAndGrad of pair energy", (x, i, j) => {
    const [e, g] = valueAndGrad((x: Tensor) => {
      const d = np.take(x, i, 0).sub(np.take(x, j, 0));
      const r2 = np.sum(d.mul(d), -1).add(1);
      return np.sum(r2.pow(-6).sub(r2.pow(-3)).mul(4));
    })(x) as [Tensor, Tensor];
    return [e, g];
  }, () => [X43, I, J]],
  ["grad through transposes, broadcasts and slices", grad((m: Tensor) => np.sum(np.transpose(m).slice("::-1").mul(np.transpose(m.mul(m))).add(m.slice(null, 0).sum()))), () => [X43]],
  ["vmap of grad with matmul", vmap(grad((w: Tensor) => np.sum(np.tanh(np.matmul(X43, w))))), () => [tensor(Array.from({ length: 6 }, (_, k) => k / 7), [2, 3])]],
  ["second derivative", grad((x: Tensor) => np.sum(grad((y: Tensor) => np.sum(np.sin(y).mul(y).mul(y)))(x) as Tensor)), () => [x3]],
];

for (const [name, f, args] of programs) {
  test(`every pass, alone and in the pipeline, preserves results and keeps the IR well formed: ${name}`, () => {
    const before = makeJaxpr(f)(...args());
    const xs = args();
    for (const [pass, p] of standardPasses) {
      const after = p(before);
      assertWellFormed(after, pass);
      assertSameResults(before, after, xs, pass);
    }
    const opt = optimize(before);
    assertWellFormed(opt, "optimize");
    assertSameResults(before, opt, xs, "optimize");
    assert.ok(opt.jaxpr.eqns.length <= before.jaxpr.eqns.length, `optimize grew the program\n${before}\n→\n${opt}`);
    assert.equal(optimize(opt).toString(), opt.toString(), "optimize is idempotent");
  });
}

test("passes preserve results on random elementwise/reduction programs with captured constants (property)", () => {
  const ops: ((a: Tensor, b: Tensor) => Tensor)[] = [
    (a) => a.mul(1), (a) => a.add(0), (a, b) => a.mul(b), (a, b) => b.mul(a), (a) => np.sin(a), (a) => np.sin(a),
    (a) => np.negative(np.negative(a)), (a, b) => a.sub(b), (a) => np.exp(a.mul(0.1)), (a) => np.transpose(np.transpose(a)),
    (a) => np.broadcastTo(np.sum(a, 0, { keepdims: true }), a.shape), (a) => a.add(np.ones(a.shape).mul(0)),
  ];
  fc.assert(fc.property(fc.array(fc.tuple(fc.nat(ops.length - 1), fc.nat(5), fc.nat(5)), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 1000 }), (prog, seed) => {
    const f = (x: Tensor, y: Tensor) => {
      const vals = [x, y];
      for (const [o, a, b] of prog) vals.push(ops[o](vals[a % vals.length], vals[b % vals.length]));
      return [vals[vals.length - 1], np.sum(vals[Math.floor(vals.length / 2)])];
    };
    const next = rng(seed);
    const xs = [0, 1].map(() => tensor(Array.from({ length: 6 }, next), [2, 3]));
    const g = grad((x: Tensor, y: Tensor) => np.sum(f(x, y)[0]).add(f(x, y)[1]), { argnums: [0, 1] }) as unknown as (...a: Tensor[]) => Tensor[];
    for (const h of [f, g]) {
      const before = makeJaxpr(h)(...xs);
      for (const [pass, p] of standardPasses) assertSameResults(before, p(before), xs, pass);
      const opt = optimize(before);
      assertWellFormed(opt, "optimize");
      assertSameResults(before, opt, xs, "optimize");
    }
  }), { numRuns: 40, seed: 7 });
});
