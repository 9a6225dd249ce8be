// Lazy branches of np.where under jit (src/core/compiler/guards.ts): a value read only through one
// side of select(c, a, b) is computed inside `if (c) { … }`, and a sum of select(c, x, 0) adds x
// only when c holds. What is checked:
//   - the generated source: erf/exp/√/÷ of a masked pair term sit inside the branch, the energy
//     accumulation too; a value also read outside the select stays outside; a loop-invariant
//     value stays hoisted out of the loop (not moved into a branch deeper in the nest);
//   - jit = eager, bit for bit on elementwise outputs, with NaN and ±∞ on the masked side (they
//     must not leak) and on the selected side (they must still come out), masks all-true and
//     all-false, nested masks, float32;
//   - gradients through where under jit (grad, jvp, vjp) against central differences (float64);
//   - vmap of the jitted masked function, and jit of the vmapped one;
//   - an out-of-range index in a masked slot still raises, as eager.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, grad, jit, jvp, vjp, vmap, Tensor } from "../../../src/index.js";
import type { DType } from "../../../src/index.js";
import { assertClose, flat } from "../../helpers/check-grads.js";

// ---- helpers ---------------------------------------------------------------------------------------

/** Lines of the generated source inside `if (…) { … }` blocks, and the ones outside. */
function branches(src: string): { inside: string[]; outside: string[]; tests: string[] } {
  const inside: string[] = [], outside: string[] = [], tests: string[] = [];
  let close: string | null = null;
  for (const line of src.split("\n")) {
    if (close !== null) {
      if (line === close) close = null;
      else inside.push(line.trim());
      continue;
    }
    const m = /^(\s*)if \((.*)\) \{$/.exec(line);
    if (m) { close = `${m[1]}}`; tests.push(m[2]); continue; }
    outside.push(line.trim());
  }
  return { inside, outside, tests };
}

/** Exactly equal, NaN = NaN and +0 ≠ −0 (Object.is), element by element. */
function identical(got: Tensor, want: Tensor, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  assert.equal(got.dtype, want.dtype, `${what}: dtype`);
  const g = got.data() as ArrayLike<number>, w = want.data() as ArrayLike<number>;
  for (let k = 0; k < w.length; k++) assert.ok(Object.is(g[k], w[k]), `${what}[${k}]: jit ${g[k]}, eager ${w[k]}`);
}

const close = (got: Tensor | Tensor[], want: Tensor | Tensor[], rtol: number, what: string) => {
  const e = flat(Array.isArray(want) ? want : [want]);
  assertClose(flat(Array.isArray(got) ? got : [got]), e, { rtol, atol: rtol * Math.max(1, ...Array.from(e, Math.abs)) }, what);
};

/** Close to 1e-12 relative where eager is finite; NaN exactly where eager has NaN. */
function closeOrNaN(got: Tensor, want: Tensor, what: string): void {
  const g = got.data() as ArrayLike<number>, w = want.data() as ArrayLike<number>;
  assert.equal(g.length, w.length, `${what}: size`);
  for (let k = 0; k < w.length; k++) {
    if (Number.isNaN(w[k])) assert.ok(Number.isNaN(g[k]), `${what}[${k}]: jit ${g[k]}, eager NaN`);
    else assert.ok(Math.abs(g[k] - w[k]) <= 1e-12 * Math.max(1, Math.abs(w[k])), `${what}[${k}]: jit ${g[k]}, eager ${w[k]}`);
  }
}

/** Central differences of a scalar function along t, float64. */
function fdAlong(f: (x: Tensor) => Tensor, x: Tensor, t: Tensor, h = 1e-6): number {
  return (f(x.add(t.mul(h))).item() - f(x.sub(t.mul(h))).item()) / (2 * h);
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * A padded pair list over N jittered lattice atoms: P slots, of which the last `pad` are padding
 * (mask false, indices 0) and the rest all pairs i < j; `rc` cuts some of them off.
 */
function pairSystem(dtype: DType = "float64") {
  const n = 3, N = n ** 3, r = rng(11);
  const pos: number[] = [];
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) for (let c = 0; c < n; c++) pos.push(a * 1.1 + 0.2 * r(), b * 1.1 + 0.2 * r(), c * 1.1 + 0.2 * r());
  const I: number[] = [], J: number[] = [], M: number[] = [];
  for (let p = 0; p < N; p++) for (let q = p + 1; q < N; q++) { I.push(p); J.push(q); M.push(1); }
  for (let k = 0; k < 40; k++) { I.push(0); J.push(0); M.push(0); } // padding: r = 0 there
  return {
    x: np.reshape(np.array(pos, { dtype }), [N, 3]),
    i: np.array(I, { dtype: "int32" }), j: np.array(J, { dtype: "int32" }),
    m: np.array(M, { dtype: "bool" }),
  };
}

/**
 * LJ + Ewald-style erfc/r over the slots, each masked by (slot valid) ∧ (r < rc), with the
 * double-where idiom so that masked slots (r = 0 for padding) stay finite in the gradient.
 */
const pairEnergy = (i: Tensor, j: Tensor, m: Tensor, rc = 2.0) => (x: Tensor): Tensor => {
  const d = np.take(x, i, 0).sub(np.take(x, j, 0));
  const r2 = np.sum(d.mul(d), -1);
  const on = np.logicalAnd(m, np.less(r2, rc * rc));
  const r = np.sqrt(np.where(on, r2, 1));
  const inv6 = r.pow(-6);
  const lj = inv6.mul(inv6).sub(inv6).mul(4);
  const coul = np.erf(r.mul(1.3)).neg().add(1).div(r).mul(0.7).add(np.exp(r.mul(-2)));
  return np.sum(np.where(on, lj.add(coul), 0));
};

// ---- the generated code -------------------------------------------------------------------------------

test("jit(grad) of a masked pair energy computes erfc, exp, √ and ÷ only inside `if (mask)` branches", () => {
  const { x, i, j, m } = pairSystem();
  const E = pairEnergy(i, j, m);
  const f = jit((x: Tensor) => [E(x), grad(E)(x)]);
  const low = f.lower(x);
  const pairKernel = low.kernels.find((s) => s.includes("lib.erf"));
  assert.ok(pairKernel, low.text);
  const { inside, outside, tests } = branches(pairKernel);
  assert.ok(tests.length >= 1, `no branch generated:\n${pairKernel}`);
  for (const call of ["lib.erf(", "Math.exp(", "Math.sqrt(", "1 / "]) {
    assert.ok(inside.some((l) => l.includes(call)), `${call} not inside a branch:\n${pairKernel}`);
    assert.ok(!outside.some((l) => l.includes(call)), `${call} outside every branch:\n${pairKernel}`);
  }
  // the energy sum adds only the selected side: `a += v` inside the branch, no `c ? v : 0` for it
  assert.ok(inside.some((l) => /^a\d+ \+= v\d+;$/.test(l)), `energy accumulation not in the branch:\n${pairKernel}`);
  // the double where where(on, r2, 1) inside a branch on `on` needs no second test
  assert.ok(!inside.some((l) => /= (v\d+) \? v\d+ : 1;$/.test(l) && tests.includes(/= (v\d+) \?/.exec(l)![1])), pairKernel);
});

test("a value also read outside the select is computed outside the branch", () => {
  const x = np.array([0.5, -1, 2, 0, 3, -0.25]);
  // √|x| is both returned and used under where(x > 0, …): it must stay unconditional
  const f = (x: Tensor) => { const s = np.sqrt(np.abs(x)); return [s, np.where(np.greater(x, 0), np.exp(s).mul(np.log(s)), 0)]; };
  const src = jit(f).lower(x).kernels.join("\n");
  const { inside, outside } = branches(src);
  assert.ok(outside.some((l) => l.startsWith("const") && l.includes("Math.sqrt(")), src);
  assert.ok(inside.some((l) => l.includes("Math.exp(")) && inside.some((l) => l.includes("Math.log(")), src);
  const [s, y] = jit(f)(x) as Tensor[];
  const [s0, y0] = f(x) as Tensor[];
  identical(s, s0, "√|x|");
  identical(y, y0, "where");
});

test("a loop-invariant value under a per-element mask stays hoisted out of the loop, unguarded", () => {
  const x = np.array(Array.from({ length: 12 }, (_, k) => Math.sin(k) * 2));
  const p = np.array(0.3);
  // (the masked side — log x · eˣ — is worth a branch; e^{sin p} is the same for every element)
  const f = (x: Tensor, p: Tensor) => np.where(np.greater(x, 0), np.exp(np.sin(p)).mul(np.log(x)).mul(np.exp(x)), 0);
  const src = jit(f).lower(x, p).kernels.join("\n");
  const expLine = src.split("\n").find((l) => l.includes("Math.exp("));
  assert.ok(expLine !== undefined && /^const v\d+ = Math\.exp/.test(expLine), `exp(sin p) should be at loop depth 0:\n${src}`);
  assert.ok(branches(src).inside.some((l) => l.includes("Math.log(")), `log x should be in the branch:\n${src}`);
  identical(jit(f)(x, p) as Tensor, f(x, p), "where(x > 0, e^{sin p} x, 0)");
  // and in two dimensions: a per-row value under a per-element mask is computed once per row
  const X = np.reshape(np.array(Array.from({ length: 6 * 7 }, (_, k) => Math.cos(1.7 * k))), [6, 7]);
  const row = np.array(Array.from({ length: 6 }, (_, k) => 0.2 * k - 0.4)).reshape([6, 1]);
  const g = (X: Tensor, row: Tensor) => np.where(np.greater(X, 0), np.log(row.mul(row).add(1)).mul(np.exp(X)).mul(np.log(X)), np.sqrt(X.neg()).mul(np.cos(X)).div(X));
  const src2 = jit(g).lower(X, row).kernels.join("\n");
  const logLine = src2.split("\n").find((l) => l.includes("Math.log("))!;
  assert.ok(/^ {2}const v\d+ = Math\.log/.test(logLine), `log(row² + 1) should be in the row loop, unguarded:\n${src2}`);
  assert.ok(branches(src2).tests.length >= 2, `both sides branch:\n${src2}`);
  identical(jit(g)(X, row) as Tensor, g(X, row), "per-row value under a per-element mask");
});

// ---- jit = eager ----------------------------------------------------------------------------------------

test("NaN and ±∞ on the masked side do not leak; on the selected side they come out, bit for bit as eager", () => {
  const x = np.array([-1, 0, 4, -0, Infinity, -Infinity, NaN, 2.5, 1e-320, -3]);
  const mask = np.array([0, 0, 1, 1, 1, 0, 0, 1, 1, 1], { dtype: "bool" });
  // log(x), 1/x, √x of negatives, zeros, ∞ and NaN: NaN/∞ on both sides, in both branches
  const f = (x: Tensor, m: Tensor) => [
    np.where(m, np.log(x).mul(np.sqrt(x)).add(np.reciprocal(x)), 0),
    np.where(m, -7, np.exp(x.neg()).div(x).mul(np.cos(x))),
    np.where(m, np.where(np.greater(x, 0), np.log(x), np.erf(x)), np.sqrt(x)),
  ];
  const got = jit(f)(x, mask) as Tensor[];
  const want = f(x, mask) as Tensor[];
  got.forEach((g, k) => identical(g, want[k], `output ${k}`));
  const low = jit(f).lower(x, mask);
  assert.ok(branches(low.kernels.join("\n")).tests.length >= 2, low.text);
});

test("masks all true and all false give eager's values and gradients", () => {
  const { x, i, j } = pairSystem();
  const P = i.shape[0];
  for (const [name, mv] of [["all true", 1], ["all false", 0]] as const) {
    // all true includes the padding slots (r = 0 → the double where keeps r = 1 there… only when
    // masked): use a large-enough cut-off mask instead so that r = 0 slots are cut off by r > 0
    const m = np.array(Array.from({ length: P }, () => mv), { dtype: "bool" });
    const E = (x: Tensor) => {
      const d = np.take(x, i, 0).sub(np.take(x, j, 0));
      const r2 = np.sum(d.mul(d), -1);
      const on = np.logicalAnd(m, np.greater(r2, 0));
      const r = np.sqrt(np.where(on, r2, 1));
      return np.sum(np.where(on, np.erf(r).neg().add(1).div(r), 0));
    };
    const f = jit((x: Tensor) => [E(x), grad(E)(x)]);
    const [e, g] = f(x) as Tensor[];
    close(e, E(x), 1e-12, `${name}: energy`);
    close(g, grad(E)(x), 1e-12, `${name}: gradient`);
    if (mv === 0) {
      assert.equal(e.item(), 0, "all false: energy 0");
      assert.ok(Array.from(g.data() as Float64Array).every((v) => Object.is(v, 0)), "all false: gradient +0 everywhere");
    }
  }
});

test("a masked pair energy and its gradient under jit equal eager (float64)", () => {
  const { x, i, j, m } = pairSystem();
  const E = pairEnergy(i, j, m);
  const f = jit((x: Tensor) => [E(x), grad(E)(x)]);
  const [e, g] = f(x) as Tensor[];
  close(e, E(x), 1e-12, "energy");
  close(g, grad(E)(x), 1e-12, "gradient");
  assert.ok(Number.isFinite(e.item()) && Array.from(g.data() as Float64Array).every(Number.isFinite), "finite (padding masked)");
});

test("nested masks with different conditions equal eager", () => {
  const x = np.array(Array.from({ length: 40 }, (_, k) => 3 * Math.sin(1.3 * k + 0.2)));
  const f = (x: Tensor) => {
    const a = np.greater(x, -1), b = np.less(x, 2);
    const inner = np.where(b, np.log(x.add(1)), np.exp(x).div(x.sub(2)));
    return np.where(a, inner.mul(np.sqrt(x.add(1))), np.where(b, np.sqrt(x), 0));
  };
  identical(jit(f)(x) as Tensor, f(x), "nested where");
  const s = (x: Tensor) => np.sum(f(x).mul(np.cos(x)));
  // no double where here: the gradient is NaN where a discarded side's derivative is (0 · NaN),
  // in eager as under jit
  closeOrNaN(jit(grad(s))(x) as Tensor, grad(s)(x), "gradient of nested where");
});

test("float32: jit of a masked pair energy and gradient agrees with eager to 1e-5", () => {
  const { x, i, j, m } = pairSystem("float32");
  const E = pairEnergy(i, j, m);
  const f = jit((x: Tensor) => [E(x), grad(E)(x)]);
  const [e, g] = f(x) as Tensor[];
  assert.equal(e.dtype, "float32");
  assert.equal(g.dtype, "float32");
  close(e, E(x), 1e-5, "float32 energy");
  close(g, grad(E)(x), 1e-5, "float32 gradient");
  // elementwise with NaN on the masked side, float32
  const y = np.array([-2, 0.5, 0, 3, NaN], { dtype: "float32" });
  const my = np.array([0, 1, 0, 1, 0], { dtype: "bool" });
  const h = (y: Tensor, my: Tensor) => np.where(my, np.log(y).div(y).mul(np.exp(y.neg())), 0);
  assert.ok(branches(jit(h).lower(y, my).kernels.join("\n")).tests.length >= 1, "float32: branch generated");
  close(jit(h)(y, my) as Tensor, h(y, my), 1e-6, "float32 where");
  assert.ok(Number.isFinite((jit(h)(y, my) as Tensor).data()[0]), "masked NaN does not leak (float32)");
});

// ---- derivatives through where, compiled ------------------------------------------------------------------

test("jit(grad), jit(jvp) and jit(vjp) through masked where agree with central differences (float64)", () => {
  const { x, i, j, m } = pairSystem();
  const E = pairEnergy(i, j, m, 1.9);
  const next = rng(5);
  const t = np.reshape(np.array(Array.from({ length: x.size }, () => next() - 0.5)), x.shape);
  const fd = fdAlong(E, x, t);
  const g = jit(grad(E))(x) as Tensor;
  const viaGrad = np.sum(g.mul(t)).item();
  const [, tangent] = jit((x: Tensor, t: Tensor) => jvp(E, [x], [t]))(x, t) as [Tensor, Tensor];
  const viaVjp = jit((x: Tensor) => { const [, back] = vjp(E, x); return back(np.array(1)); })(x) as Tensor | Tensor[];
  const vj = Array.isArray(viaVjp) ? viaVjp[0] : viaVjp;
  const tol = 1e-6 * Math.max(1, Math.abs(fd));
  assert.ok(Math.abs(viaGrad - fd) <= tol, `jit(grad)·t = ${viaGrad}, FD ${fd}`);
  assert.ok(Math.abs(tangent.item() - fd) <= tol, `jit(jvp) = ${tangent.item()}, FD ${fd}`);
  close(vj, g, 1e-12, "jit(vjp) = jit(grad)");
});

// ---- vmap ------------------------------------------------------------------------------------------------

test("vmap of a jitted masked function, and jit of the vmapped one, equal eager per batch element", () => {
  const B = 4, n = 9;
  const xs = np.reshape(np.array(Array.from({ length: B * n }, (_, k) => 2 * Math.sin(0.7 * k) + 0.3)), [B, n]);
  // masked: every third entry and every x ≤ 0 (whose log is NaN on the discarded side)
  const xv = xs.data() as Float64Array;
  const ms = np.reshape(np.array(Array.from({ length: B * n }, (_, k) => (k % 3 !== 0 && xv[k] > 0 ? 1 : 0)), { dtype: "bool" }), [B, n]);
  const f = (x: Tensor, m: Tensor) => np.sum(np.where(m, np.log(x).add(np.erf(x)), 0));
  const viaVmapJit = vmap(jit(f))(xs, ms) as Tensor;
  const viaJitVmap = jit(vmap(f))(xs, ms) as Tensor;
  const gradVmap = jit(vmap(grad(f)))(xs, ms) as Tensor;
  for (let b = 0; b < B; b++) {
    const xb = np.take(xs, b, 0), mb = np.take(ms, b, 0);
    close(np.take(viaVmapJit, b, 0), f(xb, mb), 1e-12, `vmap(jit(f))[${b}]`);
    close(np.take(viaJitVmap, b, 0), f(xb, mb), 1e-12, `jit(vmap(f))[${b}]`);
    close(np.take(gradVmap, b, 0), grad(f)(xb, mb), 1e-12, `jit(vmap(grad f))[${b}]`);
  }
  assert.ok(Number.isFinite(viaJitVmap.data()[0]));
});

// ---- skipped accumulations and index checks ------------------------------------------------------------

test("a scatter-add of where(c, u, 0) adds only selected slots; an out-of-range index in a masked slot still raises", () => {
  const i = np.array([0, 3, 3, 1, 2, 0], { dtype: "int32" });
  const m = np.array([1, 0, 1, 1, 0, 1], { dtype: "bool" });
  const u = np.array([0.5, -1, 2, 1e-3, 0, 3]); // log of −1 and 0: NaN and −∞ in masked slots
  const f = (i: Tensor, m: Tensor, u: Tensor) => np.indexAdd(np.zeros([4]), i, np.where(m, np.log(u).mul(np.exp(u)), 0));
  const jf = jit(f);
  const src = jf.lower(i, m, u).kernels.join("\n");
  const { inside } = branches(src);
  assert.ok(inside.some((l) => /^out\d+\[.*\] \+= /.test(l)), `scatter not in a branch:\n${src}`);
  assert.ok(inside.some((l) => l.includes("Math.log(")), `log not in the branch:\n${src}`);
  identical(jf(i, m, u) as Tensor, f(i, m, u), "scatter of selected slots");
  const bad = np.array([0, 9, 3, 1, 2, 0], { dtype: "int32" }); // 9 is out of range, in a masked slot
  assert.throws(() => f(bad, m, u), RangeError);
  assert.throws(() => jf(bad, m, u), RangeError);
  // through AD: the gradient of Σ where(m, take(x, i), 0) scatters where(m, 1, 0)
  const x = np.array([1.5, -2, 0.25, 4]);
  const E = (x: Tensor, i: Tensor, m: Tensor) => np.sum(np.where(m, np.take(x, i, 0), 0));
  identical(jit(grad(E))(x, i, m) as Tensor, grad(E)(x, i, m) as Tensor, "gradient = count of selected slots per atom");
  assert.throws(() => jit(grad(E))(x, bad, m), RangeError);
});

test("masks and values at different loop depths (per-row mask on [P, 3] values, per-element mask on per-row values) equal eager", () => {
  const P = 11;
  const X = np.reshape(np.array(Array.from({ length: P * 3 }, (_, k) => (k % 5 === 0 ? -1 - k : Math.cos(k) + 0.1 * k))), [P, 3]);
  const row = np.array(Array.from({ length: P }, (_, k) => (k % 4 === 0 ? -2 : 0.3 * k)));
  const rowMask = np.reshape(np.array(Array.from({ length: P }, (_, k) => (k % 3 === 0 ? 0 : 1)), { dtype: "bool" }), [P, 1]);
  const elMask = np.greater(X, 0);
  const f = (X: Tensor, row: Tensor) => {
    // per-row mask, per-element value (condition outer, value inner): branch inside the xyz loop
    const a = np.where(rowMask, np.log(X).mul(np.exp(X.neg())), 0);
    // per-element mask, per-row value (value outer, condition inner): the value stays hoisted
    const b = np.where(elMask, np.log(row).mul(np.exp(row)).reshape([P, 1]), np.sqrt(X.neg()));
    return np.sum(a.add(b), -1);
  };
  identical(jit(f)(X, row) as Tensor, f(X, row), "mixed depths");
  const s = (X: Tensor) => np.sum(f(X, row).mul(np.arange(P)));
  closeOrNaN(jit(grad(s))(X) as Tensor, grad(s)(X) as Tensor, "gradient, mixed depths");
});

test("a guarded value needed again after a reduction closes its loop is spilled inside its branch", () => {
  const X = np.reshape(np.array(Array.from({ length: 5 * 9 }, (_, k) => (k % 4 === 0 ? NaN : Math.sin(k)))), [5, 9]);
  const M = np.reshape(np.array(Array.from({ length: 5 * 9 }, (_, k) => (k % 4 === 0 ? 0 : 1)), { dtype: "bool" }), [5, 9]);
  // softmax-like: exp(x² + x + 1) under the mask, its row sum, then the same masked value / sum
  const f = (X: Tensor, M: Tensor) => {
    const e = np.exp(X.mul(X).add(X).add(1).mul(0.5)).mul(np.log(X.mul(X).add(2)));
    const s = np.sum(np.where(M, e, 0), -1, { keepdims: true });
    return np.where(M, e.div(s), 0);
  };
  const src = jit(f).lower(X, M).kernels.join("\n");
  assert.ok(branches(src).tests.length >= 2 && /new Float64Array/.test(src), `expected branches and a scratch buffer:\n${src}`);
  identical(jit(f)(X, M) as Tensor, f(X, M), "masked normalisation with NaN in masked entries");
});
