// Training a potential on energies and forces. The loss contains the forces −∂E/∂R, so its
// parameter gradient is a gradient of a gradient; the whole step — loss, grad, optimiser update
// — is one jitted function. Browser-safe: checkpoints go through a `Checkpointer` you pass in
// (diffmol/io provides one backed by safetensors files on Node).
//
// Fixed shapes: jit compiles one program per distinct set of batch shapes (atoms, edges,
// structures). `train` takes a fixed list of batches (collated once), so each batch is traced
// once in the first epoch and reused in every later one; shuffling permutes the order of the
// batches, not their contents. Pad batches to a few common sizes if there are many distinct ones.
import { np, jit, random, tree, valueAndGrad, Tensor } from "../index.js";
import * as optim from "../optim/index.js";
import type { GradientTransformation } from "../optim/index.js";
import type { GraphInput } from "./graph.js";
import { EnergyModel, forcesOf, Potential } from "./potential.js";

export interface LossWeights {
  /** Weight of the MSE of the energy per atom, (eV/atom)² (default 1). */
  energyWeight?: number;
  /** Weight of the MSE of the force components, (eV/Å)² (default 1). */
  forceWeight?: number;
}

/** The arrays of a batch that training needs (no numbers, no cell): what goes through jit. */
export interface BatchArrays {
  positions: Tensor; species: Tensor; graphIndex: Tensor; numAtoms: Tensor;
  senders: Tensor; receivers: Tensor; shifts: Tensor; energy: Tensor; forces: Tensor | null;
}

export function batchArrays(b: GraphInput): BatchArrays {
  if (!b.energy) throw new Error("train: every batch needs reference energies (batch.energy)");
  return {
    positions: b.positions, species: b.species, graphIndex: b.graphIndex, numAtoms: b.numAtoms,
    senders: b.senders, receivers: b.receivers, shifts: b.shifts, energy: b.energy, forces: b.forces ?? null,
  };
}

function asBatch(a: BatchArrays): GraphInput {
  return { ...a, cell: null, forces: a.forces ?? undefined };
}

interface Terms { loss: Tensor; absE: Tensor; absF: Tensor }

function lossTerms(model: EnergyModel, a: BatchArrays, w: Required<LossWeights>): Terms {
  const { energy, forces } = forcesOf(model, asBatch(a));
  const nat = a.numAtoms.astype(energy.dtype);
  const dE = energy.sub(a.energy.astype(energy.dtype)).div(nat);
  let loss = dE.square().mean().mul(w.energyWeight);
  let absF = np.zeros([], { dtype: energy.dtype });
  if (a.forces) {
    const dF = forces.sub(a.forces.astype(forces.dtype));
    if (w.forceWeight !== 0) loss = loss.add(dF.square().mean().mul(w.forceWeight));
    absF = dF.abs().sum();
  }
  return { loss, absE: dE.abs().sum(), absF };
}

/**
 * wE · mean(((E − E_ref)/n_atoms)²) + wF · mean((F − F_ref)²) over a batch, with F = −∂E/∂R.
 * (The force term is skipped for batches without reference forces.)
 */
export function energyForceLoss(model: EnergyModel, batch: GraphInput, weights: LossWeights = {}): Tensor {
  return lossTerms(model, batchArrays(batch), fillWeights(weights)).loss;
}

function fillWeights(w: LossWeights): Required<LossWeights> {
  return { energyWeight: w.energyWeight ?? 1, forceWeight: w.forceWeight ?? 1 };
}

/** A train step `(model, optState, arrays) → [model, optState, loss]`, jitted unless { jit: false }. */
export function makeTrainStep<M extends EnergyModel>(optimizer: GradientTransformation, weights: LossWeights = {}, opts: { jit?: boolean } = {}) {
  const w = fillWeights(weights);
  const loss = (m: M, a: BatchArrays) => lossTerms(m, a, w).loss;
  const step = (m: M, s: unknown, a: BatchArrays): [M, unknown, Tensor] => {
    const [value, grads] = valueAndGrad(loss)(m, a);
    const [updates, next] = optimizer.update(grads, s, m);
    return [optim.applyUpdates(m, updates), next, value];
  };
  return opts.jit === false ? step : jit(step);
}

/** An evaluation step `(model, arrays) → [loss, Σ|ΔE/n|, Σ|ΔF|]`, jitted unless { jit: false }. */
export function makeEvalStep<M extends EnergyModel>(weights: LossWeights = {}, opts: { jit?: boolean } = {}) {
  const w = fillWeights(weights);
  const f = (m: M, a: BatchArrays): [Tensor, Tensor, Tensor] => {
    const t = lossTerms(m, a, w);
    return [t.loss, t.absE, t.absF];
  };
  return opts.jit === false ? f : jit(f);
}

export interface Metrics {
  /** Mean of the per-batch losses. */
  loss: number;
  /** Mean absolute error of the energy per atom, eV/atom. */
  energyMaePerAtom: number;
  /** Mean absolute error per force component, eV/Å (NaN without reference forces). */
  forceMae: number;
}

/** Loss and MAEs of `model` over `batches`. */
export function evaluate<M extends EnergyModel>(model: M, batches: GraphInput[], weights: LossWeights = {}, evalStep = makeEvalStep<M>(weights)): Metrics {
  let loss = 0, absE = 0, absF = 0, nG = 0, nF = 0;
  for (const b of batches) {
    const a = batchArrays(b);
    const [l, e, f] = evalStep(model, a);
    loss += l.item(); absE += e.item(); absF += f.item();
    nG += a.numAtoms.shape[0];
    if (a.forces) nF += a.forces.size;
  }
  return { loss: loss / Math.max(1, batches.length), energyMaePerAtom: absE / Math.max(1, nG), forceMae: nF ? absF / nF : NaN };
}

/** Where checkpoints go: a pair of functions over named tensors and string metadata. */
export interface Checkpointer {
  save(path: string, tensors: Record<string, Tensor>, metadata: Record<string, string>): void;
  /** The saved tensors and metadata, or null if there is no checkpoint at `path`. */
  load(path: string): { tensors: Record<string, Tensor>; metadata: Record<string, string> } | null;
}

export interface EpochInfo {
  /** 1-based. */
  epoch: number;
  /** Mean training loss over the epoch's steps. */
  trainLoss: number;
  /** Validation metrics (the training set's when no val batches are given). */
  val: Metrics;
  /** Best validation loss so far, and its epoch. */
  bestLoss: number;
  bestEpoch: number;
  /** Seconds spent in this epoch. */
  seconds: number;
}

export interface TrainOptions<M> extends LossWeights {
  /** Training batches (fixed shapes; see the module comment). */
  train: GraphInput[];
  /** Validation batches (monitored for early stopping and the best model); default: train. */
  val?: GraphInput[];
  /** Default adam with learning rate 1e-3. */
  optimizer?: GradientTransformation;
  /** Default 100. */
  epochs?: number;
  /** Stop after this many epochs without a better validation loss (default: never). */
  earlyStoppingPatience?: number;
  /** Permute the batch order each epoch with this key (default: no shuffling). */
  shuffleKey?: Tensor;
  /** Save after every epoch to this path through `checkpointer`. */
  checkpointPath?: string;
  /** Continue from the checkpoint at checkpointPath if there is one. */
  resume?: boolean;
  checkpointer?: Checkpointer;
  /** Called after each epoch; return false to stop. */
  onEpoch?: (info: EpochInfo, model: M) => void | boolean;
  /** jit the steps (default true). */
  jit?: boolean;
}

export interface TrainResult<M> {
  /** The model with the best validation loss. */
  model: M;
  /** The model after the last epoch. */
  last: M;
  /** The optimiser state after the last epoch. */
  optState: unknown;
  history: EpochInfo[];
  bestEpoch: number;
  bestLoss: number;
  /** Why training ended: "epochs", "earlyStopping" or "callback". */
  stopReason: "epochs" | "earlyStopping" | "callback";
}

/**
 * Train `model` (any pytree module with `energy(batch)`) on energies and forces with a jitted
 * step; validation MAEs each epoch, early stopping, checkpoint/resume, per-epoch callback.
 */
export function train<M extends EnergyModel>(model: M, opts: TrainOptions<M>): TrainResult<M> {
  if (!opts.train?.length) throw new Error("train: no training batches");
  const weights = fillWeights(opts);
  const optimizer = opts.optimizer ?? optim.adam({ learningRate: 1e-3 });
  const epochs = opts.epochs ?? 100;
  const patience = opts.earlyStoppingPatience ?? Infinity;
  const useJit = opts.jit !== false;
  const step = makeTrainStep<M>(optimizer, weights, { jit: useJit });
  const evalStep = makeEvalStep<M>(weights, { jit: useJit });
  const trainArrays = opts.train.map(batchArrays);
  const valBatches = opts.val?.length ? opts.val : opts.train;
  if ((opts.checkpointPath || opts.resume) && !opts.checkpointer) throw new Error("train: checkpointPath/resume need a checkpointer (e.g. fileCheckpointer() from diffmol/io)");

  let current = model;
  let optState = optimizer.init(model);
  let best = model;
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let history: EpochInfo[] = [];
  let startEpoch = 1;
  let key = opts.shuffleKey;

  if (opts.resume && opts.checkpointPath) {
    const ck = opts.checkpointer!.load(opts.checkpointPath);
    if (ck) {
      current = restoreTree(current, ck.tensors, "model/");
      best = restoreTree(current, ck.tensors, "best/");
      optState = restoreTree(optState, ck.tensors, "opt/");
      const meta = JSON.parse(ck.metadata.diffmol_train ?? "{}") as { epoch: number; bestLoss: number; bestEpoch: number; history: EpochInfo[] };
      startEpoch = meta.epoch + 1;
      bestLoss = meta.bestLoss ?? Infinity;
      bestEpoch = meta.bestEpoch ?? 0;
      history = meta.history ?? [];
      if (key) for (let e = 1; e < startEpoch; e++) key = [...random.split(key)][0];
    }
  }

  let stopReason: TrainResult<M>["stopReason"] = "epochs";
  for (let epoch = startEpoch; epoch <= epochs; epoch++) {
    const t0 = performance.now();
    let order = trainArrays.map((_, i) => i);
    if (key) {
      const [next, sub] = [...random.split(key)];
      key = next;
      order = Array.from(random.permutation(sub, order.length).data());
    }
    let total = 0;
    for (const i of order) {
      let loss: Tensor;
      [current, optState, loss] = step(current, optState, trainArrays[i]);
      total += loss.item();
    }
    const val = evaluate(current, valBatches, weights, evalStep);
    if (!Number.isFinite(val.loss)) throw new Error(`train: the validation loss is ${val.loss} at epoch ${epoch}; lower the learning rate`);
    if (val.loss < bestLoss) { bestLoss = val.loss; bestEpoch = epoch; best = current; }
    const info: EpochInfo = { epoch, trainLoss: total / order.length, val, bestLoss, bestEpoch, seconds: (performance.now() - t0) / 1000 };
    history.push(info);
    if (opts.checkpointPath && opts.checkpointer) {
      const tensors = { ...namedLeaves(current, "model/"), ...namedLeaves(best, "best/"), ...namedLeaves(optState, "opt/") };
      opts.checkpointer.save(opts.checkpointPath, tensors, { diffmol_train: JSON.stringify({ epoch, bestLoss, bestEpoch, history }) });
    }
    if (opts.onEpoch?.(info, current) === false) { stopReason = "callback"; break; }
    if (epoch - bestEpoch >= patience) { stopReason = "earlyStopping"; break; }
  }
  return { model: best, last: current, optState, history, bestEpoch, bestLoss, stopReason };
}

/** Tensor leaves of a pytree by path ("model/interactions[0].in2f.weight"). */
export function namedLeaves(t: unknown, prefix = ""): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [path, leaf] of tree.flattenWithPath(t)[0]) {
    if (leaf instanceof Tensor) out[prefix + path] = leaf;
  }
  return out;
}

/** `template` with each tensor leaf replaced by tensors[prefix + path] (checked for shape). */
export function restoreTree<T>(template: T, tensors: Record<string, Tensor>, prefix = ""): T {
  const [pairs, def] = tree.flattenWithPath(template);
  const leaves = pairs.map(([path, leaf]) => {
    if (!(leaf instanceof Tensor)) return leaf;
    const t = tensors[prefix + path];
    if (!t) throw new Error(`restoreTree: the checkpoint has no tensor "${prefix + path}"`);
    if (t.shape.join() !== leaf.shape.join()) throw new Error(`restoreTree: "${prefix + path}" has shape [${t.shape}] in the checkpoint, [${leaf.shape}] in the model`);
    return t.dtype === leaf.dtype ? t : t.astype(leaf.dtype);
  });
  return def.unflatten<T>(leaves);
}

/**
 * Output statistics from data: per-element reference energies by least squares of the energies
 * on the element counts, mean 0, and stddev = the RMS of the reference force components (or,
 * without forces, the standard deviation of the per-atom residual energy). Returns a copy.
 */
export function fitNormalization<M extends Potential>(model: M, batches: GraphInput[]): M {
  const zs = new Set<number>();
  const rows: { counts: Map<number, number>; e: number; n: number }[] = [];
  let f2 = 0, nf = 0;
  for (const b of batches) {
    if (!b.energy) throw new Error("fitNormalization: batches need energies");
    const species = b.species.data(), gi = b.graphIndex.data(), E = b.energy.data();
    const G = b.numAtoms.shape[0];
    const counts = Array.from({ length: G }, () => new Map<number, number>());
    for (let i = 0; i < species.length; i++) {
      counts[gi[i]].set(species[i], (counts[gi[i]].get(species[i]) ?? 0) + 1);
      zs.add(species[i]);
    }
    const na = b.numAtoms.data();
    for (let g = 0; g < G; g++) rows.push({ counts: counts[g], e: E[g], n: na[g] });
    if (b.forces) for (const v of b.forces.data()) { f2 += v * v; nf++; }
  }
  const Z = [...zs].sort((a, b) => a - b);
  const k = Z.length;
  // Normal equations (AᵀA + λI) a = Aᵀe, with a tiny ridge for elements that always co-occur.
  const A = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  for (const r of rows) {
    const x = Z.map((z) => r.counts.get(z) ?? 0);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) A[i][j] += x[i] * x[j];
      A[i][k] += x[i] * r.e;
    }
  }
  for (let i = 0; i < k; i++) A[i][i] += 1e-8 * (A[i][i] || 1);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let j = c; j <= k; j++) A[r][j] -= f * A[c][j];
    }
  }
  const refs = new Array<number>(model.maxZ).fill(0);
  Z.forEach((z, i) => { refs[z] = A[i][k] / A[i][i]; });
  let stddev: number;
  if (nf > 0) stddev = Math.sqrt(f2 / nf);
  else {
    const res = rows.map((r) => (r.e - [...r.counts].reduce((s, [z, c]) => s + c * refs[z], 0)) / r.n);
    const m = res.reduce((a, b) => a + b, 0) / res.length;
    stddev = Math.sqrt(res.reduce((a, b) => a + (b - m) ** 2, 0) / res.length) || 1;
  }
  return model.withNormalization({ mean: 0, stddev, atomrefs: refs });
}
