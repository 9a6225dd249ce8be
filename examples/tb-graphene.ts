// Graphene with the pz tight-binding model: bands, density of states, and electron–phonon
// couplings g_mnν(k, q) with ∂H/∂u by automatic differentiation.
//
//   node dist/examples/tb-graphene.js
//
// Units: eV, Å, amu. Phonons come from an in-plane spring model (nearest- and next-nearest-neighbour
// central springs, 36 and 6 eV/Å²; its optical branch sits near the measured G mode, 0.196 eV)
// through md.phonons; out-of-plane modes do not couple to pz at first order (mirror symmetry) and
// are left out.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { np } from "../src/index.js";
import { phonons } from "../src/md/index.js";
import * as tb from "../src/tb/index.js";

export interface GrapheneExampleOptions {
  /** k-grid for the DOS and the couplings (mesh × mesh). */
  mesh?: number;
  pointsPerSegment?: number;
  print?: (s: string) => void;
}

export function run(opts: GrapheneExampleOptions = {}) {
  const print = opts.print ?? console.log;
  const mesh = opts.mesh ?? 24;
  const a = 1.42, s3 = Math.sqrt(3);
  const sys = tb.system(tb.graphene(), tb.grapheneSheet(a));

  // Bands along Γ–M–K–Γ.
  const path = tb.pathThrough(sys.crystal.cell, "hexagonal", ["Γ", "M", "K", "Γ"], opts.pointsPerSegment ?? 20);
  const e = tb.bands(sys, path.k).toArray() as number[][];
  for (const t of path.ticks) {
    const i = path.distance.findIndex((x) => Math.abs(x - t.distance) < 1e-12);
    print(`${t.label.padEnd(2)} k-distance ${t.distance.toFixed(3)} 1/Å   bands ${e[i].map((x) => x.toFixed(3)).join(", ")} eV`);
  }
  const bandwidth = Math.max(...e.map((r) => r[1])) - Math.min(...e.map((r) => r[0]));

  // DOS and the Fermi level at half filling.
  const k = tb.kFromFractional(sys.crystal.cell, tb.kGrid([mesh, mesh, 1]));
  const grid = tb.bands(sys, k).toArray() as number[][];
  const mu = tb.fermiLevel(grid, 2, { width: 0.05 });
  const { energy, dos } = tb.densityOfStates(grid, { sigma: 0.15, points: 200 });
  const peak = energy[dos.indexOf(Math.max(...dos))];
  print(`Fermi level ${mu.toFixed(4)} eV; DOS peaks (van Hove) at ${peak.toFixed(2)} eV (±|t0| = ±2.7 eV)`);

  // Phonons at q and all couplings on the grid.
  const sc = phonons.supercell([[1.5 * a, 1.5 * a], [(s3 / 2) * a, (-s3 / 2) * a]], [[0, 0], [1 / 3, 1 / 3]], [4, 4]);
  const fc = phonons.forceConstants(tb.springs(sc, [{ r0: a, k: 36 }, { r0: s3 * a, k: 6 }]), sc.positions);
  const q = tb.kFromFractional(sys.crystal.cell, [1 / 3, 0, 0]).reshape([3]);
  const modes = tb.phononModes(fc, sc, q, { mass: [12.011, 12.011], hbar2: tb.HBAR2_EV_A2_AMU });
  print(`phonon energies at q: ${Array.from(modes.energies).map((w) => (1000 * w).toFixed(1)).join(", ")} meV`);
  const t0 = Date.now();
  const ep = tb.electronPhonon(sys, k, modes, { hbar2: tb.HBAR2_EV_A2_AMU });
  const g = np.sqrt(ep.abs2);
  const perMode = np.max(g, [0, 2, 3]).data();
  print(`max |g| per mode over ${mesh}×${mesh} k and both bands: ${Array.from(perMode).map((x) => (1000 * x).toFixed(1)).join(", ")} meV (${Date.now() - t0} ms)`);
  return { bandwidth, fermiLevel: mu, maxG: np.max(g).item(), phononEnergies: modes.energies };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) run();
