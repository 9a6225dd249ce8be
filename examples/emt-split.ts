// The EMT copper data set (test/fixtures/emt/cu-emt.extxyz: bulk, strained, vacancy and (111)
// slab frames from short MD with ASE's EMT calculator) split the way the training examples and
// their documented MAEs use it: frames shuffled by a Fisher–Yates pass driven by mulberry32 with
// seed 0, then 10 % test, 10 % validation, the rest training; batches of `batchSize` consecutive
// frames collated once at `cutoff` (so each batch's jitted train step compiles once). Shared by
// train-schnet.ts and train-nequip.ts so both train and test on the same frames.
import { existsSync } from "node:fs";
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { readExtxyzFile } from "../src/io/index.js";
import { collate } from "../src/io/graph-batch.js";
import type { AtomsFrame, GraphBatch } from "../src/io/graph-batch.js";
import { rng } from "../test/helpers/random.js";

const here = dirname(fileURLToPath(import.meta.url));
// Run from the repository root (npm run), or from dist/examples.
const root = [process.cwd(), resolve(here, ".."), resolve(here, "../..")].find((d) => existsSync(resolve(d, "test/fixtures/emt"))) ?? process.cwd();

export interface EmtSplit {
  frames: AtomsFrame[];
  train: AtomsFrame[];
  val: AtomsFrame[];
  test: AtomsFrame[];
  trainBatches: GraphBatch[];
  valBatches: GraphBatch[];
  testBatches: GraphBatch[];
}

export function emtCopperSplit(opts: { cutoff: number; batchSize?: number }): EmtSplit {
  const batchSize = opts.batchSize ?? 4;
  const frames: AtomsFrame[] = readExtxyzFile(resolve(root, "test/fixtures/emt/cu-emt.extxyz")).map((f) => ({
    positions: f.positions, species: f.species, cell: f.cell, pbc: f.pbc,
    energy: Number(f.info.energy), forces: f.properties.forces as AtomsFrame["forces"],
  }));
  const rand = rng(0);
  const order = frames.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
  const nTest = Math.round(0.1 * frames.length), nVal = Math.round(0.1 * frames.length);
  const pick = (idx: number[]) => idx.map((i) => frames[i]);
  const test = pick(order.slice(0, nTest)), val = pick(order.slice(nTest, nTest + nVal)), train = pick(order.slice(nTest + nVal));
  const batches = (fs: AtomsFrame[]): GraphBatch[] => {
    const out: GraphBatch[] = [];
    for (let i = 0; i < fs.length; i += batchSize) out.push(collate(fs.slice(i, i + batchSize), { cutoff: opts.cutoff }));
    return out;
  };
  return { frames, train, val, test, trainBatches: batches(train), valBatches: batches(val), testBatches: batches(test) };
}
