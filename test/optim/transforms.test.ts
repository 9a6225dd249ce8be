import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jit, tree, Tensor } from "../../src/index.js";
import * as optim from "../../src/optim/index.js";

/** Elementwise closeness of nested arrays (results differ from the decimal literals by rounding). */
function approx(actual: unknown, expected: unknown, tol = 1e-15): void {
  const a = [actual].flat(Infinity) as number[], e = [expected].flat(Infinity) as number[];
  assert.equal(a.length, e.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - e[i]) <= tol, `element ${i}: ${v} vs ${e[i]}`));
}

const ones = () => ({ a: np.array([1, 1]), b: np.array(1) });

test("clipByGlobalNorm scales every leaf by maxNorm / ‖g‖ when the global norm exceeds maxNorm", () => {
  const g = { a: np.array([3, 0]), b: [np.array([[0, 4]])] }; // global norm 5
  assert.equal(optim.globalNorm(g).item(), 5);
  const clip = optim.clipByGlobalNorm(1);
  const [u] = clip.update(g, clip.init(g));
  approx(u.a.toArray(), [0.6, 0]);
  approx(u.b[0].toArray(), [[0, 0.8]]);
  assert.ok(Math.abs(optim.globalNorm(u).item() - 1) < 1e-15);
  // Below the threshold nothing changes (also for an all-zero gradient).
  const [same] = optim.clipByGlobalNorm(10).update(g, {});
  assert.deepEqual(same.a.toArray(), [3, 0]);
  const zero = { a: np.zeros([2]) };
  assert.deepEqual(optim.clipByGlobalNorm(1).update(zero, {})[0].a.toArray(), [0, 0]);
  assert.throws(() => optim.clipByGlobalNorm(0), /maxNorm must be positive/);
});

test("chain applies transforms in order: clip then sgd", () => {
  const opt = optim.chain(optim.clipByGlobalNorm(1), optim.sgd(0.5));
  const g = { a: np.array([3, 4]) };
  const [u] = opt.update(g, opt.init(g));
  approx(u.a.toArray(), [-0.3, -0.4]);
  assert.throws(() => opt.update(g, []), /the state must be the list of 2 states/);
  assert.throws(() => optim.chain({} as never), /argument 0 is not a gradient transformation/);
});

test("applyUpdates keeps each parameter's dtype", () => {
  const params = { w: np.array([1, 2], { dtype: "float32" }) };
  const out = optim.applyUpdates(params, { w: np.array([0.5, 0.5]) });
  assert.equal(out.w.dtype, "float32");
  assert.deepEqual(out.w.toArray(), [1.5, 2.5]);
});

test("reduceOnPlateau multiplies the scale by factor after `patience` updates without improvement", () => {
  const rop = optim.reduceOnPlateau({ factor: 0.5, patience: 2 });
  let s = rop.init(ones());
  const scales: number[] = [];
  const firstLeaf: number[] = [];
  for (const loss of [5, 4, 4, 4.5, 4, 4, 3, 3, 3]) {
    const [u, s2] = rop.update(ones(), s, undefined, { loss });
    s = s2;
    scales.push(s.scale.item());
    firstLeaf.push(u.b.item());
  }
  // 5, 4 improve; 4, 4.5 are two non-improving updates → halve; 4, 4 → halve again; 3 improves; 3, 3 → halve.
  assert.deepEqual(scales, [1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125]);
  assert.deepEqual(firstLeaf, scales);
  assert.equal(s.bestLoss.item(), 3);
  assert.throws(() => rop.update(ones(), s), /needs this step's loss: opt.update\(grads, state, params, \{ loss \}\)/);
});

test("reduceOnPlateau respects cooldown, minScale and rtol", () => {
  const rop = optim.reduceOnPlateau({ factor: 0.1, patience: 1, cooldown: 2, minScale: 0.005 });
  let s = rop.init({});
  const scales: number[] = [];
  for (let i = 0; i < 8; i++) { s = rop.update({}, s, undefined, { loss: 1 })[1]; scales.push(s.scale.item()); }
  // First loss improves on +∞; then reduce, two cooldown updates, reduce, cooldown, cooldown, reduce (floored).
  const expected = [1, 0.1, 0.1, 0.1, 0.1 * 0.1, 0.01, 0.01, 0.005];
  scales.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-15, `update ${i}: ${v} vs ${expected[i]}`));
  // With rtol 0.1 a 5% improvement does not count.
  const strict = optim.reduceOnPlateau({ patience: 1, rtol: 0.1 });
  let t = strict.init({});
  t = strict.update({}, t, undefined, { loss: 1 })[1];
  t = strict.update({}, t, undefined, { loss: 0.95 })[1];
  assert.ok(Math.abs(t.scale.item() - 0.1) < 1e-15);
  assert.equal(t.bestLoss.item(), 1);
});

test("reduceOnPlateau chained after sgd works inside jit with a traced loss", () => {
  const opt = optim.chain(optim.sgd(1), optim.reduceOnPlateau({ factor: 0.5, patience: 2 }));
  const step = jit((p: { a: Tensor; b: Tensor }, s: unknown[], loss: Tensor) => opt.update(ones(), s, p, { loss }));
  const eager = (p: { a: Tensor; b: Tensor }, s: unknown[], loss: Tensor) => opt.update(ones(), s, p, { loss });
  let sj = opt.init(ones()), se = opt.init(ones());
  for (const l of [3, 2, 2, 2, 2, 2]) {
    const [uj, sj2] = step(ones(), sj, np.asarray(l));
    const [ue, se2] = eager(ones(), se, np.asarray(l));
    assert.deepEqual(uj.a.toArray(), ue.a.toArray());
    sj = sj2; se = se2;
  }
  assert.deepEqual(tree.leaves(sj).map((x) => (x as Tensor).item()), tree.leaves(se).map((x) => (x as Tensor).item()));
  assert.equal(step.traceCount, 1);
  const last = step(ones(), sj, np.asarray(2))[0];
  assert.deepEqual(last.a.toArray(), [-0.25, -0.25]);
});
