// A Lennard-Jones liquid in the NVT ensemble — the example to copy for your own MD runs.
//
//   npm run example:lj -- [output directory]      (default: a fresh temporary directory)
//
// 500 atoms start on an fcc lattice at the reduced density ρ = 0.8442 (the LAMMPS "melt"
// benchmark state) and are thermostatted at kT = 1.44 with Langevin (BAOAB) dynamics. Forces are
// −∇E by automatic differentiation of the Lennard-Jones energy over a Verlet neighbour list, and
// each whole time step is compiled with `jit`. Every 100 steps the run prints the step, potential
// energy, temperature and pressure, appends a frame to traj.extxyz and a line to log.csv (both
// written through diffmol/io, so they appear under their final names only when complete), and at
// the end it prints where the radial distribution function g(r) peaks (≈ 1.1 σ for this liquid).
// Units are reduced LJ units: σ = ε = m = kB = 1.
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { jit, np, random, Tensor } from "../src/index.js";
import { energy, partition, quantity, simulate, space } from "../src/md/index.js";
import { openCsvLog, openTrajectory } from "../src/io/index.js";

export interface LjLiquidOptions {
  /** Directory for traj.extxyz and log.csv; default a new temporary directory. */
  outDir?: string;
  /** fcc unit cells per side (4 atoms each); default 5 → 500 atoms. */
  cells?: number;
  /** Time steps; default 1000. */
  steps?: number;
  /** Report, frame and log interval in steps; default 100. */
  every?: number;
  /** Steps skipped before the RDF is sampled; default steps / 2. */
  equilibration?: number;
  /** Random seed; default 0. */
  seed?: number;
  /** Where the report lines go; default console.log. */
  print?: (line: string) => void;
}

export interface LjLiquidResult {
  outDir: string;
  trajectoryPath: string;
  logPath: string;
  atoms: number;
  /** (step, potential energy per atom, kT, pressure) at every report. */
  reports: { step: number; potentialEnergy: number; temperature: number; pressure: number }[];
  /** Position of the first peak of g(r), in σ. */
  rdfPeak: number;
}

/** Positions of an fcc crystal of `cells`³ cubic cells with lattice constant a: [4·cells³, 3]. */
function fccLattice(cells: number, a: number): Tensor {
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const rows: number[][] = [];
  for (let x = 0; x < cells; x++) for (let y = 0; y < cells; y++) for (let z = 0; z < cells; z++) {
    for (const b of basis) rows.push([(x + b[0] + 0.25) * a, (y + b[1] + 0.25) * a, (z + b[2] + 0.25) * a]);
  }
  return np.array(rows);
}

export function run(opts: LjLiquidOptions = {}): LjLiquidResult {
  const print = opts.print ?? console.log;
  const cells = opts.cells ?? 5;
  const steps = opts.steps ?? 1000;
  const every = opts.every ?? 100;
  const equilibration = opts.equilibration ?? Math.floor(steps / 2);
  const outDir = opts.outDir ?? mkdtempSync(join(tmpdir(), "diffmol-lj-"));
  mkdirSync(outDir, { recursive: true });

  // The system: ρ = N / L³ = 0.8442, kT = 1.44, LJ cut at 2.5σ (truncated, not shifted).
  const density = 0.8442, kT = 1.44, dt = 0.005, cutoff = 2.5;
  const atoms = 4 * cells ** 3;
  const L = Math.cbrt(atoms / density);
  const R0 = fccLattice(cells, L / cells);

  const [displacement, shift] = space.periodic(L);
  const neighborFn = partition.neighborList(displacement, L, { cutoff, skin: 0.3 });
  const energyFn = energy.lennardJonesNeighborList(displacement, { sigma: 1, epsilon: 1, cutoff });
  const { init, step } = simulate.nvtLangevin(energyFn, shift, { dt, kT, gamma: 1.0 });

  // jit compiles one whole BAOAB step (forces by AD included); it traces again only if the
  // neighbour list is reallocated with a larger capacity.
  const fastStep = jit(step);
  const pressureOf = jit((state: simulate.LangevinState, neighbor: partition.PartitionNeighborList) =>
    quantity.pressure(energyFn, state.position, np.asarray(L), { momentum: state.momentum, mass: state.mass, args: { neighbor } }));

  let neighbor = neighborFn.allocate(R0);
  let state = init(random.key(opts.seed ?? 0), R0, { args: { neighbor } });

  const trajectoryPath = join(outDir, "traj.extxyz");
  const logPath = join(outDir, "log.csv");
  const traj = openTrajectory(trajectoryPath, { format: "extxyz", species: "Ar", box: L });
  const log = openCsvLog(logPath, { columns: ["step", "time", "potentialEnergy", "kineticEnergy", "totalEnergy", "temperature", "pressure"] });
  const reports: LjLiquidResult["reports"] = [];
  const rdfFrames: Tensor[] = [];

  const report = (i: number, s: simulate.LangevinState) => {
    const potentialEnergy = s.energy.item() / atoms;
    const kinetic = quantity.kineticEnergy(s).item() / atoms;
    const temperature = quantity.temperature(s).item();
    const pressure = pressureOf(s, neighbor).item();
    reports.push({ step: i, potentialEnergy, temperature, pressure });
    print(`${String(i).padStart(6)}  ${potentialEnergy.toFixed(4).padStart(9)}  ${temperature.toFixed(4).padStart(7)}  ${pressure.toFixed(4).padStart(8)}`);
    log.write({ step: i, time: i * dt, potentialEnergy, kineticEnergy: kinetic, totalEnergy: potentialEnergy + kinetic, temperature, pressure });
    traj.write(s.position, { velocity: s.momentum.div(s.mass), info: { step: i, time: i * dt, energy: s.energy.item(), temperature } });
    if (i > equilibration) rdfFrames.push(s.position);
  };

  print(`LJ liquid: N = ${atoms}, ρ = ${density}, L = ${L.toFixed(4)}, kT = ${kT}, dt = ${dt}, ${steps} Langevin steps`);
  print("  step  PE/atom       kT  pressure");
  report(0, state);
  try {
    state = simulate.run(fastStep, state, steps, {
      // Before each step: rebuild the list if some atom moved more than skin / 2.
      args: (_i, s) => {
        neighbor = neighborFn.update(s.position, neighbor);
        return { neighbor };
      },
      every,
      callback: report,
    });
  } catch (e) {
    // A blow-up (simulate.SimulationBlowUp) or any other failure: keep what was written in the
    // .partial files, and create nothing under the final names.
    traj.abort({ keepPartial: true });
    log.abort({ keepPartial: true });
    print(`run stopped: ${(e as Error).message}; frames so far are in ${traj.partialPath}`);
    throw e;
  }
  traj.close();
  log.close();

  const frames = rdfFrames.length > 0 ? rdfFrames : [state.position];
  const { r, g } = quantity.radialDistribution(displacement, frames, { rMax: L / 2, nBins: 100, volume: L ** 3 });
  let peak = 0;
  for (let k = 1; k < g.length; k++) if (g[k] > g[peak]) peak = k;
  // Refine the highest bin by the parabola through it and its two neighbours.
  let rdfPeak = r[peak];
  if (peak > 0 && peak < g.length - 1) {
    const curvature = g[peak - 1] - 2 * g[peak] + g[peak + 1];
    if (curvature < 0) rdfPeak += (0.5 * (g[peak - 1] - g[peak + 1]) / curvature) * (r[1] - r[0]);
  }
  print(`g(r) peaks at r = ${rdfPeak.toFixed(3)} σ (g = ${g[peak].toFixed(2)}, ${frames.length} frames)`);
  print(`wrote ${trajectoryPath} and ${logPath}`);
  return { outDir, trajectoryPath, logPath, atoms, reports, rdfPeak };
}

// Run when executed directly (node dist/examples/lj-liquid.js [outDir]), not when imported.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const start = Date.now();
  run({ outDir: process.argv[2] });
  console.log(`done in ${((Date.now() - start) / 1000).toFixed(1)} s`);
}
