import { test } from "node:test";
import assert from "node:assert/strict";
import { np, valueAndGrad, jit, random, Tensor } from "../../src/index.js";
import { MLP, losses } from "../../src/nn/index.js";
import * as optim from "../../src/optim/index.js";

test("an MLP trained with adam fits sin(x) on [−π, π]", () => {
  const [kModel] = random.split(random.key(0));
  const x = np.linspace(-Math.PI, Math.PI, 64).reshape([64, 1]);
  const y = np.sin(x);
  const loss = (m: MLP) => losses.mse(m.call(x), y);
  const opt = optim.adam({ learningRate: 1e-2 });
  const step = jit((m: MLP, s: unknown[]) => {
    const [value, grads] = valueAndGrad(loss)(m);
    const [updates, next] = opt.update(grads, s, m);
    return [optim.applyUpdates(m, updates), next, value] as [MLP, unknown[], Tensor];
  });
  let model = new MLP(kModel, [1, 32, 32, 1], { activation: "tanh" });
  let state = opt.init(model);
  const initial = loss(model).item();
  let value = np.asarray(initial);
  const t0 = performance.now();
  for (let i = 0; i < 1500; i++) [model, state, value] = step(model, state);
  const seconds = (performance.now() - t0) / 1000;
  const final = loss(model).item();
  assert.ok(final < 1e-3, `final loss ${final} (initial ${initial})`);
  assert.ok(final < initial / 100);
  assert.equal(step.traceCount, 1);
  assert.ok(seconds < 10, `1500 steps took ${seconds.toFixed(1)} s`);
  void value;
});
