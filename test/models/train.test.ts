// Training: the loss falls on a tiny synthetic dataset; the jitted step equals the eager one;
// early stopping; checkpoint + resume equals an uninterrupted run; the per-epoch callback.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, random, Tensor } from "../../src/index.js";
import * as optim from "../../src/optim/index.js";
import { SchNet, PaiNN, train, makeTrainStep, batchArrays, energyForceLoss, fitNormalization, evaluate } from "../../src/models/index.js";
import type { Checkpointer, GraphBatch } from "../../src/models/index.js";
import { collateFrames, rng, randomCluster, morseLabel, maxAbsDiff } from "./graphs.js";

const CUTOFF = 4.0;
const rand = rng(21);
const frames = Array.from({ length: 12 }, (_, i) => morseLabel(randomCluster(rand, 5 + (i % 2), 3.2, [1, 6], 1.1)));
// Four batches of three molecules (two distinct shapes → two traces of the step).
const batches: GraphBatch[] = [0, 1, 2, 3].map((k) => collateFrames(frames.slice(3 * k, 3 * k + 3), CUTOFF));
const trainSet = batches.slice(0, 3), valSet = batches.slice(3);
const small = () => fitNormalization(new SchNet(random.key(3), { nInteractions: 2, nFeatures: 16, nGaussians: 10, cutoff: CUTOFF, maxZ: 10 }), trainSet);

test("fitNormalization recovers per-element reference energies from compositions", () => {
  const m = small();
  // The Morse labels add −1 eV per atom to the pair energy; the fitted references absorb it.
  assert.ok(m.atomrefs![1] < 0 && m.atomrefs![6] < 0);
  assert.ok(m.stddev > 0);
});

test("SchNet: energy + force training (grad of grad, jitted) lowers the loss; callback and history", () => {
  const model = small();
  const initial = evaluate(model, valSet, { energyWeight: 1, forceWeight: 1 });
  const seen: number[] = [];
  const t0 = performance.now();
  const res = train(model, {
    train: trainSet, val: valSet, epochs: 25, energyWeight: 1, forceWeight: 1,
    optimizer: optim.adam({ learningRate: 3e-3 }), shuffleKey: random.key(0),
    onEpoch: (info) => { seen.push(info.epoch); },
  });
  const seconds = (performance.now() - t0) / 1000;
  assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => i + 1));
  assert.equal(res.history.length, 25);
  const first = res.history[0].trainLoss, last = res.history.at(-1)!.trainLoss;
  assert.ok(last < first / 3, `train loss ${first} → ${last}`);
  assert.ok(res.bestLoss < initial.loss / 2, `val loss ${initial.loss} → ${res.bestLoss}`);
  assert.ok(res.history.at(-1)!.val.forceMae < initial.forceMae, "force MAE falls");
  assert.ok(Number.isFinite(res.history.at(-1)!.val.energyMaePerAtom));
  assert.ok(seconds < 30, `training took ${seconds.toFixed(1)} s`);
});

test("PaiNN trains too (loss falls over a few epochs)", () => {
  const model = fitNormalization(new PaiNN(random.key(4), { nInteractions: 1, nFeatures: 8, nRbf: 6, cutoff: CUTOFF, maxZ: 10 }), trainSet);
  const res = train(model, { train: trainSet, epochs: 8, optimizer: optim.adam({ learningRate: 5e-3 }) });
  assert.ok(res.history.at(-1)!.trainLoss < res.history[0].trainLoss, `${res.history[0].trainLoss} → ${res.history.at(-1)!.trainLoss}`);
});

test("the jitted train step equals the eager one (3 steps, 1e-10) and traces once per shape", () => {
  const opt = optim.adam({ learningRate: 1e-2 });
  const jitted = makeTrainStep<SchNet>(opt, { forceWeight: 2 }) as ReturnType<typeof makeTrainStep<SchNet>> & { traceCount: number };
  const eager = makeTrainStep<SchNet>(opt, { forceWeight: 2 }, { jit: false });
  let mj = small(), me = small();
  let sj: unknown = opt.init(mj), se: unknown = opt.init(me);
  const a = batchArrays(trainSet[0]);
  for (let i = 0; i < 3; i++) {
    let lj: Tensor, le: Tensor;
    [mj, sj, lj] = jitted(mj, sj, a);
    [me, se, le] = eager(me, se, a);
    assert.ok(Math.abs(lj.item() - le.item()) <= 1e-10 * Math.abs(le.item()), `step ${i} loss ${lj.item()} vs ${le.item()}`);
  }
  const pj = mj.parameters(), pe = me.parameters();
  for (let i = 0; i < pj.length; i++) {
    const scale = Math.max(1, ...Array.from(pe[i].data()).map(Math.abs));
    assert.ok(maxAbsDiff(pj[i], pe[i]) < 1e-10 * scale, `parameter ${i}`);
  }
  assert.equal(jitted.traceCount, 1);
  // The loss is the documented formula.
  const l = energyForceLoss(me, trainSet[1], { energyWeight: 0.5, forceWeight: 2 }).item();
  assert.ok(Number.isFinite(l));
});

test("early stopping stops after `patience` epochs without improvement", () => {
  const res = train(small(), { train: trainSet, val: valSet, epochs: 50, earlyStoppingPatience: 2, optimizer: optim.sgd({ learningRate: 0 }) });
  assert.equal(res.stopReason, "earlyStopping");
  assert.equal(res.bestEpoch, 1);
  assert.equal(res.history.length, 3);
});

test("the callback can stop training", () => {
  const res = train(small(), { train: trainSet, epochs: 10, onEpoch: (i) => i.epoch < 2 });
  assert.equal(res.stopReason, "callback");
  assert.equal(res.history.length, 2);
});

test("checkpoint + resume continues exactly where an uninterrupted run would be", () => {
  const store = new Map<string, { tensors: Record<string, Tensor>; metadata: Record<string, string> }>();
  const memory: Checkpointer = {
    save: (p, tensors, metadata) => { store.set(p, { tensors: Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, np.array(Array.from(t.data()), { dtype: t.dtype }).reshape(t.shape)])), metadata: { ...metadata } }); },
    load: (p) => store.get(p) ?? null,
  };
  const opts = { train: trainSet, val: valSet, optimizer: optim.adam({ learningRate: 3e-3 }), shuffleKey: random.key(5) };
  const straight = train(small(), { ...opts, epochs: 4 });
  const part = train(small(), { ...opts, epochs: 2, checkpointPath: "ck", checkpointer: memory });
  assert.equal(part.history.length, 2);
  assert.ok(store.get("ck")!.tensors["model/embedding.weight"] !== undefined || Object.keys(store.get("ck")!.tensors).some((k) => k.startsWith("model/")));
  const resumed = train(small(), { ...opts, epochs: 4, checkpointPath: "ck", checkpointer: memory, resume: true });
  assert.equal(resumed.history.length, 4);
  assert.deepEqual(resumed.history.map((h) => h.epoch), [1, 2, 3, 4]);
  const a = straight.last.parameters(), b = resumed.last.parameters();
  for (let i = 0; i < a.length; i++) assert.ok(maxAbsDiff(a[i], b[i]) < 1e-12, `parameter ${i}`);
  assert.ok(Math.abs(straight.history[3].val.loss - resumed.history[3].val.loss) < 1e-12);
});
