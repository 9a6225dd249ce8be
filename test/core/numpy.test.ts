// The np namespace against hand-computed NumPy results: creation, dtype promotion, tensor
// accessors, printing, reductions, shape ops, slicing, indexing, products and elementwise
// conventions (Python-style mod, round half to even, erf).
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, Tensor } from "../../src/index.js";

function close(actual: unknown, expected: unknown, tol = 1e-12, path = "value"): void {
  if (typeof expected === "number") {
    assert.equal(typeof actual, "number", `${path}: expected a number, got ${typeof actual}`);
    const a = actual as number;
    if (Number.isNaN(expected)) { assert.ok(Number.isNaN(a), `${path}: expected NaN, got ${a}`); return; }
    if (!Number.isFinite(expected)) { assert.equal(a, expected, path); return; }
    assert.ok(Math.abs(a - expected) <= tol * Math.max(1, Math.abs(expected)), `${path}: ${a} vs ${expected}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal((actual as unknown[]).length, expected.length, `${path}: length`);
    expected.forEach((e, i) => close((actual as unknown[])[i], e, tol, `${path}[${i}]`));
    return;
  }
  assert.deepEqual(actual, expected, path);
}
const arr = (t: Tensor) => t.toArray();

// ---- creation -------------------------------------------------------------------------------

test("array defaults to float64 and honours dtype", () => {
  const a = np.array([[1, 2], [3, 4]]);
  assert.equal(a.dtype, "float64");
  assert.deepEqual(a.shape, [2, 2]);
  const b = np.array([1.7, -2.7, 3], { dtype: "int32" });
  assert.equal(b.dtype, "int32");
  assert.deepEqual(b.toArray(), [1, -2, 3]); // truncation toward zero, like NumPy's astype
  const c = np.array([true, false], { dtype: np.bool });
  assert.equal(c.dtype, "bool");
  assert.deepEqual(c.toArray(), [true, false]);
  const d = np.array([0.1, 0.2], { dtype: "float32" });
  assert.equal(d.dtype, "float32");
  assert.equal(d.toArray()[0 as never], Math.fround(0.1));
  const s = np.array(3.5);
  assert.deepEqual(s.shape, []);
  assert.equal(s.item(), 3.5);
  assert.equal(np.array(true).dtype, "bool");
});

test("array of a list holding tensors stacks them (JS numbers weakly typed)", () => {
  const t = np.array([np.array([1, 2]), np.array([3, 4])]);
  assert.deepEqual(t.shape, [2, 2]);
  assert.deepEqual(t.toArray(), [[1, 2], [3, 4]]);
  assert.deepEqual(np.array([np.array(1), 2, 3.5]).toArray(), [1, 2, 3.5]);
  const i = np.array([np.array(1, { dtype: "int32" }), 2]);
  assert.equal(i.dtype, "int32");
  assert.deepEqual(i.toArray(), [1, 2]);
  assert.equal(np.array([np.array(1), 2], { dtype: "float32" }).dtype, "float32");
  assert.deepEqual(np.array([[np.array(1), 0], [0, np.array(2)]]).toArray(), [[1, 0], [0, 2]]);
});

test("array infers bool only when every element is a boolean", () => {
  const t = np.array([true, 2]);
  assert.notEqual(t.dtype, "bool");
  assert.deepEqual(t.toArray(), [1, 2]);
});

test("zeros, ones, full, eye", () => {
  assert.deepEqual(np.zeros([2, 3]).toArray(), [[0, 0, 0], [0, 0, 0]]);
  assert.equal(np.zeros([2]).dtype, "float64");
  assert.equal(np.ones([2], { dtype: "int32" }).dtype, "int32");
  assert.deepEqual(np.ones(3).toArray(), [1, 1, 1]);
  assert.deepEqual(np.full([2, 2], 7).toArray(), [[7, 7], [7, 7]]);
  assert.equal(np.full([1], true).dtype, "bool");
  assert.deepEqual(np.eye(3).toArray(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  assert.deepEqual(np.eye(2, 3, { k: 1 }).toArray(), [[0, 1, 0], [0, 0, 1]]);
  assert.deepEqual(np.zerosLike(np.ones([2], { dtype: "int32" })).toArray(), [0, 0]);
  assert.equal(np.onesLike(np.ones([2], { dtype: "float32" })).dtype, "float32");
});

test("arange is int32 for integer arguments and float64 otherwise, with NumPy's length rule", () => {
  const a = np.arange(5);
  assert.equal(a.dtype, "int32");
  assert.deepEqual(a.toArray(), [0, 1, 2, 3, 4]);
  assert.deepEqual(np.arange(2, 10, 3).toArray(), [2, 5, 8]);
  assert.deepEqual(np.arange(5, 0, -2).toArray(), [5, 3, 1]);
  const f = np.arange(0, 1, 0.25);
  assert.equal(f.dtype, "float64");
  assert.deepEqual(f.toArray(), [0, 0.25, 0.5, 0.75]);
  assert.deepEqual(np.arange(3, 1).shape, [0]);
});

test("linspace includes the endpoint by default", () => {
  close(np.linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1]);
  close(np.linspace(0, 1, 4, { endpoint: false }).toArray(), [0, 0.25, 0.5, 0.75]);
  assert.deepEqual(np.linspace(2, 3, 1).toArray(), [2]);
  assert.equal(np.linspace(-1, 1, 7).toArray()[6 as never], 1);
});

// ---- dtypes ---------------------------------------------------------------------------------

test("dtype promotion follows NumPy/JAX (weak JS scalars)", () => {
  const f32 = np.array([1, 2], { dtype: "float32" });
  const f64 = np.array([1, 2]);
  const i32 = np.array([1, 2], { dtype: "int32" });
  assert.equal(np.add(f32, f64).dtype, "float64");
  assert.equal(np.add(i32, f32).dtype, "float32");
  assert.equal(np.add(i32, 2).dtype, "int32");
  assert.deepEqual(np.add(i32, 2).toArray(), [3, 4]);
  assert.equal(np.add(i32, 2.5).dtype, "float64");
  assert.deepEqual(np.add(i32, 2.5).toArray(), [3.5, 4.5]);
  assert.equal(np.multiply(f32, 2).dtype, "float32");
  const q = np.divide(i32, np.array([2, 4], { dtype: "int32" }));
  assert.equal(q.dtype, "float64");
  assert.deepEqual(q.toArray(), [0.5, 0.5]);
  assert.equal(i32.mul(i32).dtype, "int32");
  assert.equal(np.sin(i32).dtype, "float64");
  assert.equal(np.sqrt(f32).dtype, "float32");
  assert.equal(np.less(i32, 1.5).dtype, "bool");
  assert.equal(np.sum(np.array([true, true, false])).dtype, "int32");
  assert.equal(np.sum(np.array([true, true, false])).item(), 2);
  assert.equal(np.mean(i32).dtype, "float64");
});

test("astype converts, truncating floats toward zero for int32", () => {
  const x = np.array([-1.5, 0, 2.9]);
  const i = x.astype("int32");
  assert.equal(i.dtype, "int32");
  assert.deepEqual(i.toArray(), [-1, 0, 2]);
  const b = x.astype("bool");
  assert.deepEqual(b.toArray(), [true, false, true]);
  const f = i.astype("float32");
  assert.equal(f.dtype, "float32");
  assert.equal(np.astype(x, "float32").dtype, "float32");
  assert.equal(np.array([1e40]).astype("float32").item(), Infinity);
});

test("shape, ndim, size, data, item, toArray", () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]], { dtype: "int32" });
  assert.deepEqual(x.shape, [2, 3]);
  assert.equal(x.ndim, 2);
  assert.equal(x.size, 6);
  const d = x.data();
  assert.ok(d instanceof Int32Array);
  assert.deepEqual(Array.from(d), [1, 2, 3, 4, 5, 6]);
  d[0] = 100; // a copy: mutating it leaves the tensor alone
  assert.equal(x.toArray()[0 as never][0], 1);
  const s = x.shape;
  s[0] = 99;
  assert.deepEqual(x.shape, [2, 3], "shape is a copy");
  assert.ok(np.array([1.5]).data() instanceof Float64Array);
  assert.ok(np.array([1.5], { dtype: "float32" }).data() instanceof Float32Array);
  assert.equal(np.array([[4]]).item(), 4);
  assert.throws(() => x.item(), /item/);
  assert.equal(np.zeros([0, 3]).size, 0);
});

test("toString looks like NumPy's repr", () => {
  assert.equal(np.array([[1, 2], [3, 4]]).toString(), "array([[1., 2.],\n       [3., 4.]])");
  assert.equal(np.array([1, 2, 3], { dtype: "int32" }).toString(), "array([1, 2, 3], dtype=int32)");
  assert.match(np.array([0.5, -1.25]).toString(), /^array\(\[ +0\.5 *, -1\.25\]\)$/);
  assert.match(np.array([true, false]).toString(), /^array\(\[ True, False\](, dtype=bool)?\)$/);
  assert.equal(np.array([[1, 2], [3, 4]], { dtype: "int32" }).reshape([2, 1, 2]).toString(), "array([[[1, 2]],\n\n       [[3, 4]]], dtype=int32)");
  assert.equal(np.array(2).toString(), "array(2.)");
  assert.equal(`${np.array([1], { dtype: "float32" })}`, "array([1.], dtype=float32)");
});

test("method chaining with JS numbers", () => {
  const x = np.array([1, 2, 3]);
  const y = np.array([10, 20, 30]);
  const r = x.add(y).mul(2).sum();
  assert.equal(r.item(), 132);
  assert.equal(x.sub(1).div(2).pow(2).sum().item(), 0 + 0.25 + 1);
  assert.deepEqual(x.neg().abs().sqrt().square().toArray(), [1, 2, 3].map((v) => Math.sqrt(v) ** 2));
  assert.deepEqual(x.maximum(2).minimum(2.5).toArray(), [2, 2, 2.5]);
  assert.deepEqual(x.reshape([3, 1]).matmul(np.array([[1, 1]])).T.toArray(), [[1, 2, 3], [1, 2, 3]]);
});

// ---- reductions -----------------------------------------------------------------------------

test("reductions with axis number, list, null and keepdims", () => {
  const x = np.arange(24).reshape([2, 3, 4]).astype("float64");
  assert.equal(np.sum(x).item(), 276);
  assert.equal(np.sum(x, null).item(), 276);
  assert.deepEqual(np.sum(x, 0).toArray(), [[12, 14, 16, 18], [20, 22, 24, 26], [28, 30, 32, 34]]);
  assert.deepEqual(np.sum(x, -1).toArray(), [[6, 22, 38], [54, 70, 86]]);
  assert.deepEqual(np.sum(x, [0, 2]).toArray(), [60, 92, 124]);
  const k = np.sum(x, [0, 2], { keepdims: true });
  assert.deepEqual(k.shape, [1, 3, 1]);
  assert.deepEqual(k.toArray(), [[[60], [92], [124]]]);
  assert.deepEqual(np.sum(x, null, { keepdims: true }).shape, [1, 1, 1]);
  assert.deepEqual(x.mean(1).toArray(), [[4, 5, 6, 7], [16, 17, 18, 19]]);
  assert.deepEqual(np.max(x, [1, 2]).toArray(), [11, 23]);
  assert.deepEqual(np.min(x, 2, { keepdims: true }).shape, [2, 3, 1]);
  assert.deepEqual(np.prod(np.array([[1, 2], [3, 4]]), 1).toArray(), [2, 12]);
  close(np.var(np.array([1, 2, 3, 4])).item(), 1.25);
  close(np.std(np.array([1, 2, 3, 4]), null, { ddof: 1 }).item(), Math.sqrt(5 / 3));
  close(np.logsumexp(np.array([[0, 0], [1000, 1000]]), 1).toArray(), [Math.LN2, 1000 + Math.LN2]);
  assert.equal(np.logsumexp(np.array([-Infinity, -Infinity])).item(), -Infinity);
});

test("argmax and argmin return int32, first occurrence on ties", () => {
  const x = np.array([[1, 5, 5], [7, 0, 7]]);
  const am = np.argmax(x);
  assert.equal(am.dtype, "int32");
  assert.equal(am.item(), 3);
  assert.deepEqual(np.argmax(x, 1).toArray(), [1, 0]);
  assert.deepEqual(np.argmax(x, 0).toArray(), [1, 0, 1]);
  assert.deepEqual(np.argmin(x, 1).toArray(), [0, 1]);
  assert.deepEqual(x.argmin(-1).toArray(), [0, 1]);
  assert.deepEqual(np.argmax(x, 1, { keepdims: true }).shape, [2, 1]);
});

// ---- shape ops ------------------------------------------------------------------------------

test("reshape with -1, transpose with axes, swapaxes, moveaxis", () => {
  const x = np.arange(6);
  assert.deepEqual(x.reshape([-1, 2]).toArray(), [[0, 1], [2, 3], [4, 5]]);
  assert.deepEqual(x.reshape([3, -1]).shape, [3, 2]);
  const y = np.arange(24).reshape([2, 3, 4]);
  assert.deepEqual(y.transpose().shape, [4, 3, 2]);
  const t = np.transpose(y, [1, 0, 2]);
  assert.deepEqual(t.shape, [3, 2, 4]);
  assert.deepEqual(t.toArray()[1 as never][1], [16, 17, 18, 19]);
  const t2 = y.transpose([2, 0, 1]);
  assert.deepEqual(t2.shape, [4, 2, 3]);
  assert.deepEqual(t2.toArray()[3 as never][1], [15, 19, 23]);
  assert.deepEqual(np.swapaxes(y, 0, 2).shape, [4, 3, 2]);
  assert.deepEqual(np.swapaxes(y, 0, 2).toArray()[1 as never][2], [9, 21]);
  const m = np.moveaxis(y, 0, -1);
  assert.deepEqual(m.shape, [3, 4, 2]);
  assert.deepEqual(m.toArray()[2 as never][3], [11, 23]);
  assert.deepEqual(np.moveaxis(y, -1, 0).shape, [4, 2, 3]);
  assert.deepEqual(np.array([[1, 2], [3, 4]]).T.toArray(), [[1, 3], [2, 4]]);
});

test("expandDims, squeeze, broadcastTo", () => {
  const x = np.array([1, 2, 3]);
  assert.deepEqual(np.expandDims(x, 0).shape, [1, 3]);
  assert.deepEqual(np.expandDims(x, 1).shape, [3, 1]);
  assert.deepEqual(np.expandDims(x, -1).shape, [3, 1]);
  assert.deepEqual(np.expandDims(x, [0, 2]).shape, [1, 3, 1]);
  const z = np.zeros([1, 3, 1]);
  assert.deepEqual(np.squeeze(z).shape, [3]);
  assert.deepEqual(np.squeeze(z, 0).shape, [3, 1]);
  assert.deepEqual(z.squeeze(-1).shape, [1, 3]);
  assert.deepEqual(np.broadcastTo(x, [2, 3]).toArray(), [[1, 2, 3], [1, 2, 3]]);
});

test("concatenate, stack, split into sections and at indices", () => {
  const a = np.array([[1, 2], [3, 4]]);
  const b = np.array([[5, 6]]);
  assert.deepEqual(np.concatenate([a, b]).toArray(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(np.concatenate([a, a], 1).toArray(), [[1, 2, 1, 2], [3, 4, 3, 4]]);
  assert.deepEqual(np.concatenate([a, a], -1).shape, [2, 4]);
  assert.equal(np.concatenate([np.array([1], { dtype: "int32" }), np.array([2.5])]).dtype, "float64");
  const x = np.array([1, 2]), y = np.array([3, 4]);
  assert.deepEqual(np.stack([x, y]).toArray(), [[1, 2], [3, 4]]);
  assert.deepEqual(np.stack([x, y], 1).toArray(), [[1, 3], [2, 4]]);
  assert.deepEqual(np.stack([x, y], -1).toArray(), [[1, 3], [2, 4]]);
  const r = np.arange(6);
  const parts = np.split(r, 3);
  assert.equal(parts.length, 3);
  assert.deepEqual(parts.map(arr), [[0, 1], [2, 3], [4, 5]]);
  const cut = np.split(r, [2, 5]);
  assert.deepEqual(cut.map(arr), [[0, 1], [2, 3, 4], [5]]);
  const cut2 = np.split(r, [-1]);
  assert.deepEqual(cut2.map(arr), [[0, 1, 2, 3, 4], [5]]);
  const m = np.arange(8).reshape([2, 4]);
  assert.deepEqual(np.split(m, 2, 1).map(arr), [[[0, 1], [4, 5]], [[2, 3], [6, 7]]]);
  assert.throws(() => np.split(r, 4), /split/);
});

test("tile, repeat, flip", () => {
  const x = np.array([1, 2]);
  assert.deepEqual(np.tile(x, 2).toArray(), [1, 2, 1, 2]);
  assert.deepEqual(np.tile(x, [2, 2]).toArray(), [[1, 2, 1, 2], [1, 2, 1, 2]]);
  const m = np.array([[1, 2], [3, 4]]);
  assert.deepEqual(np.tile(m, [1, 2]).toArray(), [[1, 2, 1, 2], [3, 4, 3, 4]]);
  assert.deepEqual(np.repeat(x, 2).toArray(), [1, 1, 2, 2]);
  assert.deepEqual(np.repeat(m, 2).toArray(), [1, 1, 2, 2, 3, 3, 4, 4]);
  assert.deepEqual(np.repeat(m, 2, 0).toArray(), [[1, 2], [1, 2], [3, 4], [3, 4]]);
  assert.deepEqual(np.repeat(m, [1, 2], 1).toArray(), [[1, 2, 2], [3, 4, 4]]);
  assert.deepEqual(np.flip(x).toArray(), [2, 1]);
  assert.deepEqual(np.flip(m).toArray(), [[4, 3], [2, 1]]);
  assert.deepEqual(np.flip(m, 0).toArray(), [[3, 4], [1, 2]]);
  assert.deepEqual(np.flip(m, 1).toArray(), [[2, 1], [4, 3]]);
});

// ---- slicing --------------------------------------------------------------------------------

test("slice: integers drop an axis, ranges keep it, negative indices count from the end", () => {
  const x = np.arange(12).reshape([3, 4]);
  assert.deepEqual(x.slice(1).toArray(), [4, 5, 6, 7]);
  assert.deepEqual(x.slice(-1).toArray(), [8, 9, 10, 11]);
  assert.equal(x.slice(1, 2).item(), 6);
  assert.equal(x.slice(-1, -1).item(), 11);
  assert.deepEqual(x.slice([1, 3]).toArray(), [[4, 5, 6, 7], [8, 9, 10, 11]]);
  assert.deepEqual(x.slice([], [1, 3]).toArray(), [[1, 2], [5, 6], [9, 10]]);
  assert.deepEqual(x.slice([], [null, null, -1]).toArray(), [[3, 2, 1, 0], [7, 6, 5, 4], [11, 10, 9, 8]]);
  assert.deepEqual(x.slice([null, null, 2], [1, null, 2]).toArray(), [[1, 3], [9, 11]]);
  assert.deepEqual(x.slice([-2]).toArray(), [[4, 5, 6, 7], [8, 9, 10, 11]]);
  assert.deepEqual(x.slice([], [-3, -1]).toArray(), [[1, 2], [5, 6], [9, 10]]);
  assert.deepEqual(x.slice([], [10, 20]).shape, [3, 0]); // out-of-range bounds clamp, like Python
  assert.deepEqual(x.slice([], [3, 0, -1]).toArray(), [[3, 2, 1], [7, 6, 5], [11, 10, 9]]);
});

test("slice: null adds an axis and \"...\" fills the rest", () => {
  const x = np.arange(24).reshape([2, 3, 4]);
  assert.deepEqual(x.slice(null).shape, [1, 2, 3, 4]);
  assert.deepEqual(x.slice([], null).shape, [2, 1, 3, 4]);
  assert.deepEqual(x.slice("...", null).shape, [2, 3, 4, 1]);
  const e = x.slice("...", 0);
  assert.deepEqual(e.shape, [2, 3]);
  assert.deepEqual(e.toArray(), [[0, 4, 8], [12, 16, 20]]);
  assert.deepEqual(x.slice(1, "...").shape, [3, 4]);
  assert.deepEqual(x.slice(0, "...", 1).toArray(), [1, 5, 9]);
});

test("slice: string forms \":\", \"1:3\", \"::-1\"", () => {
  const x = np.arange(12).reshape([3, 4]);
  assert.deepEqual(x.slice(":", "1:3").toArray(), [[1, 2], [5, 6], [9, 10]]);
  assert.deepEqual(x.slice("::-1").toArray(), [[8, 9, 10, 11], [4, 5, 6, 7], [0, 1, 2, 3]]);
  assert.deepEqual(x.slice(":", "::-1").toArray()[0 as never], [3, 2, 1, 0]);
  assert.deepEqual(x.slice("1:", "::2").toArray(), [[4, 6], [8, 10]]);
  assert.deepEqual(x.slice("-1").toArray(), [8, 9, 10, 11]);
  assert.deepEqual(x.slice("1:, ::2").toArray(), [[4, 6], [8, 10]]);
  assert.deepEqual(np.arange(5).slice("::-2").toArray(), [4, 2, 0]);
});

test("iterating a tensor walks its first axis", () => {
  const t = np.array([[1, 2], [3, 4]]);
  const [a, b] = t;
  assert.deepEqual(a.toArray(), [1, 2]);
  assert.deepEqual(b.toArray(), [3, 4]);
  assert.deepEqual([...np.arange(3)].map((v) => v.item()), [0, 1, 2]);
  assert.throws(() => [...np.array(1)], TypeError);
});

// ---- indexing -------------------------------------------------------------------------------

test("take with axis and negative indices", () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(np.take(x, [0, 2, -1]).toArray(), [1, 3, 6]); // flattened
  assert.deepEqual(np.take(x, [2, 0], 1).toArray(), [[3, 1], [6, 4]]);
  assert.deepEqual(np.take(x, [-1], 0).toArray(), [[4, 5, 6]]);
  assert.deepEqual(np.take(x, 1, 1).toArray(), [2, 5]);
  assert.deepEqual(x.take([[0, 1], [1, 0]], 0).shape, [2, 2, 3]);
  assert.deepEqual(np.take(x, np.array([1, -3], { dtype: "int32" }), -1).toArray(), [[2, 1], [5, 4]]);
});

test("takeAlongAxis picks per-row entries (with argsort it sorts)", () => {
  const x = np.array([[10, 30, 20], [60, 40, 50]]);
  const idx = np.argsort(x, 1);
  assert.deepEqual(idx.toArray(), [[0, 2, 1], [1, 2, 0]]);
  assert.deepEqual(np.takeAlongAxis(x, idx, 1).toArray(), [[10, 20, 30], [40, 50, 60]]);
  assert.deepEqual(np.takeAlongAxis(x, [[1], [-1]], 1).toArray(), [[30], [50]]);
  assert.deepEqual(np.takeAlongAxis(x, [[1, 0, 1]], 0).toArray(), [[60, 30, 50]]);
});

test("segmentSum sums rows sharing an id; indexAdd accumulates duplicates", () => {
  const data = np.array([[1, 2], [3, 4], [5, 6], [7, 8]]);
  assert.deepEqual(np.segmentSum(data, [0, 2, 0, 2], 4).toArray(), [[6, 8], [0, 0], [10, 12], [0, 0]]);
  assert.deepEqual(np.segmentSum(np.array([1, 2, 3]), [1, 1, 0]).toArray(), [3, 3]);
  const z = np.zeros([4]);
  assert.deepEqual(np.indexAdd(z, [1, 1, 3, 1], np.array([1, 2, 3, 4])).toArray(), [0, 7, 0, 3]);
  assert.deepEqual(np.indexAdd(np.ones([3, 2]), [2, 0, 2], 1).toArray(), [[2, 2], [1, 1], [3, 3]]);
  assert.deepEqual(np.indexAdd(np.zeros([2, 3]), [0, 0, -1], np.array([[1, 2, 3], [4, 5, 6]]), 1).toArray(), [[3, 0, 3], [9, 0, 6]]);
});

// ---- products -------------------------------------------------------------------------------

test("matmul, dot, outer, cross, trace", () => {
  const a = np.array([[1, 2], [3, 4]]);
  const b = np.array([[5, 6], [7, 8]]);
  assert.deepEqual(np.matmul(a, b).toArray(), [[19, 22], [43, 50]]);
  assert.deepEqual(np.matmul(a, np.array([1, 1])).toArray(), [3, 7]);
  assert.deepEqual(np.matmul(np.array([1, 1]), a).toArray(), [4, 6]);
  const batch = np.stack([a, b]);
  assert.deepEqual(np.matmul(batch, a).toArray(), [[[7, 10], [15, 22]], [[23, 34], [31, 46]]]);
  assert.deepEqual(np.matmul(batch, batch).toArray()[1 as never], [[67, 78], [91, 106]]);
  assert.equal(np.dot(np.array([1, 2, 3]), np.array([4, 5, 6])).item(), 32);
  assert.deepEqual(np.dot(a, b).toArray(), [[19, 22], [43, 50]]);
  assert.deepEqual(np.dot(a, 2).toArray(), [[2, 4], [6, 8]]);
  assert.deepEqual(np.outer(np.array([1, 2]), np.array([3, 4, 5])).toArray(), [[3, 4, 5], [6, 8, 10]]);
  assert.deepEqual(np.cross(np.array([1, 0, 0]), np.array([0, 1, 0])).toArray(), [0, 0, 1]);
  assert.deepEqual(np.cross(np.array([[1, 2, 3]]), np.array([4, 5, 6])).toArray(), [[-3, 6, -3]]);
  assert.equal(np.trace(np.arange(9).reshape([3, 3])).item(), 12);
  assert.equal(np.trace(np.arange(9).reshape([3, 3]), 1).item(), 6);
  assert.equal(np.matmul(np.array([1], { dtype: "int32" }).reshape([1, 1]), np.array([[2.5]])).dtype, "float64");
});

test("einsum: matmul, trace, diagonal, transpose, batch, outer, implicit output, ellipsis", () => {
  const a = np.array([[1, 2], [3, 4]]);
  const b = np.array([[5, 6], [7, 8]]);
  assert.deepEqual(np.einsum("ij,jk->ik", a, b).toArray(), [[19, 22], [43, 50]]);
  assert.deepEqual(np.einsum("ij,jk", a, b).toArray(), [[19, 22], [43, 50]]);
  assert.equal(np.einsum("ii", a).item(), 5);
  assert.deepEqual(np.einsum("ii->i", a).toArray(), [1, 4]);
  assert.deepEqual(np.einsum("ij->ji", a).toArray(), [[1, 3], [2, 4]]);
  assert.deepEqual(np.einsum("ji", a).toArray(), [[1, 3], [2, 4]]); // implicit output is sorted: "ij"
  assert.equal(np.einsum("ij,ij->", a, b).item(), 70);
  assert.deepEqual(np.einsum("i,j->ij", np.array([1, 2]), np.array([3, 4])).toArray(), [[3, 4], [6, 8]]);
  assert.deepEqual(np.einsum("bij,bjk->bik", np.stack([a, b]), np.stack([b, a])).toArray(), [[[19, 22], [43, 50]], [[23, 34], [31, 46]]]);
  assert.deepEqual(np.einsum("...ij,jk->...ik", np.stack([a, b]), a).toArray()[1 as never], [[23, 34], [31, 46]]);
  assert.deepEqual(np.einsum("ij->", a).toArray(), 10);
  assert.deepEqual(np.einsum("ij,j,k->ik", a, np.array([1, 1]), np.array([1, 2])).toArray(), [[3, 6], [7, 14]]);
});

test("cumsum along an axis and flattened", () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(np.cumsum(x).toArray(), [1, 3, 6, 10, 15, 21]);
  assert.deepEqual(np.cumsum(x, 0).toArray(), [[1, 2, 3], [5, 7, 9]]);
  assert.deepEqual(x.cumsum(1).toArray(), [[1, 3, 6], [4, 9, 15]]);
  assert.deepEqual(np.cumsum(x, -1).toArray(), [[1, 3, 6], [4, 9, 15]]);
  assert.equal(np.cumsum(np.array([1, 2], { dtype: "int32" })).dtype, "int32");
});

// ---- sorting --------------------------------------------------------------------------------

test("sort and argsort are stable and put NaN last", () => {
  const x = np.array([3, 1, NaN, 2, 1, -Infinity]);
  assert.deepEqual(np.argsort(x).toArray(), [5, 1, 4, 3, 0, 2]);
  close(np.sort(x).toArray(), [-Infinity, 1, 1, 2, 3, NaN]);
  const ties = np.array([2, 1, 2, 1, 2]);
  assert.deepEqual(np.argsort(ties).toArray(), [1, 3, 0, 2, 4]);
  assert.equal(np.argsort(ties).dtype, "int32");
  const m = np.array([[3, 1], [0, 5]]);
  assert.deepEqual(np.sort(m, 0).toArray(), [[0, 1], [3, 5]]);
  assert.deepEqual(np.sort(m).toArray(), [[1, 3], [0, 5]]);
  assert.deepEqual(np.sort(m, null).toArray(), [0, 1, 3, 5]);
  assert.deepEqual(np.sort(np.array([3, -1, 2], { dtype: "int32" })).toArray(), [-1, 2, 3]);
});

// ---- elementwise conventions ----------------------------------------------------------------

test("where broadcasts condition and branches", () => {
  const x = np.array([1, -2, 3]);
  assert.deepEqual(np.where(x.greater(0), x, 0).toArray(), [1, 0, 3]);
  assert.deepEqual(np.where(np.array([[true], [false]]), np.array([1, 2]), -1).toArray(), [[1, 2], [-1, -1]]);
  assert.deepEqual(np.where([1, 0, 2], 5, 6).toArray(), [5, 6, 5]);
});

test("clip with bounds or null", () => {
  const x = np.array([-2, 0.5, 3]);
  assert.deepEqual(np.clip(x, -1, 1).toArray(), [-1, 0.5, 1]);
  assert.deepEqual(np.clip(x, null, 1).toArray(), [-2, 0.5, 1]);
  assert.deepEqual(x.clip(0, null).toArray(), [0, 0.5, 3]);
  assert.equal(np.clip(np.array([5], { dtype: "int32" }), 0, 3).dtype, "int32");
});

test("mod takes the sign of the divisor (Python convention)", () => {
  assert.deepEqual(np.mod(np.array([-7, 7, -7, 7]), np.array([3, 3, -3, -3])).toArray(), [2, 1, -1, -2]);
  const i = np.mod(np.array([-7, 7, -7, 7], { dtype: "int32" }), np.array([3, 3, -3, -3], { dtype: "int32" }));
  assert.equal(i.dtype, "int32");
  assert.deepEqual(i.toArray(), [2, 1, -1, -2]);
  close(np.array([-5.5, 5.5]).mod(2).toArray(), [0.5, 1.5]);
  assert.deepEqual(np.floorDivide(np.array([-7, 7], { dtype: "int32" }), 2).toArray(), [-4, 3]);
});

test("mod of an exact multiple is +0 for a positive divisor, like Python", () => {
  const r = np.mod(np.array([-4, 4]), 2).toArray() as number[];
  assert.ok(Object.is(r[0], 0) && Object.is(r[1], 0), `got ${r.map((v) => (Object.is(v, -0) ? "-0" : v))}`);
  assert.ok(Object.is(np.mod(np.array([4]), -2).item(), -0));
});

test("round is half to even; floor and ceil", () => {
  assert.deepEqual(np.round(np.array([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6, -2.6])).toArray(), [0, 2, 2, -0, -2, 2, 3, -3]);
  assert.deepEqual(np.floor(np.array([-1.5, 1.5])).toArray(), [-2, 1]);
  assert.deepEqual(np.ceil(np.array([-1.5, 1.5])).toArray(), [-1, 2]);
  assert.equal(np.round(np.array([3], { dtype: "int32" })).dtype, "int32");
});

test("erf matches reference values", () => {
  const v = np.erf(np.array([0, 0.5, 2, -3.5, 1e-10, 6])).toArray() as number[];
  close(v[0], 0, 1e-15);
  close(v[1], 0.5204998778130465, 1e-14);
  close(v[2], 0.9953222650189527, 1e-14);
  close(v[3], -0.9999992569016276, 1e-14);
  close(v[4], 1.1283791670955126e-10, 1e-12);
  close(v[5], 1, 1e-15);
  close(np.erf(np.array([0.5], { dtype: "float32" })).item(), Math.fround(0.5204998778130465), 1e-7);
});

test("float64 transcendentals are the JS Math results", () => {
  const xs = [0.1, 1, 2.5, 10, -3.3];
  assert.deepEqual(np.exp(np.array(xs)).toArray(), xs.map(Math.exp));
  assert.deepEqual(np.sin(np.array(xs)).toArray(), xs.map(Math.sin));
  assert.deepEqual(np.log(np.array(xs.map(Math.abs))).toArray(), xs.map((x) => Math.log(Math.abs(x))));
  assert.deepEqual(np.tanh(np.array(xs)).toArray(), xs.map(Math.tanh));
  assert.deepEqual(np.arctan2(np.array([1, -1]), np.array([-1, -1])).toArray(), [Math.atan2(1, -1), Math.atan2(-1, -1)]);
});

test("comparisons and logical ops give bool", () => {
  const x = np.array([1, 2, 3]);
  assert.deepEqual(x.less(2).toArray(), [true, false, false]);
  assert.deepEqual(x.greaterEqual(2).toArray(), [false, true, true]);
  assert.deepEqual(x.equal(np.array([1, 0, 3])).toArray(), [true, false, true]);
  assert.deepEqual(np.logicalAnd(x.greater(1), x.less(3)).toArray(), [false, true, false]);
  assert.deepEqual(np.logicalNot(x.notEqual(2)).toArray(), [false, true, false]);
  assert.deepEqual(np.isnan(np.array([NaN, 1])).toArray(), [true, false]);
});

test("diag builds a diagonal matrix from a vector (with offset) and reads one from a matrix", () => {
  assert.deepEqual(np.diag(np.array([1, 2])).toArray(), [[1, 0], [0, 2]]);
  assert.deepEqual(np.diag(np.array([1, 2]), -1).toArray(), [[0, 0, 0], [1, 0, 0], [0, 2, 0]]);
  assert.deepEqual(np.diag(np.array([[1, 2], [3, 4]]), 1).toArray(), [2]);
});
