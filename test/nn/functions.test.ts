import { test } from "node:test";
import assert from "node:assert/strict";
import { np, grad, random, Tensor } from "../../src/index.js";
import { activations, init, losses } from "../../src/nn/index.js";

function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

const xs = [-50, -3, -0.5, 0, 0.7, 2, 40];
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const softplusRef = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
// erf(1/√2) = 0.682689492137086 (the probability within one standard deviation).

test("activations match their formulas", () => {
  const x = np.array(xs);
  const cases: [string, (v: number) => number, ReturnType<typeof np.array>][] = [
    ["relu", (v) => Math.max(v, 0), activations.relu(x)],
    ["sigmoid", sig, activations.sigmoid(x)],
    ["silu", (v) => v * sig(v), activations.silu(x)],
    ["tanh", Math.tanh, activations.tanh(x)],
    ["softplus", softplusRef, activations.softplus(x)],
    ["shiftedSoftplus", (v) => softplusRef(v) - Math.LN2, activations.shiftedSoftplus(x)],
    ["geluTanh", (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))), activations.gelu(x, { approximate: true })],
    ["identity", (v) => v, activations.identity(x)],
  ];
  for (const [name, ref, got] of cases) {
    const d = got.data();
    xs.forEach((v, i) => close(d[i], ref(v), 1e-14, `${name}(${v})`));
  }
});

test("gelu is exact (erf) by default and close to its tanh approximation", () => {
  const g = activations.gelu(np.array([1, -1, 0, 6])).data();
  close(g[0], 0.5 * (1 + 0.682689492137086), 1e-14, "gelu(1)");
  close(g[1], -0.5 * (1 - 0.682689492137086), 1e-14, "gelu(-1)");
  assert.equal(g[2], 0);
  close(g[3], 6, 1e-8, "gelu(6)");
  const approx = activations.geluTanh(np.linspace(-4, 4, 33)).data();
  const exact = activations.gelu(np.linspace(-4, 4, 33)).data();
  exact.forEach((v, i) => assert.ok(Math.abs(v - approx[i]) < 1e-3));
});

test("softplus and sigmoid are finite for huge inputs, with the right limits and derivatives", () => {
  const sp = activations.softplus(np.array([1000, -1000])).data();
  assert.equal(sp[0], 1000);
  assert.equal(sp[1], 0);
  assert.deepEqual(Array.from(activations.sigmoid(np.array([1000, -1000])).data()), [1, 0]);
  assert.equal(activations.shiftedSoftplus(np.array(0)).item(), 0);
  // d softplus/dx = sigmoid, also at the kink-free point 0 and far out.
  for (const v of [-30, 0, 0.3, 30]) close(grad((t: Tensor) => activations.softplus(t))(np.array(v)).item(), sig(v), 1e-14, `softplus'(${v})`);
  close(grad((t: Tensor) => activations.silu(t))(np.array(0)).item(), 0.5, 1e-15, "silu'(0)");
});

test("initialisers have the variance their names promise", () => {
  const shape = [100, 200]; // fanIn 100, fanOut 200; 20000 samples: variance within ~3%
  const variance = (t: Tensor) => { const d = t.data(); let s = 0; for (const v of d) s += v * v; return s / d.length; };
  const relClose = (a: number, b: number, what: string) => assert.ok(Math.abs(a / b - 1) < 0.03, `${what}: ${a} vs ${b}`);
  const k = random.key(42);
  relClose(variance(init.lecunNormal(k, shape)), 1 / 100, "lecunNormal");
  relClose(variance(init.lecunUniform(k, shape)), 1 / 100, "lecunUniform");
  relClose(variance(init.heNormal(k, shape)), 2 / 100, "heNormal");
  relClose(variance(init.heUniform(k, shape)), 2 / 100, "heUniform");
  relClose(variance(init.glorotUniform(k, shape)), 2 / 300, "glorotUniform");
  relClose(variance(init.glorotNormal(k, shape)), 2 / 300, "glorotNormal");
  const g = init.glorotUniform(k, shape).data();
  const limit = Math.sqrt(6 / 300);
  assert.ok(g.every((v) => Math.abs(v) <= limit));
  assert.ok(Math.max(...g) > 0.99 * limit);
  assert.ok(init.zeros(k, [3, 2]).data().every((v) => v === 0));
  assert.equal(init.lecunNormal(k, [4, 4], { dtype: "float32" }).dtype, "float32");
  assert.deepEqual(init.fans([3, 3, 16, 32]), [144, 288]);
});

test("losses: mse, mae and huber against hand-computed values", () => {
  const p = np.array([1, 2, 3, 10]);
  const t = np.array([1.5, 2, 1, 0]);
  // differences −0.5, 0, 2, 10
  close(losses.mse(p, t).item(), (0.25 + 0 + 4 + 100) / 4, 1e-15, "mse");
  close(losses.mae(p, t).item(), (0.5 + 0 + 2 + 10) / 4, 1e-15, "mae");
  close(losses.huber(p, t).item(), (0.125 + 0 + 1.5 + 9.5) / 4, 1e-15, "huber δ=1");
  close(losses.huber(p, t, { delta: 3 }).item(), (0.125 + 0 + 2 + 3 * (10 - 1.5)) / 4, 1e-15, "huber δ=3");
  close(losses.mse(p, t, { reduction: "sum" }).item(), 104.25, 1e-15, "mse sum");
  assert.deepEqual(losses.mae(p, t, { reduction: "none" }).toArray(), [0.5, 0, 2, 10]);
  // Huber's gradient is the clipped residual.
  const g = grad((q: Tensor) => losses.huber(q, t, { reduction: "sum" }))(p).toArray();
  assert.deepEqual(g, [-0.5, 0, 1, 1]);
});
