import { test } from "node:test";
import assert from "node:assert/strict";
import { tour } from "../../examples/tour.js";
import { Tensor } from "../../src/index.js";

const close = (a: Tensor, b: Tensor | number[], tol = 1e-12) => {
  const x = a.data(), y = b instanceof Tensor ? b.data() : b;
  assert.equal(x.length, y.length);
  x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) <= tol * (1 + Math.abs(y[i])), `${v} vs ${y[i]}`));
};

test("the README tour runs and its numbers agree with each other", () => {
  const r = tour(() => {});
  close(r.y as Tensor, [2 * (Math.sin(1) + Math.sin(2) + Math.sin(3) + Math.sin(4))]);
  close(r.dW as Tensor, r.dW2 as Tensor);
  close(r.fast as Tensor, r.dW as Tensor);
  close(r.d2 as Tensor, [-Math.sin(0.3)]);
  close(r.tangent as Tensor, r.out as Tensor);
  close(r.ct as Tensor, (r.value as Tensor).square().neg().add(1));
  close(r.H as Tensor, [12, 0, 0, 0, 48, 0, 0, 0, 108]);
  close(r.evals as Tensor, [1, 1, 1]);
  // per-example gradients average to the full-batch gradient
  close((r.perExample as Tensor).mean(0), r.dW as Tensor, 1e-10);
  assert.match(r.ir as string, /dotGeneral/);
  assert.match(r.ir as string, /reduceSum/);
});
