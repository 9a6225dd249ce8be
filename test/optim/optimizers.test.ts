import { test } from "node:test";
import assert from "node:assert/strict";
import { np, grad, valueAndGrad, jit, tree, Tensor } from "../../src/index.js";
import * as optim from "../../src/optim/index.js";
import { adamRef, sgdRef, Vec } from "./reference.js";

// A quadratic with different curvatures per coordinate: L(p) = ½ Σ aᵢ pᵢ², ∇L = a ⊙ p.
const curvature = [1, 4, 0.25, 2];
const quadratic = (p: { w: Tensor; b: Tensor }) => np.sum(p.w.square().mul(np.array(curvature.slice(0, 3)))).mul(0.5).add(p.b.square().mul(curvature[3] * 0.5));
const start = () => ({ w: np.array([1, -2, 3]), b: np.array(0.5) });
const flatParams = (p: { w: Tensor; b: Tensor }): Vec => [...p.w.data(), p.b.item()];
const gradOf = (p: Vec): Vec => p.map((x, i) => curvature[i] * x);

function closeVec(a: Vec, b: Vec, tol: number, what: string): void {
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${x} vs ${b[i]}`));
}

/** Run `steps` updates of opt on the quadratic and of the reference on the same numbers. */
function compare(opt: optim.GradientTransformation<any>, ref: (p: Vec, g: Vec) => Vec, steps: number, what: string): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  let params = start();
  let state = opt.init(params);
  let expected = flatParams(params);
  for (let k = 0; k < steps; k++) {
    const g = grad(quadratic)(params);
    const [updates, next] = opt.update(g, state, params);
    params = optim.applyUpdates(params, updates);
    state = next;
    expected = ref(expected, gradOf(expected));
    closeVec(flatParams(params), expected, 1e-14, `${what} step ${k + 1}`);
  }
}

test("sgd: p ← p − lr·g, by hand for the first step and against a reference for three", () => {
  const opt = optim.sgd({ learningRate: 0.1 });
  const p = start();
  const [u] = opt.update(grad(quadratic)(p), opt.init(p), p);
  const p1 = optim.applyUpdates(p, u);
  closeVec(flatParams(p1), [1 - 0.1 * 1, -2 + 0.1 * 8, 3 - 0.1 * 0.75, 0.5 - 0.1 * 1], 1e-15, "sgd step 1");
  compare(optim.sgd(0.1), sgdRef(0.1), 3, "sgd");
});

test("sgd with momentum and with Nesterov momentum match the PyTorch/Optax rule", () => {
  // Step 2 by hand for w₀ = 1, a = 1, lr 0.1, μ 0.9: g₁ = 1, b₁ = 1, w₁ = 0.9; g₂ = 0.9,
  // b₂ = 0.9 + 0.9 = 1.8, w₂ = 0.9 − 0.18 = 0.72. Nesterov: w₁ = 1 − 0.1(1 + 0.9) = 0.81.
  const opt = optim.sgd({ learningRate: 0.1, momentum: 0.9 });
  let p = start(), s = opt.init(p);
  for (let k = 0; k < 2; k++) { const [u, s2] = opt.update(grad(quadratic)(p), s, p); p = optim.applyUpdates(p, u); s = s2; }
  assert.ok(Math.abs(p.w.data()[0] - 0.72) < 1e-15);
  const nest = optim.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true });
  const q = start();
  const [u] = nest.update(grad(quadratic)(q), nest.init(q), q);
  assert.ok(Math.abs(optim.applyUpdates(q, u).w.data()[0] - 0.81) < 1e-15);
  compare(optim.sgd({ learningRate: 0.05, momentum: 0.9 }), sgdRef(0.05, 0.9), 3, "momentum");
  compare(optim.sgd({ learningRate: 0.05, momentum: 0.8, nesterov: true }), sgdRef(0.05, 0.8, true), 3, "nesterov");
});

test("adam: bias-corrected first step is −lr·sign(g), later steps match a reference", () => {
  // Step 1: m̂ = g, v̂ = g², so the update is −lr · g / (|g| + eps).
  const opt = optim.adam({ learningRate: 0.1 });
  const p = start();
  const g = grad(quadratic)(p);
  const [u, s] = opt.update(g, opt.init(p), p);
  const gs = [1, -8, 0.75, 1];
  closeVec(flatParams(u as { w: Tensor; b: Tensor }), gs.map((x) => -0.1 * x / (Math.abs(x) + 1e-8)), 1e-15, "adam update 1");
  // Step 2 by hand for w₀ = 1 (a = 1): w₁ = 0.9 + 1e-9 ≈ 0.9, g₂ = w₁.
  // m₂ = 0.9·0.1·1 + 0.1·g₂ = 0.09 + 0.1 g₂, v₂ = 0.999·0.001 + 0.001 g₂², m̂ = m₂/0.19, v̂ = v₂/0.001999.
  const w1 = 1 - 0.1 / (1 + 1e-8);
  const m2 = 0.09 + 0.1 * w1, v2 = 0.999 * 0.001 + 0.001 * w1 * w1;
  const w2 = w1 - 0.1 * (m2 / 0.19) / (Math.sqrt(v2 / (1 - 0.999 ** 2)) + 1e-8);
  const p1 = optim.applyUpdates(p, u);
  const [u2] = opt.update(grad(quadratic)(p1), s, p1);
  assert.ok(Math.abs(optim.applyUpdates(p1, u2).w.data()[0] - w2) < 1e-15);
  compare(optim.adam({ learningRate: 0.1 }), adamRef(0.1), 3, "adam");
  compare(optim.adam({ learningRate: 0.01, b1: 0.5, b2: 0.9, eps: 1e-3 }), adamRef(0.01, 0.5, 0.9, 1e-3), 3, "adam(b1, b2, eps)");
});

test("adamw decays weights decoupled from the adaptive step; the mask limits it", () => {
  compare(optim.adamw({ learningRate: 0.1, weightDecay: 0.05 }), adamRef(0.1, 0.9, 0.999, 1e-8, 0.05), 3, "adamw");
  // Zero gradient: adam's part is 0, so the update is exactly −lr·λ·p.
  const opt = optim.adamw({ learningRate: 0.1, weightDecay: 0.5, mask: (p: unknown) => tree.map((t: Tensor) => t.ndim > 0, p) });
  const p = start();
  const zeroGrad = tree.map((t: Tensor) => np.zerosLike(t), p);
  const [u] = opt.update(zeroGrad, opt.init(p), p);
  closeVec((u as { w: Tensor }).w.toArray() as number[], [-0.05, 0.1, -0.15], 1e-15, "masked decay");
  assert.equal(Math.abs((u as { b: Tensor }).b.item()), 0); // masked out: −lr · 0 (adam of a zero gradient)
  assert.throws(() => opt.update(zeroGrad, opt.init(p)), /needs the parameters/);
});

test("a learning-rate schedule is evaluated at the optimiser's own step count, from 0", () => {
  const schedule = optim.exponentialDecay({ initValue: 0.1, transitionSteps: 1, decayRate: 0.5 });
  compare(optim.adam({ learningRate: schedule }), adamRef((t) => 0.1 * 0.5 ** t), 3, "adam + schedule");
  compare(optim.sgd({ learningRate: schedule }), (() => { let t = 0; return (p: Vec, g: Vec) => { const lr = 0.1 * 0.5 ** t++; return p.map((x, i) => x - lr * g[i]); }; })(), 3, "sgd + schedule");
});

test("optimiser state is a pytree of tensors with an int32 step count", () => {
  const opt = optim.adam(1e-3);
  const s = opt.init(start());
  const leaves = tree.leaves(s);
  assert.ok(leaves.every((l) => l instanceof Tensor));
  const counts = leaves.filter((l) => (l as Tensor).dtype === "int32") as Tensor[];
  assert.equal(counts.length, 2); // adam's count and the learning-rate transform's count
  assert.ok(counts.every((c) => c.ndim === 0 && c.item() === 0));
});

const rosenbrock = (p: Tensor) => {
  const x = p.slice(0), y = p.slice(1);
  return np.square(np.subtract(1, x)).add(np.square(y.sub(x.square())).mul(100));
};

function minimise(f: (p: Tensor) => Tensor, opt: optim.GradientTransformation<any>, p0: Tensor, steps: number): Tensor { // eslint-disable-line @typescript-eslint/no-explicit-any
  const step = jit((p: Tensor, s: unknown) => {
    const [, g] = valueAndGrad(f)(p);
    const [u, s2] = opt.update(g, s, p);
    return [optim.applyUpdates(p, u), s2] as [Tensor, unknown];
  });
  let p = p0, s = opt.init(p0);
  for (let i = 0; i < steps; i++) [p, s] = step(p, s);
  assert.equal(step.traceCount, 1);
  return p;
}

test("adam and sgd with (Nesterov) momentum find the Rosenbrock minimum (1, 1) from (−1.2, 1)", () => {
  const p0 = np.array([-1.2, 1]);
  closeVec(Array.from(minimise(rosenbrock, optim.adam({ learningRate: 0.05 }), p0, 2000).data()), [1, 1], 1e-3, "adam");
  closeVec(Array.from(minimise(rosenbrock, optim.sgd({ learningRate: 5e-4, momentum: 0.9 }), p0, 5000).data()), [1, 1], 1e-4, "momentum");
  closeVec(Array.from(minimise(rosenbrock, optim.sgd({ learningRate: 5e-4, momentum: 0.9, nesterov: true }), p0, 5000).data()), [1, 1], 1e-4, "nesterov");
});

test("adam, adamw and momentum minimise an ill-conditioned quadratic", () => {
  const a = np.array([1, 100]);
  const f = (p: Tensor) => np.sum(a.mul(p.square())).mul(0.5);
  const p0 = np.array([5, -3]);
  for (const [name, opt] of [
    ["adam", optim.adam({ learningRate: optim.cosineDecay({ initValue: 0.1, decaySteps: 1000 }) })],
    ["adamw", optim.adamw({ learningRate: optim.cosineDecay({ initValue: 0.1, decaySteps: 1000 }), weightDecay: 1e-2 })],
    ["momentum", optim.sgd({ learningRate: 0.005, momentum: 0.9 })],
  ] as const) {
    const p = minimise(f, opt, p0, 1000);
    assert.ok(f(p).item() < 1e-8, `${name}: f = ${f(p).item()} at ${p.toArray()}`);
  }
});
