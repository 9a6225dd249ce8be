import { test } from "node:test";
import assert from "node:assert/strict";
import { np, random, tree, Tensor } from "../../src/index.js";
import { Linear, Dense, MLP, Embedding, LayerNorm, Sequential, Activation, Module } from "../../src/nn/index.js";

const key = random.key(0);

function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

test("Linear maps [..., in] to [..., out] with a weight [in, out] and a bias [out]", () => {
  const layer = new Linear(key, 3, 4);
  assert.deepEqual(layer.weight.shape, [3, 4]);
  assert.deepEqual(layer.bias!.shape, [4]);
  assert.equal(layer.weight.dtype, "float64");
  assert.deepEqual(layer.call(np.ones([3])).shape, [4]);
  assert.deepEqual(layer.call(np.ones([5, 3])).shape, [5, 4]);
  assert.deepEqual(layer.call(np.ones([2, 5, 3])).shape, [2, 5, 4]);
  // y = x W + b, checked by hand for one row.
  const x = np.array([[1, -2, 0.5]]);
  const w = layer.weight.toArray() as number[][];
  const y = layer.call(x).toArray() as number[][];
  for (let j = 0; j < 4; j++) close(y[0][j], w[0][j] - 2 * w[1][j] + 0.5 * w[2][j], 1e-14, `y[0][${j}]`);
  assert.equal(Dense, Linear);
});

test("Linear honours bias, init and dtype options", () => {
  const noBias = new Linear(key, 3, 2, { bias: false });
  assert.equal(noBias.bias, null);
  assert.equal(noBias.parameters().length, 1);
  const zeros = new Linear(key, 3, 2, { init: "zeros" });
  assert.deepEqual(zeros.weight.toArray(), [[0, 0], [0, 0], [0, 0]]);
  const f32 = new Linear(key, 3, 2, { dtype: "float32" });
  assert.equal(f32.weight.dtype, "float32");
  assert.equal(f32.bias!.dtype, "float32");
  assert.equal(f32.call(np.ones([4, 3], { dtype: "float32" })).dtype, "float32");
  // Different keys give different weights; the same key the same weights.
  assert.notDeepEqual(new Linear(random.key(1), 3, 2).weight.toArray(), new Linear(random.key(2), 3, 2).weight.toArray());
  assert.deepEqual(new Linear(key, 3, 2).weight.toArray(), new Linear(key, 3, 2).weight.toArray());
});

test("Linear reports a mismatched input width and bad sizes", () => {
  const layer = new Linear(key, 3, 4);
  assert.throws(() => layer.call(np.ones([2, 5])), /nn\.Linear: input of shape \[2, 5\] must end in inFeatures = 3/);
  assert.throws(() => new Linear(key, 0, 4), /inFeatures must be a positive integer/);
  assert.throws(() => new Linear(key, 3, 4, { init: "nope" as never }), /unknown init "nope"/);
});

test("MLP has one Linear per consecutive pair of sizes and the requested output shape and dtype", () => {
  const mlp = new MLP(key, [64, 128, 128, 1], { activation: "silu" });
  assert.equal(mlp.layers.length, 3);
  assert.deepEqual(mlp.layers.map((l) => l.weight.shape), [[64, 128], [128, 128], [128, 1]]);
  assert.equal(mlp.numParameters(), 64 * 128 + 128 + 128 * 128 + 128 + 128 + 1);
  const y = mlp.call(random.normal(random.key(3), [7, 64]));
  assert.deepEqual(y.shape, [7, 1]);
  assert.equal(y.dtype, "float64");
  const m32 = new MLP(key, [2, 8, 3], { activation: "tanh", dtype: "float32" });
  assert.equal(m32.call(np.ones([5, 2], { dtype: "float32" })).dtype, "float32");
  assert.throws(() => new MLP(key, [3], {}), /sizes must list/);
  assert.throws(() => new MLP(key, [3, 2], { activation: "swishy" as never }), /unknown activation "swishy"/);
});

test("MLP applies the activation between layers and finalActivation after the last", () => {
  const mlp = new MLP(key, [2, 5, 3], { activation: "tanh", finalActivation: "sigmoid" });
  const x = np.array([[0.3, -1.2], [2, 0.1]]);
  const [l0, l1] = mlp.layers;
  const expected = np.tanh(l1.call(np.tanh(l0.call(x))).mul(0.5)).add(1).mul(0.5); // sigmoid = (1 + tanh(x/2))/2
  const h = l1.call(np.tanh(l0.call(x)));
  const sig = h.neg().exp().add(1).pow(-1);
  assert.deepEqual(mlp.call(x).shape, [2, 3]);
  const got = mlp.call(x).data();
  const want = sig.data();
  expected.data().forEach((v, i) => close(v, want[i], 1e-14, "sigmoid identity"));
  got.forEach((v, i) => close(v, want[i], 1e-14, `mlp[${i}]`));
});

test("Embedding gathers rows of its table for int32 indices of any shape", () => {
  const emb = new Embedding(key, 10, 4);
  assert.deepEqual(emb.weight.shape, [10, 4]);
  const idx = np.array([[1, 3], [3, 9]], { dtype: "int32" });
  const out = emb.call(idx);
  assert.deepEqual(out.shape, [2, 2, 4]);
  const table = emb.weight.toArray() as number[][];
  assert.deepEqual((out.toArray() as number[][][])[1][1], table[9]);
  assert.deepEqual((emb.call([0, 2]).toArray() as number[][])[1], table[2]);
  assert.throws(() => emb.call(np.array([1.5])), /indices must have dtype int32/);
});

test("LayerNorm normalises the last axis to zero mean and unit variance", () => {
  const ln = new LayerNorm(4, { eps: 0 });
  const x = np.array([[1, 2, 3, 4], [10, -10, 5, 0]]);
  const y = ln.call(x);
  const rows = y.toArray() as number[][];
  for (const r of rows) {
    const mean = r.reduce((a, b) => a + b) / 4;
    const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
    close(mean, 0, 1e-14, "mean");
    close(variance, 1, 1e-12, "variance");
  }
  // [1, 2, 3, 4]: mean 2.5, variance 1.25.
  close(rows[0][0], -1.5 / Math.sqrt(1.25), 1e-14, "y[0][0]");
  assert.equal(new LayerNorm(4, { elementwiseAffine: false }).parameters().length, 0);
  assert.throws(() => ln.call(np.ones([3])), /must end in dim = 4/);
});

test("Sequential runs modules in order and accepts activation names", () => {
  const [k1, k2] = random.split(key);
  const a = new Linear(k1, 3, 8), b = new Linear(k2, 8, 2);
  const seq = new Sequential([a, "silu", b]);
  assert.ok(seq.layers[1] instanceof Activation);
  const x = random.normal(random.key(5), [4, 3]);
  const h = a.call(x);
  const want = b.call(h.mul(np.tanh(h.mul(0.5)).add(1).mul(0.5)));
  const got = seq.call(x) as Tensor;
  got.data().forEach((v, i) => close(v, want.data()[i], 1e-14, `seq[${i}]`));
  assert.throws(() => new Sequential([a, ((x: Tensor) => x) as never]), /layer 1 is a function/);
});

test("user-defined modules are pytrees with no registration; functions in fields are rejected", () => {
  class Scaled extends Module {
    readonly factor: number;
    readonly inner: Linear;
    constructor(k: Tensor) { super(); this.factor = 2; this.inner = new Linear(k, 2, 2); }
    call(x: Tensor): Tensor { return this.inner.call(x).mul(this.factor); }
  }
  const m = new Scaled(key);
  assert.equal(tree.leaves(m).length, 2);
  assert.match(tree.structure(m).toString(), /^Scaled<.*"factor":2.*>\(Linear</);
  class Bad extends Module {
    readonly act = (x: Tensor) => x;
    call(x: Tensor): Tensor { return this.act(x); }
  }
  assert.throws(() => tree.leaves(new Bad()), /field "act" of Bad holds a function/);
});

test("toString shows static fields and parameter shapes", () => {
  const s = new MLP(key, [2, 3, 1], { activation: "tanh" }).toString();
  assert.match(s, /^MLP\(activation="tanh", finalActivation="identity", sizes=\[2,3,1\]\)/);
  assert.match(s, /layers\[0\]: Linear\(dtype="float64", inFeatures=2, outFeatures=3, bias: float64\[3\], weight: float64\[2, 3\]\)/);
});
