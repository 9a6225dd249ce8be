// Gathers and scatter-adds indexed by a captured int32 constant (a neighbour list closed over by
// the jitted function) skip the per-element wrap and bounds check when the compiler's one scan of
// the constant finds every entry in range; anything else keeps the checks and eager's semantics.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jit, valueAndGrad, Tensor } from "../../../src/index.js";
import { assertClose, flat } from "../../helpers/check-grads.js";

const x = np.array(Array.from({ length: 15 }, (_, k) => Math.sin(k + 1) * 1.3)).reshape([5, 3]);
const pairEnergy = (i: Tensor, j: Tensor) => (x: Tensor): Tensor => {
  const d = np.take(x, i, 0).sub(np.take(x, j, 0));
  const r2 = np.sum(d.mul(d), -1).add(0.5);
  return np.sum(r2.pow(-6).sub(r2.pow(-3)));
};

test("captured in-range index constants: no bounds checks in the kernels, same values and gradient as eager", () => {
  const i = np.array([0, 0, 1, 2, 3, 4, 1], { dtype: "int32" }), j = np.array([1, 2, 3, 4, 4, 0, 2], { dtype: "int32" });
  const f = valueAndGrad(pairEnergy(i, j));
  const jf = jit(f);
  const low = jf.lower(x);
  assert.ok(low.kernels.length >= 1);
  for (const src of low.kernels) assert.ok(!src.includes("indexError"), `a bounds check is left in\n${src}`);
  const [e, g] = jf(x) as [Tensor, Tensor];
  const [e0, g0] = f(x) as [Tensor, Tensor];
  assertClose([e.item()], [e0.item()], { rtol: 1e-12, atol: 0 }, "energy");
  assertClose(flat([g]), flat([g0]), { rtol: 1e-12, atol: 1e-12 }, "gradient");
});

test("the same indices passed as arguments are still checked (their values are unknown at compile time)", () => {
  const i = np.array([0, 0, 1, 2], { dtype: "int32" }), j = np.array([1, 2, 3, 4], { dtype: "int32" });
  const low = jit((x: Tensor, i: Tensor, j: Tensor) => valueAndGrad(pairEnergy(i, j))(x)).lower(x, i, j);
  assert.ok(low.kernels.some((src) => src.includes("indexError")), low.text);
});

test("captured negative indices keep the wrap (NumPy's -1 = last) and agree with eager", () => {
  const i = np.array([-1, 0, -5, 2], { dtype: "int32" }), j = np.array([1, -2, 3, 4], { dtype: "int32" });
  const f = valueAndGrad(pairEnergy(i, j));
  const jf = jit(f);
  assert.ok(jf.lower(x).kernels.some((src) => src.includes("indexError")), "negative entries keep the wrap and check");
  const [e, g] = jf(x) as [Tensor, Tensor];
  const [e0, g0] = f(x) as [Tensor, Tensor];
  assertClose([e.item()], [e0.item()], { rtol: 1e-12, atol: 0 }, "energy");
  assertClose(flat([g]), flat([g0]), { rtol: 1e-12, atol: 1e-12 }, "gradient");
});

test("a captured out-of-range index still raises the gather's index error under jit", () => {
  const i = np.array([0, 1], { dtype: "int32" }), j = np.array([2, 5], { dtype: "int32" });
  const jf = jit(pairEnergy(i, j));
  assert.throws(() => jf(x), /index 5 .*out of|out of .*5|5.* out of/i);
});
