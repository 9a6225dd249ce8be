// The composition matrix: every transformation under every other one, checked against closed
// forms, explicit loops, or another transformation that must agree.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  np, grad, valueAndGrad, jvp, vjp, linearize, vmap, jacfwd, jacrev, hessian, makeJaxpr, jit,
  customJvp, customVjp, stopGradient, tree, Tensor,
} from "../../src/index.js";

type Nested = number | boolean | Nested[];

function assertClose(actual: Tensor | number, expected: Tensor | Nested, tol = 1e-10, msg = ""): void {
  const a = typeof actual === "number" ? actual : actual.toArray();
  const e = expected instanceof Tensor ? expected.toArray() : expected;
  if (actual instanceof Tensor && expected instanceof Tensor) {
    assert.deepEqual(actual.shape, expected.shape, `${msg} shape`);
  }
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (Array.isArray(y)) {
      assert.ok(Array.isArray(x) && x.length === y.length, `${msg} ${path}: structure ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
      y.forEach((v, i) => walk((x as unknown[])[i], v, `${path}[${i}]`));
      return;
    }
    const xv = Number(x), yv = Number(y);
    if (Number.isNaN(yv)) { assert.ok(Number.isNaN(xv), `${msg} ${path}: expected NaN, got ${xv}`); return; }
    if (xv === yv) return; // also covers ±Infinity
    assert.ok(Math.abs(xv - yv) <= tol * Math.max(1, Math.abs(yv)), `${msg} ${path}: ${xv} vs ${yv} (tol ${tol})`);
  };
  walk(a, e, "");
}

/** Central finite difference of a scalar function along every coordinate of x. */
function numericGrad(f: (x: Tensor) => Tensor, x: Tensor, h = 1e-6): Tensor {
  const base = Array.from(x.data());
  const out = base.map((_, i) => {
    const p = [...base], m = [...base];
    p[i] += h; m[i] -= h;
    return (f(np.array(p).reshape(x.shape)).item() - f(np.array(m).reshape(x.shape)).item()) / (2 * h);
  });
  return np.array(out).reshape(x.shape);
}

// ---- higher order -----------------------------------------------------------------------------

test("grad∘grad∘grad of sin is -cos, and the fourth derivative is sin", () => {
  const d1 = grad((x: Tensor) => np.sin(x));
  const d2 = grad(d1);
  const d3 = grad(d2);
  const d4 = grad(d3);
  for (const x of [0, 0.3, -1.2, 2.5]) {
    assertClose(d1(np.array(x)), Math.cos(x), 1e-15);
    assertClose(d2(np.array(x)), -Math.sin(x), 1e-15);
    assertClose(d3(np.array(x)), -Math.cos(x), 1e-15);
    assertClose(d4(np.array(x)), Math.sin(x), 1e-15);
  }
});

test("grad∘grad of a product rule mixes correctly: d²/dx² x³·exp(x)", () => {
  const f = (x: Tensor) => x.pow(3).mul(np.exp(x));
  const x = 0.7;
  const want = Math.exp(x) * (x ** 3 + 6 * x ** 2 + 6 * x);
  assertClose(grad(grad(f))(np.array(x)), want, 1e-12);
  assertClose(grad(grad(f))(np.array(x, { dtype: "float32" })), want, 1e-5);
});

test("vmap∘grad gives per-example gradients equal to a loop", () => {
  const w = np.array([0.5, -1.0, 2.0]);
  const loss = (w: Tensor, x: Tensor) => np.tanh(np.dot(x, w)).square();
  const xs = np.array([[1, 2, 3], [0.1, 0.2, 0.3], [-1, 0, 1], [2, -1, 0.5]]);
  const perExample = vmap(grad(loss), { inAxes: [null, 0] })(w, xs);
  assert.deepEqual(perExample.shape, [4, 3]);
  const loop = np.stack([...xs].map((x) => grad(loss)(w, x)));
  assertClose(perExample, loop, 1e-14);
});

test("grad∘vmap equals the gradient of the summed loop", () => {
  const f = (x: Tensor, y: Tensor) => np.sin(x.mul(y)).sum();
  const xs = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]);
  const y = np.array([1.5, -0.5]);
  const total = (y: Tensor) => vmap(f, { inAxes: [0, null] })(xs, y).sum();
  const g = grad(total)(y);
  const want = [...xs].map((x) => grad(f, { argnums: 1 })(x, y)).reduce((a, b) => a.add(b));
  assertClose(g, want, 1e-14);
  // and with respect to the mapped argument, each row gets its own gradient
  const gx = grad((xs: Tensor) => vmap(f, { inAxes: [0, null] })(xs, y).sum())(xs);
  assertClose(gx, np.cos(xs.mul(y)).mul(y), 1e-14);
});

test("jacfwd equals jacrev on a vector function R³ → R²", () => {
  const f = (x: Tensor) => np.stack([x.slice(0).mul(x.slice(1)).sin(), np.exp(x.slice(2)).add(x.slice(0).square())]);
  const x = np.array([0.3, -0.8, 0.5]);
  const jf = jacfwd(f)(x) as Tensor;
  const jr = jacrev(f)(x) as Tensor;
  assert.deepEqual(jf.shape, [2, 3]);
  assertClose(jf, jr, 1e-14);
  const [a, b, c] = [0.3, -0.8, 0.5];
  assertClose(jf, [[b * Math.cos(a * b), a * Math.cos(a * b), 0], [2 * a, 0, Math.exp(c)]], 1e-14);
});

test("jacfwd∘jacrev, jacrev∘jacfwd, jacrev∘jacrev and hessian agree", () => {
  const f = (x: Tensor) => np.sum(np.sin(x).mul(x.slice([], null).mul(x.slice(null)).sum(1)));
  const x = np.array([0.2, -0.4, 1.1]);
  const h = hessian(f)(x) as Tensor;
  assert.deepEqual(h.shape, [3, 3]);
  assertClose(jacfwd(jacrev(f))(x) as Tensor, h, 1e-13);
  assertClose(jacrev(jacfwd(f))(x) as Tensor, h, 1e-13);
  assertClose(jacrev(jacrev(f))(x) as Tensor, h, 1e-13);
  assertClose(jacfwd(jacfwd(f))(x) as Tensor, h, 1e-13);
  assertClose(h, h.T, 1e-14);
  const gradNum = numericGrad((y) => grad(f)(y).slice(1), x);
  assertClose(h.slice(1), gradNum, 1e-7);
});

/** Lennard-Jones energy (ε = σ = 1) of a cluster, written the way a user writes it with np. */
function ljEnergy(r: Tensor): Tensor {
  const n = r.shape[0];
  const diff = np.expandDims(r, 1).sub(np.expandDims(r, 0)); // [n, n, 3]: r[:, None] - r[None, :]
  const offDiag = np.eye(n).equal(0);
  const r2 = np.where(offDiag, diff.square().sum(-1), 1); // masked diagonal keeps derivatives finite
  const inv6 = r2.pow(-3);
  const pair = inv6.square().sub(inv6).mul(4);
  return np.where(offDiag, pair, 0).sum().mul(0.5);
}
const cluster = np.array([
  [0, 0, 0],
  [1.12, 0, 0],
  [0.56, 0.97, 0],
  [0.56, 0.32, 0.91],
  [0.1, -0.95, 0.4],
]);

test("Lennard-Jones 5-atom cluster: energy, forces and a symmetric, translation-invariant hessian", () => {
  const e = ljEnergy(cluster).item();
  let brute = 0;
  const rs = cluster.toArray() as number[][];
  for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) {
    const d2 = rs[i].reduce((s, v, k) => s + (v - rs[j][k]) ** 2, 0);
    brute += 4 * (d2 ** -6 - d2 ** -3);
  }
  assertClose(e, brute, 1e-13);
  const g = grad(ljEnergy)(cluster);
  assert.deepEqual(g.shape, [5, 3]);
  assertClose(g, numericGrad(ljEnergy, cluster, 1e-6), 1e-6);
  assertClose(g.sum(0), [0, 0, 0], 1e-12); // Newton's third law: forces sum to zero

  const H = hessian(ljEnergy)(cluster) as Tensor;
  assert.deepEqual(H.shape, [5, 3, 5, 3]);
  const H2 = H.reshape([15, 15]);
  assertClose(H2, H2.T, 1e-10);
  assertClose(H.sum([2]), np.zeros([5, 3, 3]), 1e-9); // translating every atom changes no force
  assertClose(jacfwd(jacrev(ljEnergy))(cluster) as Tensor, H, 1e-12);
  assertClose(jacrev(grad(ljEnergy))(cluster) as Tensor, H, 1e-10);
  // one column against finite differences of the gradient
  const col = numericGrad((r) => grad(ljEnergy)(r).slice(3, 2), cluster, 1e-6);
  assertClose(H.slice(3, 2), col, 1e-5);
});

test("np.array of traced scalars differentiates and batches", () => {
  const f = (x: Tensor) => np.array([x.slice(0).mul(x.slice(1)), x.slice(1).square(), 1]);
  const x = np.array([2, 3]);
  assertClose(f(x), [6, 9, 1]);
  assertClose(jacrev(f)(x) as Tensor, [[3, 2], [0, 6], [0, 0]]);
  assertClose(jacfwd(f)(x) as Tensor, [[3, 2], [0, 6], [0, 0]]);
  assertClose(vmap(f)(np.array([[1, 2], [3, 4]])), [[2, 4, 1], [12, 16, 1]]);
});

// ---- vmap --------------------------------------------------------------------------------------

test("vmap with inAxes null, per argument, and negative axes", () => {
  const f = (a: Tensor, b: Tensor) => a.mul(b).sum();
  const A = np.array([[1, 2], [3, 4], [5, 6]]);
  const b = np.array([10, 100]);
  assertClose(vmap(f, { inAxes: [0, null] })(A, b), [210, 430, 650]);
  assertClose(vmap(f, { inAxes: [1, null] })(A.T, b), [210, 430, 650]);
  assertClose(vmap(f, { inAxes: [-1, null] })(A.T, b), [210, 430, 650]);
  assertClose(vmap(f, { inAxes: [0, 0] })(A, A), [5, 25, 61]);
  assertClose(vmap(f)(A, A), [5, 25, 61]); // default: every argument mapped on axis 0
  assertClose(vmap((a: Tensor) => a.add(1), { inAxes: null, axisSize: 2 })(b), [[11, 101], [11, 101]]);
});

test("vmap outAxes moves the mapped axis, or keeps an unmapped output unbatched", () => {
  const f = (x: Tensor) => np.stack([x, x.mul(2)]); // [2, n] per example
  const X = np.array([[1, 2, 3], [4, 5, 6]]); // batch 2, n 3
  const out0 = vmap(f)(X);
  assert.deepEqual(out0.shape, [2, 2, 3]);
  const out1 = vmap(f, { outAxes: 1 })(X);
  assert.deepEqual(out1.shape, [2, 2, 3]);
  assertClose(out1, np.transpose(out0, [1, 0, 2]));
  const outLast = vmap(f, { outAxes: -1 })(X);
  assert.deepEqual(outLast.shape, [2, 3, 2]);
  assertClose(outLast, np.transpose(out0, [1, 2, 0]));
  const c = np.array([7, 8]);
  const [mapped, constant] = vmap((x: Tensor) => [x.sum(), c], { outAxes: [0, null] })(X) as Tensor[];
  assertClose(mapped, [6, 15]);
  assertClose(constant, [7, 8]);
  const bcast = vmap((x: Tensor) => c, { outAxes: 0 })(X);
  assertClose(bcast, [[7, 8], [7, 8]]);
});

test("nested vmap builds an outer product and a pairwise-distance matrix", () => {
  const a = np.array([1, 2, 3]);
  const b = np.array([10, 20]);
  const mul = (x: Tensor, y: Tensor) => x.mul(y);
  const outer = vmap(vmap(mul, { inAxes: [0, null] }), { inAxes: [null, 0] })(a, b);
  assertClose(outer, np.outer(b, a));
  const pts = np.array([[0, 0], [3, 4], [6, 8]]);
  const dist = (p: Tensor, q: Tensor) => p.sub(q).square().sum().sqrt();
  const D = vmap(vmap(dist, { inAxes: [null, 0] }), { inAxes: [0, null] })(pts, pts);
  assertClose(D, [[0, 5, 10], [5, 0, 5], [10, 5, 0]]);
  // vmap of vmap over the same argument, mapped over two axes
  const m = np.arange(6).reshape([2, 3]).astype("float64");
  assertClose(vmap(vmap((x: Tensor) => x.mul(x)))(m), m.square());
  assertClose(vmap(vmap((x: Tensor) => x.mul(10)), { inAxes: 1 })(m), m.T.mul(10));
});

test("vmap of jacrev and of hessian equal per-example loops", () => {
  const f = (x: Tensor) => np.sin(x).mul(x.sum());
  const X = np.array([[0.1, 0.2], [0.3, -0.4], [1.0, 0.5]]);
  const J = vmap(jacrev(f))(X) as Tensor;
  assert.deepEqual(J.shape, [3, 2, 2]);
  assertClose(J, np.stack([...X].map((x) => jacfwd(f)(x) as Tensor)), 1e-14);
  const s = (x: Tensor) => np.exp(x).prod();
  const H = vmap(hessian(s))(X) as Tensor;
  assertClose(H, np.stack([...X].map((x) => hessian(s)(x) as Tensor)), 1e-13);
});

// ---- pytrees, argnums, aux ---------------------------------------------------------------------

test("grad of a pytree argument returns gradients of the same structure", () => {
  const params = { w: np.array([[1, 2], [3, 4]]), b: np.array([0.5, -0.5]), extra: [np.array(2), 3] as [Tensor, number] };
  const x = np.array([1, -1]);
  const loss = (p: typeof params, x: Tensor) => x.matmul(p.w).add(p.b).square().sum().mul(p.extra[0]).mul(p.extra[1]);
  const g = grad(loss)(params, x);
  assert.deepEqual(Object.keys(g).sort(), ["b", "extra", "w"]);
  const z = x.matmul(params.w).add(params.b); // [-2, -2] + [0.5, -0.5] = [-1.5, -2.5]
  assertClose(g.b, z.mul(12), 1e-14);
  assertClose(g.w, np.outer(x, z).mul(12), 1e-14);
  assertClose(g.extra[0], z.square().sum().mul(3), 1e-14);
  assertClose(g.extra[1] as Tensor, z.square().sum().mul(2), 1e-14);
  // the structure matches, so tree.map can apply an update
  const updated = tree.map((p: Tensor | number, d: Tensor) => np.subtract(p, d.mul(0.1)), params, g) as typeof params;
  assertClose(updated.b, params.b.sub(g.b.mul(0.1)));
});

test("vmap over pytree arguments with per-leaf inAxes", () => {
  const f = (p: { w: Tensor; b: Tensor }, xs: Tensor[]) => xs[0].mul(p.w).add(p.b).add(xs[1]);
  const p = { w: np.array([1, 2, 3]), b: np.array(10) };
  const xs = [np.array([[1, 1, 1], [2, 2, 2]]), np.array([100, 200])];
  const out = vmap(f, { inAxes: [{ w: null, b: null }, [0, 0]] })(p, xs);
  assertClose(out, [[111, 112, 113], [212, 214, 216]]);
  const ws = { w: np.array([[1, 2, 3], [4, 5, 6]]), b: np.array([0, 1]) };
  const out2 = vmap(f, { inAxes: [0, [null, null]] })(ws, [np.array([1, 1, 1]), np.array(0)]);
  assertClose(out2, [[1, 2, 3], [5, 6, 7]]);
  // an object spec may leave keys out: they are unmapped
  const out3 = vmap(f, { inAxes: [{ b: 0 }, [null, null]] })({ w: np.array([1, 2, 3]), b: np.array([0, 1]) }, [np.array([1, 1, 1]), np.array(0)]);
  assertClose(out3, [[1, 2, 3], [2, 3, 4]]);
  // pytree outputs come back with the same structure
  const o = vmap((x: Tensor) => ({ s: x.sum(), d: [x.mul(2)] }))(np.array([[1, 2], [3, 4]]));
  assertClose(o.s, [3, 7]);
  assertClose(o.d[0], [[2, 4], [6, 8]]);
});

test("jvp with pytree primals and tangents", () => {
  const f = (p: { a: Tensor; b: Tensor }, c: Tensor[]) => ({ y: p.a.mul(p.b), z: np.sin(c[0]) });
  const primals = [{ a: np.array([1, 2]), b: np.array([3, 4]) }, [np.array(0.5)]];
  const tangents = [{ a: np.array([1, 0]), b: np.array([0, 1]) }, [np.array(2)]];
  const [out, dout] = jvp(f as never, primals, tangents) as [{ y: Tensor; z: Tensor }, { y: Tensor; z: Tensor }];
  assertClose(out.y, [3, 8]);
  assertClose(dout.y, [3, 2]);
  assertClose(dout.z, 2 * Math.cos(0.5), 1e-15);
  assert.throws(() => jvp((x: Tensor) => x, [np.array([1, 2])], [np.array([1, 2, 3])]), /shape/);
});

test("argnums picks which arguments to differentiate", () => {
  const f = (a: Tensor, b: Tensor, c: Tensor) => a.mul(b).mul(c.square()).sum();
  const [a, b, c] = [np.array([1, 2]), np.array([3, 4]), np.array([5, 6])];
  const [ga, gc] = grad(f, { argnums: [0, 2] })(a, b, c);
  assertClose(ga, b.mul(c.square()));
  assertClose(gc, a.mul(b).mul(c).mul(2));
  assertClose(grad(f, { argnums: 1 })(a, b, c), a.mul(c.square()));
  assertClose(grad(f, { argnums: -1 })(a, b, c), a.mul(b).mul(c).mul(2));
  const [gb] = grad(f, { argnums: [1] })(a, b, c);
  assertClose(gb, a.mul(c.square()));
  const [v, [g0, g1]] = valueAndGrad(f, { argnums: [0, 1] })(a, b, c);
  assertClose(v, 3 * 25 + 8 * 36);
  assertClose(g0, b.mul(c.square()));
  assertClose(g1, a.mul(c.square()));
  const J = jacrev((x: Tensor, y: Tensor) => x.mul(y), { argnums: [0, 1] })(a, b);
  assertClose(J[0], np.eye(2).mul(b));
  assertClose(J[1], np.eye(2).mul(a));
  assert.throws(() => grad(f, { argnums: 3 })(a, b, c), /argnums/);
});

test("hasAux returns the auxiliary value untouched", () => {
  const f = (x: Tensor) => { const y = np.sin(x); return [y.sum(), { y, n: 3 }] as [Tensor, { y: Tensor; n: number }]; };
  const x = np.array([0.1, 0.2]);
  const [g, aux] = grad(f, { hasAux: true })(x);
  assertClose(g, np.cos(x), 1e-15);
  assertClose(aux.y, np.sin(x), 1e-15);
  assertClose(np.asarray(aux.n), 3);
  const [[v, aux2], g2] = valueAndGrad(f, { hasAux: true })(x);
  assertClose(v, Math.sin(0.1) + Math.sin(0.2), 1e-15);
  assertClose(aux2.y, np.sin(x), 1e-15);
  assertClose(g2, np.cos(x), 1e-15);
  // hasAux composes with grad∘grad: the aux of the inner call is a concrete value of the outer one
  const d2 = grad((x: Tensor) => grad(f, { hasAux: true })(x)[0].sum())(x);
  assertClose(d2, np.sin(x).neg(), 1e-15);
});

test("valueAndGrad returns the value and the gradient", () => {
  const f = (x: Tensor) => x.square().sum().sqrt();
  const [v, g] = valueAndGrad(f)(np.array([3, 4]));
  assertClose(v, 5);
  assertClose(g, [0.6, 0.8], 1e-15);
  const [v0, g0] = valueAndGrad((x: Tensor) => np.exp(x))(np.array(1, { dtype: "float32" }));
  assert.equal(v0.dtype, "float32");
  assert.equal(g0.dtype, "float32");
});

test("linearize gives a linear function equal to jvp at the point", () => {
  const f = (x: Tensor) => np.sin(x).mul(np.exp(x.slice(0)));
  const x = np.array([0.3, 0.7]);
  const [y, fLin] = linearize(f, x);
  assertClose(y, f(x));
  for (const t of [np.array([1, 0]), np.array([0, 1]), np.array([0.5, -2])]) {
    const [, dy] = jvp(f, [x], [t]);
    assertClose(fLin(t), dy, 1e-14);
  }
  assertClose(fLin(np.array([2, -4])), fLin(np.array([1, -2])).mul(2), 1e-14);
  // more than one primal
  const [z, gLin] = linearize((a: Tensor, b: Tensor) => a.mul(b), np.array(2), np.array(3));
  assertClose(z, 6);
  assertClose(gLin(np.array(1), np.array(0)), 3);
  assertClose(gLin(np.array(0), np.array(1)), 2);
});

test("vjp with a pytree output takes a pytree cotangent", () => {
  const f = (x: Tensor, y: Tensor) => ({ s: x.mul(y).sum(), v: [np.sin(x), y.square()] });
  const x = np.array([0.1, 0.2]), y = np.array([3, 4]);
  const [out, vjpFn] = vjp(f, x, y);
  assertClose(out.s, 0.3 + 0.8, 1e-15);
  const ct = { s: np.array(2), v: [np.array([1, 1]), np.array([0, 1])] };
  const [gx, gy] = vjpFn(ct) as Tensor[];
  assertClose(gx, y.mul(2).add(np.cos(x)), 1e-15);
  assertClose(gy, x.mul(2).add(np.array([0, 8])), 1e-15);
  assert.throws(() => vjpFn({ s: np.array(1) }), /structure/);
  assert.throws(() => vjpFn({ s: np.array([1, 2]), v: [np.array([1, 1]), np.array([0, 1])] }), /shape/);
  // vjp of a pytree input gives a pytree cotangent
  const [, back] = vjp((p: { a: Tensor }) => p.a.mul(3), { a: np.array([1, 2]) });
  const [gp] = back(np.array([1, 1])) as [{ a: Tensor }];
  assertClose(gp.a, [3, 3]);
});

// ---- custom derivatives -------------------------------------------------------------------------

/** softplus log(1 + eˣ), written with a where so it does not overflow, and given a custom rule. */
const log1pexpNaive = (x: Tensor) => np.where(x.greater(0), x.add(np.log1p(np.exp(x.neg()))), np.log1p(np.exp(x)));
const sigmoid = (x: Tensor) => np.divide(1, np.exp(x.neg()).add(1));
const log1pexp = customJvp(log1pexpNaive, ([x], [dx]) => [log1pexpNaive(x), sigmoid(x).mul(dx)]);

test("customJvp: a safe log1pexp rule gives finite gradients where autodiff of the where gives NaN", () => {
  const xs = np.array([-1000, -2, 0, 3, 1000]);
  assertClose(log1pexp(xs), [0, Math.log1p(Math.exp(-2)), Math.LN2, 3 + Math.log1p(Math.exp(-3)), 1000], 1e-15);
  const naive = vmap(grad(log1pexpNaive))(xs).toArray() as number[];
  assert.ok(naive.some(Number.isNaN), `autodiff through the where is expected to produce NaN (got ${naive})`);
  const g = vmap(grad(log1pexp))(xs);
  assertClose(g, [0, 1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-3)), 1], 1e-15);
  assertClose(grad((x: Tensor) => log1pexp(x).sum())(xs), g, 1e-15);
  // second derivative: σ'(x) = σ(x)(1 − σ(x)), differentiating the rule itself
  assertClose(grad(grad(log1pexp))(np.array(0.3)), (1 / (1 + Math.exp(-0.3))) * (1 - 1 / (1 + Math.exp(-0.3))), 1e-14);
  assertClose(grad(grad(log1pexp))(np.array(1000)), 0, 1e-15);
});

test("customJvp: the user's rule is what every transformation uses (a deliberately scaled tangent)", () => {
  const f = customJvp((x: Tensor) => np.sin(x), ([x], [dx]) => [np.sin(x), np.cos(x).mul(dx).mul(3)]);
  const x = np.array([0.2, 0.5, 1.0]);
  assertClose(f(x), np.sin(x), 1e-15);
  const [, dy] = jvp(f, [x], [np.ones([3])]);
  assertClose(dy, np.cos(x).mul(3), 1e-15);
  assertClose(grad((x: Tensor) => f(x).sum())(x), np.cos(x).mul(3), 1e-15);
  assertClose(vmap(grad(f))(x), np.cos(x).mul(3), 1e-15);
  assertClose(grad((x: Tensor) => vmap(f)(x).sum())(x), np.cos(x).mul(3), 1e-15);
  assertClose(vmap(f)(x), np.sin(x), 1e-15);
  assertClose(grad(grad(f))(np.array(0.5)), -3 * Math.sin(0.5), 1e-15);
  assertClose(jacfwd(f)(x) as Tensor, np.eye(3).mul(np.cos(x).mul(3)), 1e-15);
  assertClose(jacrev(f)(x) as Tensor, np.eye(3).mul(np.cos(x).mul(3)), 1e-15);
  assertClose(jit(grad((x: Tensor) => f(x).sum()))(x), np.cos(x).mul(3), 1e-15);
});

test("customJvp with several arguments and a pytree output", () => {
  const f = customJvp(
    (a: Tensor, b: Tensor) => ({ p: a.mul(b), s: a.add(b) }),
    ([a, b], [da, db]) => [{ p: a.mul(b), s: a.add(b) }, { p: da.mul(b).add(a.mul(db)).mul(10), s: da.add(db) }],
  );
  const g = grad((a: Tensor, b: Tensor) => { const o = f(a, b); return o.p.add(o.s).sum(); }, { argnums: [0, 1] })(np.array([1, 2]), np.array([3, 4]));
  assertClose(g[0], [31, 41]);
  assertClose(g[1], [11, 21]);
});

/** The identity whose backward pass clips the cotangent to [-1, 1]. */
const clipGradient = customVjp(
  (x: Tensor) => x,
  (x: Tensor) => [x, null],
  (_res: null, ct: Tensor) => [np.clip(ct, -1, 1)],
);

test("customVjp: a gradient-clipping identity clips under grad, vmap(grad) and grad(vmap)", () => {
  const x = np.array([0.5, -2, 3]);
  assertClose(clipGradient(x), x);
  const loss = (x: Tensor) => clipGradient(x).mul(np.array([5, 0.5, -7])).sum();
  assertClose(grad(loss)(x), [1, 0.5, -1]);
  const scalarLoss = (x: Tensor) => clipGradient(x).mul(4);
  assertClose(vmap(grad(scalarLoss))(x), [1, 1, 1]);
  assertClose(grad((x: Tensor) => vmap(scalarLoss)(x).sum())(x), [1, 1, 1]);
  assertClose(grad((x: Tensor) => vmap(clipGradient)(x).mul(0.25).sum())(x), [0.25, 0.25, 0.25]);
  // downstream of the clip, the chain rule continues normally
  assertClose(grad((x: Tensor) => clipGradient(x.mul(3)).mul(10).sum())(x), [3, 3, 3]);
  assertClose(jit(grad(loss))(x), [1, 1, 1].map((v, i) => [1, 0.5, -1][i] * v));
});

test("customVjp: residuals from fwd are used by bwd, also under grad∘grad", () => {
  // sin with a bwd that scales the true derivative by 2, saved as a residual
  const f = customVjp(
    (x: Tensor) => np.sin(x),
    (x: Tensor) => [np.sin(x), np.cos(x)],
    (cosx: Tensor, ct: Tensor) => [ct.mul(cosx).mul(2)],
  );
  const x = np.array([0.1, 0.7]);
  assertClose(grad((x: Tensor) => f(x).sum())(x), np.cos(x).mul(2), 1e-15);
  assertClose(vmap(grad(f))(x), np.cos(x).mul(2), 1e-15);
  assertClose(jacrev(f)(x) as Tensor, np.eye(2).mul(np.cos(x).mul(2)), 1e-15);
  assertClose(grad(grad(f))(np.array(0.7)), -2 * Math.sin(0.7), 1e-15);
  // forward mode is not defined by a customVjp and says so
  assert.throws(() => jvp(f, [x], [np.ones([2])]), /customVjp|forward/);
});

test("customVjp with two arguments returns one cotangent per argument", () => {
  const f = customVjp(
    (a: Tensor, b: Tensor) => a.mul(b),
    (a: Tensor, b: Tensor) => [a.mul(b), [a, b]] as [Tensor, Tensor[]],
    ([a, b]: Tensor[], ct: Tensor) => [ct.mul(b), ct.mul(a).mul(-1)],
  );
  const [ga, gb] = grad((a: Tensor, b: Tensor) => f(a, b).sum(), { argnums: [0, 1] })(np.array([1, 2]), np.array([3, 4]));
  assertClose(ga, [3, 4]);
  assertClose(gb, [-1, -2]);
});

test("stopGradient blocks derivatives but keeps the value", () => {
  const x = np.array([2, 3]);
  const f = (x: Tensor) => x.mul(stopGradient(x)).sum();
  assertClose(f(x), 13);
  assertClose(grad(f)(x), [2, 3]);
  const [, dy] = jvp((x: Tensor) => x.mul(stopGradient(x.square())), [x], [np.ones([2])]);
  assertClose(dy, [4, 9]);
  assertClose(grad(grad((x: Tensor) => x.square().mul(stopGradient(x))))(np.array(3)), 6);
  assertClose(vmap(grad((x: Tensor) => stopGradient(x).square().add(x)))(x), [1, 1]);
  assertClose(grad((x: Tensor) => stopGradient(x).sum())(x), [0, 0]);
});

// ---- IR and jit ---------------------------------------------------------------------------------

test("makeJaxpr prints the primitives a function uses", () => {
  const f = (x: Tensor, y: Tensor) => np.sin(x).mul(y).sum();
  const text = makeJaxpr(f)(np.zeros([3]), np.zeros([3])).toString();
  for (const name of ["sin", "mul", "reduceSum"]) assert.ok(text.includes(name), `jaxpr should mention ${name}:\n${text}`);
  assert.ok(text.includes("f64[3]"), text);
  assert.ok(!text.includes("cos"), text);
  const gtext = makeJaxpr(grad(f))(np.zeros([3]), np.zeros([3])).toString();
  assert.ok(gtext.includes("cos"), `the gradient's jaxpr should mention cos:\n${gtext}`);
  const vtext = makeJaxpr(vmap((a: Tensor, b: Tensor) => a.matmul(b)))(np.zeros([4, 2, 3]), np.zeros([4, 3, 5])).toString();
  assert.ok(vtext.includes("dotGeneral"), vtext);
  assert.ok(vtext.includes("f64[4, 2, 5]") || vtext.includes("f64[4,2,5]"), vtext);
  const itext = makeJaxpr((x: Tensor) => x.astype("float32").add(1))(np.zeros([2])).toString();
  assert.ok(itext.includes("convert") && itext.includes("f32[2]"), itext);
});

test("jit(f) equals f and traces once per shape signature", () => {
  const f = (x: Tensor, y: Tensor) => np.tanh(x.matmul(y)).sum(0);
  const jf = jit(f);
  const x = np.array([[0.1, 0.2], [0.3, 0.4]]), y = np.array([[1, -1], [2, 0.5]]);
  assertClose(jf(x, y), f(x, y), 0);
  assert.equal(jf.traceCount, 1);
  for (let i = 0; i < 3; i++) assertClose(jf(x.mul(i), y), f(x.mul(i), y), 1e-15);
  assert.equal(jf.traceCount, 1, "same shapes and dtypes must not retrace");
  const x3 = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]);
  assertClose(jf(x3, y), f(x3, y), 1e-15);
  assert.equal(jf.traceCount, 2, "a new shape traces again");
  jf(x, y);
  jf(x3, y);
  assert.equal(jf.traceCount, 2, "both signatures are cached");
  jf(x.astype("float32"), y.astype("float32"));
  assert.equal(jf.traceCount, 3, "a new dtype traces again");
  assert.ok(jf.lower(x, y).text.includes("tanh"));
  // pytree arguments and outputs
  const jp = jit((p: { a: Tensor; b: Tensor[] }) => ({ s: p.a.add(p.b[0]), t: [p.b[1].mul(2)] }));
  const out = jp({ a: np.array([1]), b: [np.array([2]), np.array([3])] });
  assertClose(out.s, [3]);
  assertClose(out.t[0], [6]);
});

test("jit with staticArgnums keys the cache on the static value", () => {
  let calls = 0;
  const f = (x: Tensor, n: number, mode: string) => {
    calls++;
    let y = x;
    for (let i = 0; i < n; i++) y = y.mul(2);
    return mode === "neg" ? y.neg() : y;
  };
  const jf = jit(f, { staticArgnums: [1, 2] });
  const x = np.array([1, 2]);
  assertClose(jf(x, 3, "pos"), [8, 16]);
  assertClose(jf(x.add(1), 3, "pos"), [16, 24]);
  assert.equal(jf.traceCount, 1);
  assertClose(jf(x, 2, "pos"), [4, 8]);
  assert.equal(jf.traceCount, 2);
  assertClose(jf(x, 2, "neg"), [-4, -8]);
  assert.equal(jf.traceCount, 3);
  assertClose(jf(x, 3, "pos"), [8, 16]);
  assert.equal(jf.traceCount, 3);
  assert.equal(calls, 3, "the Python-side function runs only when tracing");
  const single = jit((x: Tensor, k: number) => x.mul(k), { staticArgnums: 1 });
  assertClose(single(x, 5), [5, 10]);
  assertClose(single(x, 6), [6, 12]);
  assert.equal(single.traceCount, 2);
});

test("jit static arguments are told apart by value, not by their printed form", () => {
  const apply = jit((x: Tensor, fn: (y: Tensor) => Tensor) => fn(x), { staticArgnums: 1 });
  const scaleBy = (a: number) => (y: Tensor) => y.mul(a);
  assertClose(apply(np.array(1), scaleBy(2)), 2);
  assertClose(apply(np.array(1), scaleBy(3)), 3);
  const shift = jit((x: Tensor, v: number | null) => (v === null ? x : x.add(v)), { staticArgnums: 1 });
  assertClose(shift(np.array(1), Infinity), Infinity);
  assertClose(shift(np.array(1), null), 1);
  assertClose(shift(np.array(1), -Infinity), -Infinity);
});

test("jit inside grad and grad inside jit agree with plain grad", () => {
  const f = (x: Tensor) => np.sin(x).mul(x.square()).sum();
  const x = np.array([0.3, -1.2, 2.0]);
  const want = grad(f)(x);
  assertClose(grad(jit(f))(x), want, 1e-15);
  const jg = jit(grad(f));
  assertClose(jg(x), want, 1e-15);
  assertClose(jg(x.mul(2)), grad(f)(x.mul(2)), 1e-15);
  assert.equal(jg.traceCount, 1);
  assertClose(jit(grad(jit(f)))(x), want, 1e-15);
  assertClose(grad(grad((y: Tensor) => jit(f)(y)))(np.array(0.4)), grad(grad(f))(np.array(0.4)), 1e-15);
  assertClose(vmap(jit(grad(f)))(x.reshape([3, 1])), vmap(grad(f))(x.reshape([3, 1])), 1e-15);
  assertClose(jit(vmap(grad(f)))(x.reshape([3, 1])), vmap(grad(f))(x.reshape([3, 1])), 1e-15);
  assertClose(jit(hessian(f))(x) as Tensor, hessian(f)(x) as Tensor, 1e-14);
});
