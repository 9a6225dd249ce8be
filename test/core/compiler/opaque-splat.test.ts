// A large constant made without the traced input (np.onesLike, np.fullLike, a broadcast scalar) is
// staged as a splat and reaches steps that run their eager kernel (concatenate, stack, sort, linalg)
// as a literal. Those kernels must see the operand's full shape: a scalar there once gave
// concatenate zeros and shifted rows under jit for any constant of more than 4096 elements.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jit, grad, Tensor } from "../../../src/index.js";

const n = 5000; // above the 4096-element threshold at which jit stages broadcast constants
const x = np.linspace(-1, 1, n);

const cases: [string, (x: Tensor) => Tensor][] = [
  ["concatenate with np.onesLike", (x) => np.concatenate([np.onesLike(x), x])],
  ["stack with np.fullLike", (x) => np.stack([np.fullLike(x, 3), x.mul(2)], -1)],
  ["concatenate of [n, 1] columns", (x) => np.concatenate([np.fullLike(x, -2).reshape([n, 1]), x.reshape([n, 1])], -1)],
  ["complex splat beside traced values", (x) => np.real(np.concatenate([np.complex(np.onesLike(x), np.zerosLike(x)), np.complex(x, x)]))],
];

for (const [name, f] of cases) {
  test(`jit ≡ eager when a staged splat constant meets an opaque step: ${name}`, () => {
    assert.deepEqual(Array.from(jit(f)(x).data()), Array.from(f(x).data()));
  });
}

test("gradients through a stacked splat constant agree under jit", () => {
  const loss = (x: Tensor) => np.stack([np.onesLike(x), x.mul(x)], -1).mul(np.stack([x, np.fullLike(x, 0.5)], -1)).sum();
  const g = grad(loss)(x).data(), gj = jit(grad(loss))(x).data();
  for (let i = 0; i < n; i++) assert.ok(Math.abs(g[i] - gj[i]) <= 1e-12 * (1 + Math.abs(g[i])), `element ${i}: ${gj[i]} vs ${g[i]}`);
});
