import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jit, Tensor } from "../../src/index.js";
import * as optim from "../../src/optim/index.js";

function values(s: optim.Schedule, steps: number[]): number[] {
  return steps.map((k) => s(k).item());
}

function closeAll(got: number[], want: number[], what: string): void {
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-15 * Math.max(1, Math.abs(want[i])), `${what} at index ${i}: ${v} vs ${want[i]}`));
}

test("constant and linearSchedule", () => {
  closeAll(values(optim.constant(0.3), [0, 10, 1e6]), [0.3, 0.3, 0.3], "constant");
  const lin = optim.linearSchedule({ initValue: 1, endValue: 0.2, transitionSteps: 4, transitionBegin: 2 });
  closeAll(values(lin, [0, 2, 3, 4, 6, 100]), [1, 1, 0.8, 0.6, 0.2, 0.2], "linear");
});

test("exponentialDecay: smooth, staircase, delayed and floored", () => {
  const smooth = optim.exponentialDecay({ initValue: 1, transitionSteps: 10, decayRate: 0.5 });
  closeAll(values(smooth, [0, 5, 10, 20]), [1, Math.SQRT1_2, 0.5, 0.25], "smooth");
  const stairs = optim.exponentialDecay({ initValue: 2, transitionSteps: 10, decayRate: 0.1, staircase: true });
  closeAll(values(stairs, [0, 9, 10, 19, 20]), [2, 2, 0.2, 0.2, 0.02], "staircase");
  const delayed = optim.exponentialDecay({ initValue: 1, transitionSteps: 1, decayRate: 0.5, transitionBegin: 3, endValue: 0.2 });
  closeAll(values(delayed, [0, 3, 4, 5, 6, 50]), [1, 1, 0.5, 0.25, 0.2, 0.2], "delayed + floor");
});

test("cosineDecay follows ½(1 + cos(πt/T)) down to alpha·initValue", () => {
  const cos = optim.cosineDecay({ initValue: 2, decaySteps: 100 });
  closeAll(values(cos, [0, 50, 100, 150]), [2, 1, 0, 0], "cosine");
  closeAll(values(cos, [25]), [2 * 0.5 * (1 + Math.cos(Math.PI / 4))], "cosine(25)");
  const floored = optim.cosineDecay({ initValue: 1, decaySteps: 10, alpha: 0.1 });
  closeAll(values(floored, [0, 5, 10, 20]), [1, 0.55, 0.1, 0.1], "alpha");
});

test("warmupCosine rises linearly to the peak, then decays by cosine to endValue at decaySteps", () => {
  const s = optim.warmupCosine({ initValue: 0, peakValue: 1, warmupSteps: 10, decaySteps: 110, endValue: 0.1 });
  closeAll(values(s, [0, 5, 10, 60, 110, 200]), [0, 0.5, 1, 0.1 + 0.9 * 0.5, 0.1, 0.1], "warmupCosine");
  assert.equal(optim.warmupCosineDecay, optim.warmupCosine);
  assert.throws(() => optim.warmupCosine({ peakValue: 1, warmupSteps: 10, decaySteps: 5 }), /counts the warmup too/);
});

test("schedules accept a traced int32 count inside jit", () => {
  const s = optim.warmupCosine({ peakValue: 1e-3, warmupSteps: 5, decaySteps: 50 });
  const f = jit((c: Tensor) => s(c));
  for (const k of [0, 3, 5, 20, 50]) assert.ok(Math.abs(f(np.array(k, { dtype: "int32" })).item() - s(k).item()) < 1e-18);
  assert.equal(f.traceCount, 1);
});
