// Bad input gets an error that says what the user did: the op, the shapes or dtypes involved,
// and what would be right — never a bare failure from inside a kernel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, grad, valueAndGrad, vjp, jacrev, vmap, jit, makeJaxpr, Tensor } from "../../src/index.js";

/** Run fn, expect it to throw, and return the message. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error, `threw a non-Error: ${String(e)}`);
    return e.message;
  }
  assert.fail("expected an error, but the call returned normally");
}
function includesAll(msg: string, parts: string[]): void {
  for (const p of parts) assert.ok(msg.includes(p), `message ${JSON.stringify(msg)} should mention ${JSON.stringify(p)}`);
}

test("a broadcasting mismatch names the op and both shapes", () => {
  const a = np.zeros([2, 3]), b = np.zeros([4]);
  includesAll(messageOf(() => np.add(a, b)), ["add", "[2, 3]", "[4]"]);
  includesAll(messageOf(() => a.mul(b)), ["multiply", "[2, 3]", "[4]"]);
  includesAll(messageOf(() => np.where(np.zeros([3], { dtype: "bool" }), np.zeros([2]), 0)), ["where", "[3]", "[2]"]);
  includesAll(messageOf(() => np.maximum(a, b)), ["maximum", "[2, 3]", "[4]"]);
  includesAll(messageOf(() => np.less(a, b)), ["less", "[2, 3]", "[4]"]);
  includesAll(messageOf(() => np.broadcastTo(np.zeros([3]), [2, 4])), ["[3]", "[2, 4]"]);
});

test("matmul and dot report both shapes and the mismatched inner dimension", () => {
  const msg = messageOf(() => np.matmul(np.zeros([3, 4]), np.zeros([5, 2])));
  includesAll(msg, ["matmul", "[3, 4]", "[5, 2]", "4 ≠ 5"]);
  includesAll(messageOf(() => np.zeros([3, 4]).matmul(np.zeros([5]))), ["matmul", "[3, 4]", "[5]", "4 ≠ 5"]);
  includesAll(messageOf(() => np.dot(np.zeros([2]), np.zeros([3]))), ["dot", "[2]", "[3]"]);
  includesAll(messageOf(() => np.einsum("ij,jk->ik", np.zeros([2, 3]), np.zeros([4, 2]))), ["einsum", "j"]);
  includesAll(messageOf(() => np.concatenate([np.zeros([2, 3]), np.zeros([2, 4])])), ["concatenate", "[2, 3]", "[2, 4]"]);
});

test("grad of a non-scalar output says it needs a scalar and suggests jacrev", () => {
  const msg = messageOf(() => grad((x: Tensor) => np.sin(x))(np.array([1, 2, 3])));
  includesAll(msg, ["grad", "scalar", "jacrev", "[3]"]);
  includesAll(messageOf(() => valueAndGrad((x: Tensor) => x.mul(2))(np.array([1, 2]))), ["valueAndGrad", "scalar"]);
  includesAll(messageOf(() => grad((x: Tensor) => [x.sum(), x])(np.array([1, 2]))), ["grad", "scalar"]);
});

test("grad with respect to an int32 input is refused, naming the dtype", () => {
  const f = (x: Tensor) => x.astype("float64").sum();
  includesAll(messageOf(() => grad(f)(np.array([1, 2], { dtype: "int32" }))), ["grad", "int32", "float"]);
  includesAll(messageOf(() => vjp(f, np.array([1, 2], { dtype: "int32" }))), ["vjp", "int32"]);
  // …but an int argument that is not differentiated is fine.
  const g = grad((x: Tensor, n: Tensor) => x.mul(n).sum());
  assert.deepEqual(g(np.array([1, 2]), np.array([3, 4], { dtype: "int32" })).toArray(), [3, 4]);
  includesAll(messageOf(() => grad((x: Tensor) => x.sum(), { argnums: 0 })(np.array([true]))), ["bool"]);
});

test("a float tensor used as indices is refused, asking for int32", () => {
  const x = np.array([10, 20, 30]);
  includesAll(messageOf(() => np.take(x, np.array([0, 1]))), ["take", "int32", "float64"]);
  includesAll(messageOf(() => np.segmentSum(x, np.array([0, 0, 1]), 2)), ["segmentSum", "int32"]);
  includesAll(messageOf(() => np.indexAdd(x, np.array([0.0]), 1)), ["indexAdd", "int32"]);
  includesAll(messageOf(() => np.take(x, [0.5])), ["take", "integer"]);
  // JS integer lists are fine and become int32.
  assert.deepEqual(np.take(x, [2, 0]).toArray(), [30, 10]);
});

test("reading the numbers of a traced value inside vmap or grad throws a clear message", () => {
  const msg = messageOf(() => vmap((r: Tensor) => { r.data(); return r; })(np.zeros([2, 3])));
  includesAll(msg, ["traced", "vmap"]);
  includesAll(messageOf(() => vmap((r: Tensor) => np.array(r.item()))(np.zeros([2]))), ["traced", "vmap"]);
  includesAll(messageOf(() => jit((x: Tensor) => (x.item() > 0 ? x : x.neg()))(np.array(1))), ["traced", "jit"]);
  includesAll(messageOf(() => makeJaxpr((x: Tensor) => (x.item() > 0 ? x : x.neg()))(np.array(1))), ["traced"]);
  // printing a tracer does not throw
  let printed = "";
  vmap((r: Tensor) => { printed = r.toString(); return r; })(np.zeros([2, 3]));
  includesAll(printed, ["vmap", "[3]"]);
});

test("under grad alone values stay concrete, so data-dependent JS control flow works", () => {
  const absLike = grad((x: Tensor) => (x.item() > 0 ? x.mul(3) : x.neg()));
  assert.equal(absLike(np.array(1)).item(), 3);
  assert.equal(absLike(np.array(-1)).item(), -1);
});

test("a ragged nested array names where it went wrong", () => {
  const msg = messageOf(() => np.array([[1, 2], [3]]));
  includesAll(msg, ["array", "[1]"]);
  assert.match(msg, /ragged|inhomogeneous|length|shape/i);
  messageOf(() => np.array([[1, 2], 3] as never));
  includesAll(messageOf(() => np.array([1, "a"] as never)), ["array"]);
});

test("an unknown dtype string is refused, listing the valid ones", () => {
  const msg = messageOf(() => np.array([1], { dtype: "float16" as never }));
  includesAll(msg, ["float16", "float64", "float32", "int32", "bool"]);
  includesAll(messageOf(() => np.zeros([2]).astype("int64" as never)), ["int64"]);
  includesAll(messageOf(() => np.zeros([2], { dtype: "double" as never })), ["double"]);
  includesAll(messageOf(() => np.arange(3, undefined, 1, { dtype: "uint8" as never })), ["arange", "uint8"]);
  includesAll(messageOf(() => np.eye(2, 2, { dtype: "f64" as never })), ["eye", "f64"]);
  includesAll(messageOf(() => np.zerosLike(np.zeros([2]), { dtype: "int" as never })), ["int"]);
});

test("reshape to a different number of elements names both shapes", () => {
  includesAll(messageOf(() => np.zeros([2, 3]).reshape([4, 2])), ["reshape", "[2, 3]", "[4, 2]"]);
  includesAll(messageOf(() => np.zeros([2, 3]).reshape([4, -1])), ["reshape", "[2, 3]", "[4, -1]"]);
  includesAll(messageOf(() => np.zeros([6]).reshape([-1, -1])), ["reshape", "-1"]);
});

test("out-of-bounds indices are reported with the axis size", () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]]);
  includesAll(messageOf(() => np.take(x, [3], 1)), ["take", "3", "size 3"]);
  includesAll(messageOf(() => np.take(x, [-4], 1)), ["take", "-4"]);
  includesAll(messageOf(() => np.take(x, [6])), ["take", "6"]);
  includesAll(messageOf(() => x.slice(2)), ["slice", "2", "size 2"]);
  includesAll(messageOf(() => np.indexAdd(np.zeros([3]), [5], 1)), ["indexAdd", "5"]);
  includesAll(messageOf(() => np.sum(x, 2)), ["sum", "2"]);
});

test("out-of-range indices under vmap and in takeAlongAxis are errors, not reads from a neighbouring row", () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]]);
  const idx = (a: number[]) => np.array(a, { dtype: "int32" });
  const vtake = vmap((row: Tensor, i: Tensor) => np.take(row, i));
  assert.deepEqual(vtake(x, idx([-1, 0])).toArray(), [3, 4]);
  includesAll(messageOf(() => vtake(x, idx([3, 0]))), ["take", "3", "size 3"]);
  includesAll(messageOf(() => vtake(x, idx([0, -4]))), ["take", "-4"]);
  includesAll(messageOf(() => np.takeAlongAxis(x, [[3], [0]], 1)), ["takeAlongAxis", "3"]);
  includesAll(messageOf(() => np.takeAlongAxis(x, [[0], [-4]], 1)), ["takeAlongAxis", "-4"]);
  includesAll(messageOf(() => vmap((d: Tensor, i: Tensor) => np.indexAdd(d, i, 1))(x, idx([3, 0]).reshape([2, 1]))), ["indexAdd", "3"]);
  includesAll(messageOf(() => vmap((d: Tensor, i: Tensor) => np.segmentSum(d, i, 2))(x, np.array([[0, 1, 2], [0, 0, 0]], { dtype: "int32" }))), ["2"]);
});

test("under jit, out-of-range traced indices still raise instead of reading NaN or dropping updates", () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]]);
  const idx = (a: number[]) => np.array(a, { dtype: "int32" });
  const vtake = vmap((row: Tensor, i: Tensor) => np.take(row, i));
  assert.deepEqual(jit(vtake)(x, idx([-1, 0])).toArray(), [3, 4]);
  assert.throws(() => jit((a: Tensor, i: Tensor) => np.take(a, i, 1))(x, idx([3])), /out of bounds/);
  assert.throws(() => jit((d: Tensor, i: Tensor) => np.segmentSum(d, i, 2))(np.array([1, 2]), idx([0, 2])), /out of bounds|out of range/);
  assert.throws(() => jit(vtake)(x, idx([3, 0])), /out of bounds/);
  assert.throws(() => jit((a: Tensor, i: Tensor) => np.takeAlongAxis(a, i, 1))(x, idx([3, 0]).reshape([2, 1])), /out of bounds/);
});

test("segmentSum refuses ids outside [0, numSegments)", () => {
  includesAll(messageOf(() => np.segmentSum(np.array([1, 2]), [0, -1], 2)), ["segmentSum", "-1", "2 segments"]);
  includesAll(messageOf(() => np.segmentSum(np.array([1, 2]), [0, 5], 2)), ["segmentSum", "5"]);
});

test("vmap with inconsistent mapped-axis sizes names the sizes", () => {
  const f = (a: Tensor, b: Tensor) => a.add(b);
  const msg = messageOf(() => vmap(f)(np.zeros([3, 2]), np.zeros([4, 2])));
  includesAll(msg, ["vmap", "3", "4"]);
  includesAll(messageOf(() => vmap(f, { inAxes: [0, 1] })(np.zeros([3]), np.zeros([2, 2]))), ["vmap", "3", "2"]);
  includesAll(messageOf(() => vmap((a: Tensor) => a, { inAxes: 0 })(np.array(1))), ["vmap", "scalar"]);
  includesAll(messageOf(() => vmap(f, { inAxes: [0] })(np.zeros([3]), np.zeros([3]))), ["vmap", "1", "2"]);
  includesAll(messageOf(() => vmap((a: Tensor) => a, { inAxes: null })(np.zeros([3]))), ["vmap", "axisSize"]);
});

test("vmap with an axisSize that disagrees with the inputs names axisSize", () => {
  const msg = messageOf(() => vmap((a: Tensor) => a, { axisSize: 3 })(np.zeros([2])));
  includesAll(msg, ["axisSize", "3", "2"]);
  assert.ok(!msg.includes("leaf -1"), msg);
});

test("jacrev and other transformations reject non-tensor leaves with a path", () => {
  includesAll(messageOf(() => jacrev((x: Tensor) => x)("abc" as never)), ["jacrev", "string"]);
  includesAll(messageOf(() => grad((x: Tensor) => x.sum())({ a: "x" } as never)), ["grad"]);
});
