// The NequIP part of issue 7's benchmark: energy + forces (F = −∂E/∂R by AD) per atom for one
// 64-atom periodic fcc copper cell (2×2×4 conventional cells, a = 3.61 Å, atoms displaced by up
// to 0.1 Å with a fixed seed; 5 Å cutoff through the periodic images), diffmol jit, float32 and
// float64. Beside it, for context, the other two potentials of diffmol/models on the same cell in
// the same run: SchNet and PaiNN (their default sizes). Two NequIP sizes: the one trained in
// examples/train-nequip.ts (L = 1, 16 channels, 2 interactions) and the model's defaults (L = 2,
// 32 channels, 3 interactions). Before timing, each jit result is checked against the same model
// run eagerly in float64 (1e-10 in float64, 1e-3 in float32, max |Δ| / max |ref|).
// Prints one markdown table (µs per atom and ms per call) and writes bench/results/nequip.json.
//   node <dist>/bench/nequip.js
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { jit, random, Tensor } from "../src/index.js";
import { collate } from "../src/io/graph-batch.js";
import type { AtomsFrame, GraphBatch } from "../src/io/graph-batch.js";
import { SchNet, PaiNN, energyAndForces, batchArrays, namedLeaves, restoreTree, Potential } from "../src/models/index.js";
import type { BatchArrays } from "../src/models/index.js";
import { NequIP } from "../src/models/nequip.js";
import { log, sci } from "./harness.js";
import { Timing, machine, measure, rng, today } from "./timing.js";

type FloatDType = "float64" | "float32";
const DTYPES: FloatDType[] = ["float32", "float64"];
const CUTOFF = 5.0;
const TIMING = { warmup: 2, minRuns: 5, minTimeMs: 1500 };
const TOL: Record<FloatDType, number> = { float64: 1e-10, float32: 1e-3 };
const here = path.dirname(fileURLToPath(import.meta.url));
// dist/bench/nequip.js → <repo>; or the working directory when built elsewhere (tsc --outDir).
const repo = [process.cwd(), path.resolve(here, "..", "..")].find((d) => fs.existsSync(path.join(d, "bench", "nequip.ts"))) ?? path.resolve(here, "..", "..");

interface ModelCase { name: string; make: (dtype: FloatDType) => Potential; description: string }

/** 64 Cu atoms: fcc, 2×2×4 conventional cells of a = 3.61 Å, each atom displaced by U(−0.1, 0.1) Å per axis. */
function copperCell(): AtomsFrame {
  const a = 3.61, reps = [2, 2, 4], basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const r = rng(7);
  const positions: number[][] = [];
  for (let i = 0; i < reps[0]; i++) for (let j = 0; j < reps[1]; j++) for (let k = 0; k < reps[2]; k++) {
    for (const b of basis) positions.push([(i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a].map((x) => x + 0.2 * (r() - 0.5)));
  }
  const cell = [[reps[0] * a, 0, 0], [0, reps[1] * a, 0], [0, 0, reps[2] * a]];
  return { positions, species: positions.map(() => 29), cell, pbc: [true, true, true], energy: 0 };
}

function relErr(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (got.length !== ref.length) return Infinity;
  let err = 0, m = 0;
  for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(ref[i]));
  for (let i = 0; i < ref.length; i++) { const e = Math.abs(got[i] - ref[i]) / m; if (!(e <= err)) err = e; }
  return Number.isNaN(err) ? Infinity : err;
}
const flat = (t: Tensor): number[] => Array.from(t.data() as ArrayLike<number>);

async function main(): Promise<void> {
  const t0 = Date.now();
  const loadStart = os.loadavg().map((v) => Number(v.toFixed(2)));
  log(`machine: ${machine()}, load average at start ${loadStart.join(" ")}`);
  const frame = copperCell();
  const batches = Object.fromEntries(DTYPES.map((d) => [d, collate([frame], { cutoff: CUTOFF, dtype: d })])) as Record<FloatDType, GraphBatch>;
  const nAtoms = batches.float64.positions.shape[0], nEdges = batches.float64.senders.shape[0];
  const avgNeighbors = nEdges / nAtoms;
  log(`cell: ${nAtoms} Cu atoms, ${nEdges} directed edges within ${CUTOFF} Å (${avgNeighbors.toFixed(1)} per atom)`);

  const key = random.key(0);
  const cases: ModelCase[] = [
    { name: "NequIP L=1, 16 ch, 2 blocks", description: "as trained in examples/train-nequip.ts: nInteractions 2, nFeatures 16, maxDegree 1, nRbf 8, radialHidden 16",
      make: (dtype) => new NequIP(key, { nInteractions: 2, nFeatures: 16, maxDegree: 1, nRbf: 8, radialHidden: 16, cutoff: CUTOFF, maxZ: 30, avgNeighbors, dtype }) },
    { name: "NequIP L=2, 32 ch, 3 blocks", description: "NequIP defaults: nInteractions 3, nFeatures 32, maxDegree 2, nRbf 8, radialHidden 32",
      make: (dtype) => new NequIP(key, { cutoff: CUTOFF, maxZ: 30, avgNeighbors, dtype }) },
    { name: "SchNet 3×64", description: "nInteractions 3, nFeatures 64, nGaussians 25",
      make: (dtype) => new SchNet(key, { nInteractions: 3, nFeatures: 64, nGaussians: 25, cutoff: CUTOFF, maxZ: 30, dtype }) },
    { name: "PaiNN 3×64", description: "nInteractions 3, nFeatures 64, nRbf 20",
      make: (dtype) => new PaiNN(key, { nInteractions: 3, nFeatures: 64, nRbf: 20, cutoff: CUTOFF, maxZ: 30, dtype }) },
  ];

  const efEager = (m: Potential, b: GraphBatch) => { const r = energyAndForces(m, b, { stress: false }); return [r.energy, r.forces] as [Tensor, Tensor]; };
  const rows: { model: string; description: string; parameters: number; cells: Record<string, { median: number; min: number; runs: number; usPerAtom: number; firstCallMs: number } | { na: string }> }[] = [];
  const agreement: Record<string, string> = {};
  for (const c of cases) {
    const m64 = c.make("float64");
    const models: Record<FloatDType, Potential> = { float64: m64, float32: restoreTree(c.make("float32"), namedLeaves(m64)) };
    const [e0, f0] = efEager(m64, batches.float64);
    const ref = { energy: flat(e0), forces: flat(f0) };
    const row: (typeof rows)[number] = { model: c.name, description: c.description, parameters: m64.numParameters(), cells: {} };
    for (const d of DTYPES) {
      const efJit = jit((m: Potential, a: BatchArrays) => efEager(m, { ...a, cell: null, forces: undefined } as unknown as GraphBatch));
      const a = batchArrays(batches[d]);
      const tc = performance.now();
      const [ej, fj] = efJit(models[d], a);
      const firstCallMs = Math.round(performance.now() - tc);
      const err = Math.max(relErr(flat(ej), ref.energy), relErr(flat(fj), ref.forces));
      agreement[`${c.name} ${d}`] = `${sci(err)} vs float64 eager (tolerance ${TOL[d]})`;
      log(`${c.name} ${d}: first call ${firstCallMs} ms; jit vs float64 eager ${sci(err)}${err <= TOL[d] ? " ✓" : " ✗"}`);
      if (!(err <= TOL[d])) { process.exitCode = 1; row.cells[d] = { na: `disagrees with float64 eager: ${sci(err)}` }; continue; }
      const t: Timing = await measure(() => efJit(models[d], a), () => {}, TIMING);
      row.cells[d] = { median: Number(t.median.toPrecision(4)), min: Number(t.min.toPrecision(4)), runs: t.runs, usPerAtom: Number((1000 * t.median / nAtoms).toPrecision(4)), firstCallMs };
      log(`  median ${t.median.toFixed(2)} ms, min ${t.min.toFixed(2)} ms (${t.runs} runs) → ${(1000 * t.median / nAtoms).toFixed(1)} µs/atom`);
    }
    rows.push(row);
  }
  const loadEnd = os.loadavg().map((v) => Number(v.toFixed(2)));

  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const cell = (x: (typeof rows)[number]["cells"][string] | undefined, us: boolean) =>
    !x ? "n/a" : "na" in x ? "n/a" : us ? `${f(x.usPerAtom)} (${f(1000 * x.min / nAtoms)})` : `${f(x.median)} (${f(x.min)})`;
  console.log([
    `Energy + forces, diffmol jit, one periodic 64-atom Cu cell (${nEdges} edges within ${CUTOFF} Å); median (best run):`,
    "",
    `| model | parameters | float32, µs/atom | float64, µs/atom | float32, ms/call | float64, ms/call |`,
    `|---|---:|---:|---:|---:|---:|`,
    ...rows.map((r) => `| ${r.model} | ${r.parameters} | ${cell(r.cells.float32, true)} | ${cell(r.cells.float64, true)} | ${cell(r.cells.float32, false)} | ${cell(r.cells.float64, false)} |`),
    "",
    `Each cell: median (best run) over ≥ ${TIMING.minRuns} runs and ≥ ${TIMING.minTimeMs / 1000} s after ${TIMING.warmup} warm-up runs. ` +
    `Machine: ${machine()}; load average ${loadStart[0]} at start, ${loadEnd[0]} at end.`,
  ].join("\n"));
  const out = path.join(repo, "bench", "results", "nequip.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({
    benchmark: "energy+forces-64-atom-periodic-Cu",
    machine: machine(),
    date: today(),
    cell: { atoms: nAtoms, edges: nEdges, cutoff: CUTOFF, description: "fcc Cu, 2×2×4 conventional cells (a = 3.61 Å), displacements U(−0.1, 0.1) Å per axis (seed 7), periodic" },
    unit: "ms per call and µs per atom (median), lower is better",
    timing: TIMING,
    rows,
    agreement,
    loadavg: { start: loadStart, end: loadEnd },
    seconds: Math.round((Date.now() - t0) / 1000),
  }, null, 2) + "\n");
  log(`wrote ${out} in ${Math.round((Date.now() - t0) / 1000)} s`);
}

await main();
