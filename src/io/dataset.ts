// Data sets of labelled structures: loading an extXYZ training set, seeded train/val/test splits,
// and mini-batches. splitDataset and batches are pure (any array of frames); loadExtxyzDataset
// reads from disk (Node).
import { random } from "../index.js";
import type { ExtxyzFrame } from "./extxyz.js";
import { readExtxyzFile } from "./files.js";

export interface LoadDatasetOptions {
  /** Require a numeric `energy` on every frame's comment line (default true). */
  requireEnergy?: boolean;
  /** Require a `forces:R:3` per-atom property on every frame (default true). */
  requireForces?: boolean;
}

/**
 * Read a labelled extXYZ data set (e.g. test/fixtures/emt/cu-emt.extxyz) and check that every
 * frame carries the labels training needs; errors name the file and the frame's line.
 */
export function loadExtxyzDataset(path: string, options: LoadDatasetOptions = {}): ExtxyzFrame[] {
  const { requireEnergy = true, requireForces = true } = options;
  const frames = readExtxyzFile(path);
  if (frames.length === 0) throw new Error(`loadExtxyzDataset: ${path} holds no frames`);
  for (const f of frames) {
    if (requireEnergy && (typeof f.info.energy !== "number" || !Number.isFinite(f.info.energy))) {
      throw new Error(`loadExtxyzDataset: ${path}:${f.line + 1}: expected a finite energy=<number> on the comment line, found ${f.info.energy === undefined ? "none" : JSON.stringify(f.info.energy)}`);
    }
    if (requireForces) {
      const spec = f.propertySpec.find((p) => p.name === "forces");
      if (!spec || spec.type !== "R" || spec.count !== 3) {
        throw new Error(`loadExtxyzDataset: ${path}:${f.line + 1}: expected a forces:R:3 column group in Properties, found ${f.propertySpec.map((p) => `${p.name}:${p.type}:${p.count}`).join(":")}`);
      }
    }
  }
  return frames;
}

export interface SplitOptions {
  /**
   * Sizes of the parts: fractions of the data set when all are ≤ 1 and sum to ≤ 1 (the train
   * part takes the rounding remainder when they sum to 1), otherwise whole counts.
   */
  train: number;
  val: number;
  test?: number;
  /** Seed of the permutation (a random.key seed). */
  seed: number;
}

export interface Split<T> {
  train: T[];
  val: T[];
  test: T[];
  /** Indices into the input of each part (for reproducing the split elsewhere). */
  indices: { train: number[]; val: number[]; test: number[] };
}

/** A seeded permutation of 0..n−1 (random.permutation with random.key(seed)). */
export function seededPermutation(n: number, seed: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`seededPermutation: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(seed)) throw new TypeError(`seededPermutation: seed must be an integer, got ${seed}`);
  if (n === 0) return [];
  return Array.from(random.permutation(random.key(seed), n).data());
}

/** Split frames into disjoint train / val / test parts by a seeded random permutation. */
export function splitDataset<T>(frames: readonly T[], options: SplitOptions): Split<T> {
  if (!Array.isArray(frames)) throw new TypeError(`splitDataset: frames must be an array, got ${typeof frames}`);
  const { train, val, test = 0, seed } = options ?? ({} as SplitOptions);
  const n = frames.length;
  for (const [k, v] of [["train", train], ["val", val], ["test", test]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new RangeError(`splitDataset: ${k} must be a non-negative number, got ${v}`);
  }
  const sum = train + val + test;
  let nTrain: number, nVal: number, nTest: number;
  if (train <= 1 && val <= 1 && test <= 1 && sum <= 1 + 1e-9) {
    nVal = Math.round(val * n);
    nTest = Math.round(test * n);
    nTrain = Math.abs(sum - 1) <= 1e-9 ? n - nVal - nTest : Math.round(train * n);
    if (nTrain < 0 || nTrain + nVal + nTest > n) nTrain = Math.max(0, n - nVal - nTest);
  } else {
    for (const [k, v] of [["train", train], ["val", val], ["test", test]] as const) {
      if (!Number.isInteger(v)) throw new RangeError(`splitDataset: ${k}=${v}: sizes are fractions (all ≤ 1, summing to ≤ 1) or whole counts, not a mix`);
    }
    if (sum > n) throw new RangeError(`splitDataset: train + val + test = ${sum} frames, but the data set has ${n}`);
    [nTrain, nVal, nTest] = [train, val, test];
  }
  const perm = seededPermutation(n, seed);
  const indices = {
    train: perm.slice(0, nTrain),
    val: perm.slice(nTrain, nTrain + nVal),
    test: perm.slice(nTrain + nVal, nTrain + nVal + nTest),
  };
  return {
    train: indices.train.map((k) => frames[k]),
    val: indices.val.map((k) => frames[k]),
    test: indices.test.map((k) => frames[k]),
    indices,
  };
}

export interface BatchOptions {
  /** Shuffle before batching (default false); use a different seed each epoch. */
  shuffle?: boolean;
  seed?: number;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
}

/** Consecutive mini-batches of frames (optionally shuffled with a seed); collate each for a model. */
export function batches<T>(frames: readonly T[], batchSize: number, options: BatchOptions = {}): T[][] {
  if (!Array.isArray(frames)) throw new TypeError(`batches: frames must be an array, got ${typeof frames}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batches: batchSize must be a positive integer, got ${batchSize}`);
  const { shuffle = false, seed, dropLast = false } = options;
  let order = frames.map((_, k) => k);
  if (shuffle) {
    if (seed === undefined) throw new Error("batches: shuffle needs a seed (pass { shuffle: true, seed: epoch })");
    order = seededPermutation(frames.length, seed);
  }
  const out: T[][] = [];
  for (let k = 0; k < order.length; k += batchSize) {
    const part = order.slice(k, k + batchSize);
    if (dropLast && part.length < batchSize) break;
    out.push(part.map((i) => frames[i]));
  }
  return out;
}
