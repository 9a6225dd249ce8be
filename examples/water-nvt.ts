// A box of flexible water in the NVT ensemble: diffmol/ff's energy (SPC, PME, dispersion
// correction, read from GROMACS files) driving diffmol/md's Langevin integrator.
//
//   npm run example:water-nvt -- [steps]        (default 100 steps of 0.5 fs)
//
// GROMACS's spc216 box (216 waters, 1.862 nm, the reference system of the tests) with the
// settings of test/fixtures/ff/reference/spc216-pme.mdp: flexible SPC (define FLEXIBLE), PME of
// order 6 on a 32³ grid, 0.9 nm cut-offs with GROMACS's potential shift, DispCorr. Forces are
// −∂E/∂R by AD; each BAOAB step (md's simulate.nvtLangevin) is compiled with jit and the Verlet
// pair list is updated before each step. Prints step, time, potential energy and temperature.
// Units are the force field's: nm, ps, kJ/mol, amu; kT = k_B · 300 K.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { jit, random, Tensor } from "../src/index.js";
import { quantity, simulate, space } from "../src/md/index.js";
import type { EnergyArgs, NeighborList } from "../src/md/index.js";
import { loadGromacs } from "../src/ff/load.js";
import type { PairList } from "../src/ff/force-field.js";
import { BOLTZMANN_KJ_PER_MOL_K } from "../src/units.js";

export interface WaterNvtResult { temperatures: number[]; energies: number[] }

export function run(opts: { steps?: number; every?: number; dt?: number; log?: (s: string) => void } = {}): WaterNvtResult {
  const log = opts.log ?? console.log;
  const dir = ["test/fixtures/ff/reference", "../test/fixtures/ff/reference", "../../test/fixtures/ff/reference"].map((d) => resolve(process.cwd(), d))
    .find((d) => existsSync(resolve(d, "spc216-pme.gro")));
  if (dir === undefined) throw new Error("water-nvt: run from the repository root (test/fixtures/ff/reference is needed)");
  const name = resolve(dir, "spc216-pme");
  const water = loadGromacs({ top: `${name}.processed.top`, gro: `${name}.gro`, mdp: `${name}.mdp` });
  const box = water.box!;
  const side = (box.toArray() as number[][]).map((row, d) => row[d]);
  const E = water.energyFn();
  const energyFn = (R: Tensor, args?: EnergyArgs) => E(R, water.params, box, args?.neighbor as unknown as PairList);
  const [, shift] = space.periodic(side);
  const kT = BOLTZMANN_KJ_PER_MOL_K * 300;
  const dt = opts.dt ?? 0.0005; // ps: O–H vibrations (period ≈ 9 fs) need ≤ 0.5 fs
  const { init, step } = simulate.nvtLangevin(energyFn, shift, { dt, kT, gamma: 5 });
  const builder = water.pairListBuilder(box, { cutoff: 0.9, skin: 0.025 });
  let nbrs = builder.allocate(water.positions) as NeighborList & PairList;
  let state = init(random.key(0), water.positions, { mass: water.masses, kT, args: { neighbor: nbrs } });
  const fastStep = jit(step);
  const steps = opts.steps ?? 100, every = opts.every ?? 10;
  const temperatures: number[] = [], energies: number[] = [];
  const report = (k: number) => {
    const T = quantity.temperature(state).item() / BOLTZMANN_KJ_PER_MOL_K;
    temperatures.push(T);
    energies.push(state.energy.item());
    log(`${String(k).padStart(6)}  ${(k * dt).toFixed(4).padStart(8)} ps  E_pot ${state.energy.item().toFixed(2).padStart(11)} kJ/mol  T ${T.toFixed(1).padStart(6)} K`);
  };
  log(`${water.nAtoms} atoms (216 flexible SPC waters), PME, dt = ${dt * 1000} fs, Langevin at 300 K`);
  report(0);
  const t0 = Date.now();
  for (let k = 1; k <= steps; k++) {
    nbrs = builder.update(state.position, nbrs) as NeighborList & PairList;
    state = fastStep(state, { neighbor: nbrs });
    if (k % every === 0) report(k);
  }
  log(`${((Date.now() - t0) / steps).toFixed(0)} ms per step`);
  return { temperatures, energies };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run({ steps: process.argv[2] ? Number(process.argv[2]) : undefined });
}
