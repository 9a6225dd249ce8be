// diffmol bench: quick timings of the kernels a user runs most (a jitted Lennard-Jones MD step
// over a neighbour list; SchNet energy + forces) with a markdown table and JSON, or --full to run
// the project's benchmark suite (bench/*.ts, built to dist/bench/), which prints the peers side
// by side and writes bench/results/*.json.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { jit, np, random, Tensor } from "../../index.js";
import { energy, partition, simulate, space } from "../../md/index.js";
import { collate } from "../../io/index.js";
import { SchNet, energyAndForces } from "../../models/index.js";
import { UsageError, booleanFlag, helpText, numberFlag, parse, stringFlag } from "../args.js";
import type { FlagSpecs } from "../args.js";
import { writeJson } from "../output-files.js";
import { Progress } from "../progress.js";

export const benchFlags: FlagSpecs = {
  atoms: { type: "string", help: "fcc cells per side of the LJ benchmark (4 atoms each)", default: "5 (500 atoms)" },
  repeats: { type: "string", help: "timed repetitions of each benchmark (the median is reported)", default: "5" },
  json: { type: "string", help: "write the results as JSON" },
  full: { type: "boolean", help: "run the full suite (node dist/bench/{core,jit,md,schnet}.js; minutes)" },
  quiet: { type: "boolean", short: "q", help: "no progress output" },
};

export const benchHelp = helpText(
  "diffmol bench [options]",
  "Quick benchmarks: a jitted Langevin step of a Lennard-Jones liquid (ns per atom per step) and SchNet\n" +
  "energy + forces on a 32-atom copper cell (ms per call). --full runs the project's benchmark suite.",
  benchFlags,
);

interface Row { benchmark: string; unit: string; median: number; min: number; repeats: number }

function fcc(cells: number, a: number): Tensor {
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const rows: number[][] = [];
  for (let x = 0; x < cells; x++) for (let y = 0; y < cells; y++) for (let z = 0; z < cells; z++) for (const b of basis) rows.push([(x + b[0] + 0.25) * a, (y + b[1] + 0.25) * a, (z + b[2] + 0.25) * a]);
  return np.array(rows);
}

function time(fn: () => void, repeats: number, tick: () => void): { median: number; min: number } {
  fn(); // warm-up (jit compile)
  const t: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
    tick();
  }
  t.sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)], min: t[0] };
}

export async function benchCommand(argv: string[]): Promise<number> {
  const p = parse("bench", argv, benchFlags, 0);
  if (booleanFlag(p, "help")) { process.stdout.write(benchHelp); return 0; }
  if (booleanFlag(p, "full")) {
    const dir = resolve(dirname(fileURLToPath(import.meta.url)), "../../../bench");
    if (!existsSync(resolve(dir, "md.js"))) throw new UsageError(`diffmol bench --full: the benchmark suite is not built (${dir}/md.js missing); run npm run build in the repository`);
    for (const name of ["core", "jit", "md", "schnet"]) {
      const r = spawnSync(process.execPath, [resolve(dir, `${name}.js`)], { stdio: "inherit" });
      if (r.status !== 0) return r.status ?? 1;
    }
    return 0;
  }
  const cells = numberFlag("bench", p, "atoms", 5, { integer: true, positive: true });
  const repeats = numberFlag("bench", p, "repeats", 5, { integer: true, positive: true });
  const progress = new Progress({ total: 2 * repeats, unit: "run", label: "bench", quiet: booleanFlag(p, "quiet") });
  let done = 0;
  const tick = () => progress.update(++done);
  const rows: Row[] = [];

  // LJ liquid at the LAMMPS "melt" state (ρ = 0.8442, kT = 1.44), 20 steps per timing.
  const n = 4 * cells ** 3, L = Math.cbrt(n / 0.8442);
  const [disp, shift] = space.periodic(L);
  const nbrFn = partition.neighborList(disp, L, { cutoff: 2.5, skin: 0.3 });
  const lj = energy.lennardJonesNeighborList(disp, { sigma: 1, epsilon: 1, cutoff: 2.5 });
  const sim = simulate.nvtLangevin(lj, shift, { dt: 0.005, kT: 1.44, gamma: 1 });
  const step = jit(sim.step);
  const R0 = fcc(cells, L / cells);
  let nbrs = nbrFn.allocate(R0);
  let state = sim.init(random.key(0), R0, { args: { neighbor: nbrs } });
  const steps = 20;
  const ljTime = time(() => {
    for (let k = 0; k < steps; k++) { nbrs = nbrFn.update(state.position, nbrs); state = step(state, { neighbor: nbrs }); }
    state.energy.item();
  }, repeats, tick);
  rows.push({ benchmark: `lj-langevin-step-${n}`, unit: "ns/atom/step", median: (1e6 * ljTime.median) / (n * steps), min: (1e6 * ljTime.min) / (n * steps), repeats });

  // SchNet (3 × 64, cutoff 5 Å) energy + forces on the 32-atom Cu cube, eager.
  const a = 3.61;
  const cu = fcc(2, a).sub(0.25 * a);
  const batch = collate([{ positions: cu, species: Array(32).fill("Cu"), cell: np.eye(3).mul(2 * a), pbc: [true, true, true] }], { cutoff: 5 });
  const model = new SchNet(random.key(0), { nInteractions: 3, nFeatures: 64, nGaussians: 25, cutoff: 5, maxZ: 30 });
  const schnetTime = time(() => { energyAndForces(model, batch, { stress: false }).forces.data(); }, repeats, tick);
  rows.push({ benchmark: "schnet-energy-forces-cu32", unit: "ms/call", median: schnetTime.median, min: schnetTime.min, repeats });
  progress.finish();

  process.stdout.write(`| benchmark | unit | median | min |\n|---|---|---:|---:|\n${rows.map((r) => `| ${r.benchmark} | ${r.unit} | ${r.median.toFixed(1)} | ${r.min.toFixed(1)} |`).join("\n")}\n`);
  const jsonPath = stringFlag(p, "json");
  if (jsonPath) writeJson(jsonPath, { benchmark: "diffmol bench (quick)", machine: `${cpus().length}-core ${cpus()[0]?.model ?? "cpu"}, Node ${process.versions.node}`, date: new Date().toISOString().slice(0, 10), rows });
  return 0;
}
