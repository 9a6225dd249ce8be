// diffmol train: SchNet or PaiNN on an extXYZ data set of energies and forces. The epoch loop is
// the one of diffmol/models' train() (the same jitted step, evaluation and best-model tracking)
// driven batch by batch, so that a progress bar can show
// the live loss and Ctrl-C can stop between two batches and write a checkpoint that --resume
// continues exactly (the batch order of an epoch is a seeded permutation of the epoch number).
// Checkpoint tensors are named by tree path: model…, best…, opt… (safetensors, written atomically).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { random, Tensor } from "../../index.js";
import * as optim from "../../optim/index.js";
import { collate, loadCheckpoint, loadExtxyzDataset, saveCheckpoint, seededPermutation, splitDataset } from "../../io/index.js";
import type { AtomsFrame, ExtxyzFrame, GraphBatch } from "../../io/index.js";
import { batchArrays, energyAndForces, evaluate, fitNormalization, makeEvalStep, makeTrainStep } from "../../models/index.js";
import type { Metrics, Potential } from "../../models/index.js";
import { writeReport } from "../../report/index.js";
import { UsageError, booleanFlag, choiceFlag, helpText, numberFlag, parse, stringFlag } from "../args.js";
import type { FlagSpecs } from "../args.js";
import { INTERRUPTED_EXIT, wasInterrupted, watchInterrupts, yieldToEventLoop } from "../interrupt.js";
import { buildModel, specOf, MODEL_METADATA_KEY } from "../model-spec.js";
import type { Architecture, ModelSpec } from "../model-spec.js";
import { ensureParent, writeCsv, writeJson } from "../output-files.js";
import { Progress } from "../progress.js";

const modelChoices = ["schnet", "painn", "nequip"] as const;

export const trainFlags: FlagSpecs = {
  model: { type: "string", help: `architecture: ${modelChoices.join(", ")} (nequip: the E(3)-equivariant NequIP of diffmol/e3)`, default: "schnet" },
  "max-degree": { type: "string", help: "NequIP: largest spherical-harmonic degree L of the features", default: "1" },
  epochs: { type: "string", help: "training epochs", default: "20" },
  "batch-size": { type: "string", help: "structures per batch", default: "4" },
  lr: { type: "string", help: "Adam learning rate (decays ×0.1 over the run)", default: "0.002" },
  features: { type: "string", help: "feature width", default: "32" },
  interactions: { type: "string", help: "interaction blocks", default: "2" },
  radial: { type: "string", help: "radial basis size (Gaussians / Bessel functions)", default: "16" },
  cutoff: { type: "string", help: "neighbour cutoff, Å", default: "4.0" },
  "val-fraction": { type: "string", help: "fraction of the frames held out for validation", default: "0.1" },
  "max-frames": { type: "string", help: "use only the first N frames of the data set" },
  "energy-weight": { type: "string", help: "weight of the per-atom energy error in the loss", default: "1" },
  "force-weight": { type: "string", help: "weight of the force error in the loss", default: "10" },
  patience: { type: "string", help: "stop after this many epochs without a better validation loss" },
  seed: { type: "string", help: "seed of the split, the initial weights and the batch order", default: "0" },
  "out-dir": { type: "string", short: "o", help: "directory for model.safetensors, checkpoint.safetensors, history.csv, metrics.json", default: "train-out" },
  report: { type: "string", help: "write a report.html (loss curves, parity plots); default <out-dir>/report.html", default: "<out-dir>/report.html" },
  "no-report": { type: "boolean", help: "do not write report.html" },
  resume: { type: "boolean", help: "continue from <out-dir>/checkpoint.safetensors" },
  quiet: { type: "boolean", short: "q", help: "no progress output" },
};

export const trainHelp = helpText(
  "diffmol train <data.extxyz> [options]",
  "Train an ML potential on energies and forces (ASE units: Å, eV). Loss per batch:\n" +
  "energy-weight · mean((ΔE/n)²) + force-weight · mean(ΔF²); forces are −∂E/∂R (a gradient of a gradient).\n" +
  "Writes <out-dir>/model.safetensors (the best model on validation; diffmol md --model uses it),\n" +
  "checkpoint.safetensors (every epoch and on Ctrl-C; --resume continues), history.csv, metrics.json, report.html.",
  trainFlags,
);

interface EpochRecord { epoch: number; trainLoss: number; val: Metrics; seconds: number }
interface Progressed { epoch: number; batch: number; lossSum: number; bestLoss: number; bestEpoch: number; history: EpochRecord[] }

const toAtomsFrame = (f: ExtxyzFrame): AtomsFrame => ({ positions: f.positions, species: f.species, cell: f.cell, pbc: f.pbc, energy: Number(f.info.energy), forces: f.properties.forces as Tensor, line: f.line });

export async function trainCommand(argv: string[]): Promise<number> {
  const p = parse("train", argv, trainFlags, 1);
  if (booleanFlag(p, "help")) { process.stdout.write(trainHelp); return 0; }
  const dataPath = p.positionals[0];
  if (!dataPath) throw new UsageError("diffmol train: give a data set (diffmol train <data.extxyz> …; see --help)");
  const arch = choiceFlag("train", p, "model", modelChoices, "schnet");
  const maxDegree = numberFlag("train", p, "max-degree", 1, { integer: true, min: 0 });
  const epochs = numberFlag("train", p, "epochs", 20, { integer: true, positive: true });
  const batchSize = numberFlag("train", p, "batch-size", 4, { integer: true, positive: true });
  const lr = numberFlag("train", p, "lr", 2e-3, { positive: true });
  const nFeatures = numberFlag("train", p, "features", 32, { integer: true, positive: true });
  const nInteractions = numberFlag("train", p, "interactions", 2, { integer: true, positive: true });
  const nRadial = numberFlag("train", p, "radial", 16, { integer: true, positive: true });
  const cutoff = numberFlag("train", p, "cutoff", 4.0, { positive: true });
  const valFraction = numberFlag("train", p, "val-fraction", 0.1, { min: 0 });
  if (valFraction >= 1) throw new UsageError(`diffmol train: --val-fraction must be below 1, got ${valFraction}`);
  const maxFrames = p.values["max-frames"] === undefined ? Infinity : numberFlag("train", p, "max-frames", 0, { integer: true, positive: true });
  const energyWeight = numberFlag("train", p, "energy-weight", 1, { min: 0 });
  const forceWeight = numberFlag("train", p, "force-weight", 10, { min: 0 });
  const patience = p.values.patience === undefined ? Infinity : numberFlag("train", p, "patience", 0, { integer: true, positive: true });
  const seed = numberFlag("train", p, "seed", 0, { integer: true, min: 0 });
  const outDir = stringFlag(p, "out-dir", "train-out");
  const reportPath = booleanFlag(p, "no-report") ? undefined : stringFlag(p, "report", join(outDir, "report.html"));
  const resume = booleanFlag(p, "resume");
  const quiet = booleanFlag(p, "quiet");
  const checkpointPath = join(outDir, "checkpoint.safetensors");
  if (resume && !existsSync(checkpointPath)) throw new UsageError(`diffmol train: --resume: no checkpoint at ${checkpointPath}`);

  // Read and check everything before creating any file.
  let raw: ExtxyzFrame[];
  try { raw = loadExtxyzDataset(dataPath); } catch (e) { throw new UsageError((e as Error).message.replace(/^loadExtxyzDataset: /, "")); }
  const frames = raw.slice(0, Math.min(raw.length, maxFrames)).map(toAtomsFrame);
  if (frames.length < 2) throw new UsageError(`${dataPath}: needs at least 2 frames to train and validate, found ${frames.length}`);
  const nVal = valFraction > 0 ? Math.max(1, Math.round(valFraction * frames.length)) : 0;
  const split = splitDataset(frames, { train: frames.length - nVal, val: nVal, seed });
  const collateAll = (fs: AtomsFrame[]): GraphBatch[] => {
    const out: GraphBatch[] = [];
    for (let k = 0; k < fs.length; k += batchSize) {
      try { out.push(collate(fs.slice(k, k + batchSize), { cutoff })); } catch (e) { throw new UsageError(`${dataPath}: ${(e as Error).message}`); }
    }
    return out;
  };
  const trainB = collateAll(split.train);
  const valB = split.val.length ? collateAll(split.val) : trainB;
  const maxZ = 1 + Math.max(...trainB.concat(valB).map((b) => Math.max(...Array.from(b.species.data() as Int32Array))));

  const architecture: Architecture = arch;
  let model: Potential = buildModel({ architecture, nInteractions, nFeatures, nRadial, cutoff, maxZ, mean: 0, stddev: 1, atomrefs: null, ...(arch === "nequip" ? { maxDegree } : {}) }, random.key(seed));
  model = fitNormalization(model, trainB);
  let spec: ModelSpec = specOf(model, architecture, nRadial);
  const weights = { energyWeight, forceWeight };
  const schedule = optim.exponentialDecay({ initValue: lr, transitionSteps: trainB.length, decayRate: Math.pow(0.1, 1 / epochs) });
  const optimizer = optim.adam({ learningRate: schedule });
  const step = makeTrainStep<Potential>(optimizer, weights);
  const evalStep = makeEvalStep<Potential>(weights);
  const arrays = trainB.map(batchArrays);

  let optState: unknown = optimizer.init(model);
  let best = model;
  let at: Progressed = { epoch: 1, batch: 0, lossSum: 0, bestLoss: Infinity, bestEpoch: 0, history: [] };
  if (resume) {
    let meta: Record<string, string>;
    try { meta = loadCheckpoint(checkpointPath).metadata; } catch (e) { throw new UsageError((e as Error).message); }
    const saved = meta[MODEL_METADATA_KEY];
    if (!meta.diffmol_cli_train || !saved) throw new UsageError(`${checkpointPath}: not a diffmol train checkpoint`);
    const savedSpec = JSON.parse(saved) as ModelSpec;
    for (const k of ["architecture", "nInteractions", "nFeatures", "nRadial", "cutoff", "maxZ", "maxDegree"] as const) {
      if (savedSpec[k] !== spec[k]) throw new UsageError(`${checkpointPath}: was trained with ${k} = ${savedSpec[k]}, this run asks ${spec[k]}; resume with the same options`);
    }
    spec = savedSpec;
    model = buildModel(spec);
    try {
      const ck = loadCheckpoint(checkpointPath, { model, best: model, opt: optimizer.init(model) });
      ({ model, best, opt: optState } = ck.tree);
    } catch (e) { throw new UsageError((e as Error).message); }
    at = JSON.parse(meta.diffmol_cli_train) as Progressed;
  }

  const save = () => {
    ensureParent(checkpointPath);
    saveCheckpoint(checkpointPath, { model, best, opt: optState }, { diffmol_cli_train: JSON.stringify(at), [MODEL_METADATA_KEY]: JSON.stringify(spec) });
  };

  if (!quiet) {
    process.stderr.write(`diffmol train: ${arch} ${nInteractions}×${nFeatures}, cutoff ${cutoff} Å; ${split.train.length} train / ${split.val.length} val frames in ${trainB.length} + ${split.val.length ? valB.length : 0} batches; ${epochs} epochs\n`);
  }
  watchInterrupts();
  const total = epochs * trainB.length;
  const progress = new Progress({ total, unit: "batch", label: "train", quiet }, (at.epoch - 1) * trainB.length + at.batch);
  let stopped: "epochs" | "earlyStopping" | "interrupted" = "epochs";
  let epochStart = performance.now();
  outer: while (at.epoch <= epochs) {
    const order = seededPermutation(trainB.length, seed * 100003 + at.epoch);
    while (at.batch < order.length) {
      let loss: Tensor;
      [model, optState, loss] = step(model, optState, arrays[order[at.batch]]);
      at.lossSum += loss.item();
      at.batch++;
      const last = at.history[at.history.length - 1];
      progress.update((at.epoch - 1) * trainB.length + at.batch, { epoch: at.epoch, loss: at.lossSum / at.batch, ...(last ? { "val F MAE": last.val.forceMae } : {}) });
      await yieldToEventLoop();
      if (wasInterrupted()) { stopped = "interrupted"; break outer; }
    }
    const val = evaluate(model, valB, weights, evalStep);
    if (!Number.isFinite(val.loss)) throw new Error(`diffmol train: the validation loss is ${val.loss} at epoch ${at.epoch}; lower --lr`);
    if (val.loss < at.bestLoss) { at.bestLoss = val.loss; at.bestEpoch = at.epoch; best = model; }
    at.history.push({ epoch: at.epoch, trainLoss: at.lossSum / trainB.length, val, seconds: (performance.now() - epochStart) / 1000 });
    epochStart = performance.now();
    const finished = at.epoch;
    at = { ...at, epoch: at.epoch + 1, batch: 0, lossSum: 0 };
    save();
    if (finished - at.bestEpoch >= patience) { stopped = "earlyStopping"; break; }
  }
  if (stopped === "interrupted") save();
  const last = at.history[at.history.length - 1];
  progress.finish(stopped === "interrupted" ? `stopped in epoch ${at.epoch}; checkpoint ${checkpointPath} (--resume continues)` : last ? `best epoch ${at.bestEpoch}, val F MAE ${last.val.forceMae.toFixed(4)} eV/Å` : "");

  // Outputs of the best model (also after Ctrl-C: the best so far).
  const bestModel = at.history.length ? best : model;
  const modelPath = join(outDir, "model.safetensors");
  saveCheckpoint(modelPath, bestModel, { [MODEL_METADATA_KEY]: JSON.stringify(spec) });
  writeCsv(join(outDir, "history.csv"), ["epoch", "trainLoss", "valLoss", "valEnergyMaePerAtom", "valForceMae", "seconds"],
    at.history.map((h) => [h.epoch, h.trainLoss, h.val.loss, h.val.energyMaePerAtom, h.val.forceMae, h.seconds]));
  const parity = parityData(bestModel, valB);
  const finalMetrics = at.history.length ? evaluate(bestModel, valB, weights, evalStep) : null;
  const metrics = {
    command: "train", model: spec, data: dataPath, frames: { train: split.train.length, val: split.val.length },
    epochs: at.history.length, bestEpoch: at.bestEpoch, stopReason: stopped,
    best: finalMetrics, files: { model: modelPath, checkpoint: checkpointPath, history: join(outDir, "history.csv") },
  };
  writeJson(join(outDir, "metrics.json"), metrics);
  if (reportPath && at.history.length) {
    const ep = at.history.map((h) => h.epoch);
    writeReport(reportPath, {
      title: `diffmol train report: ${arch}`,
      subtitle: `diffmol train ${argv.join(" ")}`,
      summary: [
        ["data", dataPath], ["frames (train / val)", `${split.train.length} / ${split.val.length}`], ["model", `${arch} ${nInteractions}×${nFeatures}, ${nRadial} radial, cutoff ${cutoff} Å`],
        ["epochs run", at.history.length], ["best epoch", at.bestEpoch], ["stopped by", stopped],
        ["val energy MAE (meV/atom)", finalMetrics ? 1000 * finalMetrics.energyMaePerAtom : NaN], ["val force MAE (eV/Å)", finalMetrics ? finalMetrics.forceMae : NaN],
      ],
      plots: [
        { kind: "line", title: "Loss", xLabel: "epoch", yLabel: "loss", x: ep, logY: true, series: [{ label: "train", y: at.history.map((h) => h.trainLoss) }, { label: "validation", y: at.history.map((h) => h.val.loss) }] },
        { kind: "line", title: "Validation errors", xLabel: "epoch", yLabel: "MAE", x: ep, logY: true, series: [{ label: "energy (eV/atom)", y: at.history.map((h) => h.val.energyMaePerAtom) }, { label: "force (eV/Å)", y: at.history.map((h) => h.val.forceMae) }] },
        { kind: "parity", title: "Energy per atom (validation)", xLabel: "reference (eV/atom)", yLabel: "predicted (eV/atom)", reference: parity.eRef, predicted: parity.ePred },
        { kind: "parity", title: "Force components (validation)", xLabel: "reference (eV/Å)", yLabel: "predicted (eV/Å)", reference: parity.fRef, predicted: parity.fPred },
      ],
    });
  }
  if (!quiet) process.stderr.write(`wrote ${modelPath}, ${checkpointPath}, ${join(outDir, "history.csv")}, ${join(outDir, "metrics.json")}${reportPath && at.history.length ? `, ${reportPath}` : ""}\n`);
  return stopped === "interrupted" ? INTERRUPTED_EXIT : 0;
}

/** Predicted against reference energies per atom and force components over batches. */
export function parityData(model: Potential, batches: GraphBatch[]) {
  const eRef: number[] = [], ePred: number[] = [], fRef: number[] = [], fPred: number[] = [];
  for (const b of batches) {
    const { energy, forces } = energyAndForces(model, b, { stress: false });
    const n = Array.from(b.numAtoms.data() as Int32Array);
    const E = energy.data() as Float64Array, Er = b.energy!.data() as Float64Array;
    n.forEach((na, g) => { eRef.push(Er[g] / na); ePred.push(E[g] / na); });
    if (b.forces) { fRef.push(...(b.forces.data() as Float64Array)); fPred.push(...(forces.data() as Float64Array)); }
  }
  return { eRef, ePred, fRef, fPred };
}
