// Train SchNet on the EMT copper data set (bulk, strained, vacancy and (111) slab frames from short
// MD, made by test/fixtures/emt/make-cu-emt.py with ASE's EMT calculator) and report the force
// MAE on held-out frames. Not part of `npm test`.
//
//   npm run example:schnet -- [epochs] [checkpoint path]
//
// The frames are shuffled with a fixed seed and split 80/10/10 into train/val/test; batches of 4
// frames (~120 atoms, ~5k edges at the 5 Å cutoff) are collated once, so each batch's jitted train
// step (energy + force loss, a gradient of a gradient, and Adam) is compiled once in the first
// epoch and reused. Units: Å, eV. Prints one line per epoch, then the test MAEs and wall time.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { random } from "../src/index.js";
import * as optim from "../src/optim/index.js";
import { emtCopperSplit } from "./emt-split.js";
import { saveCheckpoint, loadCheckpoint } from "../src/io/checkpoint.js";
import { SchNet, train, evaluate, fitNormalization } from "../src/models/index.js";
import type { Checkpointer } from "../src/models/index.js";

/** A Checkpointer over diffmol/io's safetensors files (written atomically). */
const files: Checkpointer = {
  save: (path, tensors, metadata) => saveCheckpoint(path, tensors, metadata),
  load: (path) => {
    if (!existsSync(path)) return null;
    const ck = loadCheckpoint(path);
    return { tensors: ck.tree, metadata: ck.metadata };
  },
};

export function main(argv = process.argv.slice(2)): void {
  const epochs = Number(argv[0] ?? 60);
  const checkpointPath = argv[1];
  const cutoff = 5.0;
  const t0 = performance.now();
  const { frames, train: trainFrames, val, test, trainBatches: trainB, valBatches: valB, testBatches: testB } = emtCopperSplit({ cutoff });
  console.log(`${frames.length} frames: ${trainFrames.length} train / ${val.length} val / ${test.length} test; ` +
    `${trainB.length} train batches; edges per batch ≈ ${Math.round(trainB.reduce((s, b) => s + b.senders.size, 0) / trainB.length)}`);

  const model = fitNormalization(new SchNet(random.key(0), { nInteractions: 3, nFeatures: 64, nGaussians: 25, cutoff, maxZ: 30 }), trainB);
  const stepsPerEpoch = trainB.length;
  const schedule = optim.exponentialDecay({ initValue: 2e-3, transitionSteps: stepsPerEpoch, decayRate: Math.pow(0.1, 1 / epochs) });
  const res = train(model, {
    train: trainB, val: valB, epochs, energyWeight: 1, forceWeight: 10,
    optimizer: optim.adam({ learningRate: schedule }), shuffleKey: random.key(1), earlyStoppingPatience: 20,
    checkpointPath, resume: checkpointPath !== undefined, checkpointer: checkpointPath ? files : undefined,
    onEpoch: (i) => console.log(`epoch ${String(i.epoch).padStart(3)}  train loss ${i.trainLoss.toExponential(3)}  ` +
      `val E MAE ${(1000 * i.val.energyMaePerAtom).toFixed(2)} meV/atom  F MAE ${i.val.forceMae.toFixed(4)} eV/Å  (${i.seconds.toFixed(1)} s)`),
  });
  const m = evaluate(res.model, testB, { energyWeight: 1, forceWeight: 10 });
  const wall = (performance.now() - t0) / 1000;
  console.log(`best epoch ${res.bestEpoch} (stopped: ${res.stopReason}); held-out test: energy MAE ${(1000 * m.energyMaePerAtom).toFixed(2)} meV/atom, ` +
    `force MAE ${m.forceMae.toFixed(4)} eV/Å; wall time ${wall.toFixed(0)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
