import { test } from "node:test";
import assert from "node:assert/strict";
import { np, grad, valueAndGrad, jit, random, tree, Tensor } from "../../src/index.js";
import { MLP, Linear, Embedding, LayerNorm, Sequential, Module, losses } from "../../src/nn/index.js";
import * as optim from "../../src/optim/index.js";

const key = random.key(7);
const [kx, km] = random.split(key);
const batch = { x: random.normal(kx, [16, 3]), y: np.sin(random.normal(kx, [16, 3]).sum(1, { keepdims: true })) };
const loss = (model: MLP, b: { x: Tensor; y: Tensor }) => losses.mse(model.call(b.x), b.y);

function maxDiff(a: unknown, b: unknown): number {
  const la = tree.leaves(a) as Tensor[], lb = tree.leaves(b) as Tensor[];
  assert.equal(la.length, lb.length);
  let m = 0;
  la.forEach((t, i) => { const d = lb[i].data(); t.data().forEach((v, j) => { m = Math.max(m, Math.abs(v - d[j])); }); });
  return m;
}

test("a model flattens to its parameters and unflattens to an equal model of the same class", () => {
  const model = new MLP(km, [3, 8, 8, 1], { activation: "silu", finalActivation: "tanh" });
  const [leaves, def] = tree.flatten(model);
  assert.equal(leaves.length, 6);
  assert.ok(leaves.every((l) => l instanceof Tensor));
  const rebuilt = def.unflatten<MLP>(leaves);
  assert.ok(rebuilt instanceof MLP && rebuilt.layers[0] instanceof Linear);
  assert.equal(rebuilt.activation, "silu");
  assert.equal(rebuilt.finalActivation, "tanh");
  assert.deepEqual(rebuilt.sizes, [3, 8, 8, 1]);
  assert.ok(tree.structure(rebuilt).equals(def));
  assert.deepEqual(rebuilt.call(batch.x).toArray(), model.call(batch.x).toArray());
  // Static fields are structure: another width or activation is another tree.
  assert.ok(!tree.structure(new MLP(km, [3, 8, 8, 1], { activation: "relu" })).equals(def));
  // Mapping to numbers keeps the structure (numbers stay children, not static data).
  const sizes = tree.map((p: Tensor) => p.size, model);
  assert.deepEqual(tree.leaves(sizes), [8, 24, 8, 64, 1, 8]);
  assert.ok(tree.structure(sizes).equals(def));
  // Layers without some parameters (bias: false, no affine) round-trip too.
  const seq = new Sequential([new Linear(km, 3, 4, { bias: false }), "relu", new LayerNorm(4, { elementwiseAffine: false }), new Embedding(km, 5, 2)]);
  const [sl, sd] = tree.flatten(seq);
  assert.equal(sl.length, 2);
  assert.ok(tree.structure(sd.unflatten(sl)).equals(sd));
});

test("grad of a loss with respect to a model is a model-shaped gradient; tree.map applies it", () => {
  const model = new MLP(km, [3, 8, 1], { activation: "tanh" });
  const g = grad(loss)(model, batch) as unknown as MLP;
  assert.ok(g instanceof MLP);
  assert.ok(tree.structure(g).equals(tree.structure(model)));
  assert.deepEqual(g.layers[0].weight.shape, [3, 8]);
  assert.deepEqual(g.layers[1].bias!.shape, [1]);
  const stepped = tree.map((p: Tensor, d: Tensor) => p.sub(d.mul(0.05)), model, g);
  assert.ok(stepped instanceof MLP);
  assert.ok(loss(stepped, batch).item() < loss(model, batch).item());
});

test("the gradient of a small MLP loss matches central finite differences", () => {
  for (const activation of ["tanh", "silu", "gelu", "softplus", "shiftedSoftplus", "sigmoid"] as const) {
    const model = new MLP(km, [3, 5, 4, 1], { activation });
    const g = grad(loss)(model, batch);
    const gLeaves = tree.leaves(g) as Tensor[];
    const [leaves, def] = tree.flatten(model);
    const h = 1e-6;
    leaves.forEach((p, li) => {
      const t = p as Tensor;
      const base = t.data();
      for (const j of [0, base.length - 1, Math.floor(base.length / 2)]) {
        const shifted = (delta: number) => {
          const d = Float64Array.from(base); d[j] += delta;
          const ls = leaves.slice(); ls[li] = np.array(Array.from(d)).reshape(t.shape);
          return loss(def.unflatten<MLP>(ls), batch).item();
        };
        const fd = (shifted(h) - shifted(-h)) / (2 * h);
        const ad = gLeaves[li].data()[j];
        assert.ok(Math.abs(fd - ad) <= 1e-7 + 1e-6 * Math.abs(fd), `${activation} leaf ${li}[${j}]: AD ${ad} vs FD ${fd}`);
      }
    });
  }
});

test("jit(valueAndGrad(loss)) equals eager and traces once across steps", () => {
  let model = new MLP(km, [3, 16, 1], { activation: "gelu" });
  const f = jit(valueAndGrad(loss));
  for (let i = 0; i < 4; i++) {
    const [lj, gj] = f(model, batch);
    const [le, ge] = valueAndGrad(loss)(model, batch);
    assert.ok(Math.abs(lj.item() - le.item()) < 1e-12);
    assert.ok(maxDiff(gj, ge) < 1e-12);
    assert.ok(gj instanceof MLP);
    model = tree.map((p: Tensor, d: Tensor) => p.sub(d.mul(0.1)), model, gj);
  }
  assert.equal(f.traceCount, 1);
});

test("a jitted train step (value, grads, adam update, apply) equals eager and never retraces", () => {
  const opt = optim.chain(optim.clipByGlobalNorm(1), optim.adamw({ learningRate: optim.cosineDecay({ initValue: 1e-2, decaySteps: 10 }), weightDecay: 1e-3 }));
  const step = (model: MLP, state: unknown[], b: { x: Tensor; y: Tensor }): [MLP, unknown[], Tensor] => {
    const [value, grads] = valueAndGrad(loss)(model, b);
    const [updates, next] = opt.update(grads, state, model);
    return [optim.applyUpdates(model, updates), next, value];
  };
  const jitted = jit(step);
  const start = new MLP(km, [3, 16, 16, 1], { activation: "silu" });
  let [me, se] = [start, opt.init(start)];
  let [mj, sj] = [start, opt.init(start)];
  const lossesSeen: number[] = [];
  for (let i = 0; i < 5; i++) {
    let le: Tensor, lj: Tensor;
    [me, se, le] = step(me, se, batch);
    [mj, sj, lj] = jitted(mj, sj, batch);
    assert.ok(Math.abs(le.item() - lj.item()) < 1e-12, `step ${i} loss`);
    lossesSeen.push(lj.item());
  }
  assert.ok(mj instanceof MLP);
  assert.ok(maxDiff(me, mj) < 1e-12, "parameters after 5 steps");
  assert.ok(maxDiff(se, sj) < 1e-12, "optimizer state after 5 steps");
  assert.equal(jitted.traceCount, 1);
  assert.ok(lossesSeen[4] < lossesSeen[0]);
});

test("a float32 model stays float32 through a jitted adam step", () => {
  const model = new MLP(km, [3, 8, 1], { activation: "tanh", dtype: "float32" });
  const b32 = { x: batch.x.astype("float32"), y: batch.y.astype("float32") };
  const opt = optim.adam({ learningRate: optim.exponentialDecay({ initValue: 1e-2, transitionSteps: 5, decayRate: 0.5 }) });
  const step = jit((m: MLP, s: unknown[]) => {
    const [, g] = valueAndGrad(loss)(m, b32);
    const [u, s2] = opt.update(g, s, m);
    return [optim.applyUpdates(m, u), s2] as [MLP, unknown[]];
  });
  let m = model, s = opt.init(model);
  for (let i = 0; i < 3; i++) [m, s] = step(m, s);
  assert.ok(m.parameters().every((p) => p.dtype === "float32"));
  assert.equal(step.traceCount, 1);
});

test("static fields are part of jit's cache key", () => {
  const f = jit((m: Module, x: Tensor) => m.call(x) as Tensor);
  const x = np.ones([2, 3]);
  const a = new MLP(km, [3, 4, 1], { activation: "tanh" });
  const b = new MLP(km, [3, 4, 1], { activation: "relu" });
  assert.deepEqual(f(a, x).toArray(), a.call(x).toArray());
  assert.deepEqual(f(b, x).toArray(), b.call(x).toArray());
  assert.equal(f.traceCount, 2);
  f(tree.map((p: Tensor) => p.mul(2), a), x);
  assert.equal(f.traceCount, 2);
});
