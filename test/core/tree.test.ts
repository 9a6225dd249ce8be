import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor, tree } from "../../src/index.js";
import { DenseTensor } from "../../src/core/dense.js";
import { TreeDef } from "../../src/core/tree.js";

const vec = (xs: number[]): DenseTensor => new DenseTensor(new Float64Array(xs), [xs.length], "float64");

test("flatten then unflatten round-trips nested arrays, objects, tensors and empty subtrees", () => {
  const t = vec([1, 2]);
  const value = { b: [1, t, [true]], a: { y: null, x: 2.5 }, c: undefined };
  const [leaves, def] = tree.flatten(value);
  assert.deepEqual(leaves, [2.5, 1, t, true]); // a.x, then b; a.y and c have no leaves
  assert.equal(def.numLeaves, 4);
  const back = tree.unflatten(def, leaves) as typeof value;
  assert.deepEqual(back, value);
  assert.equal(back.b[1], t, "leaves are passed through, not copied");
  assert.ok("c" in back && back.c === undefined);
  assert.equal(back.a.y, null);
});

test("object children are taken in sorted key order, so key order does not change the structure", () => {
  assert.deepEqual(tree.leaves({ b: 1, a: 2, c: 3 }), [2, 1, 3]);
  const d1 = tree.structure({ b: 1, a: [2, 3] });
  const d2 = tree.structure({ a: [0, 0], b: 9 });
  assert.ok(tree.treedefEqual(d1, d2));
  assert.equal(d1.toString(), "{a: [*, *], b: *}");
  assert.deepEqual(Object.keys(tree.unflatten(d1, [1, 2, 3]) as object), ["a", "b"]);
});

test("a leaf, null and undefined are trees too", () => {
  const [l, d] = tree.flatten(3);
  assert.deepEqual(l, [3]);
  assert.equal(d.toString(), "*");
  assert.equal(tree.unflatten(d, [7]), 7);
  assert.deepEqual(tree.leaves(null), []);
  assert.equal(tree.unflatten(tree.structure(undefined), []), undefined);
  assert.equal(tree.structure([null, undefined, {}]).toString(), "[null, undefined, {}]");
});

test("null-prototype objects keep their null prototype", () => {
  const o = Object.assign(Object.create(null) as Record<string, number>, { z: 1, y: 2 });
  const back = tree.map((x: number) => x * 10, o);
  assert.equal(Object.getPrototypeOf(back), null);
  assert.deepEqual({ ...back }, { y: 20, z: 10 });
});

test("map over two trees combines matching leaves", () => {
  const params = { w: vec([1, 2]), b: 0.5 };
  const grads = { b: 1, w: vec([10, 20]) };
  const out = tree.map((p: Tensor | number, g: Tensor | number) => {
    if (p instanceof Tensor && g instanceof Tensor) {
      const pd = p.data(), gd = g.data();
      return vec(Array.from(pd, (v, i) => v - 0.1 * gd[i]));
    }
    return (p as number) - 0.1 * (g as number);
  }, params, grads);
  assert.deepEqual(Array.from(out.w.data()), [0, 0]);
  assert.equal(out.b, 0.4);
});

test("map with a structure mismatch names both structures and where they differ", () => {
  assert.throws(
    () => tree.map((a: number, b: number) => a + b, { a: 1, b: [1, 2] }, { a: 1, b: [1, 2, 3] }),
    (e: Error) => {
      assert.match(e.message, /tree\.map: tree 1 does not match the structure of tree 0 at \.b/);
      assert.match(e.message, /expected an array of length 2, found an array of length 3/);
      assert.match(e.message, /tree 0: \{a: \*, b: \[\*, \*\]\}/);
      assert.match(e.message, /tree 1: \{a: \*, b: \[\*, \*, \*\]\}/);
      return true;
    },
  );
  assert.throws(() => tree.map((a: number) => a, { a: 1 }, { b: 1 }), /expected keys \{a\}, found keys \{b\}/);
});

test("map accepts later trees that refine the first at its leaves (JAX prefix rule)", () => {
  const out = tree.map((n: number, sub: unknown) => tree.leaves(sub).length * n, { a: 1, b: 2 }, { a: [0, 0, 0], b: { x: 1 } });
  assert.deepEqual(out, { a: 3, b: 2 });
});

class Linear {
  constructor(readonly w: Tensor, readonly b: Tensor, readonly name: string) {}
}
tree.register(Linear, {
  flatten: (m: Linear) => [[m.w, m.b], m.name],
  unflatten: (name: string, [w, b]) => new Linear(w as Tensor, b as Tensor, name),
});

test("registered classes flatten to their children and rebuild with their aux data", () => {
  const layer = new Linear(vec([1, 2]), vec([3]), "dense1");
  const model = { layers: [layer], scale: 2 };
  const [leaves, def] = tree.flatten(model);
  assert.equal(leaves.length, 3);
  assert.equal(def.toString(), '{layers: [Linear<"dense1">(*, *)], scale: *}');
  const doubled = tree.map((x: Tensor | number) => (x instanceof Tensor ? vec(Array.from(x.data(), (v) => 2 * v)) : x), model);
  assert.ok(doubled.layers[0] instanceof Linear);
  assert.equal(doubled.layers[0].name, "dense1");
  assert.deepEqual(Array.from(doubled.layers[0].w.data()), [2, 4]);
  // Aux data is part of the structure.
  assert.ok(!tree.treedefEqual(def, tree.structure({ layers: [new Linear(vec([1, 2]), vec([3]), "other")], scale: 2 })));
  assert.throws(
    () => tree.map((a: unknown) => a, model, { layers: [new Linear(vec([0, 0]), vec([0]), "other")], scale: 1 }),
    /at \.layers\[0\]: expected a Linear node with the same static \(aux\) data/,
  );
});

test("a registration covers unregistered subclasses, and unregistered classes are leaves", () => {
  class Base { constructor(readonly x: number, readonly kind: string) {} }
  class Derived extends Base {}
  tree.register(Base, {
    flatten: (o: Base) => [[o.x], o.constructor],
    unflatten: (cls: typeof Base, [x]) => new cls(x as number, "rebuilt"),
  });
  const back = tree.map((x: number) => x + 1, new Derived(1, "orig"));
  assert.ok(back instanceof Derived);
  assert.equal(back.x, 2);
  assert.equal(tree.structure(new Derived(0, "a")).toString(), "Derived(*)");
  class Opaque { v = 1; }
  const o = new Opaque();
  assert.deepEqual(tree.leaves({ o }), [o]);
});

test("flattenWithPath names each leaf", () => {
  const [pairs] = tree.flattenWithPath({ params: { w: [1, 2] }, "odd key": 3 });
  assert.deepEqual(pairs.map(([p]) => p), ['["odd key"]', ".params.w[0]", ".params.w[1]"]);
  const out = tree.mapWithPath((path: string, x: number) => `${path}=${x}`, { a: [1] });
  assert.deepEqual(out, { a: [".a[0]=1"] });
});

test("unflatten checks the number of leaves, and cycles are reported", () => {
  const def = tree.structure({ a: 1, b: [2, 3] });
  assert.ok(def instanceof TreeDef);
  assert.throws(() => tree.unflatten(def, [1, 2]), /structure \{a: \*, b: \[\*, \*\]\} has 3 leaves, but 2 were given/);
  const cyc: { self?: unknown } = {};
  cyc.self = [cyc];
  assert.throws(() => tree.flatten(cyc), /cycle/);
});

test("the same leaf object may appear twice (a DAG is not a cycle)", () => {
  const shared = [1, 2];
  assert.deepEqual(tree.leaves({ a: shared, b: shared }), [1, 2, 1, 2]);
});
