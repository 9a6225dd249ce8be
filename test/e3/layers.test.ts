import { test } from "node:test";
import assert from "node:assert/strict";
import { np, grad, jit, random, tree, Tensor } from "../../src/index.js";
import {
  Dense, EquivariantDense, TensorProduct, TensorDense, tensorProduct, tensorProductConvolution, numPaths, couplingPaths,
  gated, normActivation, changeMaxDegreeOrType, add, rotateIrreps, randomRotation, sphericalHarmonics, clebschGordan,
  safeNorm, layoutOf,
} from "../../src/e3/index.js";
import { checkVjp, checkSecondOrder, checkVmap, rng, tensor } from "../helpers/check-grads.js";

const maxAbs = (t: Tensor) => np.max(np.abs(t)).item();
const next = rng(23);
const irreps = (lead: number[], P: number, L: number, F: number) => tensor(Array.from({ length: lead.reduce((a, b) => a * b, 1) * P * (L + 1) ** 2 * F }, next), [...lead, P, (L + 1) ** 2, F]);
/** Two rotations and two reflections. */
const transforms = [...random.split(random.key(17), 4)].map((k, i) => randomRotation(k, { reflection: i >= 2 }));

/** f(g·x) = g·f(x) for every transform, to 1e-10. */
function assertEquivariant(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], what: string): void {
  const y = f(...xs);
  for (const [i, R] of transforms.entries()) {
    const err = maxAbs(f(...xs.map((x) => rotateIrreps(x, R))).sub(rotateIrreps(y, R)));
    assert.ok(err < 1e-10, `${what}: transform ${i} (${i >= 2 ? "reflection" : "rotation"}) error ${err}`);
  }
}

test("rotateIrreps: P = 2 slots pick up det(R) by parity; a reflection acts on P = 1 through Y", () => {
  const R = transforms[2];
  const x = irreps([2], 2, 2, 3);
  // Inversion (R = −I): even slot unchanged, odd slot negated, at every degree.
  const inv = rotateIrreps(x, np.eye(3).neg());
  assert.ok(maxAbs(inv.slice([], 0).sub(x.slice([], 0))) < 1e-14);
  assert.ok(maxAbs(inv.slice([], 1).add(x.slice([], 1))) < 1e-14);
  // P = 1 ↔ P = 2 conversion commutes with the action.
  const x1 = irreps([2], 1, 3, 2);
  assert.ok(maxAbs(rotateIrreps(changeMaxDegreeOrType(x1, { parity: 2 }), R).sub(changeMaxDegreeOrType(rotateIrreps(x1, R), { parity: 2 }))) < 1e-12);
});

test("changeMaxDegreeOrType and add: truncation, zero padding, parity conversion, equivariance", () => {
  const x = irreps([3], 1, 2, 4);
  const up = changeMaxDegreeOrType(x, { maxDegree: 3 });
  assert.deepEqual(up.shape, [3, 1, 16, 4]);
  assert.equal(maxAbs(up.slice([], [], [9, 16])), 0);
  assert.ok(maxAbs(changeMaxDegreeOrType(up, { maxDegree: 2 }).sub(x)) === 0);
  const p2 = changeMaxDegreeOrType(x, { parity: 2 });
  assert.equal(maxAbs(p2.slice([], 1, 0)), 0);                  // even scalar not in the odd slot
  assert.equal(maxAbs(p2.slice([], 0, [1, 4])), 0);             // vectors are odd
  assert.ok(maxAbs(changeMaxDegreeOrType(p2, { parity: 1 }).sub(x)) === 0);
  const s = add(x, irreps([3], 2, 1, 4));
  assert.deepEqual(layoutOf(s), { parity: 2, maxDegree: 2, features: 4 });
  assertEquivariant((a, b) => add(a, b), [irreps([3], 1, 2, 4), irreps([3], 2, 1, 4)], "add");
  assertEquivariant((a) => changeMaxDegreeOrType(a, { maxDegree: 1, parity: 2 }), [x], "changeMaxDegreeOrType");
});

test("tensorProduct without weights is the plain Clebsch–Gordan coupling, path by path", () => {
  const x1 = irreps([2], 1, 2, 3), x2 = irreps([2], 1, 2, 3);
  const y = tensorProduct(x1, x2, { maxDegree: 2, parity: 2 });
  assert.deepEqual(y.shape, [2, 2, 9, 3]);
  // Reference: the even output slot at degree 2 from (l1, l2) = (1, 1) + (2, 2) + (1, 2)? (1,2) is odd → slot 1.
  const r = (l: number): [number, number] => [l * l, (l + 1) * (l + 1)];
  let ref: Tensor = np.zeros([2, 5, 3]);
  for (const [l1, l2] of [[0, 2], [2, 0], [1, 1], [2, 2]]) {
    ref = ref.add(np.einsum("abc,nak,nbk->nck", clebschGordan(l1, l2, 2), x1.slice([], 0, r(l1)), x2.slice([], 0, r(l2))));
  }
  assert.ok(maxAbs(y.slice([], 0, r(2)).sub(ref)) < 1e-14);
});

test("every layer is equivariant under rotations and reflections (1e-10)", () => {
  const k = [...random.split(random.key(5), 8)];
  for (const P of [1, 2] as const) {
    const dense = new Dense(k[0], { inFeatures: 3, outFeatures: 5, maxDegree: 3, parity: P });
    assertEquivariant((x) => dense.call(x), [irreps([4], P, 3, 3)], `Dense P=${P}`);
    const tp = new TensorProduct(k[1], { features: 3, in1: { parity: P, maxDegree: 2 }, in2: { parity: 1, maxDegree: 2 }, out: { maxDegree: 3 } });
    assertEquivariant((a, b) => tp.call(a, b), [irreps([4], P, 2, 3), irreps([4], 1, 2, 3)], `TensorProduct P=${P}`);
    const td = new TensorDense(k[2], { inFeatures: 3, outFeatures: 2, in: { parity: P, maxDegree: 2 }, out: { maxDegree: 1, parity: 2 } });
    assertEquivariant((x) => td.call(x), [irreps([4], P, 2, 3)], `TensorDense P=${P}`);
    assertEquivariant((x) => gated(x), [irreps([4], P, 2, 3)], `gated P=${P}`);
    assertEquivariant((x) => normActivation(x), [irreps([4], P, 2, 3)], `normActivation P=${P}`);
  }
  // The fused form: node features ⊗ Y(edge vector) with per-edge weights, gathered and scattered.
  const N = 5, E = 9;
  const senders = np.array([0, 1, 2, 3, 4, 0, 2, 4, 1], { dtype: "int32" }), receivers = np.array([1, 2, 3, 4, 0, 3, 0, 1, 1], { dtype: "int32" });
  const pos = tensor(Array.from({ length: 3 * N }, next), [N, 3]);
  const h = irreps([N], 1, 2, 4);
  const nP = numPaths({ parity: 1, maxDegree: 2 }, { parity: 1, maxDegree: 2 }, { parity: 2, maxDegree: 2 });
  const w = tensor(Array.from({ length: E * nP * 4 }, next), [E, nP, 4]);
  const conv = (p: Tensor, x: Tensor) => {
    const rij = np.take(p, receivers, 0).sub(np.take(p, senders, 0));
    const Y = sphericalHarmonics(rij, 2).reshape([E, 1, 9, 1]);
    return tensorProductConvolution(x, Y, w, senders, receivers, N, { parity: 2 });
  };
  for (const [i, R] of transforms.entries()) {
    const err = maxAbs(conv(pos.matmul(R.T), rotateIrreps(h, R)).sub(rotateIrreps(conv(pos, h), R)));
    assert.ok(err < 1e-10, `tensorProductConvolution transform ${i}: ${err}`);
  }
});

test("tensorProductConvolution equals gather → tensorProduct (per-edge weights) → segment sum", () => {
  const N = 4, E = 6;
  const senders = np.array([0, 1, 2, 3, 0, 2], { dtype: "int32" }), receivers = np.array([1, 2, 3, 0, 2, 2], { dtype: "int32" });
  const x = irreps([N], 2, 1, 3), y = irreps([E], 1, 2, 1);
  const nP = numPaths({ parity: 2, maxDegree: 1 }, { parity: 1, maxDegree: 2 }, { parity: 2, maxDegree: 2 });
  const w = tensor(Array.from({ length: E * nP * 3 }, next), [E, nP, 3]);
  const a = tensorProductConvolution(x, y, w, senders, receivers, N, { maxDegree: 2 });
  const b = np.segmentSum(tensorProduct(np.take(x, senders, 0), y, { weights: w, maxDegree: 2 }), receivers, N);
  assert.ok(maxAbs(a.sub(b)) < 1e-14);
  const f = jit((xx: Tensor, ww: Tensor) => tensorProductConvolution(xx, y, ww, senders, receivers, N, { maxDegree: 2 }));
  assert.ok(maxAbs(f(x, w).sub(a)) < 1e-13);
  assert.throws(() => tensorProductConvolution(x, y, w.slice([0, 5]), senders, receivers, N), /weights must have shape \[6, \d+, 3\]/);
});

test("gradients of every layer match central differences", () => {
  const k = [...random.split(random.key(8), 4)];
  const dense = new Dense(k[0], { inFeatures: 2, outFeatures: 3, maxDegree: 2, parity: 2 });
  checkVjp((x) => dense.call(x), [irreps([2], 2, 2, 2)]);
  checkVjp((w, x) => (tree.unflatten(tree.structure(dense), [dense.bias!, w]) as Dense).call(x), [dense.weight, irreps([2], 2, 2, 2)]);
  const tp = new TensorProduct(k[1], { features: 2, in1: { parity: 1, maxDegree: 2 }, in2: { parity: 2, maxDegree: 1 } });
  checkVjp((a, b, w) => tensorProduct(a, b, { weights: w }), [irreps([2], 1, 2, 2), irreps([2], 2, 1, 2), tp.weight]);
  const td = new TensorDense(k[2], { inFeatures: 2, outFeatures: 2, in: { parity: 1, maxDegree: 1 } });
  checkVjp((x) => td.call(x), [irreps([3], 1, 1, 2)]);
  checkVjp((x) => gated(x), [irreps([3], 2, 2, 2)]);
  checkVjp((x) => normActivation(x), [irreps([3], 1, 2, 2)]);
  const senders = np.array([0, 1, 2, 1], { dtype: "int32" }), receivers = np.array([1, 2, 0, 0], { dtype: "int32" });
  const nP = numPaths({ parity: 1, maxDegree: 1 }, { parity: 1, maxDegree: 1 }, { parity: 1, maxDegree: 1 });
  checkVjp((x, p, w) => {
    const Y = sphericalHarmonics(np.take(p, receivers, 0).sub(np.take(p, senders, 0)), 1).reshape([4, 1, 4, 1]);
    return tensorProductConvolution(x, Y, w, senders, receivers, 3);
  }, [irreps([3], 1, 1, 2), tensor(Array.from({ length: 9 }, next), [3, 3]), tensor(Array.from({ length: 4 * nP * 2 }, next), [4, nP, 2])]);
});

test("zero vectors: norms, norm activation and harmonics of r = 0 have finite gradients", () => {
  const g1 = grad((x: Tensor) => safeNorm(x).sum())(np.zeros([2, 3]));
  assert.deepEqual(Array.from(g1.data()), [0, 0, 0, 0, 0, 0]);
  const g2 = grad((x: Tensor) => normActivation(x).sum())(np.zeros([1, 1, 4, 2]));
  assert.ok(g2.data().every(Number.isFinite));
  const g3 = grad((p: Tensor) => tensorProduct(sphericalHarmonics(p, 2).reshape([2, 1, 9, 1]), sphericalHarmonics(p, 2).reshape([2, 1, 9, 1])).sum())(np.array([[0, 0, 0], [1, 2, 2]]));
  assert.ok(g3.data().every(Number.isFinite));
});

test("Dense: bias only on even scalars, shapes checked, exported as EquivariantDense; jit matches eager", () => {
  assert.equal(EquivariantDense, Dense);
  const d = new Dense(random.key(1), { inFeatures: 2, outFeatures: 2, maxDegree: 1, parity: 2 });
  const withBias = tree.map((t: Tensor) => t, d) as Dense;
  const b = tree.unflatten(tree.structure(d), [np.array([1, 2]), d.weight]) as Dense;
  const zero = np.zeros([1, 2, 4, 2]);
  const y = b.call(zero).reshape([2, 4, 2]).toArray() as number[][][];
  assert.deepEqual(y[0][0], [1, 2]);
  assert.ok(y.flat(2).slice(2).every((v) => v === 0));
  assert.throws(() => withBias.call(np.zeros([1, 1, 4, 2])), /does not match the layer/);
  const x = irreps([5], 2, 1, 2);
  assert.ok(maxAbs(jit((m: Dense, xx: Tensor) => m.call(xx))(d, x).sub(d.call(x))) < 1e-14);
  assert.equal(couplingPaths({ parity: 1, maxDegree: 1 }, { parity: 1, maxDegree: 1 }, { parity: 1, maxDegree: 1 }).length, 4); // 0⊗0→0, 0⊗1→1, 1⊗0→1, 1⊗1→0 (1⊗1→1 is odd)
});

test("the sparse contraction behind tensorProduct: second derivatives and vmap match references", () => {
  const x1 = irreps([3], 1, 2, 2), x2 = irreps([3], 2, 1, 2);
  const nP = numPaths({ parity: 1, maxDegree: 2 }, { parity: 2, maxDegree: 1 }, { parity: 2, maxDegree: 2 });
  const w = tensor(Array.from({ length: 3 * nP * 2 }, next), [3, nP, 2]);
  const f = (a: Tensor, b: Tensor, c: Tensor) => tensorProduct(a, b, { weights: c, maxDegree: 2 });
  checkSecondOrder((a, b, c) => f(a, b, c).mul(f(a, b, c)), [x1, x2, w]);
  checkVmap((a, b, c) => f(a, b, c), [irreps([4, 3], 1, 2, 2), x2, w], [0, null, null]);
  checkVmap((a, b, c) => f(a, b, c), [x1, irreps([3, 3], 2, 1, 2), tensor(Array.from({ length: 3 * 3 * nP * 2 }, next), [3, 3, nP, 2])], [null, 1, 0]);
});
